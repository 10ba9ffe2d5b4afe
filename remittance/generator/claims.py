"""Synthetic 837 claim batches and their 277CA acknowledgments, seeded and pure stdlib.

    txs = build_837(seed=7, claims=5000)             # list[Transaction837]
    text = render_837(txs)                           # x12.claim837.writer
    ack = build_277ca(txs, seed=7)                   # Transaction277CA, ~5-8 % rejected

Names and ids are made up (no real PHI). About 4 % of claims are replacements (frequency 7)
and 1 % voids (8), both with REF*F8 naming an earlier claim.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from x12.ack277ca.model import (
    Claim277,
    LevelStatus277,
    Status277,
    StatusCode277,
    Transaction277CA,
)
from x12.claim837.model import (
    INSTITUTIONAL,
    PROFESSIONAL,
    Claim837,
    Line837,
    OtherPayer837,
    Payer837,
    Person837,
    Provider837,
    Transaction837,
)

CPT = [("99213", "75.00"), ("99214", "110.00"), ("99203", "120.00"), ("36415", "12.00"),
       ("85025", "28.50"), ("80053", "44.00"), ("93000", "55.00"), ("71046", "96.00"),
       ("97110", "42.00"), ("J1885", "9.75"), ("90471", "25.00"), ("G0439", "165.00")]  # fmt: skip
REVENUE = [("0300", "85025"), ("0301", "80053"), ("0450", "99284"), ("0320", "71046"),
           ("0250", ""), ("0636", "J1885"), ("0730", "93005"), ("0420", "97110")]  # fmt: skip
ICD10 = ["E119", "I10", "J069", "M545", "R0789", "Z0000", "E785", "K219", "F329", "N390"]
MODIFIERS = ["25", "59", "LT", "RT", "GT", "95"]
POS = ["11", "11", "11", "22", "21", "23", "02"]
PAYERS = [("87726", "UNITEDHEALTHCARE"), ("60054", "AETNA"), ("62308", "CIGNA"),
          ("00882", "MEDICARE JURISDICTION J"), ("SKNY0", "NY MEDICAID")]  # fmt: skip
LAST = ["SMITH", "JOHNSON", "GARCIA", "NGUYEN", "PATEL", "KIM", "BROWN", "LOPEZ"]
FIRST = ["ALEX", "MARIA", "JAMES", "LINDA", "WEI", "OMAR", "SARA", "DEV"]
REJECTIONS = [("A7", "21", "PR"), ("A7", "33", "IL"), ("A3", "145", "PR"), ("A6", "562", "85"),
              ("A7", "562", "85"), ("A3", "21", "41")]  # fmt: skip


def _provider(rng: random.Random, i: int) -> Provider837:
    return Provider837(
        name=f"SYNTH CLINIC {i}",
        npi=f"1{rng.randrange(10**8, 10**9)}",
        tax_id=f"{rng.randrange(10**8, 10**9)}",
        entity_type="2",
        taxonomy="207Q00000X",
    )


def _person(rng: random.Random, relationship: str) -> Person837:
    born = date(1940, 1, 1) + timedelta(days=rng.randrange(0, 29000))
    return Person837(
        rng.choice(LAST), rng.choice(FIRST), f"M{rng.randrange(10**9):09d}", born,
        rng.choice("FM"), relationship,
    )  # fmt: skip


def _lines(rng: random.Random, kind: str, start: date) -> tuple[Line837, ...]:
    lines = []
    for n in range(1, rng.choice((1, 2, 2, 3, 4, 5)) + 1):
        day = start + timedelta(days=rng.randrange(0, 3) if kind == INSTITUTIONAL else 0)
        units = Decimal(rng.choice(("1", "1", "1", "2", "3")))
        if kind == PROFESSIONAL:
            code, price = rng.choice(CPT)
            mods = (rng.choice(MODIFIERS),) if rng.random() < 0.2 else ()
            line = Line837(n, "HC", code, mods, "", Decimal(price) * units, "UN", units,
                           "", ("1",), day, day, f"L{rng.randrange(10**7)}")  # fmt: skip
        else:
            revenue, code = rng.choice(REVENUE)
            price = Decimal(rng.randrange(1500, 90000)) / 100
            line = Line837(n, "HC" if code else "", code, (), revenue, price * units, "UN",
                           units, "", (), day, day, f"L{rng.randrange(10**7)}")  # fmt: skip
        if rng.random() < 0.03 and kind == PROFESSIONAL:
            line = replace(line, procedure_code="J3301", ndc=f"{rng.randrange(10**11):011d}")
        lines.append(line)
    return tuple(lines)


def _claim(rng, i, kind, billing, start, earlier) -> Claim837:
    lines = _lines(rng, kind, start)
    frequency, replaced = "1", ""
    roll = rng.random()
    if earlier and roll < 0.05:
        frequency = "7" if roll < 0.04 else "8"
        replaced = f"PCN{rng.choice(earlier):08d}"
    payer_id, payer_name = rng.choice(PAYERS)
    dependent = rng.random() < 0.3
    subscriber = _person(rng, "" if dependent else "18")
    patient = replace(_person(rng, "19"), member_id="") if dependent else subscriber
    codes = tuple(rng.sample(ICD10, rng.randrange(1, 4)))
    other = ()
    if rng.random() < 0.1:
        other = (OtherPayer837("S", "60054", "AETNA", Decimal("12.50"), f"ICN{i:09d}",
                               start + timedelta(days=20), "CI"),)  # fmt: skip
    start = min(x.service_date_from for x in lines)
    end = max(x.service_date_to for x in lines)
    return Claim837(
        patient_control_number=f"PCN{i:08d}",
        charge=sum((x.charge for x in lines), Decimal("0")),
        facility_code=rng.choice(POS) if kind == PROFESSIONAL else "13",
        facility_qualifier="B" if kind == PROFESSIONAL else "A",
        frequency_code=frequency,
        place_of_service="",
        kind=kind,
        prior_authorization=f"PA{rng.randrange(10**6)}" if rng.random() < 0.1 else "",
        payer_claim_control_number=replaced,
        service_date_from=start,
        service_date_to=end,
        statement_from=start if kind == INSTITUTIONAL else None,
        statement_to=end if kind == INSTITUTIONAL else None,
        diagnosis_codes=codes,
        diagnosis_qualifiers=("ABK",) + ("ABF",) * (len(codes) - 1),
        billing_provider=billing,
        rendering_provider=Provider837("DOE, JAN", f"1{i % 10**9:09d}", "", "1", "207Q00000X")
        if kind == PROFESSIONAL
        else None,
        payer=Payer837(payer_id, payer_name),
        responsibility="P",
        filing_indicator="CI",
        subscriber=subscriber,
        patient=patient,
        patient_is_subscriber=not dependent,
        other_payers=other,
        lines=lines,
    )


def build_837(
    *,
    seed: int = 0,
    claims: int = 1000,
    kind: str = PROFESSIONAL,
    claims_per_transaction: int = 2000,
    start: date = date(2026, 9, 1),
) -> list[Transaction837]:
    """Seeded synthetic 837 transactions (parsed form: ``place_of_service`` filled as the
    reader fills it, positions 0)."""
    rng = random.Random(seed)
    providers = [_provider(rng, i) for i in range(1, 9)]
    out: list[Transaction837] = []
    batch: list[Claim837] = []
    billing = providers[0]
    for i in range(1, claims + 1):
        if rng.random() < 0.02:
            billing = rng.choice(providers)
        day = start + timedelta(days=rng.randrange(0, 60))
        claim = _claim(rng, i, kind, billing, day, range(1, i) if i > 1 else None)
        if kind == PROFESSIONAL:
            claim = replace(claim, place_of_service=claim.facility_code)
        batch.append(claim)
        if len(batch) == claims_per_transaction or i == claims:
            out.append(
                Transaction837(
                    control_number=f"{len(out) + 1:04d}",
                    implementation="005010X222A1" if kind == PROFESSIONAL else "005010X223A2",
                    kind=kind,
                    purpose="00",
                    reference=f"B{seed}-{len(out) + 1}",
                    created_on=start + timedelta(days=61),
                    transaction_type="CH",
                    submitter_name="SYNTH BILLING",
                    submitter_id="SUB123",
                    receiver_name="SYNTH CLEARINGHOUSE",
                    receiver_id="CH999",
                    claims=tuple(batch),
                )  # fmt: skip
            )
            batch = []
    return out


def build_277ca(
    transactions: list[Transaction837],
    *,
    seed: int = 0,
    rejection_rate: float = 0.065,
    received: date = date(2026, 11, 27),
) -> Transaction277CA:
    """A 277CA acknowledging every claim: most A1/A2 (accepted), ``rejection_rate`` of them
    rejected (A3/A6/A7 with status codes 21, 33, 145, 562)."""
    rng = random.Random(seed)
    acks: list[Claim277] = []
    accepted_total = rejected_total = Decimal("0")
    for tx in transactions:
        for claim in tx.claims:
            if rng.random() < rejection_rate:
                category, code, entity = rng.choice(REJECTIONS)
                action = "U"
                rejected_total += claim.charge
            else:
                category, code, entity, action = "A2", "20", "PR", "WQ"
                accepted_total += claim.charge
            status = Status277((StatusCode277(category, code, entity),), received, action,
                               claim.charge)  # fmt: skip
            acks.append(
                Claim277(
                    patient_control_number=claim.patient_control_number,
                    payer_claim_control_number=f"ICN{rng.randrange(10**12):012d}"
                    if action == "WQ"
                    else "",
                    clearinghouse_trace=f"CH{rng.randrange(10**10):010d}",
                    statuses=(status,),
                    category_code=category,
                    status_code=code,
                    entity_code=entity,
                    status_date=received,
                    action_code=action,
                    total_charge=claim.charge,
                    service_date_from=claim.service_date_from,
                    service_date_to=claim.service_date_to,
                )  # fmt: skip
            )
    rejected = sum(1 for a in acks if a.action_code == "U")
    receiver = LevelStatus277(
        "21", "SYNTH BILLING", "SUB123", "B1",
        (Status277((StatusCode277("A1", "19", "PR"),), received, "WQ",
                   accepted_total + rejected_total),),
        len(acks) - rejected, rejected, accepted_total, rejected_total,
    )  # fmt: skip
    return Transaction277CA(
        control_number="0001", implementation="005010X214", reference=f"ACK{seed}",
        created_on=received, levels=(receiver,), claims=tuple(acks),
    )  # fmt: skip
