"""Keeping a story with the keyboard only: an article found with the type-ahead picker and added in place; the story's
pages pass axe and fit a phone."""

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from factcheck.models import Article, Claim, Event, Source, Story

from .helpers import assert_no_axe_violations, log_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
BODY = "Caracas (GPA) – The army is loyal to the president, a minister said.\n"


@pytest.fixture
def story(transactional_db):
    user = User.objects.create_user("eda", password="pw-editor-123")
    user.groups.add(Group.objects.get(name="Editors"))
    outlet = Source.objects.create(name="GPA", kind=Source.Kind.OUTLET)
    army = Article.objects.create(title="Army loyal?", body=BODY, outlet=outlet)
    Article.objects.create(title="Exiles abandoned a plan to enter by force", body="Exiles at the border.")
    story = Story.objects.create(title="Venezuela coup plots, 2018-19", summary="Who plotted against Maduro.")
    story.add_article(army, by=user)
    Event.objects.create(story=story, name="30 April uprising", starts_on="2019-04-30", ends_on="2019-05-01")
    speaker = Source.objects.create(name="A minister", kind=Source.Kind.GOVERNMENT)
    quote = "The army is loyal to the president"
    Claim.objects.create(
        article=army, quote=quote, quote_start=BODY.index(quote), statement="The army is loyal.", speaker=speaker
    )
    return story


def test_an_editor_adds_an_article_to_a_story_with_the_keyboard(page, live_server, story, console_errors):
    log_in(page, live_server, "eda", "pw-editor-123")
    page.goto(f"/stories/{story.pk}/edit")
    page.locator("#pick-article-find").focus()
    page.keyboard.type("exiles")
    page.keyboard.press("Enter")  # finds the titles typed
    select = page.locator("#pick-article")
    expect(select).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(select.locator("option:checked")).to_have_text("Exiles abandoned a plan to enter by force")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Add to the story")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("“Exiles abandoned a plan to enter by force” added to the story.")
    expect(page.locator("#articles-heading")).to_have_text("Articles (2)")
    assert story.articles.filter(title__startswith="Exiles").exists()
    assert_no_axe_violations(page)
    assert console_errors == []


def test_the_story_pages_pass_axe_and_fit_a_phone(new_context, live_server, story, console_errors):
    page = new_context(viewport=PHONE).new_page()
    log_in(page, live_server, "eda", "pw-editor-123")
    claim = Claim.objects.get()
    event = story.events.get()
    paths = [
        "/stories/",
        "/stories/new",
        f"/stories/{story.pk}/edit",
        f"/stories/{story.pk}/events/new",
        f"/events/{event.pk}/edit",
        f"/events/{event.pk}/delete",
        f"/claims/{claim.pk}/scope",
    ]
    for path in paths:
        assert page.goto(path).status == 200, path
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
        assert_no_axe_violations(page)
    page.goto(f"/events/{event.pk}/edit")
    page.get_by_label("Until").fill("2019-04-01")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#id_ends_on_error, .errorlist").first).to_contain_text("ends on or after the day it starts")
    assert_no_axe_violations(page)
    assert [line for line in console_errors if "status of 422" not in line] == []
