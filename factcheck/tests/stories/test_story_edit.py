import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from factcheck.models import Article, Claim, Event, Story, StoryArticle

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def story(editor):
    return Story.objects.create(title="Venezuela coup plots, 2018-19", summary="Who plotted.", created_by=editor)


@pytest.fixture
def other_article(db):
    return Article.objects.create(title="Exiles abandoned a plan to enter by force", body="Exiles and an aid convoy.")


def edit_data(story, **fields):
    story.refresh_from_db(fields=["version"])
    return {"title": "Coup plots in Venezuela", "summary": "Plots, 2018-19.", "version": story.version, **fields}


def test_new_story_form_is_offered_to_editors(client, editor):
    client.force_login(editor)
    response = client.get(reverse("story_new"))
    assert response.status_code == 200
    assert "<h1>New story</h1>" in response.content.decode()


def test_making_a_story_goes_on_to_its_articles_and_events(client, editor):
    client.force_login(editor)
    response = client.post(reverse("story_new"), {"title": "Aid convoy", "summary": "At the border."})
    story = Story.objects.get()
    assert response.status_code == 303
    assert response["Location"] == f"/stories/{story.pk}/edit"
    assert (story.title, story.summary, story.created_by, story.version) == ("Aid convoy", "At the border.", editor, 1)
    assert story.history.get().history_user == editor
    html = client.get(response["Location"]).content.decode()
    assert "Story made" in html and 'id="articles"' in html and 'id="events"' in html


def test_a_title_taken_in_any_case_is_refused_at_the_field(client, editor, story):
    client.force_login(editor)
    response = client.post(reverse("story_new"), {"title": "VENEZUELA coup plots, 2018-19"})
    assert response.status_code == 422
    assert response.context["form"].errors == {"title": ["A story with this title exists."]}
    assert Story.objects.count() == 1


def test_a_blank_title_is_refused(client, editor):
    client.force_login(editor)
    response = client.post(reverse("story_new"), {"title": "  "})
    assert response.status_code == 422
    assert "title" in response.context["form"].errors
    assert not Story.objects.exists()


def test_viewers_may_not_make_or_edit_stories(client, viewer, story):
    client.force_login(viewer)
    assert client.get(reverse("story_new")).status_code == 403
    assert client.post(reverse("story_new"), {"title": "Mine"}).status_code == 403
    assert client.post(reverse("story_edit", args=[story.pk]), edit_data(story)).status_code == 403
    assert not Story.objects.filter(title="Mine").exists()


def test_edit_page_shows_the_story_its_articles_and_events(client, editor, story, article):
    story.add_article(article, by=editor)
    Event.objects.create(story=story, name="30 April uprising", description="At La Carlota.")
    client.force_login(editor)
    html = client.get(reverse("story_edit", args=[story.pk])).content.decode()
    assert 'name="title" value="Venezuela coup plots, 2018-19"' in html
    assert '<input type="hidden" name="version" value="1" id="id_version">' in html
    assert f'<a href="/articles/{article.pk}/">Army loyal?</a>' in html
    assert "30 April uprising" in html and "No date given" in html
    assert f'href="/stories/{story.pk}/events/new">New event</a>' in html


def test_saving_changes_the_story_and_bumps_its_version(client, editor, story):
    client.force_login(editor)
    response = client.post(reverse("story_edit", args=[story.pk]), edit_data(story))
    assert response.status_code == 303
    assert response["Location"] == f"/stories/{story.pk}/edit"
    story.refresh_from_db()
    assert (story.title, story.summary, story.version) == ("Coup plots in Venezuela", "Plots, 2018-19.", 2)


def test_a_stale_version_is_refused_with_both_versions(client, editor, story):
    colleague = User.objects.create_user("ben", first_name="Ben")
    colleague.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    opened = edit_data(story)
    story.title = "Their title"
    story._history_user = colleague
    story.save_over(1)
    response = client.post(reverse("story_edit", args=[story.pk]), opened)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Ben saved a newer version while you were editing." in html
    assert "<td>Their title</td><td>Coup plots in Venezuela</td>" in html
    assert 'name="version" value="2"' in html
    story.refresh_from_db()
    assert (story.title, story.version) == ("Their title", 2)


def test_adding_an_article_answers_htmx_with_the_articles_section(client, editor, story, article):
    client.force_login(editor)
    response = client.post(reverse("story_articles", args=[story.pk]), {"article": article.pk}, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<section id="articles"')
    assert "“Army loyal?” added to the story." in html
    assert f'id="story-article-{article.pk}"' in html
    membership = StoryArticle.objects.get()
    assert (membership.story, membership.article, membership.added_by) == (story, article, editor)


def test_adding_an_article_without_htmx_goes_back_to_the_edit_page(client, editor, story, article):
    client.force_login(editor)
    response = client.post(reverse("story_articles", args=[story.pk]), {"action": "add", "article": article.pk})
    assert response.status_code == 303
    assert response["Location"] == f"/stories/{story.pk}/edit#articles"
    assert "“Army loyal?” added to the story." in client.get(response["Location"]).content.decode()
    assert list(story.articles.all()) == [article]


def test_adding_an_article_twice_keeps_one(client, editor, story, article):
    story.add_article(article, by=editor)
    client.force_login(editor)
    response = client.post(reverse("story_articles", args=[story.pk]), {"article": article.pk}, headers=HTMX)
    assert "That article is in the story already." in response.content.decode()
    assert StoryArticle.objects.count() == 1


@pytest.mark.parametrize("chosen", ["", "999999", "abc"])
def test_adding_without_a_known_article_says_so(client, editor, story, chosen):
    client.force_login(editor)
    url = reverse("story_articles", args=[story.pk])
    response = client.post(url, {"action": "add", "article": chosen}, headers=HTMX)
    assert response.status_code == 422
    assert "Choose an article in the list." in response.content.decode()
    response = client.post(url, {"action": "add", "article": chosen})
    assert response.status_code == 422
    assert "<html" in response.content.decode()
    assert not StoryArticle.objects.exists()


def test_find_shows_the_matching_articles_to_choose_from_without_javascript(
    client, editor, story, article, other_article
):
    client.force_login(editor)
    url = reverse("story_articles", args=[story.pk])
    response = client.post(url, {"action": "find", "article-find": "exiles"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html
    assert f'<option value="{other_article.pk}">Exiles abandoned a plan to enter by force</option>' in html
    assert f'<option value="{article.pk}">' not in html
    assert not StoryArticle.objects.exists()


def test_the_type_ahead_is_the_article_picker(client, editor, story, other_article):
    client.force_login(editor)
    html = client.get(reverse("story_edit", args=[story.pk])).content.decode()
    assert 'hx-get="/pick/articles"' in html
    options = client.get("/pick/articles", {"name": "article", "article-find": "exiles"}).content.decode()
    assert f'<option value="{other_article.pk}">Exiles abandoned' in options


def test_removing_an_article_takes_its_claims_out_of_the_story_events(client, editor, story, article, make_claim):
    story.add_article(article, by=editor)
    event = Event.objects.create(story=story, name="30 April uprising")
    claim = make_claim("The army is loyal to the president")
    Claim.objects.filter(pk=claim.pk).update(event=event)
    client.force_login(editor)
    url = reverse("story_articles", args=[story.pk])
    response = client.post(url, {"action": "remove", "article": article.pk}, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "“Army loyal?” taken out of the story." in html and "No articles yet." in html
    assert not StoryArticle.objects.exists()
    claim.refresh_from_db()
    assert (claim.event, claim.version) == (None, 2)
    assert StoryArticle.history.filter(history_type="-").get().history_user == editor


def test_removing_without_htmx_goes_back_to_the_edit_page(client, editor, story, article):
    story.add_article(article, by=editor)
    client.force_login(editor)
    response = client.post(reverse("story_articles", args=[story.pk]), {"action": "remove", "article": article.pk})
    assert response.status_code == 303
    assert not story.articles.exists()


def test_viewers_may_not_change_a_story_articles(client, viewer, story, article):
    client.force_login(viewer)
    url = reverse("story_articles", args=[story.pk])
    assert client.post(url, {"article": article.pk}).status_code == 403
    assert not StoryArticle.objects.exists()


def test_the_articles_endpoint_only_takes_posts(client, editor, story):
    client.force_login(editor)
    assert client.get(reverse("story_articles", args=[story.pk])).status_code == 405


def test_it_refuses_a_post_without_its_csrf_token(editor, story, article):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.post(reverse("story_articles", args=[story.pk]), {"article": article.pk}).status_code == 403
    assert not StoryArticle.objects.exists()


def test_edit_page_query_count_does_not_grow_with_the_data(client, editor, story, fixed_queries):
    client.force_login(editor)

    def grow():
        for n in range(10):
            story.add_article(Article.objects.create(title=f"Grown {n}", body=f"Text {n}"), by=editor)
            Event.objects.create(story=story, name=f"Grown event {n}")

    fixed_queries(lambda: client.get(reverse("story_edit", args=[story.pk])), grow)


@pytest.mark.parametrize("awkward", ["\x00", "9" * 30, "9" * 5000, "-1", "²", "%_"])
def test_awkward_input_is_never_a_server_error(client, editor, story, awkward):
    client.force_login(editor)
    url = reverse("story_articles", args=[story.pk])
    for data in ({"action": awkward, "article": awkward}, {"action": "find", "article-find": awkward}):
        for headers in (None, HTMX):
            assert client.post(url, data, headers=headers).status_code < 500
    for data in ({"title": awkward, "summary": awkward, "version": awkward}, {"title": awkward, "version": 1}):
        assert client.post(reverse("story_edit", args=[story.pk]), data).status_code in (303, 409, 422)
        assert client.post(reverse("story_new"), data).status_code in (303, 409, 422)
