"""htmldate's date search, its dateparser step in English only.

htmldate hands the date-like strings its own parsers cannot read (a US-style "2/24/2026
10:00 AM", "March 3rd, 2025 at 5pm") to dateparser, which by default tries each of the 200
languages it knows. That costs about 40 MB of locale data in every process that loads it
(a third of an idle extraction worker) and up to 50 ms a string. htmldate reads dates
written out in the major European languages itself; what reaches dateparser and parses is,
on the WCXB dev articles, English or numeric. In English only, dateparser loads 6 MB and
takes 0.3 ms a string, and the articles' dates come out the same.

`find_date` here is htmldate's, with that step in English while it runs. The switch is
thread-local and only inside our own calls: htmldate anywhere else in the process
(trafilatura's metadata, another library) keeps its own dateparser. htmldate caches its
string parses (`try_date_expr`); after a call that used the English parser that cache is
cleared, so that no other caller is handed a parse made here.
"""

from __future__ import annotations

import threading
from datetime import datetime
from functools import cache, wraps

import htmldate
import htmldate.extractors

# htmldate 1.11's settings for its dateparser (`htmldate.extractors.get_external_parser`).
SETTINGS = {"NORMALIZE": True, "PARSERS": ["custom-formats", "absolute-time"],
            "PREFER_DATES_FROM": "past", "PREFER_LOCALE_DATE_ORDER": True,
            "RETURN_AS_TIMEZONE_AWARE": False, "STRICT_PARSING": True}

_ours = threading.local()


@cache
def english_parser():
    from dateparser import DateDataParser  # as htmldate does: imported on first use

    return DateDataParser(languages=["en"], settings=SETTINGS)


def _english(external_date):
    """htmldate's dateparser call, in English inside `find_date` below."""
    @wraps(external_date)
    def in_english(string: str) -> datetime | None:
        if not getattr(_ours, "depth", 0):
            return external_date(string)
        _ours.used = True
        try:
            return english_parser().get_date_data(string)["date_obj"]
        except (OverflowError, ValueError):  # as htmldate: a string it cannot convert
            return None
    in_english.newscrawl = True
    return in_english


def install() -> None:
    """Put the switch in place (once per process; idempotent)."""
    if not getattr(htmldate.extractors._external_date, "newscrawl", False):
        htmldate.extractors._external_date = _english(htmldate.extractors._external_date)


def find_date(tree, **options) -> str | None:
    """`htmldate.find_date`, its dateparser step in English."""
    install()
    _ours.depth = getattr(_ours, "depth", 0) + 1
    try:
        return htmldate.find_date(tree, **options)
    finally:
        _ours.depth -= 1
        if not _ours.depth and getattr(_ours, "used", False):
            _ours.used = False
            htmldate.extractors.try_date_expr.cache_clear()  # holds the parses made here
