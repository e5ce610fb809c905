"""What a search finds and in which order: Claim.objects.search and Article.objects.search."""

import pytest
from django.db import connection

from factcheck import search
from factcheck.models import Article, Claim, Source

pytestmark = pytest.mark.django_db
ON_SQLITE = connection.vendor == "sqlite"
ON_POSTGRESQL = connection.vendor == "postgresql"


def found(text, **options):
    return [claim.statement for claim in Claim.objects.search(text, **options)]


# Words, forms of words, phrases, exclusions, OR


def test_a_word_finds_the_claims_that_say_it_in_their_statement_or_their_quote(say):
    say("The army is loyal.")
    say("Troops back him.", "The army backs the president.")
    say("The navy is neutral.")
    assert sorted(found("army")) == ["The army is loyal.", "Troops back him."]


def test_a_search_ignores_capitals(say):
    say("The army is loyal.")
    assert found("ARMY") == found("Army") == ["The army is loyal."]


def test_a_word_finds_its_other_forms(say):
    say("Generals planned a coup.")
    say("The plans were leaked.")
    say("A planet was named.")
    assert sorted(found("plans")) == ["Generals planned a coup.", "The plans were leaked."]
    assert sorted(found("planning")) == ["Generals planned a coup.", "The plans were leaked."]


def test_several_words_must_all_be_there_anywhere_in_the_claim(say):
    say("The army is loyal.", "Generals back the president.")
    say("The army is split.")
    assert found("army president") == ["The army is loyal."]


def test_a_quoted_phrase_must_be_there_word_for_word(say):
    say("The president trusts a loyal army.")
    say("The army stays loyal to the president.")
    assert sorted(found("loyal army")) == [
        "The army stays loyal to the president.",
        "The president trusts a loyal army.",
    ]
    assert found('"loyal army"') == ["The president trusts a loyal army."]
    assert found('"army stays loyal"') == ["The army stays loyal to the president."]


def test_a_word_or_phrase_after_a_minus_is_left_out(say):
    say("The army is loyal.")
    say("The army is split.")
    say("The army is split and angry.")
    assert found("army -split") == ["The army is loyal."]
    assert sorted(found('army -"split and angry"')) == ["The army is loyal.", "The army is split."]
    assert found("army -split -loyal") == []


def test_or_finds_claims_with_either_word(say):
    say("The navy is loyal.")
    say("The army is loyal.")
    say("The police are loyal.")
    assert sorted(found("navy OR army")) == ["The army is loyal.", "The navy is loyal."]
    assert sorted(found('navy OR "the army"')) == ["The army is loyal.", "The navy is loyal."]


def test_or_joins_only_the_two_terms_beside_it(say):
    say("The navy is loyal.")
    say("The army is loyal.")
    say("The navy is neutral.")
    say("The army is neutral.")
    assert sorted(found("navy OR army loyal")) == ["The army is loyal.", "The navy is loyal."]
    assert sorted(found("loyal navy OR army")) == ["The army is loyal.", "The navy is loyal."]


def test_a_name_typed_without_its_accent_is_found(say):
    say("Juan Guaidó is the interim president.")
    assert found("Guaido") == ["Juan Guaidó is the interim president."]
    assert found("Guaidó") == ["Juan Guaidó is the interim president."]


# Searching as one types


def test_the_last_word_may_be_unfinished_when_searching_as_one_types(say):
    say("The army is loyal.")
    say("The navy is loyal.")
    assert found("army loya", prefix=True) == ["The army is loyal."]
    assert sorted(found("loya", prefix=True)) == ["The army is loyal.", "The navy is loyal."]
    assert found("army loya") == []
    # Only the last word: an earlier one is a whole word.
    assert found("arm loyal", prefix=True) == []


def test_typing_a_word_letter_by_letter_keeps_finding_the_claim(say):
    say("Soldiers are running away.")
    typed = [found("running"[:n], prefix=True) for n in range(3, len("running") + 1)]
    assert typed == [["Soldiers are running away."]] * len(typed)


# Nothing to look for, and odd input


@pytest.mark.parametrize(
    "text", ["", "   ", "-army", '-"the army"', "- -", "!!!", '"', '""', "OR", "-", "*", "“”", "…"]
)
def test_a_search_with_nothing_to_look_for_finds_nothing(say, text):
    say("The army is loyal.")
    Article.objects.create(title="Army loyal?", body="The army is loyal.")
    assert found(text) == []
    assert found(text, prefix=True) == []
    assert list(Article.objects.search(text)) == []


# Query syntax of the underlying engines (FTS5, tsquery) must never leak through.
FINDS_THE_ARMY = [
    'army"',
    '"army',
    "army*",
    "^army",
    "(army",
    "army)",
    "{army}",
    "army:",
    "army -",
    "army OR",
    "OR army",
    "%army%",
    "army\\",
    "ARMY",
]
ODD = [
    "NEAR(army loyal)",
    "NEAR army",
    "army NEAR/2 loyal",
    "army AND loyal",
    "army NOT navy",
    "NOT army",
    "AND",
    "army + navy",
    "statement:army",
    "quote : army",
    "{statement}: army",
    "army^2",
    "army~",
    "army OR OR navy",
    "-army OR navy",
    "army OR -navy",
    "'; DROP TABLE factcheck_claim; --",
    "army' OR '1'='1",
    "_army_",
    "a_b",
    "__",
    "army _",
    '"army',
    '"a" "b',
    'army " loyal',
    "''",
    "\\",
    "\\\\army",
    "a:*",
    "army:*",
    "army & navy | !police",
    "<->",
    "army <-> loyal",
    "Guaidó",
    "軍隊",
    "армия",
    "جيش",
    "🙂 army",
    "ǅ",
    "\u0301army",
    "army\u200b",
    "ℌ",
    "²",
    "1e5",
    "0x1F",
    "-1",
    "12:30",
    "army " * 100,
    "a" * 500,
    '"' * 500,
    "-" * 500,
    "army OR " * 60,
    "-army " * 80,
    "x" * 3000,
]


@pytest.mark.parametrize("text", FINDS_THE_ARMY)
def test_engine_syntax_is_read_as_plain_words(say, text):
    say("The army is loyal.")
    say("The navy is neutral.")
    assert found(text) == ["The army is loyal."]
    assert found(text, prefix=True) == ["The army is loyal."]


@pytest.mark.parametrize("text", ODD)
def test_odd_input_never_fails(say, text):
    say("The army is loyal.")
    Article.objects.create(title="Army loyal?", body="The army is loyal.")
    # Each search runs to the end in the database: one that breaks raises here.
    found(text)
    found(text, prefix=True)
    found(text, prefix=True, by_names=True)
    list(Article.objects.search(text))


# Order


def test_a_claim_saying_the_word_twice_ranks_above_one_saying_it_once(say):
    say("Mutiny in the barracks.", "Soldiers spoke of mutiny.")
    say("Soldiers stayed calm.", "Mutiny was denied.")
    results = list(Claim.objects.search("mutiny"))
    assert [claim.statement for claim in results] == ["Mutiny in the barracks.", "Soldiers stayed calm."]
    assert results[0].rank > results[1].rank > 0


def test_a_claim_whose_statement_says_the_word_ranks_above_one_that_only_quotes_it(say):
    say("Mutiny in the barracks.", "Soldiers stayed calm.")
    say("Soldiers stayed calm.", "Mutiny in the barracks.")
    results = list(Claim.objects.search("mutiny"))
    assert [claim.quote for claim in results] == ["Soldiers stayed calm.", "Mutiny in the barracks."]
    assert results[0].rank > results[1].rank


def test_an_article_whose_title_says_the_word_ranks_above_one_whose_text_does(db):
    Article.objects.create(title="Mutiny in the barracks", body="Soldiers stayed calm all day.")
    Article.objects.create(title="Soldiers stayed calm", body="Mutiny in the barracks all day.")
    assert [article.title for article in Article.objects.search("mutiny")] == [
        "Mutiny in the barracks",
        "Soldiers stayed calm",
    ]


def test_an_article_is_found_by_its_title_author_or_text(db):
    Article.objects.create(title="Mutiny in the barracks", body="Soldiers stayed calm.")
    Article.objects.create(title="Calm day", author="Ernesto Londoño", body="Nothing happened.")
    Article.objects.create(title="Quiet", body="Officers planned a mutiny.")
    Article.objects.create(title="Weather", body="Rain.")
    assert sorted(article.title for article in Article.objects.search("mutinies")) == [
        "Mutiny in the barracks",
        "Quiet",
    ]
    assert [article.title for article in Article.objects.search("Londoño")] == ["Calm day"]


def test_only_the_newest_matches_up_to_the_cap_are_found(say):
    article = Article.objects.create(title="Drills", body="A drill.")
    speaker = Source.objects.create(name="A colonel", kind=Source.Kind.PERSON)
    Claim.objects.bulk_create(
        Claim(
            article=article,
            number=n + 1,
            quote="A drill.",
            quote_start=0,
            statement=f"Drill number {n}.",
            speaker=speaker,
        )
        for n in range(search.CAP + 1)
    )
    say("Nothing to see.")
    matches = Claim.objects.search("drill")
    assert matches.count() == search.CAP
    assert "Drill number 0." not in [claim.statement for claim in matches]
    assert Claim.objects.search("drill -number").count() == 0
    assert list(Claim.objects.search('"drill number 0"')) == [Claim.objects.get(statement="Drill number 0.")]
