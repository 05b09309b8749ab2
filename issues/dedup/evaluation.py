"""Measure a matcher against the labelled cases in evaluation_set.json.

Each case is a proposed issue and the backlog issue it duplicates, or null when
it describes a different problem. The whole backlog is passed as candidates,
as for a product with that many open issues.
"""

import json
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

from issues.dedup.matching import Candidate, Matcher, MatcherUnavailable, Proposal

EVALUATION_SET = Path(__file__).with_name("evaluation_set.json")

# "tuning" cases may guide changes to the local matcher; "held_out" cases are
# only measured, to show whether a change generalises beyond the cases it was tuned on.
SPLITS = ("tuning", "held_out")


@dataclass
class CaseResult:
    kind: str
    language: str
    split: str
    title: str
    expected: str | None
    answer: str | None
    error: str | None
    seconds: float

    @property
    def correct(self) -> bool:
        return self.error is None and self.answer == self.expected


@dataclass
class Report:
    results: list[CaseResult] = field(default_factory=list)

    @property
    def matches(self) -> list[CaseResult]:
        return [result for result in self.results if result.answer is not None]

    @property
    def duplicates(self) -> list[CaseResult]:
        return [result for result in self.results if result.expected is not None]

    @property
    def true_positives(self) -> int:
        return sum(1 for result in self.matches if result.answer == result.expected)

    @property
    def precision(self) -> float:
        """Share of the matches that named the right issue (1.0 when nothing matched)."""
        return self.true_positives / len(self.matches) if self.matches else 1.0

    @property
    def recall(self) -> float:
        """Share of the duplicates that were matched to the right issue."""
        return self.true_positives / len(self.duplicates) if self.duplicates else 1.0

    @property
    def errors(self) -> list[CaseResult]:
        return [result for result in self.results if result.error is not None]

    def by_kind(self) -> dict[str, tuple[int, int]]:
        """Map each kind of case to (correct answers, cases)."""
        counts: dict[str, tuple[int, int]] = {}
        for result in self.results:
            correct, total = counts.get(result.kind, (0, 0))
            counts[result.kind] = (correct + result.correct, total + 1)
        return counts

    def milliseconds(self) -> list[float]:
        return [result.seconds * 1000 for result in self.results]


def load_evaluation_set(path: Path = EVALUATION_SET) -> tuple[list[Candidate], list[dict]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    backlog = [Candidate(item["shortcode"], item["title"], item.get("description")) for item in data["backlog"]]
    return backlog, data["cases"]


def evaluate(matcher: Matcher, path: Path = EVALUATION_SET, split: str | None = None) -> Report:
    """Run MATCHER on every case, or only on the cases of SPLIT.

    A MatcherUnavailable counts as no match and is kept as the error. Cases
    without a split belong to "tuning". The candidates are the whole backlog
    whatever the split.
    """
    backlog, cases = load_evaluation_set(path)
    report = Report()
    for case in cases:
        if split is not None and case.get("split", "tuning") != split:
            continue
        proposal = Proposal(title=case["title"], description=case.get("description"))
        started = time.perf_counter()
        answer, error = None, None
        try:
            answer = matcher.match(proposal, backlog).shortcode
        except MatcherUnavailable as exc:
            error = exc.reason
        report.results.append(
            CaseResult(
                kind=case["kind"],
                language=case["language"],
                split=case.get("split", "tuning"),
                title=case["title"],
                expected=case["expected"],
                answer=answer,
                error=error,
                seconds=time.perf_counter() - started,
            )
        )
    return report


def summarise(report: Report) -> list[str]:
    """Return the report as lines of text."""
    if not report.results:
        return ["cases: 0"]
    milliseconds = report.milliseconds()
    lines = [
        f"cases: {len(report.results)} ({len(report.duplicates)} duplicates, "
        f"{len(report.results) - len(report.duplicates)} different problems)",
        f"precision: {report.precision:.2f} ({report.true_positives} of {len(report.matches)} matches right)",
        f"recall: {report.recall:.2f} ({report.true_positives} of {len(report.duplicates)} duplicates found)",
        f"time per decision: mean {statistics.mean(milliseconds):.2f} ms, "
        f"median {statistics.median(milliseconds):.2f} ms, max {max(milliseconds):.2f} ms",
    ]
    for kind, (correct, total) in sorted(report.by_kind().items()):
        lines.append(f"  {kind}: {correct} of {total} right")
    if report.errors:
        lines.append(f"failed calls (counted as no match): {len(report.errors)}, first: {report.errors[0].error}")
    return lines
