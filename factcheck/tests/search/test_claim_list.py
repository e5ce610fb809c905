import re
from html import unescape

import pytest
from django.urls import reverse

from factcheck import search
from factcheck.models import Article, Claim, ClaimLink, Source

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true", "HX-Target": "results"}
URL = "/claims/"


@pytest.fixture
def newsroom(say, editor):
    """Two outlets, two speakers, five claims: two contradict each other, one supports, one stands
    alone and one has lost its place in the text."""
    pais = Source.objects.create(name="El País", kind=Source.Kind.OUTLET)
    reuters = Source.objects.create(name="Reuters", kind=Source.Kind.OUTLET)
    interview = Article.objects.create(
        title="Interview with the opposition leader",
        outlet=pais,
        body="The military is divided, he said. The army will not split, the minister answered.",
    )
    report = Article.objects.create(
        title="Army stays loyal",
        outlet=reuters,
        body="The army is loyal to the president. Soldiers are deserting at the border.",
    )
    claims = {
        "divided": say(
            "The military is divided.",
            "The military is divided",
            speaker="Juan Guaidó",
            article=interview,
            verdict="false",
        ),
        "loyal": say(
            "The army is loyal to the president.",
            "The army is loyal to the president",
            speaker="Vladimir Padrino",
            article=report,
            verdict="accurate",
        ),
        "not_split": say(
            "The army will not split.", "The army will not split", speaker="Vladimir Padrino", article=interview
        ),
        "deserting": say(
            "Soldiers are deserting.",
            "Soldiers are deserting",
            speaker="Juan Guaidó",
            article=report,
            verdict="misleading",
        ),
        "lost": say(
            "Generals met in secret.", "Soldiers are deserting at the border", speaker="Juan Guaidó", article=report
        ),
    }
    Claim.objects.filter(pk=claims["lost"].pk).update(quote_start=None)
    claims["divided"].link(claims["loyal"], ClaimLink.Kind.CONTRADICTS, by=editor, reason="Divided or loyal?")
    claims["not_split"].link(claims["loyal"], ClaimLink.Kind.SUPPORTS, by=editor)
    return {
        "claims": claims,
        "pais": pais,
        "reuters": reuters,
        "interview": interview,
        "report": report,
        "guaido": Source.objects.get(name="Juan Guaidó"),
        "padrino": Source.objects.get(name="Vladimir Padrino"),
    }


CARD_TITLE = re.compile(r'class="card-title"><a href="[^"]*">(.*?)</a>', re.S)


def listed(response):
    """The statements of the claims the list shows, as read on the screen."""
    assert response.status_code == 200
    return [unescape(re.sub(r"</?mark>", "", title)) for title in CARD_TITLE.findall(response.content.decode())]


def text(page):
    """The page's words, without the tags and spaces that lay them out."""
    return " ".join(re.sub(r"<[^>]+>", "", page).split())


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_claim_list_shows_the_newest_claims_first_with_speaker_article_outlet_and_verdict(
    client, newsroom, role, request
):
    client.force_login(request.getfixturevalue(role))
    response = client.get(URL)
    assert listed(response) == [
        "Generals met in secret.",
        "Soldiers are deserting.",
        "The army will not split.",
        "The army is loyal to the president.",
        "The military is divided.",
    ]
    html = response.content.decode()
    assert "<html" in html
    assert "5 claims." in html
    loyal = newsroom["claims"]["loyal"]
    assert f'<a href="/claims/{loyal.pk}/">The army is loyal to the president.</a>' in html
    assert (
        f'<a href="/sources/{newsroom["padrino"].pk}/">Vladimir Padrino</a> · in '
        f'<a href="/articles/{newsroom["report"].pk}/">Army stays loyal</a> (Reuters) · '
        '<span class="verdict verdict-accurate">Accurate</span>'
    ) in html
    assert "Generals met in secret. Soldiers are deserting at the border" in text(html)
    assert "lost its place" in text(html)


def test_a_search_lists_the_claims_it_finds_with_the_words_marked(client, viewer, newsroom):
    client.force_login(viewer)
    response = client.get(URL, {"q": " army "})
    assert sorted(listed(response)) == ["The army is loyal to the president.", "The army will not split."]
    html = response.content.decode()
    assert "2 claims matching “army”, best matches first." in html
    assert 'name="q" value="army"' in html
    assert "The <mark>army</mark> will not split.</a>" in html
    assert "<blockquote>The <mark>army</mark> will not split</blockquote>" in html


def test_a_search_finds_claims_by_words_of_their_quote(client, viewer, newsroom):
    client.force_login(viewer)
    assert listed(client.get(URL, {"q": "border"})) == ["Generals met in secret."]


def test_a_search_that_finds_nothing_says_so(client, viewer, newsroom):
    client.force_login(viewer)
    response = client.get(URL, {"q": "Atlantis"})
    assert listed(response) == []
    html = response.content.decode()
    assert "0 claims matching “Atlantis”" in html
    assert "No claims match. Try other words or fewer filters." in html


@pytest.mark.parametrize(
    "query",
    ["-army", "!!!", '"', "OR", "- - -", "*"],
    ids=["only-left-out", "punctuation", "quote", "or", "minuses", "star"],
)
def test_a_search_with_no_word_to_look_for_lists_nothing(client, viewer, newsroom, query):
    client.force_login(viewer)
    response = client.get(URL, {"q": query})
    assert listed(response) == []
    assert "No claims match." in response.content.decode()


def filters(newsroom, **chosen):
    """Query parameters naming the newsroom's objects by their key."""
    return {name: newsroom[key].pk if name in {"speaker", "outlet", "article"} else key for name, key in chosen.items()}


@pytest.mark.parametrize(
    "chosen, expected",
    [
        ({"speaker": "guaido"}, ["Generals met in secret.", "Soldiers are deserting.", "The military is divided."]),
        ({"speaker": "padrino"}, ["The army will not split.", "The army is loyal to the president."]),
        ({"outlet": "pais"}, ["The army will not split.", "The military is divided."]),
        (
            {"outlet": "reuters"},
            ["Generals met in secret.", "Soldiers are deserting.", "The army is loyal to the president."],
        ),
        ({"article": "interview"}, ["The army will not split.", "The military is divided."]),
        ({"verdict": "misleading"}, ["Soldiers are deserting."]),
        ({"verdict": "unreviewed"}, ["Generals met in secret.", "The army will not split."]),
        ({"state": "unlinked"}, ["Generals met in secret.", "Soldiers are deserting."]),
        ({"state": "contradicted"}, ["The army is loyal to the president.", "The military is divided."]),
        ({"state": "orphaned"}, ["Generals met in secret."]),
    ],
    ids=lambda value: "-".join(f"{k}={v}" for k, v in value.items()) if isinstance(value, dict) else None,
)
def test_each_filter_narrows_the_list(client, viewer, newsroom, chosen, expected):
    client.force_login(viewer)
    response = client.get(URL, filters(newsroom, **chosen))
    assert listed(response) == expected
    assert f"{len(expected)} claim" in response.content.decode()


def test_filters_combine_with_each_other_and_with_a_search(client, viewer, newsroom):
    client.force_login(viewer)
    both = filters(newsroom, speaker="guaido", outlet="reuters")
    assert listed(client.get(URL, both)) == ["Generals met in secret.", "Soldiers are deserting."]
    assert listed(client.get(URL, {**both, "state": "unlinked", "verdict": "misleading"})) == [
        "Soldiers are deserting."
    ]
    # Said in both its statement and its quote, the one claim ranks above the other.
    assert listed(client.get(URL, {**both, "q": "soldiers"})) == ["Soldiers are deserting.", "Generals met in secret."]
    assert listed(client.get(URL, {**both, "q": "soldiers -border"})) == ["Soldiers are deserting."]
    assert listed(client.get(URL, {**filters(newsroom, state="contradicted"), "q": "army"})) == [
        "The army is loyal to the president."
    ]
    assert listed(client.get(URL, {**filters(newsroom, speaker="padrino", outlet="pais"), "q": "loyal"})) == []


def test_a_claim_is_contradicted_from_either_side_of_the_link(client, viewer, newsroom):
    ClaimLink.objects.all().delete()
    claims = newsroom["claims"]
    claims["deserting"].link(claims["divided"], ClaimLink.Kind.CONTRADICTS, reason="Who is right?")
    client.force_login(viewer)
    assert listed(client.get(URL, {"state": "contradicted"})) == ["Soldiers are deserting.", "The military is divided."]
    assert "The army will not split." in listed(client.get(URL, {"state": "unlinked"}))


def test_the_chosen_filters_stay_chosen(client, viewer, newsroom):
    client.force_login(viewer)
    chosen = filters(
        newsroom, speaker="guaido", outlet="reuters", article="report", verdict="misleading", state="unlinked"
    )
    html = client.get(URL, chosen).content.decode()
    assert f'<option value="{newsroom["guaido"].pk}" selected>Juan Guaidó (Person)</option>' in html
    assert f'<option value="{newsroom["reuters"].pk}" selected>Reuters</option>' in html
    assert f'<option value="{newsroom["report"].pk}" selected>Army stays loyal</option>' in html
    assert '<option value="misleading" selected>Misleading</option>' in html
    assert '<option value="unlinked" selected>Not linked yet</option>' in html


@pytest.mark.parametrize("name", ["speaker", "outlet", "article", "verdict", "state"])
@pytest.mark.parametrize("value", ["", "abc", "-1", "²", "0", "99999999999999999999999", "1 OR 1=1"])
def test_a_malformed_filter_is_ignored(client, viewer, newsroom, name, value):
    client.force_login(viewer)
    assert len(listed(client.get(URL, {name: value}))) == 5


def test_an_outlet_filter_naming_a_person_is_ignored(client, viewer, newsroom):
    client.force_login(viewer)
    assert len(listed(client.get(URL, {"outlet": newsroom["guaido"].pk}))) == 5


def test_the_list_pages_by_twenty_keeping_the_search_and_filters(client, viewer, newsroom, say):
    for n in range(25):
        say(f"Troops crossed the river, report {n}.", speaker="Juan Guaidó", verdict="false")
    say("Troops crossed the river, said someone else.", verdict="false")
    client.force_login(viewer)
    query = {"q": "troops", "speaker": newsroom["guaido"].pk, "verdict": "false"}
    first = client.get(URL, query)
    assert len(listed(first)) == 20
    html = first.content.decode()
    assert "25 claims matching “troops”" in html
    assert "Page 1 of 2" in html
    assert f'<a href="?q=troops&amp;speaker={newsroom["guaido"].pk}&amp;verdict=false&amp;page=2">Next</a>' in html
    second = client.get(URL, {**query, "page": 2})
    assert len(listed(second)) == 5
    assert "Page 2 of 2" in second.content.decode()
    assert set(listed(first)).isdisjoint(listed(second))
    assert "Troops crossed the river, said someone else." not in listed(first) + listed(second)
    assert len(listed(client.get(URL, {**query, "page": "999"}))) == 5
    assert len(listed(client.get(URL, {**query, "page": "x"}))) == 20


def test_a_search_matching_more_than_the_cap_says_it_shows_the_newest(client, viewer, say):
    article = Article.objects.create(title="Drills", body="A drill.")
    speaker = Source.objects.create(name="A colonel", kind=Source.Kind.PERSON)
    Claim.objects.bulk_create(
        Claim(
            article=article,
            number=n + 1,
            quote="A drill.",
            quote_start=0,
            statement=f"Drill number {n}.",
            speaker=speaker,
        )
        for n in range(search.CAP + 5)
    )
    client.force_login(viewer)
    response = client.get(URL, {"q": "drill"})
    html = response.content.decode()
    assert "More than 999 claims match “drill”: the newest 1000, best matches first." in html
    assert "Add words or filters to narrow it down." in html
    assert f"Page 1 of {search.CAP // 20}" in html
    assert "Drill number 1004." in listed(response)
    last = client.get(URL, {"q": "drill", "page": search.CAP // 20})
    assert "Drill number 0." not in listed(last)
    assert "More than" not in client.get(URL, {"q": '"drill number 7"'}).content.decode()


# htmx


def test_an_htmx_search_answers_with_the_results_only(client, viewer, newsroom):
    client.force_login(viewer)
    response = client.get(URL, {"q": "army", "speaker": newsroom["padrino"].pk}, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<section id="results"')
    assert "2 claims matching “army”" in html
    assert "The <mark>army</mark> will not split." in html
    assert "The military is divided." not in html
    assert "<form" not in html
    assert "HX-Request" in response["Vary"]


def test_the_same_search_without_htmx_answers_with_the_whole_page(client, viewer, newsroom):
    client.force_login(viewer)
    response = client.get(URL, {"q": "army"})
    html = response.content.decode()
    assert "<html" in html
    assert 'action="/claims/"' in html
    assert 'hx-target="#results"' in html
    assert '<section id="results"' in html
    assert "The <mark>army</mark> will not split." in html


def test_a_boosted_request_gets_the_whole_page(client, viewer, newsroom):
    client.force_login(viewer)
    response = client.get(URL, headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert b"<html" in response.content


def test_going_back_to_a_search_htmx_has_not_kept_gets_the_whole_page(client, viewer, newsroom):
    client.force_login(viewer)
    response = client.get(URL, {"q": "army"}, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert b"<html" in response.content


# Odd input


@pytest.mark.parametrize(
    "query",
    [
        '"army',
        'army"',
        '"army" "',
        "army*",
        "NEAR(army loyal)",
        "army AND loyal",
        "army NOT navy",
        "NOT",
        "^army",
        "statement:army",
        "army:",
        "a:*",
        "(",
        ")",
        "'",
        "\\",
        "%",
        "_",
        "\x00army",
        "army\x00",
        "Guaidó",
        "軍隊",
        "🙂",
        "army " * 100,
        "x" * 500,
        '"' * 500,
        "-" * 500,
        "army OR " * 60,
    ],
)
def test_odd_searches_answer_with_a_page_never_an_error(client, viewer, newsroom, query):
    client.force_login(viewer)
    for headers in ({}, HTMX):
        response = client.get(URL, {"q": query}, headers=headers)
        assert response.status_code == 200
        assert "claim" in response.content.decode()


def test_a_search_for_a_word_in_odd_punctuation_still_finds_it(client, viewer, newsroom):
    client.force_login(viewer)
    for query in ['"divided', "divided*", "^divided", "(divided)", "\x00divided"]:
        assert listed(client.get(URL, {"q": query})) == ["The military is divided."], query


# Access


def test_an_anonymous_user_is_sent_to_log_in(client, newsroom):
    for headers in ({}, HTMX):
        response = client.get(URL, {"q": "army"}, headers=headers)
        assert response.status_code == 302
        assert response["Location"] == reverse("login") + "?next=/claims/%3Fq%3Darmy"


def test_the_list_does_not_accept_a_post(client, viewer, newsroom):
    client.force_login(viewer)
    assert client.post(URL, {"q": "army"}).status_code == 405


# Queries


def test_claim_list_query_count_does_not_grow_with_the_data(client, viewer, newsroom, grow_corpus, fixed_queries):
    client.force_login(viewer)
    assert fixed_queries(lambda: client.get(URL), grow_corpus) == 6 + 2  # + the chains (hops, co-speakers)


def test_claim_list_search_query_count_does_not_grow_with_the_data(
    client, viewer, newsroom, grow_corpus, fixed_queries
):
    client.force_login(viewer)
    assert fixed_queries(lambda: client.get(URL, {"q": "grown OR army"}), grow_corpus) == 7 + 2  # + the chains
    assert len(listed(client.get(URL, {"q": "grown"}))) == 20


def test_claim_list_filtered_search_query_count_does_not_grow_with_the_data(
    client, viewer, newsroom, grow_corpus, fixed_queries
):
    client.force_login(viewer)
    chosen = {
        **filters(newsroom, speaker="padrino", outlet="reuters", article="report"),
        "q": "army",
        "state": "contradicted",
    }
    assert fixed_queries(lambda: client.get(URL, chosen, headers=HTMX), grow_corpus) == 7 + 2  # + the chains
