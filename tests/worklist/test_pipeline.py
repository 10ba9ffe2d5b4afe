"""Nothing lost: each pipeline step stands alone, repeats are no-ops, failures are recorded
on the remittance, bad rules degrade one item, and the sweep and the integrity checks
find and requeue whatever was left behind."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from denials.models import Denial
from remittance.models import Remittance, StepFailure
from remittance.tasks import remittance_sweep_task
from worklist import services
from worklist.integrity import integrity_checks
from worklist.models import Activity, ItemDenial, PayerRule, WorklistItem
from worklist.tasks import worklist_remittance_task, worklist_sweep_task

from .test_services import claim, denied, item_for

pytestmark = pytest.mark.django_db


def checks() -> dict[str, int]:
    return {c.key: c.count for c in integrity_checks(grace=timedelta(0))}


# ------------------------------------------------------------ split payments, repeats


def test_a_split_payment_of_a_resolved_claim_adds_up_and_the_files_new_denials_get_items(book):
    book(denied("S1", amount="1000.00"), trace="T1")
    first = book(claim("S1", ("CO", "45", "600.00"), status="1", paid="400.00"), trace="T2")
    item = item_for("S1")
    assert (item.status, item.resolution, item.recovered_amount) == (
        "resolved",
        "recovered_partial",
        D("400.00"),
    )
    # Two more payments for the same claim in one file, beside a new denial.
    split = book(
        claim("S1", status="1", charge="1000.00", paid="350.00"),
        claim("S1", status="1", charge="1000.00", paid="250.00"),
        denied("N1", "16", "500.00"),
        trace="T3",
        produced=date(2025, 3, 3),
    )
    item = item_for("S1")
    assert (item.status, item.resolution, item.recovered_amount) == (
        "resolved",
        "recovered_full",
        D("1000.00"),
    )
    notes = list(item.activities.filter(kind="payer").values_list("note", flat=True))
    assert notes == [
        f"Paid $400.00 in remittance {first.pk}.",
        f"Further payment of $600.00 in remittance {split.pk}; recovered $1,000.00 in all.",
    ]
    assert item_for("N1").status == "new"  # the file's new denial reached a queue
    assert not StepFailure.objects.exists()
    assert all(check.ok for check in integrity_checks(grace=timedelta(0)))

    before = (Activity.objects.count(), WorklistItem.objects.count())
    assert services.worklist_follow_remittance(remittance_id=split.pk) == 0
    worklist_remittance_task.delay(remittance_id=split.pk)
    assert (Activity.objects.count(), WorklistItem.objects.count()) == before
    item.refresh_from_db()
    assert item.recovered_amount == D("1000.00")


def test_a_payment_for_an_item_written_off_leaves_it_alone(book, user):
    book(denied("W1", amount="200.00"), trace="T1")
    item = item_for("W1")
    services.item_transition(
        item=item,
        to_status="resolved",
        actor=user,
        resolution="written_off",
        root_cause={"control_point": "billing", "cause": "Upheld"},
    )
    book(claim("W1", status="1", charge="200.00", paid="200.00"), trace="T2")
    item = item_for("W1")
    assert (item.resolution, item.recovered_amount) == ("written_off", 0)


# ------------------------------------------------------------------ failures recorded


def test_a_failing_follow_up_is_recorded_and_intake_still_runs(book, monkeypatch, client, manager):
    """Fault injection: the follow-up step raises. Its failure is kept on the remittance
    with the message, the file's denials still get items, and once the step works again
    the sweep runs it and clears the record."""
    book(denied("F1"), trace="T1")

    def broken(*, remittance_id):
        raise RuntimeError("follow-up exploded")

    monkeypatch.setattr(services, "worklist_follow_remittance", broken)
    later = book(claim("F1", status="1", paid="1000.00"), denied("F2", "97"), trace="T2")
    failure = StepFailure.objects.get(remittance=later)
    assert (failure.step, failure.cleared_at) == ("follow_up", None)
    assert failure.message == "RuntimeError: follow-up exploded"
    assert item_for("F2").status == "new"  # intake was not held back
    assert item_for("F1").status == "new"  # the payment is not applied yet
    assert checks()["step_failures"] == 1
    client.force_login(manager)
    page = client.get(f"/remittances/{later.pk}/").content.decode()
    assert "Follow-up of earlier items failed" in page
    assert "RuntimeError: follow-up exploded" in page
    with pytest.raises(CommandError, match="Pipeline steps that failed"):
        call_command("check_integrity", "--grace-minutes", "0")

    monkeypatch.undo()
    Remittance.objects.filter(pk=later.pk).update(
        processed_at=timezone.now() - timedelta(minutes=10)
    )
    assert worklist_sweep_task.delay().get()["follow_up"] == 1
    assert item_for("F1").status == "resolved"
    failure.refresh_from_db()
    assert failure.cleared_at is not None
    call_command("check_integrity", "--grace-minutes", "0")
    assert "follow-up exploded" not in client.get(f"/remittances/{later.pk}/").content.decode()


def test_a_booking_error_that_is_not_the_files_fault_fails_it_with_the_message(
    book, monkeypatch, tmp_path
):
    from remittance import services as remittance_services
    from remittance.services import remittance_process, remittance_receive

    def broken(*args, **kwargs):
        raise ValueError("cannot book this")

    monkeypatch.setattr(remittance_services, "_walk", broken)
    path = tmp_path / "x.835"
    path.write_bytes(b"ISA*00*          *00*          *ZZ*A*ZZ*B*250101*1200*^*00501*1*0*P*:~")
    with path.open("rb") as stream:
        received = remittance_receive(stream=stream, filename="x.835", source="api")
    remittance = remittance_process(remittance_id=received.remittance.pk)
    assert remittance.status == "failed"
    assert "could not be booked (ValueError: cannot book this)" in remittance.error
    assert remittance.error.startswith("x.835: ")


# ------------------------------------------------------------------------- bad rules


def test_a_payer_rule_out_of_range_flags_its_items_and_never_stops_the_pipeline(
    book, client, manager
):
    """A rule saved before rules were bounded (no validation on this path) gives dates
    past the calendar's end: its items are flagged with no deadline; others are fine."""
    book(denied("B0", "50"), trace="T0")
    payer = item_for("B0").payer
    PayerRule.objects.create(
        payer=payer,
        kind="appeal_1",
        days=3_000_000,
        basis="receipt",
        effective_from=date(2000, 1, 1),
    )
    book(denied("B1", "50"), denied("B2", "97", "300.00"), trace="T1")
    for account in ("B1", "B2"):
        item = item_for(account)
        assert item.appeal_deadline is None  # the bad rule's deadline is left empty
        assert "the appeal rule (payer" in item.problem
        assert "gives no valid date" in item.problem
        assert item.team_id and item.priority_explanation
    client.force_login(manager)
    page = client.get(f"/worklist/items/{item_for('B1').pk}/").content.decode()
    assert "Needs a rule fixed" in page and "gives no valid date" in page
    assert services.worklist_rescore() == 3
    assert "gives no valid date" in item_for("B0").problem
    found = {c.key: c for c in integrity_checks(grace=timedelta(0))}
    assert found["items_flagged"].count == 3 and found["items_flagged"].ok
    call_command("check_integrity", "--grace-minutes", "0")  # flagged, owned: not a failure

    PayerRule.objects.filter(days=3_000_000).update(days=60)
    services.worklist_rescore()
    fixed = item_for("B1")
    assert fixed.problem == "" and fixed.appeal_deadline is not None


@pytest.mark.parametrize(
    ("field", "value"),
    [("days", 3_000_000), ("months", 121), ("receipt_grace_days", 400), ("days", 3661)],
)
def test_payer_rules_beyond_ten_years_are_refused(manager_client, field, value):
    body = {
        "payer_type": "commercial",
        "kind": "appeal_1",
        "basis": "receipt",
        "effective_from": "2025-01-01",
        field: value,
    }
    response = manager_client.post("/api/v1/worklist/payer-rules/", body, format="json")
    assert response.status_code == 400, response.data
    assert field in response.data
    assert not PayerRule.objects.filter(**{field: value}).exists()


def test_months_and_days_together_are_bounded(manager_client):
    body = {
        "payer_type": "commercial",
        "kind": "appeal_1",
        "basis": "receipt",
        "effective_from": "2025-01-01",
        "months": 120,
        "days": 100,
    }
    response = manager_client.post("/api/v1/worklist/payer-rules/", body, format="json")
    assert response.status_code == 400
    assert "ten years" in str(response.data["days"])


@pytest.mark.parametrize(
    ("field", "value"), [("prior_weight", 10**9), ("work_cost", "-5"), ("work_cost", "1e9")]
)
def test_category_policies_are_bounded(manager_client, field, value):
    from worklist.models import CategoryPolicy

    policy = CategoryPolicy.objects.first()
    response = manager_client.patch(
        f"/api/v1/worklist/category-policies/{policy.pk}/", {field: value}, format="json"
    )
    assert response.status_code == 400, response.data


def test_routing_rule_order_is_bounded(manager_client):
    from worklist.models import Team

    response = manager_client.post(
        "/api/v1/worklist/routing-rules/",
        {"name": "huge", "team": Team.objects.first().pk, "order": 10**10},
        format="json",
    )
    assert response.status_code == 400
    assert "order" in response.data


# ------------------------------------------------------ decisions kept, sweep, checks


def test_a_denial_that_opens_no_item_keeps_intakes_decision(book):
    remittance = book(denied("PR1", amount="80.00"), trace="T1", run=False)
    # All of it patient responsibility: a guardrail says there is nothing to work.
    Denial.objects.filter(remittance=remittance).update(adjustment_codes=["PR-1"])
    denial = Denial.objects.get(remittance=remittance)
    assert services.worklist_intake(denial_ids=[denial.pk]) == 0
    link = ItemDenial.objects.get(denial=denial)
    assert link.item is None and link.note.startswith("PR-1/2/3")
    assert checks()["denials_without_items"] == 0
    assert services.worklist_intake(denial_ids=[denial.pk]) == 0  # decided once
    assert ItemDenial.objects.count() == 1


def test_the_sweep_gives_items_to_denials_that_lost_theirs(book):
    remittance = book(denied("O1"), denied("O2", "97"), trace="T1", run=False)
    long_ago = timezone.now() - timedelta(minutes=10)
    Denial.objects.filter(remittance=remittance).update(created_at=long_ago)
    # The follow-up ran; the intake tasks were lost (a broker restart, say).
    Remittance.objects.filter(pk=remittance.pk).update(
        processed_at=long_ago, follow_up_done_at=long_ago
    )
    assert checks()["denials_without_items"] == 2
    with pytest.raises(CommandError, match=r"Denials without a worklist item \(2\)"):
        call_command("check_integrity")
    assert worklist_sweep_task.delay().get() == {
        "follow_up": 0,
        "intake": 2,
        "rejection_intake": 0,
        "rejections_resolved": 0,
    }
    assert WorklistItem.objects.count() == 2
    call_command("check_integrity")
    assert worklist_sweep_task.delay().get() == {
        "follow_up": 0,
        "intake": 0,
        "rejection_intake": 0,
        "rejections_resolved": 0,
    }


def test_the_sweep_books_a_file_left_in_received_or_processing(book, tmp_path, data_file):
    from remittance.services import remittance_receive

    stuck = []
    for name, status in [
        ("pyx12_835-mult-loops.835", "received"),
        ("tastypackets_profee.835", "processing"),
    ]:
        with data_file(name).open("rb") as stream:
            remittance = remittance_receive(stream=stream, filename=name, source="api").remittance
        long_ago = timezone.now() - timedelta(hours=1)
        Remittance.objects.filter(pk=remittance.pk).update(
            status=status, queued_at=long_ago, started_at=long_ago, attempts=1
        )
        stuck.append(remittance.pk)
    assert checks()["stuck_files"] == 2
    result = remittance_sweep_task.delay().get()
    assert result == {"requeued": stuck, "given_up": []}
    for pk in stuck:
        remittance = Remittance.objects.get(pk=pk)
        assert remittance.status == "processed", remittance.error
        assert remittance.attempts == 2
    assert checks()["stuck_files"] == 0


def test_the_sweep_gives_up_on_a_file_that_keeps_failing(data_file):
    from remittance.services import remittance_receive

    with data_file("tastypackets_profee.835").open("rb") as stream:
        remittance = remittance_receive(stream=stream, filename="p.835", source="api").remittance
    StepFailure.objects.create(
        remittance=remittance,
        step="book",
        message="OperationalError: gone",
        failed_at=timezone.now(),
    )
    Remittance.objects.filter(pk=remittance.pk).update(
        status="processing", started_at=timezone.now() - timedelta(hours=1), attempts=10
    )
    assert remittance_sweep_task.delay().get()["given_up"] == [remittance.pk]
    remittance.refresh_from_db()
    assert remittance.status == "failed"
    assert remittance.error == "p.835: gave up after 10 attempts (OperationalError: gone)"


def test_items_in_a_team_without_members_are_noted(book, manager):
    book(denied("T1x"), trace="T1")
    item = item_for("T1x")
    item.team.members.set([manager])
    assert checks()["items_without_team_members"] == 0
    item.team.members.clear()
    found = {c.key: c for c in integrity_checks(grace=timedelta(0))}
    assert found["items_without_team_members"].count == 1
    assert found["items_without_team_members"].examples == [f"item {item.pk}"]
    assert found["items_without_team"].count == 0


def test_health_page_shows_the_checks_to_managers_only(client, manager, user, book):
    remittance = book(denied("H1"), trace="T1", run=False)
    Denial.objects.filter(remittance=remittance).update(
        created_at=timezone.now() - timedelta(minutes=10)
    )
    client.force_login(user)
    assert client.get("/worklist/health/").status_code in (403, 404)
    client.force_login(manager)
    page = client.get("/worklist/health/").content.decode()
    assert "Denials without a worklist item" in page
    assert "Some checks need attention" in page
    assert f"denial {Denial.objects.get(remittance=remittance).pk}" in page


# ------------------------------------------------------------- the queue tells the truth


def test_a_closed_item_reads_closed_and_lists_come_open_first(book, user, manager_client):
    today = timezone.localdate()
    recent = {"served": today - timedelta(days=20)}
    book(denied("C1", **recent), denied("C2", "97", **recent), trace="T1", produced=today)
    closed = services.item_transition(
        item=item_for("C1"),
        to_status="resolved",
        actor=user,
        resolution="written_off",
        root_cause={"control_point": "billing", "cause": "Upheld"},
    )
    assert (closed.priority, closed.deadline_state) == (0, "none")
    rows = manager_client.get("/api/v1/worklist/items/").data["results"]
    assert [r["patient_control_number"] for r in rows] == ["C2", "C1"]
    assert (rows[1]["deadline"], rows[1]["deadline_state"], rows[1]["priority"]) == (
        None,
        "none",
        "0.00",
    )
    assert rows[0]["deadline"] is not None and D(rows[0]["priority"]) > 0
    only_open = manager_client.get("/api/v1/worklist/items/?open=true").data["results"]
    assert [r["patient_control_number"] for r in only_open] == ["C2"]
    only_closed = manager_client.get("/api/v1/worklist/items/?open=false").data["results"]
    assert [r["patient_control_number"] for r in only_closed] == ["C1"]


def test_an_item_past_every_deadline_sinks_into_write_off_review(book, client, manager):
    today = timezone.localdate()
    book(denied("OLD1", "97", served=date(2011, 1, 1)), trace="T1", produced=date(2011, 2, 1))
    book(denied("NEW1", "97", served=today - timedelta(days=5)), trace="T2", produced=today)
    old, new = item_for("OLD1"), item_for("NEW1")
    assert old.priority == 0 and new.priority > 0
    assert "no recourse left, for write-off review" in old.priority_explanation
    assert list(WorklistItem.objects.past_every_deadline(today)) == [old]
    client.force_login(manager)
    queue = client.get(f"/worklist/team/{old.team.slug}/?past_every_deadline=true")
    page = queue.content.decode()
    assert "OLD1" in page and "NEW1" not in page
    overview = client.get("/worklist/overview/").content.decode()
    assert "1 for write-off review" in overview


def test_a_follow_up_date_set_by_a_person_is_kept_when_the_item_waits_for_the_payer(book, user):
    today = timezone.localdate()
    book(denied("FU1", served=today - timedelta(days=5)), trace="T1", produced=today)
    item = item_for("FU1")
    item.team.members.add(user)
    chosen = today + timedelta(days=9)
    services.item_set_follow_up(item=item, actor=user, on=chosen)
    item = services.item_mark_resubmitted(item=item_for("FU1"), actor=user, on=today)
    assert item.status == "awaiting_payer"
    assert item.follow_up_on == chosen
    assert (
        item.activities.last().note
        == f"Follow up on {chosen:%Y-%m-%d} (as set) if the payer is silent."
    )
    services.worklist_rescore()
    # Resubmitted: what the item races now is its follow-up with the payer.
    assert item_for("FU1").deadline == chosen


def test_the_item_page_shows_each_deadlines_base_date(book, client, manager):
    today = timezone.localdate()
    served, produced = today - timedelta(days=20), today - timedelta(days=3)
    book(denied("BD1", "97", served=served), trace="T1", produced=produced)
    item = item_for("BD1")
    client.force_login(manager)
    page = client.get(f"/worklist/items/{item.pk}/").content.decode()
    assert f"counted from the remittance date, {produced:%Y-%m-%d}" in page
    assert f"counted from the date of service, {served:%Y-%m-%d}" in page
