"""`newscrawl`: the command line. Each command is a thin call into the library.

Exit codes: 0 success; 1 a failure: the crawl fetched nothing, a check failed, the disk is
full or failing, another connection holds the database locked (running again may work once
that is over); 2 bad input (a bad URL, option, rule file, database or sites config, a file
or folder without permission), reported as one line before any request; 3 partial
(`crawl`: some sites failed, the others were crawled);
4 locked (`crawl`, `reextract`: a crawl is running on the same database; nothing was done);
5 interrupted (SIGINT/SIGTERM/SIGHUP; `crawl`: what was committed is kept, rerun the same command
to resume). The codes are defined in crawler/exitcodes.py.
"""

from __future__ import annotations

import contextlib
import difflib
import json
import math
import signal
import sqlite3
import sys
from datetime import datetime, timedelta
from pathlib import Path

import click
from click.exceptions import NoArgsIsHelpError
from pebble import ProcessExpired
from scrapy.settings import BaseSettings, default_settings

from crawler import settings as project
from crawler import storage
from crawler.config import parse_since
from crawler.discovery import MAX_LIMIT, url_problem, utc_now
from crawler.entry import exit_now
from crawler.exitcodes import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_PARTIAL, EXIT_USAGE
from crawler.jobs import extract_page
from crawler.runner import (
    CrawlError,
    CrawlOptions,
    CrawlResult,
    may_hold_a_secret,
    run_crawl,
    storage_failure,
    summary,
)
from crawler.urlpolicy import cut, redacted
from crawler.workers import MAX_WORKERS, LostInPool, PoolError, Workers, result
from extractors.rules import BUILTIN, RuleError, check_all, load_dir

DEMO_SITE = Path(__file__).resolve().parents[1] / "fixtures" / "demo-site"
DEMO_PORT = 8765


def fail(message: str, code: int = EXIT_USAGE) -> None:
    """Print one clean error line and exit. With stderr on a full disk (`2>> crawl.log`) the
    line is lost but not the exit code, which a traceback nobody could read made 1."""
    with contextlib.suppress(OSError):
        click.echo(f"newscrawl: error: {message}", err=True)
    sys.exit(code)


def fail_storage(error: storage.StorageError) -> None:
    """Fail on a database that cannot be used: exit 1 where running again may work (a full
    or failing disk, another connection's lock), 2 where a person must fix the input."""
    fail(str(error), storage_failure(error).code)


class OneLineErrors(click.Group):
    """The command group, whose usage errors (an unknown option, a bad value for one) are
    one line like every other error of newscrawl's, not click's usage block."""

    def invoke(self, ctx):
        """A Ctrl-C that no command handled is one line and exit 5 (click would print an
        empty line and raise Abort)."""
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:  # maybe inside an import: exit_now, as the entry point
            click.echo("newscrawl: error: interrupted; nothing was done", err=True)
            exit_now(EXIT_INTERRUPTED)

    def main(self, *args, **kwargs):
        if not kwargs.pop("standalone_mode", True):
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            code = super().main(*args, standalone_mode=False, **kwargs)
        except NoArgsIsHelpError as error:  # `newscrawl` alone: the help, as click gives it
            error.show()
            sys.exit(error.exit_code)
        except click.UsageError as error:
            hint = f" (see '{error.ctx.command_path} --help')" if error.ctx else ""
            fail(f"{error.format_message()}{hint}", error.exit_code)
        except click.ClickException as error:
            fail(error.format_message(), error.exit_code)
        except click.Abort:  # click's own Ctrl-C (outside a command's invoke)
            fail("interrupted; nothing was done", EXIT_INTERRUPTED)
        sys.exit(code if isinstance(code, int) else 0)


@click.group(cls=OneLineErrors, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="newscrawl")
def cli() -> None:
    """A news crawler that keeps the article and throws away the chrome."""


class FilePath(click.Path):
    """`click.Path` that refuses an empty value: "" is Path("."), and `--rules ""` read the
    working directory's *.toml files as site rules, `--db ""` said "PosixPath('.') has an
    empty name"."""

    def convert(self, value, param, ctx):
        if isinstance(value, str) and not value.strip():
            self.fail("an empty path", param, ctx)
        return super().convert(value, param, ctx)


class DbPath(FilePath):
    """The database's file: not a name SQLite reads as something else (`:memory:`, an empty
    database for each connection: a crawl stored nothing and printed tracebacks; `file:...`,
    a URI for another file than the lock is taken beside)."""

    def convert(self, value, param, ctx):
        if isinstance(value, str) and (value == ":memory:" or value.startswith("file:")):
            what = ("SQLite's in-memory database" if value == ":memory:"
                    else "a URI to SQLite")
            self.fail(f"{value!r} is {what}, not a file name (./{value} for a file so named)",
                      param, ctx)
        return super().convert(value, param, ctx)


def crawl_options(function):
    """The options shared by `crawl` and `demo`."""
    options = [
        click.option("--max-pages", type=click.IntRange(0, MAX_LIMIT),
                     help="Stop after this many HTML pages (0: no limit)."),
        click.option("--max-depth", type=click.IntRange(0, MAX_LIMIT),
                     help="Follow links at most this deep from a start URL (0: the start "
                          "pages only)."),
        click.option("--rules", "rules", multiple=True, type=FilePath(path_type=Path),
                     help="A folder of extra site rules (repeatable)."),
        click.option("--workers", type=click.IntRange(1, MAX_WORKERS),
                     help=f"Extraction worker processes (default: one per core; at most "
                          f"{MAX_WORKERS})."),
        click.option("--log-level", default="INFO", show_default=True,
                     type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"])),
    ]
    for option in reversed(options):
        function = option(function)
    return function


DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _positive(seconds: float) -> float:
    if not seconds > 0 or not math.isfinite(seconds):
        raise ValueError(seconds)
    return seconds


class Duration(click.ParamType):
    """A span of time such as 45s, 30m, 6h or 2d, as a timedelta."""

    name = "duration"

    def convert(self, value, param, ctx):
        if isinstance(value, timedelta):
            return value
        text = str(value).strip().lower()
        number, unit = text[:-1], text[-1:]
        try:
            return timedelta(seconds=_positive(float(number) * DURATION_UNITS[unit]))
        except (KeyError, ValueError, OverflowError):
            self.fail(f"expected a span such as 30m, 6h or 2d, got {value!r}", param, ctx)


DURATION = Duration()


def parse_settings(pairs: tuple[str, ...]) -> dict:
    """``NAME=VALUE`` pairs as Scrapy settings; a VALUE that is JSON (1, false) is decoded."""
    settings = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            fail(f"--set {pair!r}: expected NAME=VALUE, e.g. DOWNLOAD_DELAY=2")
        try:
            settings[name.strip()] = json.loads(value)
        except ValueError:
            settings[name.strip()] = value
        _check_name(name.strip())
        _check_kind(name.strip(), settings[name.strip()])
        if name.strip() == "DOWNLOAD_SLOTS":
            _check_slots(settings["DOWNLOAD_SLOTS"])
    return settings


# Set by newscrawl itself (crawler/runner.py), not by a person: not offered as a spelling
# (the option that sets it is, if any). What newscrawl sets from its own options: `--db`
# (the file it locks), the lock it holds, `--rules`, the options it records. Set with -s,
# the crawl wrote another file than the one it locked, or locked itself out.
INTERNAL_SETTINGS = {"NEWSCRAWL_RUN_OPTIONS": None, "NEWSCRAWL_DB": "--db",
                     "NEWSCRAWL_LOCK_HELD": None, "NEWSCRAWL_RULES": "--rules"}


def _check_name(name: str) -> None:
    """Fail on a NEWSCRAWL_ name newscrawl does not read (a typo would be ignored); warn on
    another name neither Scrapy nor newscrawl defines (an add-on's setting may be one)."""
    if name in INTERNAL_SETTINGS:
        fail(f"--set {name}: set by newscrawl itself, not from the command line")
    if name == "JOBDIR":  # (README, "Crash-safe")
        fail("--set JOBDIR: newscrawl keeps its queue in the database (the frontier table);"
             " Scrapy's JOBDIR would lose queued requests on an unclean stop")
    known = {n for source in (project, default_settings) for n in dir(source)
             if n.isupper() and n not in INTERNAL_SETTINGS}
    if name in known:
        return
    close = difflib.get_close_matches(name, sorted({*known, *INTERNAL_SETTINGS}), n=1,
                                      cutoff=0.8)
    meant = INTERNAL_SETTINGS.get(close[0], close[0]) if close else None  # its option
    hint = f" (did you mean {meant}?)" if meant else ""
    if name.startswith("NEWSCRAWL_"):
        fail(f"--set {name}: no such newscrawl setting{hint}")
    click.echo(f"newscrawl: warning: --set {name}: not a Scrapy or newscrawl setting{hint};"
               " passed on as given (an add-on may read it)", err=True)


def _check_kind(name: str, value: object) -> None:
    """Fail, naming the setting, where VALUE cannot be read as the number or flag that the
    setting's default (newscrawl's, else Scrapy's) is: Scrapy would fail on it only once
    the crawl starts, with a bare ValueError. (A number is any number: Scrapy reads some
    settings whose default is a whole number as floats, DOWNLOAD_DELAY among them.)"""
    default = getattr(project, name, getattr(default_settings, name, None))
    given = f"{name}=(hidden)" if may_hold_a_secret(name) else f"{name}={cut(repr(value))}"
    if isinstance(default, dict) and not isinstance(value, dict):
        fail(f'--set {given}: {name} takes a JSON object, e.g. {{"name": value}}')
    probe = BaseSettings({name: value})
    read = {bool: probe.getbool, int: probe.getfloat, float: probe.getfloat}.get(type(default))
    try:
        if read is not None and not math.isfinite(read(name)):
            raise ValueError("not finite")
    except (TypeError, ValueError):
        kind = "true or false" if isinstance(default, bool) else "a number"
        fail(f"--set {given}: {name} takes {kind}")
    least = MINIMA.get(name, 0)
    if type(default) in (int, float) and probe.getfloat(name) < least and (
            name.startswith("NEWSCRAWL_") or name in NON_NEGATIVE_SETTINGS):
        fail(f"--set {given}: {name} takes a number of {least} or more")
    most = MAXIMA.get(name, MAX_LIMIT)
    if type(default) in (int, float) and probe.getfloat(name) > most:
        fail(f"--set {given}: {name} takes a number of at most {most}")


# What a DOWNLOAD_SLOTS entry may set (Scrapy ignores any other key: a typo would be lost),
# each with the least it takes: a slot of concurrency 0 sends nothing, and the crawl never
# ends.
SLOT_MINIMA = {"concurrency": 1, "delay": 0, "jitter": 0}


def _check_slots(slots: dict) -> None:
    """Fail, naming the slot and the key, on a DOWNLOAD_SLOTS entry Scrapy would misread."""
    for slot, entry in slots.items():
        where = f"--set DOWNLOAD_SLOTS: slot {cut(str(slot))!r}"
        if not isinstance(entry, dict):
            fail(f"{where}: takes an object such as {{\"concurrency\": 1, \"delay\": 2}}")
        for key, value in entry.items():
            if key == "randomize_delay":
                if not isinstance(value, bool):
                    fail(f"{where}: randomize_delay takes true or false")
            elif key not in SLOT_MINIMA:
                fail(f"{where}: no such key {cut(str(key))!r} (concurrency, delay, jitter)")
            elif (isinstance(value, bool) or not isinstance(value, int | float)
                  or not math.isfinite(value) or value < SLOT_MINIMA[key]
                  or (key == "concurrency" and value != int(value))):
                whole = "a whole number" if key == "concurrency" else "a number"
                fail(f"{where}: {key} takes {whole} of {SLOT_MINIMA[key]} or more")


# The largest a numeric setting may be: the workers a machine can hold, the days a date can
# be moved by (Python's dates end in 9999), any other what SQLite can store (MAX_LIMIT).
MAXIMA = {"NEWSCRAWL_EXTRACT_WORKERS": MAX_WORKERS, "NEWSCRAWL_SKIPPED_RETRY_DAYS": 365 * 1000}
# ...and the smallest, where not 0: with no request allowed at a time the crawl sends none,
# and never ends.
MINIMA = {"CONCURRENT_REQUESTS": 1, "CONCURRENT_REQUESTS_PER_DOMAIN": 1, "CONCURRENT_ITEMS": 1}


# Scrapy's numeric settings a negative value makes no sense for (newscrawl's: all of them).
NON_NEGATIVE_SETTINGS = ("CONCURRENT_REQUESTS", "CONCURRENT_REQUESTS_PER_DOMAIN",
                         "CONCURRENT_REQUESTS_PER_IP", "DOWNLOAD_DELAY", "DOWNLOAD_TIMEOUT",
                         "DOWNLOAD_MAXSIZE", "DOWNLOAD_WARNSIZE", "DEPTH_LIMIT", "RETRY_TIMES",
                         "CLOSESPIDER_PAGECOUNT", "CLOSESPIDER_TIMEOUT", "CLOSESPIDER_ITEMCOUNT",
                         "CONCURRENT_ITEMS")


@cli.command()
@click.argument("urls", nargs=-1)
@click.option("--db", required=True, type=DbPath(dir_okay=False, path_type=Path),
              help="The SQLite file to write (created if missing).")
@click.option("--config", type=FilePath(dir_okay=False, path_type=Path),
              help="A sites config (TOML): start URLs, feeds, sitemaps, patterns, limits.")
@click.option("--since", help="Skip sitemap and feed entries dated before this (2025-01-31);"
              " they stay queued for a run without --since or with an earlier date. Pages"
              " reached by links are fetched whatever their age.")
@click.option("-s", "--set", "set_", multiple=True, metavar="NAME=VALUE",
              help="A Scrapy setting, e.g. -s DOWNLOAD_DELAY=2 (repeatable).")
@click.option("--allow-private", is_flag=True,
              help="Also fetch private, loopback and link-local addresses (an intranet).")
@crawl_options
def crawl(urls, db, config, since, set_, allow_private, max_pages, max_depth, rules, workers,
          log_level):
    """Crawl news sites into a SQLite file; a rerun fetches only what is new or changed.

    URLS may be homepages, section pages, sitemaps, robots.txt files or RSS/Atom feeds;
    with --config they are optional. A killed run resumes where it stopped.

    Example: newscrawl crawl https://news.example.com --db news.db --max-pages 200

    Example: newscrawl crawl --config sites.toml --db news.db --since 2025-01-01
    """
    if not urls and config is None:
        fail("Missing argument 'URLS...' (or give --config sites.toml)")
    options = CrawlOptions(list(urls), db, max_pages, max_depth, tuple(rules), workers,
                           log_level, parse_settings(set_), config, since, allow_private)
    _warn_if_ahead(since)
    _run(options)


def _warn_if_ahead(since: str | None) -> None:
    """A --since after now holds back every dated sitemap and feed entry: say so (a typo'd
    year, 2052 for 2025, otherwise fetched nothing of the listings without a word). An
    unreadable one is the run's error."""
    try:
        moment = parse_since(since)
    except ValueError:
        return
    if moment is not None and moment > utc_now():
        click.echo(f"newscrawl: warning: --since {since} is after now: every sitemap and feed"
                   " entry dated before it waits for a later run (pages reached by links are"
                   " fetched whatever their age)", err=True)


@cli.command()
@click.option("--db", default="demo.db", show_default=True,
              type=DbPath(dir_okay=False, path_type=Path))
@click.option("--site-dir", default=DEMO_SITE, show_default=True,
              type=FilePath(file_okay=False, path_type=Path),
              help="The static site to serve.")
@click.option("--port", default=DEMO_PORT, show_default=True, type=click.IntRange(0, 65535),
              help="The port to serve on (0: any free port). A fixed port keeps the demo's "
                   "URLs, so a second run updates the same rows.")
@crawl_options
def demo(db, site_dir, port, max_pages, max_depth, rules, workers, log_level):
    """Serve the bundled demo news site on 127.0.0.1 and crawl it into a SQLite file.

    Loopback is a private address, so the demo allows private addresses (--allow-private).

    Example: newscrawl demo --db demo.db
    """
    from crawler.demo import serve_site

    if not (site_dir / "index.html").is_file():
        fail(f"no demo site at {site_dir} (run from a source checkout or pass --site-dir)")
    try:
        server = serve_site(site_dir, port=port)
    except OSError as error:
        fail(f"cannot serve the demo on 127.0.0.1:{port}: {error.strerror} (free the port, "
             "or pass another --port with a new --db: the site's URLs hold the port, so "
             "a database crawled on another one would store every article again)")
    with server:
        click.echo(f"serving {site_dir} at {server.base_url}/", err=True)
        options = CrawlOptions([f"{server.base_url}/"], db, max_pages, max_depth,
                               tuple(rules), workers, log_level, allow_private=True)
        _run(options)


def _run(options: CrawlOptions) -> None:
    try:
        result = run_crawl(options)
    except CrawlError as error:
        _ignore_signals()  # a signal that stopped it as it started, sent twice (`timeout`)
        if error.result is not None:  # it ran: what it did, as after any run
            _print_summary(error.result)
        fail(str(error), error.code)
    _ignore_signals()
    _print_summary(result)
    if result.status == "partial":
        fail(f"some sites failed: {', '.join(result.failed_sites)}"
             + (" (none of their start URLs could be fetched; HTML pages queued by earlier"
                " runs were)" if len(result.failed_sites) == result.sites else ""),
             EXIT_PARTIAL)


def _print_summary(result: CrawlResult) -> None:
    """The run's summary on stdout. A reader gone (a closed pipe) loses it, not the run's
    exit code: click ended the command with 1 and no word, a partial or interrupted run
    included; a full disk behind stdout (`>> crawl.log`) is one line and exit 1, as for
    `status` and `export`, not a traceback."""
    from crawler.cli_data import writing_stdout

    with writing_stdout(closed=None):
        click.echo(summary(result))


def _ignore_signals() -> None:
    """The run is over and its outcome recorded: a Ctrl-C or SIGTERM from now on (a timer
    stopping the job as it exits) changes nothing, where it ended the process by the signal
    (exit -15, no message) instead of with the run's exit code."""
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, signal.SIG_IGN)


@cli.command()
@click.option("--db", required=True, type=DbPath(dir_okay=False, path_type=Path),
              help="The SQLite file a crawl writes.")
@click.option("--runs", default=10, show_default=True, type=click.IntRange(min=1),
              help="How many runs before the latest to judge it against.")
@click.option("--check", is_flag=True,
              help="Exit with 1 when a site is flagged, or the last run failed, was left "
                   "running or is older than --max-age.")
@click.option("--max-age", "max_age", type=DURATION,
              help="Alert when the last run started longer ago than this (30m, 6h, 2d): "
                   "the crawls stopped happening (a broken config, a timer off).")
def status(db, runs, check, max_age):
    """Show per-site health over recent runs and flag a site whose article yield dropped.

    Example: newscrawl status --db news.db --runs 20
    """
    from crawler.cli_data import writing_stdout
    from crawler.lock import is_held, lock_path
    from crawler.status import health_table, last_run_lines, run_alert, site_health, stale_alert

    if not db.is_file():
        fail(f"{db}: no such database")
    try:
        database = storage.open_db(db, create=False, upgrade=False)
    except storage.StorageError as error:
        fail_storage(error)
    try:
        healths = site_health(database, runs)
        last = list(database.query("SELECT * FROM runs ORDER BY id DESC LIMIT 1"))
        # a run left `running` while no crawl holds the lock (its status read again after
        # the lock: a crawl that ended in between is not dead)
        dead = bool(last) and last[0]["status"] == "running" and not is_held(db) and (
            database.execute("SELECT status FROM runs WHERE id = ?",
                             [last[0]["id"]]).fetchone()[0] == "running")
    except sqlite3.DatabaseError as error:  # a page of the file is damaged
        fail_storage(storage.unreadable(db, error))
    finally:
        database.close()
    failed = run_alert(last[0]) if last else None
    stale = (stale_alert(last[0] if last else None, max_age, running=bool(last) and
                         last[0]["status"] == "running" and not dead) if max_age else None)
    alert = check and bool(dead or failed or stale or any(health.flags for health in healths))
    # a reader that stops early (`| head -1`): the exit status all the same
    with writing_stdout(EXIT_FAILED if alert else 0, errors="replace"):
        if last:
            click.echo("\n".join(last_run_lines(last[0], lock_path(db))))
        if healths:
            click.echo(health_table(healths))
        elif last and last[0]["status"] == "running":  # the first run: counts, not judged
            click.echo(f"{db}: no finished run to judge yet (run #{last[0]['id']} "
                       + ("was left running by a crawl that is gone)" if dead
                          else "is still going)"))
        else:
            click.echo(f"{db}: no runs with per-site counts yet")
        if dead:
            click.echo(f"ALERT run #{last[0]['id']}: recorded as running, but no crawl holds"
                       " the lock (killed, or the machine went down): the next crawl marks it"
                       " interrupted")
        for line in filter(None, (failed, stale)):
            click.echo(line)
    if alert:
        sys.exit(EXIT_FAILED)


def _fetched(ctx, param, value: str | None) -> datetime | None:
    """`--fetched`: when the page was served, a date or a time (UTC unless it says)."""
    if value is None:
        return None
    from crawler.listings import parse_date

    found = parse_date(value)
    if found is None:
        raise click.BadParameter(f"expected a date such as 2025-01-31, got {value!r}")
    return datetime.fromisoformat(found.replace("Z", "+00:00"))


FETCHED_HELP = ("When the page was served (2025-01-31, or a time): it picks the site rule's"
                " layout, as a crawl's fetch time does. Default: now.")


@cli.command("extract")
@click.argument("file", type=FilePath(exists=True, dir_okay=False, path_type=Path))
@click.option("--url", required=True, help="The URL the page was served at.")
@click.option("--content-type", help="The HTTP Content-Type header, if known.")
@click.option("--rules", "rules", multiple=True, type=FilePath(path_type=Path),
              help="A folder of extra site rules (repeatable).")
@click.option("--fetched", callback=_fetched, help=FETCHED_HELP)
def extract_command(file, url, content_type, rules, fetched):
    """Extract the article from a saved HTML file and print it as JSON.

    Example: newscrawl extract page.html --url https://news.example.com/2024/05/01/story
    """
    problem = url_problem(url)
    if problem:
        fail(f"--url {redacted(url)!r}: {problem}")
    try:
        article = _extracted(file.read_bytes(), url, content_type, rules, fetched)
    except RuleError as error:
        fail(str(error))
    except PoolError as error:
        fail(str(error), EXIT_FAILED)
    except (ProcessExpired, LostInPool) as error:  # the OOM killer, an administrator's kill
        fail(f"the extraction worker died ({error})", EXIT_FAILED)
    except KeyboardInterrupt:  # Ctrl-C, SIGTERM, the worker stopped: exited as reextract
        # does, not at once as the group would (the pool's semaphore left behind: a warning)
        fail("interrupted; nothing was done", EXIT_INTERRUPTED)
    click.echo(json.dumps(article, ensure_ascii=False, indent=2))


def _extracted(body: bytes, url: str, content_type: str | None, rules: tuple[Path, ...],
               fetched: datetime | None) -> dict:
    """The page's Article dict, read by the crawl's job in a worker process, as the crawl
    and `reextract` read pages. In this process, a page that keeps libxml2 in one call for
    minutes held off a SIGTERM or Ctrl-C as long: Python acts on a signal between
    bytecodes only. Here it ends the wait at once, and the worker is stopped."""
    check_all(rules)  # a broken rule file: one line, before a worker is started
    args = (body, url, content_type or "", tuple(str(folder) for folder in rules),
            fetched.isoformat() if fetched else "")
    with Workers(1) as workers:
        return result(workers.schedule(extract_page, timeout=None, args=args), workers.pool)


@cli.group()
def rules() -> None:
    """Site rules: one TOML file per site."""


@rules.command("check")
@click.argument("folders", nargs=-1, type=FilePath(path_type=Path))
def rules_check(folders):
    """Load and validate site rules: the built-in ones and any FOLDERS given; and the
    generic chrome catalogue.

    Example: newscrawl rules check ./my-rules
    """
    from extractors.chrome import CATALOGUE, catalogue

    try:
        click.echo(f"{CATALOGUE}: {len(catalogue())} chrome patterns, ok")
    except RuleError as error:
        fail(str(error), EXIT_USAGE)
    total = 0
    for folder in (BUILTIN, *folders):
        try:
            found = load_dir(Path(folder))
        except RuleError as error:  # bad input, as for the commands that use the rules
            fail(str(error), EXIT_USAGE)
        total += len(found)
        click.echo(f"{folder}: {len(found)} rule files, "
                   f"{sum(len(r.layouts) for r in found)} layouts, ok")
    click.echo(f"{total} rule files ok")


@cli.group()
def fixture() -> None:
    """Extraction fixtures: saved pages with the Article expected from them."""


@fixture.command("save")
@click.argument("file", type=FilePath(exists=True, dir_okay=False, path_type=Path))
@click.option("--url", required=True, help="The URL the page was served at.")
@click.option("--site", required=True, help="The site folder, e.g. themoscowtimes.com.")
@click.option("--case", "name", required=True, help="The case name, e.g. newsletter-inline.")
@click.option("--fetched", callback=_fetched, help=FETCHED_HELP + " Recorded with the case.")
@click.option("--content-type", default="text/html", show_default=True,
              help="The HTTP Content-Type header the page was served with (its charset).")
def fixture_save(file, url, site, name, fetched, content_type):
    """Record a fixture from a saved page; edit its expected.json afterwards. It is read
    with the built-in site rules (extractors/sites/), as the test suite reads it.

    Example: newscrawl fixture save page.html --url https://site/x --site site --case x
    """
    problem = url_problem(url)
    if problem:
        fail(f"--url {redacted(url)!r}: {problem}")
    from extractors import fixtures  # here: the crawl command need not load the extractor

    try:
        folder = fixtures.save(file, url, site, name, fetched=fetched,
                               content_type=content_type)
    except (FileExistsError, ValueError) as error:
        fail(str(error))
    rule = fixtures.Case(folder).expected.get("rule")
    read = f"site rule {rule}" if rule else "no site rule: the generic path"
    click.echo(f"saved {folder} ({read}): check expected.json, then add must_not_contain"
               " snippets")


@fixture.command("rerun")
@click.argument("site", required=False)
@click.option("--update", is_flag=True, help="Rewrite the exact fields that differ (title, "
              "text, ...) with the current output; must_contain / must_not_contain stay.")
def fixture_rerun(site, update):
    """Extract every fixture again (or one site's) and show what differs from expected;
    with --update, accept the new output (after a change you meant).

    Example: newscrawl fixture rerun themoscowtimes.com
    """
    from extractors import fixtures

    failures = 0
    found = fixtures.cases(site=site)
    if not found:
        fail(f"no fixtures{f' for site {site}' if site else ''} in {fixtures.ROOT}", EXIT_FAILED)
    for case in found:
        try:  # a case saved badly: its files do not read (the extraction's errors are not this)
            case.response["url"]
            fields = fixtures.fields(case)
        except (OSError, ValueError, KeyError, TypeError) as error:
            fields, problems = [None], [("case", f"unreadable: {error!r}")]
        else:
            try:
                problems = [(f, fixtures.check_field(case, f)) for f in fields]
            except RuleError as error:  # bad input, as wherever the rules are read
                fail(str(error), EXIT_USAGE)
        problems = [(f, p) for f, p in problems if p]
        if not fields:
            problems = [("expected.json", "names no field to check")]
        readable = bool(fields) and fields[0] is not None
        updated = fixtures.update(case, [f for f, _ in problems]) if update and readable else []
        failing = [f for f, _ in problems if f not in updated]
        failures += bool(failing)
        click.echo(f"{'FAIL' if failing else 'ok  '} {case.id}"
                   + (f" (updated: {', '.join(updated)})" if updated else ""))
        for field, problem in problems:
            click.echo(f"     {field}: {problem}{' (updated)' if field in updated else ''}")
    if failures:
        fail(f"{failures} fixture(s) differ from expected", EXIT_FAILED)


from crawler import cli_data  # noqa: E402,F401  (search, reextract, export)
