"""Two releases racing on PostgreSQL, where row locks make the outcome deterministic."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from releases.models import Release
from releases.services import release_create
from tests.release_helpers import make_issue, statuses


def run_concurrently(*calls):
    """Start every call at once in its own thread; return each one's result or exception."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = call()
        except Exception as exc:  # the test inspects whatever was raised
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_releases_claim_issue_once(product):
    shared = make_issue(product)
    first_only = make_issue(product)
    second_only = make_issue(product)

    def create(title, own):
        return lambda: release_create(
            workspace=product.workspace,
            product=product,
            title=title,
            issues_refs=[shared.shortcode, own.shortcode],
        )

    outcomes = run_concurrently(create("First", first_only), create("Second", second_only))

    created = [outcome for outcome in outcomes if isinstance(outcome, Release)]
    errors = [outcome for outcome in outcomes if isinstance(outcome, ValidationError)]
    assert len(created) == 1, outcomes
    assert len(errors) == 1, outcomes
    assert "the issue is released" in " ".join(errors[0].message_dict["issue_ids"])
    assert Release.objects.count() == 1
    winner_own = first_only if created[0].title == "First" else second_only
    loser_own = second_only if winner_own is first_only else first_only
    assert statuses(shared, winner_own, loser_own) == ["released", "released", "done"]
    assert set(Release.objects.get().issues.values_list("pk", flat=True)) == {shared.pk, winner_own.pk}


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_releases_same_version(product):
    first = make_issue(product)
    second = make_issue(product)

    def create(issue):
        return lambda: release_create(
            workspace=product.workspace,
            product=product,
            title="Racing",
            version="3.0",
            issues_refs=[issue.shortcode],
        )

    outcomes = run_concurrently(create(first), create(second))

    errors = [outcome for outcome in outcomes if isinstance(outcome, ValidationError)]
    assert sum(isinstance(outcome, Release) for outcome in outcomes) == 1, outcomes
    assert len(errors) == 1, outcomes
    assert errors[0].message_dict == {"version": ["This product already has a release with this version."]}
    assert Release.objects.count() == 1
    assert sorted(statuses(first, second)) == ["done", "released"]
