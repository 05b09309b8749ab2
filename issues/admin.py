"""Admin for issues; the provenance admin lives with the dedup package."""

from issues.dedup import admin as dedup_admin  # noqa: F401
