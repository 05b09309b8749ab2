"""Fill a new workspace with realistic data at a chosen scale, for benchmarks.

Rows are written with bulk_create in batches: 100,000 issues took 30-41 s on
PostgreSQL on the 2-CPU machine described in docs/benchmarks.md.
"""

import random
import time
from contextlib import contextmanager
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from conversations.models import Conversation, Message
from issues.models import Issue, IssuePriority, IssueStatus, format_shortcode
from releases.models import Release
from workspaces import services
from workspaces.management.base import validation_message
from workspaces.models import Member, Product, Workspace

BATCH_SIZE = 5000

# Shares of each status and priority among generated issues: a backlog that has
# been worked on for a while, where released issues are common.
STATUS_WEIGHTS = {
    IssueStatus.PENDING: 30,
    IssueStatus.IN_PROGRESS: 10,
    IssueStatus.DONE: 15,
    IssueStatus.ICEBOX: 10,
    IssueStatus.RELEASED: 30,
    IssueStatus.DISMISSED: 5,
}
PRIORITY_WEIGHTS = {IssuePriority.LOW: 25, IssuePriority.NORMAL: 50, IssuePriority.HIGH: 20, IssuePriority.URGENT: 5}

# Released issues are grouped into releases of this many issues.
ISSUES_PER_RELEASE = 50
# Every LONG_THREAD_EVERY-th conversation gets LONG_THREAD_MESSAGES messages, so
# the benchmark of a conversation with 50 messages finds one at every scale.
LONG_THREAD_EVERY = 100
LONG_THREAD_MESSAGES = 50
# Data is spread over this period, ending now.
HISTORY = timedelta(days=730)

PRODUCT_NAMES = ["Atlas", "Beacon", "Compass", "Dynamo", "Ember", "Falcon", "Glacier", "Harbor", "Iris", "Juniper"]
WORDS = (
    "export import report dashboard login password invoice billing widget chat email upload download search "
    "filter calendar timezone mobile android ios browser safari firefox chrome sync webhook api token csv pdf "
    "notification settings profile avatar language translation payment refund checkout cart order shipping "
    "onboarding tutorial permission role team invite archive delete restore backup slow crash error blank page"
).split()
VERBS = ["fails", "is slow", "shows an error", "crashes", "looks wrong", "times out", "is missing", "breaks"]
FIRST_NAMES = ["Ada", "Grace", "Alan", "Linus", "Barbara", "Ken", "Margaret", "Dennis", "Frances", "Edsger"]


@contextmanager
def explicit_timestamps(*models):
    """Let bulk_create keep the generated created_at/updated_at instead of now().

    auto_now and auto_now_add overwrite any value on insert; the flags are
    restored on exit. Only this command's process is affected.
    """
    saved = []
    for model in models:
        for field in model._meta.concrete_fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                saved.append((field, field.auto_now, field.auto_now_add))
                field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


class Command(BaseCommand):
    help = (
        "Create a workspace filled with products, members, conversations with messages, issues in every "
        "status and priority (linked to conversations), and releases of the released issues. Prints an "
        "API key for the workspace's owner on the last line."
    )

    def add_arguments(self, parser):
        parser.add_argument("--workspace", required=True, help="Slug of the workspace to create; it must not exist.")
        parser.add_argument("--issues", type=int, default=1000, help="Number of issues (default 1000).")
        parser.add_argument("--products", type=int, default=5, help="Number of products (default 5).")
        parser.add_argument("--members", type=int, default=20, help="Number of members, the owner included.")
        parser.add_argument(
            "--conversations", type=int, help="Number of conversations (default: a tenth of the issues, at least 10)."
        )
        parser.add_argument(
            "--messages-per-conversation",
            type=int,
            default=4,
            help=(
                "Mean number of messages per conversation (default 4); every "
                f"{LONG_THREAD_EVERY}th conversation has {LONG_THREAD_MESSAGES} instead."
            ),
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed, for repeatable data (default 1).")

    def handle(self, *args, **options):
        counts = {
            "issues": options["issues"],
            "products": options["products"],
            "members": options["members"],
            "conversations": options["conversations"],
            "messages per conversation": options["messages_per_conversation"],
        }
        if counts["conversations"] is None:
            counts["conversations"] = max(10, counts["issues"] // 10)
        for name, value in counts.items():
            minimum = 1 if name in ("products", "members") else 0
            if value < minimum:
                raise CommandError(f"--{name.replace(' ', '-')} must be at least {minimum}, got {value}.")
        slug = options["workspace"]
        if Workspace.objects.filter(slug=slug).exists():
            raise CommandError(f"Workspace {slug!r} already exists; choose another slug or use a fresh database.")

        self.verbosity = options["verbosity"]
        self.random = random.Random(options["seed"])  # noqa: S311 - repeatable test data, not secrets
        self.now = timezone.now()
        started = time.monotonic()
        with transaction.atomic(), explicit_timestamps(Issue, Conversation, Message, Release):
            try:
                workspace = services.workspace_create(name=f"Benchmark {slug}", slug=slug)
            except ValidationError as exc:
                raise CommandError(validation_message(exc)) from None
            members = self._create_members(workspace, counts["members"])
            products = self._create_products(workspace, counts["products"])
            conversations = self._create_conversations(
                workspace, products, members, counts["conversations"], counts["messages per conversation"]
            )
            released = self._create_issues(workspace, products, members, conversations, counts["issues"])
            releases = self._create_releases(workspace, products, released)
            _, secret = services.api_key_issue(workspace=workspace, created_by=members[0], name="benchmark")

        # Fresh planner statistics, so the first benchmark requests use the real plans.
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for model in (Issue, Issue.conversations.through, Conversation, Message, Release, Product):
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")

        elapsed = time.monotonic() - started
        self.stdout.write(
            f"Workspace {workspace.pk} ({slug}): {counts['issues']} issues, {len(products)} products, "
            f"{len(members)} members, {counts['conversations']} conversations, {releases} releases "
            f"in {elapsed:.1f} s."
        )
        self.stdout.write("API key for the workspace owner (shown once):")
        self.stdout.write(secret)

    def _log(self, message):
        if self.verbosity > 1:
            self.stderr.write(message)

    def _timestamp(self, fraction: float):
        """Return the time FRACTION (0..1) of the way through the generated history."""
        return self.now - HISTORY + HISTORY * fraction

    def _create_members(self, workspace, count):
        members = [services.member_create(workspace=workspace, role=Member.Role.OWNER, display_name="Bench Owner")]
        for i in range(1, count):
            role = Member.Role.ADMIN if i % 10 == 0 else Member.Role.AGENT
            name = f"{FIRST_NAMES[i % len(FIRST_NAMES)]} Agent {i}"
            members.append(services.member_create(workspace=workspace, role=role, display_name=name))
        return members

    def _create_products(self, workspace, count):
        products = []
        for i in range(count):
            name = PRODUCT_NAMES[i] if i < len(PRODUCT_NAMES) else f"Product {i + 1}"
            products.append(services.product_create(workspace=workspace, name=name))
        return products

    def _sentence(self, low, high):
        return " ".join(self.random.choices(WORDS, k=self.random.randint(low, high)))

    def _create_conversations(self, workspace, products, members, count, mean_messages):
        """Create COUNT conversations with their messages; return {product id: [conversation id, ...]}."""
        rng = self.random
        by_product = {product.pk: [] for product in products}
        conversations, messages = [], []

        def flush():
            Conversation.objects.bulk_create(conversations, batch_size=BATCH_SIZE)
            Message.objects.bulk_create(messages, batch_size=BATCH_SIZE)
            conversations.clear()
            messages.clear()

        for i in range(count):
            product = rng.choice(products)
            created_at = self._timestamp(i / max(count, 1))
            if i % LONG_THREAD_EVERY == 0:
                message_count = LONG_THREAD_MESSAGES
            else:
                message_count = rng.randint(1, max(1, 2 * mean_messages - 1)) if mean_messages else 0
            customer = rng.choice(FIRST_NAMES)
            conversation = Conversation(
                workspace=workspace,
                product=product,
                type=rng.choice(Conversation.Type.values),
                status=rng.choice(Conversation.Status.values),
                priority=rng.choices(list(PRIORITY_WEIGHTS), weights=PRIORITY_WEIGHTS.values())[0],
                source=rng.choice(Conversation.Source.values),
                subject=f"{self._sentence(2, 5)} {rng.choice(VERBS)}".capitalize(),
                customer_name=f"{customer} Customer",
                customer_email=f"{customer.lower()}.{i}@example.com",
                created_at=created_at,
                updated_at=created_at,
            )
            message_time = created_at
            for m in range(message_count):
                message_time += timedelta(minutes=rng.randint(1, 90))
                from_customer = m % 2 == 0
                messages.append(
                    Message(
                        conversation=conversation,
                        body=f"{self._sentence(8, 40)}.".capitalize(),
                        author_type=Message.AuthorType.CUSTOMER if from_customer else Message.AuthorType.AGENT,
                        author_member=None if from_customer else rng.choice(members),
                        created_at=message_time,
                    )
                )
            conversation.last_message_at = message_time if message_count else None
            conversation.updated_at = message_time
            conversations.append(conversation)
            by_product[product.pk].append(conversation.pk)
            if len(messages) >= BATCH_SIZE * 4:
                flush()
        flush()
        self._log(f"{count} conversations created")
        return by_product

    def _create_issues(self, workspace, products, members, conversations, count):
        """Create COUNT issues with per-product numbers; return {product id: [released issue id, ...]}."""
        rng = self.random
        statuses, status_weights = list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values())
        priorities, priority_weights = list(PRIORITY_WEIGHTS), list(PRIORITY_WEIGHTS.values())
        counters = {product.pk: 0 for product in products}
        released = {product.pk: [] for product in products}
        through = Issue.conversations.through
        issues, links = [], []

        def flush():
            Issue.objects.bulk_create(issues, batch_size=BATCH_SIZE)
            through.objects.bulk_create(links, batch_size=BATCH_SIZE)
            issues.clear()
            links.clear()

        for i in range(count):
            product = rng.choice(products)
            counters[product.pk] += 1
            number = counters[product.pk]
            status = rng.choices(statuses, weights=status_weights)[0]
            created_at = self._timestamp(i / max(count, 1))
            issue = Issue(
                workspace=workspace,
                product=product,
                number=number,
                shortcode=format_shortcode(product.issue_prefix, number),
                title=f"{self._sentence(2, 6)} {rng.choice(VERBS)}".capitalize(),
                description=f"{self._sentence(10, 60)}.".capitalize() if rng.random() < 0.7 else None,
                status=status,
                priority=rng.choices(priorities, weights=priority_weights)[0],
                assignee=rng.choice(members) if rng.random() < 0.6 else None,
                resolution_comment="Fixed." if status in (IssueStatus.DONE, IssueStatus.RELEASED) else None,
                created_at=created_at,
                updated_at=min(created_at + timedelta(hours=rng.randint(0, 240)), self.now),
            )
            issues.append(issue)
            if status == IssueStatus.RELEASED:
                released[product.pk].append(issue.pk)
            candidates = conversations[product.pk]
            if candidates and rng.random() < 0.5:
                for conversation_id in set(rng.choices(candidates, k=rng.randint(1, 3))):
                    links.append(through(issue_id=issue.pk, conversation_id=conversation_id))
            if len(issues) >= BATCH_SIZE:
                flush()
        flush()

        for product in products:
            Product.objects.filter(pk=product.pk).update(issue_counter=counters[product.pk])
        self._log(f"{count} issues created")
        return released

    def _create_releases(self, workspace, products, released):
        """Group each product's released issues into releases; return how many were created."""
        through = Release.issues.through
        total = 0
        for product in products:
            issue_ids = released[product.pk]
            chunks = [issue_ids[i : i + ISSUES_PER_RELEASE] for i in range(0, len(issue_ids), ISSUES_PER_RELEASE)]
            releases = [
                Release(
                    workspace=workspace,
                    product=product,
                    title=f"{product.name} {n + 1}.0",
                    version=f"{n + 1}.0.0",
                    description=f"{len(chunk)} fixes.",
                    created_at=self._timestamp((n + 1) / len(chunks)),
                )
                for n, chunk in enumerate(chunks)
            ]
            Release.objects.bulk_create(releases, batch_size=BATCH_SIZE)
            links = [
                through(release_id=release.pk, issue_id=issue_id)
                for release, chunk in zip(releases, chunks, strict=True)
                for issue_id in chunk
            ]
            through.objects.bulk_create(links, batch_size=BATCH_SIZE)
            total += len(releases)
        return total
