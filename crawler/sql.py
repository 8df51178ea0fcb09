"""A SQL helper shared by the storage modules."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence

# Values per statement where a list goes into `IN (...)` (SQLite caps the parameters of one
# statement: 999 before 3.32).
IN_CHUNK = 500


def select_in(conn: sqlite3.Connection, sql: str, values: Sequence,
              size: int = IN_CHUNK) -> Iterator:
    """The rows of `sql`, whose one `{}` stands for the IN list, over all of `values`,
    `size` at a time; each statement read to completion before the next runs (a caller may
    write between the rows it gets)."""
    for start in range(0, len(values), size):
        chunk = list(values[start:start + size])
        yield from conn.execute(sql.format(", ".join("?" * len(chunk))), chunk).fetchall()
