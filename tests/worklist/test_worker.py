"""End to end through a real Celery worker on Redis and PostgreSQL: post a remittance,
wait, and find every denial in the right team's queue, in priority order."""

import time
from decimal import Decimal

import pytest

from denials.models import Denial
from remittance.generator import generate_file
from worklist.models import WorklistItem

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
]

SEEDED_TEAMS = {
    "eligibility": "front-end",
    "coordination_of_benefits": "front-end",
    "coding": "coding",
    "medical_necessity": "clinical-appeals",
    "authorization": "clinical-appeals",
}


def wait_for(predicate, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.25)
    return False


def test_posted_remittance_lands_in_team_queues_in_priority_order(
    live_celery_worker, token_client, manager_client, settings
):
    settings.WORKLIST_INTAKE_BATCH = 50  # several intake tasks, as in production
    body = generate_file(claims=400, seed=11).encode("latin-1")
    response = token_client.post(
        "/api/v1/remittances/", data=body, content_type="application/edi-x12"
    )
    assert response.status_code == 202
    remittance_id = response.data["id"]

    def booked():
        return token_client.get(response.data["status_url"]).data["status"] == "processed"

    assert wait_for(booked), token_client.get(response.data["status_url"]).data
    denials = Denial.objects.filter(remittance_id=remittance_id).count()
    assert denials > 50

    def items_done():
        return (
            WorklistItem.objects.filter(links__denial__remittance_id=remittance_id).count()
            >= denials
        )

    assert wait_for(items_done), (WorklistItem.objects.count(), denials)
    items = WorklistItem.objects.select_related("team")
    assert items.count() == denials  # one item per denial, none twice
    for item in items:
        assert item.team.slug == SEEDED_TEAMS.get(item.category, "ar-follow-up"), item.category
        assert item.routing_rule and item.priority_explanation

    # Each team's queue, as the API serves it, holds that team's items, highest first.
    for slug in ["front-end", "coding", "clinical-appeals", "ar-follow-up"]:
        expected = set(items.filter(team__slug=slug).values_list("id", flat=True))
        if not expected:
            continue
        team_id = items.filter(team__slug=slug).values_list("team_id", flat=True).first()
        served, url = [], f"/api/v1/worklist/items/?team={team_id}"
        while url:
            page = manager_client.get(url).data
            served += page["results"]
            url = page["next"]
        assert {row["id"] for row in served} == expected
        priorities = [Decimal(row["priority"]) for row in served]
        assert priorities == sorted(priorities, reverse=True)
