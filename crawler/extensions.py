"""Scrapy extensions of newscrawl."""

from __future__ import annotations

import logging

from scrapy.exceptions import NotConfigured
from scrapy.settings.default_settings import RETRY_EXCEPTIONS
from scrapy.utils.misc import load_object

# Loggers that attach a full traceback to ordinary network failures (a dead host, a refused
# connection): for a crawler these are data, not bugs, so one line is enough.
NOISY_LOGGERS = ("scrapy.downloadermiddlewares.robotstxt", "scrapy.core.scraper")


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


class OneLineNetworkErrorsExtension:
    """Log network failures as one line, without the traceback Scrapy attaches to some."""

    def __init__(self):
        self.filter = _OneLineNetworkErrors()
        for name in NOISY_LOGGERS:
            logging.getLogger(name).addFilter(self.filter)

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("NEWSCRAWL_ONE_LINE_ERRORS_ENABLED", True):
            raise NotConfigured
        return cls()
