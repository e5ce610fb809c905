"""The search index follows every change, whoever makes it: the pages, the admin, or SQL run by
another program. The database keeps it, so these tests look only at what a search then finds."""

import io
import re
import time
from html import unescape

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from factcheck import search
from factcheck.models import Article, Claim

pytestmark = pytest.mark.django_db
ON_SQLITE = connection.vendor == "sqlite"


CARD_TITLE = re.compile(r'class="card-title"><a href="[^"]*">(.*?)</a>', re.S)


def shown(response):
    """The titles of the cards a list shows, as read on the screen."""
    assert response.status_code == 200
    return [unescape(re.sub(r"</?mark>", "", title)) for title in CARD_TITLE.findall(response.content.decode())]


def claims_found(client, text):
    return shown(client.get(reverse("claim_list"), {"q": text}))


def articles_found(client, text):
    return shown(client.get(reverse("article_list"), {"q": text}))


@pytest.fixture
def claim(say):
    return say("The army is loyal to the president.", "Generals pledged their support.")


def test_a_new_claim_is_found_at_once(client, viewer, say):
    client.force_login(viewer)
    assert claims_found(client, "army") == []
    say("The army is loyal to the president.")
    assert claims_found(client, "army") == ["The army is loyal to the president."]


def test_a_claim_edited_on_its_page_is_found_by_its_new_words_and_no_longer_by_its_old(client, editor, claim):
    client.force_login(editor)
    response = client.post(
        reverse("claim_edit", args=[claim.pk]),
        {"statement": "Officers plotted a coup.", "verdict": "false", "verdict_note": "", "version": claim.version},
    )
    assert response.status_code == 303
    assert claims_found(client, "coup") == ["Officers plotted a coup."]
    assert claims_found(client, "plotting") == ["Officers plotted a coup."]
    assert claims_found(client, "loyal") == []
    # The quote did not change, and is still found.
    assert claims_found(client, "generals pledged") == ["Officers plotted a coup."]


def test_a_claim_deleted_in_the_admin_is_no_longer_found(client, superuser, claim, say):
    say("The army is split.")
    client.force_login(superuser)
    response = client.post(reverse("admin:factcheck_claim_delete", args=[claim.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert claims_found(client, "army") == ["The army is split."]
    assert claims_found(client, "loyal") == []


def test_an_article_deleted_on_its_page_takes_itself_and_its_claims_out_of_search(client, superuser, claim):
    client.force_login(superuser)
    assert articles_found(client, "generals") == [claim.article.title]
    response = client.post(reverse("article_delete", args=[claim.article.pk]))
    assert response.status_code == 303
    assert articles_found(client, "generals") == []
    assert claims_found(client, "army") == []


def test_an_article_edited_on_its_page_is_found_by_its_new_text_and_title(client, editor):
    article = Article.objects.create(title="Army loyal?", body="The army is loyal, a minister said.", author="J. Smith")
    client.force_login(editor)
    response = client.post(
        reverse("article_edit", args=[article.pk]),
        {
            "title": "Barracks quiet",
            "author": "J. Smith",
            "body": "Soldiers deserted their barracks overnight, a minister said.",
            "version": article.version,
        },
    )
    assert response.status_code == 303
    assert articles_found(client, "deserters") == ["Barracks quiet"]
    assert articles_found(client, "barracks") == ["Barracks quiet"]
    assert articles_found(client, "loyal") == []
    assert articles_found(client, "army") == []
    assert articles_found(client, "minister") == ["Barracks quiet"]


def test_a_claim_changed_by_another_program_in_sql_is_found_by_its_new_words(client, viewer, claim):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE factcheck_claim SET statement = %s, quote = %s WHERE id = %s",
            ["Officers plotted a coup.", "Colonels met at night.", claim.pk],
        )
    client.force_login(viewer)
    assert claims_found(client, "coup") == ["Officers plotted a coup."]
    assert claims_found(client, "colonels") == ["Officers plotted a coup."]
    assert claims_found(client, "loyal") == []
    assert claims_found(client, "generals") == []


def test_an_article_changed_by_another_program_in_sql_is_found_by_its_new_text(client, viewer):
    article = Article.objects.create(title="Army loyal?", body="The army is loyal, a minister said.")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE factcheck_article SET body = %s WHERE id = %s", ["Soldiers deserted.", article.pk])
    client.force_login(viewer)
    assert articles_found(client, "deserted") == ["Army loyal?"]
    assert articles_found(client, "minister") == []


def test_a_search_asked_again_after_another_program_changed_a_claim_shows_the_change(client, viewer, claim, settings):
    """A change made outside the app (SQL, a queryset update) writes no history record, so the live stamp
    cannot see it: the index has it at once, a page kept rendered shows it once its keeping time is over."""
    settings.FACTCHECK_REGION_CACHE_SECONDS = 1
    client.force_login(viewer)
    assert claims_found(client, "loyal") == ["The army is loyal to the president."]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE factcheck_claim SET statement = %s WHERE id = %s", ["Officers plotted a coup.", claim.pk]
        )
    assert claims_found(client, "coup") == ["Officers plotted a coup."]
    time.sleep(1.1)
    assert claims_found(client, "loyal") == []


def test_a_claim_deleted_by_another_program_in_sql_is_no_longer_found(client, viewer, claim, say):
    say("The army is split.")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM factcheck_claim WHERE id = %s", [claim.pk])
    client.force_login(viewer)
    assert claims_found(client, "army") == ["The army is split."]


def test_a_change_to_other_fields_keeps_a_claim_found_by_its_words(client, viewer, claim):
    Claim.objects.filter(pk=claim.pk).update(verdict="false", quote_start=None)
    Claim.objects.filter(pk=claim.pk).update(statement="The army is loyal, the minister said.")
    Claim.objects.filter(pk=claim.pk).update(verdict="accurate")
    client.force_login(viewer)
    assert claims_found(client, "army") == ["The army is loyal, the minister said."]
    assert claims_found(client, "minister") == ["The army is loyal, the minister said."]


# SQLite drops a table's triggers when a migration rebuilds the table; install() puts them back.

TRIGGERS = ["factcheck_claim_fts_insert", "factcheck_claim_fts_delete", "factcheck_claim_fts_update"]


def drop_triggers(names):
    with connection.cursor() as cursor:
        for name in names:
            cursor.execute(f"DROP TRIGGER {name}")


def triggers_present():
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'factcheck_claim'")
        return {name for (name,) in cursor.fetchall()}


@pytest.mark.skipif(not ON_SQLITE, reason="SQLite keeps its index with triggers")
def test_install_puts_lost_triggers_back_and_indexes_what_changed_meanwhile(client, viewer, claim, say, settings):
    # Pages asked twice must show the index, not a region kept from the first time (a change in SQL writes no history).
    settings.FACTCHECK_REGION_CACHE_SECONDS = 0
    gone = say("The navy is neutral.")
    drop_triggers(TRIGGERS)
    Claim.objects.filter(pk=claim.pk).update(statement="Officers plotted a coup.")
    Claim.objects.filter(pk=gone.pk).delete()
    say("The air force stays loyal.")
    client.force_login(viewer)
    assert claims_found(client, "coup") == []  # what a rebuilt table without triggers does

    search.install(connection)

    assert triggers_present() >= set(TRIGGERS)
    assert claims_found(client, "coup") == ["Officers plotted a coup."]
    assert claims_found(client, "army") == []
    assert claims_found(client, "navy") == []
    assert claims_found(client, "loyal") == ["The air force stays loyal."]
    Claim.objects.filter(pk=claim.pk).update(statement="Officers denied any mutiny.")
    assert claims_found(client, "mutiny") == ["Officers denied any mutiny."]
    assert claims_found(client, "coup") == []


@pytest.mark.skipif(not ON_SQLITE, reason="SQLite keeps its index with triggers")
def test_install_notices_a_single_lost_trigger(client, viewer, claim):
    drop_triggers(["factcheck_claim_fts_update"])
    Claim.objects.filter(pk=claim.pk).update(statement="Officers plotted a coup.")
    search.install(connection)
    client.force_login(viewer)
    assert claims_found(client, "coup") == ["Officers plotted a coup."]
    assert claims_found(client, "army") == []


@pytest.mark.skipif(not ON_SQLITE, reason="SQLite keeps its index with triggers")
def test_migrate_puts_lost_triggers_back(client, viewer, claim, settings):
    settings.FACTCHECK_REGION_CACHE_SECONDS = 0
    drop_triggers(TRIGGERS)
    Claim.objects.filter(pk=claim.pk).update(statement="Officers plotted a coup.")
    call_command("migrate", verbosity=0, stdout=io.StringIO())
    assert triggers_present() >= set(TRIGGERS)
    client.force_login(viewer)
    assert claims_found(client, "coup") == ["Officers plotted a coup."]
    Claim.objects.filter(pk=claim.pk).update(statement="Officers denied any mutiny.")
    assert claims_found(client, "mutiny") == ["Officers denied any mutiny."]


def test_installing_again_changes_nothing_found(client, viewer, say, settings):
    settings.FACTCHECK_REGION_CACHE_SECONDS = 0
    search.install(connection)
    search.install(connection)
    claim = say("The army is loyal to the president.")
    client.force_login(viewer)
    assert claims_found(client, "army") == ["The army is loyal to the president."]
    Claim.objects.filter(pk=claim.pk).update(statement="Officers plotted a coup.")
    assert claims_found(client, "coup") == ["Officers plotted a coup."]
    assert claims_found(client, "army") == []


def test_migrating_again_keeps_search_in_step(client, viewer, say, settings):
    settings.FACTCHECK_REGION_CACHE_SECONDS = 0
    call_command("migrate", verbosity=0, stdout=io.StringIO())
    claim = say("The army is loyal to the president.")
    client.force_login(viewer)
    assert claims_found(client, "army") == ["The army is loyal to the president."]
    Claim.objects.filter(pk=claim.pk).update(statement="Officers plotted a coup.")
    assert claims_found(client, "coup") == ["Officers plotted a coup."]
    assert claims_found(client, "army") == []
