from django.core.management.base import BaseCommand, CommandError

from factcheck.models import Claim


class Command(BaseCommand):
    help = "Check that every claim's quote stands at its offsets in its article's text; exit non-zero if not."

    def handle(self, *args, **options):
        checked = problems = 0
        for claim in Claim.objects.select_related("article").order_by("article_id", "pk").iterator(chunk_size=500):
            checked += 1
            problem = claim.anchor_problem()
            if problem:
                problems += 1
                self.stderr.write(f"claim #{claim.pk} (article #{claim.article_id}): {problem}")
        self.stdout.write(f"{checked} claims checked, {problems} with a problem.")
        if problems:
            raise CommandError(f"{problems} claim(s) do not stand at their quote.")
