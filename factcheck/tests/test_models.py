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


def test_claim_offsets_must_span_the_quote(article, speaker):
    fails_in_database(
        lambda: Claim.objects.create(
            article=article, quote="The army", quote_start=14, quote_end=30, statement="s", speaker=speaker
        )
    )


def test_claim_verdict_must_be_known(make_claim):
    claim = make_claim("The army is loyal")
    claim.verdict = "probably"
    fails_in_database(lambda: claim.save())


def test_claim_clean_finds_the_offsets_of_a_unique_quote(article, speaker):
    claim = Claim(article=article, quote="a minister said", statement="s", speaker=speaker)
    claim.full_clean()
    assert article.body[claim.quote_start : claim.quote_end] == "a minister said"


def test_claim_clean_rejects_a_quote_not_in_the_article(article, speaker):
    claim = Claim(article=article, quote="the navy is loyal", statement="s", speaker=speaker)
    with pytest.raises(ValidationError) as error:
        claim.full_clean()
    assert "does not appear in the article" in str(error.value)


def test_claim_clean_rejects_offsets_that_do_not_hold_the_quote(article, speaker):
    claim = Claim(article=article, quote="army is loyal", quote_start=0, statement="s", speaker=speaker)
    with pytest.raises(ValidationError) as error:
        claim.full_clean()
    assert "copied exactly" in str(error.value)


def test_claim_clean_asks_for_the_offset_of_an_ambiguous_quote(article, speaker):
    claim = Claim(article=article, quote="army is", statement="s", speaker=speaker)
    with pytest.raises(ValidationError) as error:
        claim.full_clean()
    assert "appears 2 times" in str(error.value)
    claim.quote_start = article.body.rindex("army is")
    claim.full_clean()
    assert claim.quote_end == claim.quote_start + len("army is")


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
