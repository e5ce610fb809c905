import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from factcheck.models import ApiToken, Article

from .conftest import Api, refused

pytestmark = pytest.mark.django_db

NEW = {"title": "New", "body": "Text."}


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer fc_wrong"}, {"Authorization": "Bearer "}, {"Authorization": "Basic ZWRpdG9yOnB3"}],
)
def test_a_request_without_a_valid_token_is_refused(article, headers):
    response = Client().get("/api/v1/articles", headers=headers)
    body = refused(response, 401)
    assert "Authorization: Bearer" in body["detail"]
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_revoked_token_is_refused(editor):
    token, key = ApiToken.issue(editor, "script")
    assert Api(key).get("/articles").status_code == 200
    token.revoke()
    refused(Api(key).get("/articles"), 401)


def test_an_inactive_users_token_is_refused(editor):
    _, key = ApiToken.issue(editor, "script")
    editor.is_active = False
    editor.save()
    refused(Api(key).get("/articles"), 401)


def test_a_session_cookie_alone_cannot_read_or_write(editor, article):
    """The login session is no credential for the API: a page elsewhere cannot make the browser write."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    refused(client.get("/api/v1/articles"), 401)
    refused(client.post("/api/v1/articles", NEW, content_type="application/json"), 401)
    assert Article.objects.count() == 1


def test_a_token_needs_no_csrf_token(editor):
    _, key = ApiToken.issue(editor, "script")
    client = Client(enforce_csrf_checks=True)
    headers = {"Authorization": f"Bearer {key}"}
    assert client.post("/api/v1/articles", NEW, content_type="application/json", headers=headers).status_code == 201


def test_last_use_is_recorded_at_most_once_a_minute(editor, article, django_assert_num_queries):
    token, key = ApiToken.issue(editor, "script")
    api = Api(key)
    assert api.get("/articles").status_code == 200
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    # The token with its user, then the count and the page: no write.
    with django_assert_num_queries(3):
        assert api.get("/articles").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now() - timedelta(minutes=2))
    assert api.get("/articles").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at > first


def test_only_the_keys_hash_is_stored(editor):
    token, key = ApiToken.issue(editor, "script")
    assert key.startswith("fc_") and len(key) > 40
    assert key not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    assert token.prefix == key[:10]


def test_the_docs_need_a_login_and_load_nothing_from_elsewhere(client, editor):
    response = client.get("/api/v1/docs")
    assert response.status_code == 302
    client.force_login(editor)
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "https://" not in html
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_the_schema_is_open_to_tools(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["components"]["securitySchemes"]["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    assert "/api/v1/claims/{id}" in schema["paths"]


def test_every_operation_needs_a_token(client, editor):
    """Every path and method of the schema, without a token: 401 before anything is read or changed."""
    client.force_login(editor)  # a session is no substitute
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    operations = [(method, re.sub(r"\{\w+\}", "1", path)) for path, item in paths.items() for method in item]
    assert len(operations) == 41
    for method, path in operations:
        response = client.generic(method.upper(), path, "{}", content_type="application/json")
        assert response.status_code == 401, (method, path)


def test_a_body_that_is_not_json_is_bad_input(editor_api):
    response = editor_api.client.generic(
        "POST", "/api/v1/articles", "{not json", content_type="application/json", headers=editor_api.headers
    )
    assert refused(response, 422)["errors"] == {"body": ["Send a JSON object."]}
