import datetime
import re

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from factcheck.models import Article, Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def outlets(db):
    return {
        "reuters": Source.objects.create(name="Reuters", kind=Source.Kind.OUTLET),
        "beast": Source.objects.create(name="The Daily Beast", kind=Source.Kind.OUTLET),
    }


@pytest.fixture
def article(outlets):
    return Article.objects.create(
        title="Army loyal?",
        body="The army is loyal to the president, a minister said.",
        outlet=outlets["reuters"],
        author="J. Smith",
        url="https://example.org/army",
        published_on=datetime.date(2019, 1, 5),
    )


@pytest.fixture
def url(article):
    return reverse("article_edit", args=[article.pk])


@pytest.fixture
def colleague(db):
    user = User.objects.create_user("ben", first_name="Ben")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def edit(article, outlets):
    """The edit form's data, carrying the version the editor saw: the article's current one."""

    def data(**fields):
        article.refresh_from_db(fields=["version", "body"])
        return {
            "body": article.body,
            "title": "The army is split",
            "outlet": outlets["beast"].pk,
            "author": "A. Jones",
            "url": "https://example.org/split",
            "published_on": "2019-01-06",
            "version": article.version,
            **fields,
        }

    return data


def details(article):
    saved = Article.objects.get(pk=article.pk)
    return (saved.title, saved.outlet.name, saved.author, saved.url, saved.published_on, saved.version)


UNCHANGED = ("Army loyal?", "Reuters", "J. Smith", "https://example.org/army", datetime.date(2019, 1, 5), 1)


def test_edit_page_shows_the_form_filled_in(client, editor, url, article, outlets):
    client.force_login(editor)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Edit article</h1>" in html
    assert '<input type="hidden" name="version" value="1" id="id_version">' in html
    assert 'name="title" value="Army loyal?"' in html
    assert f'<option value="{outlets["reuters"].pk}" selected>Reuters</option>' in html
    assert 'name="author" value="J. Smith"' in html
    assert 'name="url" value="https://example.org/army"' in html
    assert 'name="published_on" value="2019-01-05"' in html


def test_edit_page_offers_only_outlets_as_the_outlet(client, editor, url, outlets, speaker):
    client.force_login(editor)
    html = client.get(url).content.decode()
    assert f'<option value="{outlets["beast"].pk}">The Daily Beast</option>' in html
    assert speaker.name not in html


def test_saving_goes_back_to_the_article_page(client, editor, url, article, edit):
    client.force_login(editor)
    response = client.post(url, edit())
    assert response.status_code == 303
    assert response["Location"] == f"/articles/{article.pk}/"
    html = client.get(response["Location"]).content.decode()
    assert "Article saved." in html
    assert "<h1>The army is split</h1>" in html


def test_saving_changes_the_details_and_bumps_the_version(client, editor, url, article, edit):
    client.force_login(editor)
    assert client.post(url, edit()).status_code == 303
    assert details(article) == (
        "The army is split",
        "The Daily Beast",
        "A. Jones",
        "https://example.org/split",
        datetime.date(2019, 1, 6),
        2,
    )


def test_saving_keeps_the_text_exactly_as_sent_with_canonical_line_breaks(client, editor, url, article, edit):
    client.force_login(editor)
    text = "  The army is loyal to the president,\r\na minister said.\r\n\r\n"
    assert client.post(url, {**edit(), "body": text}).status_code == 303
    assert Article.objects.get(pk=article.pk).body == "  The army is loyal to the president,\na minister said.\n\n"


def test_saving_is_recorded_in_the_history_with_who_and_what(client, editor, url, article, edit):
    client.force_login(editor)
    client.post(url, edit(author="J. Smith", url="https://example.org/army", published_on="2019-01-05"))
    record = article.history.latest()
    assert (record.history_type, record.history_user, record.version) == ("~", editor, 2)
    changes = record.diff_against(record.prev_record, excluded_fields=["version", "updated_at"]).changes
    assert sorted((change.field, change.old, change.new) for change in changes) == [
        ("outlet", Source.objects.get(name="Reuters").pk, Source.objects.get(name="The Daily Beast").pk),
        ("title", "Army loyal?", "The army is split"),
    ]


def test_saving_twice_in_a_row_works_with_the_new_version(client, editor, url, article, edit):
    client.force_login(editor)
    assert client.post(url, edit(title="First")).status_code == 303
    assert client.post(url, edit(title="Second")).status_code == 303
    assert details(article)[0] == "Second"
    assert details(article)[-1] == 3


@pytest.mark.parametrize(
    "change, message",
    [
        ({"title": "  "}, "This field is required."),
        ({"url": "not a web address"}, "Enter a valid URL."),
        ({"published_on": "5 January"}, "Enter a valid date."),
        ({"outlet": "999999"}, "Select a valid choice. That choice is not one of the available choices."),
        ({"version": ""}, ""),
    ],
    ids=["empty title", "bad url", "bad date", "unknown outlet", "no version"],
)
def test_bad_input_shows_the_form_again_and_changes_nothing(client, editor, url, article, edit, change, message):
    client.force_login(editor)
    response = client.post(url, edit(**change))
    assert response.status_code == 422
    html = response.content.decode()
    assert "Please correct the errors below." in html
    assert message in html
    assert details(article) == UNCHANGED
    assert article.history.count() == 1


def test_a_person_cannot_be_the_outlet(client, editor, url, article, edit, speaker):
    client.force_login(editor)
    response = client.post(url, edit(outlet=speaker.pk))
    assert response.status_code == 422
    assert "Select a valid choice." in response.content.decode()
    assert details(article) == UNCHANGED


def test_the_url_of_another_article_is_refused(client, editor, url, article, edit):
    Article.objects.create(title="Other", body="Another text.", url="https://example.org/taken")
    client.force_login(editor)
    response = client.post(url, edit(url="https://example.org/taken"))
    assert response.status_code == 422
    assert "An article with this URL is already recorded." in response.content.decode()
    assert details(article) == UNCHANGED


def test_a_stale_version_is_refused_with_both_versions_side_by_side(client, editor, colleague, url, article, edit):
    seen = edit()
    ben = Client()
    ben.force_login(colleague)
    assert ben.post(url, edit(title="Ben's title", author="Ben")).status_code == 303

    client.force_login(editor)
    response = client.post(url, {**seen, "title": "Eda's title", "author": "Eda"})

    assert response.status_code == 409
    html = response.content.decode()
    assert "Ben saved a newer version while you were editing." in html
    assert '<th scope="row">Title</th><td>Ben&#x27;s title</td><td>Eda&#x27;s title</td>' in html
    assert '<th scope="row">Author</th><td>Ben</td><td>Eda</td>' in html
    assert "Please correct the errors below." not in html
    assert 'name="title" value="Eda&#x27;s title"' in html
    assert re.findall(r'name="version" value="(\d+)"', html) == ["2"]
    assert details(article)[0] == "Ben's title"


def test_the_merged_form_saves_over_the_colleagues_version(client, editor, colleague, url, article, edit):
    seen = edit()
    ben = Client()
    ben.force_login(colleague)
    ben.post(url, edit(title="Ben's title"))
    client.force_login(editor)
    html = client.post(url, {**seen, "title": "Eda's title"}).content.decode()
    version = re.search(r'name="version" value="(\d+)"', html)[1]

    assert client.post(url, {**seen, "title": "Eda's title", "version": version}).status_code == 303
    assert details(article)[0] == "Eda's title"
    assert [record.history_user for record in article.history.order_by("history_id")] == [None, colleague, editor]


def test_a_stale_save_after_a_change_by_the_importer_still_shows_both_versions(client, editor, url, article, edit):
    seen = edit()
    article.title = "Retitled by a script"
    article.save_over(1)
    client.force_login(editor)
    response = client.post(url, seen)
    assert response.status_code == 409
    assert "A colleague saved a newer version while you were editing." in response.content.decode()


def test_a_viewer_may_not_edit_an_article(client, viewer, url, article, edit):
    client.force_login(viewer)
    assert client.get(url).status_code == 403
    assert client.post(url, edit()).status_code == 403
    assert details(article) == UNCHANGED


def test_an_anonymous_user_is_sent_to_log_in(client, url, article, edit):
    for response in (client.get(url), client.post(url, edit())):
        assert response.status_code == 302
        assert response["Location"] == f"/login/?next={url}"
    assert details(article) == UNCHANGED


def test_a_post_without_csrf_token_is_refused(editor, url, article, edit):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.post(url, edit()).status_code == 403
    assert details(article) == UNCHANGED


def test_a_post_with_the_pages_csrf_token_is_accepted(editor, url, article, edit):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', client.get(url).content.decode())[1]
    assert client.post(url, {**edit(), "csrfmiddlewaretoken": token}).status_code == 303
    assert details(article)[0] == "The army is split"


def test_an_unknown_article_is_not_found(client, editor, edit):
    client.force_login(editor)
    assert client.get(reverse("article_edit", args=[2_000_000_000])).status_code == 404
    assert client.post(reverse("article_edit", args=[2_000_000_000]), edit()).status_code == 404


def test_edit_form_query_count_does_not_grow_with_the_data(client, editor, url, article, grow_corpus, fixed_queries):
    client.force_login(editor)
    assert fixed_queries(lambda: client.get(url), lambda: grow_corpus(article=article)) == 7


def test_saving_query_count_does_not_grow_with_the_data(client, editor, url, article, edit, grow_corpus, fixed_queries):
    client.force_login(editor)
    assert fixed_queries(lambda: client.post(url, edit()), lambda: grow_corpus(article=article), status=303) == 29


def test_a_saved_title_is_shown_escaped(client, editor, url, article, edit):
    client.force_login(editor)
    client.post(url, edit(title="<b>Loyal</b> & true"))
    html = client.get(reverse("article_detail", args=[article.pk])).content.decode()
    assert "<h1>&lt;b&gt;Loyal&lt;/b&gt; &amp; true</h1>" in html
    assert "<b>Loyal</b>" not in html
