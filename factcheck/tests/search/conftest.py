import pytest

from factcheck.models import Article, Claim, Source


@pytest.fixture
def say(db):
    """Make a claim: `statement`, quoting `quote` (from a new article that opens with it, unless
    `article` is given), said by the source named `speaker` (made once, then reused)."""
    count = iter(range(1, 10_000))

    def make(statement, quote="Nothing else was reported.", *, speaker="A minister", article=None, **fields):
        source, _ = Source.objects.get_or_create(name=speaker, defaults={"kind": Source.Kind.PERSON})
        if article is None:
            n = next(count)
            article = Article.objects.create(title=f"Dispatch {n}", body=f"{quote}\n\nDispatch {n} ends.")
        start = article.body.index(quote)
        return Claim.objects.create(
            article=article, quote=quote, quote_start=start, statement=statement, speaker=source, **fields
        )

    return make
