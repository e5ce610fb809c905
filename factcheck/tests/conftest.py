import io
import os

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import settings as hypothesis_settings

from factcheck.models import Article, Claim, ClaimLink, Source

# Fuzzing at full strength in `make test` and CI; `make test-fast` sets HYPOTHESIS_PROFILE=dev for the inner loop.
hypothesis_settings.register_profile("ci", max_examples=200)
hypothesis_settings.register_profile("dev", max_examples=25)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

BODY = (
    "Caracas (GPA) – The army is loyal to the president, a minister said.\n\n"
    "Opposition leaders said the army is not loyal.\n"
)


@pytest.fixture
def editor(db):
    user = User.objects.create_user("editor", password="pw-editor-123", first_name="Eda", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def viewer(db):
    user = User.objects.create_user("viewer", password="pw-viewer-123")
    user.groups.add(Group.objects.get(name="Viewers"))
    return user


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", password="pw-root-123")


@pytest.fixture
def speaker(db):
    return Source.objects.create(name="A minister", kind=Source.Kind.GOVERNMENT)


@pytest.fixture
def article(db):
    return Article.objects.create(title="Army loyal?", body=BODY)


@pytest.fixture
def make_claim(article, speaker):
    def make(quote, statement=None, in_article=None):
        in_article = in_article or article
        start = in_article.body.index(quote)
        return Claim.objects.create(
            article=in_article,
            quote=quote,
            quote_start=start,
            quote_end=start + len(quote),
            statement=statement or f"Says: {quote}",
            speaker=speaker,
        )

    return make


@pytest.fixture
def seeded(db):
    call_command("seed_demo", stdout=io.StringIO())


@pytest.fixture
def grow_corpus(db):
    """Add plenty of data: `count` outlets, people and articles, a claim in each article
    (or all in `article`), said by a new person (or `speaker`), each new claim linked to
    `claim` (or to the claim before it) as a contradiction by one of three new users, verdicts mixed."""

    def grow(count=30, *, article=None, speaker=None, claim=None):
        users = [User.objects.create_user(f"grower-{Source.objects.count()}-{n}") for n in range(3)]
        verdicts = Claim.Verdict.values
        previous = claim
        for n in range(count):
            tag = f"{Source.objects.count()}-{n}"
            outlet = Source.objects.create(name=f"Outlet {tag}", kind=Source.Kind.OUTLET)
            person = Source.objects.create(name=f"Person {tag}", kind=Source.Kind.PERSON, affiliation=outlet)
            body = f"Growth report {tag}: the general {tag} met reporters and said the army is split."
            new_article = Article.objects.create(title=f"Growth report {tag}", body=body, outlet=outlet)
            in_article = article or new_article
            start = n % (len(in_article.body) - 12) if article else 0
            quote = in_article.body[start : start + 12] if article else body
            new_claim = Claim.objects.create(
                article=in_article,
                quote=quote,
                quote_start=start,
                quote_end=start + len(quote),
                statement=f"Grown claim {tag}",
                speaker=speaker or person,
                verdict=verdicts[n % len(verdicts)],
                # "Not checkable" fits opinions, not factual statements.
                kind=Claim.Kind.OPINION
                if verdicts[n % len(verdicts)] == Claim.Verdict.NOT_CHECKABLE
                else Claim.Kind.FACT,
                created_by=users[n % 3],
            )
            if previous is not None:
                previous.link(new_claim, ClaimLink.Kind.CONTRADICTS, by=users[n % 3], reason=f"Grown reason {tag}")
            previous = claim or new_claim

    return grow


@pytest.fixture(autouse=True)
def fresh_regions():
    """Each test starts with no rendered region kept (factcheck.live.cached_region) from another's data."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def fixed_queries(django_assert_num_queries, settings):
    """Check that a request costs the same number of queries however much data there is:
    measure it on the data at hand, call `grow`, and expect exactly as many again.
    `request` is called three times (a warm-up first). Returns the count. Counted with nothing
    kept between requests: what a page costs when it is rendered (see test_regions.py for kept ones)."""
    settings.FACTCHECK_REGION_CACHE_SECONDS = 0

    def check(request, grow, status=200):
        assert request().status_code == status
        with CaptureQueriesContext(connection) as small:
            assert request().status_code == status
        grow()
        with django_assert_num_queries(len(small)):
            assert request().status_code == status
        return len(small)

    return check


def pytest_configure(config):
    from django.conf import settings

    # Real hashing costs about half a second a login; the tests log in a lot.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
