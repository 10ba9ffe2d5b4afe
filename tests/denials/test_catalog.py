"""The shipped CARC/RARC catalog covers every code the sample remittances use, and the
migrated database holds exactly the CSV files' codes."""

import csv
from functools import cache
from pathlib import Path

import pytest

from denials.catalog import DATA_DIR
from denials.models import ReasonCode, RemarkCode
from denials.selectors import code_descriptions
from x12.remit835 import parse

SAMPLES = Path(__file__).resolve().parent.parent / "data"
BROKEN = {"pyx12_testdata-bad-header-looping.835"}  # meant to fail to parse
MASKED = "X999"  # a de-identified sample's placeholder, not a real remark code


def read(name: str) -> dict[str, dict]:
    with open(DATA_DIR / name, newline="", encoding="utf-8") as fh:
        return {row["code"]: row for row in csv.DictReader(fh)}


CARCS, RARCS = read("carc.csv"), read("rarc.csv")


@cache
def sample_codes() -> tuple[frozenset[str], frozenset[str]]:
    carcs, rarcs = set(), set()
    for path in sorted(SAMPLES.glob("*.835")):
        if path.name in BROKEN:
            continue
        for transaction in parse(path).transactions:
            for claim in transaction.claims:
                lines = claim.service_lines
                adjustments = claim.adjustments + [a for s in lines for a in s.adjustments]
                carcs |= {a.reason_code for a in adjustments}
                rarcs |= set(claim.remark_codes) | {r for s in lines for r in s.remark_codes}
    return frozenset(carcs), frozenset(rarcs)


def test_the_samples_carry_the_codes_this_test_is_about():
    # Worked out with grep over the CAS, MOA/MIA and LQ segments of tests/data.
    carcs, rarcs = sample_codes()
    assert carcs == {
        "1", "2", "3", "16", "18", "22", "23", "29", "31", "42", "45", "59", "94", "97",
        "104", "141", "251", "A2", "A7",
    }  # fmt: skip
    assert rarcs == {"MA92", "N14", "N206", MASKED}


@pytest.mark.parametrize("code", sorted(sample_codes()[0]))
def test_every_sample_carc_is_catalogued_with_a_category(code):
    assert code in CARCS
    row = CARCS[code]
    assert row["category"]
    assert row["description"]
    assert row["is_denial"] in {"yes", "no"}
    if row["is_denial"] == "yes":
        assert row["severity"] in {"soft", "hard"}
        assert row["control_point"]
        assert row["next_action"]
        assert row["denial_groups"] and "PR" not in row["denial_groups"].split()


@pytest.mark.parametrize("code", sorted(sample_codes()[1] - {MASKED}))
def test_every_sample_rarc_is_catalogued_with_a_category(code):
    assert code in RARCS
    assert RARCS[code]["category"]
    assert RARCS[code]["description"]


def test_the_masked_placeholder_is_not_a_catalogued_remark():
    assert MASKED not in RARCS
    assert MASKED not in CARCS


def test_every_denial_carc_says_how_to_work_it():
    incomplete = [
        code
        for code, row in CARCS.items()
        if row["is_denial"] == "yes"
        and not (
            row["category"] and row["severity"] and row["control_point"] and row["next_action"]
        )
    ]
    assert incomplete == []


@pytest.mark.django_db
def test_the_migrated_catalog_has_the_csv_codes():
    assert set(ReasonCode.objects.values_list("code", flat=True)) == set(CARCS)
    assert set(RemarkCode.objects.values_list("code", flat=True)) == set(RARCS)
    assert ReasonCode.objects.count() == len(CARCS) == 319
    assert RemarkCode.objects.count() == len(RARCS) == 417


@pytest.mark.django_db
def test_the_migrated_catalog_keeps_each_rows_meaning():
    reasons = ReasonCode.objects.in_bulk(field_name="code")
    for code in sample_codes()[0]:
        row, stored = CARCS[code], reasons[code]
        assert stored.is_denial is (row["is_denial"] == "yes")
        assert (stored.category, stored.severity, stored.next_action) == (
            row["category"],
            row["severity"],
            row["next_action"],
        )
    remark = RemarkCode.objects.get(code="N14")
    assert (remark.effect, remark.category) == (RARCS["N14"]["effect"], "pricing")


@pytest.mark.django_db
def test_code_descriptions_reads_both_lists_in_one_query(django_assert_num_queries):
    carc = ReasonCode.objects.get(code="45")
    rarc = RemarkCode.objects.get(code="N130")
    with django_assert_num_queries(1):
        carcs, rarcs = code_descriptions(carcs={"45", "NOT-A-CODE"}, rarcs={"N130"})
    assert carcs == {"45": carc.description}
    assert rarcs == {"N130": rarc.description}
    with django_assert_num_queries(1):
        assert code_descriptions(carcs=set(), rarcs={"N130"}) == ({}, {"N130": rarc.description})
    with django_assert_num_queries(0):
        assert code_descriptions(carcs=set(), rarcs=set()) == ({}, {})
