import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from factcheck.models import Article, Claim, ClaimLink, Source

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def claim(make_claim):
    return make_claim("The army is loyal to the president", "The army is loyal.")


@pytest.fixture
def other(claim):
    """A claim in another article, by another speaker, made after `claim` (so with a higher id)."""
    outlet = Source.objects.create(name="El País", kind=Source.Kind.OUTLET)
    guaido = Source.objects.create(name="Juan Guaidó", kind=Source.Kind.PERSON)
    article = Article.objects.create(
        title="Interview with the opposition leader", outlet=outlet, body="The military is split, he said."
    )
    return Claim.objects.create(
        article=article,
        quote="The military is split",
        quote_start=0,
        quote_end=21,
        statement="The military is divided.",
        speaker=guaido,
    )


def link_url(claim):
    return reverse("claim_link_create", args=[claim.pk])


def candidates_of(html):
    """The ids of the claims offered to link, in order."""
    region = html[html.index('<fieldset id="candidates"') : html.index("</fieldset>")]
    return [int(part.split('"', 1)[0]) for part in region.split('name="to_claim" value="')[1:]]


# Creating a link


def assert_next_poll_finds_nothing_new(client, claim, html):
    """The fresh list carries the digest of what it shows: its next poll answers 204, swapping nothing."""
    shown = re.search(r'id="link-list"[^>]*hx-vals=\'\{"shown": "([0-9a-f]{16})"\}\'', html)[1]
    poll = client.get(
        reverse("claim_detail", args=[claim.pk]), {"shown": shown}, headers={**HTMX, "HX-Target": "link-list"}
    )
    assert poll.status_code == 204


def test_linking_with_htmx_answers_with_the_fresh_links(client, editor, claim, other):
    client.force_login(editor)
    response = client.post(
        link_url(claim), {"to_claim": other.pk, "kind": "contradicts", "reason": " Loyal or split? "}, headers=HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<section id="links"')
    assert "Links (1)" in html
    assert '<h3 class="kind-heading kind-contradicts">Contradicts</h3>' in html
    assert f'<a href="/claims/{other.pk}/">The military is divided.</a>' in html
    assert "Juan Guaidó</a> · El País ·" in html
    assert '<p class="reason">Loyal or split?</p>' in html
    assert "linked by editor" in html
    assert "Link added." in html
    assert_next_poll_finds_nothing_new(client, claim, html)
    link = ClaimLink.objects.get()
    assert (link.from_claim, link.to_claim, link.kind, link.reason) == (claim, other, "contradicts", "Loyal or split?")
    assert link.created_by == editor


def test_linking_without_htmx_goes_back_to_the_claim_page(client, editor, claim, other):
    client.force_login(editor)
    response = client.post(link_url(claim), {"to_claim": other.pk, "kind": "supports", "reason": ""})
    assert response["Location"] == f"/claims/{claim.pk}/"
    assert ClaimLink.objects.filter(from_claim=claim, to_claim=other, kind="supports", reason="").exists()
    html = client.get(response["Location"]).content.decode()
    assert "Link added." in html
    assert "The military is divided." in html


def test_linking_without_htmx_answers_303_see_other(client, editor, claim, other):
    client.force_login(editor)
    response = client.post(link_url(claim), {"to_claim": other.pk, "kind": "supports"})
    assert response.status_code == 303


@pytest.mark.parametrize("kind", ["contradicts", "repeats"])
def test_a_symmetric_link_is_stored_once_whichever_side_it_is_made_from(client, editor, claim, other, kind):
    client.force_login(editor)
    response = client.post(link_url(other), {"to_claim": claim.pk, "kind": kind, "reason": "Why"}, headers=HTMX)
    assert response.status_code == 200
    assert "The army is loyal." in response.content.decode()
    link = ClaimLink.objects.get()
    assert (link.from_claim, link.to_claim) == (claim, other)
    response = client.post(link_url(claim), {"to_claim": other.pk, "kind": kind, "reason": "Why"}, headers=HTMX)
    assert response.status_code == 422
    assert "These claims are already linked this way." in response.content.decode()
    assert ClaimLink.objects.count() == 1


def test_support_keeps_its_direction(client, editor, claim, other):
    client.force_login(editor)
    html = client.post(link_url(other), {"to_claim": claim.pk, "kind": "supports"}, headers=HTMX).content.decode()
    assert '<h3 class="kind-heading kind-supports">Supports</h3>' in html
    link = ClaimLink.objects.get()
    assert (link.from_claim, link.to_claim) == (other, claim)
    html = client.get(reverse("claim_detail", args=[claim.pk])).content.decode()
    assert '<h3 class="kind-heading kind-supported_by">Supported by</h3>' in html


def test_a_claim_can_be_linked_to_the_same_claim_in_other_ways(client, editor, claim, other):
    client.force_login(editor)
    claim.link(other, "contradicts", reason="Differ")
    response = client.post(link_url(claim), {"to_claim": other.pk, "kind": "supports"}, headers=HTMX)
    assert response.status_code == 200
    assert ClaimLink.objects.count() == 2


BAD_LINKS = {
    # name: (made from the newer claim of the two?, what the form says, the message expected)
    "contradiction without reason": (False, {"reason": "  "}, "Say why these claims contradict each other."),
    "contradiction without reason, from the newer claim": (True, {"reason": ""}, "Say why these claims contradict"),
    "unknown kind": (False, {"kind": "refutes"}, "Select a valid choice. refutes is not one of the available choices."),
    "unknown claim": (False, {"to_claim": "2000000000"}, "That claim does not exist (any more). Search again."),
    "missing claim": (False, {"to_claim": ""}, "Choose the claim to link: search for it above."),
    "claim id not a number": (False, {"to_claim": "seven"}, "Enter a whole number."),
}


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize("from_newer, change, message", BAD_LINKS.values(), ids=BAD_LINKS.keys())
def test_a_bad_link_shows_the_form_again_with_a_clear_message(
    client, editor, claim, other, from_newer, change, message, htmx
):
    start, target = (other, claim) if from_newer else (claim, other)
    client.force_login(editor)
    data = {"to_claim": target.pk, "kind": "contradicts", "reason": "A reason", **change}
    response = client.post(link_url(start), data, **({"headers": HTMX} if htmx else {}))
    assert response.status_code == 422
    html = response.content.decode()
    assert ("<html" in html) is not htmx
    assert 'id="links"' in html
    assert message in html
    assert "Constraint" not in html
    assert ClaimLink.objects.count() == 0


@pytest.mark.parametrize("kind", ["contradicts", "supports", "repeats"])
def test_a_claim_cannot_be_linked_to_itself(client, editor, claim, kind):
    client.force_login(editor)
    response = client.post(link_url(claim), {"to_claim": claim.pk, "kind": kind, "reason": "Same"}, headers=HTMX)
    assert response.status_code == 422
    html = response.content.decode()
    assert "A claim cannot be linked to itself." in html
    assert "Constraint" not in html
    assert ClaimLink.objects.count() == 0


@pytest.mark.parametrize("kind", ["contradicts", "supports", "repeats"])
@pytest.mark.parametrize("reverse_side", [False, True], ids=["same direction", "other direction"])
def test_a_duplicate_link_is_refused(client, editor, claim, other, kind, reverse_side):
    claim.link(other, kind, reason="First")
    start, target = (other, claim) if reverse_side else (claim, other)
    client.force_login(editor)
    response = client.post(link_url(start), {"to_claim": target.pk, "kind": kind, "reason": "Again"}, headers=HTMX)
    if kind == "supports" and reverse_side:
        assert response.status_code == 200  # the other claim supporting this one is another link
        assert ClaimLink.objects.count() == 2
        return
    assert response.status_code == 422
    assert "These claims are already linked this way." in response.content.decode()
    assert ClaimLink.objects.get().reason == "First"


def test_a_bad_link_keeps_what_was_typed_and_chosen(client, editor, claim, other):
    client.force_login(editor)
    data = {"to_claim": other.pk, "kind": "contradicts", "reason": "", "q": "split"}
    html = client.post(link_url(claim), data, headers=HTMX).content.decode()
    assert f'<input type="radio" name="to_claim" value="{other.pk}" checked>' in html
    assert 'name="q" value="split"' in html
    assert '<option value="contradicts" selected>contradicts</option>' in html


def test_the_search_button_shows_candidates_and_keeps_the_reason(client, editor, claim, other):
    client.force_login(editor)
    data = {"action": "search", "q": "Guaidó", "kind": "supports", "reason": "Half-typed reason"}
    for options in ({}, {"headers": HTMX}):
        response = client.post(link_url(claim), data, **options)
        assert response.status_code == 200
        html = response.content.decode()
        assert ("<html" in html) is not bool(options)
        assert 'id="links"' in html
        assert candidates_of(html) == [other.pk]
        assert ">\nHalf-typed reason</textarea>" in html
        assert '<option value="supports" selected>supports</option>' in html
        assert 'name="q" value="Guaidó"' in html
        assert "errorlist" not in html
    assert ClaimLink.objects.count() == 0


def test_linking_by_get_is_not_allowed(client, editor, claim):
    client.force_login(editor)
    assert client.get(link_url(claim)).status_code == 405


def test_a_viewer_may_not_link_claims(client, viewer, claim, other):
    client.force_login(viewer)
    data = {"to_claim": other.pk, "kind": "contradicts", "reason": "Differ"}
    assert client.post(link_url(claim), data).status_code == 403
    assert client.post(link_url(claim), data, headers=HTMX).status_code == 403
    assert client.post(link_url(claim), {**data, "action": "search"}).status_code == 403
    assert ClaimLink.objects.count() == 0


def test_an_anonymous_user_is_sent_to_log_in_to_link(client, claim, other):
    response = client.post(link_url(claim), {"to_claim": other.pk, "kind": "supports"})
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={link_url(claim)}"
    assert ClaimLink.objects.count() == 0


def test_linking_without_csrf_token_is_refused(editor, claim, other):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    data = {"to_claim": other.pk, "kind": "supports"}
    assert client.post(link_url(claim), data).status_code == 403
    assert client.post(link_url(claim), data, headers=HTMX).status_code == 403
    assert ClaimLink.objects.count() == 0


def test_linking_from_an_unknown_claim_is_not_found(client, editor, claim):
    client.force_login(editor)
    assert client.post(link_url(Claim(pk=2_000_000_000)), {"to_claim": claim.pk, "kind": "supports"}).status_code == 404


# Searching for a claim to link


def candidates_url(claim):
    return reverse("claim_link_candidates", args=[claim.pk])


@pytest.mark.parametrize(
    "query",
    ["military is DIVIDED", "is split", "guaidó", "opposition leader"],
    ids=["statement", "quote", "speaker", "article"],
)
def test_candidates_are_found_by_statement_quote_speaker_and_article(client, viewer, claim, other, query):
    client.force_login(viewer)
    response = client.get(candidates_url(claim), {"q": query}, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<fieldset id="candidates"')
    assert candidates_of(html) == [other.pk]
    assert "<strong>The military is divided.</strong>" in html
    assert "Juan Guaidó · Interview with the opposition leader" in html


def test_candidates_leave_out_the_claim_itself_and_claims_already_linked(client, editor, claim, other, make_claim):
    linked_to = make_claim("Opposition leaders said", "Army: linked from here")
    linked_from = make_claim("the army is not loyal", "Army: linked to here")
    free = make_claim("a minister said", "Army: not linked yet")
    claim.link(linked_to, "contradicts", reason="Differ")
    linked_from.link(claim, "supports")
    client.force_login(editor)
    html = client.get(candidates_url(claim), {"q": "army"}, headers=HTMX).content.decode()
    assert candidates_of(html) == [free.pk]
    html = client.get(candidates_url(linked_to), {"q": "army"}, headers=HTMX).content.decode()
    assert claim.pk not in candidates_of(html)
    assert set(candidates_of(html)) == {linked_from.pk, free.pk}


def test_candidates_say_when_nothing_matches_or_nothing_was_asked(client, viewer, claim, other):
    client.force_login(viewer)
    html = client.get(candidates_url(claim), {"q": "Atlantis"}, headers=HTMX).content.decode()
    assert candidates_of(html) == []
    assert "No other claim matches “Atlantis”." in html
    html = client.get(candidates_url(claim), {"q": "  "}, headers=HTMX).content.decode()
    assert candidates_of(html) == []
    assert "Search above to find the claim to link." in html


def test_candidates_are_at_most_ten_newest_first(client, viewer, claim, make_claim):
    made = [make_claim("army", f"Army claim {n}") for n in range(12)]
    client.force_login(viewer)
    html = client.get(candidates_url(claim), {"q": "Army claim"}, headers=HTMX).content.decode()
    assert candidates_of(html) == [c.pk for c in reversed(made)][:10]


def test_candidates_without_htmx_go_to_the_claim_page_search(client, viewer, claim, other):
    client.force_login(viewer)
    response = client.get(candidates_url(claim), {"q": "split"})
    assert response.status_code == 302
    assert response["Location"] == f"/claims/{claim.pk}/?q=split#link-a-claim"


def test_candidates_without_htmx_keep_the_whole_search(client, viewer, claim):
    client.force_login(viewer)
    query = "Padrino & Maduro #2 50%"
    location = urlsplit(client.get(candidates_url(claim), {"q": query})["Location"])
    assert location.path == f"/claims/{claim.pk}/"
    assert parse_qs(location.query) == {"q": [query]}
    assert location.fragment == "link-a-claim"


def test_candidates_of_an_unknown_claim_are_not_found(client, viewer):
    client.force_login(viewer)
    assert client.get(candidates_url(Claim(pk=2_000_000_000)), {"q": "x"}, headers=HTMX).status_code == 404


# Removing a link


@pytest.fixture
def link(claim, other, editor):
    return claim.link(other, "contradicts", by=editor, reason="Loyal or split?")


def delete_url(link):
    return reverse("link_delete", args=[link.pk])


def test_removing_asks_for_confirmation_first(client, editor, link, claim, other):
    client.force_login(editor)
    response = client.get(delete_url(link), {"claim": other.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Remove this link?</h1>" in html
    assert f'<p class="pair-statement"><a href="{claim.get_absolute_url()}">The army is loyal.</a></p>' in html
    assert f'<p class="pair-statement"><a href="{other.get_absolute_url()}">The military is divided.</a></p>' in html
    assert "<p>Loyal or split?</p>" in html
    assert f'<form method="post" action="{delete_url(link)}"' in html
    assert f'<input type="hidden" name="claim" value="{other.pk}">' in html
    assert f'<a class="button secondary" href="/claims/{other.pk}/">Keep it</a>' in html
    assert ClaimLink.objects.count() == 1


def test_removing_with_htmx_answers_with_the_links_without_it(client, editor, link, claim, other, make_claim):
    kept = make_claim("a minister said", "A minister said it")
    claim.link(kept, "supports")
    client.force_login(editor)
    response = client.post(delete_url(link), {"claim": claim.pk}, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<section id="links"')
    assert "Link removed." in html
    assert "Links (1)" in html
    assert "The military is divided." not in html
    assert "A minister said it" in html
    assert_next_poll_finds_nothing_new(client, claim, html)
    assert list(ClaimLink.objects.values_list("to_claim", flat=True)) == [kept.pk]


def test_removing_from_the_other_claims_page_answers_with_that_claims_links(client, editor, link, other):
    client.force_login(editor)
    html = client.post(delete_url(link), {"claim": other.pk}, headers=HTMX).content.decode()
    assert f'action="/claims/{other.pk}/links/new"' in html
    assert "Links (0)" in html


def test_removing_without_htmx_goes_back_to_the_claim_page(client, editor, link, other):
    client.force_login(editor)
    response = client.post(delete_url(link), {"claim": other.pk})
    assert response["Location"] == f"/claims/{other.pk}/"
    assert ClaimLink.objects.count() == 0
    assert "Link removed." in client.get(response["Location"]).content.decode()


def test_removing_without_htmx_answers_303_see_other(client, editor, link, claim):
    client.force_login(editor)
    assert client.post(delete_url(link), {"claim": claim.pk}).status_code == 303


def test_a_viewer_may_not_remove_a_link(client, viewer, link, claim):
    client.force_login(viewer)
    assert client.get(delete_url(link), {"claim": claim.pk}).status_code == 403
    assert client.post(delete_url(link), {"claim": claim.pk}).status_code == 403
    assert client.post(delete_url(link), {"claim": claim.pk}, headers=HTMX).status_code == 403
    assert ClaimLink.objects.count() == 1


def test_an_anonymous_user_is_sent_to_log_in_to_remove_a_link(client, link, claim):
    response = client.post(delete_url(link), {"claim": claim.pk})
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={delete_url(link)}"
    assert ClaimLink.objects.count() == 1


def test_removing_without_csrf_token_is_refused(editor, link, claim):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.post(delete_url(link), {"claim": claim.pk}).status_code == 403
    assert client.post(delete_url(link), {"claim": claim.pk}, headers=HTMX).status_code == 403
    assert ClaimLink.objects.count() == 1


def test_removing_an_unknown_link_is_not_found(client, editor):
    client.force_login(editor)
    assert client.post(delete_url(ClaimLink(pk=2_000_000_000)), {"claim": 1}).status_code == 404


# Query counts


@pytest.fixture
def targets(claim):
    """Fresh claims to link to, one per request the query-count check makes."""
    article = Article.objects.create(title="Targets", body="Target one. Target two. Target three.")
    return iter(
        [
            Claim.objects.create(
                article=article,
                quote=quote,
                quote_start=start,
                quote_end=start + len(quote),
                statement=quote,
                speaker=claim.speaker,
            )
            for quote, start in [("Target one.", 0), ("Target two.", 12), ("Target three.", 24)]
        ]
    )


def test_linking_with_htmx_query_count_does_not_grow_with_the_data(
    client, editor, claim, targets, grow_corpus, fixed_queries
):
    client.force_login(editor)
    count = fixed_queries(
        lambda: client.post(
            link_url(claim), {"to_claim": next(targets).pk, "kind": "contradicts", "reason": "R"}, headers=HTMX
        ),
        lambda: grow_corpus(claim=claim),
    )
    assert count == 28


def test_a_bad_link_with_htmx_query_count_does_not_grow_with_the_data(
    client, editor, claim, other, grow_corpus, fixed_queries
):
    client.force_login(editor)
    count = fixed_queries(
        lambda: client.post(link_url(claim), {"to_claim": other.pk, "kind": "contradicts"}, headers=HTMX),
        lambda: grow_corpus(claim=claim),
        status=422,
    )
    assert count == 22


def test_the_search_button_query_count_does_not_grow_with_the_data(client, editor, claim, grow_corpus, fixed_queries):
    client.force_login(editor)
    data = {"action": "search", "q": "Grown", "kind": "supports", "reason": ""}
    count = fixed_queries(lambda: client.post(link_url(claim), data, headers=HTMX), grow_corpus)
    assert count == 12


def test_candidates_query_count_does_not_grow_with_the_data(client, editor, claim, grow_corpus, fixed_queries):
    client.force_login(editor)
    count = fixed_queries(lambda: client.get(candidates_url(claim), {"q": "Grown"}, headers=HTMX), grow_corpus)
    assert count == 8


def test_removal_page_query_count_does_not_grow_with_the_data(client, editor, link, claim, grow_corpus, fixed_queries):
    client.force_login(editor)
    url = delete_url(link)
    assert fixed_queries(lambda: client.get(url, {"claim": claim.pk}), lambda: grow_corpus(claim=claim)) == 5


def test_removing_with_htmx_query_count_does_not_grow_with_the_data(
    client, editor, claim, targets, grow_corpus, fixed_queries
):
    links = iter([claim.link(target, "supports") for target in targets])
    client.force_login(editor)
    count = fixed_queries(
        lambda: client.post(delete_url(next(links)), {"claim": claim.pk}, headers=HTMX),
        lambda: grow_corpus(claim=claim),
    )
    assert count == 15  # with the link's notifications, deleted with it


def test_a_bad_link_without_javascript_comes_back_on_the_whole_claim_page(client, editor, claim, other):
    claim.comments.create(author=editor, body="Is the army split?")
    client.force_login(editor)
    response = client.post(link_url(claim), {"to_claim": other.pk, "kind": "contradicts", "reason": ""})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Say why these claims contradict each other." in html
    assert "Discussion (1)" in html and "Is the army split?" in html
    assert '<h2 id="history-heading">History</h2>' in html
    assert ClaimLink.objects.count() == 0
