"""The link box's search (claims/<pk>/link-candidates?q=): as typed, by words or by names."""

import pytest
from django.urls import reverse

from factcheck.models import Article, Source

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def claim(say):
    return say("The army is loyal to the president.")


def candidates(client, claim, query):
    """The statements offered to link, in order."""
    response = client.get(reverse("claim_link_candidates", args=[claim.pk]), {"q": query}, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<fieldset id="candidates"')
    return [part.split("</strong>", 1)[0] for part in html.split("<span><strong>")[1:]]


def test_the_last_word_may_be_unfinished(client, viewer, claim, say):
    say("The navy stays loyal.")
    say("The navy is split.")
    client.force_login(viewer)
    assert candidates(client, claim, "navy loya") == ["The navy stays loyal."]
    assert candidates(client, claim, "loya") == ["The navy stays loyal."]
    assert sorted(candidates(client, claim, "nav")) == ["The navy is split.", "The navy stays loyal."]


def test_a_speakers_name_finds_their_claims_after_those_that_say_the_name(client, viewer, claim, say):
    older_by_him = say("Elections must be held.", speaker="Juan Guaidó")
    naming_him = say("Guaidó is not the president.", speaker="Nicolás Maduro")
    say("Nothing to do with him.", speaker="Someone else")
    client.force_login(viewer)
    assert candidates(client, claim, "Guaidó") == [naming_him.statement, older_by_him.statement]
    assert candidates(client, claim, "Juan Gua") == [older_by_him.statement]


def test_an_articles_title_finds_its_claims(client, viewer, claim, say):
    article = Article.objects.create(title="Interview with the opposition leader", body="Elections must be held soon.")
    in_it = say("Elections must be held.", "Elections must be held", article=article)
    client.force_login(viewer)
    assert candidates(client, claim, "opposition leader") == [in_it.statement]


def test_the_claim_itself_is_never_offered(client, viewer, claim):
    client.force_login(viewer)
    assert candidates(client, claim, "army") == []


@pytest.mark.parametrize(
    "query", ['"army', "army*", "NEAR(army)", "a:*", "%", "_", "\\", "'", "\x00army", "army " * 100, "-army", "OR"]
)
def test_odd_typing_answers_with_candidates_never_an_error(client, viewer, claim, say, query):
    say("The army is split.")
    Source.objects.create(name="100% army_", kind=Source.Kind.ORGANISATION)
    client.force_login(viewer)
    candidates(client, claim, query)  # a fragment, never an error page
