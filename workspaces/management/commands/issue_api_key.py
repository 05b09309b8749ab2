from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from workspaces.management.base import WorkspaceCommand, validation_message
from workspaces.models import Member
from workspaces.services import api_key_issue


class Command(WorkspaceCommand):
    help = (
        "Issue an API key for a workspace. The secret is printed alone on the last line; "
        "only its hash is stored, so it cannot be shown again."
    )

    def add_arguments(self, parser):
        self.add_workspace_argument(parser)
        parser.add_argument("--member", help="UUID of the member the key acts for (its /me member).")
        parser.add_argument("--name", default="", help="A label for the key, such as the client that uses it.")
        parser.add_argument("--read-only", action="store_true", help="Allow only GET requests.")
        parser.add_argument("--expires-in-days", type=int, help="Expire the key after this many days.")

    def handle(self, *args, workspace, member, name, read_only, expires_in_days, **options):
        workspace = self.get_workspace(workspace)
        created_by = None
        if member:
            try:
                created_by = Member.objects.filter(workspace=workspace, pk=member).first()
            except ValidationError:
                created_by = None
            if created_by is None:
                raise CommandError(f"No member with id {member!r} in workspace {workspace.slug!r}.")
        try:
            key, secret = api_key_issue(
                workspace=workspace,
                created_by=created_by,
                name=name,
                read_only=read_only,
                expires_in_days=expires_in_days,
            )
        except ValidationError as exc:
            raise CommandError(validation_message(exc)) from None

        mode = "read-only" if key.read_only else "read-write"
        expiry = f", expires {key.expires_at.isoformat()}" if key.expires_at else ""
        self.stdout.write(f"Issued {mode} API key {key.pk} ({key.prefix}) for workspace {workspace.slug}{expiry}.")
        self.stdout.write("Copy the secret now; it is not stored and cannot be shown again:")
        self.stdout.write(secret)
