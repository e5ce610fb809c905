"""Anchors that never drift: how a change of an article's text moves each claim's quote, in the pages
and in the model; orphaned claims said plainly and placed again; check_anchors."""

import io
import random

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from factcheck.anchoring import Reanchoring, find
from factcheck.models import Article, Claim

pytestmark = pytest.mark.django_db

TEXT = (
    "Caracas – The army is loyal to the president, a minister said on Monday.\n\n"
    "Opposition leaders said the army is not loyal, and that officers had met them.\n\n"
    "The minister repeated: the army is loyal.\n"
)


@pytest.fixture
def article(db):
    return Article.objects.create(title="Army loyal?", body=TEXT)


@pytest.fixture
def claims(article, make_claim):
    return {
        "loyal": make_claim("The army is loyal to the president", in_article=article),
        "met": make_claim("officers had met them", in_article=article),
        "repeated": make_claim("the army is loyal.\n", in_article=article),
    }


def stands(claim):
    claim.refresh_from_db()
    article = Article.objects.get(pk=claim.article_id)
    return article.body[claim.quote_start : claim.quote_end] == claim.quote


def edit_page_data(article, body, **extra):
    article.refresh_from_db()
    return {
        "title": article.title,
        "outlet": "",
        "author": article.author,
        "url": article.url,
        "published_on": "",
        "body": body,
        "version": article.version,
        **extra,
    }


# The rule, on its own


def test_a_quote_before_the_change_keeps_its_place():
    moves = Reanchoring("Alpha beta gamma. Delta.", "Alpha beta gamma. Delta epsilon.")
    assert moves.place("beta", 6).start == 6
    assert moves.place("beta", 6).outcome == "kept"


def test_a_quote_after_an_insertion_moves_with_its_words():
    moves = Reanchoring("Alpha. Beta gamma.", "Alpha, and more. Beta gamma.")
    placement = moves.place("Beta gamma", 7)
    assert (placement.start, placement.outcome) == (17, "moved")


def test_a_quote_whose_words_were_changed_is_orphaned_never_pointed_at_other_words():
    moves = Reanchoring("Alpha. The army is loyal. Beta.", "Alpha. The army is split. Beta.")
    assert moves.place("The army is loyal", 7).outcome == "orphaned"
    assert moves.place("The army is loyal", 7).start is None


def test_a_repeated_quote_is_found_again_by_its_context():
    old = "One: the army is loyal, said A. Two: the army is loyal, said B."
    new = "Zero. " + old.replace("One:", "First:")
    moves = Reanchoring(old, new)
    second = old.rindex("the army is loyal")
    assert moves.place("the army is loyal", second, prefix=old[second - 5 : second], suffix=", said B.").start == (
        new.rindex("the army is loyal")
    )


def test_find_prefers_the_context_then_the_nearest_occurrence():
    body = "x said yes. y said yes. z said yes."
    assert find(body, "said yes", prefix="y ", suffix=".") == body.index("y said") + 2
    assert find(body, "said yes", near=len(body)) == body.rindex("said yes")
    assert find(body, "said no") is None


def test_random_edits_never_leave_a_quote_pointing_at_other_words():
    generator = random.Random(7)
    words = "army loyal president minister officers met said not the a and of".split()
    for _ in range(200):
        old = " ".join(generator.choice(words) for _ in range(60))
        start = generator.randrange(0, len(old) - 20)
        quote = old[start : start + generator.randint(3, 20)]
        at = generator.randrange(0, len(old))
        cut = generator.randint(0, 15)
        new = old[:at] + " ".join(generator.choice(words) for _ in range(generator.randint(0, 4))) + old[at + cut :]
        placement = Reanchoring(old, new).place(quote, start, prefix=old[max(0, start - 32) : start])
        if placement.start is None:
            assert placement.outcome == "orphaned"
        else:
            assert new[placement.start : placement.start + len(quote)] == quote


# Changing the text on the article's edit page


def test_a_change_of_the_text_that_moves_claims_is_shown_before_it_is_saved(client, editor, article, claims):
    client.force_login(editor)
    url = reverse("article_edit", args=[article.pk])
    changed = TEXT.replace("Caracas –", "CARACAS, Venezuela –").replace("officers had met them", "officers met")
    response = client.post(url, edit_page_data(article, changed))
    assert response.status_code == 422
    html = response.content.decode()
    assert "Your change of the text moves claims or loses their place." in html
    assert "moves with its words, to character" in html and "loses its place" in html
    assert Article.objects.get(pk=article.pk).body == TEXT  # nothing saved yet

    confirmed = client.post(url, edit_page_data(article, changed, text_checked=_checked(html)))
    assert confirmed.status_code == 303
    assert stands(claims["loyal"]) and stands(claims["repeated"])
    claims["met"].refresh_from_db()
    assert claims["met"].is_orphaned
    assert claims["met"].quote == "officers had met them"  # kept, to select again


def test_a_confirmation_of_other_words_does_not_save_a_further_change(client, editor, article, claims):
    client.force_login(editor)
    url = reverse("article_edit", args=[article.pk])
    first = client.post(url, edit_page_data(article, "In " + TEXT))
    assert first.status_code == 422
    sneaked = client.post(url, edit_page_data(article, "Other words entirely.\n", text_checked=_checked(first)))
    assert sneaked.status_code == 422
    assert Article.objects.get(pk=article.pk).body == TEXT


def test_a_change_after_the_last_claim_is_saved_at_once(client, editor, article, claims):
    client.force_login(editor)
    response = client.post(reverse("article_edit", args=[article.pk]), edit_page_data(article, TEXT + "Update.\n"))
    assert response.status_code == 303
    assert all(stands(claim) for claim in claims.values())


def test_the_history_records_who_moved_a_claim(client, editor, article, claims):
    client.force_login(editor)
    url = reverse("article_edit", args=[article.pk])
    changed = "Update: " + TEXT
    client.post(
        url, edit_page_data(article, changed, text_checked=_checked(client.post(url, edit_page_data(article, changed))))
    )
    record = claims["met"].history.latest()
    assert record.history_user == editor
    assert record.quote_start == changed.index("officers had met them")


def _checked(response_or_html):
    html = response_or_html if isinstance(response_or_html, str) else response_or_html.content.decode()
    return html.split('name="text_checked" value="', 1)[1].split('"', 1)[0]


# Orphaned claims: said plainly, placed again


@pytest.fixture
def orphan(article, claims, editor):
    article.body = TEXT.replace("officers had met them", "officers met")
    article.save_over(article.version)
    orphan = Claim.objects.get(pk=claims["met"].pk)
    assert orphan.is_orphaned
    return orphan


def test_the_article_page_lists_orphaned_claims_and_highlights_only_placed_ones(client, editor, article, orphan):
    client.force_login(editor)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "1 claim has lost its place" in html
    assert reverse("claim_place", args=[orphan.pk]) in html
    assert f'data-claim="{orphan.pk}"' not in html
    assert html.count('class="claim-mark') == 2


def test_the_claim_page_says_the_claim_lost_its_place(client, viewer, orphan):
    client.force_login(viewer)
    html = client.get(orphan.get_absolute_url()).content.decode()
    assert "This claim has lost its place in the article" in html
    assert reverse("claim_place", args=[orphan.pk]) not in html  # viewers do not place quotes


def test_the_home_page_counts_orphaned_claims(client, viewer, orphan):
    client.force_login(viewer)
    assert "1 claim has lost its place" in client.get(reverse("home")).content.decode()


def test_an_editor_places_an_orphaned_claim_again(client, editor, article, orphan):
    client.force_login(editor)
    url = reverse("claim_place", args=[orphan.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "data-article-text" in page.content.decode()
    body = Article.objects.get(pk=article.pk).body
    response = client.post(url, {"quote": "officers met", "quote_start": "", "version": orphan.version})
    assert response.status_code == 303
    assert stands(orphan)
    assert orphan.quote_start == body.index("officers met")


def test_placing_a_passage_that_is_not_in_the_text_is_refused_with_a_message(client, editor, orphan):
    client.force_login(editor)
    url = reverse("claim_place", args=[orphan.pk])
    response = client.post(url, {"quote": "officers had met them", "version": orphan.version})
    assert response.status_code == 422
    assert "This passage does not appear in the article." in response.content.decode()
    orphan.refresh_from_db()
    assert orphan.is_orphaned


def test_a_revert_of_the_text_finds_the_orphaned_claim_again(article, orphan):
    article.refresh_from_db()
    article.body = TEXT
    article.save_over(article.version)
    assert stands(orphan)


# check_anchors


def test_check_anchors_passes_when_every_quote_stands(claims):
    out = io.StringIO()
    call_command("check_anchors", stdout=out, stderr=io.StringIO())
    assert "3 claims checked, 0 with a problem." in out.getvalue()


def test_check_anchors_fails_naming_each_claim_that_does_not_stand(claims, orphan):
    Claim.objects.filter(pk=claims["loyal"].pk).update(quote_start=1)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("check_anchors", stdout=io.StringIO(), stderr=err)
    assert f"claim #{claims['loyal'].pk}" in err.getvalue()
    assert f"claim #{orphan.pk}" in err.getvalue() and "orphaned" in err.getvalue()


def test_the_seed_demo_passes_check_anchors(seeded):
    out = io.StringIO()
    call_command("check_anchors", stdout=out, stderr=io.StringIO())
    assert "80 claims checked, 0 with a problem." in out.getvalue()


def test_a_claim_already_orphaned_and_still_lost_is_not_announced_again(client, editor, article, orphan):
    client.force_login(editor)
    article.refresh_from_db()
    response = client.post(
        reverse("article_edit", args=[article.pk]), edit_page_data(article, article.body + "More.\n")
    )
    assert response.status_code == 303


def test_an_orphaned_claim_whose_quote_comes_back_is_announced_as_found_again(client, editor, article, orphan):
    client.force_login(editor)
    response = client.post(reverse("article_edit", args=[article.pk]), edit_page_data(article, TEXT))
    assert response.status_code == 422
    assert "found again, at character" in response.content.decode()
