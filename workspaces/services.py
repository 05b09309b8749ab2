"""Write operations on workspaces, members, API keys and products.

The API, the admin and the management commands all call these functions, so a
rule such as slug suffixing or prefix uniqueness is enforced in one place.
Failures raise django.core.exceptions.ValidationError keyed by field name.
"""

import json
import logging
import re
from datetime import timedelta

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from workspaces.models import ApiKey, Member, Product, Workspace

logger = logging.getLogger(__name__)

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX_LENGTH = 50
PREFIX_RE = re.compile(r"^[A-Z0-9]{1,3}$")
HOSTNAME_RE = re.compile(
    r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$"
)
WIDGET_CONFIG_MAX_BYTES = 16 * 1024
WIDGET_CONFIG_MAX_DEPTH = 32
# Maximum key lifetime in days (about 100 years). A key without an expiry never expires.
API_KEY_MAX_EXPIRY_DAYS = 36500
# Attempts at a create whose unique slug or prefix was taken by a concurrent request.
_UNIQUE_RETRIES = 20


def derive_slug(text: str, fallback: str = "product") -> str:
    """Turn free text into a slug: lowercase ASCII letters, digits and single hyphens.

    Text with no usable characters (only punctuation, or a non-Latin script) gives FALLBACK.
    """
    slug = slugify(text or "").replace("_", "-")
    slug = re.sub(r"-{2,}", "-", slug).strip("-")[:SLUG_MAX_LENGTH].strip("-")
    return slug or fallback


def _with_suffix(base: str, number: int) -> str:
    suffix = f"-{number}"
    return base[: SLUG_MAX_LENGTH - len(suffix)].rstrip("-") + suffix


def _unique_slug(model, base: str, **scope) -> str:
    taken = set(
        model.objects.filter(**scope, slug__startswith=base[: SLUG_MAX_LENGTH - 12]).values_list("slug", flat=True)
    )
    if base not in taken:
        return base
    number = 2
    while _with_suffix(base, number) in taken:
        number += 1
    return _with_suffix(base, number)


def validate_slug(slug: str, field: str = "slug") -> str:
    if not SLUG_RE.fullmatch(slug) or len(slug) > SLUG_MAX_LENGTH:
        raise ValidationError(
            {
                field: f"Use 1-{SLUG_MAX_LENGTH} lowercase letters, digits and single hyphens, "
                "starting and ending with a letter or digit."
            }
        )
    return slug


# -- Workspaces and members ---------------------------------------------------


def workspace_create(*, name: str, slug: str | None = None) -> Workspace:
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise ValidationError({"name": "The workspace name must be 1-200 characters."})
    base = validate_slug(slug) if slug else derive_slug(name, fallback="workspace")
    if slug and Workspace.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": f"A workspace with slug {slug!r} already exists."})

    for _ in range(_UNIQUE_RETRIES):
        try:
            with transaction.atomic():
                workspace = Workspace.objects.create(name=name, slug=base if slug else _unique_slug(Workspace, base))
        except IntegrityError:
            continue
        logger.info("Created workspace %s (%s)", workspace.pk, workspace.slug)
        return workspace
    raise ValidationError({"slug": "Could not find a free slug; pass one explicitly."})


def workspace_resolve(reference: str) -> Workspace:
    """Find a workspace by its UUID or its slug."""
    reference = (reference or "").strip()
    workspace = Workspace.objects.filter(slug=reference.lower()).first()
    if workspace is None:
        try:
            workspace = Workspace.objects.filter(pk=reference).first()
        except ValidationError:
            workspace = None
    if workspace is None:
        raise ValidationError({"workspace": f"No workspace has the id or slug {reference!r}."})
    return workspace


def member_create(
    *,
    workspace: Workspace,
    role: str,
    display_name: str | None = None,
    email: str | None = None,
    avatar_url: str | None = None,
) -> Member:
    if role not in Member.Role.values:
        raise ValidationError({"role": f"Unknown role {role!r}; use one of {', '.join(Member.Role.values)}."})

    user = None
    if email:
        User = apps.get_model("workspaces", "User")
        email = email.strip().lower()
        try:
            from django.core.validators import validate_email

            validate_email(email)
        except ValidationError:
            raise ValidationError({"email": f"{email!r} is not a valid email address."}) from None
        # The login name is the email, and Django limits login names to 150 characters.
        username_max_length = User._meta.get_field("username").max_length
        if len(email) > username_max_length:
            raise ValidationError({"email": f"The email address must be at most {username_max_length} characters."})
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User.objects.create_user(username=email, email=email)
            user.set_unusable_password()
            user.save(update_fields=["password"])
        elif Member.objects.filter(workspace=workspace, user=user).exists():
            raise ValidationError({"email": f"{email} is already a member of this workspace."})

    member = Member(
        workspace=workspace,
        role=role,
        user=user,
        display_name=(display_name or "").strip() or None,
        avatar_url=avatar_url or None,
    )
    member.full_clean()
    member.save()
    logger.info("Created member %s in workspace %s", member.pk, workspace.pk)
    return member


# -- API keys ------------------------------------------------------------------


def api_key_issue(
    *,
    workspace: Workspace,
    created_by: Member | None = None,
    name: str = "",
    read_only: bool = False,
    expires_in_days: int | None = None,
) -> tuple[ApiKey, str]:
    """Create a key and return it with its secret, which is never retrievable again."""
    if created_by is not None and created_by.workspace_id != workspace.pk:
        raise ValidationError({"member": "The member belongs to another workspace."})
    if expires_in_days is not None and not 0 < expires_in_days <= API_KEY_MAX_EXPIRY_DAYS:
        raise ValidationError(
            {
                "expires_in_days": (
                    f"The expiry must be between 1 and {API_KEY_MAX_EXPIRY_DAYS} days; omit it for no expiry."
                )
            }
        )

    secret = ApiKey.generate_secret()
    key = ApiKey(
        workspace=workspace,
        created_by=created_by,
        name=(name or "").strip()[:200],
        read_only=read_only,
        expires_at=timezone.now() + timedelta(days=expires_in_days) if expires_in_days else None,
    )
    key.set_secret(secret)
    key.save()
    logger.info("Issued API key %s (%s) for workspace %s", key.pk, key.prefix, workspace.pk)
    return key, secret


def api_key_revoke(*, key: ApiKey) -> ApiKey:
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        logger.info("Revoked API key %s (%s)", key.pk, key.prefix)
    return key


# -- Products --------------------------------------------------------------------


def derive_issue_prefix(name: str) -> str:
    letters = re.sub(r"[^A-Z0-9]", "", slugify(name or "").upper())
    return letters[:3] or "PRD"


def _prefix_candidates(base: str):
    yield base
    head = base[:2]
    for number in range(2, 10):
        yield f"{head}{number}"
    head = base[:1]
    for number in range(10, 100):
        yield f"{head}{number}"


def prefix_conflict(workspace: Workspace, prefix: str, product: Product | None = None) -> str | None:
    """Explain why PREFIX cannot be used by PRODUCT in WORKSPACE, or return None."""
    other_products = Product.objects.filter(workspace=workspace, issue_prefix=prefix)
    if product is not None and product.pk:
        other_products = other_products.exclude(pk=product.pk)
    if other_products.exists():
        return f"Another product in this workspace already uses the issue prefix {prefix!r}."

    Issue = apps.get_model("issues", "Issue")
    carried = Issue.objects.filter(workspace=workspace, shortcode__startswith=f"{prefix}-")
    if product is not None and product.pk:
        carried = carried.exclude(product=product)
    if carried.exists():
        return f"Issues of another product carry the prefix {prefix!r} in their shortcodes."
    return None


def _free_prefix(workspace: Workspace, name: str) -> str:
    for candidate in _prefix_candidates(derive_issue_prefix(name)):
        if prefix_conflict(workspace, candidate) is None:
            return candidate
    raise ValidationError({"issue_prefix": "No free issue prefix could be derived; pass one explicitly."})


def validate_prefix(prefix: str) -> str:
    if not isinstance(prefix, str) or not PREFIX_RE.fullmatch(prefix):
        raise ValidationError({"issue_prefix": "Use 1-3 uppercase letters or digits, such as 'GET'."})
    return prefix


def validate_domain(domain):
    if domain is None:
        return None
    value = domain.strip().lower().rstrip(".")
    if not HOSTNAME_RE.fullmatch(value):
        raise ValidationError({"domain": "Give a bare host name such as 'example.com', without scheme, port or path."})
    return value


def _json_problem(value, max_depth: int) -> str | None:
    """Find what PostgreSQL's jsonb or a later json.dumps would fail on, without recursing."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)) and depth > max_depth:
            return f"Must be nested at most {max_depth} levels deep."
        if isinstance(item, str) and "\x00" in item:
            # jsonb cannot store U+0000, so PostgreSQL would raise a DataError.
            return "Must not contain the character U+0000."
        if isinstance(item, dict):
            stack.extend((key, depth) for key in item)
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
    return None


def validate_widget_config(config):
    if config is None:
        return None
    if not isinstance(config, dict):
        raise ValidationError({"widget_config": "Must be a JSON object or null."})
    problem = _json_problem(config, WIDGET_CONFIG_MAX_DEPTH)
    if problem:
        raise ValidationError({"widget_config": problem})
    serialized = json.dumps(config, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    if len(serialized) > WIDGET_CONFIG_MAX_BYTES:
        raise ValidationError(
            {"widget_config": "Must be at most 16 KiB (16384 bytes) when serialized as compact UTF-8 JSON."}
        )
    return config


def validate_product_name(name):
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise ValidationError({"name": "The name must be 1-200 characters."})
    return name


def product_create(
    *,
    workspace: Workspace,
    name: str,
    slug: str | None = None,
    issue_prefix: str | None = None,
    widget_config=None,
    domain: str | None = None,
) -> Product:
    """Create a product, suffixing a taken slug and varying a taken derived prefix."""
    name = validate_product_name(name)
    base_slug = validate_slug(slug) if slug else derive_slug(name)
    if issue_prefix is not None:
        validate_prefix(issue_prefix)
        conflict = prefix_conflict(workspace, issue_prefix)
        if conflict:
            raise ValidationError({"issue_prefix": conflict})
    widget_config = validate_widget_config(widget_config)
    domain = validate_domain(domain)

    for _ in range(_UNIQUE_RETRIES):
        try:
            with transaction.atomic():
                product = Product.objects.create(
                    workspace=workspace,
                    name=name,
                    slug=_unique_slug(Product, base_slug, workspace=workspace),
                    issue_prefix=issue_prefix or _free_prefix(workspace, name),
                    widget_key=Product.generate_widget_key(),
                    widget_config=widget_config,
                    domain=domain,
                )
        except IntegrityError:
            # A concurrent create took the slug or prefix between the check and the insert.
            if issue_prefix and Product.objects.filter(workspace=workspace, issue_prefix=issue_prefix).exists():
                raise ValidationError({"issue_prefix": prefix_conflict(workspace, issue_prefix)}) from None
            continue
        logger.info("Created product %s (%s) in workspace %s", product.pk, product.slug, workspace.pk)
        return product
    raise ValidationError({"slug": "Could not find a free slug; try again or pass one explicitly."})


_UNSET = object()


def product_update(
    *,
    product: Product,
    name=_UNSET,
    slug=_UNSET,
    issue_prefix=_UNSET,
    widget_config=_UNSET,
    domain=_UNSET,
) -> Product:
    """Apply the given changes; a colliding slug or prefix is an error, never suffixed."""
    changed = []
    with transaction.atomic():
        # Lock the row so a concurrent issue create reads either the old or the new prefix, never a mix.
        product = Product.objects.select_for_update().get(pk=product.pk)
        if name is not _UNSET:
            product.name = validate_product_name(name)
            changed.append("name")
        if slug is not _UNSET:
            if slug is None:
                raise ValidationError({"slug": "The slug cannot be null."})
            validate_slug(slug)
            if Product.objects.filter(workspace_id=product.workspace_id, slug=slug).exclude(pk=product.pk).exists():
                raise ValidationError({"slug": f"Another product in this workspace already uses the slug {slug!r}."})
            product.slug = slug
            changed.append("slug")
        if issue_prefix is not _UNSET:
            if issue_prefix is None:
                raise ValidationError({"issue_prefix": "The issue prefix cannot be null."})
            validate_prefix(issue_prefix)
            conflict = prefix_conflict(product.workspace, issue_prefix, product)
            if conflict:
                raise ValidationError({"issue_prefix": conflict})
            product.issue_prefix = issue_prefix
            changed.append("issue_prefix")
        if widget_config is not _UNSET:
            product.widget_config = validate_widget_config(widget_config)
            changed.append("widget_config")
        if domain is not _UNSET:
            product.domain = validate_domain(domain)
            changed.append("domain")

        if changed:
            try:
                with transaction.atomic():
                    product.save(update_fields=[*changed, "updated_at"])
            except IntegrityError:
                raise ValidationError(
                    {"slug": "The slug or issue prefix was taken by a concurrent change; try again."}
                ) from None
            logger.info("Updated product %s fields %s", product.pk, ",".join(changed))
    return product
