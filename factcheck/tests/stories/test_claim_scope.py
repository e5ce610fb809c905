import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.urls import reverse

from factcheck.models import Article, ClaimTag, EditConflict, Event, Story, Tag
from factcheck.models.stories import set_scope

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(article, editor):
    story = Story.objects.create(title="Venezuela coup plots, 2018-19")
    story.add_article(article, by=editor)
    return story


@pytest.fixture
def uprising(story):
    return Event.objects.create(story=story, name="30 April uprising")


@pytest.fixture
def elsewhere(db):
    """An event of a story the claim's article is not in."""
    return Event.objects.create(story=Story.objects.create(title="Elsewhere"), name="Another moment")


@pytest.fixture
def claim(make_claim):
    return make_claim("The army is loyal to the president")


@pytest.fixture
def url(claim):
    return reverse("claim_scope", args=[claim.pk])


def scope(claim):
    claim.refresh_from_db()
    return claim.event, sorted(claim.tags.values_list("name", flat=True)), claim.version


def test_scope_form_offers_the_events_of_the_article_stories(client, editor, url, uprising, elsewhere):
    client.force_login(editor)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<option value="{uprising.pk}">Venezuela coup plots, 2018-19 — 30 April uprising</option>' in html
    assert "Another moment" not in html
    assert '<input type="hidden" name="version" value="1"' in html


def test_saving_sets_the_event_and_makes_the_tags(client, editor, claim, url, uprising):
    client.force_login(editor)
    data = {"event": uprising.pk, "tags": " Russia ,military   loyalty,, russia", "version": 1}
    response = client.post(url, data)
    assert response.status_code == 303
    assert response["Location"] == f"/claims/{claim.pk}/#scope"
    assert scope(claim) == (uprising, ["Russia", "military loyalty"], 2)
    assert claim.history.first().history_user == editor
    html = client.get(response["Location"]).content.decode()
    assert "Event and tags saved." in html
    assert f'<a href="/stories/{uprising.story_id}/#event-{uprising.pk}">30 April uprising</a>' in html
    assert "<dd>military loyalty, Russia</dd>" in html


def test_a_tag_is_reused_whatever_its_case(client, editor, claim, url):
    Tag.objects.create(name="Russia")
    client.force_login(editor)
    assert client.post(url, {"event": "", "tags": "RUSSIA", "version": 1}).status_code == 303
    assert list(Tag.objects.values_list("name", flat=True)) == ["Russia"]
    assert scope(claim)[1] == ["Russia"]


def test_saving_again_replaces_the_tags_and_clears_the_event(client, editor, claim, url, uprising):
    set_scope(claim, uprising, ["Russia", "amnesty"], by=editor, seen_version=1)
    client.force_login(editor)
    html = client.get(url).content.decode()
    assert 'value="amnesty, Russia"' in html
    assert client.post(url, {"event": "", "tags": "amnesty, deaths", "version": 2}).status_code == 303
    assert scope(claim) == (None, ["amnesty", "deaths"], 3)
    assert Tag.objects.filter(name="Russia").exists()  # kept for other claims
    assert ClaimTag.history.filter(history_type="-").get().history_user == editor


def test_an_event_of_another_story_is_refused(client, editor, claim, url, elsewhere):
    client.force_login(editor)
    response = client.post(url, {"event": elsewhere.pk, "tags": "Russia", "version": 1})
    assert response.status_code == 422
    assert "event" in response.context["form"].errors
    assert scope(claim) == (None, [], 1)
    assert not Tag.objects.exists()


def test_the_writer_refuses_an_event_of_another_story(editor, claim, elsewhere):
    with pytest.raises(ValidationError):
        set_scope(claim, elsewhere, ["Russia"], by=editor, seen_version=1)
    assert scope(claim) == (None, [], 1)


def test_a_tag_too_long_is_refused_at_the_field(client, editor, claim, url):
    client.force_login(editor)
    response = client.post(url, {"event": "", "tags": "x" * 61, "version": 1})
    assert response.status_code == 422
    assert "A tag is at most 60 characters" in response.context["form"].errors["tags"][0]
    assert not Tag.objects.exists()


def test_a_stale_version_is_refused_with_both_versions(client, editor, claim, url, uprising):
    colleague = User.objects.create_user("ben", first_name="Ben")
    colleague.groups.add(Group.objects.get(name="Editors"))
    set_scope(claim, None, ["Russia"], by=colleague, seen_version=1)
    client.force_login(editor)
    response = client.post(url, {"event": uprising.pk, "tags": "amnesty", "version": 1})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Ben saved a newer version while you were editing." in html
    assert "<td>(empty)</td><td>30 April uprising</td>" in html
    assert "<td>Russia</td><td>amnesty</td>" in html
    assert 'name="version" value="2"' in html
    assert scope(claim) == (None, ["Russia"], 2)
    assert not Tag.objects.filter(name="amnesty").exists()


def test_the_writer_saves_nothing_over_a_stale_version(editor, claim, uprising):
    set_scope(claim, None, ["Russia"], by=editor, seen_version=1)
    with pytest.raises(EditConflict):
        set_scope(claim, uprising, ["amnesty"], by=editor, seen_version=1)
    assert scope(claim) == (None, ["Russia"], 2)


def test_a_claim_in_no_story_can_still_be_tagged(client, editor, speaker):
    article = Article.objects.create(title="Alone", body="A report in no story.")
    claim = article.claims.create(quote="A report", quote_start=0, statement="A report.", speaker=speaker)
    client.force_login(editor)
    url = reverse("claim_scope", args=[claim.pk])
    assert "in no story with events yet" in client.get(url).content.decode()
    assert client.post(url, {"tags": "lonely", "version": 1}).status_code == 303
    assert scope(claim)[1] == ["lonely"]


def test_claim_page_shows_the_event_and_tags_and_offers_editors_to_edit(client, editor, viewer, claim, uprising):
    set_scope(claim, uprising, ["Russia"], by=editor, seen_version=1)
    client.force_login(viewer)
    html = client.get(claim.get_absolute_url()).content.decode()
    assert "30 April uprising" in html and "<dd>Russia</dd>" in html
    assert f"/claims/{claim.pk}/scope" not in html
    client.force_login(editor)
    assert f'href="/claims/{claim.pk}/scope">Edit' in client.get(claim.get_absolute_url()).content.decode()


def test_viewers_may_not_scope_a_claim(client, viewer, claim, url, uprising):
    client.force_login(viewer)
    assert client.get(url).status_code == 403
    assert client.post(url, {"event": uprising.pk, "tags": "x", "version": 1}).status_code == 403
    assert scope(claim) == (None, [], 1)


@pytest.mark.parametrize("awkward", ["\x00", "a\x00b", "9" * 30, "9" * 5000, "-1", "²", " ", "%_", "<b>x</b>"])
def test_awkward_input_is_refused_or_saved_never_a_server_error(client, editor, claim, url, awkward):
    client.force_login(editor)
    for data in (
        {"event": awkward, "tags": "Russia", "version": 1},
        {"event": "", "tags": awkward, "version": 1},
        {"event": "", "tags": "Russia", "version": awkward},
    ):
        response = client.post(url, data)
        assert response.status_code in (303, 409, 422), data
        claim.refresh_from_db()
        if response.status_code == 303:
            set_scope(claim, None, [], seen_version=claim.version)  # back to where it was, for the next


def test_too_many_tags_are_refused(client, editor, claim, url):
    client.force_login(editor)
    response = client.post(url, {"event": "", "tags": ",".join(f"tag {n}" for n in range(50)), "version": 1})
    assert response.status_code == 422
    assert not Tag.objects.exists()
