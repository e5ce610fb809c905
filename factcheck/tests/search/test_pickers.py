"""The type-ahead pickers of the claim list's filters: type a few letters, choose in the list."""

import json
import re

import pytest
from django.urls import reverse

from factcheck.models import Article, Source

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}
OPTION = re.compile(r'<option value="(\d*)"( selected)?>([^<]*)</option>')


@pytest.fixture
def sources(db):
    return {
        "guaido": Source.objects.create(name="Juan Guaidó", kind=Source.Kind.PERSON),
        "carlos": Source.objects.create(name="Don Juan Carlos", kind=Source.Kind.PERSON),
        "padrino": Source.objects.create(
            name="Vladimir Padrino", kind=Source.Kind.GOVERNMENT, description="Juan's rival"
        ),
        "pais": Source.objects.create(name="El País", kind=Source.Kind.OUTLET, description="Spanish daily"),
        "juan_radio": Source.objects.create(name="Radio Juan", kind=Source.Kind.OUTLET),
    }


def options(response):
    """The options of the list, as (value, selected, label)."""
    assert response.status_code == 200
    return [(value, bool(selected), label) for value, selected, label in OPTION.findall(response.content.decode())]


def pick(client, what, find="", **params):
    return client.get(reverse(f"pick_{what}"), {"find": find, **params}, headers=HTMX)


def test_typing_part_of_a_name_offers_the_sources_so_named_those_starting_with_it_first(client, viewer, sources):
    client.force_login(viewer)
    response = pick(client, "source", "juan", name="speaker", any="Any speaker")
    assert options(response) == [
        ("", False, "Any speaker"),
        (str(sources["guaido"].pk), False, "Juan Guaidó (Person)"),
        (str(sources["carlos"].pk), False, "Don Juan Carlos (Person)"),
        (str(sources["juan_radio"].pk), False, "Radio Juan (Outlet)"),
    ]
    assert "<html" not in response.content.decode()


def test_a_source_is_offered_by_its_name_only_not_its_description(client, viewer, sources):
    client.force_login(viewer)
    assert [label for _, _, label in options(pick(client, "source", "rival"))] == ["Any"]
    assert [label for _, _, label in options(pick(client, "source", "padrino"))] == [
        "Any",
        "Vladimir Padrino (Government body)",
    ]


def test_the_current_choice_stays_chosen_and_is_not_offered_twice(client, viewer, sources):
    client.force_login(viewer)
    guaido = str(sources["guaido"].pk)
    found = options(pick(client, "source", "juan", name="speaker", speaker=guaido))
    assert found[:2] == [("", False, "Any"), (guaido, True, "Juan Guaidó (Person)")]
    assert [value for value, _, _ in found].count(guaido) == 1
    assert len(found) == 4
    # Typing words the choice does not match keeps it too: the filter must not change under the user.
    assert options(pick(client, "source", "padrino", name="speaker", speaker=guaido)) == [
        ("", False, "Any"),
        (guaido, True, "Juan Guaidó (Person)"),
        (str(sources["padrino"].pk), False, "Vladimir Padrino (Government body)"),
    ]
    # Nothing typed: the choice alone.
    assert options(pick(client, "source", "", name="speaker", speaker=guaido)) == [
        ("", False, "Any"),
        (guaido, True, "Juan Guaidó (Person)"),
    ]


def test_the_outlet_picker_offers_outlets_only(client, viewer, sources):
    client.force_login(viewer)
    assert options(pick(client, "outlet", "juan", name="outlet")) == [
        ("", False, "Any"),
        (str(sources["juan_radio"].pk), False, "Radio Juan"),
    ]
    assert options(pick(client, "outlet", "", name="outlet", outlet=sources["guaido"].pk)) == [("", False, "Any")]


def test_the_article_picker_offers_articles_by_title_newest_first(client, viewer):
    old = Article.objects.create(title="Army loyal?", body="One.", published_on="2019-01-05")
    new = Article.objects.create(title="The army splits", body="Two.", published_on="2019-05-01")
    Article.objects.create(title="Weather", body="Army drills in the rain.")
    long = Article.objects.create(title="Army " + "very " * 30 + "long title", body="Three.", published_on="2018-01-01")
    client.force_login(viewer)
    assert options(pick(client, "article", "ARMY", name="article")) == [
        ("", False, "Any"),
        (str(new.pk), False, "The army splits"),
        (str(old.pk), False, "Army loyal?"),
        (str(long.pk), False, ("Army " + "very " * 30)[:79] + "…"),
    ]


def test_at_most_twenty_are_offered(client, viewer):
    Source.objects.bulk_create(Source(name=f"Colonel {n:02}", kind=Source.Kind.PERSON) for n in range(30))
    client.force_login(viewer)
    found = options(pick(client, "source", "colonel"))
    assert len(found) == 21
    assert found[1][2] == "Colonel 00 (Person)"


def test_names_and_labels_are_shown_as_text(client, viewer):
    Source.objects.create(name="<b>Bold</b> & co", kind=Source.Kind.PERSON)
    client.force_login(viewer)
    html = pick(client, "source", "bold", any='<script>alert("x")</script>').content.decode()
    assert "<b>" not in html and "<script>" not in html
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; co (Person)" in html
    assert "&lt;script&gt;" in html


def test_the_claim_list_boxes_ask_their_pickers_for_options(client, viewer, sources):
    """Follow what the page tells htmx to ask when one types in a picker's box."""
    client.force_login(viewer)
    html = client.get(reverse("claim_list"), {"speaker": sources["guaido"].pk}).content.decode()
    assert f'<option value="{sources["guaido"].pk}" selected>Juan Guaidó (Person)</option>' in html
    for name, kind, words, expected in [
        ("speaker", "source", "padrino", "Vladimir Padrino (Government body)"),
        ("outlet", "outlet", "país", "El País"),
    ]:
        box = re.search(rf'<input type="search" id="pick-{name}-find"[^>]*>', html, re.S)[0]
        url = re.search(r'hx-get="([^"]+)"', box)[1]
        sent = json.loads(re.search(r"hx-vals='([^']+)'", box)[1])
        assert url == reverse(f"pick_{kind}")
        chosen = {name: sources["guaido"].pk} if name == "speaker" else {}
        found = options(client.get(url, {**sent, **chosen, "find": words}, headers=HTMX))
        assert found[0] == ("", False, sent["any"])
        assert found[-1][2] == expected


@pytest.mark.parametrize("path", ["/pick/people", "/pick/users", "/pick/", "/pick/sources/1"])
def test_an_unknown_picker_is_not_found(client, viewer, path):
    client.force_login(viewer)
    assert client.get(path, {"find": "juan"}, headers=HTMX).status_code == 404


@pytest.mark.parametrize("what", ["source", "outlet", "article"])
@pytest.mark.parametrize(
    "find", ["%", "_", "'", '"', "\\", "\x00juan", "juan" * 200, "Guaidó", "軍隊", "-juan", "juan OR"]
)
def test_odd_typing_answers_with_options_never_an_error(client, viewer, sources, what, find):
    client.force_login(viewer)
    assert options(pick(client, what, find, **{what: "abc"}))[0] == ("", False, "Any")


@pytest.mark.parametrize("what", ["source", "outlet", "article"])
def test_an_anonymous_user_is_sent_to_log_in(client, what):
    response = pick(client, what, "juan")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


@pytest.mark.parametrize("what", ["source", "outlet", "article"])
def test_pickers_accept_no_post(client, viewer, what):
    client.force_login(viewer)
    assert client.post(reverse(f"pick_{what}"), {"find": "juan"}).status_code == 405


def test_picker_query_count_does_not_grow_with_the_data(client, viewer, sources, grow_corpus, fixed_queries):
    client.force_login(viewer)
    chosen = {"name": "speaker", "speaker": sources["guaido"].pk}
    assert fixed_queries(lambda: pick(client, "source", "person", **chosen), grow_corpus) == 4
    assert len(options(pick(client, "source", "person", **chosen))) == 22
