"""The matcher interface shared by the Anthropic and the local matcher."""

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Proposal:
    """The issue a client wants to create."""

    title: str
    description: str | None = None


@dataclass(frozen=True)
class Candidate:
    """An open issue of the product that the proposal may duplicate."""

    shortcode: str
    title: str
    description: str | None = None


@dataclass(frozen=True)
class Decision:
    """A matcher's verdict: the duplicated candidate's shortcode, or None for a new problem."""

    shortcode: str | None
    confidence: float | None
    reason: str


class MatcherUnavailable(Exception):
    """Raised when a matcher returns no usable decision; `reason` is the cause, for the provenance row."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class Matcher(Protocol):
    # Recorded as IssueApiSource.matcher: the model id, or "local".
    name: str

    def match(self, proposal: Proposal, candidates: list[Candidate]) -> Decision:
        """Return the candidate PROPOSAL duplicates, or a Decision with shortcode None.

        Raises MatcherUnavailable when no decision could be made. The returned
        shortcode is always one of CANDIDATES.
        """
        ...
