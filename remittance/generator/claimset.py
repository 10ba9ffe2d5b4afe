"""A seeded "claims set": 837 batches, their 277CA acknowledgements and the 835s that pay
the same claims, so a demo can show the whole submission-to-payment loop.

    >>> from datetime import date
    >>> cs = build_claim_set(claims=500, seed=7, start=date(2026, 10, 1))
    >>> [name for name, text, day in cs.batches][:1]
    ['2026-10-01_batch-001.837']

How it is built:

* the 835 transactions come from the regular builder (:mod:`.build`, without reversal
  pairs), so the denials, reason codes and money stay realistic;
* every 835 claim (CLP) is turned back into the 837 claim that was submitted: same patient
  control number, payer (2010BB NM109 = the id the 835 names its payer by, N1*PR N104, else
  REF*2U; NM103 = the payer name), total charge and lines (procedure code as billed,
  modifiers, charge, units, service dates, line control number), professional or
  institutional from CLP08, billing provider = the 835 payee (NPI, tax id), frequency code 1;
* an 837 is created on day D, its 277CA on D+1 and the claim's 835 is paid (BPR16) 14-45
  days after the 837 that was accepted; one 837 (and one 277CA) per submission day and
  claim kind, split in ``files`` batches, and one 835 file per payment day;
* 5.5-7.5 % of the claims are rejected by the 277CA (A3/A6/A7 with status codes 21, 33,
  145, 562). A rejected claim never reaches the payer; about half of them are corrected and
  sent again 3-10 days later (frequency 1, same patient control number, new REF*D9
  clearinghouse trace), accepted and paid in a later 835. The others only exist in the 837
  and its 277CA.

Pure standard library, deterministic for a seed; every name and identifier is invented.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from x12.ack277ca.model import (
    Claim277,
    LevelStatus277,
    Status277,
    StatusCode277,
    Transaction277CA,
)
from x12.ack277ca.writer import render_277ca
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
from x12.claim837.writer import VERSIONS, render_837
from x12.remit835.model import Claim, Transaction

from .build import (
    CATALOG,
    FIRST_NAMES,
    LAST_NAMES,
    PAYEE,
    PAYERS,
    RENDERING_NPIS,
    PayerProfile,
    _Builder,
    _cents,
    default_transaction_count,
    money,
)
from .claims import ICD10, REJECTIONS
from .render import render

LAG_MIN, LAG_MAX = 14, 45  # days from the accepted 837 to the 835 payment date (BPR16)
RESUBMIT_MIN, RESUBMIT_MAX = 3, 10  # days from a rejected 837 to its corrected resubmission
REJECTED_SHARE = (0.055, 0.075)
PRODUCTION_DAYS = 3
WEEKS = 4  # payment cycles per payer, on average  # the builder's DTM*405 is 1-3 days before BPR16

SUBMITTER = ("DENIALS DEMO REGIONAL MEDICAL CENTER", "DDRMC0001")
CLEARINGHOUSE = ("SYNTH CLEARINGHOUSE", "CH999")
TAXONOMY = {PROFESSIONAL: "207Q00000X", INSTITUTIONAL: "282N00000X"}


def submitted_id(payer) -> str:
    """The payer id an 837 for this payer carries: the one its 835s name it by (N1*PR N104),
    so submitted claims and their adjudications meet without a payer alias."""
    return payer.plan_id or payer.payer_number


class SetFile(NamedTuple):
    """One file of a claims set: its name (sortable by day), X12 text and business day."""

    name: str
    text: str
    day: date


@dataclass(slots=True)
class ClaimSet:
    """The files of a claims set, each list in day order.

    ``batches`` are the 837s (named ``<day>_batch-NNN.837``), ``acks`` the 277CAs
    (``<day>_ack-NNN.277ca``, NNN = the batch acknowledged), ``remits`` the 835s
    (``<day>_remit-NNN.835``, one per payment day). The counts describe the claims.
    """

    batches: list[SetFile] = field(default_factory=list)
    acks: list[SetFile] = field(default_factory=list)
    remits: list[SetFile] = field(default_factory=list)
    claims: int = 0  # distinct claims (patient control numbers) submitted
    submissions: int = 0  # 837 claims, resubmissions included
    rejected: int = 0  # 277CA rejections
    resubmitted: int = 0  # rejected claims sent again (and then accepted and paid)
    paid_claims: int = 0  # CLP loops in the 835s

    @property
    def files(self) -> list[SetFile]:
        """Every file, in name order (= day order, then ack, batch, remit)."""
        return sorted(self.batches + self.acks + self.remits, key=lambda f: f.name)

    def summary(self) -> str:
        days = [f.day for f in self.files]
        span = f", {min(days)}..{max(days)}" if days else ""
        return (
            f"{self.claims} claims: {len(self.batches)} 837 files ({self.submissions} claims), "
            f"{len(self.acks)} 277CA files ({self.rejected} rejected, {self.resubmitted} "
            f"resubmitted), {len(self.remits)} 835 files ({self.paid_claims} claims){span}"
        )


@dataclass(slots=True)
class _Submission:
    day: date
    claim: Claim837
    rejection: tuple[str, str, str] | None = None  # (category, status code, entity)
    payer_claim_control_number: str = ""  # REF*1K on an accepted 277CA
    bill_type: str = ""


@dataclass(slots=True)
class _Item:
    claim: Claim  # the 835 claim (adjudicated, or would have been for a dropped one)
    payer: PayerProfile
    pay_date: date
    paid: bool  # in an 835
    submissions: list[_Submission] = field(default_factory=list)


def _service_end(claim: Claim) -> date | None:
    dates = [claim.statement_to] + [
        x.service_date_to or x.service_date_from for x in claim.service_lines
    ]
    dates = [d for d in dates if d]
    return max(dates) if dates else None


def _shift_dates(claim: Claim, days: int) -> None:
    delta = timedelta(days=days)
    if claim.statement_from:
        claim.statement_from -= delta
    if claim.statement_to:
        claim.statement_to -= delta
    for line in claim.service_lines:
        if line.service_date_from:
            line.service_date_from -= delta
        if line.service_date_to:
            line.service_date_to -= delta


def _kind(claim: Claim) -> str:
    """CLP08 is a place of service or a bill type (both can be "11"): an 835 claim is
    institutional when it has a DRG or revenue codes."""
    if claim.drg_code:
        return INSTITUTIONAL
    if any(x.revenue_code or x.procedure_qualifier == "NU" for x in claim.service_lines):
        return INSTITUTIONAL
    return PROFESSIONAL


def _doctor(npi: str) -> Provider837:
    i = RENDERING_NPIS.index(npi) if npi in RENDERING_NPIS else 0
    name = f"{LAST_NAMES[i % len(LAST_NAMES)]}, {FIRST_NAMES[(i * 5) % len(FIRST_NAMES)]}"
    return Provider837(name, npi, "", "1", "207Q00000X")


class _Deriver:
    """Turns an adjudicated 835 claim into the 837 claim that was submitted."""

    def __init__(self, rng: random.Random, builder: _Builder) -> None:
        self.rng = rng
        self.builder = builder

    def _lines(self, claim: Claim, kind: str) -> tuple[Line837, ...]:
        institutional = kind == INSTITUTIONAL
        if not claim.service_lines:  # adjudicated at claim level (DRG): bill room + pharmacy
            start, end = claim.statement_from, claim.statement_to
            stay = max(1, (end - start).days) if start and end else 1
            total = _cents(claim.charge)
            room = min(total, CATALOG["0120"][0] * stay)
            lines = [Line837(1, "", "", (), "0120", money(room), "DA", Decimal(stay), "", (),
                             start, end, f"{claim.patient_control_number[3:]}01")]  # fmt: skip
            if total > room:
                lines.append(Line837(2, "", "", (), "0250", money(total - room), "UN", Decimal(1),
                                     "", (), start, end,
                                     f"{claim.patient_control_number[3:]}02"))  # fmt: skip
            return tuple(lines)
        out = []
        for n, svc in enumerate(claim.service_lines, 1):
            code = svc.original_procedure_code or svc.procedure_code
            units = svc.original_units if svc.original_units is not None else svc.units
            start = svc.service_date_from or claim.statement_from
            end = svc.service_date_to or start
            if svc.procedure_qualifier == "NU":  # revenue code only
                qualifier, revenue, code = "", code, ""
            else:
                qualifier, revenue = svc.procedure_qualifier, svc.revenue_code
            out.append(
                Line837(
                    number=n,
                    procedure_qualifier=qualifier,
                    procedure_code=code,
                    modifiers=tuple(svc.modifiers),
                    revenue_code=revenue if institutional else "",
                    charge=svc.charge,
                    unit_basis="UN",
                    units=units,
                    diagnosis_pointers=() if institutional else ("1",),
                    service_date_from=start,
                    service_date_to=end,
                    line_control_number=svc.control_number,
                )
            )
        return tuple(out)

    def _people(self, claim: Claim, payer: PayerProfile) -> tuple[Person837, Person837, bool]:
        rng = self.rng
        senior = payer.kind in ("medicare", "advantage")
        born = date(1932 if senior else 1950, 1, 1) + timedelta(
            days=rng.randrange(0, 10950 if senior else 18000)
        )
        gender = rng.choice("FM")
        if claim.insured_last_name:  # dependent: the subscriber is someone else
            subscriber = Person837(claim.insured_last_name, claim.insured_first_name,
                                   claim.insured_id, born, gender, "")  # fmt: skip
            child = date(2004, 1, 1) + timedelta(days=rng.randrange(0, 6500))
            patient = Person837(claim.patient_last_name, claim.patient_first_name, "", child,
                                rng.choice("FM"), "19")  # fmt: skip
            return subscriber, patient, False
        subscriber = Person837(claim.patient_last_name, claim.patient_first_name,
                               claim.patient_id, born, gender, "18")  # fmt: skip
        return subscriber, subscriber, True

    def _primary(self, claim: Claim, submitted: date) -> OtherPayer837:
        """Medicare as primary payer of a claim the 835 payer processed as secondary; what it
        paid follows the builder's secondary adjudication (80 % of the Medicare allowed)."""
        medicare = PAYERS[0]
        paid = 0
        for svc in claim.service_lines:
            code = svc.original_procedure_code or svc.procedure_code
            allowed = round(_cents(svc.charge) * self.builder._factor(medicare, code))
            paid += (allowed * 8000 + 5000) // 10000
        adjudicated = submitted - timedelta(days=self.rng.randint(2, 9))
        return OtherPayer837("P", submitted_id(medicare), medicare.name, money(paid), "",
                             adjudicated, medicare.filing)  # fmt: skip

    def claim(self, item: _Item, submitted: date) -> Claim837:
        rng = self.rng
        claim, payer = item.claim, item.payer
        kind = _kind(claim)
        institutional = kind == INSTITUTIONAL
        lines = self._lines(claim, kind)
        subscriber, patient, is_subscriber = self._people(claim, payer)
        codes = tuple(rng.sample(ICD10, rng.randrange(1, 4)))
        facility = claim.facility_type or ("13" if institutional else "11")
        doctor = _doctor(claim.rendering_provider_id) if claim.rendering_provider_id else None
        secondary = claim.status_code == "2"
        return Claim837(
            patient_control_number=claim.patient_control_number,
            charge=claim.charge,
            facility_code=facility,
            facility_qualifier="A" if institutional else "B",
            frequency_code="1",
            place_of_service="" if institutional else facility,
            kind=kind,
            service_date_from=min(x.service_date_from for x in lines),
            service_date_to=max(x.service_date_to or x.service_date_from for x in lines),
            statement_from=(claim.statement_from or lines[0].service_date_from)
            if institutional
            else None,
            statement_to=(claim.statement_to or lines[-1].service_date_to)
            if institutional
            else None,
            admission_date=claim.statement_from if claim.drg_code else None,
            diagnosis_codes=codes,
            diagnosis_qualifiers=("ABK",) + ("ABF",) * (len(codes) - 1),
            billing_provider=Provider837(PAYEE.name, PAYEE.npi, PAYEE.tin, "2", TAXONOMY[kind]),
            rendering_provider=None if institutional else doctor,
            attending_provider=(doctor or _doctor(RENDERING_NPIS[0])) if institutional else None,
            payer=Payer837(submitted_id(payer), payer.name),
            responsibility="S" if secondary else "P",
            filing_indicator=payer.filing,
            subscriber=subscriber,
            patient=patient,
            patient_is_subscriber=is_subscriber,
            other_payers=(self._primary(claim, submitted),) if secondary else (),
            lines=lines,
        )


def _garble(member_id: str) -> str:
    """A member id keyed wrong (what a "subscriber not found" rejection is about)."""
    if len(member_id) >= 2 and member_id[-1] != member_id[-2]:
        return member_id[:-2] + member_id[-1] + member_id[-2]  # last two swapped
    return member_id[:-1] + ("1" if member_id[-1:] != "1" else "2")


def _chunks(items: list, parts: int) -> Iterable[list]:
    parts = max(1, min(parts, len(items)))
    size, extra = divmod(len(items), parts)
    start = 0
    for k in range(parts):
        end = start + size + (1 if k < extra else 0)
        yield items[start:end]
        start = end


def _ack(
    submissions: list[_Submission], received: date, reference: str, control: str
) -> list[Transaction277CA]:
    """One 277CA transaction per payer (2000A source = the payer) for one 837 batch."""
    by_payer: dict[tuple[str, str], list[_Submission]] = defaultdict(list)
    for sub in submissions:
        by_payer[(sub.claim.payer.payer_id, sub.claim.payer.name)].append(sub)
    out = []
    for n, ((payer_id, payer_name), subs) in enumerate(sorted(by_payer.items()), 1):
        acks = []
        totals = {True: [0, Decimal("0")], False: [0, Decimal("0")]}
        for sub in subs:
            claim = sub.claim
            if sub.rejection:
                category, code, entity = sub.rejection
                action = "U"
            else:
                category, code, entity, action = "A2", "20", "PR", "WQ"
            totals[sub.rejection is None][0] += 1
            totals[sub.rejection is None][1] += claim.charge
            status = Status277((StatusCode277(category, code, entity),), received, action,
                               claim.charge)  # fmt: skip
            acks.append(
                Claim277(
                    patient_control_number=claim.patient_control_number,
                    payer_claim_control_number=sub.payer_claim_control_number,
                    clearinghouse_trace=claim.clearinghouse_trace,
                    bill_type=sub.bill_type,
                    statuses=(status,),
                    category_code=category,
                    status_code=code,
                    entity_code=entity,
                    status_date=received,
                    action_code=action,
                    total_charge=claim.charge,
                    payer_name=payer_name,
                    payer_id=payer_id,
                    provider_npi=PAYEE.npi,
                    service_date_from=claim.service_date_from,
                    service_date_to=claim.service_date_to,
                )
            )
        (ok_n, ok_amount), (bad_n, bad_amount) = totals[True], totals[False]
        batch = Status277((StatusCode277("A1", "19", "PR"),), received, "WQ",
                          ok_amount + bad_amount)  # fmt: skip
        levels = (
            LevelStatus277("20", payer_name, payer_id),
            LevelStatus277(
                "21",
                SUBMITTER[0],
                SUBMITTER[1],
                reference,
                (batch,),
                ok_n,
                bad_n,
                ok_amount,
                bad_amount,
            ),  # fmt: skip
            LevelStatus277(
                "19", PAYEE.name, PAYEE.npi, "", (), ok_n, bad_n, ok_amount, bad_amount
            ),  # fmt: skip
        )
        out.append(
            Transaction277CA(
                control_number=f"{n:04d}",
                implementation="005010X214",
                reference=f"ACK{control}{n:02d}",
                created_on=received,
                levels=levels,
                claims=tuple(acks),
            )
        )
    return out


def build_claim_set(*, claims: int, seed: int, start: date, files: int = 1) -> ClaimSet:
    """Matching 837 batches, 277CA acknowledgements and 835 remittances for ``claims``
    synthetic claims, first submitted on ``start``. ``files`` splits each day's 837 of each
    kind (professional, institutional) into that many batches, each with its own 277CA."""
    if claims < 0:
        raise ValueError("claims must be zero or more")
    if files < 1:
        raise ValueError("files must be at least 1")
    rng = random.Random(f"claimset:{seed}")
    rejected_n = round(claims * rng.uniform(*REJECTED_SHARE))
    resubmitted_n = rejected_n // 2 + (rejected_n % 2 if rng.random() < 0.5 else 0)
    dropped_n = rejected_n - resubmitted_n  # rejected and never sent again: no 835

    builder = _Builder(seed, start + timedelta(days=LAG_MAX))
    builder.reversals = False
    remit_txs: list[Transaction] = []
    items: list[_Item] = []
    adjudicated = claims - dropped_n
    payers = max(1, min(len(PAYERS), adjudicated))
    # weekly payment cycles, a few weeks per payer (more for the heavier payers)
    cycles = max(default_transaction_count(adjudicated, payers), min(adjudicated, payers * WEEKS))
    for tx in builder.transactions(adjudicated, max(1, cycles)):
        if not tx.claims:
            continue
        remit_txs.append(tx)
        payer = next(p for p in PAYERS if p.name == tx.payer.name)
        items += [_Item(c, payer, tx.payment.date, True) for c in tx.claims]
    if dropped_n:
        for tx in builder.transactions(dropped_n, None):
            payer = next(p for p in PAYERS if p.name == tx.payer.name)
            items += [_Item(c, payer, tx.payment.date, False) for c in tx.claims]
    paid_items = [i for i, item in enumerate(items) if item.paid]
    resubmitted = set(rng.sample(paid_items[1:], min(resubmitted_n, max(0, len(paid_items) - 1))))

    deriver = _Deriver(rng, builder)
    trace = rng.randrange(10**9, 5 * 10**9)
    for i, item in enumerate(items):
        pay = item.pay_date
        if i == 0:  # the first claim of the first remittance: submitted on ``start``
            days = [pay - timedelta(days=LAG_MAX)]
        elif i in resubmitted:
            accepted = pay - timedelta(days=rng.randint(LAG_MIN + PRODUCTION_DAYS, 35))
            days = [accepted - timedelta(days=rng.randint(RESUBMIT_MIN, RESUBMIT_MAX)), accepted]
        else:
            days = [pay - timedelta(days=rng.randint(LAG_MIN + PRODUCTION_DAYS, LAG_MAX))]
        end = _service_end(item.claim)
        if end is not None and end >= days[0]:  # services happen before they are billed
            _shift_dates(item.claim, (end - days[0]).days + rng.randint(1, 5))
        if item.paid and item.claim.received_date is not None:
            item.claim.received_date = days[-1] + timedelta(days=1)
        base = deriver.claim(item, days[0])
        bill_type = f"{item.claim.facility_type}1" if base.kind == INSTITUTIONAL else ""
        for n, day in enumerate(days):
            trace += rng.randint(1, 997)
            claim = replace(base, clearinghouse_trace=f"CH{trace:010d}")
            sub = _Submission(day, claim, bill_type=bill_type)
            last = n == len(days) - 1
            if last and item.paid:
                sub.payer_claim_control_number = item.claim.payer_claim_control_number
            else:  # rejected: the first of two submissions, or never sent again
                sub.rejection = rng.choice(REJECTIONS)
                if sub.rejection[1] == "33":
                    member = _garble(claim.subscriber.member_id)
                    subscriber = replace(claim.subscriber, member_id=member)
                    patient = subscriber if claim.patient_is_subscriber else claim.patient
                    sub.claim = replace(claim, subscriber=subscriber, patient=patient)
            item.submissions.append(sub)

    out = ClaimSet(
        claims=len(items),
        submissions=sum(len(item.submissions) for item in items),
        rejected=sum(1 for item in items for s in item.submissions if s.rejection),
        resubmitted=len(resubmitted),
        paid_claims=sum(len(tx.claims) for tx in remit_txs),
    )

    # 837 batches (and their 277CAs): per submission day and kind, split into ``files``
    by_day: dict[tuple[date, str], list[_Submission]] = defaultdict(list)
    for item in items:
        for sub in item.submissions:
            by_day[(sub.day, sub.claim.kind)].append(sub)
    batches = []
    for (day, kind), subs in sorted(
        by_day.items(), key=lambda kv: (kv[0][0], kv[0][1] != PROFESSIONAL)
    ):
        subs.sort(key=lambda s: (s.claim.payer.payer_id, s.claim.patient_control_number))
        batches += [(day, kind, chunk) for chunk in _chunks(subs, files)]
    width = max(3, len(str(len(batches))))
    for number, (day, kind, subs) in enumerate(batches, 1):
        control = f"{number:0{width}d}"
        reference = f"B{seed}-{control}"
        tx = Transaction837(
            control_number="0001",
            implementation=VERSIONS[kind],
            kind=kind,
            purpose="00",
            reference=reference,
            created_on=day,
            transaction_type="CH",
            submitter_name=SUBMITTER[0],
            submitter_id=SUBMITTER[1],
            receiver_name=CLEARINGHOUSE[0],
            receiver_id=CLEARINGHOUSE[1],
            claims=tuple(s.claim for s in subs),
        )
        out.batches.append(
            SetFile(f"{day}_batch-{control}.837", render_837([tx], when=day, control=number), day)
        )
        received = day + timedelta(days=1)
        acks = _ack(subs, received, reference, control)
        out.acks.append(
            SetFile(
                f"{received}_ack-{control}.277ca",
                render_277ca(acks, when=received, control=number),
                received,
            )
        )

    # 835s: one file per payment day (BPR16); DTM*405 kept within the 14-45 day window
    by_pay: dict[date, list[Transaction]] = defaultdict(list)
    for tx in remit_txs:
        by_pay[tx.payment.date].append(tx)
    width = max(3, len(str(len(by_pay))))
    for number, (day, txs) in enumerate(sorted(by_pay.items()), 1):
        out.remits.append(
            SetFile(
                f"{day}_remit-{number:0{width}d}.835", render(txs, isa_control_start=number), day
            )  # fmt: skip
        )
    out.acks.sort(key=lambda f: f.name)
    return out
