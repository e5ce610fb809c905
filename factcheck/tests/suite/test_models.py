import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from factcheck.models import Article, Claim, ClaimLink, Source

pytestmark = pytest.mark.django_db


def fails_in_database(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_source_name_is_unique_per_kind():
    Source.objects.create(name="Simon", kind=Source.Kind.ANONYMOUS)
    Source.objects.create(name="Simon", kind=Source.Kind.PERSON)
    fails_in_database(lambda: Source.objects.create(name="Simon", kind=Source.Kind.ANONYMOUS))


def test_source_kind_must_be_a_known_kind():
    fails_in_database(lambda: Source.objects.create(name="X", kind="blogger"))


def test_the_same_text_is_never_stored_twice(article):
    fails_in_database(lambda: Article.objects.create(title="Copy", body=article.body))


def test_content_hash_is_computed_by_the_database(article):
    article.refresh_from_db()
    assert len(article.content_hash) == 64
    other = Article.objects.create(title="Other", body=article.body + " ")
    other.refresh_from_db()
    assert other.content_hash != article.content_hash


def test_article_url_is_unique_only_when_given():
    Article.objects.create(title="A", body="one")
    Article.objects.create(title="B", body="two")
    Article.objects.create(title="C", body="three", url="https://example.org/a")
    fails_in_database(lambda: Article.objects.create(title="D", body="four", url="https://example.org/a"))


def test_article_body_cannot_be_empty():
    fails_in_database(lambda: Article.objects.create(title="Empty", body=""))


def test_claim_quote_end_is_derived_by_the_database_from_the_start_and_the_quote(article, speaker):
    claim = Claim.objects.create(
        article=article, quote="The army", quote_start=14, quote_end=30, statement="s", speaker=speaker
    )
    claim.refresh_from_db()
    assert claim.quote_end == 14 + len("The army")


def test_article_text_and_quotes_cannot_hold_a_carriage_return_in_the_database(article, speaker):
    fails_in_database(lambda: Article.objects.filter(pk=article.pk).update(body="Two\r\nlines"))
    claim = Claim.objects.create(article=article, quote="The army", quote_start=14, statement="s", speaker=speaker)
    fails_in_database(lambda: Claim.objects.filter(pk=claim.pk).update(quote="The\rarmy"))


def test_claim_verdict_must_be_known(make_claim):
    claim = make_claim("The army is loyal")
    claim.verdict = "probably"
    fails_in_database(lambda: claim.save())


def test_placing_a_quote_finds_the_offsets_of_a_unique_passage(article, speaker):
    claim = Claim(article=article, statement="s", speaker=speaker)
    claim.place_quote("a minister said")
    assert article.body[claim.quote_start : claim.quote_start + len(claim.quote)] == "a minister said"
    assert claim.quote_prefix == article.body[max(0, claim.quote_start - 32) : claim.quote_start]
    assert claim.quote_suffix == article.body[claim.quote_start + len("a minister said") :][:32]


def test_placing_a_quote_refuses_a_passage_not_in_the_article(article, speaker):
    claim = Claim(article=article, statement="s", speaker=speaker)
    with pytest.raises(ValidationError) as error:
        claim.place_quote("the navy is loyal")
    assert "does not appear in the article" in str(error.value)


def test_placing_a_quote_at_offsets_that_do_not_hold_it_finds_it_by_its_words(article, speaker):
    claim = Claim(article=article, statement="s", speaker=speaker)
    claim.place_quote("army is loyal", 0)
    assert claim.quote_start == article.body.index("army is loyal")


def test_placing_a_quote_asks_which_of_several_occurrences(article, speaker):
    claim = Claim(article=article, statement="s", speaker=speaker)
    with pytest.raises(ValidationError) as error:
        claim.place_quote("army is")
    assert "appears 2 times" in str(error.value)
    claim.place_quote("army is", article.body.rindex("army is"))
    assert claim.quote_start == article.body.rindex("army is")


def test_placing_a_pasted_quote_matches_it_with_canonical_line_breaks(speaker):
    article = Article.objects.create(title="Two lines", body="First line of it.\nSecond line here.\n")
    claim = Claim(article=article, statement="s", speaker=speaker)
    claim.place_quote("of it.\r\nSecond line")
    assert (claim.quote, claim.quote_start) == ("of it.\nSecond line", article.body.index("of it."))


def test_a_claim_cannot_be_linked_to_itself(make_claim):
    claim = make_claim("The army is loyal")
    fails_in_database(lambda: ClaimLink.objects.create(from_claim=claim, to_claim=claim, kind="supports"))
    with pytest.raises(ValidationError):
        claim.link(claim, ClaimLink.Kind.SUPPORTS)


def test_symmetric_links_are_stored_in_one_order(make_claim):
    first = make_claim("The army is loyal")
    second = make_claim("the army is not loyal")
    link = second.link(first, ClaimLink.Kind.CONTRADICTS, reason="Loyal or not")
    assert (link.from_claim, link.to_claim) == (first, second)
    with pytest.raises(ValidationError):
        first.link(second, ClaimLink.Kind.CONTRADICTS, reason="Again")
    fails_in_database(lambda: ClaimLink.objects.create(from_claim=second, to_claim=first, kind="repeats", reason="r"))


def test_supports_is_directional(make_claim):
    first = make_claim("The army is loyal")
    second = make_claim("the army is not loyal")
    first.link(second, ClaimLink.Kind.SUPPORTS)
    second.link(first, ClaimLink.Kind.SUPPORTS)
    assert ClaimLink.objects.count() == 2


def test_one_link_per_pair_and_kind_in_the_database(make_claim):
    first = make_claim("The army is loyal")
    second = make_claim("the army is not loyal")
    ClaimLink.objects.create(from_claim=first, to_claim=second, kind="supports")
    fails_in_database(lambda: ClaimLink.objects.create(from_claim=first, to_claim=second, kind="supports"))


def test_a_contradiction_needs_a_reason(make_claim):
    first = make_claim("The army is loyal")
    second = make_claim("the army is not loyal")
    fails_in_database(lambda: ClaimLink.objects.create(from_claim=first, to_claim=second, kind="contradicts"))
    with pytest.raises(ValidationError) as error:
        first.link(second, ClaimLink.Kind.CONTRADICTS, reason="   ")
    assert "reason" in error.value.message_dict


def test_deleting_a_claim_removes_its_links(make_claim):
    first = make_claim("The army is loyal")
    second = make_claim("the army is not loyal")
    first.link(second, ClaimLink.Kind.CONTRADICTS, reason="r")
    second.delete()
    assert ClaimLink.objects.count() == 0


def test_a_source_with_claims_cannot_be_deleted(make_claim, speaker):
    make_claim("The army is loyal")
    with pytest.raises(ProtectedError):
        speaker.delete()
    assert Source.objects.filter(pk=speaker.pk).exists()
