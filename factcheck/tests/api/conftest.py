import json

import pytest
from django.test import Client

from factcheck.models import ApiToken

API = "/api/v1"


class Api:
    """A client of the API: JSON in and out, with a token (or none), and no session."""

    def __init__(self, key=None):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {key}"} if key else {}

    def call(self, method, path, data=None, **params):
        body = json.dumps(data) if data is not None else None
        return self.client.generic(
            method,
            f"{API}{path}",
            body or "",
            content_type="application/json",
            headers=self.headers,
            QUERY_STRING="&".join(f"{k}={v}" for k, v in params.items()),
        )

    def get(self, path, **params):
        return self.call("GET", path, **params)

    def post(self, path, data):
        return self.call("POST", path, data)

    def patch(self, path, data):
        return self.call("PATCH", path, data)

    def delete(self, path):
        return self.call("DELETE", path)


@pytest.fixture
def editor_api(editor):
    return Api(ApiToken.issue(editor, "tests")[1])


@pytest.fixture
def viewer_api(viewer):
    return Api(ApiToken.issue(viewer, "tests")[1])


def refused(response, status):
    """The error body, checked to have the one shape every refusal has."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert set(body) == {"detail", "errors"} and body["detail"]
    return body
