"""Notifications: each writer (assign, Claim.link, Comment.post, a verdict changed on the claim edit page) tells the
owners, never the one who did it, once each; the list, marking read, and the header's polled unread count."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from factcheck.models import ClaimLink, Comment, Notification

from .conftest import HTMX

pytestmark = pytest.mark.django_db


@pytest.fixture
def third(db, colleague):
    user = User.objects.create_user("ben", password="pw-ben-12345", first_name="Ben")
    user.groups.add(*colleague.groups.all())
    return user


def told(user):
    return list(Notification.objects.filter(recipient=user).values_list("verb", flat=True))


# The writers


def test_assigning_tells_the_assignee_once_and_never_the_actor(editor, colleague, claim):
    claim.assign(colleague, by=editor, seen_version=claim.version)
    claim.assign(colleague, due_on=None, by=editor, seen_version=claim.version)  # the same assignee: nothing new
    claim.assign(editor, by=editor, seen_version=claim.version)  # oneself: nothing
    assert told(colleague) == ["assigned"]
    assert told(editor) == []


def test_linking_tells_the_owners_of_both_claims_once_each(editor, colleague, third, claim, other):
    claim.assign(colleague, by=editor, seen_version=claim.version)
    other.created_by = colleague  # an owner of both claims
    other.save()
    other.assign(third, by=editor, seen_version=other.version)
    Notification.objects.all().delete()
    claim.link(other, ClaimLink.Kind.SUPPORTS, by=third)
    assert told(colleague) == ["linked"]
    assert told(editor) == ["linked"]  # created the claim
    assert told(third) == []  # made the link
    assert "Ben linked your claim" in Notification.objects.get(recipient=colleague).message


def test_commenting_tells_the_owners_never_the_author(editor, colleague, claim, link):
    claim.assign(colleague, by=editor, seen_version=claim.version)
    Notification.objects.all().delete()
    Comment.post(claim, "Is this sourced?", by=colleague)
    assert told(editor) == ["commented"] and told(colleague) == []
    Comment.post(link, "Agreed.", by=colleague)  # the link's owner: who made it
    assert told(editor) == ["commented", "commented"]


def test_a_verdict_changed_on_the_edit_page_tells_the_owners(client, editor, colleague, claim):
    claim.assign(colleague, by=editor, seen_version=claim.version)
    Notification.objects.all().delete()
    client.force_login(colleague)
    data = {"statement": claim.statement, "verdict": "false", "verdict_note": "", "version": claim.version}
    data.update({"kind": claim.kind, "claimed_on_precision": claim.claimed_on_precision})
    response = client.post(reverse("claim_edit", args=[claim.pk]), data)
    assert response.status_code == 303, response.content.decode()[:2000]
    assert told(editor) == ["verdict"] and told(colleague) == []
    assert "Unreviewed → False" in Notification.objects.get(recipient=editor).message
    # A change that keeps the verdict tells nobody.
    data.update({"statement": "The army is loyal, he said.", "version": claim.version + 1})
    assert client.post(reverse("claim_edit", args=[claim.pk]), data).status_code == 303
    assert told(editor) == ["verdict"]


# The list and marking read


def notify(user, about, by, n=1):
    for number in range(n):
        Notification.send([user.pk], "commented", about=about, by=by, says=f"commented {number}")


def test_the_list_marks_the_unread(client, editor, colleague, claim):
    notify(colleague, claim, editor, 2)
    Notification.mark_read(colleague, [Notification.objects.filter(recipient=colleague).earliest("pk").pk])
    client.force_login(colleague)
    response = client.get(reverse("notification_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html
    assert html.count('class="badge-unread">Unread<') == 1
    assert "Eda commented 1" in html and "Eda commented 0" in html
    fragment = client.get(reverse("notification_list"), headers=HTMX).content.decode()
    assert "<html" not in fragment and fragment.lstrip().startswith('<section id="notification-list"')


def test_the_list_is_paginated_and_mine_only(client, editor, colleague, claim):
    notify(colleague, claim, editor, 25)
    notify(editor, claim, colleague, 1)
    client.force_login(colleague)
    html = client.get(reverse("notification_list")).content.decode()
    assert "Page 1 of 2" in html and "commented 24" in html and "Ana" not in html.split("<main")[1]
    assert "commented 0" in client.get(reverse("notification_list"), {"page": 2}).content.decode()


def test_marking_one_read(client, editor, colleague, claim):
    notify(colleague, claim, editor, 2)
    first, second = Notification.objects.filter(recipient=colleague).order_by("pk")
    client.force_login(colleague)
    response = client.post(reverse("notifications_read"), {"id": first.pk}, headers=HTMX)
    assert response.status_code == 200
    assert response["HX-Trigger"] == '{"notifications-changed": {}}'
    assert "<html" not in response.content.decode()
    assert list(Notification.objects.filter(recipient=colleague).unread()) == [second]
    # By the query string too, and without htmx: back to the list.
    response = client.post(reverse("notifications_read") + f"?id={second.pk}&page=1")
    assert response.status_code == 303 and response["Location"] == reverse("notification_list") + "?page=1"
    assert not Notification.objects.unread().exists()


def test_marking_all_read_and_never_someone_elses(client, editor, colleague, claim):
    notify(colleague, claim, editor, 3)
    notify(editor, claim, colleague, 1)
    theirs = Notification.objects.get(recipient=editor)
    client.force_login(colleague)
    assert client.post(reverse("notifications_read"), {"id": theirs.pk}).status_code == 303
    assert Notification.objects.filter(pk=theirs.pk).unread().exists()
    assert client.post(reverse("notifications_read")).status_code == 303
    assert not Notification.objects.filter(recipient=colleague).unread().exists()
    assert Notification.objects.filter(pk=theirs.pk).unread().exists()


def test_marking_a_bad_id_is_refused(client, colleague):
    client.force_login(colleague)
    response = client.post(reverse("notifications_read"), {"id": "²"})
    assert response.status_code == 422
    assert "nothing was marked read" in response.content.decode()


def test_marking_read_needs_the_csrf_token(colleague):
    client = Client(enforce_csrf_checks=True)
    client.force_login(colleague)
    assert client.post(reverse("notifications_read")).status_code == 403


# The header's count


def test_the_pages_do_not_count_but_load_the_count(client, editor, colleague, claim):
    notify(colleague, claim, editor, 3)
    client.force_login(colleague)
    html = client.get(reverse("my_work")).content.decode()
    header = html[html.index('id="notification-count"') : html.index("</span>", html.index('id="notification-count"'))]
    assert 'hx-trigger="load, every' in header and '"shown": ""' in header
    assert ">Notifications</a>" in header


def test_the_count_poll_answers_the_count_then_204_while_unchanged(client, editor, colleague, claim):
    notify(colleague, claim, editor, 3)
    client.force_login(colleague)
    url = reverse("notification_count")
    response = client.get(url, {"shown": ""}, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert "Notifications <strong>(3 unread)</strong>" in html
    assert '"shown": "3"' in html and "load," not in html
    assert "no-cache" in response["Cache-Control"] and "HX-Request" in response["Vary"]
    assert client.get(url, {"shown": "3"}, headers=HTMX).status_code == 204
    notify(colleague, claim, editor, 1)
    assert "(4 unread)" in client.get(url, {"shown": "3"}, headers=HTMX).content.decode()
    Notification.mark_read(colleague)
    html = client.get(url, {"shown": "4"}, headers=HTMX).content.decode()
    assert ">Notifications</a>" in html and '"shown": "0"' in html


def test_the_count_without_htmx_is_the_notifications_page(client, colleague):
    client.force_login(colleague)
    response = client.get(reverse("notification_count"))
    assert response.status_code == 200 and "<h1>Notifications</h1>" in response.content.decode()


def test_the_count_costs_one_query(client, editor, colleague, claim, django_assert_num_queries):
    notify(colleague, claim, editor, 3)
    client.force_login(colleague)
    with django_assert_num_queries(3):  # session, user, the count
        assert client.get(reverse("notification_count"), {"shown": "3"}, headers=HTMX).status_code == 204


@pytest.mark.parametrize("htmx", [False, True])
def test_the_list_query_count_is_fixed(client, editor, colleague, claim, fixed_queries, htmx):
    client.force_login(colleague)
    notify(colleague, claim, editor, 2)
    count = fixed_queries(
        lambda: client.get(reverse("notification_list"), headers=HTMX if htmx else None),
        lambda: notify(colleague, claim, editor, 40),
    )
    # session, user, (the permissions, 2, for the page's menu), the count of the pages, the page
    assert count == (4 if htmx else 6)


def test_the_count_keeps_the_link_current_on_the_notifications_page(client, colleague):
    client.force_login(colleague)
    url = reverse("notification_count")
    on_list = {**HTMX, "HX-Current-URL": "http://testserver" + reverse("notification_list")}
    assert 'aria-current="page"' in client.get(url, headers=on_list).content.decode()
    elsewhere = {**HTMX, "HX-Current-URL": "http://testserver" + reverse("my_work")}
    assert 'aria-current="page"' not in client.get(url, headers=elsewhere).content.decode()
