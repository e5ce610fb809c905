import io

import pytest
from django.core.management import CommandError, call_command

from factcheck.models import ApiToken

from .conftest import Api

pytestmark = pytest.mark.django_db


def test_it_prints_a_working_token(editor):
    out = io.StringIO()
    call_command("api_token", "editor", "--name", "nightly import", stdout=out)
    key = out.getvalue().strip()
    token = ApiToken.objects.get()
    assert (token.user, token.name, token.prefix) == (editor, "nightly import", key[:10])
    assert Api(key).get("/articles").status_code == 200


def test_it_refuses_an_unknown_or_inactive_user(editor):
    with pytest.raises(CommandError, match="No user named"):
        call_command("api_token", "nobody", stdout=io.StringIO())
    editor.is_active = False
    editor.save()
    with pytest.raises(CommandError, match="inactive"):
        call_command("api_token", "editor", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("api_token", "root", "--name", " ", stdout=io.StringIO())
    assert ApiToken.objects.count() == 0
