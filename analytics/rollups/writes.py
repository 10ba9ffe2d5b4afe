"""Writing many rollup rows fast: PostgreSQL's COPY where the database is PostgreSQL
(a full rebuild writes millions of rows), ``bulk_create`` elsewhere."""

from __future__ import annotations

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def reserve_ids(model, count: int) -> list[int]:
    """``count`` fresh primary keys: from the table's sequence on PostgreSQL, else after
    the largest (the refresh holds the rollups' lock, and SQLite has one writer)."""
    if not count:
        return []
    table = model._meta.db_table
    if not is_postgres():
        last = model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        return list(range(last + 1, last + 1 + count))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, count],
        )
        return [row[0] for row in cursor.fetchall()]


def insert(model, fields: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert ``rows`` (values in the order of ``fields``, attribute names) into the
    model's table."""
    if not rows:
        return
    if not is_postgres():
        model.objects.bulk_create(
            [model(**dict(zip(fields, row, strict=True))) for row in rows], batch_size=500
        )
        return
    columns = ", ".join(model._meta.get_field(f).column for f in fields)
    sql = f"COPY {model._meta.db_table} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def among(field: str, values, kind: str = "bigint") -> Q:
    """``field`` is one of ``values``. On PostgreSQL the values go as one array
    parameter rather than one parameter each (a refresh passes tens of thousands)."""
    values = list(values)
    if not is_postgres():
        return Q(**{f"{field}__in": values})
    return Q(**{f"{field}__in": RawSQL(f"SELECT unnest(%s::{kind}[])", (values,))})


def either(queryset, *conditions: Q, fields: tuple[str, ...]) -> list[tuple]:
    """Rows of ``queryset`` meeting any of ``conditions`` (``fields``, the first being the
    primary key), one query per condition: an OR of two array lookups is a full scan."""
    seen: dict = {}
    for condition in conditions:
        for row in queryset.filter(condition).order_by().values_list(*fields):
            seen[row[0]] = row
    return list(seen.values())
