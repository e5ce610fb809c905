"""The text stays true in a real browser: an admin save sends CRLF line breaks, and every highlight still covers
exactly its quote; a selection across a line break of an article imported with CRLF makes a claim."""

import pytest
from playwright.sync_api import expect

from factcheck.importing import import_article
from factcheck.models import Article, Claim

from .live_helpers import open_as
from .test_story import select_in_article

pytestmark = pytest.mark.browser

CLAIM_TEXTS = """(() => {
    const texts = {};
    document.querySelectorAll("#article-text mark[data-claim]").forEach((mark) => {
        texts[mark.dataset.claim] = (texts[mark.dataset.claim] || "") + mark.textContent;
    });
    return texts;
})()"""


def test_an_admin_save_through_the_real_form_keeps_every_highlight_on_its_quote(
    new_context, live_server, seeded_live, console_errors
):
    article = Article.objects.filter(body__contains="\n").order_by("pk").first()
    claims = list(Claim.objects.filter(article=article))
    body = article.body
    ana = open_as(new_context, live_server, "ana")
    ana.goto(f"/admin/factcheck/article/{article.pk}/change/")
    ana.get_by_label("Author:").fill("Changed in the admin")
    with ana.expect_navigation():
        ana.get_by_role("button", name="Save", exact=True).click()
    expect(ana.locator(".messagelist")).to_contain_text("was changed successfully")

    saved = Article.objects.get(pk=article.pk)
    assert (saved.author, saved.body) == ("Changed in the admin", body)
    ana.goto(article.get_absolute_url())
    shown = ana.evaluate(CLAIM_TEXTS)
    alone = [
        c
        for c in claims
        if not any(o.pk != c.pk and o.quote_start < c.quote_end and c.quote_start < o.quote_end for o in claims)
    ]
    assert alone, "the demo article has claims that do not overlap"
    for claim in alone:
        assert shown[str(claim.pk)] == claim.quote
    for claim in claims:
        assert shown[str(claim.pk)] in claim.quote
    assert console_errors == []


def test_a_selection_across_a_line_break_of_a_crlf_article_makes_a_claim(
    new_context, live_server, seeded_live, tmp_path, console_errors
):
    report = tmp_path / "windows-report.txt"
    report.write_bytes(
        b"Army split, say officers\r\n\r\nThe general said the army is split.\r\nOfficers agreed with him.\r\n"
    )
    article, created = import_article(report)
    assert created and "\r" not in article.body
    passage = "army is split.\nOfficers agreed"

    ana = open_as(new_context, live_server, "ana")
    ana.goto(article.get_absolute_url())
    select_in_article(ana, passage)
    expect(ana.locator("#selection-status")).to_contain_text(f"({len(passage)} characters)")
    ana.get_by_label("Statement:", exact=True).fill("Officers agree the army is split.")
    ana.get_by_label("Speaker:", exact=True).fill("A general")
    ana.get_by_role("button", name="Add claim").click()
    expect(ana.get_by_role("status").filter(has_text="Claim added.")).to_be_visible()

    claim = Claim.objects.get(article=article)
    assert claim.quote == passage
    assert article.body[claim.quote_start : claim.quote_end] == passage
    assert ana.evaluate(CLAIM_TEXTS)[str(claim.pk)] == passage
    assert console_errors == []
