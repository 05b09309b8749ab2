from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from workspaces.management.base import WorkspaceCommand, validation_message
from workspaces.models import Member
from workspaces.services import member_create


class Command(WorkspaceCommand):
    help = "Add a member to a workspace and print the member's id."

    def add_arguments(self, parser):
        self.add_workspace_argument(parser)
        parser.add_argument("--role", required=True, choices=Member.Role.values, help="The member's role.")
        parser.add_argument("--display-name", help="Name shown to other members.")
        parser.add_argument("--email", help="Email of the member's login account; the account is created when missing.")

    def handle(self, *args, workspace, role, display_name, email, **options):
        workspace = self.get_workspace(workspace)
        try:
            member = member_create(workspace=workspace, role=role, display_name=display_name, email=email)
        except ValidationError as exc:
            raise CommandError(validation_message(exc)) from None
        self.stdout.write(str(member.pk))
