import io
import re

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.urls import reverse

from factcheck.models import Article, Claim, ClaimLink, Comment, Source
from factcheck.tests.page_forms import FormFields

pytestmark = pytest.mark.django_db


def admin_form(html):
    """The fields of the admin's change form on the page."""
    parser = FormFields()
    parser.feed(html)
    (form,) = [fields for form_id, fields in parser.forms.items() if form_id.endswith("_form")]
    return {name: value for name, value in form.items() if value is not None}


def text(html):
    """The page's words, without the tags and spaces that lay them out."""
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def history_of(html):
    return text(html[html.index('<section class="history"') : html.index("</section>", html.index('class="history"'))])


def who_did(model):
    return [(record.history_type, record.history_user) for record in model.history.order_by("history_id")]


@pytest.fixture
def ana(db):
    user = User.objects.create_user("ana", first_name="Ana", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def claim(make_claim):
    return make_claim("The army is loyal to the president", "The army is loyal.")


@pytest.fixture
def other(make_claim):
    return make_claim("the army is not loyal", "The army is not loyal.")


def edit_claim(client, claim, **fields):
    claim.refresh_from_db()
    data = {"statement": claim.statement, "verdict": claim.verdict, "verdict_note": claim.verdict_note}
    response = client.post(reverse("claim_edit", args=[claim.pk]), {**data, **fields, "version": claim.version})
    assert response.status_code == 303
    claim.refresh_from_db()


# Every change is recorded, with who made it


def test_a_claim_added_on_the_article_page_is_recorded_with_who(client, ana, article):
    client.force_login(ana)
    response = client.post(
        reverse("claim_create", args=[article.pk]),
        {
            "quote": "The army is loyal to the president",
            "statement": "The army is loyal.",
            "speaker_name": "Vladimir Padrino",
            "new_speaker_kind": "person",
        },
    )
    assert response.status_code == 303
    claim = Claim.objects.get()
    assert who_did(claim) == [("+", ana)]
    assert who_did(claim.speaker) == [("+", ana)]


def test_a_verdict_changed_on_the_claim_page_is_recorded_with_who_and_what(client, ana, claim):
    client.force_login(ana)
    edit_claim(client, claim, verdict="false", verdict_note="Two generals defected.")
    assert who_did(claim) == [("+", None), ("~", ana)]
    record = claim.history.latest()
    changes = record.diff_against(record.prev_record, excluded_fields=["version", "updated_at"]).changes
    assert sorted((change.field, change.old, change.new) for change in changes) == [
        ("verdict", "unreviewed", "false"),
        ("verdict_note", "", "Two generals defected."),
    ]


def test_a_claim_deleted_in_the_admin_is_recorded_with_who(client, ana, claim):
    client.force_login(ana)
    response = client.post(reverse("admin:factcheck_claim_delete", args=[claim.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Claim.objects.filter(pk=claim.pk).exists()
    assert [(r.history_type, r.history_user) for r in Claim.history.filter(id=claim.pk).order_by("history_id")] == [
        ("+", None),
        ("-", ana),
    ]


def test_a_link_added_and_removed_on_the_claim_page_is_recorded_with_who(client, ana, editor, claim, other):
    client.force_login(ana)
    client.post(
        reverse("claim_link_create", args=[claim.pk]),
        {"to_claim": other.pk, "kind": "contradicts", "reason": "Loyal or not?", "action": "link"},
    )
    link = ClaimLink.objects.get()
    client.force_login(editor)
    assert client.post(reverse("link_delete", args=[link.pk]), {"claim": claim.pk}).status_code == 303
    records = ClaimLink.history.filter(id=link.pk).order_by("history_id")
    assert [(r.history_type, r.history_user, r.kind, r.reason) for r in records] == [
        ("+", ana, "contradicts", "Loyal or not?"),
        ("-", editor, "contradicts", "Loyal or not?"),
    ]


def test_an_article_added_in_the_admin_then_edited_and_deleted_on_its_pages_is_recorded_with_who(
    client, ana, superuser
):
    client.force_login(ana)
    form = admin_form(client.get(reverse("admin:factcheck_article_add")).content.decode())
    form.update(title="Army loyal?", body="The army is loyal, a minister said.", author="J. Smith")
    assert client.post(reverse("admin:factcheck_article_add"), form).status_code == 302
    article = Article.objects.get()

    response = client.post(
        reverse("article_edit", args=[article.pk]),
        {"title": "Army split?", "author": "J. Smith", "body": article.body, "version": 1},
    )
    assert response.status_code == 303
    client.force_login(superuser)
    assert client.post(reverse("article_delete", args=[article.pk])).status_code == 303

    records = Article.history.filter(id=article.pk).order_by("history_id")
    assert [(r.history_type, r.history_user, r.title) for r in records] == [
        ("+", ana, "Army loyal?"),
        ("~", ana, "Army split?"),
        ("-", superuser, "Army split?"),
    ]


def test_a_source_added_in_the_admin_then_edited_and_deleted_is_recorded_with_who(client, ana, superuser):
    client.force_login(ana)
    form = admin_form(client.get(reverse("admin:factcheck_source_add")).content.decode())
    form.update(name="Alejandro", kind="anonymous")
    assert client.post(reverse("admin:factcheck_source_add"), form).status_code == 302
    source = Source.objects.get()

    response = client.post(
        reverse("source_edit", args=[source.pk]), {"name": "Alejandro M.", "kind": "person", "version": 1}
    )
    assert response.status_code == 303
    client.force_login(superuser)
    response = client.post(reverse("admin:factcheck_source_delete", args=[source.pk]), {"post": "yes"})
    assert response.status_code == 302

    records = Source.history.filter(id=source.pk).order_by("history_id")
    assert [(r.history_type, r.history_user, r.name, r.kind) for r in records] == [
        ("+", ana, "Alejandro", "anonymous"),
        ("~", ana, "Alejandro M.", "person"),
        ("-", superuser, "Alejandro M.", "person"),
    ]


def test_an_imported_article_is_recorded_as_done_by_nobody(tmp_path):
    (tmp_path / "report.txt").write_text("Army loyal?\nThe army is loyal, a minister said.\n")
    call_command("import_articles", str(tmp_path / "report.txt"), stdout=io.StringIO(), stderr=io.StringIO())
    assert who_did(Article.objects.get()) == [("+", None)]


# The pages show the history


def test_claim_page_shows_who_changed_what(client, ana, viewer, claim):
    client.force_login(ana)
    edit_claim(client, claim, statement="The army backs Maduro.")
    client.force_login(viewer)
    html = client.get(claim.get_absolute_url()).content.decode()
    assert '<h2 id="history-heading">History</h2>' in html
    change = '<span class="field">statement</span>: <del>The army is loyal.</del> → <ins>The army backs Maduro.</ins>'
    assert f"<li>{change}</li>" in html
    history = history_of(html)
    assert re.search(r"\d{1,2} \w{3} \d{4}, \d\d:\d\d · ana changed statement: The army is loyal\.", history)
    assert history.endswith("· system added")
    assert history.index("ana changed") < history.index("system added")


def test_claim_page_shows_verdicts_by_their_names(client, ana, viewer, claim):
    client.force_login(ana)
    edit_claim(client, claim, verdict="false")
    edit_claim(client, claim, verdict="mostly_accurate")
    client.force_login(viewer)
    history = history_of(client.get(claim.get_absolute_url()).content.decode())
    assert "ana changed verdict: Unreviewed → False" in history
    assert "ana changed verdict: False → Mostly accurate" in history


def test_claim_page_shows_the_newest_twenty_changes(client, ana, viewer, claim):
    client.force_login(ana)
    for n in range(25):
        edit_claim(client, claim, statement=f"Wording {n}")
    client.force_login(viewer)
    html = client.get(claim.get_absolute_url()).content.decode()
    history = history_of(html)
    assert history.count("ana changed") == 20
    assert "<ins>Wording 24</ins>" in html
    assert "<ins>Wording 5</ins>" in html
    assert "<ins>Wording 4</ins>" not in html
    assert "system added" not in history


def test_article_page_shows_who_changed_what(client, ana, viewer, article):
    client.force_login(ana)
    client.post(
        reverse("article_edit", args=[article.pk]),
        {"title": "Army split?", "author": "Reuters staff", "body": article.body, "version": 1},
    )
    client.force_login(viewer)
    history = history_of(client.get(article.get_absolute_url()).content.decode())
    assert "ana changed author: (empty) → Reuters staff title: Army loyal? → Army split?" in history


def test_article_page_shows_the_outlet_by_its_name(client, ana, viewer, article):
    outlet = Source.objects.create(name="Reuters", kind=Source.Kind.OUTLET)
    client.force_login(ana)
    client.post(
        reverse("article_edit", args=[article.pk]),
        {"title": article.title, "outlet": outlet.pk, "body": article.body, "version": 1},
    )
    client.force_login(viewer)
    history = history_of(client.get(article.get_absolute_url()).content.decode())
    assert "ana changed outlet: (empty) → Reuters" in history


def test_source_page_shows_who_changed_what(client, ana, viewer, speaker):
    client.force_login(ana)
    client.post(
        reverse("source_edit", args=[speaker.pk]),
        {"name": "The defence minister", "kind": "government", "description": "Padrino", "version": 1},
    )
    client.force_login(viewer)
    history = history_of(client.get(speaker.get_absolute_url()).content.decode())
    assert "ana changed description: (empty) → Padrino name: A minister → The defence minister" in history
    assert history.endswith("system added")


def test_source_page_shows_its_history_once_in_the_page(client, viewer, speaker):
    client.force_login(viewer)
    html = client.get(speaker.get_absolute_url()).content.decode()
    assert "<title>A minister · factcheck</title>" in html
    assert html.count('<h2 id="history-heading">History</h2>') == 1


def test_link_page_shows_who_linked_the_claims(client, ana, viewer, claim, other):
    client.force_login(ana)
    client.post(
        reverse("claim_link_create", args=[claim.pk]),
        {"to_claim": other.pk, "kind": "contradicts", "reason": "Loyal or not?", "action": "link"},
    )
    client.force_login(viewer)
    html = client.get(ClaimLink.objects.get().get_absolute_url()).content.decode()
    assert '<h2 id="history-heading">History</h2>' in html
    assert re.fullmatch(r"History \d{1,2} \w{3} \d{4}, \d\d:\d\d · ana added", history_of(html))


def test_history_escapes_what_was_typed(client, ana, viewer, claim):
    client.force_login(ana)
    edit_claim(client, claim, statement="<script>alert(1)</script>")
    client.force_login(viewer)
    html = client.get(claim.get_absolute_url()).content.decode()
    assert "<ins>&lt;script&gt;alert(1)&lt;/script&gt;</ins>" in html
    assert "<script>alert(1)" not in html


# The team's activity on the home page


def test_home_page_shows_the_team_activity_newest_first(client, ana, editor, viewer, claim, other):
    client.force_login(ana)
    edit_claim(client, claim, statement="The army backs Maduro.")
    client.post(
        reverse("claim_link_create", args=[claim.pk]),
        {"to_claim": other.pk, "kind": "contradicts", "reason": "Loyal or not?", "action": "link"},
    )
    client.post(reverse("claim_comment_create", args=[claim.pk]), {"body": "Which minister?"})
    client.force_login(editor)
    client.post(reverse("admin:factcheck_claim_delete", args=[other.pk]), {"post": "yes"})

    client.force_login(viewer)
    html = client.get(reverse("home")).content.decode()
    activity = text(html[html.index('<ol class="plain activity">') :])
    lines = re.findall(r"ago (\w+ (?:added|changed|deleted) \w+ .+?)(?= \S+ \w+ ago|$)", activity)
    assert lines[:5] == [
        "editor deleted claim “The army is not loyal.”",
        "editor deleted link “contradicts link”",
        "ana added comment Which minister?",
        "ana added link contradicts link",
        "ana changed claim The army backs Maduro.",
    ]
    assert f'<a href="/claims/{claim.pk}/">The army backs Maduro.</a>' in html
    assert f'<a href="/claims/{claim.pk}/">Which minister?</a>' in html


def test_home_page_shows_at_most_fifteen_changes(client, ana, viewer, claim):
    client.force_login(ana)
    for n in range(20):
        edit_claim(client, claim, statement=f"Wording {n}")
    client.force_login(viewer)
    html = client.get(reverse("home")).content.decode()
    activity = html[
        html.index('<ol class="plain activity">') : html.index("</ol>", html.index('class="plain activity"'))
    ]
    assert activity.count('<li class="card">') == 15
    assert "Wording 19" in activity
    assert "Wording 4<" not in activity


# An admin can restore what was deleted


def restore(client, model_name, pk):
    """Open the admin's list of deleted objects, follow the object's link to its last state, and press Revert."""
    listing = client.get(reverse(f"admin:factcheck_{model_name}_deleted"))
    assert listing.status_code == 200
    record = (Claim if model_name == "claim" else ClaimLink).history.filter(id=pk, history_type="-").get()
    revert_url = reverse(f"admin:factcheck_{model_name}_simple_history", args=[pk, record.history_id])
    assert f'<a href="{revert_url}">' in listing.content.decode()
    page = client.get(revert_url)
    assert page.status_code == 200
    return client.post(revert_url, {**admin_form(page.content.decode()), "_save": "Revert"})


def test_a_deleted_claim_is_listed_for_admins(client, superuser, claim, other):
    client.force_login(superuser)
    client.post(reverse("admin:factcheck_claim_delete", args=[claim.pk]), {"post": "yes"})
    html = client.get(reverse("admin:factcheck_claim_deleted")).content.decode()
    assert "The army is loyal." in html
    assert "The army is not loyal." not in html
    assert "<td>root</td>" in html
    changelist = client.get(reverse("admin:factcheck_claim_changelist")).content.decode()
    assert '<a href="/admin/factcheck/claim/deleted/">Deleted claims</a>' in changelist


def test_a_deleted_claim_is_restored_with_its_earlier_history(client, ana, superuser, claim):
    client.force_login(ana)
    edit_claim(client, claim, verdict="false")
    client.force_login(superuser)
    client.post(reverse("admin:factcheck_claim_delete", args=[claim.pk]), {"post": "yes"})

    response = restore(client, "claim", claim.pk)

    assert response.status_code == 302
    restored = Claim.objects.get(pk=claim.pk)
    assert (restored.statement, restored.verdict, restored.quote, restored.article_id, restored.speaker_id) == (
        "The army is loyal.",
        "false",
        claim.quote,
        claim.article_id,
        claim.speaker_id,
    )
    assert [t for t, _ in who_did(restored)] == ["+", "~", "-", "+"]
    assert who_did(restored)[:3] == [("+", None), ("~", ana), ("-", superuser)]
    assert who_did(restored)[3][1] == superuser
    listing = client.get(reverse("admin:factcheck_claim_deleted")).content.decode()
    assert "The army is loyal." not in listing[listing.index("<tbody>") :]


def test_a_restored_claim_can_be_edited_on_its_page(client, ana, superuser, claim):
    client.force_login(superuser)
    client.post(reverse("admin:factcheck_claim_delete", args=[claim.pk]), {"post": "yes"})
    assert restore(client, "claim", claim.pk).status_code == 302
    client.force_login(ana)
    edit_claim(client, claim, statement="Back again.")
    assert Claim.objects.get(pk=claim.pk).statement == "Back again."


def test_a_deleted_link_is_restored_with_its_earlier_history(client, ana, superuser, claim, other):
    link = claim.link(other, ClaimLink.Kind.CONTRADICTS, by=ana, reason="Loyal or not?")
    client.force_login(ana)
    client.post(reverse("link_delete", args=[link.pk]), {"claim": claim.pk})
    assert not ClaimLink.objects.exists()
    client.force_login(superuser)

    response = restore(client, "claimlink", link.pk)

    assert response.status_code == 302
    restored = ClaimLink.objects.get(pk=link.pk)
    assert (restored.from_claim, restored.to_claim, restored.kind, restored.reason, restored.created_by) == (
        claim,
        other,
        "contradicts",
        "Loyal or not?",
        ana,
    )
    assert [t for t, _ in who_did(restored)] == ["+", "-", "+"]
    assert who_did(restored)[1] == ("-", ana)


def test_viewers_cannot_see_deleted_objects(client, viewer):
    client.force_login(viewer)
    response = client.get(reverse("admin:factcheck_claim_deleted"))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


# Query counts of the pages that show history


def grow_history(obj, count=30):
    """Many changes to one object, by several people."""
    users = [User.objects.create_user(f"changer-{obj._meta.model_name}-{n}") for n in range(3)]
    for n in range(count):
        field = {"claim": "statement", "article": "title", "source": "description", "claimlink": "reason"}
        setattr(obj, field[obj._meta.model_name], f"Changed {n}")
        obj._history_user = users[n % 3]
        obj.save()


def test_claim_page_query_count_does_not_grow_with_the_history(client, viewer, claim, fixed_queries):
    client.force_login(viewer)
    # + 2 for the attribution chain (its hops, its co-speakers), + 3 for the corroboration
    assert fixed_queries(lambda: client.get(claim.get_absolute_url()), lambda: grow_history(claim)) == 9 + 2 + 3 + 1


def test_article_page_query_count_does_not_grow_with_the_history(client, viewer, article, claim, fixed_queries):
    client.force_login(viewer)
    assert fixed_queries(lambda: client.get(article.get_absolute_url()), lambda: grow_history(article)) == 10


def test_source_page_query_count_does_not_grow_with_the_history(client, viewer, speaker, claim, fixed_queries):
    client.force_login(viewer)
    assert fixed_queries(lambda: client.get(speaker.get_absolute_url()), lambda: grow_history(speaker)) == 10


def test_link_page_query_count_does_not_grow_with_the_history(client, viewer, claim, other, fixed_queries):
    link = claim.link(other, ClaimLink.Kind.CONTRADICTS, reason="Loyal or not?")
    client.force_login(viewer)
    assert fixed_queries(lambda: client.get(link.get_absolute_url()), lambda: grow_history(link)) == 8


def test_home_page_query_count_does_not_grow_with_the_activity(client, viewer, claim, other, article, fixed_queries):
    link = claim.link(other, ClaimLink.Kind.CONTRADICTS, reason="Loyal or not?")
    Comment.objects.create(claim=claim, body="Which minister?")

    def grow():
        for obj in (claim, link, article, claim.speaker):
            grow_history(obj, count=20)
        for n in range(20):
            Comment.objects.create(claim=claim, body=f"Comment {n}")

    client.force_login(viewer)
    assert fixed_queries(lambda: client.get(reverse("home")), grow) == 17


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_deleted_claim_is_restored_outside_a_test_transaction(client, superuser, claim):
    # As on a real server: each request runs in autocommit, not inside the test's transaction.
    client.force_login(superuser)
    client.post(reverse("admin:factcheck_claim_delete", args=[claim.pk]), {"post": "yes"})
    assert restore(client, "claim", claim.pk).status_code == 302
    assert Claim.objects.get(pk=claim.pk).statement == "The army is loyal."
