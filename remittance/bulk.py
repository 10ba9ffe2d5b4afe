"""Fast row writing: PostgreSQL COPY, with a plain executemany fallback elsewhere.

Services own their writes; this module only gives them two primitives that keep large
remittances fast: reserve a block of primary keys up front (so parent and child rows
can be written in one pass each), and write many rows at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.models import Model


def reserve_ids(model: type[Model], count: int) -> list[int]:
    """Return ``count`` fresh primary keys for ``model``.

    On PostgreSQL the keys come from the table's own sequence. Elsewhere (SQLite) they
    follow the current maximum, which is safe because SQLite transactions take the write
    lock when they begin (``transaction_mode = IMMEDIATE`` in settings).
    """
    if count <= 0:
        return []
    table = model._meta.db_table
    pk = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f'SELECT COALESCE(MAX("{pk}"), 0) FROM "{table}"')
        start = cursor.fetchone()[0] + 1
    return list(range(start, start + count))


def insert_rows(model: type[Model], columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Insert ``rows`` (tuples in ``columns`` order, database column names) into ``model``'s
    table. Leave ``id`` out of ``columns`` to let the database number the rows. Uses COPY
    on PostgreSQL (psycopg formats the rows in C). Returns the number of rows."""
    table = model._meta.db_table
    column_sql = ", ".join(f'"{c}"' for c in columns)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f'COPY "{table}" ({column_sql}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        rows = list(rows)
        if rows:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f'INSERT INTO "{table}" ({column_sql}) VALUES ({marks})', rows)
        return len(rows)
