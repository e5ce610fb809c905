"""A backup moves between SQLite and PostgreSQL, both ways: the other database is a fresh one, set up and
filled by manage.py in a process of its own, and its export equals this one's byte for byte.

The PostgreSQL run of the suite does both directions (this PostgreSQL -> a new SQLite file -> back).
The SQLite run needs a PostgreSQL server for its direction: FACTCHECK_TEST_POSTGRES_URL, a URL of a
database on it whose user may create databases (one is made for the test, and dropped).
"""

import os
import subprocess
import sys
import uuid
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connection

from .conftest import wipe

pytestmark = pytest.mark.django_db
POSTGRES_SERVER = os.environ.get("FACTCHECK_TEST_POSTGRES_URL", "")


def manage(database_url, *args):
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SECRET_KEY": settings.SECRET_KEY}
    done = subprocess.run(
        [sys.executable, "manage.py", *args, "--skip-checks"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def through(database_url, content, folder):
    """`content` imported into a fresh database at `database_url` and exported again from there."""
    there, back = folder / "there.jsonl", folder / "back.jsonl"
    there.write_bytes(content)
    manage(database_url, "migrate", "--no-input", "-v0")
    said = manage(database_url, "import_corpus", str(there))
    assert "2 claims stand at their quote, 1 orphaned (as they were), 0 misplaced" in said
    manage(database_url, "export_corpus", str(back))
    return back.read_bytes()


@pytest.fixture
def fresh_postgres():
    """A new database on the PostgreSQL server given, dropped afterwards."""
    psycopg = pytest.importorskip("psycopg")
    name = f"factcheck_corpus_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_SERVER, autocommit=True) as server:
        server.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlsplit(POSTGRES_SERVER)._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(POSTGRES_SERVER, autocommit=True) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def round_trip_through(other_url, full_corpus, export_to, import_from, tmp_path):
    first = export_to()
    from_there = through(other_url, first, tmp_path)
    assert from_there == first
    # And back: the other database's file restored here.
    wipe()
    import_from(from_there)
    assert export_to("again.jsonl") == first


@pytest.mark.skipif(connection.vendor != "postgresql", reason="runs in the PostgreSQL run of the suite")
def test_postgresql_to_a_new_sqlite_file_and_back(full_corpus, export_to, import_from, tmp_path):
    round_trip_through(f"sqlite:///{tmp_path / 'other.sqlite3'}", full_corpus, export_to, import_from, tmp_path)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="runs in the SQLite run of the suite")
def test_sqlite_to_a_new_postgresql_database_and_back(request, full_corpus, export_to, import_from, tmp_path):
    if not POSTGRES_SERVER:
        pytest.skip(
            "SQLite -> PostgreSQL needs a PostgreSQL server: set FACTCHECK_TEST_POSTGRES_URL (the PostgreSQL run "
            "of the suite covers both directions)"
        )
    other_url = request.getfixturevalue("fresh_postgres")
    round_trip_through(other_url, full_corpus, export_to, import_from, tmp_path)
