from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from workspaces.management.base import validation_message
from workspaces.services import workspace_create


class Command(BaseCommand):
    help = "Create a workspace and print its id."

    def add_arguments(self, parser):
        parser.add_argument("name", help="Display name of the workspace (1-200 characters).")
        parser.add_argument("--slug", help="URL-safe identifier; derived from the name when omitted.")

    def handle(self, *args, name, slug, **options):
        try:
            workspace = workspace_create(name=name, slug=slug)
        except ValidationError as exc:
            raise CommandError(validation_message(exc)) from None
        if options["verbosity"] > 1:
            self.stderr.write(f"Created workspace {workspace.name!r} with slug {workspace.slug!r}.")
        self.stdout.write(str(workspace.pk))
