from django.core.management.base import BaseCommand
from django.db import transaction

from workspaces import services
from workspaces.models import Member, Product, Workspace

DEMO_SLUG = "demo"


class Command(BaseCommand):
    help = (
        "Create the demo workspace (slug 'demo') with a product and two members, and print "
        "a fresh API key on the last line. Running it again reuses the data and issues a new key."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            workspace = Workspace.objects.filter(slug=DEMO_SLUG).first()
            created = workspace is None
            if created:
                workspace = services.workspace_create(name="Demo workspace", slug=DEMO_SLUG)
            owner = Member.objects.filter(workspace=workspace, role=Member.Role.OWNER).first()
            if owner is None:
                owner = services.member_create(workspace=workspace, role=Member.Role.OWNER, display_name="Demo Owner")
            if not Member.objects.filter(workspace=workspace, role=Member.Role.AGENT).exists():
                services.member_create(workspace=workspace, role=Member.Role.AGENT, display_name="Demo Agent")
            product = Product.objects.filter(workspace=workspace).first()
            if product is None:
                product = services.product_create(workspace=workspace, name="GetResolved")
            if created:
                self._seed_content(workspace, product, owner)
            _, secret = services.api_key_issue(workspace=workspace, created_by=owner, name="demo")

        self.stdout.write(
            f"Demo workspace {workspace.pk} (slug {workspace.slug}), product {product.pk} ({product.issue_prefix})."
        )
        self.stdout.write("API key for the demo owner (shown once):")
        self.stdout.write(secret)

    def _seed_content(self, workspace, product, owner):
        from conversations.models import Conversation, Message
        from issues.services import issue_create

        conversation = Conversation.objects.create(
            workspace=workspace,
            product=product,
            type=Conversation.Type.TICKET,
            source=Conversation.Source.FORM,
            subject="Export to CSV fails",
            customer_name="Ada Customer",
            customer_email="ada@example.com",
        )
        message = Message.objects.create(
            conversation=conversation,
            author_type=Message.AuthorType.CUSTOMER,
            body="Clicking Export on the reports page shows an error instead of a CSV file.",
        )
        conversation.last_message_at = message.created_at
        conversation.save(update_fields=["last_message_at"])

        issue_create(
            workspace=workspace,
            product=product,
            title="CSV export fails on the reports page",
            priority="high",
            conversations=[conversation],
        )
        issue_create(workspace=workspace, product=product, title="Add dark mode to the widget", status="icebox")
        issue_create(workspace=workspace, product=product, title="Typo on the pricing page", assignee=owner)
