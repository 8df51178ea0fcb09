"""Scrapy extensions of newscrawl."""

from __future__ import annotations

import logging
import weakref
from typing import Any

from scrapy import Request, signals
from scrapy.exceptions import NotConfigured
from scrapy.settings.default_settings import RETRY_EXCEPTIONS
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import load_object
from twisted.internet import task
from twisted.python.failure import Failure

from crawler.discovery import TooLarge
from crawler.middlewares import (
    ROBOTS_TOO_LARGE,
    ROBOTS_UNREAD,
    Unsent,
    fail_waiting,
    robots_unread,
)
from crawler.status import STORAGE_ERROR
from crawler.urlpolicy import redacted

logger = logging.getLogger(__name__)

# Loggers that attach a full traceback to ordinary network failures (a dead host, a refused
# connection): for a crawler these are data, not bugs, so one line is enough.
ROBOTS_LOGGER = "scrapy.downloadermiddlewares.robotstxt"
NOISY_LOGGERS = (ROBOTS_LOGGER, "scrapy.core.scraper")


class _OneLineNetworkErrors(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if error is not None and _is_network_error(error):
            record.exc_info = None
            record.exc_text = None
        return True


# Scrapy's own network failures: those it retries by default (a host that does not resolve,
# a refused or lost connection, a timeout, a truncated response, a proxy tunnel's failure),
# and the Download* errors (a cancelled download among them).
_SCRAPY_NETWORK_ERRORS = tuple(load_object(path) for path in RETRY_EXCEPTIONS
                               if isinstance(path, str) and path.startswith("scrapy."))


def _is_network_error(error: BaseException) -> bool:
    module = type(error).__module__
    return (module.startswith(("twisted.internet.error", "twisted.web._newclient"))
            or isinstance(error, _SCRAPY_NETWORK_ERRORS)
            or (type(error).__name__.startswith("Download") and module.startswith("scrapy")))


def error_text(error: BaseException | Failure) -> str:
    """What went wrong, in words: Twisted's HTTP client wraps what ended a request in a list
    of Failures (`ResponseNeverReceived`, `ResponseFailed`), whose text is their repr
    ("[<twisted.python.failure.Failure ...ConnectionDone: Connection was closed cleanly.>]"),
    and Scrapy re-raises that as its `DownloadFailedError` with the same text; those are
    told by their own messages. Never empty: an error without a message is told by its
    type."""
    value = error.value if isinstance(error, Failure) else error
    cause = value.__cause__
    if cause is not None and str(value) == str(cause):  # Scrapy's DownloadFailedError, raised
        value = cause  # from Twisted's error and saying what it says
    reasons = getattr(value, "reasons", None)
    if isinstance(reasons, list) and reasons:
        texts = [error_text(reason) for reason in reasons]
        return "; ".join(dict.fromkeys(texts))
    return str(value).strip() or type(value).__name__


class _RobotsFetchFailures(logging.Filter):
    """Scrapy's robots.txt middleware logs a robots.txt it could not fetch as an ERROR
    "Error downloading <the page that asked for it>", as if that page had failed (which is
    then not sent, `RobotsTxtMiddleware`, unless robots.txt was over the size limit). Told
    as what it is: a WARNING naming the robots.txt, on one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args if isinstance(record.args, dict) else {}
        request = args.get("request")
        if not str(record.msg).startswith("Error downloading") or request is None:
            return True
        parts = urlparse_cached(request)
        error = args.get("f_exception")
        unread = not isinstance(error, BaseException) or robots_unread(error)
        record.msg = ("%(robots)s could not be fetched (%(reason)s): "
                      f"{ROBOTS_UNREAD if unread else ROBOTS_TOO_LARGE}")
        record.args = {"robots": f"{parts.scheme}://{parts.netloc}/robots.txt",
                       "reason": error_text(error) if isinstance(error, BaseException)
                       else error}
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


# Scrapy's download handlers, which say how to keep a truncated body.
DATA_LOSS_LOGGERS = ("scrapy.core.downloader.handlers.http11",
                     "scrapy.core.downloader.handlers._base_streaming")


class _DataLossHint(logging.Filter):
    """Scrapy's first truncated body logs "Got data loss in <url>. If you want to process
    broken responses set the setting DOWNLOAD_FAIL_ON_DATALOSS = False": a page cut short
    is never stored here (the spider logs its failure, `data_loss`), so the hint misleads.
    Dropped."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Got data loss in ")


_DATA_LOSS_HINT = _DataLossHint()  # one instance: a second crawl in the process adds none

REDIRECT_LOGGER = "scrapy.downloadermiddlewares.redirect"


class _RedactedRequests(logging.Filter):
    """Scrapy's redirect lines ("Redirecting (302) to <GET http://user:pw@host/> from ...")
    with the user name and password of a URL shown as ``***``: a redirect may put them in,
    and the request is refused after the line is written."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, dict):
            record.args = {key: _shown(value) for key, value in record.args.items()}
        return True


def _shown(value: Any) -> Any:
    if isinstance(value, Request) and "@" in value.url:
        return f"<{value.method} {redacted(value.url)}>"
    return value


_REDACTED_REQUESTS = _RedactedRequests()


class OneLineNetworkErrorsExtension:
    """Log network failures as one line, without the traceback Scrapy attaches to some,
    and a robots.txt that could not be fetched as such (`_RobotsFetchFailures`)."""

    def __init__(self):
        self.filter = _OneLineNetworkErrors()
        for name in NOISY_LOGGERS:
            logging.getLogger(name).addFilter(self.filter)
        logging.getLogger(ROBOTS_LOGGER).addFilter(_RobotsFetchFailures())
        for name in DATA_LOSS_LOGGERS:
            logging.getLogger(name).addFilter(_DATA_LOSS_HINT)
        logging.getLogger(REDIRECT_LOGGER).addFilter(_REDACTED_REQUESTS)

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("NEWSCRAWL_ONE_LINE_ERRORS_ENABLED", True):
            raise NotConfigured
        return cls()


class BodySizeLimit:
    """Stop a download whose body grows past its size limit (the request's
    `download_maxsize`, else DOWNLOAD_MAXSIZE) with `TooLarge`: a `too_large` skip, tried
    again after a week, as one whose Content-Length says so. Scrapy cancels such a body
    itself only with a bare CancelledError, which the crawl cannot tell from others, and
    which it counted as an error and retried every run."""

    def __init__(self, maxsize: int):
        self.maxsize = maxsize
        self.received: weakref.WeakKeyDictionary[Request, int] = weakref.WeakKeyDictionary()

    @classmethod
    def from_crawler(cls, crawler):
        extension = cls(crawler.settings.getint("DOWNLOAD_MAXSIZE"))
        crawler.signals.connect(extension.bytes_received, signal=signals.bytes_received)
        return extension

    def bytes_received(self, data: bytes, request: Request, spider=None) -> None:
        limit = request.meta.get("download_maxsize", self.maxsize)
        if not limit:
            return
        received = self.received.get(request, 0) + len(data)
        if received > limit:
            raise TooLarge(limit)
        self.received[request] = received


class StopPromptlyExtension:
    """Stop sending requests as soon as the crawl is told to stop.

    On the first SIGTERM or SIGINT (or a failed write), Scrapy's graceful stop lets every
    request already handed to the downloader run: up to `CONCURRENT_REQUESTS` of them, most
    waiting in the per-site queues for their download delay (AutoThrottle's can reach
    `AUTOTHROTTLE_MAX_DELAY`), so a stop took minutes on a slow site, past systemd's
    `TimeoutStopSec`. This drops the waiting ones (`Unsent`; the spider records nothing for
    them, so the frontier keeps them queued) every `POLL` seconds while the engine stops;
    the downloads under way finish, and the pages already fetched are extracted and stored.
    `StopPromptlyMiddleware` stops those that reach the downloader later.
    """

    POLL = 0.25

    def __init__(self, crawler):
        self.crawler = crawler
        self.ticker = task.LoopingCall(self._drop_unsent_if_stopping)
        crawler.signals.connect(self._start, signal=signals.engine_started)
        crawler.signals.connect(self._stop, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("NEWSCRAWL_STOP_PROMPTLY", True):
            raise NotConfigured
        return cls(crawler)

    def _start(self) -> None:
        self.ticker.start(self.POLL, now=False)

    def _stop(self) -> None:
        if self.ticker.running:
            self.ticker.stop()

    def _drop_unsent_if_stopping(self) -> None:
        if not stopping(self.crawler):
            return
        dropped = fail_waiting(self.crawler.engine.downloader, "the crawl is stopping")
        if dropped:
            logger.info("stopping: %d queued requests not sent (they stay queued for the next"
                        " run)", dropped)
            self.crawler.stats.inc_value("newscrawl/stop/unsent", dropped)


def stopping(crawler) -> bool:
    """Whether the crawl was told to stop: a signal (the engine no longer running) or a
    failed write."""
    engine = crawler.engine
    return engine is not None and (not engine.running
                                   or bool(crawler.stats.get_value(STORAGE_ERROR)))


class StopPromptlyMiddleware:
    """The downloader middleware of `StopPromptlyExtension`, last before the downloader: a
    request that was still inside the middlewares when the crawl was told to stop (waiting
    for its site's robots.txt, say) is not sent either (`Unsent`)."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("NEWSCRAWL_STOP_PROMPTLY", True):
            raise NotConfigured
        return cls(crawler)

    def process_request(self, request, spider=None):
        if stopping(self.crawler):
            self.crawler.stats.inc_value("newscrawl/stop/unsent")
            raise Unsent(f"not sent: the crawl is stopping ({request.url})")
