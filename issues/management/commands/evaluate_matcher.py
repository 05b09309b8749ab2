from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from issues.dedup.anthropic_matcher import AnthropicMatcher
from issues.dedup.evaluation import EVALUATION_SET, SPLITS, evaluate, summarise
from issues.dedup.local_matcher import MATCH_THRESHOLD, LocalMatcher


class Command(BaseCommand):
    help = (
        "Measure a deduplication matcher on the labelled evaluation set: precision, recall "
        "and time per decision. The anthropic matcher needs ANTHROPIC_API_KEY and makes one "
        "API call per case."
    )

    def add_arguments(self, parser):
        parser.add_argument("--matcher", choices=["local", "anthropic"], default="local")
        parser.add_argument(
            "--threshold",
            type=float,
            default=MATCH_THRESHOLD,
            help=f"Similarity from 0 to 100 the local matcher needs for a match (default {MATCH_THRESHOLD:g}).",
        )
        parser.add_argument("--file", default=str(EVALUATION_SET), help="Evaluation set in the same JSON format.")
        parser.add_argument(
            "--split",
            choices=SPLITS,
            help="Run only the cases of this split (default: all). Tune on 'tuning', report 'held_out' too.",
        )

    def handle(self, *args, **options):
        if options["matcher"] == "anthropic":
            if not settings.ANTHROPIC_API_KEY:
                raise CommandError("ANTHROPIC_API_KEY is not set; set it to evaluate the anthropic matcher.")
            matcher = AnthropicMatcher.from_settings()
            label = f"anthropic ({matcher.name})"
        else:
            matcher = LocalMatcher(threshold=options["threshold"])
            label = f"local (threshold {options['threshold']:g})"

        try:
            report = evaluate(matcher, path=Path(options["file"]), split=options["split"])
        except (OSError, ValueError, KeyError) as exc:
            raise CommandError(f"Cannot read the evaluation set {options['file']}: {exc}")

        self.stdout.write(f"matcher: {label}")
        if options["split"]:
            self.stdout.write(f"split: {options['split']}")
        for line in summarise(report):
            self.stdout.write(line)
        if options["verbosity"] >= 2:
            for result in report.results:
                if result.correct:
                    continue
                error = f" ({result.error})" if result.error else ""
                self.stdout.write(
                    f"  wrong [{result.split}/{result.kind}/{result.language}] {result.title!r}: "
                    f"expected {result.expected}, got {result.answer}{error}"
                )
