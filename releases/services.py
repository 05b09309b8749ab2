"""Write operations on releases.

The API and the admin both create releases through `release_create`.
"""

import logging
import uuid
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q

from issues.models import Issue, IssueStatus
from issues.services import issues_mark_released
from releases.models import Release
from workspaces.models import Product, Workspace

logger = logging.getLogger(__name__)

TITLE_MAX_LENGTH = 200
DESCRIPTION_MAX_LENGTH = 20_000
VERSION_MAX_LENGTH = 50
# Issues one release may name; a larger list would hold many row locks in one transaction.
MAX_ISSUES_PER_RELEASE = 500

VERSION_TAKEN_MESSAGE = "This product already has a release with this version."


def _clean_text(field: str, value: str | None, *, max_length: int, required: bool) -> str | None:
    """Trim VALUE, and return None for blank optional text."""
    value = (value or "").strip()
    if not value:
        if required:
            raise ValidationError({field: f"The {field} must be 1-{max_length} characters."})
        return None
    if len(value) > max_length:
        raise ValidationError({field: f"The {field} must be at most {max_length} characters."})
    return value


def _parse_reference(reference: str) -> tuple[str, str | uuid.UUID]:
    """Classify an issue reference as ("id", UUID) or ("shortcode", upper-case text)."""
    try:
        return "id", uuid.UUID(reference)
    except ValueError:
        # Prefixes are upper-case, so upper-casing makes shortcodes case-insensitive.
        return "shortcode", reference.upper()


def _resolve_issues(*, workspace: Workspace, product: Product, references: Iterable[str]) -> tuple[list, list]:
    """Lock and return the referenced issues, with a message for each reference that cannot be released.

    A reference that matches nothing in WORKSPACE (including another
    workspace's issue) gets the same message as one that never existed.
    """
    parsed = {}
    for reference in references or ():
        reference = reference.strip()
        parsed.setdefault(_parse_reference(reference), reference)
    if not parsed:
        return [], []
    if len(parsed) > MAX_ISSUES_PER_RELEASE:
        raise ValidationError({"issue_ids": f"A release can include at most {MAX_ISSUES_PER_RELEASE} issues."})

    ids = [value for kind, value in parsed if kind == "id"]
    shortcodes = [value for kind, value in parsed if kind == "shortcode"]
    # Locking in primary-key order keeps two releases with overlapping issue
    # lists from deadlocking. The status read here is the one after any
    # concurrent release that held the lock has committed.
    found = list(
        Issue.objects.select_for_update()
        .filter(workspace=workspace)
        .filter(Q(pk__in=ids) | Q(shortcode__in=shortcodes))
        .order_by("pk")
    )
    by_key = {}
    for issue in found:
        by_key[("id", issue.pk)] = issue
        by_key[("shortcode", issue.shortcode.upper())] = issue

    issues = {}
    problems = []
    for key, reference in parsed.items():
        issue = by_key.get(key)
        if issue is None:
            problems.append(f"{reference}: no issue with this id or shortcode in the workspace.")
        elif issue.pk in issues:
            # The same issue named twice, for example by UUID and by shortcode.
            continue
        elif issue.product_id != product.pk:
            problems.append(f"{reference}: the issue belongs to another product.")
            issues[issue.pk] = None
        elif issue.status != IssueStatus.DONE:
            problems.append(f"{reference}: the issue is {issue.status}, and only done issues can be released.")
            issues[issue.pk] = None
        else:
            issues[issue.pk] = issue
    return [issue for issue in issues.values() if issue is not None], problems


@transaction.atomic
def release_create(
    *,
    workspace: Workspace,
    product: Product,
    title: str,
    description: str | None = None,
    version: str | None = None,
    issues_refs: Iterable[str] = (),
) -> Release:
    """Create a release of PRODUCT and move the issues named in ISSUES_REFS to released.

    ISSUES_REFS contains issue UUIDs or shortcodes (case-insensitive), and an
    issue named more than once is included once. Every issue must belong to
    PRODUCT and be done. Otherwise a ValidationError names each offending
    reference under `issue_ids`, and nothing is written.
    """
    if product.workspace_id != workspace.pk:
        raise ValidationError({"product_id": "No product with this id in the workspace."})

    errors = {}
    cleaned = {}
    for field, value, max_length, required in (
        ("title", title, TITLE_MAX_LENGTH, True),
        ("description", description, DESCRIPTION_MAX_LENGTH, False),
        ("version", version, VERSION_MAX_LENGTH, False),
    ):
        try:
            cleaned[field] = _clean_text(field, value, max_length=max_length, required=required)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if cleaned.get("version") and Release.objects.filter(product=product, version=cleaned["version"]).exists():
        errors["version"] = [VERSION_TAKEN_MESSAGE]

    issues, problems = _resolve_issues(workspace=workspace, product=product, references=issues_refs)
    if problems:
        errors["issue_ids"] = problems
    if errors:
        raise ValidationError(errors)

    try:
        # A savepoint, so a concurrent release that took the version first
        # becomes a validation error instead of a broken transaction.
        with transaction.atomic():
            release = Release.objects.create(workspace=workspace, product=product, **cleaned)
    except IntegrityError:
        raise ValidationError({"version": VERSION_TAKEN_MESSAGE}) from None

    if issues:
        release.issues.add(*issues)
        issues_mark_released(issues)
    logger.info(
        "Created release %s of product %s in workspace %s with %d issue(s)",
        release.pk,
        product.pk,
        workspace.pk,
        len(issues),
    )
    return release
