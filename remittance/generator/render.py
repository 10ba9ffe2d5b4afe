"""Write :mod:`x12.remit835.model` transactions as X12 835 (005010X221A1) text.

One interchange (ISA..IEA) holding one functional group (GS..GE, functional id HP) with every
transaction in it. Trailing empty elements and components are omitted, SE01 counts the
segments from ST to SE, GE01 the transactions and IEA01 the one group.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from itertools import chain

from x12 import Delimiters
from x12.remit835.model import Adjustment, Claim, ServiceLine, Transaction

from .build import iter_transactions

VERSION = "005010X221A1"
SENDER_ID = "DENIALSSYNTH"
DEFAULT_RECEIVER_ID = "DENIALSPAYEE"
PAYER_CONTACT = ("BL", "PROVIDER SERVICES", "TE", "8005550199")  # 555-01xx: fictional

_DATES: dict[date, str] = {}


def _d8(value: date) -> str:
    try:
        return _DATES[value]
    except KeyError:
        if len(_DATES) > 100_000:
            _DATES.clear()
        text = _DATES[value] = f"{value.year:04d}{value.month:02d}{value.day:02d}"
        return text


def _num(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = str(value)
    if "E" in text:
        text = format(value, "f")
    return text


def _trim(items: list[str]) -> list[str]:
    n = len(items)
    while n and not items[n - 1]:
        n -= 1
    return items if n == len(items) else items[:n]


class _Writer:
    """Renders one transaction into a list of segment strings (without terminators)."""

    def __init__(self, delimiters: Delimiters) -> None:
        self.e = delimiters.element
        self.c = delimiters.component

    def seg(self, *items: str) -> str:
        return self.e.join(_trim(list(items)))

    def comp(self, *items: str) -> str:
        return self.c.join(_trim(list(items)))

    def cas(self, out: list[str], adjustments: list[Adjustment]) -> None:
        """Consecutive adjustments of one group code share a CAS segment, six at most."""
        e = self.e
        i, n = 0, len(adjustments)
        while i < n:
            group = adjustments[i].group_code
            items = ["CAS", group]
            j = i
            while j < n and j - i < 6 and adjustments[j].group_code == group:
                a = adjustments[j]
                items += (a.reason_code, _num(a.amount), _num(a.quantity))
                j += 1
            out.append(e.join(_trim(items)))
            i = j

    def party(self, out: list[str], party, *, payer: bool) -> None:
        seg = self.seg
        out.append(seg("N1", party.entity_code, party.name, party.id_qualifier, party.identifier))
        if party.address:
            out.append(seg("N3", *party.address))
        if party.city or party.state or party.postal_code:
            out.append(seg("N4", party.city, party.state, party.postal_code))
        for qualifier, value in party.additional_ids.items():
            out.append(seg("REF", qualifier, value))
        if not payer and party.tax_id and "TJ" not in party.additional_ids:
            out.append(seg("REF", "TJ", party.tax_id))
        if payer:
            out.append(seg("PER", *PAYER_CONTACT))

    def payment(self, out: list[str], tx: Transaction) -> None:
        p = tx.payment
        when = _d8(p.date) if p.date else ""
        if p.method == "ACH":
            # Bank details are not part of the model: derive stable, obviously fake ones.
            origin = (p.originator_id or "0").rjust(10, "0")
            payee = tx.payee.npi or tx.payee.identifier or "0"
            items = [
                "BPR", p.transaction_handling, _num(p.amount), p.credit_debit, p.method, p.format,
                "01", "9" + origin[-8:], "DA", origin[::-1], p.originator_id, "",
                "01", "9" + payee.rjust(8, "0")[-8:], "DA", tx.payee.tax_id or payee, when,
            ]  # fmt: skip
        else:
            items = ["BPR", p.transaction_handling, _num(p.amount), p.credit_debit, p.method]
            items.append(p.format)
            items += [""] * 10 + [when]
        out.append(self.e.join(_trim(items)))
        out.append(self.seg("TRN", p.trace_type, p.trace_number, p.originator_id))
        if p.production_date:
            out.append(self.seg("DTM", "405", _d8(p.production_date)))

    def claim(self, out: list[str], claim: Claim) -> None:
        seg = self.seg
        out.append(
            seg(
                "CLP",
                claim.patient_control_number,
                claim.status_code,
                _num(claim.charge),
                _num(claim.paid),
                _num(claim.patient_responsibility),
                claim.filing_indicator,
                claim.payer_claim_control_number,
                claim.facility_type,
                claim.frequency_code,
                "",
                claim.drg_code,
                _num(claim.drg_weight),
            )
        )
        if claim.adjustments:
            self.cas(out, claim.adjustments)
        out.append(
            seg(
                "NM1",
                "QC",
                "1",
                claim.patient_last_name,
                claim.patient_first_name,
                "",
                "",
                "",
                "MI" if claim.patient_id else "",
                claim.patient_id,
            )  # fmt: skip
        )
        if claim.insured_last_name or claim.insured_first_name or claim.insured_id:
            out.append(
                seg(
                    "NM1",
                    "IL",
                    "1",
                    claim.insured_last_name,
                    claim.insured_first_name,
                    "",
                    "",
                    "",
                    "MI" if claim.insured_id else "",
                    claim.insured_id,
                )  # fmt: skip
            )
        if claim.corrected_insured_id:
            out.append(seg("NM1", "74", "1", "", "", "", "", "", "C", claim.corrected_insured_id))
        if claim.rendering_provider_id:
            out.append(seg("NM1", "82", "1", "", "", "", "", "", "XX", claim.rendering_provider_id))
        if claim.crossover_carrier:
            out.append(seg("NM1", "TT", "2", claim.crossover_carrier))
        if claim.remark_codes:
            codes = claim.remark_codes
            if claim.remark_source == "MIA":
                # MIA01 covered days (required); MIA05 and MIA20..24 carry remark codes
                days = 0
                if claim.statement_from and claim.statement_to:
                    days = max(0, (claim.statement_to - claim.statement_from).days)
                out.append(seg("MIA", str(days), "", "", "", codes[0], *[""] * 14, *codes[1:6]))
            else:
                out.append(seg("MOA", "", "", *codes[:5]))
        if claim.statement_from:
            out.append(seg("DTM", "232", _d8(claim.statement_from)))
        if claim.statement_to:
            out.append(seg("DTM", "233", _d8(claim.statement_to)))
        if claim.received_date:
            out.append(seg("DTM", "050", _d8(claim.received_date)))
        if claim.coverage_amount is not None:
            out.append(seg("AMT", "AU", _num(claim.coverage_amount)))
        for line in claim.service_lines:
            self.line(out, line)

    def line(self, out: list[str], line: ServiceLine) -> None:
        e, c = self.e, self.c
        parts = [line.procedure_qualifier, line.procedure_code, *line.modifiers[:4]]
        if line.description:
            parts += [""] * (6 - len(parts)) + [line.description]
        original = (
            c.join((line.procedure_qualifier, line.original_procedure_code))
            if line.original_procedure_code
            else ""
        )
        items = [
            "SVC",
            c.join(_trim(parts)),
            _num(line.charge),
            _num(line.paid),
            line.revenue_code,
            _num(line.units),
            original,
            _num(line.original_units),
        ]
        out.append(e.join(_trim(items)))
        start, end = line.service_date_from, line.service_date_to
        if start and end and start == end:
            out.append(f"DTM{e}472{e}{_d8(start)}")
        else:
            if start:
                out.append(f"DTM{e}150{e}{_d8(start)}")
            if end:
                out.append(f"DTM{e}151{e}{_d8(end)}")
        if line.adjustments:
            self.cas(out, line.adjustments)
        if line.control_number:
            out.append(f"REF{e}6R{e}{line.control_number}")
        if line.allowed_amount is not None:
            out.append(f"AMT{e}B6{e}{_num(line.allowed_amount)}")
        for code in line.remark_codes:
            out.append(f"LQ{e}HE{e}{code}")

    def plb(self, out: list[str], tx: Transaction) -> None:
        adjustments = tx.provider_adjustments
        i, n = 0, len(adjustments)
        while i < n:
            head = adjustments[i]
            key = (head.provider_id, head.fiscal_period_date)
            items = [
                "PLB",
                head.provider_id,
                _d8(head.fiscal_period_date) if head.fiscal_period_date else "",
            ]
            j = i
            while j < n and j - i < 6:
                a = adjustments[j]
                if (a.provider_id, a.fiscal_period_date) != key:
                    break
                items += (self.comp(a.reason_code, a.reference), _num(a.amount))
                j += 1
            out.append(self.e.join(_trim(items)))
            i = j

    def transaction(self, tx: Transaction) -> list[str]:
        out: list[str] = [self.seg("ST", "835", tx.control_number)]
        self.payment(out, tx)
        self.party(out, tx.payer, payer=True)
        self.party(out, tx.payee, payer=False)
        header = 0
        previous: str | None = None
        for claim in tx.claims:
            if claim.facility_type != previous or header == 0:
                header += 1
                previous = claim.facility_type
                out.append(self.seg("LX", str(header)))
            self.claim(out, claim)
        if tx.provider_adjustments:
            self.plb(out, tx)
        out.append(self.seg("SE", str(len(out) + 1), tx.control_number))
        return out


def _repetition(delimiters: Delimiters) -> str:
    used = {delimiters.element, delimiters.component, delimiters.segment}
    if delimiters.repetition and delimiters.repetition not in used:
        return delimiters.repetition
    return next(ch for ch in "^{}!`" if ch not in used)


def render_iter(
    transactions: Iterable[Transaction],
    *,
    delimiters: Delimiters | None = None,
    newline: bool = False,
    isa_control_start: int = 1,
    usage: str = "T",
    receiver_id: str | None = None,
) -> Iterator[str]:
    """Yield the interchange in chunks: the ISA/GS header, one chunk per transaction, then
    the GE/IEA trailer. ``"".join(render_iter(...)) == render(...)``."""
    d = delimiters or Delimiters()
    e, c, s = d.element, d.component, d.segment
    if len({e, c, s}) != 3:
        raise ValueError(f"delimiters must differ: {d!r}")
    rep = _repetition(d)
    term = s + "\n" if newline and s != "\n" else s
    writer = _Writer(d)

    it = iter(transactions)
    first = next(it, None)
    stamp = (first.payment.production_date or first.payment.date) if first else None
    stamp = stamp or date(2025, 1, 1)
    control = isa_control_start % 1_000_000_000
    receiver = receiver_id or (first.payee.tax_id if first and first.payee.tax_id else "")
    receiver = (receiver or DEFAULT_RECEIVER_ID)[:15]
    isa = [
        "ISA", "00", " " * 10, "00", " " * 10, "ZZ", SENDER_ID.ljust(15), "ZZ",
        receiver.ljust(15), f"{stamp:%y%m%d}", "1200", rep, "00501", f"{control:09d}", "0",
        usage, c,
    ]  # fmt: skip
    gs = ["GS", "HP", SENDER_ID, receiver, _d8(stamp), "1200", str(control), "X", VERSION]
    yield e.join(isa) + term + e.join(gs) + term

    count = 0
    for tx in chain((first,), it) if first is not None else ():
        yield term.join(writer.transaction(tx)) + term
        count += 1
    yield f"GE{e}{count}{e}{control}{term}IEA{e}1{e}{control:09d}{term}"


def render(
    transactions: Iterable[Transaction],
    *,
    delimiters: Delimiters | None = None,
    newline: bool = False,
    isa_control_start: int = 1,
    usage: str = "T",
) -> str:
    """The transactions as one 835 interchange (ISA/GS/.../GE/IEA).

    ``delimiters`` defaults to ``Delimiters()`` (``*`` ``:`` ``^`` ``~``); ``newline`` puts a
    line feed after each segment terminator; ``isa_control_start`` is the ISA13 / GS06
    control number; ``usage`` is ISA15 (T: test data, which this is).
    """
    return "".join(
        render_iter(
            transactions,
            delimiters=delimiters,
            newline=newline,
            isa_control_start=isa_control_start,
            usage=usage,
        )
    )


def generate_file(
    *,
    claims: int,
    seed: int = 0,
    transactions: int | None = None,
    newline: bool = False,
    delimiters: Delimiters | None = None,
) -> str:
    """Build and render in one go: ``render(build_transactions(...))``."""
    return render(
        iter_transactions(claims=claims, seed=seed, transactions=transactions),
        delimiters=delimiters,
        newline=newline,
    )
