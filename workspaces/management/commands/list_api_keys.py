from django.utils import timezone

from workspaces.management.base import WorkspaceCommand
from workspaces.models import ApiKey


def _iso(value):
    return value.isoformat() if value else "-"


def _cell(text: str) -> str:
    # A tab or line break in a key name would shift the columns a script reads.
    return " ".join(text.split()) or "-"


class Command(WorkspaceCommand):
    help = "List a workspace's API keys as tab-separated columns. Secrets are never shown."

    def add_arguments(self, parser):
        self.add_workspace_argument(parser)

    def handle(self, *args, workspace, **options):
        workspace = self.get_workspace(workspace)
        now = timezone.now()
        columns = ["id", "prefix", "name", "state", "mode", "member_id", "expires_at", "last_used_at", "created_at"]
        self.stdout.write("\t".join(columns))
        for key in ApiKey.objects.filter(workspace=workspace).order_by("created_at", "id"):
            if key.revoked_at:
                state = "revoked"
            elif key.expires_at and key.expires_at <= now:
                state = "expired"
            else:
                state = "active"
            row = [
                str(key.pk),
                key.prefix,
                _cell(key.name),
                state,
                "read-only" if key.read_only else "read-write",
                str(key.created_by_id) if key.created_by_id else "-",
                _iso(key.expires_at),
                _iso(key.last_used_at),
                _iso(key.created_at),
            ]
            self.stdout.write("\t".join(row))
