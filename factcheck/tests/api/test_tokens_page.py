import pytest
from django.test import Client
from django.urls import reverse

from factcheck.models import ApiToken

from .conftest import Api

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
URL = "/account/tokens"


@pytest.fixture
def viewer_client(viewer):
    client = Client()
    client.force_login(viewer)
    return client


def test_the_page_lists_only_my_tokens(viewer_client, viewer, editor, fixed_queries):
    ApiToken.issue(viewer, "my script")
    ApiToken.issue(editor, "their script")[0].revoke()

    def grow():
        for n in range(5):
            ApiToken.issue(viewer, f"script {n}")[0].revoke()

    # The session, the user, their permissions for the menu (two), the tokens: however many there are.
    assert fixed_queries(lambda: viewer_client.get(URL), grow) == 5
    response = viewer_client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "my script" in html and "their script" not in html
    assert "never used" in html


@pytest.mark.parametrize("htmx", [False, True])
def test_a_viewer_makes_a_token_shown_once_that_reads_only(viewer_client, viewer, htmx):
    response = viewer_client.post(URL, {"name": "dashboard"}, headers=HTMX if htmx else None)
    assert response.status_code == 200
    html = response.content.decode()
    assert ("<html" in html) is not htmx
    token = ApiToken.objects.get(user=viewer)
    key = html.split('id="new-token" type="text" readonly value="')[1].split('"')[0]
    assert key.startswith(token.prefix)
    assert Api(key).get("/claims").status_code == 200
    assert Api(key).post("/sources", {"name": "X"}).status_code == 403
    assert key not in viewer_client.get(URL).content.decode()


@pytest.mark.parametrize("htmx", [False, True])
def test_a_token_without_a_name_is_refused(viewer_client, htmx):
    response = viewer_client.post(URL, {"name": "  "}, headers=HTMX if htmx else None)
    assert response.status_code == 422
    assert "Name the token" in response.content.decode()
    assert ApiToken.objects.count() == 0


@pytest.mark.parametrize("htmx", [False, True])
def test_revoking_a_token_stops_it(viewer_client, viewer, htmx):
    token, key = ApiToken.issue(viewer, "old script")
    response = viewer_client.post(reverse("api_token_revoke", args=[token.pk]), headers=HTMX if htmx else None)
    if htmx:
        assert response.status_code == 200
        assert "<html" not in response.content.decode() and "revoked" in response.content.decode()
    else:
        assert response.status_code == 303 and response["Location"] == URL
    assert Api(key).get("/claims").status_code == 401


def test_no_one_revokes_anothers_token(viewer_client, editor):
    token, key = ApiToken.issue(editor, "theirs")
    assert viewer_client.post(reverse("api_token_revoke", args=[token.pk])).status_code == 404
    assert Api(key).get("/claims").status_code == 200


def test_making_and_revoking_need_the_csrf_token(viewer, editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(viewer)
    token, _ = ApiToken.issue(viewer, "mine")
    assert client.post(URL, {"name": "forged"}).status_code == 403
    assert client.post(reverse("api_token_revoke", args=[token.pk])).status_code == 403
    assert ApiToken.objects.filter(revoked_at=None).count() == 1
    client.get(URL)
    csrf = client.cookies["csrftoken"].value
    assert client.post(URL, {"name": "real"}, headers={"X-CSRFToken": csrf}).status_code == 200
    assert ApiToken.objects.count() == 2


def test_the_page_needs_a_login(client):
    assert client.get(URL).status_code == 302
    assert client.post(URL, {"name": "x"}).status_code == 302
    assert ApiToken.objects.count() == 0


def test_the_menu_links_to_the_page(viewer_client):
    assert f'href="{URL}"' in viewer_client.get(reverse("home")).content.decode()
