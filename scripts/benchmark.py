"""How fast the main pages answer on a newsroom-sized database.

    .venv/bin/python scripts/benchmark.py [--articles 200] [--claims-per-article 25] [--runs 30]

Builds a throwaway SQLite database (or, with --database-url, uses that one: it is wiped), loads
the demo, grows it to the given size, then requests each page `runs` times through Django's test
client (no network: the view, its queries and its template) as an editor, and prints the median
and 95th percentile time and the number of queries per page.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--claims-per-article", type=int, default=25)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--database-url", help="a database to wipe and use instead of a throwaway SQLite file")
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="factcheck-bench-")
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{workdir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))
    grow(args.articles, args.claims_per_article)

    from django.contrib.auth.models import User

    from factcheck.models import Article, Claim, ClaimLink, Source

    client = Client()
    client.force_login(User.objects.get(username="ana"))
    busiest_claim = max(Claim.objects.all()[:500], key=lambda c: c.links_from.count() + c.links_to.count())
    article = Article.objects.order_by("-pk").first()
    pages = {
        "home": "/",
        "article list": "/articles/",
        "article search": "/articles/?q=army",
        "article page": article.get_absolute_url(),
        "claim page": busiest_claim.get_absolute_url(),
        "claim page, live search": f"/claims/{busiest_claim.pk}/link-candidates?q=army",
        "source list": "/sources/",
        "source page": Source.objects.order_by("-pk").first().get_absolute_url(),
        "contradictions": "/contradictions/",
        "contradictions poll (no change)": None,
    }
    print(
        f"Data: {Article.objects.count()} articles, {Claim.objects.count()} claims, "
        f"{ClaimLink.objects.count()} links, {Source.objects.count()} sources; {args.runs} runs per page\n"
    )
    print(f"{'page':34} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for name, url in pages.items():
        headers = {"HX-Request": "true"} if "link-candidates" in (url or "") else {}
        if url is None:
            first = client.get("/contradictions/", headers={"HX-Request": "true", "HX-Target": "results"})
            shown = first.content.decode().split('"shown": "')[1].split('"')[0]
            url = f"/contradictions/?shown={shown}"
            headers = {"HX-Request": "true", "HX-Target": "results"}
        client.get(url, headers=headers)
        times = []
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(url, headers=headers)
                times.append((time.perf_counter() - start) * 1000)
            assert response.status_code in (200, 204), (url, response.status_code)
        p95 = statistics.quantiles(times, n=20)[-1]
        print(f"{name:34} {statistics.median(times):10.1f} {p95:8.1f} {len(queries):8}")


def grow(article_count, claims_per_article):
    """Articles with claims quoting their sentences, and links between random claims."""
    from django.db import transaction

    from factcheck.models import Article, Claim, ClaimLink, Source

    rng = random.Random(2019)
    words = "army loyal Maduro Guaidó coup plot Russia Washington officers border aid military".split()
    with transaction.atomic():
        outlets = [Source.objects.create(name=f"Outlet {n}", kind="outlet") for n in range(20)]
        people = [Source.objects.create(name=f"Person {n}", kind="person") for n in range(200)]
        claims = []
        for a in range(article_count):
            sentences = [
                " ".join(rng.choice(words) for _ in range(12)) + f" (report {a}, sentence {s})."
                for s in range(claims_per_article)
            ]
            body = "\n\n".join(sentences)
            article = Article.objects.create(title=f"Report {a}", body=body, outlet=rng.choice(outlets))
            for sentence in sentences:
                start = body.index(sentence)
                claims.append(
                    Claim(
                        article=article,
                        quote=sentence,
                        quote_start=start,
                        statement=sentence.capitalize(),
                        speaker=rng.choice(people),
                    )
                )
        claims = Claim.objects.bulk_create(claims)
        links, seen = [], set()
        for _ in range(len(claims)):
            first, second = sorted(rng.sample(claims, 2), key=lambda c: c.pk)
            kind = rng.choice(["contradicts", "supports", "repeats"])
            if (first.pk, second.pk, kind) not in seen:
                seen.add((first.pk, second.pk, kind))
                links.append(ClaimLink(from_claim=first, to_claim=second, kind=kind, reason="Benchmark link."))
        ClaimLink.objects.bulk_create(links)


if __name__ == "__main__":
    main()
