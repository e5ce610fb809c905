import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand
from django.db import transaction

from factcheck.importing import import_article
from factcheck.models import Article, Claim, ClaimLink, Event, ReviewStatus, Source, Story
from factcheck.models.stories import set_scope

SEEDS_DIR = Path(settings.BASE_DIR) / "seeds"
DEMO_PASSWORD = "factcheck-demo"
DEMO_ACCOUNTS = [
    # username, full name, group, staff, superuser
    ("ana", "Ana Editor", "Editors", True, False),
    ("ben", "Ben Editor", "Editors", True, False),
    ("vera", "Vera Viewer", "Viewers", False, False),
    ("admin", "Site Admin", None, True, True),
]


class Command(BaseCommand):
    help = "Load the seed articles, their curated sources, claims and links, and the demo accounts. Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument("--seeds", default=str(SEEDS_DIR), help="Folder holding the articles and demo.json.")

    @transaction.atomic
    def handle(self, *args, seeds, **options):
        seeds = Path(seeds)
        demo = json.loads((seeds / "demo.json").read_text(encoding="utf-8"))
        users = self.create_accounts()
        sources = self.load_sources(demo["sources"])
        articles = self.load_articles(seeds, demo["articles"], sources, users["admin"])
        claims = self.load_claims(demo["claims"], articles, sources, users)
        self.load_links(demo["links"], claims, users)
        events = self.load_stories(demo.get("stories", []), articles, users)
        self.load_scopes(demo["claims"], claims, events, users)
        self.place_on_the_board(claims, users)
        self.stdout.write(
            f"Demo data: {Article.objects.count()} articles, {Source.objects.count()} sources, "
            f"{Claim.objects.count()} claims, {ClaimLink.objects.count()} links, "
            f"{Story.objects.count()} stories, {Event.objects.count()} events."
        )
        self.stdout.write(f"Demo logins (password for every account: {DEMO_PASSWORD}):")
        for username, _full_name, group, _staff, superuser in DEMO_ACCOUNTS:
            role = "superuser" if superuser else group.rstrip("s").lower()
            self.stdout.write(f"  {username:<6} {role}")

    def place_on_the_board(self, claims, users):
        """The review as the careful reading left it: a claim with a verdict and a settled link are reviewed; the
        rest waits in "to check". Through the writer, once (a card an editor has moved since is left alone)."""
        for claim in claims.values():
            if claim.verdict != Claim.Verdict.UNREVIEWED and claim.review_status == ReviewStatus.TO_CHECK:
                claim.refresh_from_db()
                claim.move(ReviewStatus.REVIEWED, by=claim.created_by, seen_version=claim.version)
        settled = ClaimLink.objects.exclude(status=ClaimLink.Status.PROPOSED).filter(
            review_status=ReviewStatus.TO_CHECK
        )
        for link in settled.filter(from_claim__in=[claim.pk for claim in claims.values()]):
            link.move(ReviewStatus.REVIEWED, by=link.status_by, seen_version=link.version)

    def create_accounts(self):
        users = {}
        for username, full_name, group, staff, superuser in DEMO_ACCOUNTS:
            first, last = full_name.split(" ", 1)
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"first_name": first, "last_name": last, "is_staff": staff, "is_superuser": superuser},
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
                if group:
                    user.groups.add(Group.objects.get(name=group))
            users[username] = user
        return users

    def load_sources(self, rows):
        sources = {}
        for row in rows:
            sources[row["key"]], _ = Source.objects.get_or_create(
                name=row["name"],
                kind=row["kind"],
                defaults={
                    "description": row.get("description", ""),
                    "url": row.get("url", ""),
                    "reliability_note": row.get("reliability_note", ""),
                },
            )
        for row in rows:
            source = sources[row["key"]]
            if row.get("affiliation") and source.affiliation_id is None:
                source.affiliation = sources[row["affiliation"]]
                source.save(update_fields=["affiliation"])
        return sources

    def load_articles(self, seeds, rows, sources, added_by):
        articles = {}
        for row in rows:
            article, created = import_article(seeds / row["file"], added_by=added_by)
            if created:
                article.title = row["title"]
                article.outlet = sources.get(row.get("outlet"))
                article.author = row.get("author", "")
                article.url = row.get("url", "")
                article.published_on = row.get("published")  # only when the text gives it ("published_basis")
                article.republished_from = articles.get(row.get("republished_from"))
                article.full_clean()
                article.save()
            articles[row["file"]] = article
        return articles

    def load_claims(self, rows, articles, sources, users):
        claims = {}
        # Made in the order of the texts, so that each article's claims are numbered as they are read.
        rows = sorted(rows, key=lambda row: (row["article"], articles[row["article"]].body.find(row["quote"])))
        for row in rows:
            article = articles[row["article"]]
            claim = Claim.objects.filter(article=article, quote=row["quote"]).first()
            if claim is None:
                claim = Claim(
                    article=article,
                    statement=row["statement"],
                    speaker=sources[row["speaker"]],
                    kind=row.get("kind", Claim.Kind.FACT),
                    hedge=row.get("hedge", ""),
                    # Only the dates the text gives, each with the words that give it ("claimed_on_basis").
                    claimed_on=row.get("claimed_on"),
                    claimed_on_precision=row.get("claimed_on_precision", Claim.DatePrecision.DAY),
                    claimed_until=row.get("claimed_until"),
                    claimed_on_basis=row.get("claimed_on_basis", ""),
                    verdict=row.get("verdict", Claim.Verdict.UNREVIEWED),
                    verdict_note=row.get("verdict_note", ""),
                    created_by=users[row.get("by", "ana")],
                )
                # The quote is checked against the text here; the database checks the rest.
                claim.place_quote(row["quote"], article.body.index(row["quote"]))
                claim._history_user = claim.created_by  # the history says who marked it
                claim.save()
            self.load_chain(claim, row, sources, articles, users)
            claims[row["key"]] = claim
        return claims

    def load_chain(self, claim, row, sources, articles, users):
        """The claim's co-speakers and relay hops, through the model's one writer; once only (a chain already there,
        the demo's or an editor's, is left alone)."""
        if not (row.get("co_speakers") or row.get("relays")):
            return
        if claim.relays.exists() or claim.co_speakers.exists() or claim.speaker_id != sources[row["speaker"]].pk:
            return  # its chain is there already, or the claim is not the demo's as curated now (an older demo)
        hops = [
            {
                "source": sources[hop["source"]],
                "manner": hop.get("manner", ""),
                "reason": hop.get("reason", ""),
                "url": hop.get("url", ""),
                "article": articles.get(hop.get("article")),
            }
            for hop in row.get("relays", [])
        ]
        co_speakers = [sources[key] for key in row.get("co_speakers", [])]
        claim.set_chain(co_speakers, hops, by=users[row.get("by", "ana")], seen_version=claim.version)

    def load_links(self, rows, claims, users):
        for row in rows:
            ends = {claims[row["from"]].pk, claims[row["to"]].pk}
            if not ClaimLink.objects.filter(kind=row["kind"], from_claim__in=ends, to_claim__in=ends).exists():
                by = users[row["by"]]
                link = claims[row["from"]].link(claims[row["to"]], row["kind"], by=by, reason=row["reason"])
                # Settled by a careful reading: through the model's writer, who and why kept. Once only.
                if row.get("status", ClaimLink.Status.PROPOSED) != ClaimLink.Status.PROPOSED:
                    link.settle(
                        row["status"],
                        by=users[row["status_by"]],
                        reason=row.get("status_reason", ""),
                        seen_version=link.version,
                    )

    def load_stories(self, rows, articles, users):
        """The demo's stories, their articles and events, through the models' writers; a story or an event already
        there (by its name, in any case) is left as it is. Returns the events by their keys."""
        events = {}
        for row in rows:
            by = users[row.get("by", "ana")]
            story = Story.objects.filter(title__iexact=row["title"]).first()
            if story is None:
                story = Story(title=row["title"], summary=row.get("summary", ""), created_by=by)
                story._history_user = by
                story.save_over(None)
            for file in row["articles"]:
                story.add_article(articles[file], by=by)
            for event_row in row.get("events", []):
                event = story.events.filter(name__iexact=event_row["name"]).first()
                if event is None:
                    event = Event(
                        story=story,
                        name=event_row["name"],
                        # Only days the texts give or that are public record, said so in the description.
                        starts_on=event_row.get("starts_on"),
                        ends_on=event_row.get("ends_on"),
                        description=event_row.get("description", ""),
                    )
                    event.full_clean()
                    event._history_user = by
                    event.save_over(None)
                events[event_row["key"]] = event
        return events

    def load_scopes(self, rows, claims, events, users):
        """Each demo claim's event and tags, through the one writer; once only (a claim with an event or tags
        already, the demo's or an editor's, is left alone)."""
        for row in rows:
            if not (row.get("event") or row.get("tags")):
                continue
            claim = claims[row["key"]]
            claim.refresh_from_db(fields=["version", "event"])
            if claim.event_id is not None or claim.tags.exists():
                continue
            event = events[row["event"]] if row.get("event") else None
            by = users[row.get("by", "ana")]
            set_scope(claim, event, row.get("tags", []), by=by, seen_version=claim.version)
