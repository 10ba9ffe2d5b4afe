"""Load the shipped CARC/RARC catalog (denials/data/*.csv) into the database."""

import csv
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

CARC_FIELDS = [
    "description",
    "is_denial",
    "denial_groups",
    "category",
    "severity",
    "control_point",
    "next_action",
]
RARC_FIELDS = ["description", "effect", "category", "next_action"]


def read_rows(name: str) -> list[dict]:
    with open(DATA_DIR / name, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def catalog_sync(reason_model, remark_model, *, overwrite: bool = False) -> tuple[int, int]:
    """Add missing codes from the CSV files (and, with ``overwrite``, reset edited ones).
    Takes the model classes so a data migration can pass its historical models."""
    carcs = [
        reason_model(
            code=row["code"],
            **{f: row[f] for f in CARC_FIELDS if f != "is_denial"},
            is_denial=row["is_denial"].strip().lower() in {"yes", "true", "1"},
        )
        for row in read_rows("carc.csv")
    ]
    rarcs = [
        remark_model(code=row["code"], **{f: row[f] for f in RARC_FIELDS})
        for row in read_rows("rarc.csv")
    ]
    kwargs = (
        {"update_conflicts": True, "unique_fields": ["code"]}
        if overwrite
        else {"ignore_conflicts": True}
    )
    reason_model.objects.bulk_create(
        carcs, **({**kwargs, "update_fields": CARC_FIELDS} if overwrite else kwargs)
    )
    remark_model.objects.bulk_create(
        rarcs, **({**kwargs, "update_fields": RARC_FIELDS} if overwrite else kwargs)
    )
    return len(carcs), len(rarcs)
