"""The history of every article, claim, source, link and comment: who changed what, in the words
a page shows; what went with a deletion; and bringing it all back on a restore."""

from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.dispatch import receiver
from django.urls import reverse
from simple_history.signals import pre_create_historical_record

from .models import Article, Claim, ClaimLink, Comment, Source
from .models.claims import CHAIN_CHANGED

HIDDEN_IN_HISTORY = {"version", "created_at", "updated_at", "content_hash", "quote_prefix", "quote_suffix"}

# What a deletion takes with it, parents before children: the order to restore them in.
DEPENDENTS = [Claim, ClaimLink, Comment]

_deleting = ContextVar("deleting", default=None)


def _deleted_with(obj):
    return f"deleted with {obj._meta.model_name} #{obj.pk}"


@contextmanager
def _tagging_cascade(obj):
    token = _deleting.set((type(obj), obj.pk, _deleted_with(obj)))
    try:
        yield
    finally:
        _deleting.reset(token)


@receiver(pre_create_historical_record)
def _tag_cascaded_deletion(sender, instance, history_instance, **kwargs):
    """Mark each object deleted along with another, so a restore of that one can bring it back."""
    deleting = _deleting.get()
    if deleting and history_instance.history_type == "-" and (type(instance), instance.pk) != deleting[:2]:
        history_instance.history_change_reason = deleting[2]


def delete(obj, *, by=None):
    """Delete an object with what depends on it (a claim's links and comments, ...), each recorded
    in the history as deleted with it. Pages and admin delete through here."""
    with transaction.atomic(), _tagging_cascade(obj):
        # Locked first: a colleague adding a claim to it meanwhile waits, then finds it gone.
        type(obj)._default_manager.select_for_update().filter(pk=obj.pk).exists()
        obj._history_user = by
        obj.delete()


def restore_deleted_with(obj, *, by=None):
    """After `obj` (deleted) was saved again: bring back what was deleted with it, each from its
    last recorded state, with its history going on. Claims are anchored again in their article's
    text as it is now. Returns how many objects came back."""
    reason = _deleted_with(obj)
    restored = 0
    for model in DEPENDENTS:
        records = model.history.filter(history_type="-", history_change_reason=reason).order_by("-history_date")
        seen = set()
        for record in records.exclude(id__in=model.objects.values("pk")):
            if record.id in seen:
                continue
            seen.add(record.id)
            instance = record.instance
            if not _parents_exist(instance):
                continue
            if isinstance(instance, Claim) and instance.anchor_problem():
                instance.find_again()  # or orphaned, never pointing at other words
            instance._history_user = by
            instance._change_reason = f"restored with {obj._meta.model_name} #{obj.pk}"
            instance.save(force_insert=True)
            restored += 1
    return restored


def _parents_exist(instance):
    if isinstance(instance, ClaimLink):
        return Claim.objects.filter(pk__in=[instance.from_claim_id, instance.to_claim_id]).count() == 2
    if isinstance(instance, Comment):
        if instance.claim_id:
            return Claim.objects.filter(pk=instance.claim_id).exists()
        return ClaimLink.objects.filter(pk=instance.link_id).exists()
    return Article.objects.filter(pk=instance.article_id).exists()


def entries(obj, limit=20):
    """The newest changes to one object, each with who, when and which fields changed how,
    in the words a page shows (verdict labels, source names), at a fixed number of queries."""
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    found, related = [], defaultdict(set)
    for record, older in zip(records[:limit], records[1:] + [None], strict=False):
        changes = []
        if older is not None and record.history_type == "~":
            for change in record.diff_against(older, excluded_fields=HIDDEN_IN_HISTORY & _field_names(obj)).changes:
                field = obj._meta.get_field(change.field)
                if field.is_relation:
                    related[field.related_model].update(v for v in (change.old, change.new) if v is not None)
                changes.append((field, change.old, change.new))
        found.append({"record": record, "changes": changes, "chain": _chain_change(record, records)})
    names = {model: dict(model._default_manager.filter(pk__in=pks).in_bulk()) for model, pks in related.items()}

    def shown(field, value):
        if value in (None, ""):
            return ""
        if field.is_relation:
            known = names[field.related_model].get(value)
            return str(known) if known else f"#{value} (deleted)"
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        return value

    for entry in found:
        entry["changes"] = [
            {"field": field.verbose_name, "old": shown(field, old), "new": shown(field, new)}
            for field, old, new in entry["changes"]
        ] + entry.pop("chain")
    return found


def _chain_change(record, records):
    """A claim's attribution chain changed by this record (`Claim.set_chain`), as a change from the line
    of the chain before (the one recorded by an older record read, if any) to the new one."""
    reason = getattr(record, "history_change_reason", None) or ""
    if not reason.startswith(CHAIN_CHANGED):
        return []
    older = [r.history_change_reason or "" for r in records if r.history_date < record.history_date]
    before = next((line for line in older if line.startswith(CHAIN_CHANGED)), "")
    line = reason.removeprefix(CHAIN_CHANGED)
    return [{"field": "attribution chain", "old": before.removeprefix(CHAIN_CHANGED), "new": line}]


def _field_names(obj):
    return {field.name for field in obj._meta.concrete_fields}


def team_activity(limit=15):
    """The newest changes across articles, claims, sources, links and comments, newest first."""
    feeds = [
        (Claim.history.select_related("history_user"), "claim", lambda r: r.statement),
        (ClaimLink.history.select_related("history_user"), "link", lambda r: f"{r.get_kind_display().lower()} link"),
        (Article.history.select_related("history_user").defer("body"), "article", lambda r: r.title),
        (Source.history.select_related("history_user"), "source", lambda r: r.name),
        (Comment.history.select_related("history_user"), "comment", lambda r: r.body),
    ]
    activity = []
    for queryset, kind, label in feeds:
        for record in queryset.order_by("-history_date", "-history_id")[:limit]:
            activity.append(
                {
                    "when": record.history_date,
                    "who": record.history_user,
                    "action": {"+": "added", "~": "changed", "-": "deleted"}[record.history_type],
                    "kind": kind,
                    "label": label(record),
                    "url": _activity_url(kind, record),
                }
            )
    activity.sort(key=lambda entry: entry["when"], reverse=True)
    return activity[:limit]


def _activity_url(kind, record):
    if record.history_type == "-":
        return None
    if kind == "comment":
        return (
            reverse("claim_detail", args=[record.claim_id])
            if record.claim_id
            else reverse("link_detail", args=[record.link_id])
        )
    names = {"claim": "claim_detail", "link": "link_detail", "article": "article_detail", "source": "source_detail"}
    return reverse(names[kind], args=[record.id])
