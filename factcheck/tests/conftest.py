import io

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from factcheck.models import Article, Claim, Source

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


def pytest_configure(config):
    from django.conf import settings

    # Real hashing costs about half a second a login; the tests log in a lot.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
