"""Progress of a crawl: a live line on a terminal, periodic log lines otherwise (cron).

On a TTY (stderr), one line rewritten every second: pages, articles, pages per minute,
304s and errors; a log record written meanwhile (a warning) clears it first, so the record
starts a line of its own, and the next second draws it again below. Without one, a log line
every ``NEWSCRAWL_PROGRESS_INTERVAL`` seconds (default 60), beside Scrapy's own LogStats
line. Either is progress at ``INFO``: with ``LOG_LEVEL`` above that (``--log-level
WARNING``), neither shows.
"""

from __future__ import annotations

import logging
import sys
import time
from contextlib import suppress

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

logger = logging.getLogger(__name__)


def progress_line(stats: dict, seconds: float) -> str:
    """``412 pages, 380 articles, 96/min, 12 unchanged (304), 3 errors, 25 taken from earlier
    runs' queue`` (requested so far: not what is left of it)."""
    pages = int(stats.get("newscrawl/pages", 0))
    articles = int(stats.get("newscrawl/extract/articles", 0))
    errors = sum(int(v or 0) for k, v in stats.items() if k.startswith("newscrawl/errors/"))
    rate = pages / seconds * 60 if seconds > 0 else 0.0
    line = (f"{pages} pages, {articles} articles, {rate:.0f}/min, "
            f"{int(stats.get('newscrawl/not_modified', 0))} unchanged (304), {errors} errors")
    resumed = int(stats.get("newscrawl/frontier/resumed", 0))
    return line + (f", {resumed} taken from earlier runs' queue" if resumed else "")


class ProgressExtension:
    """Report progress while the spider runs; ``NEWSCRAWL_PROGRESS_ENABLED`` switches it."""

    def __init__(self, stats, interval: float, tty: bool):
        self.stats = stats
        self.interval = interval
        self.tty = tty
        self.started = time.monotonic()
        self.loop: task.LoopingCall | None = None
        self.shown = False  # the live line is on the terminal now
        self.handlers: list[logging.Handler] = []  # those clearing it before a record

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.getbool("NEWSCRAWL_PROGRESS_ENABLED", True):
            raise NotConfigured
        tty = sys.stderr.isatty()
        interval = settings.getfloat("NEWSCRAWL_PROGRESS_INTERVAL", 60.0)
        if not interval > 0:  # also NaN; checked on a terminal too, not first under cron
            raise ValueError(f"NEWSCRAWL_PROGRESS_INTERVAL must be a number of seconds above 0,"
                             f" not {settings.get('NEWSCRAWL_PROGRESS_INTERVAL')!r}")
        if _level(settings.get("LOG_LEVEL")) > logging.INFO:  # progress is INFO (checked
            raise NotConfigured                               # after the setting: bad input)
        interval = 1.0 if tty else interval
        extension = cls(crawler.stats, interval, tty)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider=None):
        self.started = time.monotonic()
        if self.tty:
            self.handlers = list(logging.getLogger().handlers)
            for handler in self.handlers:
                handler.addFilter(self.clear_line)
        self.loop = task.LoopingCall(self.report)
        self.loop.start(self.interval, now=False)

    def report(self) -> None:
        line = progress_line(self.stats.get_stats(), time.monotonic() - self.started)
        if self.tty:
            with suppress(OSError, ValueError):  # the terminal went away: the crawl goes on
                sys.stderr.write(f"\r\x1b[K{line}")
                sys.stderr.flush()
                self.shown = True
        else:
            logger.info("progress: %s", line)

    def clear_line(self, record: logging.LogRecord | None) -> bool:
        """A handler's filter: the live line goes before a record is written (kept). Never
        raises: logging does not catch a filter's error, and a terminal that went away
        (EIO after a logout) must not fail the logging call that found it."""
        if self.shown:
            self.shown = False
            with suppress(OSError, ValueError):  # ValueError: stderr closed
                sys.stderr.write("\r\x1b[K")
                sys.stderr.flush()
        return True

    def spider_closed(self, spider=None, reason: str = ""):
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        for handler in self.handlers:
            handler.removeFilter(self.clear_line)
        self.handlers = []
        if self.tty:
            self.clear_line(None)


def _level(value) -> int:
    """A LOG_LEVEL setting (a name or a number) as a number; unknown names count as INFO."""
    if isinstance(value, int):
        return value
    level = logging.getLevelName(str(value or "INFO").upper())
    return level if isinstance(level, int) else logging.INFO
