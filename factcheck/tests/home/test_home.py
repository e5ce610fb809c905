import pytest
from django.urls import reverse

from factcheck.models import Article, Claim, ClaimLink, Source

pytestmark = pytest.mark.django_db


def between(content, start, end):
    """The part of a page from one marker to the next, to tell its sections apart."""
    text = content.decode()
    return text[text.index(start) : text.index(end, text.index(start))]


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_home_shows_the_counts(client, seeded, role, request):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("home"))
    assert response.status_code == 200
    # Counted as the contradictions page lists them: a rejected contradiction is no longer one.
    contradictions = ClaimLink.objects.filter(kind="contradicts").exclude(status="rejected").count()
    assert 0 < contradictions < ClaimLink.objects.filter(kind="contradicts").count()
    html = response.content.decode()
    assert f'<dt>Articles</dt><dd><a href="/articles/">{Article.objects.count()}</a></dd>' in html
    assert f"<dt>Claims</dt><dd>{Claim.objects.count()}</dd>" in html
    assert f'<dt>Sources</dt><dd><a href="/sources/">{Source.objects.count()}</a></dd>' in html
    assert f'<dt>Contradictions</dt><dd><a href="/contradictions/">{contradictions}</a></dd>' in html
    assert "<dd>80</dd>" in html


def test_home_on_an_empty_database_says_so(client, viewer):
    client.force_login(viewer)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert b"No open contradictions." in response.content
    assert b"No claims yet." in response.content
    assert b"No links yet." in response.content


def test_home_lists_the_six_newest_claims(client, viewer, make_claim, article):
    claims = [make_claim("army", f"Claim number {n}") for n in range(8)]
    client.force_login(viewer)
    newest = between(client.get(reverse("home")).content, 'id="claims-heading"', "</section>")
    for claim in claims[2:]:
        assert f'<a href="/claims/{claim.pk}/">{claim.statement}</a>' in newest
    for claim in claims[:2]:
        assert claim.statement not in newest
    assert "A minister · in" in newest
    assert f'<a href="/articles/{article.pk}/">Army loyal?</a>' in newest


def test_home_lists_the_newest_links_with_who_linked_them(client, viewer, editor, make_claim):
    first = make_claim("The army is loyal to the president", "The army is loyal")
    second = make_claim("the army is not loyal", "The army is not loyal")
    first.link(second, ClaimLink.Kind.CONTRADICTS, by=editor, reason="Loyal or not")
    client.force_login(viewer)
    newest = between(client.get(reverse("home")).content, 'id="links-heading"', "</section>")
    assert "The army is loyal" in newest
    assert "The army is not loyal" in newest
    assert '<span class="kind kind-contradicts">contradicts</span>' in newest
    assert "linked by editor" in newest


def test_home_lists_only_contradictions_still_awaiting_a_verdict(client, viewer, editor, make_claim):
    """An open contradiction is a proposed one: neither confirmed nor rejected yet, whatever the claims' verdicts."""
    confirmed = [make_claim("army", "Confirmed one"), make_claim("army", "Confirmed two")]
    link = confirmed[0].link(confirmed[1], ClaimLink.Kind.CONTRADICTS, reason="They differ")
    link.settle(ClaimLink.Status.CONFIRMED, by=editor, seen_version=link.version)
    rejected = [make_claim("army", "Rejected one"), make_claim("army", "Rejected two")]
    link = rejected[0].link(rejected[1], ClaimLink.Kind.CONTRADICTS, reason="They seem to differ")
    link.settle(ClaimLink.Status.REJECTED, by=editor, reason="Different years", seen_version=link.version)
    proposed = [make_claim("army", "Reviewed side"), make_claim("army", "Unreviewed side")]
    proposed[0].verdict = Claim.Verdict.MISLEADING
    proposed[0].save()
    proposed[0].link(proposed[1], ClaimLink.Kind.CONTRADICTS, reason="They differ too")
    tension = [make_claim("army", "Tension from"), make_claim("army", "Tension to")]
    tension[0].link(tension[1], ClaimLink.Kind.IN_TENSION, reason="Not quite the same")
    supporting = [make_claim("army", "Support from"), make_claim("army", "Support to")]
    supporting[0].link(supporting[1], ClaimLink.Kind.SUPPORTS)
    client.force_login(viewer)
    open_section = between(client.get(reverse("home")).content, 'id="open-heading"', "</section>")
    assert "Open contradictions" in open_section
    assert "Reviewed side" in open_section
    assert "Unreviewed side" in open_section
    assert "Confirmed" not in open_section
    assert "Rejected" not in open_section
    assert "Tension" not in open_section
    assert "Support" not in open_section


def test_home_query_count_does_not_grow_with_the_data(client, editor, make_claim, grow_corpus, fixed_queries):
    claim = make_claim("army")
    client.force_login(editor)
    count = fixed_queries(lambda: client.get(reverse("home")), lambda: grow_corpus(claim=claim))
    assert count == 17
