"""Claim files: any X12 file through one door (API, command), each read by its own kind;
an 837 books submitted claims, a 277CA or 999 records acceptances and rejections; a bad
file writes nothing and says where it broke."""

import contextlib
import io
import json
from dataclasses import replace
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from claims.choices import FileStatus, SubmittedStatus
from claims.models import ClaimFile, ClaimRejection, SubmittedClaim
from claims.services.files import claim_file_process, inbound_receive
from claims.tasks import MAX_ATTEMPTS, claim_file_sweep_task
from denials.models import Denial
from remittance.generator.claims import build_277ca, build_837
from remittance.models import Remittance
from worklist.integrity import integrity_checks
from x12.ack277ca.writer import render_277ca
from x12.ack999.model import SetResponse999, Transaction999
from x12.ack999.writer import render_999
from x12.claim837.writer import render_837

pytestmark = pytest.mark.django_db

URL = "/api/v1/claim-files/"


def receive(text: str, name: str):
    inbound = inbound_receive(stream=io.BytesIO(text.encode()), filename=name, source="command")
    if inbound.claim_file is not None and inbound.claim_file.status == FileStatus.RECEIVED:
        return claim_file_process(file_id=inbound.claim_file.pk)
    return inbound.record


def ingest(*paths, dry_run=False) -> list[dict]:
    out = io.StringIO()
    args = ["ingest", "--json", *map(str, paths)] + (["--dry-run"] if dry_run else [])
    with contextlib.suppress(CommandError):  # a failed file: the reports say which and why
        call_command(*args, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_ingest_reads_each_file_by_its_own_kind(data_file):
    reports = ingest(
        data_file("oopfactory_4010i_batch2.837"),
        data_file("lfh-x12_5010p_example1.837"),
        data_file("pyx12_835-mult-loops.835"),
    )
    by_kind = {r["kind"]: r for r in reports}
    batch = next(r for r in reports if r["file"].endswith("batch2.837"))
    assert (batch["status"], batch["transactions"], batch["claims"]) == ("processed", 50, 50)
    assert (batch["service_lines"], batch["charge_total"]) == (165, "92877.09")
    assert by_kind["835"]["status"] == "processed" and by_kind["835"]["denials"] == 1
    assert {"file", "kind", "status", "warnings", "error"} <= set(batch)
    # The de-identified batch masks its accounts, so some claims share an identity.
    batch_file = ClaimFile.objects.get(filename="oopfactory_4010i_batch2.837")
    assert batch_file.counts["created"] + batch_file.counts["duplicates"] == 50
    assert SubmittedClaim.objects.filter(file=batch_file).count() == batch_file.counts["created"]
    assert Remittance.objects.count() == 1
    again = ingest(data_file("lfh-x12_5010p_example1.837"))[0]
    assert (again["status"], again["duplicate"]) == ("processed", True)
    assert ClaimFile.objects.count() == 2  # the same file twice is stored once


def test_dry_run_counts_and_writes_nothing(data_file):
    report = ingest(data_file("oopfactory_4010p_deident-01.837"), dry_run=True)[0]
    assert (report["claims"], report["service_lines"], report["charge_total"]) == (
        143,
        235,
        "125975.34",
    )
    assert not SubmittedClaim.objects.exists() and not ClaimFile.objects.exists()


def test_a_broken_837_writes_nothing_and_names_the_place(data_file):
    text = data_file("lfh-x12_5010p_example1.837").read_text()
    broken = text.replace("CLM*26463774*100.00*", "CLM*26463774*1O0.00*", 1)
    assert broken != text
    claim_file = receive(broken, "broken.837")
    assert claim_file.status == FileStatus.FAILED
    assert claim_file.error.startswith("broken.837: segment ")
    assert "(CLM), element 02" in claim_file.error
    assert claim_file.error_detail["segment_id"] == "CLM"
    assert not SubmittedClaim.objects.exists()


def test_277ca_rejections_are_recorded_never_as_denials():
    transactions = build_837(seed=3, claims=200)
    receive(render_837(transactions, control=41), "batch.837")
    ack = build_277ca(transactions, seed=3, rejection_rate=0.1)
    rejected = {c.patient_control_number for c in ack.claims if c.rejected}
    assert rejected
    claim_file = receive(render_277ca([ack]), "ack.277ca")
    assert claim_file.status == FileStatus.PROCESSED, claim_file.error
    assert claim_file.counts["rejected"] == len(rejected)
    assert claim_file.counts["accepted"] == 200 - len(rejected)
    assert claim_file.counts["unmatched"] == 0
    assert (
        set(
            SubmittedClaim.objects.filter(status=SubmittedStatus.REJECTED).values_list(
                "patient_control_number", flat=True
            )
        )
        == rejected
    )
    assert ClaimRejection.objects.count() == len(rejected)
    assert not Denial.objects.exists()


def test_a_999_rejecting_a_transaction_set_rejects_its_claims():
    first, second = build_837(seed=5, claims=6, claims_per_transaction=3)
    receive(render_837([first, second], control=77), "two-sets.837")
    assert set(SubmittedClaim.objects.values_list("transaction_control_number", flat=True)) == {
        "0001",
        "0002",
    }
    ack = Transaction999(
        control_number="0001",
        implementation="005010X231A1",
        functional_id="HC",
        group_control_number="77",
        group_version="005010X222A1",
        sets=(
            SetResponse999(set_id="837", control_number="0001", status="A"),
            SetResponse999(set_id="837", control_number="0002", status="R", status_codes=("5",)),
        ),
        group_status="P",
        sets_included=2,
        sets_received=2,
        sets_accepted=1,
    )
    claim_file = receive(render_999([ack]), "ack.999")
    assert claim_file.status == FileStatus.PROCESSED, claim_file.error
    assert (claim_file.counts["accepted"], claim_file.counts["rejected"]) == (3, 3)
    rejected = SubmittedClaim.objects.filter(status=SubmittedStatus.REJECTED)
    assert set(rejected.values_list("transaction_control_number", flat=True)) == {"0002"}
    assert ClaimRejection.objects.filter(source="999").count() == 3


def test_an_unsupported_set_is_stored_as_failed_with_the_reason(data_file):
    text = data_file("lfh-x12_5010p_example1.837").read_text().replace("ST*837*", "ST*834*", 1)
    claim_file = receive(text, "enrollment.x12")
    assert claim_file.status == FileStatus.FAILED
    assert "834 benefit enrollment" in claim_file.error
    assert claim_file.error.startswith("enrollment.x12: ")


class TestApi:
    def post(self, client, body: bytes):
        return client.post(URL, data=body, content_type="application/edi-x12")

    def test_an_837_is_queued_read_and_followed(
        self, token_client, data_file, django_capture_on_commit_callbacks
    ):
        body = data_file("lfh-x12_5010i_two-claims-single-provider.837").read_bytes()
        with django_capture_on_commit_callbacks(execute=True):
            response = self.post(token_client, body)
        assert response.status_code == 202, response.content
        assert response.data["kind"] == "837"
        status = token_client.get(response.data["status_url"])
        assert status.status_code == 200
        assert status.data["status"] == "processed"
        assert status.data["counts"]["claims"] == 2
        again = self.post(token_client, body)
        assert again.status_code == 200 and again.data["duplicate"] is True
        assert again.data["id"] == response.data["id"]

    def test_an_835_posted_here_is_booked_as_a_remittance(
        self, token_client, data_file, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = self.post(token_client, data_file("pyx12_835-mult-loops.835").read_bytes())
        assert response.status_code == 202, response.content
        assert "/api/v1/remittances/" in response.data["status_url"]
        assert Remittance.objects.count() == 1 and not ClaimFile.objects.exists()

    def test_garbage_is_a_400_and_kept_as_failed(self, token_client):
        response = self.post(token_client, b"hello, this is not X12")
        assert response.status_code == 400
        assert "not an X12 file" in response.data["detail"]
        assert ClaimFile.objects.get().status == FileStatus.FAILED

    def test_garbage_sent_to_both_doors_is_kept_once(self, token_client):
        body = b"still not X12, posted to the remittances first"
        first = token_client.post(
            "/api/v1/remittances/", data=body, content_type="application/edi-x12"
        )
        assert first.status_code == 400
        again = self.post(token_client, body)
        assert again.status_code == 200 and again.data["duplicate"] is True
        assert again.data["id"] == first.data["id"] and not ClaimFile.objects.exists()

    def test_too_large_is_a_413(self, token_client, settings):
        settings.REMITTANCE_MAX_UPLOAD_BYTES = 100
        response = self.post(token_client, b"ISA" + b"*" * 200)
        assert response.status_code == 413


def test_generated_claims_keep_their_dates_and_files(data_file):
    transactions = build_837(seed=9, claims=5, start=date(2026, 10, 1))
    transactions = [replace(transactions[0], created_on=date(2026, 10, 2))]
    claim_file = receive(render_837(transactions), "dated.837")
    claims = SubmittedClaim.objects.filter(file=claim_file)
    assert claims.count() == 5
    assert set(claims.values_list("submitted_on", flat=True)) == {date(2026, 10, 2)}


def test_a_file_a_dead_worker_left_is_read_again_and_given_up_after_ten_tries(data_file):
    text = data_file("lfh-x12_5010p_example1.837").read_text()
    inbound = inbound_receive(stream=io.BytesIO(text.encode()), filename="a.837", source="command")
    long_ago = timezone.now() - timedelta(hours=1)
    ClaimFile.objects.filter(pk=inbound.claim_file.pk).update(
        status=FileStatus.PROCESSING, started_at=long_ago, attempts=1
    )
    claim_file = claim_file_process(file_id=inbound.claim_file.pk)
    assert (claim_file.status, claim_file.attempts) == (FileStatus.PROCESSED, 2)
    assert SubmittedClaim.objects.filter(file=claim_file).count() == 1

    stuck = inbound_receive(
        stream=io.BytesIO(text.replace("ST*837*", "ST*837*9", 1).encode()),
        filename="b.837",
        source="command",
    ).claim_file
    ClaimFile.objects.filter(pk=stuck.pk).update(
        status=FileStatus.PROCESSING, started_at=long_ago, attempts=MAX_ATTEMPTS
    )
    checks = {c.key: c for c in integrity_checks()}
    assert checks["stuck_files"].count == 1
    assert checks["stuck_files"].examples == [f"claim file {stuck.pk}"]
    assert claim_file_sweep_task()["given_up"] == [stuck.pk]
    stuck.refresh_from_db()
    assert stuck.status == FileStatus.FAILED and "gave up after 10 attempts" in stuck.error
