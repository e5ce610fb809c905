"""Full-text search, one way per database, kept in step by the database itself.

PostgreSQL: a stored, generated `search_vector` column (English stemming, the statement or title
weighted above the quote or text) with a GIN index; queries in web-search syntax
(`websearch_to_tsquery`: "a phrase", -word, OR), ranked by `ts_rank`. Source names: a trigram index.
SQLite: an FTS5 table per model over the model's own table (external content, Porter stemming),
kept in step by triggers; the same syntax translated to FTS5, ranked by bm25.

Any writer (pages, admin, importer, API, raw SQL, a restore) updates the index, because the
database does it. `install()` creates what is missing; it runs in a migration and again after
every `migrate`, since SQLite drops a table's triggers when Django rebuilds the table.

A search ranks the newest CAP matches (all of them for any but the commonest words): ranking
every one of half a million matches would take seconds, and nobody reads past the first pages.
"""

import re
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db import connections
from django.db.models import BooleanField, Expression, FloatField, Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils.html import escape
from django.utils.safestring import mark_safe

CAP = 1000
# With other filters, the newest CAP matches among them are ranked by their score among the newest
# RANKED matches of all (older ones come after, newest first): scoring every match of a common word in
# a million rows would take seconds on SQLite.
RANKED = 20_000
# English stemming with accents dropped ("Guaido" finds "Guaidó"), as SQLite's tokenizer does.
CONFIG = "factcheck_english"
# How much a match in each column counts, as PostgreSQL weighs A, B and C by default.
WEIGHTS = {"A": 1.0, "B": 0.4, "C": 0.2}
# Articles longer than this are searched on their first characters only: PostgreSQL caps a
# text-search vector at 1 MB, and a news report is a few thousand words.
MAX_INDEXED_CHARS = 300_000


@dataclass(frozen=True)
class Indexed:
    table: str
    weighted: tuple  # (column, PostgreSQL weight), in the order the FTS5 table lists them


INDEXED = {
    "claim": Indexed("factcheck_claim", (("statement", "A"), ("quote", "B"))),
    "article": Indexed("factcheck_article", (("title", "A"), ("author", "B"), ("body", "C"))),
}


def _fts(indexed):
    return f"{indexed.table}_fts"


def _pg_vector(indexed):
    parts = []
    for column, weight in indexed.weighted:
        text = f"left({column}, {MAX_INDEXED_CHARS})" if column == "body" else column
        # The texts are plain text: without "<", PostgreSQL's parser finds no HTML tags in them (it would skip
        # the words of a <script> element, and "<b>" would be no word at all).
        text = f"replace(coalesce({text}, ''), '<', ' ')"
        parts.append(f"setweight(to_tsvector('public.{CONFIG}'::regconfig, {text}), '{weight}')")
    return " || ".join(parts)


def _sqlite_statements(indexed):
    fts, table = _fts(indexed), indexed.table
    columns = [column for column, _ in indexed.weighted]
    names = ", ".join(columns)
    new = ", ".join(f"new.{column}" for column in columns)
    old = ", ".join(f"old.{column}" for column in columns)
    delete = f"INSERT INTO {fts}({fts}, rowid, {names}) VALUES ('delete', old.id, {old});"
    insert = f"INSERT INTO {fts}(rowid, {names}) VALUES (new.id, {new});"
    return [
        f"CREATE TRIGGER IF NOT EXISTS {fts}_insert AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_delete AFTER DELETE ON {table} BEGIN {delete} END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_update AFTER UPDATE OF {names} ON {table} BEGIN {delete} {insert} END",
    ]


def install(connection):
    """Create the search indexes this database lacks, and fill what was created."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Each step only when missing: ALTER TABLE locks the table even when it has nothing to do.
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
            cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = %s", [CONFIG])
            if cursor.fetchone() is None:
                cursor.execute(f"CREATE TEXT SEARCH CONFIGURATION public.{CONFIG} (COPY = pg_catalog.english)")
                cursor.execute(
                    f"ALTER TEXT SEARCH CONFIGURATION public.{CONFIG} ALTER MAPPING FOR hword, hword_part, word "
                    "WITH unaccent, english_stem"
                )
            for indexed in INDEXED.values():
                cursor.execute(
                    "SELECT 1 FROM information_schema.columns WHERE table_name = %s AND column_name = 'search_vector'",
                    [indexed.table],
                )
                if cursor.fetchone() is None:
                    cursor.execute(
                        f"ALTER TABLE {indexed.table} ADD COLUMN search_vector tsvector "
                        f"GENERATED ALWAYS AS ({_pg_vector(indexed)}) STORED"
                    )
                    cursor.execute(f"CREATE INDEX {indexed.table}_search ON {indexed.table} USING gin (search_vector)")
            cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'factcheck_source_name_trigram'")
            if cursor.fetchone() is None:
                cursor.execute(
                    "CREATE INDEX factcheck_source_name_trigram ON factcheck_source USING gin (name gin_trgm_ops)"
                )
        elif connection.vendor == "sqlite":
            for indexed in INDEXED.values():
                fts = _fts(indexed)
                cursor.execute(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", [f"{fts}_%"]
                )
                complete = cursor.fetchone()[0] == 3
                columns = ", ".join(column for column, _ in indexed.weighted)
                cursor.execute(
                    f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({columns}, content='{indexed.table}', "
                    "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')"
                )
                for statement in _sqlite_statements(indexed):
                    cursor.execute(statement)
                if not complete:
                    # New, or its triggers were lost with a rebuilt table: index every row again.
                    cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")


def uninstall(connection):
    with connection.cursor() as cursor:
        for indexed in INDEXED.values():
            if connection.vendor == "postgresql":
                cursor.execute(f"ALTER TABLE {indexed.table} DROP COLUMN IF EXISTS search_vector")
            elif connection.vendor == "sqlite":
                fts = _fts(indexed)
                for suffix in ("insert", "delete", "update"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {fts}_{suffix}")
                cursor.execute(f"DROP TABLE IF EXISTS {fts}")
        if connection.vendor == "postgresql":
            cursor.execute("DROP INDEX IF EXISTS factcheck_source_name_trigram")
            cursor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS public.{CONFIG}")


# The query language: words, "quoted phrases", -excluded words or phrases, OR between two terms.

TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Term:
    words: tuple
    negated: bool = False
    phrase: bool = False


def parse(text):
    """The terms of a query, in order, with "OR" kept as the string "OR"."""
    terms = []
    for match in TOKEN.finditer(text):
        minus, phrase, bare = match.groups()
        if bare == "OR":
            terms.append("OR")
            continue
        negated = bool(minus) or (bare or "").startswith("-")
        words = tuple(WORD.findall(phrase if phrase is not None else bare))
        if words:
            terms.append(Term(words, negated=negated, phrase=phrase is not None))
    return terms


def words_of(text):
    """The words a query looks for (not those it excludes), for marking them in what it finds."""
    return [word for term in parse(text) if term != "OR" and not term.negated for word in term.words]


def _grouped(text, prefix):
    """The query as groups to find together (AND), each of alternatives (OR: a term, and whether it
    is an unfinished word), and the terms to leave out; None when it looks for nothing. "a OR b c"
    is (a OR b) AND c, on both databases."""
    terms = parse(text)
    positive = [term for term in terms if term == "OR" or not term.negated]
    negative = [term for term in terms if term != "OR" and term.negated]
    last = max((i for i, term in enumerate(positive) if term != "OR"), default=None)
    if last is None:
        return None
    groups, pending_or = [], False
    for i, term in enumerate(positive):
        if term == "OR":
            pending_or = bool(groups)
            continue
        if prefix and i == last and not term.phrase and len(term.words) == 1:
            alternatives = [(Term((start,)), True) for start in _typed_starts(term.words[0])]
        else:
            alternatives = [(term, False)]
        if pending_or:
            groups[-1].extend(alternatives)
        else:
            groups.append(alternatives)
        pending_or = False
    return groups, negative


def _typed_starts(word):
    """The prefixes an unfinished word is looked up by. Both databases stem the word before using it as
    a prefix of stems: "runn" is no prefix of "run" (running), so its shorter starts go too, down to
    three letters. A word that matches more of them ranks higher."""
    return [word[:length] for length in range(len(word), min(len(word), max(3, len(word) - 3)) - 1, -1)]


def fts5_query(text, *, prefix=False):
    """The query in FTS5's language, or None when it looks for nothing (empty, or only exclusions)."""
    grouped = _grouped(text, prefix)
    if grouped is None:
        return None
    groups, negative = grouped

    def quoted(term, starred=False):
        return '"' + " ".join(term.words) + '"' + ("*" if starred else "")

    query = " AND ".join("(" + " OR ".join(quoted(*alternative) for alternative in group) + ")" for group in groups)
    if negative:
        query = f"({query}) NOT ({' OR '.join(quoted(term) for term in negative)})"
    return query


def _pg_query(text, prefix):
    """SQL for the tsquery of `text` and its parameters (never None: words_of(text) is not empty)."""
    groups, negative = _grouped(text, prefix)
    params = []

    def term_sql(term, starred=False):
        if starred:
            params.append(term.words[0] + ":*")
            return f"to_tsquery('public.{CONFIG}', %s)"
        params.append(" ".join(term.words))
        return f"phraseto_tsquery('public.{CONFIG}', %s)"

    sql = " && ".join("(" + " || ".join(term_sql(*alternative) for alternative in group) + ")" for group in groups)
    if negative:
        sql = f"({sql}) && !!({' || '.join(term_sql(term) for term in negative)})"
    return f"({sql})", params


class OnRow(Expression):
    """Raw SQL about a row of the query it is part of: {row} stands for the row's table as that
    query names it (a subquery renames its tables, which plain RawSQL would not follow)."""

    def __init__(self, sql, params, output_field):
        super().__init__(output_field=output_field)
        self.sql, self.params = sql, params

    def as_sql(self, compiler, connection):
        row = compiler.quote_name(compiler.query.get_initial_alias())
        return self.sql.replace("{row}", row), list(self.params)


def matching(queryset, kind, text, *, prefix=False, also=None, within_filters=True):
    """`queryset` narrowed to the rows matching `text`, the newest CAP of them, each with its
    `rank` (higher is better), best first. `prefix`: the last word may be unfinished (as typed).
    `also`: a Q for more rows to count as found (ranked below every match of the words).
    `within_filters=False`: the newest CAP matches of all rows, then the queryset's own filters (for
    filters that leave out a few rows: much faster, as no filter has to be read for every match)."""
    indexed = INDEXED[kind]
    if not words_of(text):
        return queryset.none()  # nothing to look for: empty, or only words to leave out
    sqlite = connections[queryset.db].vendor != "postgresql"
    if sqlite:
        query = fts5_query(text, prefix=prefix)
        fts = _fts(indexed)
        hit = OnRow(f"{{row}}.id IN (SELECT rowid FROM {fts} WHERE {fts} MATCH %s)", [query], BooleanField())
        # bm25 is lower for better matches; each column weighed as PostgreSQL weighs it. Scored in one
        # pass over the newest matches, which SQLite keeps (and indexes) for the statement: scoring each
        # row apart seeks through the whole list of a common word's matches every time (2 s for 1,000).
        weights = ", ".join(str(WEIGHTS[weight]) for _, weight in indexed.weighted)
        scored = CAP if not (within_filters and queryset.query.where) else RANKED
        rank = OnRow(
            f"(SELECT score FROM (SELECT rowid AS scored_id, -bm25({fts}, {weights}) AS score FROM {fts} "
            f"WHERE {fts} MATCH %s ORDER BY rowid DESC LIMIT {scored}) WHERE scored_id = {{row}}.id)",
            [query],
            FloatField(),
        )
    else:
        sql, params = _pg_query(text, prefix)
        hit = OnRow(f"{{row}}.search_vector @@ {sql}", params, BooleanField())
        rank = OnRow(f"ts_rank({{row}}.search_vector, {sql})", params, FloatField())
    if within_filters and queryset.query.where:
        found = Q(search_hit=True) | also if also is not None else Q(search_hit=True)
        newest = queryset.alias(search_hit=hit).filter(found).order_by("-pk").values("pk")[:CAP]
        found = Q(pk__in=newest)
    else:
        rows = queryset.model._default_manager
        if sqlite:
            # FTS5 reads its list of matches newest first and stops at CAP, where the form above
            # collects every match of a common word first.
            newest = RawSQL(f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s ORDER BY rowid DESC LIMIT {CAP}", [query])
        else:
            newest = rows.alias(search_hit=hit).filter(search_hit=True).order_by("-pk").values("pk")[:CAP]
        # The ids found, read first (one query): joined to the filters as a subquery, PostgreSQL
        # would misjudge their number and read the whole table to join them.
        ids = list(rows.filter(pk__in=newest).values_list("pk", flat=True))
        if also is not None:
            ids += rows.filter(also).order_by("-pk").values_list("pk", flat=True)[:CAP]
        found = Q(pk__in=ids or [0])  # no row has id 0: the query is asked even when nothing matched
    return queryset.filter(found).annotate(rank=Coalesce(rank, 0.0)).order_by("-rank", "-pk")


def containing(queryset, fields, text):
    """`queryset` narrowed to rows where one of `fields` holds each term of the query as typed (the
    same syntax, matched as text: for short names, where stemming would get in the way)."""
    grouped = _grouped(text, prefix=False)
    if grouped is None:
        return queryset.none()
    groups, negative = grouped

    def holding(term):
        words = " ".join(term.words)
        return reduce(or_, (Q(**{f"{field}__icontains": words}) for field in fields))

    for group in groups:
        queryset = queryset.filter(reduce(or_, (holding(term) for term, _ in group)))
    for term in negative:
        queryset = queryset.exclude(holding(term))
    return queryset


def _pattern(words):
    """A regular expression for the words a query found, in any of their forms."""
    stems = sorted({_stem(word.lower()) for word in words if word}, key=len, reverse=True)
    if not stems:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(stem) for stem in stems) + r")\w*", re.IGNORECASE)


def marked(text, words):
    """`text`, escaped, with each word that starts like one of `words` (a stemmed match: "plans"
    finds "planned") in <mark>."""
    pattern = _pattern(words)
    if pattern is None:
        return escape(text)
    out, at = [], 0
    for match in pattern.finditer(text):
        out += [escape(text[at : match.start()]), f"<mark>{escape(match.group())}</mark>"]
        at = match.end()
    out.append(escape(text[at:]))
    return mark_safe("".join(out))


def _stem(word):
    """A word's likely stem, enough to mark its inflections: plans, planned, planning -> plan."""
    for suffix in ("ations", "ation", "ings", "ing", "ies", "ied", "ed", "es", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            # planned -> plann -> plan; but not "all" or "fell"
            if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]
            return word
    return word


def excerpt(text, words, width=240):
    """A passage of `text` around its first matched word, marked; the start when none matches."""
    pattern = _pattern(words)
    match = pattern.search(text) if pattern else None
    at = match.start() if match else 0
    start = max(0, at - width // 3)
    start = text.rfind(" ", 0, start) + 1 if start else 0
    end = min(len(text), max(start + width, match.end() if match else 0))
    passage = text[start:end]
    prefix = "…" if start else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(prefix + marked(passage, words) + suffix)
