"""The deduplicating create: match a proposed issue against the product's open
issues, then link to the match or create a new issue.

No transaction is open while a matcher runs, because the Anthropic matcher can
take seconds. Concurrent calls are kept from creating the same issue twice by
a short lock on the product row, taken only to check for issues created since
the candidates were read and to create.
"""

import logging
import time
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from issues.dedup.anthropic_matcher import AnthropicMatcher
from issues.dedup.local_matcher import LocalMatcher
from issues.dedup.matching import Candidate, Decision, Matcher, MatcherUnavailable, Proposal
from issues.dedup.models import IssueApiSource
from issues.models import Issue, IssueStatus
from issues.services import _check_conversations, issue_create
from workspaces.models import ApiKey, Product, Workspace

logger = logging.getLogger(__name__)

# The statuses of issues a proposal is compared with.
OPEN_STATUSES = (IssueStatus.PENDING, IssueStatus.IN_PROGRESS, IssueStatus.ICEBOX)

NO_API_KEY = "no API key: ANTHROPIC_API_KEY is not set"
RACE_FALLBACK = "open issues kept arriving while the matcher decided; the local matcher settled it under the lock"

# How often the preferred matcher is asked about issues that other requests
# created while it was deciding, before the local matcher settles it under the
# product lock.
MAX_RECHECK_ROUNDS = 2

_warned_no_key = False


@dataclass
class Snapshot:
    """Open issues read without a lock, and the product's issue counter before reading them.

    Every issue numbered up to `counter` had committed when the counter was read,
    so a later check under the product lock need only look at higher numbers.
    """

    counter: int
    issue_ids: dict[str, uuid.UUID]
    candidates: list[Candidate]


@dataclass
class Verdict:
    decision: Decision
    matcher: str
    fallback_reason: str | None


def without_nul(value):
    """Return VALUE with NUL characters replaced by U+FFFD in every string and key.

    PostgreSQL's jsonb cannot store NUL, and a request body may carry one in a
    field the serializer ignores.
    """
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, dict):
        return {without_nul(key): without_nul(item) for key, item in value.items()}
    if isinstance(value, list):
        return [without_nul(item) for item in value]
    return value


def take_snapshot(
    *, product: Product, after_number: int | None = None, counter: int | None = None, seen: Snapshot | None = None
) -> Snapshot:
    """Read the product's open issues, newest first, at most DEDUP_MAX_CANDIDATES of them.

    With AFTER_NUMBER, only issues numbered above it are read, leaving out those
    already in SEEN: an issue committed between reading the counter and the
    candidates is in both.
    """
    if counter is None:
        counter = Product.objects.values_list("issue_counter", flat=True).get(pk=product.pk)
    issues = Issue.objects.filter(product=product, status__in=OPEN_STATUSES)
    if after_number is not None:
        issues = issues.filter(number__gt=after_number)
    if seen is not None:
        issues = issues.exclude(pk__in=seen.issue_ids.values())
    # The most recent issues, because a duplicate usually follows its original
    # closely, and because ranking by text first would drop translations.
    rows = issues.order_by("-created_at", "-id").values_list("id", "shortcode", "title", "description")[
        : settings.DEDUP_MAX_CANDIDATES
    ]
    issue_ids, candidates = {}, []
    for issue_id, shortcode, title, description in rows:
        issue_ids[shortcode] = issue_id
        candidates.append(Candidate(shortcode=shortcode, title=title, description=description))
    return Snapshot(counter=counter, issue_ids=issue_ids, candidates=candidates)


def preferred_matcher() -> Matcher | None:
    """Return the Anthropic matcher when a key is configured, else None."""
    if not settings.ANTHROPIC_API_KEY:
        return None
    return AnthropicMatcher.from_settings()


def decide(*, proposal: Proposal, candidates: list[Candidate], product: Product, matcher: Matcher | None) -> Verdict:
    """Ask MATCHER about PROPOSAL, with the local matcher standing in when it fails or is None."""
    global _warned_no_key

    if not candidates:
        decision = Decision(shortcode=None, confidence=None, reason="The product has no open issue to compare with.")
        if matcher is None:
            return Verdict(decision, LocalMatcher.name, NO_API_KEY)
        return Verdict(decision, matcher.name, None)

    if matcher is None:
        if not _warned_no_key:
            logger.warning("ANTHROPIC_API_KEY is not set; the local matcher decides every deduplicating create")
            _warned_no_key = True
        logger.info("Local matcher decides for product %s: %s", product.pk, NO_API_KEY)
        return Verdict(LocalMatcher().match(proposal, candidates), LocalMatcher.name, NO_API_KEY)

    try:
        return Verdict(matcher.match(proposal, candidates), matcher.name, None)
    except MatcherUnavailable as exc:
        logger.warning(
            "Matcher %s failed on product %s, falling back to the local matcher: %s",
            matcher.name,
            product.pk,
            exc.reason,
        )
        return Verdict(LocalMatcher().match(proposal, candidates), LocalMatcher.name, exc.reason)


def issue_create_or_match(
    *,
    workspace: Workspace,
    api_key: ApiKey | None,
    request_body: dict,
    product: Product,
    title: str,
    description: str | None = None,
    conversations=(),
    matcher: Matcher | None = None,
    **create_fields,
) -> tuple[Issue, IssueApiSource]:
    """Return the open issue of PRODUCT that the proposal duplicates, or create one.

    On a match the CONVERSATIONS are linked to the existing issue and nothing else
    of it changes. Otherwise `issue_create` creates the issue with CREATE_FIELDS
    (status, priority, assignee). Either way one IssueApiSource row records the
    decision. MATCHER defaults to the one configured in settings.
    """
    if product.workspace_id != workspace.pk:
        raise ValidationError({"product_id": "No product with this id in the workspace."})
    conversations = _check_conversations(product=product, conversations=conversations)
    if matcher is None:
        matcher = preferred_matcher()
    attempt = _Attempt(
        workspace=workspace,
        api_key=api_key,
        product=product,
        request_body=request_body,
        proposal=Proposal(title=title, description=description),
        conversations=conversations,
        create_fields={"title": title, "description": description, **create_fields},
    )

    snapshot = take_snapshot(product=product)
    verdict = attempt.decide(snapshot.candidates, matcher)
    for round_number in range(MAX_RECHECK_ROUNDS + 1):
        if verdict.decision.shortcode is not None:
            issue = Issue.objects.filter(pk=snapshot.issue_ids[verdict.decision.shortcode]).first()
            # None only if the issue was deleted meanwhile; then create as for no match.
            if issue is not None:
                return attempt.link(issue, verdict)

        result = attempt.create_unless_newcomers(
            snapshot=snapshot, verdict=verdict, last_round=round_number == MAX_RECHECK_ROUNDS
        )
        if not isinstance(result, Snapshot):
            return result

        # Other requests created open issues meanwhile: ask about those only,
        # with the lock released.
        logger.info(
            "Product %s got %d new open issue(s) while matching; asking again", product.pk, len(result.candidates)
        )
        snapshot = result
        verdict = attempt.decide(snapshot.candidates, matcher)

    raise AssertionError("The last round always creates or links an issue.")


@dataclass
class _Attempt:
    """One deduplicating create in progress; accumulates the time spent matching."""

    workspace: Workspace
    api_key: ApiKey | None
    product: Product
    request_body: dict
    proposal: Proposal
    conversations: list
    create_fields: dict
    matching_seconds: float = 0.0

    def decide(self, candidates: list[Candidate], matcher: Matcher | None) -> Verdict:
        started = time.monotonic()
        try:
            return decide(proposal=self.proposal, candidates=candidates, product=self.product, matcher=matcher)
        finally:
            self.matching_seconds += time.monotonic() - started

    @transaction.atomic
    def link(self, issue: Issue, verdict: Verdict) -> tuple[Issue, IssueApiSource]:
        if self.conversations:
            issue.conversations.add(*self.conversations)
        return issue, self.record(IssueApiSource.Outcome.MATCHED, issue, verdict)

    def create_unless_newcomers(
        self, *, snapshot: Snapshot, verdict: Verdict, last_round: bool
    ) -> tuple[Issue, IssueApiSource] | Snapshot:
        """Create the issue under the product lock unless open issues arrived since SNAPSHOT.

        Returns the newcomers when there are some, so the caller can ask its
        matcher about them with the lock released. In the last round the local
        matcher settles it under the lock instead: it needs no network, so the
        lock is held for milliseconds.
        """
        with transaction.atomic():
            locked = Product.objects.select_for_update().values_list("issue_counter", flat=True)
            counter = locked.get(pk=self.product.pk)
            newcomers = take_snapshot(
                product=self.product, after_number=snapshot.counter, counter=counter, seen=snapshot
            )
            if newcomers.candidates and not last_round:
                return newcomers
            if newcomers.candidates:
                decision = LocalMatcher().match(self.proposal, newcomers.candidates)
                verdict = Verdict(decision, LocalMatcher.name, RACE_FALLBACK)
                logger.warning("Local matcher settles a race on product %s", self.product.pk)
                if decision.shortcode is not None:
                    return self.link(Issue.objects.get(pk=newcomers.issue_ids[decision.shortcode]), verdict)

            issue = issue_create(
                workspace=self.workspace,
                product=self.product,
                conversations=self.conversations,
                **self.create_fields,
            )
            return issue, self.record(IssueApiSource.Outcome.CREATED, issue, verdict)

    def record(self, outcome: str, issue: Issue, verdict: Verdict) -> IssueApiSource:
        source = IssueApiSource.objects.create(
            workspace=self.workspace,
            api_key=self.api_key,
            product=self.product,
            request_body=without_nul(self.request_body),
            outcome=outcome,
            issue=issue,
            matcher=verdict.matcher,
            reason=verdict.decision.reason,
            confidence=verdict.decision.confidence,
            fallback_reason=verdict.fallback_reason,
            matching_ms=round(self.matching_seconds * 1000),
        )
        logger.info(
            "Deduplicating create %s %s issue %s on product %s by %s",
            source.pk,
            outcome,
            issue.pk,
            self.product.pk,
            verdict.matcher,
        )
        return source
