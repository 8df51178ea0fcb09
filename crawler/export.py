"""Exports of `articles` to JSON Lines, CSV or Parquet: the library behind `newscrawl export`.

Rows stream from one `db.query` (sqlite-utils' generator over a cursor) straight to the
file, so memory stays flat however large the table: JSON Lines and CSV write a row at a
time, Parquet a record batch (row group) at a time (`pq.ParquetWriter`): at most
BATCH_ROWS rows and about BATCH_TEXT_BYTES of text. The file
appears under its name only when complete (written as `FILE.part`, then renamed; a
symlink's target is the file replaced, and a FIFO or device is written to directly).

    db = storage.open_db("news.db")
    count = export(db, Path("articles.parquet"), ExportOptions("parquet", site="example.com"))

JSON columns (`authors`, `removed`) become real lists in JSON Lines and Parquet; CSV keeps
them as JSON text. pyarrow is needed for Parquet only (`pip install 'newscrawl[parquet]'`).
"""

from __future__ import annotations

import csv
import json
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import sqlite_utils

from crawler import storage
from crawler.search import filters

FORMATS = ("jsonl", "csv", "parquet")
JSON_COLUMNS = ("authors", "removed")
# Not exported: the near-duplicate search's key (256 bytes an article); the pairs it finds
# are the `near_duplicates` view.
INTERNAL_COLUMNS = ("minhash",)
BATCH_ROWS = 5000  # rows per Parquet row group, at most
BATCH_TEXT_BYTES = 8 * 1024 * 1024  # ... and about this much article text


class ExportError(Exception):
    """An export that cannot run (a missing extra, a bad target); the message is one line.
    ``transient``: a full or failing disk, not the command, is to blame (as StorageError)."""

    def __init__(self, message: str, *, transient: bool = False):
        super().__init__(message)
        self.transient = transient


@dataclass
class ExportOptions:
    format: str
    site: str | None = None
    since: str | None = None  # config.parse_since form, vs published or first_seen (`search`)


def columns(db: sqlite_utils.Database) -> list[tuple[str, str]]:
    """(name, declared type) of the `articles` columns exported, in table order."""
    return [(c.name, c.type.upper()) for c in db["articles"].columns
            if c.name not in INTERNAL_COLUMNS]


def rows(db: sqlite_utils.Database, options: ExportOptions) -> Iterator[dict]:
    """The selected articles in id order, streamed."""
    try:
        clauses, params = filters(options.site, options.since)
    except ValueError as error:
        raise ExportError(str(error)) from None
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    names = ", ".join(f"articles.{name}" for name, _ in columns(db))
    return db.query(f"SELECT {names} FROM articles{where} ORDER BY articles.id", params)


def decode_json(row: dict) -> dict:
    """The row with its JSON columns parsed (lists), for JSON Lines and Parquet."""
    for name in JSON_COLUMNS:
        if isinstance(row.get(name), str):
            row[name] = json.loads(row[name])
    return row


def write_jsonl(stream: Iterable[dict], out: IO[str], _columns: list) -> int:
    count = 0
    for count, row in enumerate(stream, 1):  # noqa: B007
        out.write(json.dumps(decode_json(row), ensure_ascii=False) + "\n")
    return count


def write_csv(stream: Iterable[dict], out: IO[str], names: list[tuple[str, str]]) -> int:
    writer = csv.writer(out)
    writer.writerow([name for name, _ in names])
    count = 0
    for count, row in enumerate(stream, 1):  # noqa: B007
        writer.writerow(row.values())
    return count


def arrow_schema(names: list[tuple[str, str]]):
    """A pyarrow schema for the articles columns: INTEGER int64, JSON lists, else string."""
    import pyarrow as pa

    def arrow_type(name: str, declared: str):
        if name in JSON_COLUMNS:
            return pa.list_(pa.string())
        return pa.int64() if declared.startswith("INT") else pa.string()

    return pa.schema([(name, arrow_type(name, declared)) for name, declared in names])


def row_batches(stream: Iterable[dict]) -> Iterator[list[dict]]:
    """Lists of at most BATCH_ROWS rows and about BATCH_TEXT_BYTES of text each."""
    batch, size = [], 0
    for row in stream:
        batch.append(decode_json(row))
        size += len(row.get("text") or "")
        if len(batch) >= BATCH_ROWS or size >= BATCH_TEXT_BYTES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def write_parquet(stream: Iterable[dict], path: Path, names: list[tuple[str, str]]) -> int:
    """Write one record batch (row group) per row batch: only one is ever held in memory."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = arrow_schema(names)
    count = 0
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        for batch in row_batches(stream):
            writer.write_batch(pa.RecordBatch.from_pylist(batch, schema=schema))
            count += len(batch)
    return count


TEXT_WRITERS: dict[str, Callable[[Iterable[dict], IO[str], list], int]] = {
    "jsonl": write_jsonl, "csv": write_csv,
}


@contextmanager
def _part_file(target: Path) -> Iterator[Path]:
    """Yield `target.part`; rename it to `target` on success, remove it on failure. The
    file a symlink points to is the one replaced (the link stays). A FIFO, a device, a
    socket or a path under /dev or /proc (`/dev/stdout`) is yielded as is, to be opened
    for appending: renaming over it would replace it with a file, and truncating it would
    wipe what a shell's `>>` put before."""
    if _in_place(target):
        yield target
        return
    target = target.resolve()  # the file behind a symlink is the one replaced
    part = target.with_name(target.name + ".part")
    try:
        yield part
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    part.replace(target)


def _in_place(target: Path) -> bool:
    """Whether `target` is written where it is (see `_part_file`), not replaced."""
    return (not stat.S_ISREG(_mode(target))
            or target.absolute().parts[1:2] in (("dev",), ("proc",)))


def _mode(target: Path) -> int:
    """The file type of what `target` names, following symlinks (a regular file if none)."""
    try:
        return target.stat().st_mode
    except FileNotFoundError:
        return stat.S_IFREG  # a new file (or a link to one)


def check(options: ExportOptions, target: Path | None) -> None:
    """Raise ExportError for a format we cannot write or a target we cannot write to."""
    if options.format not in FORMATS:
        raise ExportError(f"unknown format {options.format!r} (one of {', '.join(FORMATS)})")
    if options.format == "parquet":
        if target is None:
            raise ExportError("parquet cannot be written to stdout; give -o FILE")
        try:
            import pyarrow.parquet  # noqa: F401
        except ImportError:
            raise ExportError("parquet needs pyarrow: pip install 'newscrawl[parquet]'") from None
    if target is not None and not target.parent.is_dir():
        raise ExportError(f"{target}: folder {target.parent} does not exist")
    if options.format == "parquet" and target is not None and _in_place(target):
        raise ExportError(f"{target}: parquet needs a file of its own (not a pipe, a "
                          "device or stdout); use jsonl or csv")


def export(db: sqlite_utils.Database, target: Path | None, options: ExportOptions) -> int:
    """Write the selected articles to `target` (None: stdout, text formats); return the count."""
    check(options, target)
    names = columns(db)
    stream = rows(db, options)
    if target is None:
        return TEXT_WRITERS[options.format](stream, sys.stdout, names)
    try:
        with _part_file(target) as part:
            if options.format == "parquet":
                return write_parquet(stream, part, names)
            mode = "a" if part == target else "w"  # in place: append (see _part_file)
            with part.open(mode, encoding="utf-8", newline="") as out:
                return TEXT_WRITERS[options.format](stream, out, names)
    except OSError as error:  # a folder we may not write in, a full disk...
        if isinstance(error, BrokenPipeError):
            raise
        disk = storage.disk_trouble(error)
        advice = f": {storage.DISK_ADVICE}" if disk else ""
        raise ExportError(f"{target}: {error.strerror or error}{advice}",
                          transient=disk) from None
