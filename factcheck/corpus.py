"""Backups: the whole corpus as one file, and back, on SQLite or PostgreSQL alike.

The file is JSON Lines, UTF-8: a header line (format, version, the app's migration, the fields and
the number of rows of each model), then one line per row: groups, users (by username), then every
model of the app, parents first, each ordered by primary key. Nothing in it depends on when or where
it was written, so two exports of the same data are equal byte for byte, whichever the database.

Models and fields come from the app's models themselves: a field or model added later is carried
without a change here. Left out: generated columns (the database computes them again, the search
index with them) and the models in LEFT_OUT.
"""

import json
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal
from uuid import UUID

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import DatabaseError, connection, transaction
from django.db.migrations.recorder import MigrationRecorder

from . import search

FORMAT = "factcheck-corpus"
VERSION = 1
APP = "factcheck"
# Each model of the app the file does not carry, and why (the tests hold every other model to be carried).
LEFT_OUT = {
    "factcheck.apitoken": "API tokens are credentials for scripts: a backup travels further than the database, and a "
    "restored copy (a staging server, a laptop) must not accept production's keys. Their owners make new ones.",
}
USERS = "auth.user"
GROUPS = "auth.group"
BATCH = 500


class CorpusError(Exception):
    """The file cannot be read or restored; the message says why, and on which line when one is to blame."""

    def __init__(self, message, line=None):
        super().__init__(message)
        self.line = line

    def __str__(self):
        return f"line {self.line}: {self.args[0]}" if self.line else self.args[0]


def _label(model):
    return model._meta.label_lower


def carried_models():
    """The app's models the file carries, parents before children, live models before their history."""
    models = [model for model in apps.get_app_config(APP).get_models() if _label(model) not in LEFT_OUT]
    histories = {model.history.model for model in models if hasattr(model, "history")}
    waiting = {
        model: {
            f.related_model
            for f in carried_fields(model)
            if f.is_relation and f.related_model in models and f.related_model is not model
        }
        for model in models
    }
    ordered = []
    while waiting:
        ready = [model for model, parents in waiting.items() if not parents - set(ordered)]
        if not ready:  # a cycle between models: the database checks the references at the end anyway
            ready = list(waiting)
        model = min(ready, key=lambda m: (m in histories, _label(m)))
        ordered.append(model)
        del waiting[model]
    return ordered


def carried_fields(model):
    """The columns the file carries: every concrete field but those the database generates."""
    return [f for f in model._meta.concrete_fields if not f.generated]


def user_fields():
    """A user's columns, by username: the id differs from one database to another."""
    User = get_user_model()
    return [f for f in carried_fields(User) if not f.primary_key]


def _is_user(field):
    return field.is_relation and field.related_model is get_user_model()


def _migration_state():
    """The app's migrations applied to this database, by name."""
    return sorted(name for app, name in MigrationRecorder(connection).applied_migrations() if app == APP)


def _dumped(field, value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    raise TypeError(f"{field.model._meta.label}.{field.name}: cannot carry a {type(value).__name__} value")


def _line(obj):
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n"


@contextmanager
def _snapshot():
    """One consistent view of the data for the whole export, without holding writers back."""
    if connection.in_atomic_block:
        yield
    elif connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
    elif connection.vendor == "sqlite":
        # A deferred transaction reads one snapshot (WAL); the site's IMMEDIATE one would lock out writers.
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("COMMIT")
    else:
        with transaction.atomic():
            yield


def _permission_names(permissions):
    return sorted(f"{app_label}.{codename}" for app_label, codename in permissions)


def export(out):
    """Write the corpus to the text stream `out`. Returns the number of rows of each model."""
    User = get_user_model()
    models = carried_models()
    with _snapshot():
        counts = {GROUPS: Group.objects.count(), USERS: User._default_manager.count()}
        counts |= {_label(model): model._base_manager.count() for model in models}
        fields = {USERS: [f.name for f in user_fields()]} | {
            _label(model): [f.name for f in carried_fields(model)] for model in models
        }
        out.write(
            _line(
                {
                    "format": FORMAT,
                    "version": VERSION,
                    "migrations": {APP: _migration_state()},
                    "counts": counts,
                    "fields": fields,
                    "left_out": LEFT_OUT,
                }
            )
        )
        _export_accounts(out)
        usernames = dict(User._default_manager.values_list("pk", User.USERNAME_FIELD))
        for model in models:
            model_fields = carried_fields(model)
            rows = model._base_manager.order_by("pk").values_list(*(f.attname for f in model_fields))
            label = _label(model)
            for row in rows.iterator(chunk_size=2000):
                values = {}
                for f, value in zip(model_fields, row, strict=True):
                    # A history row may name a user deleted since (no constraint there): nobody, then.
                    values[f.name] = usernames.get(value) if _is_user(f) else _dumped(f, value)
                out.write(_line({"model": label, "fields": values}))
    return counts


def _export_accounts(out):
    User = get_user_model()
    group_permissions = defaultdict(list)
    for group, app_label, codename in Group.permissions.through.objects.values_list(
        "group__name", "permission__content_type__app_label", "permission__codename"
    ):
        group_permissions[group].append((app_label, codename))
    for name in sorted(Group.objects.values_list("name", flat=True)):
        out.write(
            _line(
                {"model": GROUPS, "fields": {"name": name}, "permissions": _permission_names(group_permissions[name])}
            )
        )

    groups, permissions = defaultdict(list), defaultdict(list)
    for user_id, name in User.groups.through.objects.values_list("user_id", "group__name"):
        groups[user_id].append(name)
    for user_id, app_label, codename in User.user_permissions.through.objects.values_list(
        "user_id", "permission__content_type__app_label", "permission__codename"
    ):
        permissions[user_id].append((app_label, codename))
    carried = user_fields()
    users = User._default_manager.values("pk", *(f.attname for f in carried))
    # Sorted here, not by the database: PostgreSQL's collations and SQLite's order names differently.
    for user in sorted(users, key=lambda user: user[User.USERNAME_FIELD]):
        pk = user["pk"]
        values = {f.name: _dumped(f, user[f.attname]) for f in carried}
        out.write(
            _line(
                {
                    "model": USERS,
                    "fields": values,
                    "groups": sorted(groups[pk]),
                    "user_permissions": _permission_names(permissions[pk]),
                }
            )
        )


# Import


@dataclass
class Report:
    counts: dict = field(default_factory=dict)
    users_created: list = field(default_factory=list)
    users_kept: list = field(default_factory=list)
    groups_created: list = field(default_factory=list)
    replaced: dict = field(default_factory=dict)
    warnings: list = field(default_factory=list)
    claims_standing: int = 0
    claims_orphaned: int = 0
    misplaced: list = field(default_factory=list)
    search_rebuilt: bool = False


def _read_header(line):
    try:
        header = json.loads(line) if line else None
    except ValueError:
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise CorpusError("this is not a factcheck corpus file (no header naming the format)", 1)
    version = header.get("version")
    if not isinstance(version, int) or version > VERSION:
        raise CorpusError(
            f"the file is in format version {version}, newer than this factcheck reads ({VERSION}): "
            "restore it with the version of factcheck that wrote it, or a newer one",
            1,
        )
    counts, fields = header.get("counts"), header.get("fields")
    migrations = header.get("migrations")
    if not (isinstance(counts, dict) and isinstance(fields, dict) and isinstance(migrations, dict)):
        raise CorpusError("the header lacks the counts, fields or migrations of the rows: the file is damaged", 1)
    carried = {USERS: user_fields()} | {_label(model): carried_fields(model) for model in carried_models()}
    unknown = sorted((set(counts) | set(fields)) - set(carried) - {GROUPS})
    if unknown:
        raise CorpusError(
            f"the file holds models this factcheck does not know: {', '.join(unknown)}. "
            "It was written by another version of factcheck: restore it with that version",
            1,
        )
    applied = set(_migration_state())
    if not applied:
        raise CorpusError("This database is not set up: run manage.py migrate first, then the import")
    missing = [name for name in migrations.get(APP, []) if name not in applied]
    if missing:
        raise CorpusError(
            f"the file was written after migration {missing[-1]}, which this database lacks: update "
            "factcheck and run manage.py migrate first",
            1,
        )
    for label, names in fields.items():
        extra = sorted(set(names) - {f.name for f in carried.get(label, [])})
        if label != GROUPS and extra:
            raise CorpusError(
                f"the file carries fields {label} does not have here: {', '.join(extra)}. "
                "It was written by a newer factcheck: update, migrate, then import",
                1,
            )
    return header


def described(counts):
    """Row counts in words: '5 articles, 1 claim'."""
    named = []
    for label, count in counts.items():
        model = apps.get_model(label)
        named.append(f"{count} {model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural}")
    return ", ".join(named)


def _empty_or_replace(models, replace, report):
    present = {_label(m): n for m in models if (n := m._base_manager.count())}
    if present and not replace:
        raise CorpusError(
            f"The database already holds {described(present)}. A restore goes into an empty database (a new one, "
            "after manage.py migrate); or give --replace to delete all of these first, in the same transaction."
        )
    with connection.cursor() as cursor:
        for model in reversed(models):
            if _label(model) in present:
                # Plain SQL: no cascade in Python, no history record of a deletion.
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
    report.replaced = present


class _Restore:
    def __init__(self, report):
        self.report = report
        self.user_ids = {}
        self.read = defaultdict(int)
        self.pending = []  # (line number, object) of the model being read
        self.pending_model = None
        self.permissions = {}

    def permission_ids(self, names, number):
        if not self.permissions:
            self.permissions = {
                f"{app_label}.{codename}": pk
                for pk, app_label, codename in Permission.objects.values_list(
                    "pk", "content_type__app_label", "codename"
                )
            }
        ids = []
        for name in names:
            if name in self.permissions:
                ids.append(self.permissions[name])
            else:
                self.report.warnings.append(f"line {number}: permission {name} does not exist here; left out.")
        return ids

    def group(self, row, number):
        name = row["fields"]["name"]
        group, created = Group.objects.get_or_create(name=name)
        if created:
            group.permissions.set(self.permission_ids(row.get("permissions", []), number))
            self.report.groups_created.append(name)

    def user(self, row, number):
        User = get_user_model()
        fields = {}
        for f in user_fields():
            if f.name in row["fields"]:
                fields[f.attname] = f.to_python(row["fields"][f.name])
        username = fields[User.USERNAME_FIELD]
        user = User._default_manager.filter(**{User.USERNAME_FIELD: username}).first()
        if user is None:
            user = User(**fields)
            user.save()
            user.groups.set(Group.objects.filter(name__in=row.get("groups", [])))
            user.user_permissions.set(self.permission_ids(row.get("user_permissions", []), number))
            self.report.users_created.append(username)
        else:
            self.report.users_kept.append(username)
        self.user_ids[username] = user.pk

    def row(self, model, row, number):
        values = row["fields"]
        kwargs = {}
        for f in carried_fields(model):
            if f.name not in values:
                continue  # written before the field existed: its default
            value = values[f.name]
            if _is_user(f) and value is not None:
                if value not in self.user_ids:
                    raise CorpusError(f"{f.name} names user {value!r}, who is not in the file")
                value = self.user_ids[value]
            else:
                try:
                    value = f.to_python(value)
                except ValidationError as error:
                    raise CorpusError(f"{_label(model)} {f.name}: {' '.join(error.messages)}") from error
            kwargs[f.attname] = value
        if model is not self.pending_model:
            self.flush()
            self.pending_model = model
        self.pending.append((number, model(**kwargs)))
        if len(self.pending) >= BATCH:
            self.flush()

    def flush(self):
        if not self.pending:
            return
        model, pending = self.pending_model, self.pending
        self.pending = []
        fields = carried_fields(model)
        try:
            with transaction.atomic():
                model._base_manager._insert([obj for _, obj in pending], fields=fields, raw=True)
        except DatabaseError:
            # Which row? Each again on its own, to name its line.
            for number, obj in pending:
                try:
                    with transaction.atomic():
                        model._base_manager._insert([obj], fields=fields, raw=True)
                except DatabaseError as error:
                    raise CorpusError(f"{_label(model)} #{obj.pk}: {_shortened(error)}", number) from error
        self.read[_label(model)] += len(pending)


def restore(lines, *, replace=False):
    """Restore the corpus from `lines` (an iterable of text lines) into this database, all or nothing.
    Returns a Report; raises CorpusError naming the line when the file cannot be restored."""
    lines = iter(lines)
    header = _read_header(next(lines, ""))
    report = Report(counts=header.get("counts", {}))
    models = carried_models()
    by_label = {_label(model): model for model in models}
    with transaction.atomic():
        _empty_or_replace(models, replace, report)
        restoring = _Restore(report)
        number = 1
        for number, text in enumerate(lines, start=2):
            if not text.strip():
                continue
            try:
                row = json.loads(text)
                label = row["model"]
                if label == GROUPS:
                    restoring.group(row, number)
                elif label == USERS:
                    restoring.user(row, number)
                elif label in by_label:
                    restoring.row(by_label[label], row, number)
                else:
                    raise CorpusError(f"unknown model {label!r}")
                if label in (GROUPS, USERS):
                    restoring.read[label] += 1
            except CorpusError as error:
                error.line = error.line or number
                raise
            except ValidationError as error:
                raise CorpusError("; ".join(error.messages), number) from error
            except (ValueError, KeyError, TypeError, AttributeError) as error:
                raise CorpusError(f"not a row this factcheck can read ({error!r})", number) from error
            except DatabaseError as error:
                raise CorpusError(_shortened(error), number) from error
        restoring.flush()
        for label, expected in report.counts.items():
            if restoring.read[label] != expected:
                damage = "incomplete (an export cut short?)" if restoring.read[label] < expected else "damaged"
                raise CorpusError(
                    f"The file ends at line {number} with {restoring.read[label]} rows of {label} where its header "
                    f"announces {expected}: it is {damage}"
                )
        try:
            connection.check_constraints(table_names=[model._meta.db_table for model in models])
        except DatabaseError as error:
            raise CorpusError(
                f"The file's rows do not hold together (a row names one not in the file): {_shortened(error)}"
            ) from error
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)
        _check_anchors(report)
        _check_search(report)
    return report


def _shortened(error, limit=400):
    """The database's message, without a whole article's text when it quotes the failing row."""
    text = " ".join(str(error).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _check_anchors(report):
    """Every claim's quote at its offsets in its article's text, as the import put them: counted, and
    the claims that are not named (orphaned ones were so in the database exported)."""
    Article, Claim = apps.get_model(APP, "Article"), apps.get_model(APP, "Claim")
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), 200):
        articles = Article.objects.only("body").in_bulk(ids[start : start + 200])
        claims = Claim.objects.filter(article_id__in=articles).only("article_id", "quote", "quote_start")
        for claim in claims.order_by("article_id", "pk"):
            claim.article = articles[claim.article_id]
            problem = claim.anchor_problem()
            if claim.quote_start is None:
                report.claims_orphaned += 1
            elif problem:
                report.misplaced.append(f"claim #{claim.pk} (article #{claim.article_id}): {problem}")
            else:
                report.claims_standing += 1


def _check_search(report):
    """On SQLite the search index is a table of its own, kept by triggers: check it holds every
    restored row, and build it again if not. PostgreSQL computes it in each row."""
    if connection.vendor != "sqlite":
        return
    search.install(connection)
    with connection.cursor() as cursor:
        for indexed in search.INDEXED.values():
            fts = search._fts(indexed)
            try:
                with transaction.atomic():
                    cursor.execute(f"INSERT INTO {fts}({fts}, rank) VALUES ('integrity-check', 1)")
            except DatabaseError:
                cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
                report.search_rebuilt = True
