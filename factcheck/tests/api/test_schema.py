"""The API against its own OpenAPI schema (Schemathesis): requests made from the schema, valid and not, sent
with an editor's token to the app itself, must never meet a server error, and every answer must be one the
schema declares (its status code, its content type, its body)."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from factcheck.models import ApiToken, ClaimLink, Comment, Source

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


# Read from the app itself, as a client reads it; Django is set up before tests are collected.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def corpus(db, make_claim, article):
    """A little of everything, for the requests that name a real id; and the app called in the test's transaction."""
    Source.objects.create(name="GPA", kind=Source.Kind.OUTLET)
    loyal, not_loyal = make_claim("The army is loyal to the president"), make_claim("the army is not loyal")
    link = loyal.link(not_loyal, ClaimLink.Kind.CONTRADICTS, reason="Opposite.")
    Comment.objects.create(link=link, body="Sure?")
    # As Django's test client does: a request's end must not close the connection holding the test's transaction.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def editor_key(editor):
    return ApiToken.issue(editor, "schemathesis")[1]


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_keeps_to_its_schema(case, corpus, editor_key):
    # Uncompressed: the WSGI transport reads the body as sent.
    headers = {"Authorization": f"Bearer {editor_key}", "Accept-Encoding": "identity"}
    case.call_and_validate(headers=headers, checks=CHECKS)
