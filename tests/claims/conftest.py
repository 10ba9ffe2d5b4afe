"""Helpers for the claims tests: a small, valid 835 written by hand (invented data), booked
through the remittance services like any received file; and the June data set of the
analytics tests (``june``, ``june_cuts``) for the list's filters."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from claims.inputs import SubmittedClaimIn, SubmittedLineIn
from remittance.services import remittance_process, remittance_receive
from tests.analytics.conftest import june, june_cuts  # noqa: F401


@dataclass
class Clp:
    pcn: str
    status: str = "1"
    charge: str = "100.00"
    paid: str = "80.00"
    icn: str = ""
    served: str = "20260110"
    frequency: str = "1"
    patient_responsibility: str = ""


def render_835(claims: list[Clp], *, payer_id="PAYER01", payer="TEST PAYER", trace="T1") -> str:
    total = sum(Decimal(c.paid) for c in claims)
    body = [
        f"BPR*I*{total}*C*ACH*CCP*01*111*DA*33*1234567890**01*111*DA*22*20260120",
        f"TRN*1*{trace}*1000000000",
        "DTM*405*20260120",
        f"N1*PR*{payer}*XV*{payer_id}",
        "N1*PE*TEST CLINIC*XX*1234567893",
        "LX*1",
    ]
    for c in claims:
        adjusted = Decimal(c.charge) - Decimal(c.paid)
        body += [
            f"CLP*{c.pcn}*{c.status}*{c.charge}*{c.paid}*{c.patient_responsibility}*12*"
            f"{c.icn}*11*{c.frequency}",
            "NM1*QC*1*DOE*JANE****MI*M0001",
            f"DTM*232*{c.served}",
            f"SVC*HC:99213*{c.charge}*{c.paid}**1",
            f"DTM*472*{c.served}",
        ]
        if adjusted and c.status != "22":
            group, reason = ("CO", "16") if c.status == "4" else ("CO", "45")
            body.append(f"CAS*{group}*{reason}*{adjusted}")
    segments = ["ST*835*0001", *body, f"SE*{len(body) + 2}*0001"]
    envelope = [
        "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *260120*1200*^*"
        "00501*000000001*0*T*:",
        "GS*HP*SENDER*RECEIVER*20260120*1200*1*X*005010X221A1",
        *segments,
        "GE*1*1",
        "IEA*1*000000001",
    ]
    return "~\n".join(envelope) + "~\n"


def book_835(text: str, name: str = "test.835"):
    received = remittance_receive(stream=io.BytesIO(text.encode()), filename=name, source="command")
    remittance = remittance_process(remittance_id=received.remittance.pk)
    assert remittance.status == "processed", remittance.error
    return remittance


def claim_in(pcn: str = "ACCT1", **kwargs) -> SubmittedClaimIn:
    values = {
        "patient_control_number": pcn,
        "payer_identifier": "PAYER01",
        "charge": Decimal("100.00"),
        "submitted_on": date(2026, 1, 11),
        "service_date_from": date(2026, 1, 10),
        "service_date_to": date(2026, 1, 10),
        "lines": (
            SubmittedLineIn(
                line_number=1,
                charge=Decimal("100.00"),
                procedure_code="99213",
                service_date_from=date(2026, 1, 10),
            ),
        ),
    }
    values.update(kwargs)
    return SubmittedClaimIn(**values)


@pytest.fixture
def bill():
    return render_835
