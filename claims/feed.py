"""The claims feed, for systems that cannot send an 837: rows of JSON (the API) or CSV
(the upload page), each validated on its own, so bad rows are reported by row number and
field while the good rows of the same batch are kept. Both doors use this module."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from rest_framework import serializers

from remittance.filtersets import MAX_AMOUNT

from .choices import ClaimKind, FrequencyCode
from .inputs import SubmittedClaimIn, SubmittedLineIn

MAX_ROWS = 5000


class LineRowSerializer(serializers.Serializer):
    line_number = serializers.IntegerField(min_value=1, max_value=999, required=False)
    procedure_code = serializers.CharField(max_length=48, required=False, allow_blank=True)
    revenue_code = serializers.CharField(max_length=48, required=False, allow_blank=True)
    modifiers = serializers.ListField(
        child=serializers.CharField(max_length=2), max_length=4, required=False
    )
    charge = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, max_value=MAX_AMOUNT
    )
    units = serializers.DecimalField(
        max_digits=15, decimal_places=3, min_value=0, required=False, allow_null=True
    )
    service_date = serializers.DateField(required=False, allow_null=True)
    service_date_to = serializers.DateField(required=False, allow_null=True)


class ClaimRowSerializer(serializers.Serializer):
    """One claim of the feed. ``payer_claim_control_number`` is, for a replacement (7) or
    void (8), the payer's number of the claim it replaces."""

    patient_control_number = serializers.CharField(max_length=50)
    payer_id = serializers.CharField(max_length=80, help_text="Payer id as submitted.")
    payer_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    charge = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, max_value=MAX_AMOUNT
    )
    submitted_on = serializers.DateField()
    external_id = serializers.CharField(max_length=80, required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=ClaimKind.choices, required=False)
    frequency_code = serializers.ChoiceField(choices=FrequencyCode.choices, required=False)
    payer_claim_control_number = serializers.CharField(
        max_length=50, required=False, allow_blank=True
    )
    primary_payer_claim_control_number = serializers.CharField(
        max_length=50, required=False, allow_blank=True
    )
    other_payer_id = serializers.CharField(max_length=80, required=False, allow_blank=True)
    clearinghouse_trace_number = serializers.CharField(
        max_length=50, required=False, allow_blank=True
    )
    service_date_from = serializers.DateField(required=False, allow_null=True)
    service_date_to = serializers.DateField(required=False, allow_null=True)
    statement_from = serializers.DateField(required=False, allow_null=True)
    statement_to = serializers.DateField(required=False, allow_null=True)
    admission_date = serializers.DateField(required=False, allow_null=True)
    place_of_service = serializers.RegexField(r"^\d{2}$", required=False, allow_blank=True)
    facility_code = serializers.CharField(max_length=3, required=False, allow_blank=True)
    prior_authorization = serializers.CharField(max_length=50, required=False, allow_blank=True)
    referral_number = serializers.CharField(max_length=50, required=False, allow_blank=True)
    diagnosis_codes = serializers.ListField(
        child=serializers.RegexField(r"^[A-Za-z0-9.]{3,8}$"), max_length=12, required=False
    )
    billing_npi = serializers.RegexField(r"^\d{10}$", required=False, allow_blank=True)
    billing_tax_id = serializers.CharField(max_length=20, required=False, allow_blank=True)
    rendering_npi = serializers.RegexField(r"^\d{10}$", required=False, allow_blank=True)
    lines = LineRowSerializer(many=True, required=False)

    def validate(self, data):
        start, end = data.get("service_date_from"), data.get("service_date_to")
        if start and end and end < start:
            raise serializers.ValidationError(
                {"service_date_to": "Must not be before service_date_from."}
            )
        return data


@dataclass
class FeedResult:
    claims: list[SubmittedClaimIn] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)  # the row of each claim
    errors: list[dict] = field(default_factory=list)  # {"row", "field", "message"}


def _join(prefix: str, key) -> str:
    if isinstance(key, int):  # a list's errors may come keyed by index
        return f"{prefix}[{key}]"
    return f"{prefix}.{key}" if prefix else str(key)


def _flatten(errors, prefix: str = "") -> list[tuple[str, str]]:
    """DRF's nested errors as (field, message): ``lines[1].charge``."""
    if isinstance(errors, dict):
        return [
            pair for key, value in errors.items() for pair in _flatten(value, _join(prefix, key))
        ]
    if isinstance(errors, list) and errors and not isinstance(errors[0], str):
        return [
            pair
            for index, value in enumerate(errors)
            for pair in _flatten(value, f"{prefix}[{index}]")
        ]
    return [(prefix or "non_field_errors", str(message)) for message in errors]


def to_input(data: dict) -> SubmittedClaimIn:
    lines = tuple(
        SubmittedLineIn(
            line_number=line.get("line_number") or number,
            charge=line["charge"],
            procedure_code=line.get("procedure_code", ""),
            revenue_code=line.get("revenue_code", ""),
            modifiers=tuple(line.get("modifiers", ())),
            units=line.get("units"),
            service_date_from=line.get("service_date"),
            service_date_to=line.get("service_date_to"),
        )
        for number, line in enumerate(data.get("lines", ()), start=1)
    )
    return SubmittedClaimIn(
        patient_control_number=data["patient_control_number"],
        payer_identifier=data["payer_id"],
        payer_name=data.get("payer_name", ""),
        charge=data["charge"],
        submitted_on=data["submitted_on"],
        external_id=data.get("external_id", ""),
        kind=data.get("kind", ClaimKind.UNKNOWN),
        frequency_code=data.get("frequency_code", FrequencyCode.ORIGINAL),
        replaces_payer_claim_control_number=data.get("payer_claim_control_number", ""),
        primary_payer_claim_control_number=data.get("primary_payer_claim_control_number", ""),
        other_payer_identifier=data.get("other_payer_id", ""),
        clearinghouse_trace_number=data.get("clearinghouse_trace_number", ""),
        service_date_from=data.get("service_date_from"),
        service_date_to=data.get("service_date_to"),
        statement_from=data.get("statement_from"),
        statement_to=data.get("statement_to"),
        admission_date=data.get("admission_date"),
        place_of_service=data.get("place_of_service", ""),
        facility_code=data.get("facility_code", ""),
        prior_authorization=data.get("prior_authorization", ""),
        referral_number=data.get("referral_number", ""),
        diagnosis_codes=tuple(data.get("diagnosis_codes", ())),
        billing_npi=data.get("billing_npi", ""),
        billing_tax_id=data.get("billing_tax_id", ""),
        rendering_npi=data.get("rendering_npi", ""),
        lines=lines,
    )


def feed_parse(rows: list, *, first_row: int = 0) -> FeedResult:
    """Validate every row; good rows become ``SubmittedClaimIn``, bad ones errors naming
    their row (``first_row`` + index) and field."""
    result = FeedResult()
    for index, row in enumerate(rows):
        number = first_row + index
        if not isinstance(row, dict):
            result.errors.append({"row": number, "field": "", "message": "Not an object."})
            continue
        serializer = ClaimRowSerializer(data=row)
        if not serializer.is_valid():
            result.errors += [
                {"row": number, "field": name, "message": message}
                for name, message in _flatten(serializer.errors)
            ]
            continue
        result.claims.append(to_input(serializer.validated_data))
        result.rows.append(number)
    return result


# -- CSV: one row per claim, the same columns as the JSON feed. Lists (diagnosis_codes,
# modifiers) are separated by spaces or "|". A claim may carry one service line in the
# columns line_procedure_code, line_modifiers, line_charge, line_units, line_service_date
# (line_charge present = the line is there).

CSV_LIST_COLUMNS = ("diagnosis_codes",)
LINE_COLUMNS = {
    "line_procedure_code": "procedure_code",
    "line_revenue_code": "revenue_code",
    "line_modifiers": "modifiers",
    "line_charge": "charge",
    "line_units": "units",
    "line_service_date": "service_date",
}


class CsvError(ValueError):
    """The file is not a CSV with a header row this feed understands."""


def _split(value: str) -> list[str]:
    return [part for part in value.replace("|", " ").split() if part]


def csv_rows(text: str) -> list[dict]:
    """The rows of a CSV file as feed rows (blank cells left out)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip() for name in reader.fieldnames or []]
    if "patient_control_number" not in header:
        raise CsvError(
            "The first line must be a header naming the columns, starting with "
            "patient_control_number."
        )
    rows = []
    for raw in reader:
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if k}
        data = {k: v for k, v in row.items() if v and k not in LINE_COLUMNS}
        for name in CSV_LIST_COLUMNS:
            if name in data:
                data[name] = _split(data[name])
        if row.get("line_charge"):
            line = {LINE_COLUMNS[k]: v for k, v in row.items() if k in LINE_COLUMNS and v}
            if "modifiers" in line:
                line["modifiers"] = _split(line["modifiers"])
            data["lines"] = [line]
        rows.append(data)
    return rows


CSV_COLUMNS = [
    "patient_control_number",
    "payer_id",
    "charge",
    "submitted_on",
    "frequency_code",
    "payer_claim_control_number",
    "service_date_from",
    "service_date_to",
    "place_of_service",
    "facility_code",
    "prior_authorization",
    "referral_number",
    "diagnosis_codes",
    "billing_npi",
    "rendering_npi",
    *LINE_COLUMNS,
]
