from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from workspaces.models import ApiKey
from workspaces.services import api_key_revoke


class Command(BaseCommand):
    help = "Revoke an API key, named by its UUID or its display prefix (gr_ and 8 characters)."

    def add_arguments(self, parser):
        parser.add_argument("key", help="The key's UUID or display prefix, as list_api_keys prints them.")

    def handle(self, *args, key, **options):
        reference = key.strip()
        try:
            matches = list(ApiKey.objects.filter(pk=reference))
        except ValidationError:
            matches = list(ApiKey.objects.filter(prefix=reference))
        if not matches:
            raise CommandError(f"No API key has the id or prefix {reference!r}.")
        if len(matches) > 1:
            raise CommandError(f"Prefix {reference!r} matches {len(matches)} keys; give the key's UUID instead.")

        api_key = matches[0]
        already = api_key.revoked_at is not None
        api_key_revoke(key=api_key)
        state = "was already revoked" if already else "is now revoked"
        self.stdout.write(f"API key {api_key.pk} ({api_key.prefix}) {state}.")
