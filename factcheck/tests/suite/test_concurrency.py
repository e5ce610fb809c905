"""Many editors at once: no lost updates, no duplicate links, on SQLite and on PostgreSQL alike.

The threaded tests need committed data (each thread has its own database connection), so they are
transactional; serialized rollback puts back the Editors group the migrations made."""

import re
import threading
from collections import Counter

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test import Client
from django.urls import reverse

from factcheck.models import Article, Claim, ClaimLink, Source

THREADED = pytest.mark.django_db(transaction=True, serialized_rollback=True)
HTMX = {"HX-Request": "true"}
EDITORS = 10
ROUNDS = 50
VERSION = re.compile(r'name="version" value="(\d+)"')


@pytest.fixture
def claim(make_claim):
    return make_claim("The army is loyal to the president", "The army is loyal.")


def make_editors(count, prefix="editor"):
    editors = Group.objects.get(name="Editors")
    users = []
    for n in range(count):
        user = User.objects.create_user(f"{prefix}-{n}", first_name=f"Editor {n}")
        user.groups.add(editors)
        users.append(user)
    return users


def logged_in(user, **options):
    client = Client(**options)
    client.force_login(user)
    return client


def run_together(workers):
    """Run each callable in its own thread, all released at once; return what each raised, if anything."""
    start = threading.Barrier(len(workers), timeout=60)
    failures = []

    def run(work):
        try:
            start.wait()
            work()
        except Exception as error:
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(work,)) for work in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    return failures


# No lost updates


@THREADED
def test_concurrent_editors_never_lose_an_update(claim):
    users = make_editors(EDITORS)
    url = reverse("claim_edit", args=[claim.pk])
    rounds = threading.Barrier(EDITORS, timeout=60)
    outcomes = {user.username: [] for user in users}  # (status, statement, version seen), in order

    def edit_as(user):
        client = logged_in(user)

        def work():
            try:
                for round_ in range(ROUNDS):
                    # Everybody starts each round together, so that most rounds are contended.
                    rounds.wait()
                    form = client.get(url)
                    assert form.status_code == 200
                    version = int(VERSION.search(form.content.decode())[1])
                    statement = f"{user.username} round {round_}"
                    response = client.post(url, {"statement": statement, "verdict": "unproven", "version": version})
                    outcomes[user.username].append((response.status_code, statement, version))
            except BaseException:
                rounds.abort()
                raise

        return work

    failures = run_together([edit_as(user) for user in users])
    assert failures == []

    posts = [post for results in outcomes.values() for post in results]
    statuses = Counter(status for status, _, _ in posts)
    assert set(statuses) <= {303, 409}, statuses
    accepted, refused = statuses[303], statuses[409]
    assert accepted + refused == EDITORS * ROUNDS
    assert accepted >= ROUNDS  # the first to save in each round saves over the version everyone read
    assert refused > 0  # the editors really did collide

    claim.refresh_from_db()
    assert claim.version == 1 + accepted

    records = list(claim.history.order_by("history_id"))
    assert [record.history_type for record in records] == ["+"] + ["~"] * accepted
    assert [record.version for record in records] == list(range(1, accepted + 2))
    saved = [record.statement for record in records[1:]]
    assert Counter(saved) == Counter(statement for status, statement, _ in posts if status == 303)
    # Each accepted write was made over the very version its editor had read...
    version_of = {record.statement: record.version for record in records[1:]}
    assert all(version_of[statement] == seen + 1 for status, statement, seen in posts if status == 303)
    # ... and each refused one had been overtaken by somebody else's, and was stored nowhere.
    by_version = {record.version: record.statement for record in records}
    for status, statement, seen in posts:
        if status == 409:
            assert statement not in version_of
            assert by_version[seen + 1] != statement
    authors = {user.pk: user.username for user in users}
    assert all(record.statement.startswith(f"{authors[record.history_user_id]} ") for record in records[1:])
    assert claim.statement == saved[-1]


@pytest.mark.django_db
def test_the_second_of_two_editors_sees_both_versions_and_can_save_a_merge(claim):
    first, second = make_editors(2)
    url = reverse("claim_edit", args=[claim.pk])
    ana, ben = logged_in(first), logged_in(second)
    seen_by_ana = int(VERSION.search(ana.get(url).content.decode())[1])
    seen_by_ben = int(VERSION.search(ben.get(url).content.decode())[1])
    assert seen_by_ana == seen_by_ben == 1

    saved = ana.post(url, {"statement": "Ana's wording.", "verdict": "false", "version": seen_by_ana})
    assert saved.status_code == 303

    refused = ben.post(url, {"statement": "Ben's wording.", "verdict": "misleading", "version": seen_by_ben})
    assert refused.status_code == 409
    html = refused.content.decode()
    assert "Editor 0 saved a newer version while you were editing." in html
    assert '<th scope="row">Statement</th><td>Ana&#x27;s wording.</td><td>Ben&#x27;s wording.</td>' in html
    assert '<th scope="row">Verdict</th><td>False</td><td>Misleading</td>' in html
    assert ">\nBen&#x27;s wording.</textarea>" in html
    assert '<option value="misleading" selected>Misleading</option>' in html
    assert VERSION.findall(html) == ["2"]
    claim.refresh_from_db()
    assert (claim.statement, claim.verdict, claim.version) == ("Ana's wording.", "false", 2)

    merged = ben.post(url, {"statement": "Ben's wording.", "verdict": "misleading", "version": 2})
    assert merged.status_code == 303
    claim.refresh_from_db()
    assert (claim.statement, claim.verdict, claim.version) == ("Ben's wording.", "misleading", 3)
    assert [record.history_user for record in claim.history.order_by("history_id")][1:] == [first, second]


# Duplicate links made at the same instant


FRIENDLY = {
    "Link added.",
    "A colleague has just made this same link; it is shown above.",
    "These claims are already linked this way.",
}


def make_pair(round_, speaker):
    """Two claims in a new article, not yet linked."""
    first, second = f"The army is loyal ({round_}).", f"The army is split ({round_})."
    article = Article.objects.create(title=f"Report {round_}", body=f"{first} {second}")
    return [
        Claim.objects.create(
            article=article,
            quote=quote,
            quote_start=article.body.index(quote),
            quote_end=article.body.index(quote) + len(quote),
            statement=quote,
            speaker=speaker,
        )
        for quote in (first, second)
    ]


def link_at_once(clients, ends, kind, htmx):
    """Every client links the pair at the same instant, from the ends given in turn; returns each
    answer's status and the page the editor then sees (the one redirected to, after a 303)."""
    responses = []

    def link(client, source, target):
        data = {"to_claim": target.pk, "kind": kind, "reason": "Loyal or split?", "action": "link"}
        response = client.post(reverse("claim_link_create", args=[source.pk]), data, headers=HTMX if htmx else {})
        shown = client.get(response["Location"]) if response.status_code == 303 else response
        responses.append((response.status_code, shown.content.decode()))

    pairs = [ends[n % len(ends)] for n in range(len(clients))]
    workers = [
        lambda client=client, pair=pair: link(client, *pair) for client, pair in zip(clients, pairs, strict=True)
    ]
    assert run_together(workers) == []
    return responses


@THREADED
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_the_same_link_made_at_the_same_instant_is_made_once(speaker, htmx):
    clients = [logged_in(user) for user in make_editors(6)]
    for round_, kind in enumerate(["contradicts", "supports", "repeats", "contradicts"]):
        one, two = make_pair(round_, speaker)
        # The symmetric kinds are linked from both ends at once; "supports" has a direction.
        ends = [(one, two), (two, one)] if kind != "supports" else [(one, two)]

        responses = link_at_once(clients, ends, kind, htmx)

        assert ClaimLink.objects.filter(from_claim__in=[one, two], to_claim__in=[one, two]).count() == 1
        assert {status for status, _ in responses} <= ({200, 422} if htmx else {303, 422})
        told = [[message for message in FRIENDLY if message in html] for _, html in responses]
        assert all(len(messages) == 1 for messages in told), told
        assert sum(messages == ["Link added."] for messages in told) == 1


@pytest.mark.django_db
def test_a_stale_save_after_a_change_made_outside_the_pages_shows_the_merge_table(claim):
    (editor,) = make_editors(1)
    url = reverse("claim_edit", args=[claim.pk])
    client = logged_in(editor)
    seen = int(VERSION.search(client.get(url).content.decode())[1])
    # A script (or an account since removed) saved in between: its history record names nobody.
    claim.statement = "Changed by a script."
    claim.save_over(seen)

    response = client.post(url, {"statement": "My wording.", "verdict": "false", "version": seen})

    assert response.status_code == 409
    html = response.content.decode()
    assert "A colleague saved a newer version while you were editing." in html
    assert '<th scope="row">Statement</th><td>Changed by a script.</td><td>My wording.</td>' in html
    claim.refresh_from_db()
    assert claim.statement == "Changed by a script."


# Races that used to end in a server error: each answered with a message, nothing half-saved

RACE_ROUNDS = 5
TEXT = "Caracas – The army is loyal to the president, a minister said.\n"


def article_form(article, **fields):
    return {
        "title": article.title,
        "outlet": "",
        "author": "",
        "url": "",
        "published_on": "",
        "body": article.body,
        "version": article.version,
        **fields,
    }


def post_together(posts):
    """Send each (user, url, data) at the same instant from its own thread; the responses, in no order."""
    responses = []

    def send(user, url, data):
        responses.append(logged_in(user).post(url, data))

    assert run_together([lambda post=post: send(*post) for post in posts]) == []
    return responses


def claims_added_while_deleting(article, superuser, adders, speaker):
    new_claim = {"quote": "The army is loyal", "statement": "Loyal.", "speaker_name": speaker.name}
    posts = [(superuser, reverse("article_delete", args=[article.pk]), {})]
    posts += [(user, reverse("claim_create", args=[article.pk]), new_claim) for user in adders]
    return post_together(posts)


@THREADED
def test_adding_claims_while_a_colleague_deletes_the_article_never_fails(superuser, speaker):
    adders = make_editors(3, prefix="adder")
    for round_ in range(RACE_ROUNDS):
        article = Article.objects.create(title=f"Round {round_}", body=f"{TEXT}Round {round_}.\n")
        responses = claims_added_while_deleting(article, superuser, adders, speaker)
        assert all(response.status_code in (303, 404, 409) for response in responses), responses
        for response in responses:
            if response.status_code == 409:
                assert "A colleague has just deleted this article" in response.content.decode()
        assert not Article.objects.filter(pk=article.pk).exists()
        assert not Claim.objects.filter(article_id=article.pk).exists()


def assert_one_saved_one_told(responses, message):
    assert sorted(response.status_code for response in responses) in ([303, 409], [303, 422])
    refused = next(response for response in responses if response.status_code != 303)
    assert message in refused.content.decode()


@THREADED
def test_two_editors_giving_two_articles_the_same_url_at_once_get_a_message():
    editors = make_editors(2)
    for round_ in range(RACE_ROUNDS):
        url = f"https://example.org/report-{round_}"
        posts = []
        for user, n in zip(editors, (1, 2), strict=True):
            article = Article.objects.create(title=f"Report {round_}-{n}", body=f"{TEXT}{round_}-{n}\n")
            posts.append((user, reverse("article_edit", args=[article.pk]), article_form(article, url=url)))
        assert_one_saved_one_told(post_together(posts), "An article with this URL is already recorded.")
        assert Article.objects.filter(url=url).count() == 1


@THREADED
def test_two_sources_renamed_to_the_same_name_at_once_get_a_message():
    editors = make_editors(2)
    for round_ in range(RACE_ROUNDS):
        data = {"name": f"Simon {round_}", "kind": "person", "affiliation": "", "description": "", "url": ""}
        posts = []
        for user, n in zip(editors, (1, 2), strict=True):
            source = Source.objects.create(name=f"Source {round_}-{n}", kind=Source.Kind.PERSON)
            posts.append((user, reverse("source_edit", args=[source.pk]), {**data, "version": source.version}))
        assert_one_saved_one_told(post_together(posts), "A source of this kind with this name already exists.")
        assert Source.objects.filter(name=data["name"]).count() == 1
