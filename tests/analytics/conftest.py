"""A small hand-built data set for June 2025 (the lookback: March to May), with every
figure it should give worked out by hand in tests/analytics/test_metrics.py.

Payers: P1 (commercial), P2 (medicare). Submitted originals (837):
  S1 2025-03-10 $1000 P1   S2 2025-04-05 $500 P1 (replaced by S2R 2025-06-20, $500)
  S3 2025-05-20 $300 P2 (999 rejection 05-21, accepted 05-22)
  S4 2025-05-25 $200 P1 (NPI 1111111111, facility 11, line 99213)
  E1..E8 2025-04-01 $250 each, P1, each voided 04-02
  S5 2025-06-02 $400 P1 (rejected 06-03, never accepted)
  S6 2025-06-10 $600 P2   S9 2025-06-28 $100 P1 (no remittance yet)
835 claims:
  C1 S1 04-15 paid 800, CO-45 200; C1r reversal 06-05 (-800, CO-45 -200); C1c 06-05 paid
     700, CO-45 300: S1's first adjudication is April's C1.
  C2 S2 06-10 denied (eligibility, CO-27 $500) -> item I2 (default team, registration).
  C3 S3 production date 06-12 (no payment date) paid 250, CO-45 50: rejected before.
  C4 S4 06-20 paid 100; line 99213 denied (coding, CO-16 $100) -> item I4 (coding team).
  C6 S6 06-25 paid 600: first pass.
  C7 P2 "X7", no submission, 06-15 denied (authorization, CO-197 $250) -> item I7; C7b
     06-28 paid 250 (a later adjudication).
  C8 P1 "X8", no submission, 05-30 paid; C8b 06-18 denied (coding, CO-16 $300) -> item
     I8, created 2025-04-10 (an old open item, deadline 06-20).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

D = Decimal


def at(text: str) -> datetime:
    return timezone.make_aware(datetime.fromisoformat(text))


class Builder:
    def __init__(self):
        from tests.factories import PayerFactory, RemittanceFactory

        self.p1 = PayerFactory(key="P1", name="PLAN ONE", identifier="P1")
        self.p2 = PayerFactory(
            key="P2", name="MEDICARE TWO", identifier="P2", payer_type="medicare"
        )
        self.remittance = RemittanceFactory()
        self.eras = {}

    def era(self, payer, paid_on: date | None, produced_on: date | None = None):
        from remittance.models import Era

        key = (payer.pk, paid_on, produced_on)
        if key not in self.eras:
            self.eras[key] = Era.objects.create(
                remittance=self.remittance,
                position=len(self.eras),
                payer=payer,
                st_control_number=f"{len(self.eras):04d}",
                payment_amount=D(0),
                payment_date=paid_on,
                production_date=produced_on or paid_on,
            )
        return self.eras[key]

    def submitted(self, name, payer, on, charge, frequency="1", original=None, **extra):
        from claims.models import SubmittedClaim

        return SubmittedClaim.objects.create(
            identity_key=name,
            payer=payer,
            payer_identifier=payer.identifier,
            patient_control_number=name,
            charge=D(charge),
            submitted_on=on,
            source="837",
            frequency_code=frequency,
            original=original,
            **extra,
        )

    def claim(self, submitted, payer, paid_on, charge, paid, status="1", pcn="", **extra):
        from remittance.models import Claim

        era = self.era(payer, paid_on, extra.pop("produced_on", None))
        return Claim.objects.create(
            era=era,
            remittance=self.remittance,
            payer=payer,
            position=Claim.objects.count(),
            patient_control_number=pcn or submitted.patient_control_number,
            status_code=status,
            charge=D(charge),
            paid=D(paid),
            submitted_claim=submitted,
            **extra,
        )

    def adjust(self, claim, code, amount, line=None):
        from remittance.models import Adjustment

        group, reason = code.split("-")
        return Adjustment.objects.create(
            claim=claim,
            service_line=line,
            position=claim.adjustments.count(),
            group_code=group,
            reason_code=reason,
            amount=D(amount),
        )

    def deny(self, claim, code, amount, category, line=None):
        from denials.models import Denial

        self.adjust(claim, code, amount, line)
        return Denial.objects.create(
            remittance=self.remittance,
            era=claim.era,
            claim=claim,
            service_line=line,
            payer=claim.payer,
            level="line" if line else "claim",
            group_code=code.split("-")[0],
            reason_code=code.split("-")[1],
            adjustment_codes=[code],
            category=category,
            severity="soft",
            rule="test",
            denied_amount=D(amount),
            charge_amount=claim.charge,
            paid_amount=claim.paid,
        )

    def item(self, denial, team, created, control_point, **extra):
        from worklist.models import ItemDenial, Team, WorklistItem

        item = WorklistItem.objects.create(
            claim=denial.claim,
            payer=denial.payer,
            patient_control_number=denial.claim.patient_control_number,
            team=Team.objects.get(slug=team),
            category=denial.category,
            reason_code=denial.reason_code,
            routing_rule="test",
            open_amount=denial.denied_amount,
            control_point=control_point,
            **extra,
        )
        WorklistItem.objects.filter(pk=item.pk).update(created_at=at(created))
        ItemDenial.objects.create(item=item, denial=denial)
        item.refresh_from_db()
        return item

    def act(self, item, when, actor):
        from worklist.models import Activity

        activity = Activity.objects.create(item=item, actor=actor, kind="note")
        Activity.objects.filter(pk=activity.pk).update(at=at(when))

    def reject(self, submitted, on, source="999"):
        from claims.models import ClaimRejection

        return ClaimRejection.objects.create(
            submitted_claim=submitted, source=source, category_code="A7", rejected_on=on
        )

    def appeal(self, item, outcome, appealed, recovered, decided_on, kind="appeal"):
        from appeals.models import Appeal

        return Appeal.objects.create(
            item=item,
            payer=item.payer,
            payer_type=item.payer.payer_type,
            kind=kind,
            status="decided",
            patient_control_number=item.patient_control_number,
            category=item.category,
            reason_codes=[f"CO-{item.reason_code}"],
            amount_appealed=D(appealed),
            recovered_amount=D(recovered),
            outcome=outcome,
            submitted_on=decided_on - timedelta(days=20),
            decided_on=decided_on,
        )


@pytest.fixture
def june(db, manager):
    """The data set above; returns the builder (payers on ``p1``, ``p2``)."""
    from analytics.services import rollups_rebuild
    from claims.models import ClaimEvent
    from remittance.models import ServiceLine
    from worklist.models import Team

    b = Builder()
    p1, p2 = b.p1, b.p2
    s1 = b.submitted("S1", p1, date(2025, 3, 10), 1000)
    s2 = b.submitted("S2", p1, date(2025, 4, 5), 500)
    b.submitted("S2R", p1, date(2025, 6, 20), 500, frequency="7", original=s2)
    s3 = b.submitted("S3", p2, date(2025, 5, 20), 300)
    s4 = b.submitted(
        "S4", p1, date(2025, 5, 25), 200, rendering_npi="1111111111", facility_code="11"
    )
    for n in range(1, 9):
        extra = b.submitted(f"E{n}", p1, date(2025, 4, 1), 250)
        b.submitted(f"E{n}V", p1, date(2025, 4, 2), 250, frequency="8", original=extra)
    s5 = b.submitted("S5", p1, date(2025, 6, 2), 400)
    s6 = b.submitted("S6", p2, date(2025, 6, 10), 600)
    b.submitted("S9", p1, date(2025, 6, 28), 100)

    c1 = b.claim(s1, p1, date(2025, 4, 15), 1000, 800)
    b.adjust(c1, "CO-45", 200)
    c1r = b.claim(s1, p1, date(2025, 6, 5), -1000, -800, status="22", reversal_of=c1)
    b.adjust(c1r, "CO-45", -200)
    c1c = b.claim(s1, p1, date(2025, 6, 5), 1000, 700)
    b.adjust(c1c, "CO-45", 300)

    c2 = b.claim(s2, p1, date(2025, 6, 10), 500, 0, status="4")
    d2 = b.deny(c2, "CO-27", 500, "eligibility")

    b.reject(s3, date(2025, 5, 21))
    ClaimEvent.objects.create(submitted_claim=s3, kind="accepted", occurred_on=date(2025, 5, 22))
    c3 = b.claim(s3, p2, None, 300, 250, produced_on=date(2025, 6, 12))
    b.adjust(c3, "CO-45", 50)

    c4 = b.claim(s4, p1, date(2025, 6, 20), 200, 100)
    line = ServiceLine.objects.create(
        claim=c4, position=0, procedure_code="99213", charge=D(100), paid=D(0)
    )
    d4 = b.deny(c4, "CO-16", 100, "coding", line=line)

    b.reject(s5, date(2025, 6, 3))
    b.claim(s6, p2, date(2025, 6, 25), 600, 600)

    c7 = b.claim(None, p2, date(2025, 6, 15), 250, 0, status="4", pcn="X7")
    d7 = b.deny(c7, "CO-197", 250, "authorization")
    b.claim(None, p2, date(2025, 6, 28), 250, 250, pcn="X7")
    b.claim(None, p1, date(2025, 5, 30), 300, 300, pcn="X8")
    c8b = b.claim(None, p1, date(2025, 6, 18), 300, 0, status="4", pcn="X8")
    d8 = b.deny(c8b, "CO-16", 300, "coding")

    coding = Team.objects.get(slug="coding")
    i2 = b.item(d2, "ar-follow-up", "2025-06-11T09:00", "registration")
    b.act(i2, "2025-06-12T09:00", manager)
    _resolve(i2, "recovered_full", "2025-06-16T09:00", recovered=500)
    i4 = b.item(d4, coding.slug, "2025-06-21T10:00", "coding")
    b.act(i4, "2025-06-30T10:00", manager)
    _resolve(i4, "written_off", "2025-06-30T12:00")
    b.item(d7, "ar-follow-up", "2025-06-16T08:00", "", deadline=date(2025, 7, 5))
    b.item(d8, "ar-follow-up", "2025-04-10T08:00", "billing", deadline=date(2025, 6, 20))

    b.appeal(i2, "overturned", 500, 500, date(2025, 6, 15))
    b.appeal(i4, "upheld", 100, 0, date(2025, 6, 20))
    b.appeal(i4, "partially_overturned", 200, 50, date(2025, 7, 1))
    b.appeal(i2, "overturned", 500, 500, date(2025, 6, 15), kind="corrected_claim")
    b.i2, b.i4, b.coding = i2, i4, coding
    rollups_rebuild()
    return b


def _resolve(item, resolution, when, recovered=0):
    from worklist.models import WorklistItem

    WorklistItem.objects.filter(pk=item.pk).update(
        status="resolved", resolution=resolution, resolved_at=at(when), recovered_amount=recovered
    )


@pytest.fixture
def june_cuts(june):
    """``june`` and, for the payer type, provider, location and code cuts, two more
    claims decided in June:
      C10 P2 (medicare) "X10", no submission, 06-22, rendering id 2222222222, facility
          type 13; line 97110 / rev 0420 denied (medical necessity, CO-50 $80) -> item
          I10, appealed (upheld 06-26); line 97140 denied (coding, CO-16 $40).
      S11 2025-06-21 $300 P1, NPI 2222222222, place of service 13, lines 97110 and rev
          0450; C11 S11 06-24 (its 835 claim names rendering id 9999999999, facility
          type 21 and line 97112): denied as a whole (authorization, CO-197 $150).
    """
    from analytics.services import rollups_rebuild
    from claims.models import SubmittedLine
    from remittance.models import ServiceLine

    b, p1, p2 = june, june.p1, june.p2
    c10 = b.claim(
        None, p2, date(2025, 6, 22), 200, 80, pcn="X10",
        rendering_provider_id="2222222222", facility_type="13",
    )  # fmt: skip
    line_a = ServiceLine.objects.create(
        claim=c10, position=0, procedure_code="97110", revenue_code="0420", charge=D(100), paid=D(0)
    )
    line_b = ServiceLine.objects.create(
        claim=c10, position=1, procedure_code="97140", charge=D(100), paid=D(80)
    )
    d10a = b.deny(c10, "CO-50", 80, "medical_necessity", line=line_a)
    b.deny(c10, "CO-16", 40, "coding", line=line_b)
    i10 = b.item(d10a, "ar-follow-up", "2025-06-23T09:00", "clinical_documentation")
    b.appeal(i10, "upheld", 80, 0, date(2025, 6, 26))

    s11 = b.submitted(
        "S11", p1, date(2025, 6, 21), 300, rendering_npi="2222222222", place_of_service="13"
    )
    SubmittedLine.objects.create(claim=s11, line_number=1, procedure_code="97110", charge=D(150))
    SubmittedLine.objects.create(claim=s11, line_number=2, revenue_code="0450", charge=D(150))
    c11 = b.claim(
        s11, p1, date(2025, 6, 24), 300, 150,
        rendering_provider_id="9999999999", facility_type="21",
    )  # fmt: skip
    ServiceLine.objects.create(
        claim=c11, position=0, procedure_code="97112", charge=D(300), paid=D(150)
    )
    b.deny(c11, "CO-197", 150, "authorization")
    rollups_rebuild()
    return b
