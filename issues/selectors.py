"""Read helpers for issues."""

import re
import uuid

# A prefix of letters or digits, a hyphen and a number, as format_shortcode writes them.
SHORTCODE_RE = re.compile(r"^[A-Za-z0-9]{1,20}-[0-9]{1,12}$")


def issue_ref_condition(ref: str) -> dict | None:
    """Return the lookup for REF, a UUID or a shortcode in any case, or None when it is neither."""
    ref = str(ref).strip()
    try:
        return {"pk": uuid.UUID(ref)}
    except ValueError:
        pass
    if SHORTCODE_RE.match(ref):
        # Shortcodes are stored uppercase, so an exact match on the uppercased
        # value can use the (workspace, shortcode) unique index.
        return {"shortcode": ref.upper()}
    return None
