from django.core.management.base import BaseCommand, CommandError

from factcheck.importing import UnreadableArticle, article_files, import_article


class Command(BaseCommand):
    help = "Import news reports from text or HTML files (or folders of them) as articles."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Files or folders to import.")

    def handle(self, *args, paths, **options):
        imported = skipped = failed = 0
        for path, refusal in article_files(paths):
            try:
                if refusal:
                    raise UnreadableArticle(refusal)
                article, created = import_article(path)
            except UnreadableArticle as problem:
                failed += 1
                self.stderr.write(f"{path}: error: {problem}")
                continue
            if created:
                imported += 1
                self.stdout.write(f"{path}: imported as article #{article.pk} “{article.title}”")
            else:
                skipped += 1
                self.stdout.write(f"{path}: skipped, same text already imported as article #{article.pk}")
        self.stdout.write(f"{imported} imported, {skipped} skipped, {failed} failed.")
        if failed:
            raise CommandError(f"{failed} file(s) could not be imported.")
