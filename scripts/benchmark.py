"""How fast factcheck answers on newsroom-sized databases, over HTTP, from the production server.

    .venv/bin/python scripts/benchmark.py                  # SQLite and PostgreSQL; 5,000, 50,000, 200,000 claims;
                                                           # search at 1,000,000 (under an hour on 2 cores)
    .venv/bin/python scripts/benchmark.py --quick          # both databases at 5,000, search at 20,000 (5 minutes)
    .venv/bin/python scripts/benchmark.py --database sqlite --sizes 5000,50000 --output /tmp/benchmark.md

For each database (a throwaway SQLite file; for PostgreSQL a throwaway cluster from scripts/with-postgres, or
--database-url, whose tables are all dropped first): migrate, load the demo, then grow it (scripts/benchmark_data.py)
to each size in turn. At each size, start gunicorn as in production (gunicorn.conf.py, 2 sync workers, DEBUG off,
settings factcheck.settings_benchmark: the site plus its reference view) and, logged in as an editor:

- request every page, htmx fragment and live poll in rounds, each round the reference view first (bench/reference/:
  one primary-key query and a one-line template, behind the same middleware and login) and then every endpoint in
  a random order; p50 and p95, and p95 as a multiple of the reference's p95, so that the machine's speed that day
  cancels out. htmx requests carry the headers htmx sends (HX-Request, HX-Target ...), their URLs and the polls'
  stamps read from the rendered pages, as htmx reads them. Pages and fragments are measured twice (Endpoint):
  fresh, a URL the app's rendered-region cache has not seen (as after any change), which the goals judge, and
  kept, the same URL again;
- 20 users at once on the htmx endpoints: an open loop of 20 requests a second in all (arrivals scheduled in advance),
  each latency counted from its scheduled start, so that waiting for a free worker counts;
- then, in a process started then (running the code the server ran), one fresh request per endpoint through
  Django's test client: how many queries, how long they took, how long the view took (where a slow page's time goes).

After the largest size, the data grows to --search-size claims and the searches are measured again, by term
frequency (a rare, a medium and a common planted term). It prints a table per database and size, the build
times, and each goal (GOALS) as PASS or FAIL, and writes the same to --output. Each table gives the machine's load
average: on a machine busy with other work, read the ratios, not the milliseconds.
"""

import argparse
import gzip
import http.client
import itertools
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGE_RATIO = 2.5  # a full page's p95, at most this many times the reference's
FRAGMENT_RATIO = 1.5  # an htmx fragment's or poll's
LOAD_SIZE, LOAD_P95_MS = 50_000, 100
SEARCH_SIZE, RARE_SEARCH_P95_MS, ANY_SEARCH_P95_MS = 1_000_000, 50, 300
GOALS = [
    f"every full page: p95 at most {PAGE_RATIO}x the reference's",
    f"every htmx fragment and live poll: p95 at most {FRAGMENT_RATIO}x the reference's",
    f"20 users on the htmx endpoints at {LOAD_SIZE:,} claims: p95 at most {LOAD_P95_MS} ms, no failure",
    f"search at {SEARCH_SIZE:,} claims: p95 at most {RARE_SEARCH_P95_MS} ms for a rare term, "
    f"{ANY_SEARCH_P95_MS} ms for any term",
]
WARM_UP = 3  # requests before measuring: each of gunicorn's 2 workers has likely seen the URL
FRESH = itertools.count(1)
SLOW_SECONDS = 1.0  # an endpoint slower than this is measured fewer times (a minute's worth, at least 5)
QUICK = {"sizes": "5000", "search_size": 20_000, "runs": 10, "load_seconds": 10}
DEFAULTS = {"sizes": "5000,50000,200000", "search_size": SEARCH_SIZE, "runs": 40, "load_seconds": 30}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--sizes", help=f"claims to measure at, in order (default {DEFAULTS['sizes']})")
    parser.add_argument(
        "--search-size", type=int, help=f"claims to measure search at after them, 0: none (default {SEARCH_SIZE:,})"
    )
    parser.add_argument("--runs", type=int, help="measured rounds per size, after warming up (default 40)")
    parser.add_argument("--load-seconds", type=int, help="length of the 20-user load test (default 30)")
    parser.add_argument("--load-rate", type=float, default=20, help="requests a second in the load test")
    parser.add_argument("--users", type=int, default=20, help="users in the load test")
    parser.add_argument("--quick", action="store_true", help="5,000 claims, search at 20,000, 10 runs, 10 s of load")
    parser.add_argument("--database-url", help="a PostgreSQL database to use instead of a throwaway cluster: WIPED")
    parser.add_argument("--output", help="also write the report (markdown) to this file")
    parser.add_argument("--keep", action="store_true", help="keep the SQLite database and the server logs")
    parser.add_argument("--results-json", help=argparse.SUPPRESS)  # one database's run, for the parent process
    parser.add_argument("--profile", action="store_true", help=argparse.SUPPRESS)  # for the child process
    args = parser.parse_args()
    for name, value in (QUICK if args.quick else DEFAULTS).items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    args.sizes = sorted(int(size) for size in str(args.sizes).split(","))

    if args.profile:
        profile_requests()
        return
    if args.results_json:
        measure_database(args, save=lambda results: Path(args.results_json).write_text(json.dumps(results)))
        return
    started = time.monotonic()
    results = []
    for database in ["sqlite", "postgres"] if args.database == "both" else [args.database]:
        results.append(run_database(database, args))
    report = render_report(results, args, time.monotonic() - started)
    print("\n" + report)
    if args.output:
        Path(args.output).write_text(report)
        print(f"Written to {args.output}")


def run_database(database, args):
    """One database's run, in a process of its own (Django is set up once per process)."""
    handle, results_path = tempfile.mkstemp(prefix="factcheck-bench-", suffix=".json")
    os.close(handle)
    command = [sys.executable, str(Path(__file__).resolve()), "--database", database, "--results-json", results_path]
    command += ["--sizes", ",".join(map(str, args.sizes)), "--search-size", str(args.search_size)]
    command += ["--runs", str(args.runs), "--load-seconds", str(args.load_seconds)]
    command += ["--load-rate", str(args.load_rate), "--users", str(args.users)] + (["--keep"] if args.keep else [])
    env = dict(os.environ)
    if database == "postgres":
        if args.database_url:
            command += ["--database-url", args.database_url]
        else:
            env.pop("DATABASE_URL", None)
            command = [str(ROOT / "scripts" / "with-postgres"), *command]
    print(f"== {database}: {' '.join(command)}", flush=True)
    try:
        finished = subprocess.run(command, env=env, cwd=ROOT)
        text = Path(results_path).read_text()
        if not text:
            return {"database": database, "error": f"no results (exit status {finished.returncode})"}
        results = json.loads(text)
        if finished.returncode:
            results["stopped"] = f"stopped early (exit status {finished.returncode}): {results.get('stopped', '')}"
        return results
    finally:
        Path(results_path).unlink(missing_ok=True)


# One database: build, serve, measure.


def measure_database(args, save):
    """Build and measure one database, size after size, saving the results after each."""
    workdir = Path(tempfile.mkdtemp(prefix="factcheck-bench-"))
    if args.database == "sqlite":
        url = f"sqlite:///{workdir}/benchmark.sqlite3"
    else:
        url = args.database_url or os.environ.get("DATABASE_URL", "")
        if not url.startswith(("postgres", "postgresql")):
            raise SystemExit("PostgreSQL needs --database-url, or running under scripts/with-postgres.")
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or "benchmark-only-" + "x" * 40,
        "DJANGO_SETTINGS_MODULE": "factcheck.settings_benchmark",
    }
    os.environ.update(env)
    import django

    django.setup()
    from benchmark_data import SEARCH_TERMS, Newsroom
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    say = print_now
    started = time.monotonic()
    if connection.vendor == "postgresql" and "django_migrations" in connection.introspection.table_names():
        with connection.cursor() as cursor:  # --database-url: wiped, as documented
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))
    say(f"{database_name()}: migrated and demo loaded in {time.monotonic() - started:.1f} s")
    newsroom = Newsroom(settings.BASE_DIR / "seeds")
    results = {"database": database_name(), "steps": [], "search": None}
    users = None
    server_log = workdir / "gunicorn.log"
    try:
        for size in args.sizes + ([args.search_size] if args.search_size > max(args.sizes) else []):
            searching_only = size not in args.sizes
            step = grow(newsroom, size, say)
            with production_server(env, server_log) as port:
                if users is None:
                    users = [Browser(port) for _ in range(max(1, args.users))]
                    for user in users:
                        user.log_in("ana")
                for user in users:
                    user.port = port
                step["load_average"] = [os.getloadavg()[0]]
                reference, endpoints = discover(users[0], SEARCH_TERMS, searching_only)
                say(f"  measuring {len(endpoints)} endpoints, {args.runs} rounds")
                measure_rounds(users[0], reference, endpoints, args.runs)
                if not searching_only and args.load_seconds:
                    say(f"  load: {len(users)} users, {args.load_rate:g} requests/s for {args.load_seconds} s")
                    step["load"] = load_test(users, endpoints, args.load_rate, args.load_seconds)
                step["load_average"].append(os.getloadavg()[0])
            profile(env, [reference, *endpoints])
            step["reference"] = reference.summary()
            step["endpoints"] = [endpoint.summary() for endpoint in endpoints]
            if searching_only:
                results["search"] = step
            else:
                results["steps"].append(step)
            save(results)
            say(f"  done: {size:,} claims")
    except BaseException as error:
        results["stopped"] = f"{type(error).__name__}: {error}"
        save(results)
        raise
    finally:
        if args.keep:
            say(f"Kept: {workdir}")
        else:
            connection.close()
            shutil.rmtree(workdir, ignore_errors=True)
    return results


def print_now(*parts, **kwargs):
    print(*parts, **kwargs, flush=True)


def database_name():
    import sqlite3

    from django.db import connection

    if connection.vendor == "sqlite":
        return f"SQLite {sqlite3.sqlite_version}"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"


def grow(newsroom, size, say):
    """Grow to `size` claims, as a production database would be afterwards (statistics, checkpoint), and check it."""
    from benchmark_data import RARE_CLAIMS, SEARCH_TERMS
    from django.db import connection

    say(f"{database_name()}: growing to {size:,} claims")
    started = time.monotonic()
    newsroom.grow_to(size, say=say)
    built = time.monotonic() - started
    started = time.monotonic()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")  # what autovacuum does after a bulk load, done now
        else:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    settled = time.monotonic() - started
    check_anchors_sample()
    data = data_summary(newsroom)
    counts = ", ".join(f"{value:,} {name}" for name, value in data.items() if isinstance(value, int))
    say(f"  built in {built:.1f} s (+ {settled:.1f} s settling): {counts}")
    notes = check_search_index(SEARCH_TERMS["rare"], RARE_CLAIMS)
    return {"claims": size, "build_seconds": built, "settle_seconds": settled, "data": data, "notes": notes}


def check_anchors_sample():
    """Every sampled claim's quote stands at its offset in its article's text, as the app requires."""
    from factcheck.models import Claim

    sample = Claim.objects.select_related("article").filter(quote_start__isnull=False).order_by("-pk")[:300]
    wrong = [claim.pk for claim in sample if claim.anchor_problem()]
    if wrong:
        raise SystemExit(f"Claims whose quote is not at its offset: {wrong[:10]}")


def check_search_index(rare_term, expected):
    """The database indexed the bulk-inserted rows: the app's search finds each planted rare claim."""
    try:
        from factcheck.models import Claim

        found = Claim.objects.search(rare_term).count()
    except AttributeError as error:
        return [f"search index not checked ({error})"]
    if found != expected:
        return [f"the search index finds {found} claims with {rare_term!r}, not {expected}"]
    return []


def data_summary(newsroom):
    from benchmark_data import SEARCH_TERMS
    from django.db.models import Count, Max
    from django.db.models.functions import Length

    from factcheck.models import Article, Claim, ClaimLink, Comment, Source

    top = Claim.objects.values("speaker").annotate(n=Count("pk")).order_by("-n").first()
    history = sum(model.history.count() for model in (Article, Claim, ClaimLink, Comment, Source))
    return {
        "articles": Article.objects.count(),
        "claims": Claim.objects.count(),
        "links": ClaimLink.objects.count(),
        "contradictions": ClaimLink.objects.contradictions().count(),
        "sources": Source.objects.count(),
        "comments": Comment.objects.count(),
        "history records": history,
        "claims of the most quoted source": top["n"],
        "longest article text (characters)": Article.objects.aggregate(n=Max(Length("body")))["n"],
        "terms": {name: [term, newsroom.term_counts[name]] for name, term in SEARCH_TERMS.items()},
    }


# The production server, and a browser for it.


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def production_server(env, log_path):
    """gunicorn as in production (gunicorn.conf.py), 2 sync workers, on a free port, until the block ends."""
    gunicorn = Path(sys.executable).parent / "gunicorn"
    if not gunicorn.exists():
        raise SystemExit(f"{gunicorn} not found: {Path(sys.executable).parent / 'pip'} install gunicorn")
    port = free_port()
    command = [str(gunicorn), "factcheck.wsgi:application", "--workers", "2", "--bind", f"127.0.0.1:{port}"]
    with open(log_path, "ab") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while not answers(port):
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"gunicorn did not start:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def answers(port):
    try:
        return Browser(port).get("/healthz").status == 200
    except OSError:
        return False


@dataclass
class Response:
    status: int
    headers: object
    content: bytes
    seconds: float

    def text(self):
        content = self.content
        if self.headers.get("Content-Encoding") == "gzip":
            content = gzip.decompress(content)
        return content.decode()


class Browser:
    """One logged-in user. A new connection per request, as gunicorn's sync workers close each one; gzip
    accepted, as browsers do."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def get(self, path, headers=None, timeout=60):
        return self.request("GET", path, headers=headers, timeout=timeout)

    def request(self, method, path, *, headers=None, body=None, timeout=60):
        sent = {"Accept": "text/html,*/*", "Accept-Encoding": "gzip, deflate", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        start = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=sent)
            answer = connection.getresponse()
            content = answer.read()
        finally:
            connection.close()
        seconds = time.perf_counter() - start
        for header in answer.msg.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return Response(answer.status, answer.msg, content, seconds)

    def log_in(self, username):
        from factcheck.management.commands.seed_demo import DEMO_PASSWORD

        page = self.get("/login/").text()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urlencode({"username": username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token, "next": "/"})
        answer = self.request(
            "POST", "/login/", body=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
        )
        if answer.status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"Could not log in as {username}: {answer.status}")

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"


class HtmxAttributes(HTMLParser):
    """What htmx reads from a page: its live regions (id, hx-get, the stamp in hx-vals) and the elements that
    ask for a fragment (hx-get with an hx-target)."""

    def __init__(self, html):
        super().__init__()
        self.live, self.requesting = [], []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "data-live" in attrs:
            self.live.append(attrs)
        elif "hx-get" in attrs and "hx-target" in attrs:
            self.requesting.append({"tag": tag, **attrs})


# What is measured.


@dataclass
class Endpoint:
    """A URL measured two ways: "fresh", a URL never asked before (plus a `fresh` parameter no view reads), so the
    app's rendered-region cache (factcheck.live.cached_region) cannot answer it: the cost of any page after any
    change, or of a search nobody made in the last minute; and "kept", the same URL again, which that cache may
    answer while nothing changes. Polls are measured as they are (204 before anything is rendered)."""

    name: str
    kind: str  # reference, page, fragment, poll
    path: str
    headers: dict = field(default_factory=dict)
    term: str = ""  # for a search: the frequency of the term searched (rare, medium, common)
    expected: int = 200
    user_input: bool = False  # asked with what a user typed or chose: always fresh in the load test
    note: str = ""
    runs: int = 0
    times: list = field(default_factory=list)  # kept
    fresh_times: list = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    wire_bytes: int = 0
    html_bytes: int = 0
    profile: dict = field(default_factory=dict)

    @property
    def cacheable(self):
        return self.kind in ("page", "fragment")

    def fresh_path(self):
        return with_query(self.path, fresh=next(FRESH))

    def record(self, response, fresh=False):
        (self.fresh_times if fresh else self.times).append(response.seconds * 1000)
        self.statuses[response.status] += 1
        if not self.wire_bytes:
            self.wire_bytes = len(response.content)
            self.html_bytes = len(response.text().encode()) if response.content else 0

    def summary(self):
        left_out = ("times", "fresh_times", "headers", "statuses")
        data = {key: value for key, value in asdict(self).items() if key not in left_out}
        data["statuses"] = {str(status): count for status, count in sorted(self.statuses.items())}
        data["p50"], data["p95"] = percentile(self.times, 0.50), percentile(self.times, 0.95)
        data["fresh_p50"], data["fresh_p95"] = percentile(self.fresh_times, 0.50), percentile(self.fresh_times, 0.95)
        # What the goals judge: the fresh figure (the kept one for polls and the reference).
        data["judged_p95"] = data["fresh_p95"] if self.fresh_times else data["p95"]
        data["measured"] = len(self.times)
        return data


def percentile(values, share):
    if not values:
        return None
    ordered = sorted(values)
    at = share * (len(ordered) - 1)
    low = int(at)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (at - low)


def htmx_headers(page_url, target, trigger=None, trigger_name=None):
    headers = {"HX-Request": "true", "HX-Current-URL": page_url, "HX-Target": target}
    if trigger:
        headers["HX-Trigger"] = trigger
    if trigger_name:
        headers["HX-Trigger-Name"] = trigger_name
    return headers


def with_query(path, **params):
    return f"{path}{'&' if '?' in path else '?'}{urlencode(params)}"


def picks():
    """The objects worth measuring: the article with the most claims, the claim with the most links, the
    contradiction with the most comments, the source with the most claims."""
    from django.db import connection
    from django.db.models import Count

    from factcheck.models import Article, Claim, ClaimLink

    links = connection.ops.quote_name(ClaimLink._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT claim, COUNT(*) FROM (SELECT from_claim_id AS claim FROM {links} UNION ALL "
            f"SELECT to_claim_id FROM {links}) ends GROUP BY claim ORDER BY COUNT(*) DESC, claim DESC LIMIT 1"
        )
        claim, claim_links = cursor.fetchone()
    article = Article.objects.annotate(n=Count("claims")).order_by("-n", "-pk").values_list("pk", "n", "title").first()
    link = ClaimLink.objects.contradictions().annotate(n=Count("comments")).order_by("-n", "-pk")
    link = link.values_list("pk", "n").first()
    speaker = Claim.objects.values_list("speaker", "speaker__name").annotate(n=Count("pk")).order_by("-n").first()
    return {
        "article": article[:2],
        "title": article[2],
        "claim": (claim, claim_links),
        "link": link,
        "speaker": speaker,
    }


def discover(browser, terms, searching_only):
    """The reference and every endpoint to measure, their URLs and htmx attributes read from the pages."""
    from factcheck.models import Article

    first_article = Article.objects.order_by("pk").values_list("pk", flat=True).first()
    reference = Endpoint(
        "reference (one primary-key query, one-line template)",
        "reference",
        f"/bench/reference/?article={first_article}",
    )
    endpoints, pages = [], {}

    def page(name, path, term=""):
        response = browser.get(path)
        endpoint = Endpoint(name, "page", path, term=term)
        if response.status == 404:
            endpoint.note = "404: not built yet"
        endpoints.append(endpoint)
        pages[path] = response.text() if response.status == 200 else ""
        return pages[path]

    def results_of(name, page_path, query, term=""):
        """The fragment a page's filter or search form asks for (hx-get, hx-target), with these values."""
        html = pages.get(page_path, "")
        form_path = page_path.split("?")[0]
        form = next(
            (a for a in HtmxAttributes(html).requesting if a["tag"] == "form" and a["hx-get"] == form_path), None
        )
        if form is None:  # a plain form (the search page's): no fragment to measure
            return
        target = form["hx-target"].lstrip("#")
        headers = htmx_headers(browser.url(page_path), target, form.get("id"))
        path = with_query(form["hx-get"], **query)
        endpoints.append(Endpoint(name, "fragment", path, headers, term=term, user_input=True))

    def typeahead(name, page_path, field_id, value):
        """What a search box asks for as one types: its value, with its hx-vals."""
        html = pages.get(page_path, "")
        field = next((a for a in HtmxAttributes(html).requesting if a.get("id") == field_id), None)
        if field is None:
            endpoints.append(Endpoint(name, "fragment", page_path, note=f"no #{field_id} type-ahead on the page"))
            return
        params = {field["name"]: value, **json.loads(field.get("hx-vals") or "{}")}
        headers = htmx_headers(browser.url(page_path), field["hx-target"].lstrip("#"), field_id, field["name"])
        endpoints.append(Endpoint(name, "fragment", with_query(field["hx-get"], **params), headers, user_input=True))

    def region(name, page_path, region_id, *, changed):
        """A live region's poll: 204 when the stamp it shows is current; its fresh fragment when not."""
        html = pages.get(page_path, "")
        live = next((a for a in HtmxAttributes(html).live if a.get("id") == region_id), None)
        kind = "fragment" if changed else "poll"
        if live is None:
            endpoints.append(Endpoint(name, kind, page_path, note=f"no live region #{region_id} on the page"))
            return
        shown = json.loads(live.get("hx-vals") or "{}").get("shown", "")
        path = with_query(live["hx-get"], shown="before-a-change" if changed else shown)
        headers = htmx_headers(browser.url(page_path), region_id, region_id)
        endpoints.append(Endpoint(name, kind, path, headers, expected=200 if changed else 204))

    for frequency, term in terms.items():
        page(f"search, {frequency} term", f"/search/?q={term}", term=frequency)
        page(f"claim list, search, {frequency} term", f"/claims/?q={term}", term=frequency)
    results_of("search results, medium term", f"/search/?q={terms['medium']}", {"q": terms["medium"]}, "medium")
    results_of("claim list results, medium term", f"/claims/?q={terms['medium']}", {"q": terms["medium"]}, "medium")
    if searching_only:
        return reference, [endpoint for endpoint in endpoints if not endpoint.note]

    chosen = picks()
    article, article_claims = chosen["article"]
    claim, claim_links = chosen["claim"]
    link, link_comments = chosen["link"]
    speaker, speaker_name, speaker_claims = chosen["speaker"]
    prefix = speaker_name.split()[0][:4]
    title_word = max(chosen["title"].split(), key=len)[:5]
    medium = terms["medium"]
    page("home", "/")
    page("article list", "/articles/")
    page("article list, search (medium term)", f"/articles/?q={medium}")
    page(f"article page ({article_claims} claims)", f"/articles/{article}/")
    page(f"claim page ({claim_links} links)", f"/claims/{claim}/")
    page(f"link page (contradiction, {link_comments} comments)", f"/links/{link}/")
    page("source list", "/sources/")
    page(f"source page (most quoted: {speaker_claims:,} claims)", f"/sources/{speaker}/")
    page("contradictions", "/contradictions/")
    page("claim list", "/claims/")

    typeahead("claim page: link search, medium term", f"/claims/{claim}/", "link-q", medium)
    typeahead("claim page: link search, rare term", f"/claims/{claim}/", "link-q", terms["rare"])
    typeahead(f"article page: speaker type-ahead '{prefix}'", f"/articles/{article}/", "id_speaker_name", prefix)
    typeahead(f"contradictions: source picker '{prefix}'", "/contradictions/", "pick-source-find", prefix)
    typeahead(f"contradictions: article picker '{title_word}'", "/contradictions/", "pick-article-find", title_word)
    results_of("article list results, medium term", f"/articles/?q={medium}", {"q": medium})
    results_of(f"source list results '{prefix}'", "/sources/", {"q": prefix})
    results_of("contradictions results, filtered by source", "/contradictions/", {"source": speaker, "article": ""})
    region("article page: claims after a change", f"/articles/{article}/", "claim-list", changed=True)
    region("claim page: links after a change", f"/claims/{claim}/", "link-list", changed=True)
    region("article page: poll, nothing new", f"/articles/{article}/", "article-text", changed=False)
    region("claim page: poll, nothing new", f"/claims/{claim}/", "summary", changed=False)
    region("link page: poll, nothing new", f"/links/{link}/", "comment-list", changed=False)
    region("contradictions: poll, nothing new", "/contradictions/", "results", changed=False)
    return reference, endpoints


def measure_rounds(browser, reference, endpoints, runs):
    """Rounds of the reference, then every endpoint, fresh and kept, in a random order, until each has its runs."""
    rng = random.Random(8)
    for endpoint in endpoints:
        if endpoint.note:
            continue
        fresh = browser.get(endpoint.fresh_path(), endpoint.headers)
        for _ in range(WARM_UP):
            browser.get(endpoint.path, endpoint.headers)
        endpoint.runs = runs
        if fresh.seconds > SLOW_SECONDS:
            endpoint.runs = max(5, min(runs, int(60 / fresh.seconds)))
            endpoint.note = f"slow: {endpoint.runs} runs"
    for _ in range(WARM_UP):
        browser.get(reference.path)
    while True:
        due = [(e, False) for e in endpoints if len(e.times) < e.runs]
        due += [(e, True) for e in endpoints if e.cacheable and len(e.fresh_times) < e.runs]
        if not due:
            break
        reference.record(browser.get(reference.path))
        rng.shuffle(due)
        for endpoint, fresh in due:
            path = endpoint.fresh_path() if fresh else endpoint.path
            endpoint.record(browser.get(path, endpoint.headers), fresh)


def load_test(users, endpoints, rate, seconds):
    """An open loop: arrivals at `rate` a second (Poisson, drawn in advance) over the htmx endpoints, polls
    half of them; user k serves arrivals k, k + users, ...; each latency counted from its scheduled start.
    What users type or choose is asked fresh (users search for different things); a region's refresh after a
    change is asked kept (many users poll the same region: the first one renders it)."""
    polls = [e for e in endpoints if e.kind == "poll" and e.runs]
    fragments = [e for e in endpoints if e.kind == "fragment" and e.runs]
    mix = polls + fragments
    weights = [1 / len(polls)] * len(polls) + [1 / len(fragments)] * len(fragments)
    rng = random.Random(20)
    schedule, at = [], 0.0
    while True:
        at += rng.expovariate(rate)
        if at >= seconds:
            break
        schedule.append((at, rng.choices(mix, weights)[0]))
    done, start = [], time.perf_counter() + 0.5

    def user(browser, arrivals):
        for offset, endpoint in arrivals:
            due = start + offset
            time.sleep(max(0.0, due - time.perf_counter()))
            path = endpoint.fresh_path() if endpoint.user_input else endpoint.path
            try:
                status = browser.get(path, endpoint.headers, timeout=30).status
            except OSError as error:
                status = type(error).__name__
            done.append((endpoint.kind, (time.perf_counter() - due) * 1000, status, status != endpoint.expected))

    threads = [
        threading.Thread(target=user, args=(browser, schedule[k :: len(users)])) for k, browser in enumerate(users)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    every = [latency for _, latency, _, _ in done]
    return {
        "users": len(users),
        "rate": rate,
        "seconds": seconds,
        "requests": len(done),
        "achieved_rate": len(done) / elapsed,
        "failures": sum(failed for *_, failed in done),
        "failure_statuses": dict(Counter(str(status) for _, _, status, failed in done if failed)),
        "p50": percentile(every, 0.5),
        "p95": percentile(every, 0.95),
        "max": max(every, default=None),
        "by_kind": {
            kind: {"requests": len(ms), "p50": percentile(ms, 0.5), "p95": percentile(ms, 0.95)}
            for kind in ("poll", "fragment")
            for ms in [[latency for k, latency, _, _ in done if k == kind]]
        },
        "endpoints": len(mix),
    }


def profile(env, endpoints):
    """One fresh request per endpoint through Django's test client (the median of 3): queries, their time, the
    view's. In a process started now, so that it runs the code the server of this size runs, even when the code
    changed since this benchmark started."""
    asked = [e for e in endpoints if e.runs or e.kind == "reference"]
    wanted = [
        {"path": e.path, "headers": e.headers, "fresh": e.cacheable, "tries": 1 if e.note.startswith("slow") else 3}
        for e in asked
    ]
    command = [sys.executable, str(Path(__file__).resolve()), "--profile"]
    done = subprocess.run(command, input=json.dumps(wanted), capture_output=True, text=True, env=env, cwd=ROOT)
    if done.returncode:
        print_now(f"  profile failed: {done.stderr[-2000:]}")
        return
    for endpoint, measured in zip(asked, json.loads(done.stdout), strict=True):
        endpoint.profile = measured


def profile_requests():
    """--profile: the requests read as JSON on stdin, their profiles written as JSON on stdout."""
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username="ana"))
    profiles = []
    for wanted in json.load(sys.stdin):
        tries = []
        for number in range(wanted["tries"]):
            path = with_query(wanted["path"], fresh=f"profile-{number}") if wanted["fresh"] else wanted["path"]
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                client.get(path, headers=wanted["headers"])
                view_ms = (time.perf_counter() - start) * 1000
            sql_ms = sum(float(query["time"]) for query in queries.captured_queries) * 1000
            tries.append({"view_ms": view_ms, "queries": len(queries), "sql_ms": sql_ms})
        profiles.append(sorted(tries, key=lambda one: one["view_ms"])[len(tries) // 2])
    json.dump(profiles, sys.stdout)


# The report.


def render_report(results, args, seconds):
    lines = [
        "# factcheck benchmark",
        "",
        f"{time.strftime('%Y-%m-%d %H:%M')}; {os.cpu_count()} cores; gunicorn, 2 sync workers, DEBUG off; "
        f"{args.runs} rounds per size (reference first, then every endpoint in a random order); "
        f"load: {args.users} users, {args.load_rate:g} requests/s for {args.load_seconds} s. "
        f"Whole run {seconds / 60:.0f} min.",
        "",
        f"`{' '.join(['scripts/benchmark.py', *sys.argv[1:]])}`",
        "",
        "p50 and p95 in ms over HTTP (gzip accepted); × ref: p95 as a multiple of the reference view's p95. "
        "Fresh: a URL the server has not seen (an extra parameter no view reads), so the app's rendered-region "
        "cache cannot answer it: what a page costs after any change anywhere (every change makes every kept "
        "region stale) and what a search nobody made in the last minute costs; the goals judge this. Kept: the "
        "same URL again with nothing changed, which the cache may answer (each worker keeps its own). "
        "queries, SQL ms and view ms: one request in-process (Django's test client, no network; on SQLite, SQL ms "
        "leaves out the rows' fetching, done after the query's execute returns).",
    ]
    verdicts = []
    for result in results:
        if "error" in result:
            lines += ["", f"## {result['database']}: not measured ({result['error']})"]
            verdicts.append(("NOT MEASURED", result["database"], result["error"]))
            continue
        lines += ["", f"## {result['database']}", ""]
        if result.get("stopped"):
            lines += [f"**Not finished**: {result['stopped']}", ""]
        lines += ["| step | claims | built in | data |"]
        lines += ["| --- | --- | --- | --- |"]
        for step in result["steps"] + ([result["search"]] if result["search"] else []):
            data = step["data"]
            lines.append(
                f"| {'search' if step is result['search'] else 'pages'} | {step['claims']:,} | "
                f"{step['build_seconds']:.0f} s (+{step['settle_seconds']:.0f} s) | {describe(data)} |"
            )
        for step in result["steps"]:
            lines += endpoint_table(f"{result['database']}, {step['claims']:,} claims", step)
            lines += load_lines(step.get("load"))
            lines += [f"- note: {note}" for note in step["notes"]]
        if result["search"]:
            lines += endpoint_table(
                f"{result['database']}, search at {result['search']['claims']:,} claims", result["search"]
            )
        lines += search_table(result)
        verdicts += goal_verdicts(result)
    lines += ["", "## Goals", ""]
    width = max(len(v[0]) for v in verdicts) if verdicts else 0
    lines += [f"    {verdict:<{width}}  {database}: {text}" for verdict, database, text in verdicts]
    return "\n".join(lines) + "\n"


def describe(data):
    terms = ", ".join(f"{term} {count:,}" for term, count in data["terms"].values())
    return (
        f"{data['articles']:,} articles, {data['links']:,} links ({data['contradictions']:,} contradictions), "
        f"{data['sources']:,} sources (most quoted: {data['claims of the most quoted source']:,} claims), "
        f"{data['comments']:,} comments, {data['history records']:,} history records; "
        f"longest text {data['longest article text (characters)'] / 1000:.0f} kB; claims with {terms}"
    )


def fmt(ms):
    return "–" if ms is None else f"{ms:.1f}" if ms < 100 else f"{ms:.0f}"


def endpoint_table(title, step):
    ref = step["reference"]
    lines = [
        "",
        f"### {title}",
        "",
        f"Reference: p50 {fmt(ref['p50'])} ms, p95 {fmt(ref['p95'])} ms ({ref['measured']} requests). "
        f"Machine load average (1 min) before and after: {' and '.join(f'{x:.1f}' for x in step['load_average'])}"
        + (
            f" (**busy**: more than its {os.cpu_count()} cores; other work slowed these figures)."
            if max(step["load_average"]) > (os.cpu_count() or 1) + 0.5
            else "."
        ),
        "",
        "| endpoint | kind | status | kB (gzip) | fresh p50 | fresh p95 | × ref | goal | kept p50 | kept p95 | × ref "
        "| queries | SQL ms | view ms |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for e in step["endpoints"]:
        if not e["measured"]:
            lines.append(f"| {e['name']} | {e['kind']} | {e['note']} |" + " |" * 11)
            continue
        ratio = e["judged_p95"] / ref["p95"]
        limit = PAGE_RATIO if e["kind"] == "page" else FRAGMENT_RATIO
        statuses = " ".join(f"{s}×{n}" if len(e["statuses"]) > 1 else s for s, n in e["statuses"].items())
        if e["note"]:
            statuses += f" ({e['note']})"
        fresh = f"{fmt(e['fresh_p50'])} | {fmt(e['fresh_p95'])} | {ratio:.1f}" if e["fresh_p95"] else "– | – | –"
        kept = f"{fmt(e['p50'])} | {fmt(e['p95'])} | {e['p95'] / ref['p95']:.1f}"
        if not e["fresh_p95"]:
            fresh, kept = kept, "– | – | –"  # a poll: measured as it is, and judged so
        profile = e["profile"] or {}
        lines.append(
            f"| {e['name']} | {e['kind']} | {statuses} | {e['html_bytes'] / 1000:.1f} ({e['wire_bytes'] / 1000:.1f}) "
            f"| {fresh} | {'✓' if ratio <= limit else '✗'} ≤ {limit} | {kept} "
            f"| {profile.get('queries', '')} | {fmt(profile.get('sql_ms'))} | {fmt(profile.get('view_ms'))} |"
        )
    return lines


def load_lines(load):
    if not load:
        return []
    by_kind = "; ".join(
        f"{kind}s: {one['requests']} requests, p50 {fmt(one['p50'])}, p95 {fmt(one['p95'])} ms"
        for kind, one in load["by_kind"].items()
    )
    failures = f"{load['failures']} failures" + (f" ({load['failure_statuses']})" if load["failures"] else "")
    return [
        "",
        f"Load: {load['users']} users, open loop at {load['rate']:g} requests/s for {load['seconds']} s over "
        f"{load['endpoints']} htmx endpoints (polls half the requests): {load['requests']} requests "
        f"({load['achieved_rate']:.1f}/s), p50 {fmt(load['p50'])} ms, **p95 {fmt(load['p95'])} ms**, "
        f"max {fmt(load['max'])} ms, {failures}. {by_kind}.",
    ]


def search_table(result):
    steps = result["steps"] + ([result["search"]] if result["search"] else [])
    rows = []
    for step in steps:
        terms = step["data"]["terms"]
        for frequency, (term, count) in terms.items():
            cells = []
            for prefix in ("search", "claim list, search"):
                e = next((e for e in step["endpoints"] if e["name"] == f"{prefix}, {frequency} term"), None)
                cells.append(
                    f"{fmt(e['fresh_p50'])} / {fmt(e['fresh_p95'])} ({fmt(e['p95'])})" if e and e["measured"] else "–"
                )
            rows.append(f"| {step['claims']:,} | {frequency}: {term} | {count:,} | {cells[0]} | {cells[1]} |")
    return [
        "",
        f"### {result['database']}: search by term frequency (fresh p50 / p95 ms, and kept p95)",
        "",
        "| claims | term | claims with it | /search/?q= | /claims/?q= |",
        "| --- | --- | --- | --- | --- |",
        *rows,
    ]


def goal_verdicts(result):
    database, verdicts = result["database"], []
    for step in result["steps"]:
        ref = step["reference"]["p95"]
        for kinds, limit, goal in ((("page",), PAGE_RATIO, GOALS[0]), (("fragment", "poll"), FRAGMENT_RATIO, GOALS[1])):
            measured = [e for e in step["endpoints"] if e["kind"] in kinds and e["measured"]]
            over = [f"{e['name']} {e['judged_p95'] / ref:.1f}x" for e in measured if e["judged_p95"] / ref > limit]
            failed = [e["name"] for e in measured if set(e["statuses"]) - {str(e["expected"])}]
            kept_over = sum(e["p95"] / ref > limit for e in measured)
            text = f"{goal}, at {step['claims']:,} claims, fresh"
            if over or failed:
                text += ": " + "; ".join(over + [f"{name}: wrong status" for name in failed])
            text += f" (kept, the same URL again: {kept_over} of {len(measured)} over)"
            verdicts.append(("FAIL" if over or failed else "PASS", database, text))
    load_step = next((s for s in result["steps"] if s["claims"] == LOAD_SIZE and s.get("load")), None)
    if load_step is None:
        measured = [s for s in result["steps"] if s.get("load")]
        text = f"{GOALS[2]}: not measured at {LOAD_SIZE:,}"
        if measured:
            load = measured[-1]["load"]
            text += f" (at {measured[-1]['claims']:,} claims: p95 {fmt(load['p95'])} ms, {load['failures']} failures)"
        verdicts.append(("NOT MEASURED", database, text))
    else:
        load = load_step["load"]
        ok = load["p95"] <= LOAD_P95_MS and not load["failures"]
        verdicts.append(
            ("PASS" if ok else "FAIL", database, f"{GOALS[2]}: p95 {fmt(load['p95'])} ms, {load['failures']} failures")
        )
    search = result["search"] or (result["steps"][-1] if result["steps"] else None)
    found = [e for e in (search or {}).get("endpoints", []) if e["name"].startswith("search, ") and e["measured"]]
    if not found:
        verdicts.append(("NOT MEASURED", database, f"{GOALS[3]}: /search/ not measured"))
    else:
        rare = next(e for e in found if e["term"] == "rare")
        worst = max(found, key=lambda e: e["judged_p95"])
        ok = rare["judged_p95"] <= RARE_SEARCH_P95_MS and worst["judged_p95"] <= ANY_SEARCH_P95_MS
        at = f"at {search['claims']:,} claims" + ("" if search["claims"] == SEARCH_SIZE else " (not the goal's size)")
        verdicts.append(
            (
                "PASS" if ok else "FAIL",
                database,
                f"{GOALS[3]}, {at}, fresh: rare p95 {fmt(rare['judged_p95'])} ms, "
                f"slowest ({worst['term']}) p95 {fmt(worst['judged_p95'])} ms",
            )
        )
    return verdicts


if __name__ == "__main__":
    main()
