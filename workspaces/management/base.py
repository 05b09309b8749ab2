from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from workspaces.services import workspace_resolve


def validation_message(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return " ".join(f"{field}: {' '.join(messages)}" for field, messages in exc.message_dict.items())
    return " ".join(exc.messages)


class WorkspaceCommand(BaseCommand):
    """Base for commands that act on one workspace, named by id or slug."""

    def add_workspace_argument(self, parser):
        parser.add_argument("workspace", help="The workspace's UUID or slug.")

    def get_workspace(self, reference: str):
        try:
            return workspace_resolve(reference)
        except ValidationError as exc:
            raise CommandError(validation_message(exc)) from None
