"""Rescores are coalesced: a burst of changes to one scope queues one rescore task, on
the rescore queue (never the queue intake uses)."""

import os

import pytest

from config.celery_app import app
from worklist.tasks import rescore_soon, worklist_rescore_task

pytestmark = [pytest.mark.redis, pytest.mark.django_db]


@pytest.fixture
def private_queue(settings):
    """Publish to Redis (not in-process) on a queue no worker reads, and clean it up."""
    import redis

    settings.WORKLIST_RESCORE_QUEUE = f"rescore-test-{os.getpid()}"
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield broker, settings.WORKLIST_RESCORE_QUEUE
    finally:
        app.conf.task_always_eager = eager
        broker.delete(settings.WORKLIST_RESCORE_QUEUE)


def test_a_burst_of_changes_queues_one_rescore_per_scope(private_queue):
    broker, queue = private_queue
    assert [rescore_soon(payer_id=7, category="coding") for _ in range(5)] == [
        True,
        False,
        False,
        False,
        False,
    ]
    assert rescore_soon(payer_id=7, category="eligibility") is True  # another scope
    assert broker.llen(queue) == 2

    # Once the rescore starts, the next change queues again.
    worklist_rescore_task.apply(kwargs={"payer_id": 7, "category": "coding"})
    assert rescore_soon(payer_id=7, category="coding") is True
    assert broker.llen(queue) == 3
