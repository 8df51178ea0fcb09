"""htmldate's date search, its dateparser step in the page's language and a few others.

htmldate hands the date-like strings its own parsers cannot read (a US-style "2/24/2026
10:00 AM", "12 de marzo de 2024", "12 maggio 2024": it knows month names in English,
French, German, Indonesian and Turkish only) to dateparser, which by default tries each of
the 200 languages it knows. That costs about 40 MB of parser data in every process that
uses it (a third of an idle extraction worker) and up to 50 ms a string. Here dateparser
reads the languages of the chrome catalogue (`LANGUAGES`) and the page's own (`<html lang>`,
one more locale loaded the first time a worker meets it): about 7 MB and a millisecond a
string. The 659 dated WCXB dev articles keep every right date (two wrong 1 January guesses
become None, below).

A string no parser read leaves htmldate with the year alone, which it gives as 1 January;
when ours refused a string during the search, such a 1 January is no date at all (None),
never a made-up one.

`find_date` here is htmldate's, with that step changed while it runs. The switch is only
inside our own calls: htmldate elsewhere in the process (trafilatura's metadata, another
library) keeps its own dateparser. htmldate caches its string parses (`try_date_expr`),
whichever parser made them: the cache is cleared as our call starts (a parse in every
language would give a date ours does not) and, if ours used its parser, as it ends (so that
no other caller is handed one of ours). That holds in one thread, as in an extraction
worker; with htmldate running in several threads at once, a call may still meet the other
parser's answers.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from functools import cache, wraps

import htmldate
import htmldate.extractors

from .hooks import wrap_once

# The languages of the chrome catalogue's cues (see catalogue.toml).
LANGUAGES = ("en", "ru", "de", "fr", "es", "pt")
# htmldate 1.11's settings for its dateparser (`htmldate.extractors.get_external_parser`).
SETTINGS = {"NORMALIZE": True, "PARSERS": ["custom-formats", "absolute-time"],
            "PREFER_DATES_FROM": "past", "PREFER_LOCALE_DATE_ORDER": True,
            "RETURN_AS_TIMEZONE_AWARE": False, "STRICT_PARSING": True}

@dataclass
class _Call:
    """One of our `find_date` calls, as the dateparser hook sees it."""

    language: str | None
    used: bool = False  # our parser was asked: htmldate's cache holds its answers
    refused: bool = False  # ...and read a string as no date


_ours = threading.local()  # .call: the `_Call` running in this thread, or None


@cache
def parser(language: str | None = None):
    """dateparser for `LANGUAGES` and `language` (an ISO 639-1 code; ignored when dateparser
    does not know it)."""
    from dateparser import DateDataParser  # as htmldate does: imported on first use
    from dateparser.data.languages_info import language_order

    extra = [language] if language in language_order and language not in LANGUAGES else []
    return DateDataParser(languages=[*LANGUAGES, *extra], settings=SETTINGS)


def _ours_inside(external_date):
    """htmldate's dateparser call, made with `parser()` inside `find_date` below."""
    @wraps(external_date)
    def external(string: str) -> datetime | None:
        call = getattr(_ours, "call", None)
        if call is None:
            return external_date(string)
        call.used = True
        try:
            found = parser(call.language).get_date_data(string)["date_obj"]
        except (OverflowError, ValueError):  # as htmldate: a string it cannot convert
            found = None
        call.refused = call.refused or found is None
        return found
    return external


def find_date(tree, language: str | None = None, **options) -> str | None:
    """`htmldate.find_date` (its default output format), its dateparser step in `LANGUAGES`
    and `language`, the page's; None for a year-only guess after a string went unread."""
    wrap_once(htmldate.extractors, "_external_date", _ours_inside)
    htmldate.extractors.try_date_expr.cache_clear()  # may hold the other parser's parses
    call = _ours.call = _Call(language)
    try:
        found = htmldate.find_date(tree, **options)
    finally:
        _ours.call = None
        if call.used:
            htmldate.extractors.try_date_expr.cache_clear()  # holds the parses made here
    if call.refused and found and found.endswith("-01-01"):
        return None  # the year of a date no parser read, not its day
    return found
