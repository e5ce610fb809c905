"""Login throttling (django-axes) on both login forms, the site's and the admin's, and the password rules."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db.models import F
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from factcheck.client_address import client_address

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


# Behind a proxy (DJANGO_BEHIND_PROXY: how many)

PROXY = "10.0.0.2"
ATTACKER = "203.0.113.9"
OWNER = "198.51.100.7"


def via_proxy(forwarded_for):
    """A request through the proxy: the connection comes from the proxy, which appends the client's address to
    X-Forwarded-For."""
    return {"address": PROXY, "X-Forwarded-For": forwarded_for}


def attempted_from():
    return sorted(set(AccessAttempt.objects.values_list("ip_address", flat=True)))


def test_the_client_address_is_what_axes_throttles_by():
    assert settings.AXES_CLIENT_IP_CALLABLE == "factcheck.client_address.client_address"


@override_settings(FACTCHECK_TRUSTED_PROXIES=1)
def test_behind_a_proxy_the_attacker_is_locked_out_and_the_account_owner_is_not(client, editor):
    """Every request comes from the proxy's address: throttled by that, anyone could keep anyone locked out."""
    assert fail(client, "editor", LIMIT, **via_proxy(ATTACKER))[-1] == 429
    assert is_lockout(log_in(client, "editor", **via_proxy(ATTACKER)))
    assert not logged_in(client)
    assert attempted_from() == [ATTACKER]

    owner = Client()
    assert log_in(owner, "editor", **via_proxy(OWNER)).status_code == 302
    assert logged_in(owner)
    # The owner's login resets only the owner's own count: the attacker stays locked out.
    assert is_lockout(log_in(client, "editor", **via_proxy(ATTACKER)))


@override_settings(FACTCHECK_TRUSTED_PROXIES=1)
def test_behind_a_proxy_a_forged_forwarded_for_prefix_does_not_help_the_attacker(client, editor):
    """The attacker writes whatever it likes into X-Forwarded-For; the proxy appends the real address after it."""
    for n in range(LIMIT):
        log_in(client, "editor", "wrong-password", **via_proxy(f"1.2.3.{n}, {ATTACKER}"))

    assert is_lockout(log_in(client, "editor", **via_proxy(f"{OWNER}, {ATTACKER}")))
    assert not logged_in(client)
    assert attempted_from() == [ATTACKER]


@override_settings(FACTCHECK_TRUSTED_PROXIES=0)
def test_without_a_trusted_proxy_the_forwarded_for_header_is_ignored(client, editor):
    """With no proxy in front, X-Forwarded-For is whatever the client sent: rotating it must not give endless tries."""
    for n in range(LIMIT):
        log_in(client, "editor", "wrong-password", address=ATTACKER, **{"X-Forwarded-For": f"198.51.100.{n}"})

    assert is_lockout(log_in(client, "editor", address=ATTACKER, **{"X-Forwarded-For": OWNER}))
    assert attempted_from() == [ATTACKER]


REMOTE = "192.0.2.50"


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        (0, None, REMOTE),
        (0, ATTACKER, REMOTE),
        (1, None, REMOTE),
        (1, ATTACKER, ATTACKER),
        (1, f"1.2.3.4, {ATTACKER}", ATTACKER),
        (1, f"1.2.3.4,{ATTACKER}", ATTACKER),
        (2, f"1.2.3.4, {ATTACKER}, 10.0.0.3", ATTACKER),
        (2, f"garbage, {ATTACKER}, 10.0.0.3", ATTACKER),
        (2, ATTACKER, REMOTE),
        (3, f"{ATTACKER}, 10.0.0.3", REMOTE),
        (1, "", REMOTE),
        (1, "not-an-address", REMOTE),
        (1, f"{ATTACKER}:4711", REMOTE),
        (1, f"{ATTACKER}, ", REMOTE),
        (1, f"{ATTACKER}, unknown", REMOTE),
        (1, " 2001:DB8:0::1 ", "2001:db8::1"),
    ],
    ids=[
        "no proxy, no header",
        "no proxy: the header is ignored",
        "one proxy, no header",
        "one proxy",
        "one proxy, forged prefix",
        "one proxy, no space",
        "two proxies",
        "two proxies, garbage further left",
        "two proxies, short header",
        "three proxies, short header",
        "empty header",
        "not an address",
        "address with a port",
        "empty last entry",
        "garbage last entry",
        "IPv6, one spelling",
    ],
)
def test_the_client_address_is_the_entry_the_outermost_trusted_proxy_wrote(proxies, forwarded_for, expected):
    headers = {} if forwarded_for is None else {"HTTP_X_FORWARDED_FOR": forwarded_for}
    request = RequestFactory().get("/", REMOTE_ADDR=REMOTE, **headers)
    with override_settings(FACTCHECK_TRUSTED_PROXIES=proxies):
        assert client_address(request) == expected


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
