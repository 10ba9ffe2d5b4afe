"""The biller's actions and the manager's bulk changes, as services."""

from datetime import date, timedelta
from decimal import Decimal

import psycopg
import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.utils import timezone

from remittance.services import remittance_process, remittance_receive
from worklist.choices import ActivityKind, ItemStatus, Resolution
from worklist.models import Team, WorklistItem
from worklist.services import (
    AssignmentRefused,
    InvalidTransition,
    item_approve_write_off,
    item_mark_resubmitted,
    item_next,
    item_note,
    item_resolve,
    item_set_follow_up,
    items_bulk_update,
    worklist_follow_up_sweep,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(data_file, django_capture_on_commit_callbacks):
    path = data_file("pyx12_835-mult-loops.835")  # one denied claim -> one item
    with django_capture_on_commit_callbacks(execute=True), open(path, "rb") as stream:
        received = remittance_receive(stream=stream, filename=path.name, source="command")
        remittance_process(remittance_id=received.remittance.pk)
    return WorklistItem.objects.select_related("team").get()


@pytest.fixture
def biller(user, item):
    item.team.members.add(user)
    return user


@pytest.fixture
def boss(manager, item):
    return manager


def clone(item, **fields):
    values = {
        f.attname: getattr(item, f.attname)
        for f in WorklistItem._meta.concrete_fields
        if f.name not in ("id", "created_at", "updated_at")
    }
    return WorklistItem.objects.create(**{**values, **fields})


def test_next_item_takes_the_highest_priority_unassigned_item_of_my_teams(item, biller):
    WorklistItem.objects.filter(pk=item.pk).update(priority=Decimal("500"))
    low = clone(item, priority=Decimal("10"))
    high = clone(item, priority=Decimal("9000"))
    clone(item, priority=Decimal("99999"), team_id=Team.objects.get(slug="coding").id)  # not mine
    taken = item_next(user=biller)
    assert taken.pk == high.pk
    assert (taken.status, taken.assignee) == (ItemStatus.ASSIGNED, biller)
    assert item_next(user=biller).pk != high.pk
    assert low.pk in {item_next(user=biller).pk, item.pk}


def test_next_item_prefers_follow_ups_that_came_due(item, biller):
    clone(item, priority=Decimal("9000"))
    due = clone(item, priority=Decimal("1"), follow_up_due=True)
    assert item_next(user=biller).pk == due.pk


@pytest.mark.parametrize("union_of_heads", [True, False], ids=["heads", "one-query"])
def test_next_item_over_several_teams_takes_the_best_head_of_any(
    item, biller, union_of_heads, monkeypatch
):
    """Each team's heads in a UNION where the database can limit its parts; one query
    where it cannot (SQLite, the embedded default). The same items either way."""
    monkeypatch.setattr(
        connection.features, "supports_slicing_ordering_in_compound", union_of_heads
    )
    coding = Team.objects.get(slug="coding")
    coding.members.add(biller)
    WorklistItem.objects.filter(pk=item.pk).update(priority=Decimal("500"))
    for n in range(8):  # more than the heads looked at per team
        clone(item, priority=Decimal(100 + n))
    best = clone(item, priority=Decimal("700"), team_id=coding.id)
    clone(item, priority=Decimal("600"), team_id=coding.id)
    assert item_next(user=biller).pk == best.pk
    taken = [item_next(user=biller).priority for _ in range(3)]
    assert taken == [Decimal("600"), Decimal("500"), Decimal("107")]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_next_item_looks_past_heads_someone_else_holds(item, biller):
    """All of a team's first few free items are locked by concurrent takers: next item
    falls back to looking further down instead of coming back empty."""
    coding = Team.objects.get(slug="coding")
    coding.members.add(biller)
    WorklistItem.objects.update(status=ItemStatus.ASSIGNED, assignee=biller)
    heads = [clone(item, priority=Decimal(900 + n), status="new", assignee=None) for n in range(5)]
    deeper = clone(item, priority=Decimal("1"), status="new", assignee=None)
    heads += [clone(h, team_id=coding.id) for h in heads]
    params = connection.get_connection_params()
    with psycopg.connect(**params) as other:  # another biller mid-take: one transaction
        other.execute(
            "SELECT id FROM worklist_worklistitem WHERE id = ANY(%s) FOR UPDATE",
            [[h.pk for h in heads]],
        )
        assert item_next(user=biller).pk == deeper.pk
        other.rollback()


def test_next_item_with_no_team_or_empty_queue_is_none(item, user, biller):
    WorklistItem.objects.update(status=ItemStatus.RESOLVED, resolution=Resolution.WRITTEN_OFF)
    assert item_next(user=biller) is None


def test_note_follow_up_and_empty_note(item, biller):
    item_note(item=item, actor=biller, text="Called the payer, ref 123")
    assert item.activities.filter(kind=ActivityKind.NOTE, note__contains="ref 123").exists()
    with pytest.raises(InvalidTransition):
        item_note(item=item, actor=biller, text="   ")
    on = timezone.localdate() + timedelta(days=7)
    assert item_set_follow_up(item=item, actor=biller, on=on).follow_up_on == on


def test_resubmitted_records_date_and_reference_then_awaits_the_payer(item, biller):
    item = item_mark_resubmitted(
        item=item, actor=biller, on=date(2026, 11, 20), new_claim_reference="ICN-NEW-1"
    )
    item.refresh_from_db()
    assert item.status == ItemStatus.AWAITING_PAYER
    assert (item.resubmitted_on, item.new_claim_reference) == (date(2026, 11, 20), "ICN-NEW-1")
    assert item.assignee == biller and item.follow_up_on is not None
    statuses = list(item.activities.values_list("to_status", flat=True))
    assert statuses[-4:] == ["assigned", "in_progress", "resubmitted", "awaiting_payer"]


def test_closing_needs_a_root_cause(item, biller):
    with pytest.raises(InvalidTransition, match="root cause"):
        item_resolve(
            item=item,
            actor=biller,
            resolution=Resolution.RECOVERED_FULL,
            control_point="",
            cause="",
        )
    closed = item_resolve(
        item=item,
        actor=biller,
        resolution=Resolution.RECOVERED_PARTIAL,
        control_point="billing",
        cause="Payer lost the claim",
        recovered_amount=Decimal("100"),
    )
    assert (closed.status, closed.root_cause, closed.control_point) == (
        ItemStatus.RESOLVED,
        "Payer lost the claim",
        "billing",
    )
    assert closed.recovered_amount == Decimal("100")


def test_large_write_off_by_a_biller_waits_for_a_manager(item, biller, boss, settings):
    settings.WORKLIST_WRITE_OFF_APPROVAL_ABOVE = Decimal("100")
    assert item.open_amount > 100
    pending = item_resolve(
        item=item,
        actor=biller,
        resolution=Resolution.WRITTEN_OFF,
        control_point="billing",
        cause="Timely filing",
        reason="Too late",
    )
    assert pending.status == ItemStatus.NEW and pending.write_off_requested
    with pytest.raises(AssignmentRefused):
        item_approve_write_off(item=pending, actor=biller)
    done = item_approve_write_off(item=pending, actor=boss)
    assert (done.status, done.resolution) == (ItemStatus.RESOLVED, Resolution.WRITTEN_OFF)


def test_small_write_off_by_a_biller_closes_at_once(item, biller, settings):
    settings.WORKLIST_WRITE_OFF_APPROVAL_ABOVE = Decimal("1000000")
    done = item_resolve(
        item=item,
        actor=biller,
        resolution=Resolution.WRITTEN_OFF,
        control_point="billing",
        cause="Small balance",
        reason="Under policy",
    )
    assert done.status == ItemStatus.RESOLVED


def test_bulk_reassign_and_move_team_are_for_managers(item, biller, boss, django_user_model):
    other = clone(item)
    with pytest.raises(AssignmentRefused):
        items_bulk_update(items=WorklistItem.objects.all(), actor=biller, assignee=biller)
    assert items_bulk_update(items=WorklistItem.objects.all(), actor=boss, assignee=biller) == 2
    assert set(WorklistItem.objects.values_list("status", "assignee")) == {
        (ItemStatus.ASSIGNED, biller.pk)
    }
    coding = Team.objects.get(slug="coding")
    items_bulk_update(items=WorklistItem.objects.filter(pk=other.pk), actor=boss, team=coding)
    other.refresh_from_db()
    assert (other.team, other.assignee, other.status) == (coding, None, ItemStatus.NEW)


def test_follow_up_sweep_brings_silent_payers_back_to_the_top(item, biller):
    item = item_mark_resubmitted(item=item, actor=biller, on=date(2026, 1, 1))
    item.refresh_from_db()
    assert worklist_follow_up_sweep(today=item.follow_up_on - timedelta(days=1)) == 0
    assert worklist_follow_up_sweep(today=item.follow_up_on) == 1
    item.refresh_from_db()
    assert item.follow_up_due is True
    assert worklist_follow_up_sweep(today=item.follow_up_on) == 0  # once


def test_a_biller_without_the_manager_group_is_not_a_manager(biller):
    assert not biller.groups.filter(name="manager").exists()
    assert Group.objects.filter(name="manager").count() <= 1


def test_a_tampered_cursor_shows_the_first_page(item):
    from worklist.selectors import encode_cursor, queue_page

    qs = WorklistItem.objects.all()
    first = queue_page(queryset=qs, size=10)
    bad = queue_page(queryset=qs, cursor=encode_cursor(["x", "y", "z"]), size=10)
    assert [i.pk for i in bad.items] == [i.pk for i in first.items]


def test_closing_clears_a_pending_write_off_request(item, biller, settings):
    settings.WORKLIST_WRITE_OFF_APPROVAL_ABOVE = Decimal("1")
    item_resolve(
        item=item,
        actor=biller,
        resolution=Resolution.WRITTEN_OFF,
        control_point="billing",
        cause="x",
        reason="too late",
    )
    closed = item_resolve(
        item=item,
        actor=biller,
        resolution=Resolution.RECOVERED_FULL,
        control_point="billing",
        cause="Paid after all",
    )
    assert closed.write_off_requested is False
    with pytest.raises(InvalidTransition, match="already closed"):
        item_resolve(
            item=item,
            actor=biller,
            resolution=Resolution.WRITTEN_OFF,
            control_point="billing",
            cause="x",
            reason="again",
        )
