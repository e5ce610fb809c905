"""A claim keeps its number: a claim added earlier in the text takes the next number and renumbers nobody, on the
page of the editor who adds it and on a colleague's page refreshed by its live poll."""

import re

import pytest
from django.urls import reverse

from factcheck.models import Claim

from .test_article_detail import ArticleText

pytestmark = pytest.mark.django_db

EARLIER = "The army is loyal to the president"


def numbers_in_list(html):
    """{claim pk: number} as the claim list beside the text shows them."""
    found = re.findall(r'<a href="/claims/(\d+)/"[^>]*><span class="number">(\d+)\.</span>', html)
    return {int(pk): int(number) for pk, number in found}


def numbers_in_text(html):
    """{claim pk: number} as the numbered links in the article text show them."""
    return {int(ref["href"].split("/")[2]): int(ref["number"]) for ref in ArticleText(html).refs}


@pytest.fixture
def later_claims(make_claim):
    """Two claims, both after the passage the test then quotes."""
    return [make_claim("army is not loyal"), make_claim("Opposition leaders")]


def add_earlier_claim(client, article, speaker, headers=None):
    data = {
        "quote": EARLIER,
        "quote_start": article.body.index(EARLIER),
        "statement": "The army backs the president.",
        "speaker_name": f"{speaker.name} ({speaker.get_kind_display()})",
        "new_speaker_kind": "person",
        "claimed_on": "",
    }
    return client.post(reverse("claim_create", args=[article.pk]), data, headers=headers)


def test_claims_are_numbered_in_the_order_they_were_made(later_claims):
    assert [claim.number for claim in later_claims] == [1, 2]


def test_a_claim_added_earlier_in_the_text_takes_the_next_number_and_renumbers_nobody(
    client, editor, article, speaker, later_claims
):
    client.force_login(editor)
    url = article.get_absolute_url()
    before = client.get(url).content.decode()
    expected = {claim.pk: claim.number for claim in later_claims}
    assert numbers_in_list(before) == numbers_in_text(before) == expected

    assert add_earlier_claim(client, article, speaker).status_code == 303

    added = Claim.objects.get(article=article, quote=EARLIER)
    assert added.quote_start < min(claim.quote_start for claim in later_claims)
    assert added.number == 3
    after = client.get(url).content.decode()
    assert numbers_in_list(after) == numbers_in_text(after) == {**expected, added.pk: 3}
    # The list still runs in the order of the text: the new claim first, with its own number.
    assert list(numbers_in_list(after)) == [added.pk, later_claims[1].pk, later_claims[0].pk]
    assert f'<span class="number">3.</span> {added.statement}</a>' in after


def test_the_editor_adding_a_claim_by_htmx_sees_every_number_kept(client, editor, article, speaker, later_claims):
    client.force_login(editor)
    response = add_earlier_claim(client, article, speaker, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    added = Claim.objects.get(article=article, quote=EARLIER)
    expected = {**{claim.pk: claim.number for claim in later_claims}, added.pk: 3}
    assert numbers_in_list(html) == numbers_in_text(html) == expected


def test_a_colleagues_live_refresh_keeps_every_number(client, editor, viewer, article, speaker, later_claims):
    """The colleague's page polls its regions; after the new claim, each region comes back with the same numbers."""
    client.force_login(viewer)
    url = article.get_absolute_url()
    page = client.get(url).content.decode()
    shown = re.search(r'"shown": "(\w+)"', page).group(1)
    expected = {claim.pk: claim.number for claim in later_claims}

    client.force_login(editor)
    assert add_earlier_claim(client, article, speaker).status_code == 303
    added = Claim.objects.get(article=article, quote=EARLIER)

    client.force_login(viewer)
    text = client.get(url, {"shown": shown}, headers={"HX-Request": "true", "HX-Target": "article-text"})
    claim_list = client.get(url, {"shown": shown}, headers={"HX-Request": "true", "HX-Target": "claim-list"})
    assert text.status_code == claim_list.status_code == 200
    assert "<html" not in text.content.decode() and "<html" not in claim_list.content.decode()
    assert numbers_in_text(text.content.decode()) == {**expected, added.pk: 3}
    assert numbers_in_list(claim_list.content.decode()) == {**expected, added.pk: 3}
    assert "Claims in this article (3)" in claim_list.content.decode()


def test_a_deleted_claim_leaves_a_gap_rather_than_renumbering(client, viewer, article, make_claim):
    first, second, third = make_claim("army is not loyal"), make_claim("Opposition leaders"), make_claim(EARLIER)
    second.delete()
    client.force_login(viewer)
    html = client.get(article.get_absolute_url()).content.decode()
    assert numbers_in_list(html) == {third.pk: 3, first.pk: 1}
    assert make_claim("a minister said").number == 4
