import datetime

import pytest
from django.urls import reverse

from factcheck.models import Article, Claim, Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def vesti(db):
    outlet = Source.objects.create(name="Vesti", kind=Source.Kind.OUTLET)
    return Article.objects.create(
        title="Bogdanov on the army", outlet=outlet, body="Bogdanov said the military stayed loyal by deed."
    )


@pytest.fixture
def linked(make_claim, vesti, editor, viewer):
    """A claim with one link of each kind, made by different people."""
    bogdanov = Source.objects.create(name="Mikhail Bogdanov", kind=Source.Kind.PERSON)
    claim = make_claim("The army is loyal to the president", "The army is loyal to Maduro.")
    claim.claimed_on, claim.created_by = datetime.date(2019, 5, 1), editor
    claim.save()

    def other(quote, statement, article=None):
        made = make_claim(quote, statement, in_article=article)
        made.speaker = bogdanov if article else made.speaker
        made.save()
        return made

    others = {
        "contradicts": other("Opposition leaders said the army is not loyal", "The army is not loyal."),
        "supports": other("the military stayed loyal", "The military stayed loyal.", article=vesti),
        "supported_by": other("loyal by deed", "Loyal by deed.", article=vesti),
        "repeats": other("Bogdanov said", "Bogdanov says so.", article=vesti),
    }
    claim.link(others["contradicts"], "contradicts", by=editor, reason="Loyal or not loyal")
    claim.link(others["supports"], "supports", by=viewer, reason="Same direction")
    others["supported_by"].link(claim, "supports", by=editor)
    others["repeats"].link(claim, "repeats", by=None, reason="Said again")
    return claim, others


def link_group(html, kind):
    """The list under one kind's heading on a claim page."""
    start = html.index(f'<h3 class="kind-heading kind-{kind}">')
    return html[start : html.index("</ul>", start)]


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_claim_page_shows_the_claim_with_its_quote_in_its_paragraph(client, linked, role, request):
    claim, _ = linked
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("claim_detail", args=[claim.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html
    assert '<h1 id="claim-heading">The army is loyal to Maduro.</h1>' in html
    assert "Verdict: Unreviewed" in html
    assert (
        '<blockquote class="in-context">Caracas (GPA) – <mark>The army is loyal to the president</mark>'
        ", a minister said.</blockquote>"
    ) in html
    assert f'<a href="/sources/{claim.speaker.pk}/">A minister</a> (government body)' in html
    assert f'<a href="/articles/{claim.article.pk}/">Army loyal?</a></dd>' in html
    assert "<dt>Claimed on</dt><dd>1 May 2019</dd>" in html
    assert "<dt>Marked by</dt><dd>editor," in html


def test_claim_page_shows_the_verdict_and_its_note(client, viewer, make_claim):
    claim = make_claim("army")
    claim.verdict, claim.verdict_note = Claim.Verdict.MISLEADING, "Only the top brass."
    claim.save()
    client.force_login(viewer)
    html = client.get(reverse("claim_detail", args=[claim.pk])).content.decode()
    assert '<span class="verdict verdict-misleading">Verdict: Misleading</span>' in html
    assert '<span class="verdict-note">Only the top brass.</span>' in html


def test_claim_page_groups_its_links_by_kind_and_direction(client, viewer, linked, vesti):
    claim, others = linked
    client.force_login(viewer)
    html = client.get(reverse("claim_detail", args=[claim.pk])).content.decode()
    assert "Links (4)" in html
    for kind, label in [
        ("contradicts", "Contradicts"),
        ("supports", "Supports"),
        ("supported_by", "Supported by"),
        ("repeats", "Repeats"),
    ]:
        group = link_group(html, kind)
        assert group.startswith(f'<h3 class="kind-heading kind-{kind}">{label}</h3>')
        other = others[kind]
        assert f'<a href="/claims/{other.pk}/">{other.statement}</a>' in group
        assert group.count('class="card link-item"') == 1
    assert '<p class="reason">Loyal or not loyal</p>' in link_group(html, "contradicts")
    assert "linked by editor" in link_group(html, "contradicts")
    assert "linked by viewer" in link_group(html, "supports")
    assert "linked by someone" in link_group(html, "repeats")
    supports = link_group(html, "supports")
    assert "Mikhail Bogdanov</a> · Vesti · " in supports
    assert f'<a href="/articles/{vesti.pk}/">Bogdanov on the army</a>' in supports


def test_a_link_shows_on_the_pages_of_both_its_claims(client, viewer, linked):
    claim, others = linked
    client.force_login(viewer)
    html = client.get(reverse("claim_detail", args=[others["supported_by"].pk])).content.decode()
    assert f'<a href="/claims/{claim.pk}/">The army is loyal to Maduro.</a>' in link_group(html, "supports")
    html = client.get(reverse("claim_detail", args=[others["supports"].pk])).content.decode()
    assert "The army is loyal to Maduro." in link_group(html, "supported_by")


def test_a_claim_without_links_says_so(client, viewer, make_claim):
    claim = make_claim("army")
    client.force_login(viewer)
    html = client.get(reverse("claim_detail", args=[claim.pk])).content.decode()
    assert "Links (0)" in html
    assert "No links yet." in html


def test_claim_page_offers_editors_editing_linking_and_removing(client, editor, linked):
    claim, _ = linked
    client.force_login(editor)
    html = client.get(reverse("claim_detail", args=[claim.pk])).content.decode()
    assert f'href="/claims/{claim.pk}/edit"' in html
    assert f'action="/claims/{claim.pk}/links/new"' in html
    assert 'id="link-a-claim"' in html
    assert html.count("Remove link<span") == 4
    assert "Search above to find the claim to link." in html


def test_claim_page_offers_viewers_no_changes(client, viewer, linked):
    claim, _ = linked
    client.force_login(viewer)
    html = client.get(reverse("claim_detail", args=[claim.pk])).content.decode()
    assert "/edit" not in html
    assert "/links/new" not in html
    assert "Remove link" not in html
    assert "/delete" not in html


def test_claim_page_with_a_search_shows_the_candidates(client, editor, linked, make_claim):
    claim, _ = linked
    candidate = make_claim("a minister said", "A minister said something")
    client.force_login(editor)
    html = client.get(reverse("claim_detail", args=[claim.pk]), {"q": "minister"}).content.decode()
    assert 'id="link-q" name="q" value="minister"' in html
    candidates = html[html.index('<fieldset id="candidates"') : html.index("</fieldset>")]
    assert f'<input type="radio" name="to_claim" value="{candidate.pk}">' in candidates
    assert candidates.count('type="radio"') == 1


def test_an_unknown_claim_is_not_found(client, viewer):
    client.force_login(viewer)
    assert client.get(reverse("claim_detail", args=[2_000_000_000])).status_code == 404


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_claim_page_query_count_does_not_grow_with_the_data(client, linked, grow_corpus, fixed_queries, role, request):
    claim, _ = linked
    client.force_login(request.getfixturevalue(role))
    url = reverse("claim_detail", args=[claim.pk])
    # + 2 for the attribution chain (its hops, its co-speakers)
    # + 3 for the corroboration (its supporting links, their co-speakers, the relays between them)
    # + 1 for its tags (its event comes with the claim)
    assert fixed_queries(lambda: client.get(url), lambda: grow_corpus(claim=claim)) == 10 + 2 + 3 + 1


def test_claim_page_with_a_search_query_count_does_not_grow_with_the_data(
    client, editor, linked, grow_corpus, fixed_queries
):
    claim, _ = linked
    client.force_login(editor)
    url = reverse("claim_detail", args=[claim.pk])
    # + the chain, + the corroboration, + its tags
    assert fixed_queries(lambda: client.get(url, {"q": "Grown"}), grow_corpus) == 15 + 2 + 3 + 1
