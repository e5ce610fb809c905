"""The benchmark's newsroom: the demo grown to a given number of claims, quickly and the same way every run.

Articles of about 100 claims, each claim quoting one sentence of its article at its offset, with 32
characters of context either side, as the app anchors a quote. Words come from a Zipf-like vocabulary
(the seed articles' words, commonest first, then made-up words), so that a few words are everywhere
and most are rare; three search terms are planted at known frequencies (SEARCH_TERMS). About one link
per claim (a quarter of them contradictions, with reasons), a few comments, sources by the thousand
(people, anonymous sources, organisations, government bodies, outlets), the speakers' popularity
Zipf-like too, so that one source has a few percent of all claims.

Rows go in by bulk_create, so the database's own search indexes (SQLite triggers, PostgreSQL generated
columns) index them as they would any row. Their history records ("added") are copied in one
INSERT ... SELECT per table, as if each row had been added through the pages; then a few claims are
changed, linked and discussed through the models' own writers, so the team's activity is recent.

Needs Django set up (scripts/benchmark.py does it).
"""

import itertools
import random
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

CLAIMS_PER_ARTICLE = 100
BATCH_ARTICLES = 50  # one transaction per this many articles
VOCABULARY_SIZE = 20_000
# Planted search terms, none of them in the seed articles: the rare one in RARE_CLAIMS claims at any
# size, the others in a share of the claims.
SEARCH_TERMS = {"rare": "orichalcum", "medium": "pipeline", "common": "harbour"}
RARE_CLAIMS = 10
TERM_SHARES = {"medium": 0.01, "common": 0.35}
VERDICTS = [
    ("unreviewed", 40),
    ("accurate", 20),
    ("mostly_accurate", 10),
    ("misleading", 10),
    ("false", 12),
    ("unproven", 8),
]
LINK_KINDS = [("contradicts", 25), ("supports", 45), ("repeats", 30)]
FIRST_NAMES = (
    "Ana Ben Carla Diego Elena Felipe Gloria Hugo Irene Javier Karla Luis Marta Nicolas Olga Pablo Rosa Santiago "
    "Teresa Ulises Valeria Walter Ximena Yolanda Zoe Andres Beatriz Cesar Dalia Emilio Fabiola Gabriel Helena Ignacio "
    "Julia Kevin Lucia Mateo Natalia Oscar Paula Ramon Sofia Tomas Ursula Victor"
).split()
LAST_NAMES = (
    "Alvarez Blanco Castro Diaz Espinoza Fuentes Garcia Herrera Iglesias Jimenez Lopez Martinez Navarro Ortega Perez "
    "Quintero Ramirez Suarez Torres Urdaneta Vargas Zambrano Acosta Bravo Cabrera Duarte Escobar Figueroa Guerrero "
    "Hidalgo Leon Medina Nunez Ochoa Pineda Rojas Salazar Toro Vera Villalobos"
).split()


def vocabulary(seeds_dir, size=VOCABULARY_SIZE):
    """Words, commonest first: the seed articles' words by frequency, then made-up words."""
    counts = {}
    for path in sorted(Path(seeds_dir).glob("*.txt")):
        for word in re.findall(r"[a-z]+", path.read_text(encoding="utf-8").lower()):
            counts[word] = counts.get(word, 0) + 1
    planted = set(SEARCH_TERMS.values())
    words = [w for w, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0])) if w not in planted]
    known = set(words)
    rng = random.Random(1)
    syllables = [c + v for c in "bcdfgklmnprstvz" for v in "aeiou"]
    while len(words) < size:
        word = "".join(rng.choices(syllables, k=rng.randint(2, 4)))
        if word not in known and not any(term[:5] in word for term in planted):
            known.add(word)
            words.append(word)
    return words[:size]


def person_name(n):
    """The n-th of some 47,000 different names."""
    first, rest = FIRST_NAMES[n % len(FIRST_NAMES)], n // len(FIRST_NAMES)
    last, initial = LAST_NAMES[rest % len(LAST_NAMES)], chr(ord("A") + rest // len(LAST_NAMES) % 26)
    return f"{first} {initial}. {last}"


def zipf_weights(count, exponent):
    return list(itertools.accumulate(1 / (rank + 1) ** exponent for rank in range(count)))


@dataclass
class Newsroom:
    """What the growth so far has made, to grow further. One per benchmark run and database."""

    seeds_dir: Path
    rng: random.Random = field(default_factory=lambda: random.Random(2019))
    words: list = field(default_factory=list)
    word_weights: list = field(default_factory=list)
    outlets: list = field(default_factory=list)  # pks
    speakers: list = field(default_factory=list)  # pks, the most quoted first
    claim_pks: list = field(default_factory=list)
    editors: list = field(default_factory=list)  # User objects
    rare_planted: int = 0
    term_counts: dict = field(default_factory=lambda: dict.fromkeys(SEARCH_TERMS, 0))
    copied_history: dict = field(default_factory=dict)  # model -> highest pk whose history exists

    def __post_init__(self):
        from django.contrib.auth.models import User

        from factcheck.models import Article, Claim, ClaimLink, Comment, Source

        self.words = vocabulary(self.seeds_dir)
        self.word_weights = zipf_weights(len(self.words), 1.0)
        self.editors = list(User.objects.filter(groups__name="Editors").order_by("pk"))
        self.claim_pks = list(Claim.objects.order_by("pk").values_list("pk", flat=True))
        self.speakers = list(Source.objects.exclude(kind="outlet").order_by("pk").values_list("pk", flat=True))
        self.outlets = list(Source.objects.filter(kind="outlet").order_by("pk").values_list("pk", flat=True))
        for model in (Article, Claim, ClaimLink, Comment, Source):
            self.copied_history[model] = model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        for name, term in SEARCH_TERMS.items():
            self.term_counts[name] = Claim.objects.filter(statement__icontains=term).count()
        self.rare_planted = self.term_counts["rare"]

    # Text

    def some_words(self, low, high):
        return self.rng.choices(self.words, cum_weights=self.word_weights, k=self.rng.randint(low, high))

    def sentence(self, planted=()):
        words = self.some_words(10, 24)
        for term in planted:
            words.insert(self.rng.randrange(len(words) + 1), term)
        text = " ".join(words)
        return text[0].upper() + text[1:] + "."

    def planted_terms(self):
        terms = []
        if self.rare_planted < RARE_CLAIMS:
            terms.append(SEARCH_TERMS["rare"])
            self.rare_planted += 1
        for name, share in TERM_SHARES.items():
            if self.rng.random() < share:
                terms.append(SEARCH_TERMS[name])
        return terms

    def count_terms(self, terms):
        for name, term in SEARCH_TERMS.items():
            if term in terms:
                self.term_counts[name] += 1

    # Rows

    def grow_sources(self, target):
        """Sources up to `target`: mostly people, some anonymous (through an outlet), organisations,
        government bodies; outlets first."""
        from factcheck.models import Source

        rng = self.rng
        if not self.outlets or len(self.outlets) < 60:
            made = Source.objects.bulk_create(
                Source(name=f"The {rng.choice(self.words).capitalize()} {kind} {n}", kind="outlet")
                for n, kind in zip(
                    range(len(self.outlets), 60), itertools.cycle(["Herald", "Post", "Times", "Wire"]), strict=False
                )
            )
            self.outlets += [source.pk for source in made]
        new = []
        for n in range(len(self.speakers), target - len(self.outlets)):
            roll = rng.random()
            if roll < 0.75:
                new.append(Source(name=person_name(n), kind="person"))
            elif roll < 0.85:
                outlet = rng.choice(self.outlets)
                new.append(Source(name=f"Anonymous official {n}", kind="anonymous", affiliation_id=outlet))
            elif roll < 0.95:
                new.append(Source(name=f"{rng.choice(self.words).capitalize()} Institute {n}", kind="organisation"))
            else:
                new.append(Source(name=f"Ministry of {rng.choice(self.words).capitalize()} {n}", kind="government"))
        for source in new:
            source.description = " ".join(self.some_words(5, 15))
        self.speakers += [source.pk for source in Source.objects.bulk_create(new, batch_size=2000)]

    def article_with_claims(self, number, claim_count, speaker_weights):
        """An article whose text is built from sentences, each claim quoting one of them."""
        from factcheck.anchoring import context_around
        from factcheck.models import Article, Claim

        rng = self.rng
        published = date(2015, 1, 1) + timedelta(days=rng.randrange(4350))
        article = Article(
            title=" ".join(self.some_words(5, 10)).capitalize(),
            outlet_id=rng.choice(self.outlets),
            author=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            url=f"https://news.example.org/benchmark/{number}",
            published_on=published,
            added_by=rng.choice(self.editors),
        )
        quoted = []
        for _ in range(claim_count):
            terms = self.planted_terms()
            quoted.append((self.sentence(terms), terms))
        sentences = [(text, terms) for text, terms in quoted] + [
            (self.sentence(), None) for _ in range(claim_count * 3 // 10)
        ]
        rng.shuffle(sentences)
        pieces, at, claims = [], 0, []
        paragraph_left = 0
        for text, terms in sentences:
            if pieces:
                separator = " " if paragraph_left else "\n\n"
                pieces.append(separator)
                at += len(separator)
            if not paragraph_left:
                paragraph_left = rng.randint(2, 5)
            paragraph_left -= 1
            if terms is not None:
                claims.append((text, terms, at))
            pieces.append(text)
            at += len(text)
        article.body = "".join(pieces)
        made = []
        for text, terms, start in claims:
            prefix, suffix = context_around(article.body, start, start + len(text))
            kept = text.rstrip(".").split()[::2]
            statement = " ".join(kept + [term for term in terms if term not in kept])
            self.count_terms(terms)
            verdict = rng.choices([v for v, _ in VERDICTS], weights=[w for _, w in VERDICTS])[0]
            reviewed = verdict != "unreviewed"
            made.append(
                Claim(
                    article=article,
                    number=len(made) + 1,
                    quote=text,
                    quote_start=start,
                    quote_prefix=prefix,
                    quote_suffix=suffix,
                    statement=statement[0].upper() + statement[1:] + ".",
                    speaker_id=rng.choices(self.speakers, cum_weights=speaker_weights)[0],
                    claimed_on=published - timedelta(days=rng.randrange(10)) if rng.random() < 0.7 else None,
                    verdict=verdict,
                    verdict_note=" ".join(self.some_words(6, 20)) if reviewed and rng.random() < 0.3 else "",
                    created_by=rng.choice(self.editors),
                )
            )
        return article, made

    def links_for(self, new_pks):
        """About one link per new claim: mostly to a claim nearby (the same story), some to any claim."""
        from factcheck.models import ClaimLink

        rng, everyone = self.rng, self.claim_pks
        kinds, kind_weights = [k for k, _ in LINK_KINDS], [w for _, w in LINK_KINDS]
        first_new = len(everyone) - len(new_pks)
        links, seen = [], set()
        editors = self.editors
        for position, pk in enumerate(new_pks, start=first_new):
            if rng.random() < 0.75:
                other = everyone[min(len(everyone) - 1, max(0, position + rng.randint(-150, 150)))]
            else:
                other = everyone[rng.randrange(len(everyone))]
            if other == pk:
                continue
            kind = rng.choices(kinds, weights=kind_weights)[0]
            ends = (pk, other) if kind == "supports" else (min(pk, other), max(pk, other))
            if (ends, kind) in seen:
                continue
            seen.add((ends, kind))
            if kind == "contradicts":
                reason = "The accounts differ: " + " ".join(self.some_words(4, 14)) + "."
            else:
                reason = " ".join(self.some_words(4, 14)) if rng.random() < 0.5 else ""
            by = rng.choice(editors)
            links.append(ClaimLink(from_claim_id=ends[0], to_claim_id=ends[1], kind=kind, reason=reason, created_by=by))
        return links

    def comments_for(self, claims, links):
        from factcheck.models import Comment

        rng, comments = self.rng, []
        for claim_pk in claims:
            if rng.random() < 0.02:
                comments += [
                    Comment(claim_id=claim_pk, author=rng.choice(self.editors), body=" ".join(self.some_words(5, 30)))
                    for _ in range(rng.randint(1, 3))
                ]
        for link in links:
            if link.kind == "contradicts" and rng.random() < 0.03:
                comments += [
                    Comment(link_id=link.pk, author=rng.choice(self.editors), body=" ".join(self.some_words(5, 30)))
                    for _ in range(rng.randint(1, 3))
                ]
        return comments

    def grow_to(self, claim_target, *, say=print):
        """Add articles with their claims, links and comments until there are `claim_target` claims."""
        from django.db import transaction

        from factcheck.models import Article, Claim, ClaimLink, Comment

        self.grow_sources(min(8000, 150 + claim_target // 60))
        speaker_weights = zipf_weights(len(self.speakers), 0.8)
        number = Article.objects.count()
        articles, reported = [], len(self.claim_pks)
        while len(self.claim_pks) < claim_target:
            missing = claim_target - len(self.claim_pks)
            with transaction.atomic():
                articles, claims = [], []
                for _ in range(min(BATCH_ARTICLES, -(-missing // CLAIMS_PER_ARTICLE))):
                    article, made = self.article_with_claims(
                        number, min(CLAIMS_PER_ARTICLE, missing - len(claims)), speaker_weights
                    )
                    number += 1
                    articles.append(article)
                    claims += made
                Article.objects.bulk_create(articles, batch_size=200)
                for claim in claims:
                    claim.article_id = claim.article.pk
                new_pks = [claim.pk for claim in Claim.objects.bulk_create(claims, batch_size=2000)]
                self.claim_pks += new_pks
                links = ClaimLink.objects.bulk_create(self.links_for(new_pks), batch_size=2000)
                Comment.objects.bulk_create(self.comments_for(new_pks, links), batch_size=2000)
            if len(self.claim_pks) - reported >= 100_000:
                reported = len(self.claim_pks)
                say(f"    {reported:,} claims")
        self.orphan_a_few(articles[-1] if articles else None)
        self.copy_history()
        self.recent_activity()

    def orphan_a_few(self, article):
        """A few claims whose quote a change of text lost, as the home page and article page count them."""
        from factcheck.models import Claim

        if article is None:
            return
        orphans = Claim.objects.filter(article=article).order_by("pk")[:3]
        Claim.objects.filter(pk__in=[claim.pk for claim in orphans]).update(quote_start=None)

    def copy_history(self):
        """An "added" history record for every row added since the last copy, as the pages would have
        written: one INSERT ... SELECT per table."""
        from django.db import connection, transaction

        from factcheck.models import Article, Claim, ClaimLink, Comment, Source

        added_by = {Article: "added_by_id", Comment: "author_id"}
        quote = connection.ops.quote_name
        with transaction.atomic(), connection.cursor() as cursor:
            for model in (Source, Article, Claim, ClaimLink, Comment):
                history = model.history.model
                own = {f.attname: f for f in model._meta.concrete_fields}
                columns, selected = [], []
                for history_field in history._meta.concrete_fields:
                    name = history_field.attname
                    if name == "history_id":
                        continue
                    value = {
                        "history_date": "created_at",
                        "history_type": "'+'",
                        "history_change_reason": "NULL",
                        "history_user_id": added_by.get(model, "created_by_id"),
                    }.get(name)
                    if value is None and name in own:
                        value = quote(own[name].column)
                    if value is None:
                        raise RuntimeError(f"{history._meta.db_table}.{name}: no column of {model.__name__} to copy")
                    columns.append(quote(history_field.column))
                    selected.append(value)
                newest = self.copied_history[model]
                cursor.execute(
                    f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(columns)}) "
                    f"SELECT {', '.join(selected)} FROM {quote(model._meta.db_table)} WHERE id > %s ORDER BY id",
                    [newest],
                )
                self.copied_history[model] = model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def recent_activity(self):
        """A few changes through the models' own writers: verdicts, a link, comments."""
        from factcheck.models import Claim, Comment, LinkExists

        rng = self.rng
        picked = Claim.objects.select_related("article").filter(pk__in=rng.sample(self.claim_pks, 20))
        for claim in picked:
            claim.verdict = rng.choice(["accurate", "misleading", "false"])
            claim._history_user = rng.choice(self.editors)
            claim.save_over(claim.version)
        claims = list(picked)
        for first, second in zip(claims[::2], claims[1::2], strict=False):
            try:
                first.link(second, "contradicts", by=rng.choice(self.editors), reason="Spotted in review.")
            except LinkExists:
                pass
            comment = Comment(claim=first, author=rng.choice(self.editors), body="Checked against the record.")
            comment._history_user = comment.author
            comment.save()
