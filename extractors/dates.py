r"""htmldate's date search, its dateparser step in the page's language and a few others.

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

The same switch runs the search's digit patterns over less of the page. The last resort of
htmldate's extensive search (`search_page`) counts the matches of a dozen patterns over the
serialized page, one `findall` each, about 12 ms on a 50 KB page. Most of them match a run
of digits and date separators between two non-digits (`\D([0-9]{4}[/.-]...)\D`), and a long
run of non-digits can only lend such a match its first character (the end of one) and its
last (the start of the next): the characters between are never part of a match, so they are
left out before the count. Leaving the last seven instead of one keeps the six characters a
lookbehind (`(?<!w3.org)`) reads. The patterns are named by their source text below; one a
new htmldate changes runs over the whole page again. On the 82 corpus articles whose search
gets that far: the same matches, 12 ms down to 2 ms a page.

And the switch has htmldate pass the dates of a box of comments or of related stories
(`anothers_box`): of the elements named for a date, the one that gives a date is checked
for such a box around it, and the page's `<time>`s in one leave htmldate's copy of the page.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import cache, wraps

import htmldate
import htmldate.core
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
    squeezed: tuple[str, str] | None = None  # the last page squeezed, and what it gave


_ours = threading.local()  # .call: the `_Call` running in this thread, or None


@cache
def parser(language: str | None = None, keep_zone: bool = False, alone: bool = False):
    """dateparser for `LANGUAGES` and `language` (an ISO 639-1 code; ignored when dateparser
    does not know it). `keep_zone`: a zone the string names is kept (an aware datetime),
    where htmldate's settings make every datetime naive. `alone`: for `language` only (its
    own order of day and month)."""
    from dateparser import DateDataParser  # as htmldate does: imported on first use
    from dateparser.data.languages_info import language_order

    extra = [language] if language in language_order and language not in LANGUAGES else []
    settings = {key: value for key, value in SETTINGS.items()
                if not (keep_zone and key == "RETURN_AS_TIMEZONE_AWARE")}
    languages = [language] if alone and language in language_order else [*LANGUAGES, *extra]
    return DateDataParser(languages=languages, settings=settings)


def written_date(text: str, language: str | None = None) -> str | None:
    """A date as a page writes it for its readers ("Nov 25, 2025 5:00 am PST", "1 March
    2025", "12 de marzo de 2024", "2025/03/01"), in ISO 8601: with its time, and its offset
    where it names a zone; the day alone where it gives no time. None where the whole text
    is no date (strict: "Posted on March 1, 2025" is not one)."""
    from dateparser.data.languages_info import language_order  # as `parser`: on first use

    found = None
    # the page's language first, alone: with the others, dateparser reads "03.04.2025" month
    # first (English) on a German page, which means 3 April
    for alone in ((True, False) if language in language_order else (False,)):
        try:
            found = parser(language, keep_zone=True, alone=alone).get_date_data(
                text[:200])["date_obj"]
        except (OverflowError, ValueError):
            found = None
        if found is not None:
            break
    if found is None:
        return None
    if found.tzinfo is None and not (found.hour or found.minute or found.second):
        return found.date().isoformat()
    return found.isoformat(timespec="seconds").replace("+00:00", "Z")


def _ours_inside(external_date):
    """htmldate's dateparser call, made with `parser()` inside `find_date` below."""
    @wraps(external_date)
    def external(string: str) -> datetime | None:
        call = getattr(_ours, "call", None)
        if call is None:
            return external_date(string)
        call.used = True
        found = _parsed(string, call.language)
        if found is None and (span := _WRITTEN_DAY.search(string)) and span[0] != string:
            found = _parsed(span[0], call.language)  # "Publicado el 12 de marzo de 2024"
        call.refused = call.refused or found is None
        return found
    return external


# A day with its month's name and its year, within a longer string that dateparser's strict
# parsing refuses whole ("Publicado el 12 de marzo de 2024", "Roma, 12 marzo 2024", "Publicado
# em 12 de março de 2024"): htmldate's own patterns know month names in a few languages
# only, and hand such a line whole to dateparser, which then gives no date.
WRITTEN_DAY = (r"\d{1,2}\.?\s+(?:de\s+)?[^\W\d_]{3,12}\.?,?\s+(?:de\s+)?\d{4}"
               r"|[^\W\d_]{3,12}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}")
_WRITTEN_DAY = re.compile(rf"(?<!\w)(?:{WRITTEN_DAY})(?!\w)")


def _parsed(string: str, language: str | None) -> datetime | None:
    """`string` read by `parser(language)`, None when it is no date."""
    try:
        return parser(language).get_date_data(string)["date_obj"]
    except (OverflowError, ValueError):  # as htmldate: a string it cannot convert
        return None


# htmldate 1.11's patterns (`htmldate.core`) whose every match is digits and single `[/.-]`
# separators between two non-digits (`DATESTRINGS_PATTERN`'s group includes those two), and
# which look back at most six characters.
SQUEEZABLE = frozenset({
    r"\D([0-9]{4}[/.-][0-9]{2}[/.-][0-9]{2})\D",
    r"\D([0-3]?[0-9][/.-][0-1]?[0-9][/.-][0-9]{4})\D",
    r"(\D19[0-9]{2}[01][0-9][0-3][0-9]\D|\D20[0-9]{2}[01][0-9][0-3][0-9]\D)",
    r"\D([0-3]?[0-9]/[0-1]?[0-9]/[0129][0-9]|[0-3][0-9]\.[01][0-9]\.[0129][0-9])\D",
    r"\D([12][0-9]{3}[/.-](?:1[0-2]|0[1-9]))\D",
    r"\D([0-1]?[0-9][/.-][12][0-9]{3})\D",
    r"(?<!w3.org)\D((?:199[0-9]|20[0-3][0-9]))\D",
})
_KEPT = 7  # the non-digits kept at a long run's end: a match's start, and six to look back on
_NON_DIGITS = re.compile(rf"\D{{{_KEPT + 2},}}")


def squeeze(page: str) -> str:
    """`page` with every run of non-digits longer than eight characters cut to its first
    and its last seven: the same `findall` for every pattern in `SQUEEZABLE`."""
    return _NON_DIGITS.sub(lambda run: run[0][0] + run[0][-_KEPT:], page)


def _squeezed_inside(plausible_year_filter):
    """htmldate's count of a pattern's matches, made over `squeeze(page)` inside `find_date`
    below when the pattern allows it."""
    @wraps(plausible_year_filter)
    def filter_(htmlstring: str, *, pattern: re.Pattern[str], **options) -> Counter[str]:
        call = getattr(_ours, "call", None)
        if call is not None and pattern.pattern in SQUEEZABLE and pattern.flags == re.UNICODE:
            if call.squeezed is None or call.squeezed[0] is not htmlstring:
                call.squeezed = (htmlstring, squeeze(htmlstring))
            htmlstring = call.squeezed[1]
        return plausible_year_filter(htmlstring, pattern=pattern, **options)
    return filter_


# A box whose dates are not the story's: its comments' ("comments", "comment-meta",
# "commentlist") or other stories' ("related", "related-posts", "relatedStories"), named so
# by a token of its class or id; not "commentary", an opinion's section.
_ANOTHERS_BOX = re.compile(r"^(?:[Cc]omments?|[Cc]ommentlist|[Rr]elated)(?![a-z])")


def anothers_box(element) -> bool:
    """Whether `element` is a box of comments or related stories (`_ANOTHERS_BOX`) that holds
    neither the headline nor the story (`_holds_story`): a page's wrapper may be named
    "comments-open", or a theme's story column "related-content-wrapper", with the headline
    above it."""
    names = f"{element.get('class') or ''} {element.get('id') or ''}"
    if "omment" not in names and "elated" not in names:  # most elements: no regex
        return False
    return (any(_ANOTHERS_BOX.match(name) for name in names.split())
            and next(element.iter("h1"), None) is None and not _holds_story(element))


# A paragraph this long (in words) is a story's, not a byline's or a caption's.
_LONG_PARAGRAPH = 15


def _long(paragraph) -> bool:
    return len(paragraph.text_content().split()) >= _LONG_PARAGRAPH


def _holds_story(element) -> bool:
    """Whether `element` holds the story: the page's first long paragraph (`_LONG_PARAGRAPH`),
    since the story comes before its comments and the stories related to it, or half its long
    paragraphs or more, since a cookie notice or a standfirst above the box may come first."""
    tree = element.getroottree()
    known = _known(tree.getroot())
    opening, count = known[None]
    if opening is None or any(box is element for box in opening.iterancestors()):
        return opening is not None
    paragraphs = element.findall(".//p")
    if 2 * len(paragraphs) < count:  # too few to count their words: most boxes
        return False
    if (holds := known.get(path := tree.getpath(element))) is None:
        holds = known[path] = 2 * sum(map(_long, paragraphs)) >= count
    return holds


# What `_holds_story` knows of each tree while `boxes_known` holds: a page with hundreds of
# comments, each in boxes of its own ("comment", "comment-body", "comment-meta") and each
# dated, took seconds walking all its paragraphs again for each box and each date.
_trees = threading.local()


@contextmanager
def boxes_known():
    """Keep what `_holds_story` learns of a tree until the end (of one reading of its dates,
    in which the tree changes no paragraph and no box)."""
    if getattr(_trees, "known", None) is not None:  # an outer one holds
        yield
        return
    _trees.known = {}
    try:
        yield
    finally:
        _trees.known = None


def _known(root) -> dict:
    """The tree's first long paragraph and their count (key None), and whether a box with
    many paragraphs holds half the long ones, by its path: kept while `boxes_known` holds,
    else found anew."""
    trees = getattr(_trees, "known", None)
    if trees is not None and (entry := trees.get(id(root))) is not None:
        return entry[1]
    paragraphs = [paragraph for paragraph in root.iter("p") if _long(paragraph)]
    known = {None: (paragraphs[0] if paragraphs else None, len(paragraphs))}
    if trees is not None:
        trees[id(root)] = (root, known)  # (the root held: its id is no other tree's)
    return known


def in_anothers_box(element) -> bool:
    """Whether `element` is inside a box of comments or related stories (`anothers_box`)."""
    return any(anothers_box(box) for box in element.iterancestors())


def _elements_outside_boxes(examine_elements):
    """htmldate's reading of the elements named for a date (`class="date"`...), inside
    `find_date` below past those in a box of comments or related stories: a page whose only
    dates were theirs was dated by the first. Only an element that gives a date is checked."""
    @wraps(examine_elements)
    def examine(elements, options):
        if getattr(_ours, "call", None) is None or not htmldate.core.has_plausible_candidates(
                elements):
            return examine_elements(elements, options)
        for element in elements:
            found = examine_elements([element], options)
            if found and not in_anothers_box(element):
                return found
        return None
    return examine


def _times_outside_boxes(examine_time_elements):
    """htmldate's reading of the page's `<time>`s, inside `find_date` below without those in
    a box of comments or related stories (from htmldate's own copy of the page)."""
    @wraps(examine_time_elements)
    def examine(tree, options):
        if getattr(_ours, "call", None) is not None:
            for element in tree.findall(".//time"):
                if element.getparent() is not None and in_anothers_box(element):
                    element.drop_tree()  # its tail stays
        return examine_time_elements(tree, options)
    return examine


def find_date(tree, language: str | None = None, **options) -> str | None:
    """`htmldate.find_date` (its default output format), its dateparser step in `LANGUAGES`
    and `language`, the page's; None for a year-only guess after a string went unread."""
    wrap_once(htmldate.extractors, "_external_date", _ours_inside)
    wrap_once(htmldate.core, "plausible_year_filter", _squeezed_inside)
    wrap_once(htmldate.core, "examine_elements", _elements_outside_boxes)
    wrap_once(htmldate.core, "examine_time_elements", _times_outside_boxes)
    htmldate.extractors.try_date_expr.cache_clear()  # may hold the other parser's parses
    call = _ours.call = _Call(language)
    try:
        with boxes_known():
            found = htmldate.find_date(tree, **options)
    finally:
        _ours.call = None
        if call.used:
            htmldate.extractors.try_date_expr.cache_clear()  # holds the parses made here
    if call.refused and found and found.endswith("-01-01"):
        return None  # the year of a date no parser read, not its day
    return found
