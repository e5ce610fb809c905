"""My work: the claims and links assigned to me, by column, the earliest due (the overdue) first, and my newest
notifications; nobody else's; in fixed queries."""

import datetime

import pytest
from django.urls import reverse

from factcheck.models import Notification

pytestmark = pytest.mark.django_db

URL = reverse("my_work")


def test_my_work_lists_what_is_assigned_to_me_by_column_overdue_first(client, editor, colleague, claim, other, link):
    claim.assign(colleague, due_on=datetime.date(2030, 1, 1), by=editor, seen_version=claim.version)
    other.assign(colleague, due_on=datetime.date(2020, 1, 1), by=editor, seen_version=other.version)
    link.assign(colleague, by=editor, seen_version=link.version)
    link.move("in_review", by=colleague, seen_version=link.version)
    client.force_login(colleague)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html
    to_check = html[html.index('id="mine-to_check"') : html.index("</section>", html.index('id="mine-to_check"'))]
    assert to_check.index("The army is not loyal.") < to_check.index("The army is loyal.")
    assert to_check.count("Overdue:") == 1
    assert "contradicts" in html[html.index('id="mine-in_review"') :]
    # Her notifications: three assignments, the newest first.
    latest = html[html.index('id="latest-notifications"') :]
    assert latest.count("Unread") == 3
    assert latest.index("assigned you the claim link") < latest.index("assigned you the claim “")


def test_my_work_is_mine_only(client, editor, colleague, claim):
    claim.assign(colleague, by=editor, seen_version=claim.version)
    client.force_login(editor)
    html = client.get(URL).content.decode()
    assert "Nothing is assigned to you." in html
    assert "The army is loyal." not in html


def test_viewers_have_a_page_too(client, viewer):
    client.force_login(viewer)
    response = client.get(URL)
    assert response.status_code == 200
    assert "Nothing is assigned to you." in response.content.decode()


def test_my_work_shows_only_the_newest_notifications(client, editor, colleague, claim):
    for n in range(8):
        Notification.send([colleague.pk], "commented", about=claim, by=editor, says=f"comment {n}")
    client.force_login(colleague)
    html = client.get(URL).content.decode()
    assert "comment 7" in html and "comment 3" in html and "comment 2" not in html


def test_the_my_work_query_count_is_fixed(client, colleague, claim, grow_story, fixed_queries):
    client.force_login(colleague)
    # session, user, the user's permissions (2), claims, links, notifications
    assert fixed_queries(lambda: client.get(URL), grow_story) == 7
