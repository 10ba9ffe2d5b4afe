"""Booking sample files end to end: counts and totals checked by hand against the files
(grep/awk over the segments), idempotency, duplicates, atomicity and linking."""

import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F

from denials.models import Denial
from remittance.generator import build_files, render
from remittance.models import Adjustment, Claim, Era, ProviderAdjustment, Remittance, ServiceLine
from remittance.services import remittance_process, remittance_receive

pytestmark = pytest.mark.django_db

# file: (transactions, claims, service lines, denied claims (CLP02=4), BPR total, CLP04 total)
EXPECTED = {
    "edi835parser_blue-cross-nc-sample.835": (1, 1, 3, 0, "1922.86", "1922.86"),
    "edi835parser_emedny-sample.835": (1, 3, 10, 0, "45.75", "45.75"),
    "edi835parser_united-healthcare-legacy-sample.835": (1, 2, 5, 0, "349.99", "349.99"),
    "lfh-x12_cob-contractural-adjustment.835": (1, 1, 1, 0, "34.00", "34.00"),
    "lfh-x12_managed-care.835": (1, 2, 2, 0, "945.00", "945.00"),
    "lfh-x12_secondary-payment.835": (1, 2, 2, 0, "1222.00", "1222.00"),
    "lfh-x12_tertiary-payment.835": (1, 1, 1, 0, "187.50", "187.50"),
    "oopfactory_4010-deident-01.835": (1, 96, 365, 0, "99999.99", "66417.62"),
    "oopfactory_4010-example1-gripelements.835": (1, 9, 9, 3, "5.75", "5.75"),
    "pyx12_835-mult-loops.835": (1, 1, 3, 1, "0", "0"),
    "tastypackets_profee.835": (1, 3, 10, 0, "45.75", "45.75"),
    "tigershark_835-example-2.835": (2, 2, 2, 0, "24346.32", "12200.67"),
}


def ingest(path, source="command"):
    with open(path, "rb") as stream:
        received = remittance_receive(stream=stream, filename=path.name, source=source)
    return remittance_process(remittance_id=received.remittance.pk)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_books_with_hand_checked_counts(name, data_file):
    transactions, claims, lines, denied, payments, paid = EXPECTED[name]
    remittance = ingest(data_file(name))
    assert remittance.status == "processed", remittance.error
    assert remittance.transaction_count == transactions
    assert remittance.claim_count == claims
    assert remittance.service_line_count == lines
    assert remittance.denied_claim_count == denied
    assert remittance.payment_total == Decimal(payments)
    assert remittance.claim_paid_total == Decimal(paid)
    assert Claim.objects.filter(remittance=remittance).count() == claims
    assert ServiceLine.objects.filter(claim__remittance=remittance).count() == lines
    assert Denial.objects.filter(remittance=remittance).count() == remittance.denial_count


def test_adjustments_and_denials_of_a_denied_claim(data_file):
    remittance = ingest(data_file("pyx12_835-mult-loops.835"))
    claim = Claim.objects.get(remittance=remittance)
    assert claim.status_code == "4"
    codes = list(
        Adjustment.objects.filter(claim=claim).values_list("group_code", "reason_code", "amount")
    )
    assert ("CO", "16", Decimal("500.04")) in codes
    assert ("OA", "A7", Decimal("127.80")) in codes
    [denial] = Denial.objects.filter(claim=claim)
    assert denial.level == "claim"
    assert denial.denied_amount == Decimal("915.39")
    assert "N14" in denial.remark_codes


def test_same_file_twice_is_stored_once(data_file):
    first = ingest(data_file("lfh-x12_managed-care.835"))
    with open(data_file("lfh-x12_managed-care.835"), "rb") as stream:
        again = remittance_receive(stream=stream, filename="again.835", source="api")
    assert again.created is False
    assert again.remittance.pk == first.pk
    assert Remittance.objects.count() == 1
    assert Claim.objects.count() == 2


def test_same_payment_in_another_file_is_not_booked_twice(data_file):
    # The two files differ byte-wise but carry the same payment (payer, trace, amount).
    first = ingest(data_file("edi835parser_emedny-sample.835"))
    second = ingest(data_file("tastypackets_profee.835"))
    assert second.status == "processed"
    assert second.duplicate_transaction_count == 1
    assert any("already booked from remittance" in w for w in second.warnings)
    assert Era.objects.count() == 1
    assert Claim.objects.filter(remittance=first).count() == 3
    assert Claim.objects.filter(remittance=second).count() == 0


def test_repeated_payments_within_one_file_book_once(data_file):
    remittance = ingest(data_file("tastypackets_profee-multiple.835"))
    assert remittance.transaction_count == 156
    assert remittance.claim_count == 3  # what it booked, not what it repeated
    assert remittance.service_line_count == 10
    assert remittance.payment_total == Decimal("45.75")
    assert remittance.duplicate_transaction_count == 155
    assert "155 of 156 transactions were already booked earlier in this file" in (
        remittance.warnings
    )
    assert sum("not booked again" in w for w in remittance.warnings) == 155
    assert Era.objects.count() == 1
    assert Claim.objects.count() == 3


def test_structural_error_writes_nothing_and_names_the_segment(data_file):
    remittance = ingest(data_file("pyx12_testdata-bad-header-looping.835"))
    assert remittance.status == "failed"
    assert remittance.error.startswith("pyx12_testdata-bad-header-looping.835: segment ")
    assert remittance.error_detail["segment_number"] is not None
    assert Era.objects.count() == 0
    assert Claim.objects.count() == 0
    assert Denial.objects.count() == 0


def test_bad_claim_in_a_later_transaction_is_quarantined_and_the_rest_books(data_file, tmp_path):
    good = data_file("lfh-x12_managed-care.835").read_text()
    bad = good.replace("CLP*8765432112*1*1200.00", "CLP*8765432112*1*12x0.00")
    bad = bad.replace("TRN*1*7170066655", "TRN*1*7170066656")
    path = tmp_path / "two.835"
    path.write_text(good.replace("IEA*1*000000907~", "") + bad.split("~", 1)[1])
    remittance = ingest(path)
    assert remittance.status == "processed", remittance.error
    assert remittance.claim_count == 3 and remittance.posting_exception_count == 1
    assert Claim.objects.count() == 3 and Era.objects.count() == 2
    held = remittance.posting_exceptions.get()
    assert (held.level, held.transaction_position, held.segment_id) == ("claim", 1, "CLP")


def test_processing_twice_changes_nothing(data_file):
    remittance = ingest(data_file("lfh-x12_managed-care.835"))
    again = remittance_process(remittance_id=remittance.pk)
    assert again.status == "processed"
    assert Claim.objects.count() == 2
    assert Denial.objects.count() == remittance.denial_count


def test_reversals_in_a_sample_are_booked_and_never_denials(data_file):
    # The originals of this sample's reversals were paid in remittances we don't have.
    ingest(data_file("oopfactory_4010-deident-01.835"))
    reversals = Claim.objects.filter(status_code="22")
    assert reversals.count() == 19
    assert not Denial.objects.filter(claim__status_code="22").exists()
    for reversal in reversals.filter(corrected_by__isnull=False):
        assert reversal.corrected_by.patient_control_number == reversal.patient_control_number
        assert reversal.corrected_by.id > reversal.id


def test_reversals_pair_with_original_in_an_earlier_file_and_the_correction(tmp_path):
    for number, transactions in enumerate(build_files(claims=600, seed=3, files=3)):
        path = tmp_path / f"synthetic-{number}.835"
        path.write_text(render(transactions, isa_control_start=number + 1))
        assert ingest(path).status == "processed"
    reversals = Claim.objects.filter(status_code="22")
    paired = reversals.filter(reversal_of__isnull=False)
    assert paired.count() > 0
    assert paired.exclude(reversal_of__remittance=F("remittance")).exists()  # across files
    for reversal in paired.select_related("reversal_of", "corrected_by"):
        original = reversal.reversal_of
        assert original.patient_control_number == reversal.patient_control_number
        assert original.charge == -reversal.charge and original.id < reversal.id
        assert reversal.corrected_by.patient_control_number == reversal.patient_control_number
        assert reversal.corrected_by.status_code != "22"


def test_later_remittance_links_to_earlier_claim(data_file, tmp_path):
    text = data_file("lfh-x12_managed-care.835").read_text()
    ingest(data_file("lfh-x12_managed-care.835"))
    later = tmp_path / "later.835"
    later.write_text(text.replace("TRN*1*7170066655", "TRN*1*7170066656"))
    ingest(later)
    newest = Claim.objects.filter(patient_control_number="5554555444").order_by("-id")
    assert newest[0].previous_id == newest[1].id


def test_plb_recoupment_is_tied_to_its_claim(data_file, tmp_path):
    text = data_file("lfh-x12_managed-care.835").read_text()
    # A take-back of the first claim, by its payer claim control number.
    text = text.replace(
        "SE*26*112233~", "PLB*5544667733*20021231*WO:94060555410000*25.00~SE*27*112233~"
    )
    text = text.replace("BPR*I*945.00", "BPR*I*920.00")
    path = tmp_path / "plb.835"
    path.write_text(text)
    remittance = ingest(path)
    assert remittance.status == "processed", remittance.error
    plb = ProviderAdjustment.objects.get()
    assert plb.amount == Decimal("25.00")
    assert plb.claim.payer_claim_control_number == "94060555410000"


def test_command_json_report(data_file, capsys):
    call_command("ingest_835", "--json", str(data_file("pyx12_835-mult-loops.835")))
    report = json.loads(capsys.readouterr().out.strip())
    assert report["status"] == "processed"
    assert report["claims"] == 1 and report["denied_claims"] == 1
    assert report["service_lines"] == 3
    assert report["denials"] == 1
    assert report["payment_total"] == "0" or Decimal(report["payment_total"]) == 0
    assert report["error"] is None
    call_command("ingest_835", "--json", str(data_file("pyx12_835-mult-loops.835")))
    assert json.loads(capsys.readouterr().out.strip())["status"] == "duplicate"


def test_command_dry_run_writes_nothing(data_file, capsys):
    call_command("ingest_835", "--json", "--dry-run", str(data_file("lfh-x12_managed-care.835")))
    report = json.loads(capsys.readouterr().out.strip())
    assert report["claims"] == 2 and report["status"] == "processed"
    assert Remittance.objects.count() == 0 and Claim.objects.count() == 0


def test_command_reports_every_file_and_exits_nonzero_on_failure(data_file, tmp_path, capsys):
    garbage = tmp_path / "garbage.835"
    garbage.write_text("hello, this is not an 835")
    with pytest.raises(CommandError) as failure:
        call_command(
            "ingest_835", "--json", str(garbage), str(data_file("lfh-x12_managed-care.835"))
        )
    assert failure.value.returncode == 1
    lines = [json.loads(x) for x in capsys.readouterr().out.strip().splitlines()]
    assert [r["status"] for r in lines] == ["failed", "processed"]
    assert "not an X12 file" in lines[0]["error"]
