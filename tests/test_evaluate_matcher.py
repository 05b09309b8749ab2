import io
import json

import pytest
from django.core.management import CommandError, call_command

from issues.dedup import anthropic_matcher
from issues.dedup.evaluation import load_evaluation_set
from issues.dedup.local_matcher import MATCH_THRESHOLD
from tests.anthropic_stub import StubApi, shown_candidates, tool_answer


def run(*args) -> str:
    out = io.StringIO()
    call_command("evaluate_matcher", *args, stdout=out)
    return out.getvalue()


def test_evaluation_set_is_labelled_and_varied():
    backlog, cases = load_evaluation_set()
    shortcodes = {candidate.shortcode for candidate in backlog}
    languages = {case["language"] for case in cases if case["kind"] == "translation"}

    assert len(cases) >= 60
    assert all(case["expected"] is None or case["expected"] in shortcodes for case in cases)
    assert len(languages - {"en"}) >= 3
    assert sum(case["kind"] == "near_miss" for case in cases) >= 10


def test_local_reports_precision_recall_and_time():
    output = run("--split", "tuning")
    assert f"matcher: local (threshold {MATCH_THRESHOLD:g})" in output
    assert "precision: 1.00" in output
    assert "recall: " in output
    assert "time per decision: mean" in output


def test_anthropic_needs_a_key(settings):
    settings.ANTHROPIC_API_KEY = None
    with pytest.raises(CommandError, match="ANTHROPIC_API_KEY is not set"):
        run("--matcher", "anthropic")


def test_anthropic_runs_every_case_through_the_api(settings, monkeypatch):
    settings.ANTHROPIC_API_KEY = "sk-ant-test"
    backlog, cases = load_evaluation_set()
    expected = {case["title"]: case["expected"] for case in cases}

    def oracle(body):
        title = json.loads(body["messages"][0]["content"].split("\n", 1)[1])["title"]
        assert len(shown_candidates(body)) == len(backlog)
        return tool_answer(expected[title])

    api = StubApi(oracle)
    monkeypatch.setattr(anthropic_matcher, "shared_http_client", api.http_client)
    output = run("--matcher", "anthropic")

    assert len(api.requests) == len(cases)
    assert "precision: 1.00" in output
    assert "recall: 1.00" in output


def test_evaluation_set_has_both_splits():
    _, cases = load_evaluation_set()
    splits = [case["split"] for case in cases]

    assert set(splits) == {"tuning", "held_out"}
    assert splits.count("held_out") >= 20
    assert sum(case["kind"] == "near_miss" and case["split"] == "held_out" for case in cases) >= 10


def test_split_runs_only_its_cases():
    _, cases = load_evaluation_set()
    held_out = [case for case in cases if case["split"] == "held_out"]

    output = run("--split", "held_out")

    assert "split: held_out" in output
    assert f"cases: {len(held_out)} " in output


def test_case_without_split_counts_as_tuning(tmp_path):
    data = {
        "backlog": [{"shortcode": "EVL-001", "title": "Password reset email never arrives"}],
        "cases": [
            {"kind": "noise", "language": "en", "title": "password reset email never arrives", "expected": "EVL-001"}
        ],
    }
    path = tmp_path / "set.json"
    path.write_text(json.dumps(data))

    assert "cases: 1 " in run("--file", str(path), "--split", "tuning")
    assert "cases: 0" in run("--file", str(path), "--split", "held_out")


def test_unreadable_file_is_a_command_error(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    with pytest.raises(CommandError, match="Cannot read the evaluation set"):
        run("--file", str(broken))
