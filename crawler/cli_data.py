"""`newscrawl search / reextract / export`: the data team's commands, on the `cli` group.

Registered by the import at the bottom of crawler/cli.py. Thin calls into crawler.search,
crawler.reextract and crawler.export; errors are one line and a non-zero exit.
"""

from __future__ import annotations

import io
import json
import os
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from crawler import storage
from crawler.cli import EXIT_FAILED, EXIT_USAGE, DbPath, FilePath, cli, fail, fail_storage
from crawler.config import (
    ConfigError,
    configured_site,
    load_config,
    parse_since,
    site_rule_folders,
)
from crawler.exitcodes import EXIT_INTERRUPTED, EXIT_LOCKED
from crawler.export import FORMATS, ExportError, ExportOptions, export
from crawler.lock import LockedError, LockFileError, crawl_lock
from crawler.reextract import (
    ReextractError,
    ReextractOptions,
    format_report,
    reextract,
    stored_count,
    unmatched_rules,
)
from crawler.search import SearchError, SearchOptions, format_hits, search
from crawler.workers import MAX_WORKERS

EXISTING_DB = DbPath(dir_okay=False, path_type=Path)


def db_option(function):
    return click.option("--db", required=True, type=EXISTING_DB,
                        help="The newscrawl SQLite file.")(function)


def _utf8(ctx, param, value):
    """A text argument the database can be asked about: valid Unicode (a shell hands on
    bytes in another encoding as lone surrogates, which SQLite cannot take)."""
    if value is not None:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise click.BadParameter("not valid UTF-8 text") from None
    return value


def site_option(function):
    return click.option("--site", callback=_utf8,
                        help="Only this site, e.g. news.example.com.")(function)


def since_option(function):
    return click.option("--since", callback=_since,
                        help="Only articles published (or first seen) on or after this "
                             "date or time, e.g. 2026-11-01.")(function)


def _since(ctx, param, value):
    try:
        return parse_since(value)
    except ValueError as error:
        raise click.BadParameter(str(error).removeprefix("--since: ")) from None


MAX_HITS = 1_000_000
SITES_NAMED = 20  # sites a "no such site" error lists at most


def check_site(database, db: Path, site: str | None) -> None:
    """Fail with exit 2 when ``--site`` names no site the database has ever seen (a typo:
    an empty result would look like "nothing new"), naming those it has."""
    if site is None:
        return
    try:
        known = database.execute(
            "SELECT 1 FROM frontier WHERE site = :site UNION ALL SELECT 1 FROM pages "
            "WHERE site = :site UNION ALL SELECT 1 FROM articles WHERE site = :site LIMIT 1",
            {"site": site}).fetchone()
        if known:
            return
        names = [row[0] for row in database.execute(
            "SELECT site FROM frontier UNION SELECT site FROM pages ORDER BY 1 LIMIT ?",
            [SITES_NAMED + 1])]
    except sqlite3.DatabaseError as error:  # a page of the file is damaged
        database.close()
        fail_storage(storage.unreadable(db, error))
    more = ", ..." if len(names) > SITES_NAMED else ""
    listed = ", ".join(names[:SITES_NAMED]) + more if names else "none yet"
    database.close()
    fail(f"no site {site!r} in {db} (its sites: {listed})")


def open_existing(path: Path, *, upgrade: bool = False):
    """Open a newscrawl database that must already exist, for reading (`upgrade`: also to
    write, migrating it, and checked writable first: a read-only one is the input to fix,
    found before any work); fail with one line otherwise."""
    try:
        if upgrade:
            storage.check_writable(path)
        return storage.open_db(path, create=False, upgrade=upgrade)
    except storage.StorageError as error:
        fail_storage(error)


@cli.command("search")
@click.argument("query", callback=_utf8)
@db_option
@site_option
@since_option
@click.option("--limit", default=20, show_default=True,
              type=click.IntRange(min=1, max=MAX_HITS), help="Show at most this many hits.")
@click.option("--literal", is_flag=True,
              help="Search the words as typed (no FTS5 syntax: AND, OR, NOT, \"...\", *).")
@click.option("--json", "as_json", is_flag=True, help="Print the hits as a JSON array.")
def search_command(query, db, site, since, limit, literal, as_json):
    """Full-text search of the stored articles, best match first, hits in [brackets].

    QUERY uses FTS5 syntax: words (all must match), "a phrase", OR, NOT, prefix*.

    Example: newscrawl search "ferry AND tallinn" --db news.db --since 2026-11-01
    """
    database = open_existing(db)
    check_site(database, db, site)
    try:
        hits = search(database, query, SearchOptions(site, since, limit, literal))
    except SearchError as error:
        fail(str(error))
    except sqlite3.DatabaseError as error:  # a page of the file is damaged
        fail_storage(storage.unreadable(db, error))
    finally:
        database.close()
    # JSON in UTF-8; lines for a person in the terminal's encoding, what it cannot show replaced
    with writing_stdout(**{"encoding": "utf-8"} if as_json else {"errors": "replace"}):
        if as_json:
            click.echo(json.dumps(hits, ensure_ascii=False, indent=2))
        else:
            for line in format_hits(hits):
                click.echo(line)
    click.echo(f"{len(hits)} result(s)", err=True)


def fail_write(error: BaseException) -> None:
    """A data command's failed write, one line: a damaged file (2, and what to do: no rerun
    cures it), one it may only read (2), else a full disk or a lock (1)."""
    usage = storage.damaged(error) or storage.read_only(error)
    fail(storage.advised(error), EXIT_USAGE if usage else EXIT_FAILED)


@cli.command("reextract")
@db_option
@site_option
@click.option("--rules", "rules", multiple=True, type=FilePath(path_type=Path),
              help="A folder of extra site rules (repeatable).")
@click.option("--config", type=FilePath(dir_okay=False, path_type=Path),
              help="The crawl's sites config: each site's `rules` folder applies to its pages.")
@click.option("--workers", type=click.IntRange(1, MAX_WORKERS),
              help=f"Extraction worker processes (default: one per core; at most {MAX_WORKERS}).")
def reextract_command(db, site, rules, config, workers):
    """Extract the stored raw pages again with the current extractor and rules (no network).

    Updates articles and pages.is_article, then reports per site the articles gained,
    lost and changed. Holds the crawl lock: exits 4 if a crawl is running on the database.

    Example: newscrawl reextract --db news.db --site news.example.com --rules ./my-rules

    Example: newscrawl reextract --db news.db --config sites.toml
    """
    try:
        specs = load_config(config) if config else []
    except ConfigError as error:
        fail(str(error))
    database = open_existing(db, upgrade=True)
    check_site(database, db, site)
    options = ReextractOptions(site=site, rules=tuple(rules), site_rules=site_rule_folders(specs),
                               workers=workers, site_of=configured_site(specs))
    done, total = [0], 0  # pages re-extracted so far, of

    def progressed(pages: int) -> None:
        done[0] += pages
        bar.update(pages)
    try:
        with crawl_lock(db, "reextract"):  # no crawl writes the pages meanwhile, nor another
            # reextract
            total = stored_count(database, site)
            with click.progressbar(length=total, label="re-extracting", file=sys.stderr,
                                   hidden=not sys.stderr.isatty()) as bar:
                report = reextract(database, options, progress=progressed)
    except KeyboardInterrupt:  # Ctrl-C, or SIGINT from a job runner
        fail(f"interrupted after {done[0]} of {total} pages: the batches written are whole "
             "(one transaction each), the rest as before; run the same command again to "
             "re-extract them all", EXIT_INTERRUPTED)
    except LockedError as error:
        fail(str(error), EXIT_LOCKED)
    except LockFileError as error:  # no permission (2), a full disk (1)
        fail_storage(error)
    except ReextractError as error:
        fail(str(error))
    except (storage.StorageError, sqlite3.Error) as error:  # e.g. "database is locked"
        fail_write(error)
    finally:
        database.close()
    _show_report(report, db, site)


def _show_report(report: dict, db: Path, site: str | None) -> None:
    """reextract's table on stdout, its warnings on stderr."""
    if not report:  # a known site (or a database) with nothing stored: nothing to do, 0
        click.echo(f"no stored pages{f' for site {site}' if site else ''} in {db}: nothing"
                   " to re-extract", err=True)
        return
    for line in format_report(report):
        click.echo(line)
    for line in unmatched_rules(report):
        click.echo(line, err=True)


@cli.command("export")
@db_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), help="Default: from the "
              "file name's suffix (.jsonl, .csv, .parquet).")
@site_option
@since_option
@click.option("-o", "--output", required=True, type=FilePath(dir_okay=False),
              help="The file to write; - for stdout (jsonl and csv).")
def export_command(db, fmt, site, since, output):
    """Export articles to JSON Lines, CSV or Parquet, streaming (memory stays flat).

    Example: newscrawl export --db news.db --format parquet --since 2026-11-01 -o articles.parquet
    """
    target = None if output == "-" else Path(output)
    if target is not None and target.resolve() in {
            Path(f"{Path(db).resolve()}{suffix}") for suffix in ("", "-wal", "-shm", ".lock")}:
        fail(f"refusing to write the export over the database {db} (or its companion files)")
    fmt = fmt or _format_from_suffix(target)
    database = open_existing(db)
    check_site(database, db, site)
    try:
        with writing_stdout(encoding="utf-8"):  # an export is UTF-8, whatever the locale
            count = export(database, target, ExportOptions(fmt, site, since))
    except ExportError as error:
        fail(str(error), EXIT_FAILED if error.transient else EXIT_USAGE)
    except sqlite3.DatabaseError as error:  # a page of the file is damaged
        fail_storage(storage.unreadable(db, error))
    finally:
        database.close()
    click.echo(f"{count} articles written to {output}", err=True)


@contextmanager
def writing_stdout(closed: int | None = 0, **text: str) -> Iterator[None]:
    """A block that writes to stdout, reconfigured with `text` (`encoding`, `errors`); a
    reader that stops early (`| head -1`) ends the command quietly, with exit `closed` (0;
    `status --check` gives its verdict), or, where `closed` is None, ends the block only,
    for a command whose exit code is still to come (a crawl's is its run's)."""
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(**text)
    try:
        yield
        if sys.stdout is not None:  # None: started without a stdout (`>&-`), nothing written
            sys.stdout.flush()  # a closed pipe shows here, not at interpreter exit
    except BrokenPipeError:  # the reader has all it wants
        _quiet_stdout()
        if closed is not None:
            sys.exit(closed)
    except OSError as error:  # a full disk behind a redirection (> file), a device error
        _quiet_stdout()
        disk = storage.disk_trouble(error)  # a failure (1), not bad input: rerun with room
        advice = f": {storage.DISK_ADVICE}" if disk else ""
        fail(f"cannot write to stdout: {error.strerror or error}{advice}",
             EXIT_FAILED if disk else EXIT_USAGE)


def _quiet_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's final flush cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def _format_from_suffix(target: Path | None) -> str:
    suffix = target.suffix.lstrip(".").lower() if target else ""
    suffix = {"ndjson": "jsonl", "pq": "parquet"}.get(suffix, suffix)
    if suffix not in FORMATS:
        fail(f"give --format ({', '.join(FORMATS)}): cannot tell it from {target or 'stdout'}")
    return suffix
