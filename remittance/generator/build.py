"""Random but realistic 835 transactions, as :mod:`x12.remit835.model` dataclasses.

Everything is invented: payer and payee names, NPIs, tax ids, member ids and the (clearly
fake) patient names. The money always balances:

* per service line: ``charge - paid == sum(line CAS amounts)``;
* per claim: ``charge == sum(line charges)``, ``paid == sum(line paid)``,
  ``patient_responsibility == sum(PR amounts)``; a claim without service lines (an
  inpatient DRG claim adjudicated at claim level) has ``charge - paid == sum(claim CAS)``;
* per transaction: ``BPR02 == sum(CLP04) - sum(PLB amounts) >= 0``. A transaction whose
  claims net out negative (reversals) forwards the balance with a negative ``FB`` PLB and the
  payer's next transaction recoups it with a positive ``FB`` carrying the same reference.

Only the standard library is used, and one ``random.Random(seed)`` drives every choice, so
the output is a pure function of the arguments.
"""

from __future__ import annotations

import gc
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from x12.remit835.model import (
    Adjustment,
    Claim,
    Party,
    Payment,
    ProviderAdjustment,
    ServiceLine,
    Transaction,
)

DEFAULT_START_DATE = date(2025, 3, 3)
CLAIMS_PER_TRANSACTION = 2000
POOL_LIMIT = 4096  # earlier claims kept per payer as reversal / recoupment candidates

# --------------------------------------------------------------------------------------
# Money helpers: amounts are computed in integer cents and turned into Decimal at the end.

_MONEY: dict[int, Decimal] = {}
_UNITS: dict[int, Decimal] = {}


def money(cents: int) -> Decimal:
    """Integer cents -> Decimal quantized to cents (shared immutable instances)."""
    try:
        return _MONEY[cents]
    except KeyError:
        if len(_MONEY) > 500_000:
            _MONEY.clear()
        value = _MONEY[cents] = Decimal(cents).scaleb(-2)
        return value


def _units(n: int) -> Decimal:
    try:
        return _UNITS[n]
    except KeyError:
        value = _UNITS[n] = Decimal(n)
        return value


def _neg(value: Decimal | None) -> Decimal | None:
    """Negate an amount, keeping zero unsigned (so it renders as 0.00, not -0.00)."""
    if value is None or not value:
        return value
    return -value


def _cents(value: Decimal) -> int:
    return int(value.scaleb(2))


def _luhn_npi(base9: str) -> str:
    """A 10-digit NPI: 9 digits plus the Luhn check digit computed with the 80840 prefix."""
    digits = [int(ch) for ch in "80840" + base9]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return base9 + str((10 - total % 10) % 10)


# --------------------------------------------------------------------------------------
# Invented parties.


@dataclass(frozen=True, slots=True)
class PayerProfile:
    key: str
    name: str
    plan_id: str  # N104 with N103=XV
    payer_number: str  # REF*2U
    tin: str  # TRN03 / BPR10 = "1" + tin
    address: tuple[str, ...]
    city: str
    state: str
    postal_code: str
    kind: str  # medicare, advantage, medicaid, commercial
    filing: str  # CLP06
    weight: int  # share of claims
    fee_factor: float  # allowed / charge, before per-code jitter
    coinsurance_bp: int  # basis points
    copay: int  # cents, per office visit
    er_copay: int  # cents, per emergency visit
    deductible_rate: float  # share of claims that hit the deductible
    sequestration: bool  # Medicare 2% payment reduction (CO-253)
    ach_rate: float
    icn_prefix: str
    member_prefix: str
    drg_base: int  # cents per DRG relative weight


PAYERS: tuple[PayerProfile, ...] = (
    PayerProfile(
        key="medicare",
        name="LAKESHORE MEDICARE SERVICES JURISDICTION 99",
        plan_id="99901",
        payer_number="99901",
        tin="990000901",
        address=("PO BOX 990901",),
        city="SPRINGFIELD",
        state="IL",
        postal_code="627990901",
        kind="medicare",
        filing="MB",
        weight=30,
        fee_factor=0.38,
        coinsurance_bp=2000,
        copay=0,
        er_copay=0,
        deductible_rate=0.12,
        sequestration=True,
        ach_rate=1.0,
        icn_prefix="22",
        member_prefix="",
        drg_base=650_000,
    ),
    PayerProfile(
        key="advantage",
        name="CONTOSO MEDICARE ADVANTAGE",
        plan_id="H9999",
        payer_number="CMA01",
        tin="990000902",
        address=("ATTN CLAIMS DEPARTMENT", "200 EXAMPLE PLAZA"),
        city="RIVERTON",
        state="WI",
        postal_code="539990200",
        kind="advantage",
        filing="16",
        weight=14,
        fee_factor=0.41,
        coinsurance_bp=0,
        copay=2000,
        er_copay=9000,
        deductible_rate=0.03,
        sequestration=True,
        ach_rate=0.95,
        icn_prefix="CM",
        member_prefix="CMA",
        drg_base=680_000,
    ),
    PayerProfile(
        key="medicaid",
        name="FABRIKAM COMMUNITY MEDICAID PLAN",
        plan_id="MCD99",
        payer_number="FCMP9",
        tin="990000903",
        address=("PO BOX 990903",),
        city="CAPITOL CITY",
        state="OH",
        postal_code="432990903",
        kind="medicaid",
        filing="MC",
        weight=14,
        fee_factor=0.30,
        coinsurance_bp=0,
        copay=300,
        er_copay=800,
        deductible_rate=0.0,
        sequestration=False,
        ach_rate=0.9,
        icn_prefix="",
        member_prefix="",
        drg_base=520_000,
    ),
    PayerProfile(
        key="northwind",
        name="NORTHWIND HEALTH PLAN",
        plan_id="NWHP1",
        payer_number="NWH99",
        tin="990000904",
        address=("1 NORTHWIND WAY",),
        city="LAKEVIEW",
        state="MN",
        postal_code="559990001",
        kind="commercial",
        filing="12",
        weight=18,
        fee_factor=0.62,
        coinsurance_bp=2000,
        copay=3000,
        er_copay=15000,
        deductible_rate=0.18,
        sequestration=False,
        ach_rate=0.85,
        icn_prefix="NW",
        member_prefix="NWH",
        drg_base=980_000,
    ),
    PayerProfile(
        key="tailspin",
        name="TAILSPIN MUTUAL INSURANCE COMPANY",
        plan_id="TSM77",
        payer_number="TSM77",
        tin="990000905",
        address=("CLAIMS PROCESSING CENTER", "PO BOX 990905"),
        city="HARBOR FALLS",
        state="ME",
        postal_code="049990905",
        kind="commercial",
        filing="CI",
        weight=10,
        fee_factor=0.71,
        coinsurance_bp=1000,
        copay=2500,
        er_copay=10000,
        deductible_rate=0.22,
        sequestration=False,
        ach_rate=0.6,
        icn_prefix="T",
        member_prefix="TSM",
        drg_base=1_050_000,
    ),
    PayerProfile(
        key="woodgrove",
        name="WOODGROVE HEALTH HMO",
        plan_id="WGHMO",
        payer_number="WGH42",
        tin="990000906",
        address=("42 WOODGROVE CENTER",),
        city="PINE BLUFF",
        state="OR",
        postal_code="979990042",
        kind="commercial",
        filing="HM",
        weight=8,
        fee_factor=0.55,
        coinsurance_bp=0,
        copay=2000,
        er_copay=12500,
        deductible_rate=0.05,
        sequestration=False,
        ach_rate=0.9,
        icn_prefix="WG",
        member_prefix="WGH",
        drg_base=900_000,
    ),
)


@dataclass(frozen=True, slots=True)
class PayeeProfile:
    name: str
    npi: str
    tin: str
    address: tuple[str, ...]
    city: str
    state: str
    postal_code: str


PAYEE = PayeeProfile(
    name="DENIALS DEMO REGIONAL MEDICAL CENTER",
    npi=_luhn_npi("199999990"),
    tin="991234567",
    address=("100 EXAMPLE PARKWAY", "SUITE 400"),
    city="SPRINGFIELD",
    state="IL",
    postal_code="627010400",
)

RENDERING_NPIS = tuple(_luhn_npi(f"19999{n:04d}") for n in (11, 23, 37, 41, 58, 62, 79, 85))
CROSSOVER_CARRIERS = (
    "FABRIKAM COMMUNITY MEDICAID PLAN",
    "NORTHWIND MEDIGAP SUPPLEMENT",
    "TAILSPIN SENIOR SUPPLEMENT",
)

# Clearly fake names (NATO alphabet first names, made-up surnames).
LAST_NAMES = (
    "SAMPLE", "EXAMPLE", "TESTCASE", "PLACEHOLDER", "FICTITIOUS", "SYNTHETIC", "MOCKTON",
    "DUMMYSON", "FAKERLY", "NOTAREAL", "PRETENDA", "SIMULATO", "DEMOWICZ", "TESTOVA",
    "LOREMIPSUM", "ZZTEST",
)  # fmt: skip
FIRST_NAMES = (
    "ALPHA", "BRAVO", "CHARLIE", "DELTA", "ECHO", "FOXTROT", "GOLF", "HOTEL", "INDIA",
    "JULIET", "KILO", "LIMA", "MIKE", "NOVEMBER", "OSCAR", "PAPA", "QUEBEC", "ROMEO",
)  # fmt: skip

# --------------------------------------------------------------------------------------
# Procedure catalog: code -> (charge per unit in cents, kind, description).
# Charges are the provider's chargemaster, so the same code always bills the same amount.

CATALOG: dict[str, tuple[int, str]] = {
    "99202": (14000, "em"), "99203": (21000, "em"), "99204": (32000, "em"),
    "99205": (41000, "em"), "99211": (6000, "em"), "99212": (11000, "em"),
    "99213": (18500, "em"), "99214": (26000, "em"), "99215": (36000, "em"),
    "99283": (33000, "er"), "99284": (52000, "er"), "99285": (78000, "er"),
    "G0439": (26000, "em"), "G0463": (24000, "em"),
    "36415": (3500, "lab"), "80053": (9500, "lab"), "85025": (4500, "lab"),
    "81002": (2500, "lab"), "93000": (9000, "rad"), "71046": (21000, "rad"),
    "73030": (16000, "rad"), "72148": (165000, "rad"), "74177": (185000, "rad"),
    "20610": (28000, "proc"), "11721": (12000, "proc"), "17110": (19000, "proc"),
    "12001": (27000, "proc"), "96372": (6500, "inj"), "90471": (4500, "inj"),
    "90686": (5500, "inj"), "G0008": (4500, "inj"), "J1100": (1200, "drug"),
    "J3301": (2500, "drug"), "J3490": (3000, "drug"), "97110": (9500, "therapy"),
    "97140": (8800, "therapy"), "97530": (10500, "therapy"), "45378": (145000, "surg"),
    "43239": (165000, "surg"), "29881": (420000, "surg"), "66984": (380000, "surg"),
    # revenue-code-only institutional lines (SVC01 = NU:<revenue code>), typical charge
    "0120": (285000, "room"), "0250": (45000, "rev"), "0270": (38000, "rev"),
    "0300": (62000, "rev"), "0320": (54000, "rev"), "0360": (890000, "rev"),
    "0370": (210000, "rev"), "0450": (160000, "rev"), "0710": (120000, "rev"),
}  # fmt: skip

DOWNCODE = {"99205": "99204", "99204": "99203", "99215": "99214", "99214": "99213"}
OFFICE_EM = ("99213", "99214", "99213", "99212", "99215", "99203", "99204", "99202", "99211")
ER_EM = ("99283", "99284", "99284", "99285")
OFFICE_EXTRAS = (
    "36415", "80053", "85025", "81002", "93000", "71046", "73030", "20610", "11721",
    "17110", "96372", "J1100", "J3301", "12001", "90686", "J3490",
)  # fmt: skip
MINOR_PROCEDURES = {"20610", "11721", "17110", "12001"}
LATERAL = {"73030", "20610", "29881", "66984"}
PROFESSIONAL_COMPONENT = {"93000", "71046", "73030", "72148", "74177"}

# Outpatient hospital (bill type 13x): (revenue code, HCPCS or "" for NU-only)
OUTPATIENT_ER = (
    ("0450", "99284"), ("0301", "80053"), ("0305", "85025"), ("0320", "71046"),
    ("0350", "74177"), ("0636", "J1100"), ("0250", ""), ("0730", "93000"),
)  # fmt: skip
OUTPATIENT_SURGERY = (
    ("0360", "45378"), ("0370", ""), ("0250", ""), ("0710", ""), ("0270", ""),
    ("0300", "36415"),
)  # fmt: skip
OUTPATIENT_CLINIC = (("0510", "G0463"), ("0300", "36415"), ("0301", "80053"), ("0320", "71046"))
OUTPATIENT_THERAPY = (("0420", "97110"), ("0420", "97140"), ("0420", "97530"))

# MS-DRG code and relative weight (invented but plausible).
DRGS = (
    ("470", "1.9104"), ("871", "1.8711"), ("291", "1.3454"), ("392", "0.7733"),
    ("690", "0.8067"), ("194", "0.9007"), ("247", "2.1050"), ("603", "0.8612"),
)  # fmt: skip
SURGICAL_DRGS = {"470", "247"}

# Line-level denials for partially denied claims: (group, reason, remark code choices, weight)
LINE_DENIALS = (
    ("CO", "16", (("M51",), ("N290",), ("MA130",), ("M51", "N290"), ("MA130", "M51")), 14),
    ("CO", "50", (("N115",), ("N386",)), 8),
    ("CO", "197", (("N54",), ("M62",)), 7),
    ("CO", "97", (("N19",), ("M15",), ("M15", "N19")), 14),
    ("CO", "4", (("N519",), ("M20",)), 6),
    ("CO", "11", (("M76",), ("N386",)), 6),
    ("CO", "151", (("N362",),), 5),
    ("CO", "96", (("N130",), ("N425",)), 5),
    ("CO", "204", (("N130",),), 5),
    ("OA", "18", (("N522",), ()), 6),
    ("CO", "27", ((), ("N30",)), 3),
    ("CO", "29", ((),), 2),
    ("CO", "22", (("MA04",), ("N4",)), 3),
    ("CO", "B7", (("N570",),), 2),
    ("CO", "252", (("M127",), ("N706",)), 4),
    ("CO", "236", (("N20",), ("M80",)), 5),
)
# Whole-claim denials (CLP02=4); PR-group ones leave the patient liable.
CLAIM_DENIALS = (
    ("CO", "27", ((), ("N30",)), 10),
    ("CO", "29", ((),), 8),
    ("CO", "22", (("MA04",),), 6),
    ("CO", "16", (("MA130",), ("M51", "N290")), 14),
    ("CO", "197", (("N54",),), 10),
    ("CO", "B7", (("N570",),), 3),
    ("CO", "204", (("N130",),), 6),
    ("PR", "204", (("N130",),), 4),
    ("CO", "96", (("N425",),), 5),
    ("PR", "96", (("N130",),), 3),
    ("OA", "18", (("N522",),), 10),
    ("CO", "252", (("N706",),), 5),
    ("CO", "109", ((),), 4),
    ("CO", "31", ((),), 3),
)
_LINE_DENIAL_WEIGHTS = [w for *_, w in LINE_DENIALS]
_CLAIM_DENIAL_WEIGHTS = [w for *_, w in CLAIM_DENIALS]

# Claim-mix probabilities (per claim slot).
P_REVERSAL = 0.03  # a reversal + corrected pair (two CLPs)
P_SECONDARY = 0.05  # medicaid / commercial only: processed as secondary (CLP02=2, OA-23)
P_DENIED = 0.10
P_PARTIAL = 0.21
P_CROSSOVER = 0.10  # share of Medicare claims processed as primary and forwarded (19)


# --------------------------------------------------------------------------------------
# Internal line spec (integer cents) before adjudication.


@dataclass(slots=True)
class _Spec:
    qualifier: str
    code: str
    modifiers: list[str]
    charge: int  # cents, all units
    units: int
    kind: str
    revenue_code: str = ""
    description: str = ""
    date_from: date | None = None
    date_to: date | None = None
    control: str = ""


@dataclass(slots=True)
class _ClaimState:
    deductible_left: int = 0
    copay_left: bool = True
    pr_total: int = 0


@dataclass(slots=True)
class _PayerBook:
    """Per-payer running state across its transactions."""

    profile: PayerProfile
    index: int
    pool: list[Claim] = field(default_factory=list)  # earlier claims (reversal candidates)
    carry: int = 0  # forwarded negative balance still to recoup (cents, positive)
    carry_reference: str = ""


# --------------------------------------------------------------------------------------


def default_transaction_count(claims: int, payers: int | None = None) -> int:
    """About one transaction per 2,000 claims, and at least one per payer used."""
    used = payers if payers is not None else max(1, min(len(PAYERS), claims))
    return max(used, math.ceil(claims / CLAIMS_PER_TRANSACTION), 1)


def _largest_remainder(total: int, weights: list[int], minimum: int) -> list[int]:
    """Split ``total`` into len(weights) integers >= minimum, proportional to weights."""
    n = len(weights)
    base = [minimum] * n
    rest = total - minimum * n
    if rest <= 0:
        return base
    wsum = sum(weights)
    shares = [rest * w / wsum for w in weights]
    out = [b + int(s) for b, s in zip(base, shares, strict=True)]
    left = total - sum(out)
    order = sorted(range(n), key=lambda i: (int(shares[i]) - shares[i], i))
    for i in order[:left]:
        out[i] += 1
    return out


class _Builder:
    def __init__(self, seed: int, start_date: date) -> None:
        self.rng = random.Random(seed)
        self.start_date = start_date
        rng = self.rng
        self.pcn_next = rng.randrange(10_000_000, 400_000_000)
        self.icn_next = rng.randrange(1_000_000, 5_000_000)
        self.trace_base = rng.randrange(100, 999)
        self.fee_cache: dict[tuple[str, str], float] = {}
        self.repricing = 1.0  # a retroactive fee-schedule change, while re-adjudicating
        self.reversals = True  # False: no reversal + corrected pairs (same random draws)

    # ---- identifiers ------------------------------------------------------------------

    def _pcn(self) -> str:
        self.pcn_next += 1
        return f"PCN{self.pcn_next:09d}"

    def _icn(self, payer: PayerProfile, when: date) -> str:
        self.icn_next += 1
        day = when.timetuple().tm_yday
        return f"{payer.icn_prefix}{when.year % 100:02d}{day:03d}{self.icn_next:08d}"

    def _member_id(self, payer: PayerProfile) -> str:
        rng = self.rng
        if payer.kind == "medicare":  # MBI-shaped: 11 characters, no S L O I B Z
            alpha = "ACDEFGHJKMNPQRTUVWXY"
            alnum = alpha + "0123456789"
            digits = "0123456789"
            pattern = (
                "123456789", alpha, alnum, digits, alpha, alnum, digits, alpha, alpha,
                digits, digits,
            )  # fmt: skip
            return "".join(rng.choice(p) for p in pattern)
        if payer.kind == "medicaid":
            letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
            return (
                rng.choice(letters)
                + rng.choice(letters)
                + f"{rng.randrange(100000):05d}"
                + rng.choice(letters)
            )
        return f"{payer.member_prefix}{rng.randrange(10**9):09d}"

    # ---- fee schedule -----------------------------------------------------------------

    def _factor(self, payer: PayerProfile, code: str) -> float:
        key = (payer.key, code)
        try:
            return self.fee_cache[key]
        except KeyError:
            # A fixed per-payer, per-code schedule, independent of the seed.
            jitter = random.Random(f"fee:{payer.key}:{code}").uniform(0.85, 1.15)
            value = self.fee_cache[key] = min(0.95, max(0.12, payer.fee_factor * jitter))
            return value

    def _fee(self, payer: PayerProfile, spec: _Spec) -> int:
        factor = self._factor(payer, spec.code) * self.repricing
        return min(spec.charge, round(spec.charge * factor))

    # ---- claim content ----------------------------------------------------------------

    def _spec(self, code: str, units: int = 1, mods: list[str] | None = None) -> _Spec:
        unit_charge, kind = CATALOG[code]
        qualifier = "HC"
        description = "UNLISTED DRUG" if code == "J3490" else ""
        return _Spec(qualifier, code, mods or [], unit_charge * units, units, kind, "", description)

    def _units_for(self, kind: str) -> int:
        rng = self.rng
        if kind == "drug":
            return rng.choice((1, 1, 2, 4, 8, 10))
        if kind == "therapy":
            return rng.choice((1, 2, 2, 3, 4))
        return 1

    def _professional(self, payer: PayerProfile, min_lines: int) -> tuple[str, list[_Spec]]:
        rng = self.rng
        r = rng.random()
        specs: list[_Spec] = []
        if r < 0.55:  # office visit
            pos = "11"
            em = self._spec(rng.choice(OFFICE_EM))
            specs.append(em)
            for code in rng.sample(OFFICE_EXTRAS, rng.choice((0, 0, 1, 1, 2, 3, 4, 5))):
                units = self._units_for(CATALOG[code][1])
                mods: list[str] = []
                if code in PROFESSIONAL_COMPONENT and rng.random() < 0.3:
                    mods.append("26")
                if code in LATERAL:
                    mods.append(rng.choice(("LT", "RT")))
                if code in MINOR_PROCEDURES and rng.random() < 0.25:
                    mods.append("59")
                specs.append(self._spec(code, units, mods))
            if any(s.code in MINOR_PROCEDURES for s in specs):
                em.modifiers.append("25")
        elif r < 0.60 and payer.kind in ("medicare", "advantage"):  # annual wellness visit
            pos = "11"
            specs += [self._spec("G0439"), self._spec("G0008"), self._spec("90686")]
        elif r < 0.70:  # therapy
            pos = "11"
            for code in rng.sample(("97110", "97140", "97530"), rng.randint(1, 3)):
                mods = ["59"] if code != "97110" and rng.random() < 0.3 else []
                specs.append(self._spec(code, self._units_for("therapy"), mods))
        elif r < 0.80:  # emergency department
            pos = "23"
            specs.append(self._spec(rng.choice(ER_EM)))
            for code in rng.sample(("93000", "71046", "74177", "12001"), rng.randint(0, 3)):
                mods = ["26"] if code in PROFESSIONAL_COMPONENT else []
                specs.append(self._spec(code, 1, mods))
        elif r < 0.90:  # outpatient surgery
            pos = rng.choice(("22", "24"))
            for code in rng.sample(("45378", "43239", "29881", "66984"), rng.randint(1, 2)):
                mods = [rng.choice(("LT", "RT"))] if code in LATERAL else []
                if specs:
                    mods.append("59")
                specs.append(self._spec(code, 1, mods))
        else:  # imaging
            pos = "11"
            for code in rng.sample(("72148", "74177", "71046", "73030"), rng.randint(1, 2)):
                mods = [rng.choice(("26", "26", "TC"))]
                if code in LATERAL:
                    mods.append(rng.choice(("LT", "RT")))
                specs.append(self._spec(code, 1, mods))
        while len(specs) < min_lines:
            extra = rng.choice(("36415", "85025", "81002"))
            if all(s.code != extra for s in specs):
                specs.append(self._spec(extra))
        return pos, specs[:6]

    def _revenue_spec(self, revenue: str, hcpcs: str) -> _Spec:
        rng = self.rng
        if hcpcs:
            unit_charge, kind = CATALOG[hcpcs]
            units = self._units_for(kind)
            mods = ["59"] if hcpcs == "97140" and rng.random() < 0.4 else []
            # facility charges run higher than professional ones
            charge = round(unit_charge * 1.6) * units
            return _Spec("HC", hcpcs, mods, charge, units, kind, revenue)
        base = CATALOG.get(revenue, (40000, "rev"))[0]
        charge = round(base * rng.uniform(0.4, 1.8))
        return _Spec("NU", revenue, [], charge, 1, "rev")

    def _outpatient(self, min_lines: int) -> list[_Spec]:
        rng = self.rng
        menu = rng.choice(
            (
                OUTPATIENT_ER,
                OUTPATIENT_ER,
                OUTPATIENT_SURGERY,
                OUTPATIENT_CLINIC,
                OUTPATIENT_THERAPY,
            )
        )
        count = min(len(menu), max(min_lines, rng.randint(1, 6)))
        picks = [menu[0], *rng.sample(menu[1:], count - 1)] if count > 1 else [menu[0]]
        return [self._revenue_spec(rev, code) for rev, code in picks]

    def _inpatient(self, stay: int, surgical: bool, min_lines: int) -> list[_Spec]:
        rng = self.rng
        specs = [
            _Spec("NU", "0120", [], CATALOG["0120"][0] * stay, stay, "room"),
        ]
        extras = ["0250", "0300", "0320", "0270", "0450"]
        if surgical:
            extras += ["0360", "0370", "0710"]
        count = max(min_lines - 1, rng.randint(0, 5))
        for rev in rng.sample(extras, min(count, len(extras))):
            specs.append(self._revenue_spec(rev, ""))
        return specs[:6]

    # ---- adjudication -----------------------------------------------------------------

    def _settle(
        self,
        payer: PayerProfile,
        spec: _Spec,
        charge: int,
        allowed: int,
        state: _ClaimState,
        co: list[tuple[str, int, int | None]],
    ) -> tuple[int, list[Adjustment]]:
        """Patient share and payment on an allowed amount. ``co`` are the CO reductions
        already taken between charge and allowed (their sum is charge - allowed)."""
        rest = allowed
        ded = min(state.deductible_left, rest)
        state.deductible_left -= ded
        rest -= ded
        copay = 0
        if state.copay_left and spec.kind in ("em", "er") and rest > 0:
            copay = min(rest, payer.er_copay if spec.kind == "er" else payer.copay)
            state.copay_left = False
        rest -= copay
        coins = (rest * payer.coinsurance_bp + 5000) // 10000
        rest -= coins
        seq = (rest * 2 + 50) // 100 if payer.sequestration else 0
        paid = rest - seq
        adjustments = [
            Adjustment("CO", reason, money(amount), _qty(q)) for reason, amount, q in co if amount
        ]
        if seq:
            adjustments.append(Adjustment("CO", "253", money(seq)))
        for reason, amount in (("1", ded), ("2", coins), ("3", copay)):
            if amount:
                adjustments.append(Adjustment("PR", reason, money(amount)))
                state.pr_total += amount
        return paid, adjustments

    def _line(
        self,
        spec: _Spec,
        paid: int,
        adjustments: list[Adjustment],
        allowed: int | None,
        remarks: list[str] | tuple[str, ...] = (),
        *,
        code: str | None = None,
        units: int | None = None,
    ) -> ServiceLine:
        return ServiceLine(
            procedure_qualifier=spec.qualifier,
            procedure_code=code or spec.code,
            modifiers=list(spec.modifiers),
            description=spec.description,
            charge=money(spec.charge),
            paid=money(paid),
            revenue_code=spec.revenue_code,
            units=_units(units if units is not None else spec.units),
            original_procedure_code=spec.code if code else "",
            original_units=_units(spec.units) if units is not None else None,
            service_date_from=spec.date_from,
            service_date_to=spec.date_to,
            control_number=spec.control,
            allowed_amount=money(allowed) if allowed is not None else None,
            remark_codes=list(remarks),
            adjustments=adjustments,
        )

    def _pay_line(
        self, payer: PayerProfile, spec: _Spec, state: _ClaimState, allowed: int | None = None
    ) -> ServiceLine:
        if allowed is None:
            allowed = self._fee(payer, spec)
        paid, adjustments = self._settle(
            payer, spec, spec.charge, allowed, state, [("45", spec.charge - allowed, None)]
        )
        return self._line(spec, paid, adjustments, allowed)

    def _deny_line(
        self, spec: _Spec, group: str, reason: str, remarks: tuple[str, ...], state: _ClaimState
    ) -> ServiceLine:
        if group == "PR":
            state.pr_total += spec.charge
        adjustment = Adjustment(group, reason, money(spec.charge))
        return self._line(spec, 0, [adjustment], None, remarks)

    def _reduce_line(self, payer: PayerProfile, spec: _Spec, state: _ClaimState) -> ServiceLine:
        """A line paid, but less than expected: multiple-procedure, units or downcode."""
        rng = self.rng
        full = self._fee(payer, spec)
        if spec.code in DOWNCODE and spec.units == 1:
            new_code = DOWNCODE[spec.code]
            new_fee = min(full, round(CATALOG[new_code][0] * self._factor(payer, new_code)))
            co = [("45", spec.charge - full, None), ("150", full - new_fee, None)]
            paid, adjustments = self._settle(payer, spec, spec.charge, new_fee, state, co)
            return self._line(spec, paid, adjustments, new_fee, ("N657",), code=new_code)
        if spec.units > 1:
            paid_units = rng.randint(1, spec.units - 1)
            allowed = full * paid_units // spec.units
            co = [
                ("45", spec.charge - full, None),
                ("151", full - allowed, spec.units - paid_units),
            ]
            paid, adjustments = self._settle(payer, spec, spec.charge, allowed, state, co)
            return self._line(spec, paid, adjustments, allowed, ("N362",), units=paid_units)
        allowed = full // 2
        co = [("45", spec.charge - full, None), ("59", full - allowed, None)]
        paid, adjustments = self._settle(payer, spec, spec.charge, allowed, state, co)
        return self._line(spec, paid, adjustments, allowed)

    def _new_state(self, payer: PayerProfile, inpatient: bool = False) -> _ClaimState:
        rng = self.rng
        state = _ClaimState()
        if payer.deductible_rate and rng.random() < payer.deductible_rate:
            if inpatient and payer.kind == "medicare":
                state.deductible_left = 163_200
            else:
                state.deductible_left = rng.choice((2500, 5000, 10000, 24000, 50000, 150000))
        return state

    def _adjudicate_lines(
        self, payer: PayerProfile, specs: list[_Spec], mode: str, claim: Claim, drg_allowed: int
    ) -> None:
        """Fill ``claim.service_lines`` (and totals) from specs according to mode."""
        rng = self.rng
        state = self._new_state(payer, inpatient=bool(claim.drg_code))
        lines: list[ServiceLine] = []
        if mode == "denied":
            group, reason, remark_choices, _ = rng.choices(
                CLAIM_DENIALS, weights=_CLAIM_DENIAL_WEIGHTS
            )[0]
            remarks = rng.choice(remark_choices)
            lines = [self._deny_line(s, group, reason, remarks, state) for s in specs]
            if payer.kind == "medicare" and rng.random() < 0.7:
                claim.remark_codes = ["MA01"]
        elif mode == "secondary":
            for spec in specs:
                prior_allowed = round(spec.charge * self._factor(PAYERS[0], spec.code))
                remaining = prior_allowed - (prior_allowed * 8000 + 5000) // 10000
                copay = (
                    min(remaining, payer.copay)
                    if spec.kind == "em" and payer.kind == "medicaid"
                    else 0
                )
                adjustments = [Adjustment("OA", "23", money(spec.charge - remaining))]
                if copay:
                    adjustments.append(Adjustment("PR", "3", money(copay)))
                    state.pr_total += copay
                lines.append(self._line(spec, remaining - copay, adjustments, remaining))
        elif drg_allowed:  # inpatient with revenue lines: DRG payment spread by charge
            total_charge = sum(s.charge for s in specs)
            allowed_total = min(drg_allowed, total_charge * 9 // 10)
            shares = [allowed_total * s.charge // total_charge for s in specs]
            shares[0] += allowed_total - sum(shares)
            lines = [self._pay_line(payer, s, state, a) for s, a in zip(specs, shares, strict=True)]
        else:
            deny: set[int] = set()
            reduce: set[int] = set()
            if mode == "partial":
                n = len(specs)
                if n >= 2 and rng.random() < 0.8:
                    deny = set(rng.sample(range(n), rng.randint(1, max(1, n // 2))))
                    if len(deny) == n:
                        deny.pop()
                else:
                    reduce = {rng.randrange(n)}
            for i, spec in enumerate(specs):
                if i in deny:
                    group, reason, remark_choices, _ = rng.choices(
                        LINE_DENIALS, weights=_LINE_DENIAL_WEIGHTS
                    )[0]
                    lines.append(
                        self._deny_line(spec, group, reason, rng.choice(remark_choices), state)
                    )
                elif i in reduce:
                    lines.append(self._reduce_line(payer, spec, state))
                else:
                    lines.append(self._pay_line(payer, spec, state))
            if mode == "partial" and payer.kind == "medicare" and rng.random() < 0.5:
                claim.remark_codes = ["MA01"]
        claim.service_lines = lines
        claim.charge = money(sum(s.charge for s in specs))
        claim.paid = money(sum(_cents(line.paid) for line in lines))
        claim.patient_responsibility = money(state.pr_total)
        allowed = [line.allowed_amount for line in lines if line.allowed_amount is not None]
        institutional = bool(claim.drg_code) or claim.facility_type == "13"
        if allowed and (institutional or rng.random() < 0.3):
            claim.coverage_amount = sum(allowed, Decimal("0.00"))

    def _adjudicate_claim_level(
        self, payer: PayerProfile, charge: int, mode: str, claim: Claim, drg_allowed: int
    ) -> None:
        """An inpatient claim adjudicated at claim level only (no SVC loops)."""
        rng = self.rng
        claim.charge = money(charge)
        if mode == "denied":
            group, reason, *_ = rng.choices(CLAIM_DENIALS, weights=_CLAIM_DENIAL_WEIGHTS)[0]
            claim.adjustments = [Adjustment(group, reason, money(charge))]
            claim.paid = money(0)
            claim.patient_responsibility = money(charge if group == "PR" else 0)
            return
        state = self._new_state(payer, inpatient=True)
        allowed = min(drg_allowed, charge * 9 // 10)
        spec = _Spec("NU", "0100", [], charge, 1, "room")
        paid, adjustments = self._settle(
            payer, spec, charge, allowed, state, [("45", charge - allowed, None)]
        )
        claim.adjustments = adjustments
        claim.paid = money(paid)
        claim.patient_responsibility = money(state.pr_total)
        claim.coverage_amount = money(allowed)

    # ---- whole claims -----------------------------------------------------------------

    def _claim(
        self, payer: PayerProfile, mode: str, pay_date: date, category: int | None = None
    ) -> Claim:
        """A new claim (not a reversal), adjudicated per ``mode``."""
        rng = self.rng
        if category is None:
            r = rng.random()
            category = 0 if r < 0.78 else (1 if r < 0.94 else 2)
        min_lines = 2 if mode == "partial" else 1
        pcn = self._pcn()
        latest = pay_date - timedelta(days=10)
        first = latest - timedelta(days=rng.randint(0, 80))
        claim = Claim(
            patient_control_number=pcn,
            status_code="1",
            filing_indicator=payer.filing,
            frequency_code="1",
        )
        drg_allowed = 0
        lineless = False
        if category == 2:  # hospital inpatient, DRG
            stay = rng.choice((1, 2, 2, 3, 3, 4, 5, 6, 8))
            drg, weight = rng.choice(DRGS)
            claim.facility_type = "11"
            claim.drg_code = drg
            claim.drg_weight = Decimal(weight)
            drg_allowed = round(payer.drg_base * float(weight))
            admit, discharge = first - timedelta(days=stay), first
            claim.statement_from, claim.statement_to = admit, discharge
            lineless = mode != "partial" and mode != "secondary" and rng.random() < 0.4
            specs = self._inpatient(stay, drg in SURGICAL_DRGS, min_lines)
            for spec in specs:
                spec.date_from, spec.date_to = admit, discharge
        elif category == 1:  # hospital outpatient
            claim.facility_type = "13"
            specs = self._outpatient(min_lines)
            for spec in specs:
                spec.date_from = spec.date_to = first
            claim.statement_from = claim.statement_to = first
        else:  # professional
            pos, specs = self._professional(payer, min_lines)
            claim.facility_type = pos
            last = first
            for spec in specs:
                if spec.kind == "therapy" and rng.random() < 0.15:
                    spec.date_from, spec.date_to = first, first + timedelta(days=rng.randint(1, 6))
                    last = max(last, spec.date_to)
                else:
                    spec.date_from = spec.date_to = first
            if rng.random() < 0.8:
                claim.statement_from, claim.statement_to = first, last
            if rng.random() < 0.6:
                claim.rendering_provider_id = rng.choice(RENDERING_NPIS)
        digits = pcn[3:]
        for n, spec in enumerate(specs, 1):
            spec.control = f"{digits}{n:02d}"
        end = claim.statement_to or first
        if rng.random() < 0.85:
            claim.received_date = min(
                end + timedelta(days=rng.randint(2, 14)), pay_date - timedelta(days=3)
            )
        self._people(payer, claim)
        if mode == "secondary":
            claim.status_code = "2"
        elif mode == "denied":
            claim.status_code = "4"
        elif mode == "paid" and payer.kind == "medicare" and rng.random() < P_CROSSOVER:
            claim.status_code = "19"
            claim.crossover_carrier = rng.choice(CROSSOVER_CARRIERS)
            claim.remark_codes = ["MA18"]
        if lineless:
            self._adjudicate_claim_level(
                payer, sum(s.charge for s in specs), mode, claim, drg_allowed
            )
        else:
            self._adjudicate_lines(payer, specs, mode, claim, drg_allowed)
        if claim.remark_codes:
            claim.remark_source = "MIA" if claim.drg_code else "MOA"
        claim.payer_claim_control_number = self._icn(payer, pay_date)
        return claim

    def _people(self, payer: PayerProfile, claim: Claim) -> None:
        rng = self.rng
        member = self._member_id(payer)
        last = rng.choice(LAST_NAMES)
        claim.patient_last_name = last
        claim.patient_first_name = rng.choice(FIRST_NAMES)
        if payer.kind in ("commercial", "medicaid") and rng.random() < 0.25:
            # dependent: the subscriber is someone else on the same policy
            claim.insured_last_name = last
            claim.insured_first_name = rng.choice(FIRST_NAMES)
            claim.insured_id = member
            if rng.random() < 0.5:
                claim.patient_id = f"{member}{rng.randint(1, 4):02d}"
        else:
            claim.patient_id = member
        if rng.random() < 0.01:
            claim.corrected_insured_id = self._member_id(payer)

    def _category(self, claim: Claim) -> int:
        if claim.drg_code:
            return 2
        if claim.facility_type == "13":
            return 1
        return 0

    def _specs_from(self, claim: Claim) -> list[_Spec]:
        specs = []
        for line in claim.service_lines:
            code = line.original_procedure_code or line.procedure_code
            units = line.original_units if line.original_units is not None else line.units
            kind = CATALOG.get(code, (0, "rev"))[1]
            specs.append(
                _Spec(
                    line.procedure_qualifier,
                    code,
                    list(line.modifiers),
                    _cents(line.charge),
                    int(units) if units is not None else 1,
                    kind,
                    line.revenue_code,
                    line.description,
                    line.service_date_from,
                    line.service_date_to,
                    line.control_number,
                )
            )
        return specs

    def _reversal_pair(self, book: _PayerBook, pay_date: date) -> tuple[Claim, Claim]:
        rng = self.rng
        payer = book.profile
        pool = book.pool
        if pool:
            i = rng.randrange(len(pool))
            original = pool[i]
            pool[i] = pool[-1]
            pool.pop()
        else:  # the original was paid before this data set began
            original = self._claim(
                payer, rng.choice(("paid", "paid", "partial")), pay_date - timedelta(days=35)
            )
        reversal = _reverse(original)
        corrected = Claim(
            patient_control_number=original.patient_control_number,
            status_code="1",
            filing_indicator=original.filing_indicator,
            facility_type=original.facility_type,
            frequency_code="7",
            drg_code=original.drg_code,
            drg_weight=original.drg_weight,
            statement_from=original.statement_from,
            statement_to=original.statement_to,
            received_date=pay_date - timedelta(days=rng.randint(3, 12)),
            patient_last_name=original.patient_last_name,
            patient_first_name=original.patient_first_name,
            patient_id=original.patient_id,
            insured_last_name=original.insured_last_name,
            insured_first_name=original.insured_first_name,
            insured_id=original.insured_id,
            rendering_provider_id=original.rendering_provider_id,
        )
        # Why it was reprocessed: denied lines now paid, or a retroactive fee change.
        mode = "paid" if rng.random() < 0.8 else "partial"
        self.repricing = rng.choice((0.92, 0.95, 0.97, 1.03, 1.05, 1.08))
        drg_allowed = (
            round(payer.drg_base * float(original.drg_weight) * self.repricing)
            if original.drg_weight
            else 0
        )
        if original.service_lines:
            specs = self._specs_from(original)
            if mode == "partial" and len(specs) < 2:
                mode = "paid"
            self._adjudicate_lines(payer, specs, mode, corrected, drg_allowed)
        else:
            self._adjudicate_claim_level(
                payer, _cents(original.charge), "paid", corrected, drg_allowed
            )
        self.repricing = 1.0
        if corrected.remark_codes:
            corrected.remark_source = "MIA" if corrected.drg_code else "MOA"
        corrected.payer_claim_control_number = self._icn(payer, pay_date)
        return reversal, corrected

    # ---- transactions -----------------------------------------------------------------

    def _plan(self, claims: int, transactions: int | None) -> list[tuple[_PayerBook, int, int]]:
        """(payer book, cycle, claim count) per transaction, in output order."""
        if transactions is not None and transactions < 1:
            raise ValueError("transactions must be at least 1")
        if claims < 0:
            raise ValueError("claims must be >= 0")
        used = max(1, min(len(PAYERS), claims))
        if transactions is not None:
            used = min(used, transactions)
            n_tx = transactions
        else:
            n_tx = default_transaction_count(claims, used)
        profiles = PAYERS[:used]
        weights = [p.weight for p in profiles]
        tx_per_payer = _dhondt(n_tx, weights)
        claims_per_payer = _largest_remainder(claims, weights, 1 if claims >= used else 0)
        books = [_PayerBook(p, i) for i, p in enumerate(profiles)]
        per_payer_sizes = []
        for count, n in zip(claims_per_payer, tx_per_payer, strict=True):
            q, r = divmod(count, n)
            per_payer_sizes.append([q + (1 if k < r else 0) for k in range(n)])
        plan = []
        for cycle in range(max(tx_per_payer)):
            for book, sizes in zip(books, per_payer_sizes, strict=True):
                if cycle < len(sizes):
                    plan.append((book, cycle, sizes[cycle]))
        return plan

    def transactions(self, claims: int, transactions: int | None) -> Iterator[Transaction]:
        for index, (book, cycle, count) in enumerate(self._plan(claims, transactions)):
            yield self._transaction(book, cycle, count, index)

    def _transaction(self, book: _PayerBook, cycle: int, count: int, index: int) -> Transaction:
        rng = self.rng
        payer = book.profile
        pay_date = self.start_date + timedelta(days=7 * cycle + book.index % 5)
        claims: list[Claim] = []
        remaining = count
        while remaining > 0:
            r = rng.random()
            if r < P_REVERSAL and remaining >= 2 and self.reversals:
                claims.extend(self._reversal_pair(book, pay_date))
                remaining -= 2
                continue
            r = rng.random()
            if payer.kind in ("medicaid", "commercial") and r < P_SECONDARY:
                mode = "secondary"
            else:
                r = rng.random()
                mode = (
                    "denied" if r < P_DENIED else "partial" if r < P_DENIED + P_PARTIAL else "paid"
                )
            claims.append(self._claim(payer, mode, pay_date))
            remaining -= 1
        # group like claims under one LX; the sort is stable, so reversal pairs stay adjacent
        claims.sort(key=lambda c: (self._category(c), c.facility_type))

        provider_adjustments = self._plb(book, claims, pay_date)
        total = sum(_cents(c.paid) for c in claims) - sum(
            _cents(a.amount) for a in provider_adjustments
        )
        assert total >= 0, total
        ach = rng.random() < payer.ach_rate
        if total == 0:
            handling, method, fmt = "H", "NON", ""
        elif ach:
            handling, method, fmt = "I", "ACH", "CCP"
        else:
            handling, method, fmt = "I", "CHK", ""
        if method == "CHK":
            trace = f"{rng.randrange(10**5, 10**6)}{index:06d}"
        else:
            trace = f"{payer.icn_prefix or 'EFT'}{self.trace_base}{pay_date:%y%m%d}{index:06d}"
        payment = Payment(
            transaction_handling=handling,
            amount=money(total),
            credit_debit="C",
            method=method,
            format=fmt,
            date=pay_date,
            trace_type="1",
            trace_number=trace,
            originator_id="1" + payer.tin,
            production_date=pay_date - timedelta(days=rng.choice((1, 1, 2, 3))),
        )
        tx = Transaction(
            control_number=f"{index + 1:04d}",
            payment=payment,
            payer=Party(
                entity_code="PR",
                name=payer.name,
                id_qualifier="XV",
                identifier=payer.plan_id,
                additional_ids={"2U": payer.payer_number},
                address=list(payer.address),
                city=payer.city,
                state=payer.state,
                postal_code=payer.postal_code,
            ),
            payee=Party(
                entity_code="PE",
                name=PAYEE.name,
                id_qualifier="XX",
                identifier=PAYEE.npi,
                npi=PAYEE.npi,
                tax_id=PAYEE.tin,
                additional_ids={"TJ": PAYEE.tin},
                address=list(PAYEE.address),
                city=PAYEE.city,
                state=PAYEE.state,
                postal_code=PAYEE.postal_code,
            ),
            claims=claims,
            provider_adjustments=provider_adjustments,
        )
        self._remember(book, claims)
        return tx

    def _remember(self, book: _PayerBook, claims: list[Claim]) -> None:
        rng = self.rng
        pool = book.pool
        for claim in claims:
            if claim.status_code == "22":
                continue
            if len(pool) < POOL_LIMIT:
                pool.append(claim)
            else:
                pool[rng.randrange(POOL_LIMIT)] = claim

    def _plb(
        self, book: _PayerBook, claims: list[Claim], pay_date: date
    ) -> list[ProviderAdjustment]:
        rng = self.rng
        fiscal = date(pay_date.year, 12, 31)
        out: list[ProviderAdjustment] = []

        def add(reason: str, reference: str, cents: int) -> None:
            out.append(ProviderAdjustment(PAYEE.npi, fiscal, reason, reference, money(cents)))

        net = sum(_cents(c.paid) for c in claims)
        paid_claims = [c for c in claims if c.status_code in ("1", "19") and c.paid > 0]
        if paid_claims and rng.random() < 0.4:  # prompt-pay interest on late claims
            for claim in rng.sample(paid_claims, min(len(paid_claims), rng.randint(1, 2))):
                interest = rng.randint(35, 2500)
                add("L6", claim.payer_claim_control_number, -interest)
                net += interest
        if book.carry and net > 0:  # recoup a balance forwarded from an earlier remit
            amount = min(book.carry, net)
            add("FB", book.carry_reference, amount)
            book.carry -= amount
            net -= amount
        if net > 0 and rng.random() < 0.45:  # overpayment recovery of earlier claims
            candidates = book.pool or paid_claims
            for _ in range(rng.randint(1, 2)):
                if not candidates or net <= 0:
                    break
                claim = rng.choice(candidates)
                paid = _cents(claim.paid)
                if paid <= 0:
                    continue
                amount = min(paid, max(1, round(paid * rng.uniform(0.05, 1.0))), net // 3)
                if amount > 0:
                    add("WO", claim.payer_claim_control_number, amount)
                    net -= amount
        if net < 0:  # reversals exceed payments: forward the negative balance
            worst = min(claims, key=lambda c: c.paid)
            add("FB", worst.payer_claim_control_number, net)
            book.carry += -net
            book.carry_reference = worst.payer_claim_control_number
            net = 0
        return out


def _qty(value: int | None) -> Decimal | None:
    return None if value is None else _units(value)


def _dhondt(seats: int, weights: list[int]) -> list[int]:
    """Allocate seats (>= 1 each) proportionally to weights (D'Hondt after the first)."""
    out = [1] * len(weights)
    for _ in range(seats - len(weights)):
        best = max(range(len(weights)), key=lambda i: (weights[i] / (out[i] + 1), -i))
        out[best] += 1
    return out


def _negate_adjustments(adjustments: list[Adjustment]) -> list[Adjustment]:
    return [
        Adjustment(a.group_code, a.reason_code, -a.amount if a.amount else a.amount, a.quantity)
        for a in adjustments
    ]


def _reverse(original: Claim) -> Claim:
    """The CLP02=22 reversal of a claim: same identity, every amount negated."""
    lines = [
        ServiceLine(
            procedure_qualifier=s.procedure_qualifier,
            procedure_code=s.procedure_code,
            modifiers=list(s.modifiers),
            description=s.description,
            charge=_neg(s.charge),
            paid=_neg(s.paid),
            revenue_code=s.revenue_code,
            units=s.units,
            original_procedure_code=s.original_procedure_code,
            original_units=s.original_units,
            service_date_from=s.service_date_from,
            service_date_to=s.service_date_to,
            control_number=s.control_number,
            allowed_amount=_neg(s.allowed_amount),
            remark_codes=list(s.remark_codes),
            adjustments=_negate_adjustments(s.adjustments),
        )
        for s in original.service_lines
    ]
    return Claim(
        patient_control_number=original.patient_control_number,
        status_code="22",
        charge=_neg(original.charge),
        paid=_neg(original.paid),
        patient_responsibility=_neg(original.patient_responsibility),
        filing_indicator=original.filing_indicator,
        payer_claim_control_number=original.payer_claim_control_number,
        facility_type=original.facility_type,
        frequency_code=original.frequency_code,
        drg_code=original.drg_code,
        drg_weight=original.drg_weight,
        statement_from=original.statement_from,
        statement_to=original.statement_to,
        received_date=original.received_date,
        patient_last_name=original.patient_last_name,
        patient_first_name=original.patient_first_name,
        patient_id=original.patient_id,
        insured_last_name=original.insured_last_name,
        insured_first_name=original.insured_first_name,
        insured_id=original.insured_id,
        corrected_insured_id=original.corrected_insured_id,
        rendering_provider_id=original.rendering_provider_id,
        crossover_carrier=original.crossover_carrier,
        remark_codes=list(original.remark_codes),
        remark_source=original.remark_source,
        coverage_amount=_neg(original.coverage_amount),
        adjustments=_negate_adjustments(original.adjustments),
        service_lines=lines,
    )


# --------------------------------------------------------------------------------------
# Public API


def iter_transactions(
    *,
    claims: int,
    seed: int = 0,
    transactions: int | None = None,
    start_date: date | None = None,
) -> Iterator[Transaction]:
    """Yield the transactions of :func:`build_transactions` one at a time (bounded memory:
    only a capped pool of earlier claims per payer is kept for reversals)."""
    builder = _Builder(seed, start_date or DEFAULT_START_DATE)
    yield from builder.transactions(claims, transactions)


def build_transactions(
    *,
    claims: int,
    seed: int = 0,
    transactions: int | None = None,
    start_date: date | None = None,
) -> list[Transaction]:
    """``claims`` CLP loops split into 835 transactions, one payer per transaction.

    ``transactions`` defaults to about one per 2,000 claims and at least one per payer used
    (up to six payers). Transactions come in payment-cycle order, so a reversal's original
    claim, when present, is in an earlier transaction of the same payer. Deterministic for a
    given ``seed``; ``start_date`` (default 2025-03-03) is the first payment date, service
    dates fall within the ~90 days before each payment.
    """
    # The build allocates millions of small acyclic objects: the cyclic garbage collector
    # would rescan them over and over (2-3x the run time at 200,000 claims) for nothing.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return list(
            iter_transactions(
                claims=claims, seed=seed, transactions=transactions, start_date=start_date
            )
        )
    finally:
        if enabled:
            gc.enable()


def build_files(
    *,
    claims: int,
    seed: int = 0,
    files: int = 1,
    start_date: date | None = None,
) -> list[list[Transaction]]:
    """Transactions for ``files`` interchanges: claims split roughly evenly, payment cycles in
    order, so reversal originals sit in earlier files (or earlier in the same file)."""
    if files < 1:
        raise ValueError("files must be at least 1")
    used = max(1, min(len(PAYERS), claims))
    count = max(default_transaction_count(claims, used), files * used)
    txs = build_transactions(claims=claims, seed=seed, transactions=count, start_date=start_date)
    total = sum(len(t.claims) for t in txs)
    groups: list[list[Transaction]] = [[] for _ in range(files)]
    seen = 0
    for i, tx in enumerate(txs):
        # place by cumulative claim share, but never leave a later file empty
        by_claims = (seen * files) // total if total else 0
        by_position = files - (len(txs) - i)
        slot = min(files - 1, max(by_claims, by_position, 0))
        groups[slot].append(tx)
        seen += len(tx.claims)
    return groups
