"""Login throttling (django-axes) on both login forms, the site's and the admin's, and the password rules."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db.models import F
from django.urls import reverse

pytestmark = pytest.mark.django_db

LIMIT = settings.AXES_FAILURE_LIMIT
HOME = "192.0.2.10"
ELSEWHERE = "198.51.100.20"
SITE_LOGIN = "/login/"
ADMIN_LOGIN = "/admin/login/"
PASSWORDS = {"editor": "pw-editor-123", "viewer": "pw-viewer-123"}


def log_in(client, username, password=None, *, address=HOME, path=SITE_LOGIN, **headers):
    """POST a login form from `address`; the right password unless `password` is given."""
    password = PASSWORDS[username] if password is None else password
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=address, headers=headers)


def fail(client, username, times, **where):
    return [log_in(client, username, "wrong-password", **where).status_code for _ in range(times)]


def is_lockout(response):
    return response.status_code == settings.AXES_HTTP_RESPONSE_CODE and b"Too many failed logins" in response.content


def logged_in(client):
    return client.get(reverse("home")).status_code == 200


def test_the_throttling_is_configured_for_a_real_site():
    assert 3 <= LIMIT <= 10
    assert settings.AXES_HTTP_RESPONSE_CODE == 429
    # A cool-off, not a lockout for ever (which would let anyone lock a colleague out by guessing).
    assert timedelta(minutes=1) <= settings.AXES_COOLOFF_TIME <= timedelta(hours=1)
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert "axes.backends.AxesStandaloneBackend" in settings.AUTHENTICATION_BACKENDS
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"


def test_wrong_passwords_up_to_the_limit_then_even_the_right_one_is_refused(client, editor):
    assert fail(client, "editor", LIMIT - 1) == [200] * (LIMIT - 1)
    last = log_in(client, "editor", "wrong-password")
    assert is_lockout(last)

    response = log_in(client, "editor")

    assert is_lockout(response)
    assert not logged_in(client)


def test_the_admin_login_is_throttled_too(client, editor):
    assert fail(client, "editor", LIMIT, path=ADMIN_LOGIN)[-1] == 429

    assert is_lockout(log_in(client, "editor", path=ADMIN_LOGIN))
    assert not logged_in(client)
    # One count for both forms: the site's login is locked as well.
    assert is_lockout(log_in(client, "editor"))
    assert not logged_in(client)


def test_failures_on_both_forms_add_up(client, editor):
    fail(client, "editor", LIMIT - 1, path=ADMIN_LOGIN)
    assert is_lockout(log_in(client, "editor", "wrong-password"))
    assert is_lockout(log_in(client, "editor", path=ADMIN_LOGIN))


def test_other_users_and_other_addresses_are_unaffected(client, editor, viewer):
    fail(client, "editor", LIMIT)
    assert is_lockout(log_in(client, "editor"))

    assert log_in(client, "viewer").status_code == 302
    assert logged_in(client)
    client.logout()
    # The same account from another computer.
    assert log_in(client, "editor", address=ELSEWHERE).status_code == 302
    assert logged_in(client)


def test_a_forged_forwarded_for_header_does_not_reset_the_count(client, editor):
    """Only the connection's address counts: a header the client chooses would give it endless tries."""
    for n in range(LIMIT):
        log_in(client, "editor", "wrong-password", **{"X-Forwarded-For": f"203.0.113.{n}", "X-Real-IP": f"10.0.0.{n}"})
    assert is_lockout(log_in(client, "editor", **{"X-Forwarded-For": "203.0.113.200"}))


def move_attempts_back(by):
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - by)


def test_the_lockout_lasts_the_cool_off_time(client, editor):
    fail(client, "editor", LIMIT)
    move_attempts_back(settings.AXES_COOLOFF_TIME - timedelta(minutes=1))

    assert is_lockout(log_in(client, "editor"))
    assert not logged_in(client)


def test_after_the_cool_off_the_right_password_works_again(client, editor):
    fail(client, "editor", LIMIT)
    assert is_lockout(log_in(client, "editor"))
    move_attempts_back(settings.AXES_COOLOFF_TIME + timedelta(seconds=1))

    response = log_in(client, "editor")

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert logged_in(client)


def test_a_successful_login_resets_the_count(client, editor):
    fail(client, "editor", LIMIT - 1)
    assert log_in(client, "editor").status_code == 302
    client.logout()

    # Without the reset, the next failure would be the one too many.
    assert fail(client, "editor", LIMIT - 1) == [200] * (LIMIT - 1)
    assert log_in(client, "editor").status_code == 302
    assert logged_in(client)


def test_the_lockout_is_told_plainly_without_an_error_page(client, editor):
    fail(client, "editor", LIMIT)
    response = log_in(client, "editor")
    assert response.status_code == 429
    html = response.content.decode()
    assert "<h1>Too many failed logins</h1>" in html
    assert 'role="alert"' in html
    assert reverse("login") in html


@pytest.mark.parametrize("path", [SITE_LOGIN, ADMIN_LOGIN])
def test_a_username_too_long_to_record_is_refused_not_a_server_error(client, path):
    """Django's login form limits the username's length only in the browser; the failure record (django-axes) holds
    255 characters, and PostgreSQL refuses more (SQLite stores anything)."""
    client.raise_request_exception = False
    response = client.post(path, {"username": "u" * 300, "password": "wrong-password"}, REMOTE_ADDR=HOME)
    assert response.status_code == 200
    assert b"Ensure this value has at most 150 characters (it has 300)." in response.content


# Password rules


@pytest.mark.parametrize(
    "password",
    ["short1!", "password123", "qwertyuiop", "81726354908172", "editor1234"],
    ids=["too short", "common", "common keyboard run", "all digits", "like the username"],
)
def test_weak_passwords_are_refused(editor, password):
    with pytest.raises(ValidationError):
        validate_password(password, user=editor)


def test_a_good_password_passes(editor):
    validate_password("correct horse battery staple 42", user=editor)


def test_the_password_change_form_refuses_a_weak_password(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("admin:password_change"),
        {"old_password": PASSWORDS["editor"], "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    assert b"This password is too common." in response.content
    assert b"This password is entirely numeric." in response.content
    editor.refresh_from_db()
    assert editor.check_password(PASSWORDS["editor"])


def test_the_password_change_form_takes_a_good_password(client, editor):
    client.force_login(editor)
    new = "correct horse battery staple 42"
    response = client.post(
        reverse("admin:password_change"),
        {"old_password": PASSWORDS["editor"], "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    editor.refresh_from_db()
    assert editor.check_password(new)
