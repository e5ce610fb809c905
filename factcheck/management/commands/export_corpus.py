import gzip
import io
import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from factcheck import corpus


class Command(BaseCommand):
    help = (
        "Write the whole corpus (articles, sources, claims, links, comments, fetched pages, history, users and "
        "groups) to FILE, one JSON object a line; gzip-compressed when FILE ends in .gz; - for standard output. "
        "import_corpus restores it, on SQLite or PostgreSQL."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help="Where to write: a path (.gz to compress), or - for stdout.")

    def handle(self, *args, file, **options):
        if file == "-":
            counts = corpus.export(_Lines(self.stdout))
            report = self.stderr
        else:
            counts = self.write_file(Path(file))
            report = self.stdout
        report.write(f"Exported to {file}: {corpus.described(counts)}.")

    def write_file(self, path):
        # Written beside it, then renamed: an export cut short never leaves a file that looks like a backup.
        partial = path.with_name(path.name + ".partial")
        try:
            with open(partial, "wb") as raw:
                compressed = (
                    gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) if path.suffix == ".gz" else None
                )
                with io.TextIOWrapper(compressed or raw, encoding="utf-8", newline="\n") as out:
                    counts = corpus.export(out)
                if compressed:
                    compressed.close()
            os.replace(partial, path)
        except OSError as error:
            partial.unlink(missing_ok=True)
            raise CommandError(f"Cannot write {path}: {error.strerror or error}") from error
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return counts


class _Lines:
    """The command's output stream, written as is (no line ending added)."""

    def __init__(self, output):
        self.output = output

    def write(self, text):
        self.output.write(text, ending="")
