import gzip
import io
import sys
from contextlib import contextmanager

from django.core.management.base import BaseCommand, CommandError

from factcheck import corpus


class Command(BaseCommand):
    help = (
        "Restore a corpus written by export_corpus (plain or gzip-compressed; - for standard input) into an empty "
        "database, all or nothing; --replace deletes the corpus already there first, in the same transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help="The file to restore, or - for stdin.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete every article, source, claim, link, comment, fetched page and history record first.",
        )

    def handle(self, *args, file, replace, **options):
        try:
            with _opened(file) as lines:
                report = corpus.restore(lines, replace=replace)
        except corpus.CorpusError as error:
            raise CommandError(f"{file}: {str(error).rstrip('.')}. Nothing was changed.") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{file}: not UTF-8 text ({error.reason}). Nothing was changed.") from error
        except (OSError, EOFError) as error:
            raise CommandError(f"Cannot read {file}: {getattr(error, 'strerror', None) or error}") from error
        self.say(report, file)

    def say(self, report, file):
        if report.replaced:
            self.stdout.write(f"Deleted first (--replace): {corpus.described(report.replaced)}.")
        self.stdout.write(f"Restored from {file}: {corpus.described(report.counts)}.")
        if report.users_created or report.users_kept:
            self.stdout.write(
                f"Users: {len(report.users_created)} created (with their passwords and groups), "
                f"{len(report.users_kept)} already here and kept as they were"
                + (f" ({', '.join(report.users_kept)})." if report.users_kept else ".")
            )
        self.stdout.write(
            f"Quotes: {report.claims_standing} claims stand at their quote, {report.claims_orphaned} orphaned "
            f"(as they were), {len(report.misplaced)} misplaced."
        )
        if report.search_rebuilt:
            self.stdout.write("The search index was rebuilt.")
        for warning in report.warnings:
            self.stderr.write(warning)
        for problem in report.misplaced:
            self.stderr.write(problem)
        if report.misplaced:
            self.stderr.write(
                "These claims' quotes are not where their offsets say: select their passages again on their pages "
                "(manage.py check_anchors lists them)."
            )


@contextmanager
def _opened(file):
    raw = sys.stdin.buffer if file == "-" else open(file, "rb")  # noqa: SIM115 (closed below)
    try:
        buffered = io.BufferedReader(raw) if not hasattr(raw, "peek") else raw
        stream = gzip.GzipFile(fileobj=buffered, mode="rb") if buffered.peek(2)[:2] == b"\x1f\x8b" else buffered
        yield io.TextIOWrapper(stream, encoding="utf-8", newline="\n")
    finally:
        if file != "-":
            raw.close()
