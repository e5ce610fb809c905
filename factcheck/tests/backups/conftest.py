import datetime
import io

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from factcheck import corpus
from factcheck.models import (
    Article,
    ArticleFetch,
    Claim,
    ClaimLink,
    ClaimTag,
    Comment,
    CoSpeaker,
    Event,
    Notification,
    Relay,
    Source,
    Story,
    StoryArticle,
    Tag,
)

# A text as a newsroom gets it: accents, an emoji, a tab, a line separator, spaces at line ends, blank lines.
BODY = (
    "Caracas (GPA) – The army is loyal to the president, a minister said.  \n\n"
    "Opposition leaders said the army is not loyal.\tGuaidó 🇻🇪 disagreed\u2028strongly.\n"
    "Generals pledged their support, an aide added.\n"
)
AT = datetime.datetime(2025, 3, 4, 5, 6, 7, 891011, tzinfo=datetime.UTC)


def _saved(obj, by, reason="Entered from the wire"):
    obj._history_user = by
    obj._change_reason = reason
    obj.save()
    return obj


@pytest.fixture
def full_corpus(db, editor):
    """A corpus with every field of every model carried filled in at least one row."""
    editor.email = "eda@example.org"
    editor.last_name = "Desk"
    editor.last_login = AT
    editor.save()
    night = Group.objects.create(name="Night desk")
    night.permissions.add(Permission.objects.get(codename="view_articlefetch"))
    editor.groups.add(night)
    editor.user_permissions.add(Permission.objects.get(codename="delete_source"))
    checker = User.objects.create_superuser("zoë", email="zoe@example.org", password="pw-zoe-123")

    outlet = _saved(Source(name="GPA", kind=Source.Kind.OUTLET, url="https://gpa.example/"), editor)
    minister = _saved(
        Source(
            name="A minister",
            kind=Source.Kind.GOVERNMENT,
            affiliation=outlet,
            description="Speaks for the ministry.",
            reliability_note="Often unnamed.",
            created_by=editor,
        ),
        editor,
    )
    original = Article.add(
        by=editor,
        title="Army loyal?",
        outlet=outlet,
        author="R. Porter",
        url="https://gpa.example/army",
        published_on=datetime.date(2025, 3, 1),
        body=BODY,
    )
    copy = Article.add(
        by=checker, title="Army loyal? (syndicated)", body=BODY + "Syndicated.\n", republished_from=original
    )
    copy.author = "Wire staff"
    _saved(copy, checker, "Byline added")
    claim = Claim(article=original, statement="The army is loyal.", speaker=minister, created_by=editor)
    claim.place_quote("The army is loyal to the president")
    claim.claimed_on = datetime.date(2025, 2, 28)
    claim.verdict = Claim.Verdict.MISLEADING
    claim.verdict_note = "Several generals defected."
    claim.published_at = AT
    claim.published_by = checker
    claim.review_status = Claim.ReviewStatus.PUBLISHED
    claim.assignee = checker
    claim.due_on = datetime.date(2025, 3, 5)
    claim.hedge = "reportedly"
    claim.claimed_on_precision = Claim.DatePrecision.RANGE
    claim.claimed_until = datetime.date(2025, 3, 1)
    claim.claimed_on_basis = "a minister said"
    _saved(claim, checker)
    wire = _saved(Source(name="Caracas wire", kind=Source.Kind.OUTLET), editor)
    alejandro = _saved(Source(name="Alejandro", kind=Source.Kind.ANONYMOUS), editor)
    other = Claim(
        article=copy,
        statement="Leaders deny it.",
        speaker=minister,
        kind=Claim.Kind.OPINION,
        verdict=Claim.Verdict.NOT_CHECKABLE,
    )
    other.place_quote("Opposition leaders said the army is not loyal.")
    _saved(other, editor)
    orphan = _saved(
        Claim(article=copy, quote="A sentence cut since.", statement="An orphaned claim.", speaker=minister), editor
    )
    link = claim.link(other, ClaimLink.Kind.CONTRADICTS, by=editor, reason="One says loyal, the other not.")
    link.reason += " See the second paragraph."
    _saved(link, editor, "Reason made clearer")
    link.settle(ClaimLink.Status.REJECTED, by=checker, reason="Not the same day.", seen_version=link.version)
    hop = {
        "source": wire,
        "manner": "paraphrase",
        "reason": "'loyal' became 'fully loyal'",
        "url": "https://wire.example/1",
    }
    claim.set_chain([alejandro], [hop | {"article": copy}], by=checker, seen_version=claim.version)
    _saved(CoSpeaker.objects.get(claim=claim), checker, "Second source named")
    _saved(Relay.objects.get(claim=claim), checker, "Wire identified")
    _saved(Comment(claim=claim, author=editor, body="Check with the ministry."), editor)
    _saved(Comment(link=link, author=checker, body="Agreed: a contradiction."), checker)
    story = _saved(
        Story(title="Army loyalty", summary="Whether the army stands by the president.", created_by=editor), editor
    )
    _saved(StoryArticle(story=story, article=original, added_by=checker), checker)
    uprising = _saved(
        Event(
            story=story,
            name="The barracks revolt",
            starts_on=datetime.date(2025, 2, 27),
            ends_on=datetime.date(2025, 2, 28),
            description="Two days of unrest.",
        ),
        editor,
    )
    claim.event = uprising
    _saved(claim, checker, "About the revolt")
    _saved(ClaimTag(claim=claim, tag=Tag.objects.create(name="Army")), editor)
    link.assign(editor, due_on=datetime.date(2025, 3, 6), by=checker, seen_version=link.version)
    link.move(ClaimLink.ReviewStatus.IN_REVIEW, by=checker, seen_version=link.version)
    Comment.post(claim, "Is the date right?", by=checker)
    Notification.objects.filter(recipient=editor, link=link).update(read_at=AT)
    ArticleFetch.objects.create(
        url="https://gpa.example/gone", status=ArticleFetch.Status.FAILED, error="Not found (404)."
    )
    ArticleFetch.objects.create(
        url="https://gpa.example/army?utm=x",
        status=ArticleFetch.Status.SAVED,
        requested_by=editor,
        task_id="b2c4",
        final_url="https://gpa.example/army",
        content_type="text/html; charset=utf-8",
        snapshot="<html><body><p>The army is loyal…</p>\r\n</body></html>",
        title="Army loyal?",
        author="R. Porter",
        published_on=datetime.date(2025, 3, 1),
        site_name="GPA",
        text=BODY,
        article=original,
    )
    Claim.objects.filter(pk=orphan.pk).update(updated_at=timezone.now())
    return {"claim": claim, "other": other, "orphan": orphan, "original": original, "copy": copy, "link": link}


@pytest.fixture
def export_to(tmp_path):
    """Export this database to a file in a fresh folder; returns the file's bytes."""

    def export(name="corpus.jsonl"):
        path = tmp_path / name
        call_command("export_corpus", str(path), stdout=io.StringIO())
        return path.read_bytes()

    return export


@pytest.fixture
def import_from(tmp_path):
    """Import `content` (bytes) written to a file; returns what the command said."""

    def restore(content, *args, name="restore.jsonl"):
        path = tmp_path / name
        path.write_bytes(content)
        out, err = io.StringIO(), io.StringIO()
        call_command("import_corpus", str(path), *args, stdout=out, stderr=err)
        return out.getvalue() + err.getvalue()

    return restore


def wipe():
    """Empty the corpus, the users and the groups: a database just migrated, as far as a restore can tell."""
    with connection.cursor() as cursor:
        for model in reversed(corpus.carried_models()):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
    User.objects.all().delete()
    Group.objects.all().delete()
