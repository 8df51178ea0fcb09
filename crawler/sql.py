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


def id_batches(conn: sqlite3.Connection, table: str, columns: str, where: str = "",
               size: int = IN_CHUNK) -> Iterator[list]:
    """The rows of `table` (`id`, then `columns`) in id order, `size` at a time, each batch
    read whole before it is given (a caller may write between batches); `where` narrows
    them."""
    condition = f" AND ({where})" if where else ""
    last = 0
    while rows := conn.execute(f"SELECT id, {columns} FROM {table} WHERE id > ?{condition} "
                               "ORDER BY id LIMIT ?", (last, size)).fetchall():
        yield rows
        last = rows[-1][0]
