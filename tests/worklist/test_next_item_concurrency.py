"""Twenty billers press "next item" at the same moment, on PostgreSQL: each item is
handed out at most once (SELECT ... FOR UPDATE SKIP LOCKED)."""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import connection

from worklist.models import Activity, Team, WorklistItem
from worklist.services import item_next

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

BILLERS = 20


def test_twenty_billers_pressing_next_at_once_never_share_an_item(django_user_model, data_file):
    from remittance.services import remittance_process, remittance_receive

    path = data_file("pyx12_835-mult-loops.835")
    with open(path, "rb") as stream:
        received = remittance_receive(stream=stream, filename=path.name, source="command")
    remittance = remittance_process(remittance_id=received.remittance.pk)
    claim = remittance.claims.get()
    team = Team.objects.get(slug="ar-follow-up")
    WorklistItem.objects.bulk_create(
        [
            WorklistItem(
                claim=claim,
                payer=claim.payer,
                patient_control_number="P",
                team=team,
                category="other",
                routing_rule="test",
                open_amount=Decimal(100),
                priority=Decimal(n % 7),
            )  # ties on priority too
            for n in range(30)
        ]
    )
    billers = [django_user_model.objects.create_user(f"biller{n}") for n in range(BILLERS)]
    team.members.add(*billers)
    start = threading.Barrier(BILLERS)

    def press(user):
        try:
            start.wait()
            item = item_next(user=user)
            return item.pk if item else None
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=BILLERS) as pool:
        taken = list(pool.map(press, billers))

    got = [pk for pk in taken if pk is not None]
    assert len(got) == BILLERS  # 30 free items: everyone gets one
    assert len(set(got)) == len(got), Counter(got).most_common(3)
    assigned = WorklistItem.objects.filter(assignee__isnull=False)
    assert assigned.count() == BILLERS
    for pk, user in zip(taken, billers, strict=True):
        assert WorklistItem.objects.get(pk=pk).assignee_id == user.pk
    assert Activity.objects.filter(note__contains="(next item)").count() == BILLERS
