"""Handing out a review: the form (htmx or its own page), who may be picked (those who may edit), a due date, over
the version seen; the assignee told in the app and by e-mail, once the change is committed."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse

from factcheck.models import Claim, ClaimLink, Notification

from .conftest import HTMX

pytestmark = pytest.mark.django_db


def assignment_url(item):
    kind = "link" if isinstance(item, ClaimLink) else "claim"
    return reverse(f"{kind}_assignment", args=[item.pk])


def assign(client, item, assignee, due_on="", *, version=None, headers=None, **extra):
    data = {"assignee": assignee.pk if assignee else "", "due_on": due_on, **extra}
    data["version"] = item.version if version is None else version
    return client.post(assignment_url(item), data, headers=headers)


def test_the_form_lists_those_who_may_edit(client, editor, viewer, superuser, colleague, claim):
    User.objects.create_user("gone", first_name="Gone").groups.add(*editor.groups.all())
    User.objects.filter(username="gone").update(is_active=False)
    client.force_login(editor)
    response = client.get(assignment_url(claim))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html
    picker = html[html.index('name="assignee"') : html.index("</select>", html.index('name="assignee"'))]
    assert ">Nobody<" in picker
    assert "Ana Reyes (ana)" in picker and "Eda (editor)" in picker and ">root<" in picker
    assert "viewer" not in picker and "Gone" not in picker


def test_the_form_with_htmx_is_the_review_block(client, editor, claim):
    client.force_login(editor)
    html = client.get(assignment_url(claim), headers=HTMX).content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<section id="assignment"')
    assert 'name="due_on"' in html


def test_assigning_with_htmx_answers_the_block_and_tells_the_assignee(client, editor, colleague, claim):
    client.force_login(editor)
    response = assign(client, claim, colleague, "2030-05-01", headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Assigned to Ana Reyes, due 1 May 2030." in html
    assert 'name="due_on"' not in html  # the form is closed
    claim.refresh_from_db()
    assert claim.assignee == colleague and claim.due_on == datetime.date(2030, 5, 1)
    [notification] = Notification.objects.filter(recipient=colleague)
    assert notification.verb == "assigned" and notification.actor == editor and notification.claim == claim
    assert "Eda assigned you the claim “The army is loyal.”, due 1 May 2030" == notification.message


def test_assigning_without_htmx_goes_back_to_the_claim_or_the_board(client, editor, colleague, claim, story):
    client.force_login(editor)
    response = assign(client, claim, colleague)
    assert response.status_code == 303 and response["Location"] == claim.get_absolute_url()
    board = reverse("story_board", args=[story.pk]) + "?assignee=me"
    response = assign(client, Claim.objects.get(pk=claim.pk), editor, next=board)
    assert response.status_code == 303 and response["Location"] == board
    response = assign(client, Claim.objects.get(pk=claim.pk), None, next="https://elsewhere.example/")
    assert response["Location"] == claim.get_absolute_url()
    assert Claim.objects.get(pk=claim.pk).assignee is None


def test_a_link_is_assigned_the_same_way(client, editor, colleague, link):
    client.force_login(editor)
    assert assign(client, link, colleague).status_code == 303
    link.refresh_from_db()
    assert link.assignee == colleague
    assert Notification.objects.get(recipient=colleague).link == link


def test_a_stale_version_is_a_conflict_showing_both(client, editor, colleague, superuser, claim):
    seen = claim.version
    claim.assign(superuser, due_on=datetime.date(2030, 1, 2), by=superuser, seen_version=seen)
    client.force_login(editor)
    response = assign(client, claim, colleague, "2030-05-01", version=seen, headers=HTMX)
    assert response.status_code == 409
    html = response.content.decode()
    assert "root changed this claim while you were choosing" in html
    assert "Now: root, due 2 January 2030." in html
    assert "Your choice, kept below: Ana Reyes, due 1 May 2030." in html
    assert f'name="version" value="{seen + 1}"' in html
    assert Claim.objects.get(pk=claim.pk).assignee == superuser


def test_bad_input_is_the_form_again(client, editor, viewer, claim):
    client.force_login(editor)
    response = assign(client, claim, viewer, "not a date")
    assert response.status_code == 422
    html = response.content.decode()
    assert "Select a valid choice" in html and "Enter a valid date" in html
    assert Claim.objects.get(pk=claim.pk).assignee is None


def test_viewers_may_not_assign(client, viewer, colleague, claim, link):
    client.force_login(viewer)
    assert client.get(assignment_url(claim)).status_code == 403
    assert assign(client, claim, colleague).status_code == 403
    assert assign(client, link, colleague, headers=HTMX).status_code == 403


def test_the_claim_and_link_pages_show_the_review_block(client, editor, viewer, colleague, claim, link):
    claim.assign(colleague, due_on=datetime.date(2020, 1, 1), by=editor, seen_version=claim.version)
    client.force_login(editor)
    html = client.get(claim.get_absolute_url()).content.decode()
    block = html[html.index('<section id="assignment"') :]
    block = block[: block.index("</section>")]
    assert "Ana Reyes" in block and "Overdue:" in block and "To check" in block
    assert "Assign or set the due date" in block and 'id="review-move"' in block
    html = client.get(link.get_absolute_url()).content.decode()
    assert '<section id="assignment"' in html and "Nobody" in html
    client.force_login(viewer)
    html = client.get(claim.get_absolute_url()).content.decode()
    assert '<section id="assignment"' in html and "Assign or set the due date" not in html


# E-mail


def test_an_assignment_emails_the_assignee_with_an_address(
    client, editor, colleague, claim, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.FACTCHECK_SITE_URL = "https://factcheck.example.org"
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        assign(client, claim, colleague)
    [mail] = mailoutbox
    assert mail.to == ["ana@example.org"]
    assert "Eda assigned you the claim" in mail.subject
    assert f"https://factcheck.example.org{claim.get_absolute_url()}" in mail.body


def test_no_email_for_an_assignee_without_an_address(
    client, editor, claim, mailoutbox, django_capture_on_commit_callbacks
):
    assert editor.email == ""
    other = User.objects.create_superuser("boss", password="pw-boss-12345")
    other.email = ""
    other.save()
    client.force_login(other)
    with django_capture_on_commit_callbacks(execute=True):
        assign(client, claim, editor)
    assert mailoutbox == []
    assert Notification.objects.filter(recipient=editor).count() == 1


def test_nothing_is_sent_when_the_change_is_rolled_back(editor, colleague, claim, mailoutbox):
    with pytest.raises(RuntimeError), transaction.atomic():
        claim.assign(colleague, by=editor, seen_version=claim.version)
        raise RuntimeError("a later step failed")
    assert mailoutbox == []
    assert not Notification.objects.exists()
    assert Claim.objects.get(pk=claim.pk).assignee is None


# Queries


@pytest.mark.parametrize("htmx", [False, True])
def test_the_form_query_count_is_fixed(client, editor, claim, grow_story, fixed_queries, htmx):
    client.force_login(editor)
    count = fixed_queries(lambda: client.get(assignment_url(claim), headers=HTMX if htmx else None), grow_story)
    assert count == 6


def test_assigning_query_count_is_fixed(client, editor, colleague, claim, grow_story, fixed_queries):
    client.force_login(editor)
    days = iter(range(1, 10))
    count = fixed_queries(
        lambda: assign(client, Claim.objects.get(pk=claim.pk), colleague, f"2030-01-0{next(days)}", headers=HTMX),
        grow_story,
    )
    assert count == 19
