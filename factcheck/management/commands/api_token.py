from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from factcheck.models import ApiToken


class Command(BaseCommand):
    help = "Make an API token for a user and print it (the only time it is shown): for scripts and servers."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="made with manage.py api_token", help="What the token is for.")

    def handle(self, *args, username, name, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named “{username}”.")
        if not user.is_active:
            raise CommandError(f"The user “{username}” is inactive: a token of theirs would be refused.")
        try:
            _, key = ApiToken.issue(user, name)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(key)
