"""Title, authors, dates, language and canonical URL of a page.

trafilatura's metadata extractor does the generic work; the published date is taken at full
precision from `article:published_time`, JSON-LD or `<time datetime>` when the page gives one,
since htmldate returns the day only (a `<time>` more than a day from the date the URL is
filed under is an update's, and htmldate, which reads the URL, gives the day instead).
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from copy import deepcopy
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import islice, pairwise
from urllib.parse import unquote, urljoin, urlsplit

from htmldate.core import DATE_ATTRIBUTES, NAME_MODIFIED, PROPERTY_MODIFIED
from lxml import etree
from trafilatura.htmlprocessing import prune_unwanted_nodes
from trafilatura.metadata import extract_metadata, extract_metainfo, normalize_authors
from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS, AUTHOR_XPATHS

from . import jsonld
from .authors import (
    ARTICLES,
    MONTHS,
    OUTLET_WORDS,
    PARTICLES,
    ROLE_NOUNS,
    TEAM_WORDS,
    after_credit,
    clean_authors,
    clean_name,
    is_cjk_outlet,
    is_outlet,
    without_credit,
    without_filed_from,
    without_place,
)
from .chrome import remove
from .dates import (
    WRITTEN_DAY,
    anothers_box,
    boxes_known,
    find_date,
    in_anothers_box,
    written_date,
)
from .text import count_words, ideographic, norm_space

# Byline elements: `rel=author`, `itemprop=author`, or a class naming the author in English,
# French, German, Spanish or Portuguese (a Python walk: an XPath of `contains(@class, ...)`
# tests runs about twice as long).
_BYLINE_CLASSES = ("author", "byline")  # within a class name: "post-author", "bylines"
# ...and these whole words of a class name ("autor" is also the start of "autorefresh").
_BYLINE_CLASS_WORDS = frozenset({"auteur", "auteurs", "autor", "autora", "autores", "autorin",
                                 "autoren", "autore", "autori"})
_CLASS_WORDS = re.compile(r"[\s_-]+")
_NOT_BYLINES = frozenset({"meta", "link", "img"})
# A capital "Di" is the Italian label only before full names joined by "e" ("Di Marco Rossi
# e Giulia Bianchi"); otherwise it opens a surname ("Di Pietro", "Di Maio e Salvini").
_FULL_NAME = r"[A-ZÀ-Þ][\w'’.-]*(?:\s+[A-ZÀ-Þ][\w'’.-]*){1,3}"
_DI_BYLINE = rf"(?-i:Di(?=\s+{_FULL_NAME}(?:,\s+{_FULL_NAME})*\s+e\s+{_FULL_NAME}))"
# The label "Author:" in English, German, Polish, Spanish, Portuguese, French and Italian,
# only with its colon: "Autor des Buches ist ..." opens a sentence.
_AUTHOR_LABEL = (r"(?i:authors?|autor(?:in|innen|en|a|as|es|ka|zy)?|auteurs?|autore|autori)"
                 r"(?=\s*[:：])")
# A byline with no markup naming it: a short element whose own text opens with one of these
# (`_BYLINE` then reads it), "By Jane Doe", "Par Marie Dupont", "Автор: Иван Петров", "Text:
# Jane Doe" (a label "Text" only with its colon), "Autor: Jan Kowalski"; or after a credit
# for the pictures (`after_credit`: "Фото: Иван Петров. Текст: Анна Смирнова").
_OPENERS = (r"(?:Story|Written|Words|Reported|Reporting|Posted) [Bb]y\b"
            r"|By|BY|Von|VON|Par|PAR|Por|POR|Автор|АВТОР|Texto|Текст"
            # Italian "di Marco Rossi" (a capital "Di" opens a surname, but for
            # `_DI_BYLINE`), "Scritto da", "A cura di"
            rf"|di(?=\s+[A-ZÀ-Þ])|{_DI_BYLINE}|Scritto da\b|SCRITTO DA\b"
            r"|A cura di\b|A CURA DI\b"
            rf"|(?:Text|TEXT)[Ee]?(?=\s*[:：])|{_AUTHOR_LABEL}")
_BYLINE_OPENER = re.compile(rf"\s*({_OPENERS})")
# (a labelled "Author:" only in the story's head, `_under_headline`: deeper in the story it
# credits what the story is about, a book, a software module; and only with a name after it
# in its own text: "<span>Authors:</span> <a>...</a>, <a>...</a>" lists more names than the
# one element after the label holds)
_AUTHOR_OPENER = re.compile(rf"\s*{_AUTHOR_LABEL}\s*[:：]\s*(?=\S)")
_AUTHOR_LABEL_START = re.compile(rf"\s*{_AUTHOR_LABEL}")
# ... and on a page in Dutch, "Door Jan de Vries" ("by"): elsewhere "Door" opens an English
# heading as often ("Door Prizes Announced").
_DUTCH_BYLINE_OPENER = re.compile(rf"\s*({_OPENERS}|Door(?=\s+[A-ZÀ-Þ])|DOOR\b)")


def byline_opener(language: str | None) -> re.Pattern:
    """What opens a byline with no markup naming it on a page in `language`."""
    return _DUTCH_BYLINE_OPENER if language == "nl" else _BYLINE_OPENER


_TEXT_BYLINE_TAGS = ("p", "span", "div", "address", "small", "strong", "b", "em", "i", "font")


def _document(root: etree._Element) -> etree._Element:
    """The page's root element, as `//` searches it: a page that opens with neither <html>
    nor a doctype parses to a fragment root, its <head> and the rest outside it."""
    return root.getroottree().getroot()


def _byline_elements(root: etree._Element) -> Iterator[etree._Element]:
    body = _document(root).find("body")
    for element in body.iterdescendants(etree.Element) if body is not None else ():
        if element.tag in _NOT_BYLINES:
            continue
        names = element.get("class")
        if ((names is not None and (any(c in names for c in _BYLINE_CLASSES) or (
                "aut" in names and not _BYLINE_CLASS_WORDS.isdisjoint(
                    _CLASS_WORDS.split(names.lower())))))
                or element.get("rel") == "author" or element.get("itemprop") == "author"):
            yield element


_COMMENTS = re.compile(r"(?:^|[\s_-])(?:comments?|disqus)(?:$|[\s_-])", re.IGNORECASE)


def _elsewhere(element: etree._Element) -> bool:
    """Whether a byline element is a comment's or an aside's (related stories, a sidebar):
    its own or an ancestor's class or id names comments, or it is in an <aside>."""
    for node in (element, *element.iterancestors()):
        if node.tag == "aside" or _COMMENTS.search(
                f"{node.get('class') or ''} {node.get('id') or ''}"):
            return True
    return False


def _text_bylines(root: etree._Element, opener: re.Pattern = _BYLINE_OPENER
                  ) -> Iterator[etree._Element]:
    """The page's elements that open like a byline (`_opens_byline`), in page order."""
    body = _document(root).find("body")
    under: set[etree._Element] | None = None  # the story's head, read when first needed
    for element in body.iter(_TEXT_BYLINE_TAGS) if body is not None else ():
        if element.text is not None and (_AUTHOR_LABEL_START.match(element.text) or (
                not opener.match(element.text) and _LOWER_BY.match(element.text))):
            under = set(_under_headline(body)) if under is None else under
        if _opens_byline(element, under, opener):
            yield element


def _opens_byline(element: etree._Element, under: set[etree._Element] | None,
                  opener: re.Pattern = _BYLINE_OPENER) -> bool:
    """Whether the element's first text (its own, or else a child's tail) opens like a
    byline (`opener`: `byline_opener`; its own "Author:" only in the story's head, `under`);
    or its own text opens with a lower-case "by" and a capital, in the story's head
    (`_lower_byline`)."""
    text = element.text
    if text is not None:
        if opener.match(after_credit(text)):
            return not _AUTHOR_LABEL_START.match(text) or (
                under is not None and element in under and _AUTHOR_OPENER.match(text) is not None)
        return (under is not None and _LOWER_BY.match(text) is not None and element in under
                and _lower_byline(element))
    text = next((child.tail for child in element if child.tail is not None), None)
    return bool(text and opener.match(after_credit(text)))


# "by Jane Doe": a lower-case opener, no colon, a capital after it. As an element's own text
# only (never a child's tail: "<b>Sort</b> by: Most Popular"), in the story's head, by the
# headline (where a byline stands; a "by Price Range" filter is in a sidebar),
# opening its line ("Photo <span>by Jane Doe</span>", "Powered <i>by</i>" do not), outside
# the places that credit someone else or hold controls.
_LOWER_BY = re.compile(r"\s*by\s+(?=[A-Z])")
_NOT_BYLINE_PLACES = frozenset({"figure", "figcaption", "picture", "nav", "form", "label",
                                "button", "select", "option", "footer", "a", "blockquote",
                                "li", "td", "th", "cite"})
# A paragraph of this many words is the story's first (a byline comes before it), and so
# is the second of SENTENCE_WORDS or more (one may be a standfirst); and the story has
# begun once HEAD_WORDS words follow the headline (text in <div>s and <br>s).
LEDE_WORDS = 25
SENTENCE_WORDS = 8
HEAD_WORDS = 80


def _under_headline(body: etree._Element) -> list[etree._Element]:
    """The story's head: the elements of the block around the page's first <h1> (its
    highest ancestor below <body> without the story's start), and those after it up to
    that start: its first paragraph of LEDE_WORDS words or more, its second of
    SENTENCE_WORDS or more, or the element whose text brings the words after the headline
    to HEAD_WORDS; in page order, empty without an <h1>. One pass, as far as the start."""
    nodes: list[etree._Element] = []
    headline: int | None = None
    words = sentences = 0
    start = None
    for node in body.iter(etree.Element):
        if headline is not None:
            if node.tag == "p" and not _in_figure(node):  # a caption is no story paragraph
                length = count_words(" ".join(node.itertext()))
                sentences += length >= SENTENCE_WORDS
                if length >= LEDE_WORDS or sentences >= 2:
                    start = node
                    break
            words += count_words(node.text or "") + count_words(node.tail or "")
            if words >= HEAD_WORDS:
                start = node
                break
        elif node.tag == "h1":
            headline = len(nodes)
        nodes.append(node)
    if headline is None:
        return []
    story = set(start.iterancestors()) if start is not None else {body}
    block = nodes[headline]
    for ancestor in block.iterancestors():
        if ancestor in story or ancestor is body:
            break
        block = ancestor
    return nodes[nodes.index(block, 0, headline + 1):]


def _in_figure(element: etree._Element) -> bool:
    return any(node.tag in ("figure", "figcaption") for node in element.iterancestors())


def _lower_byline(element: etree._Element) -> bool:
    """Whether a "by ..." element may be a byline: it opens its line (`_opens_its_line`),
    and neither it nor an ancestor is one of `_NOT_BYLINE_PLACES` or named for a picture's
    credit or caption (`_CREDIT_NAMES`)."""
    for node in (element, *element.iterancestors()):
        if node.tag in ("body", "html"):  # a theme's body class says nothing of this one
            break
        if node.tag in _NOT_BYLINE_PLACES or _CREDIT_NAMES.search(
                f"{node.get('class') or ''} {node.get('id') or ''}"):
            return False
    return _opens_its_line(element) and not _after_a_picture(element)


def _after_a_picture(element: etree._Element) -> bool:
    """Whether a picture comes just before `element` in its box or its parent's ("<div>
    <img><p>by John Smith/Reuters</p></div>": the picture's credit, outside a <figure>)."""
    for node in (element, element.getparent()):
        previous = node.getprevious() if node is not None else None
        if previous is not None and isinstance(previous.tag, str) and (
                previous.tag in _PICTURES or next(previous.iter(*_PICTURES), None) is not None):
            return True
    return False


_PICTURES = ("img", "picture", "video", "svg")


# Names of the elements that credit a picture, not a story ("<span class=credit>by Jane
# Doe</span>" under an image outside a <figure>, "wp-caption-text").
_CREDIT_NAMES = re.compile(r"credit|caption", re.IGNORECASE)


def _opens_its_line(element: etree._Element) -> bool:
    """Whether no word ends just before `element` on its line (a block before it, a
    heading, is a line of its own)."""
    before = _before_on_line(element)
    return not before or not before[-1].isalpha()


def _before_on_line(element: etree._Element) -> str:
    """The text just before `element` on its line: the tail of an inline element before it
    (or that element's text), or its parent's text; "" after a block."""
    previous = element.getprevious()
    before = (previous.tail if previous is not None else element.getparent().text) or ""
    if (not before.strip() and previous is not None and isinstance(previous.tag, str)
            and previous.tag not in _LINE_BLOCKS):
        before = "".join(previous.itertext())
    return before.strip()


# The words that may join two names in a byline ("e" too, but it also joins Portuguese
# surnames: "Gonçalves e Silva" is one person).
_NAME_JOINERS = {"and", "und", "et", "y", "e", "и", "&"}
_NAME_SEPARATORS = re.compile(r";|、|\s&\s|\s(?:and|und|et|и)\s"
                              # a second name after a role: "王晓明 实习生 李华" (an intern)
                              r"|\s(?:实习生|實習生|通讯员|通訊員|见习记者|見習記者)\s")
# A joining word in capitals, as a byline in capitals has it ("JANE SMITH AND JOHN DOE"):
# two names only between full names, since a firm's name holds one too ("Johnson AND
# Johnson", "Marks AND Spencer" are no two people).
_CAPITAL_JOINER = re.compile(r"\s(?:AND|UND|ET|И)\s")
# "y" and "e" join two names only between full names: "Ana Gómez y Luis Pérez" are two
# people, "José Ortega y Gasset" and "Gonçalves e Silva" one. The Dutch "en" too, between two
# names each capitalised word by word (`_full_name`): it is also "in" in Spanish and French
# ("Jean Dupont, correspondant en Amérique latine").
_SHORT_JOINERS = re.compile(r"\s(y|e|en)\s")
# Words no name is made of: "By The Numbers", "Por Qué Importa", "Par Ailleurs" are
# subheadings, not bylines.
_NOT_NAME_WORDS = frozenset({"the", "a", "an", "of", "our", "this", "what", "why", "how", "le",
                             "la", "les", "des", "du", "ailleurs", "der", "die", "das", "den",
                             "el", "los", "las", "qué", "que", "o", "os", "um", "uma", "het",
                             "een"})
# A byline element with more words is an author box (a bio), not a byline.
MAX_BYLINE_WORDS = 8
_TITLE_SEPARATOR = re.compile(r"\s+[-|–—·•]\s+")
# A longer `<h1>` is a block of text, not a headline.
MAX_TITLE_WORDS = 40
# A heading the title tags repeat as their headline is at least this share of it ("Senate
# passes stopgap bill" of "Senate passes stopgap bill to fund the government through
# December"; not "Discord" of a title naming four companies).
HEADLINE_SHARE = 0.25
# ... and a heading one of their other parts repeats is at least this share of that part
# ("Politics" of "Story | Politics | Site"; not "Filmmaker" of "Filmmaker Magazine").
PART_SHARE = 0.5
_LANG = re.compile(r"^([a-zA-Z]{2,3})(?:[-_]|$)")
# Publication times in markup, after JSON-LD's: `<meta>` tags (read from the page's list of
# them), then these, each only when the ones before give none.
_DATE_METAS = (("property", "article:published_time"), ("name", "article:published_time"),
               ("itemprop", "datePublished"), ("name", "pubdate"), ("name", "publish-date"))
# (of the <time>s of one parent, the first, or the first after those of updates)
_DATE_XPATHS = tuple(etree.XPath(x) for x in ("//*[@itemprop='datePublished'][@datetime]",
                                              "//time[@datetime]"))
# A <time> that dates an update, not the publication: named for it (`class="updated"`,
# `itemprop="dateModified"`; WordPress names a story never updated "published updated"),
# or its line says so before or in it ("Updated <time>...", "<time>Updated March 12</time>",
# "Aktualisiert am", "Mis à jour le", "Обновлено").
_UPDATE_NAME = re.compile(r"updated|modified", re.IGNORECASE)
_UPDATE_LITERALS = ("updated", "modified", "aktualisiert", "mis à jour", "actualizado",
                    "atualizado", "aggiornato", "bijgewerkt", "обновлено", "更新")
_UPDATE_WORDS = re.compile(f"(?:{'|'.join(_UPDATE_LITERALS)})", re.IGNORECASE)
_UPDATE_LABEL = re.compile(rf"{_UPDATE_WORDS.pattern}(?:\s+\w+)?\W*$", re.IGNORECASE)
# A stamp's date as plain text after its label: "Updated: May 3, 2024", "Published
# 01.05.2024", "Posted on 2024-05-01", "Mis à jour le 3 mai 2024", "Обновлено: 3 мая 2024",
# "更新：2024年5月3日" (a date's shape: not "Posted 3 days ago").
_STAMP_LABEL_END = r"(?:\s*[:：]|\s+(?:on|am|le|el|em|il|op|в))?\s*"
_STAMP_DATE = (rf"{_STAMP_LABEL_END}(?:\d{{1,4}}[./-]\d{{1,2}}[./-]\d{{2,4}}|\d{{4}}年\d{{1,2}}月"
               rf"|{WRITTEN_DAY})")
# A label's word starts after no letter ("unpublished" holds none), or with a capital after
# one (a page's text runs its blocks together: "Council approves budgetUpdated: ..."); a
# Chinese label may follow other characters ("最后更新": last updated).
_LABEL_START = r"(?:(?<![a-zà-ÿа-яё])|(?-i:(?=[A-ZА-ЯЁ])))"
_PUBLISH_LITERALS = ("published", "posted", "veröffentlicht", "publié", "publicado",
                     "pubblicato", "gepubliceerd", "опубликовано", "发布", "發布", "公開")
_PUBLISH_WORDS = f"{_LABEL_START}(?:{'|'.join(_PUBLISH_LITERALS)})"
_PUBLISH_STAMP = re.compile(_PUBLISH_WORDS + _STAMP_DATE, re.IGNORECASE)
_UPDATE_STAMP_START = re.compile(_LABEL_START + _UPDATE_WORDS.pattern + _STAMP_DATE,
                                 re.IGNORECASE)
# An update's stamp, to the separator or the publication's label after it: "Updated: May 3,
# 2024 | Published: ...", "Updated 03.05.2024, Published 01.05.2024".
_UPDATE_STAMP = re.compile(rf"{_LABEL_START}{_UPDATE_WORDS.pattern}{_STAMP_DATE}"
                           rf"[^|·•]*?(?=\s*[|·•]|\s*{_PUBLISH_WORDS}|$)", re.IGNORECASE)
# A URL filed under a full date (/2022/11/09/) names the day of publication: a time element
# more than a day away from it (one day: the page's time zone against the URL's) marks
# another date, an update or a comment's, and htmldate (which reads the URL) decides.
_URL_DAY = re.compile(r"/((?:19|20)\d\d)[/-](0[1-9]|1[0-2])[/-](0[1-9]|[12]\d|3[01])(?=[/_.-]|$)")
URL_DAY_SLACK = 1
# `xml:lang` is a plain attribute of that name to the HTML parser (an XHTML page's)
_LANG_ATTRIBUTES = ("lang", "xml:lang", "{http://www.w3.org/XML/1998/namespace}lang")


@dataclass
class Metadata:
    title: str | None = None
    # the headline as the page shows it, before `_tidy_title` cut a site's name, a section
    # or a permalink's mark from it: what the body's copy of it reads (core._drop_title)
    shown_title: str | None = field(default=None, repr=False, compare=False)
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    language: str | None = None
    description: str | None = None
    site_name: str | None = None
    canonical_url: str | None = None
    og_type: str | None = None
    # htmldate's extensive-search day: not evidence for the classifier, used for articles.
    date_guess: str | None = None
    # (untouched tree copy, url, max date) for that search, run only once a page is an article.
    date_search: tuple | None = field(default=None, repr=False, compare=False)
    # what may name the site, folded (`outlet_names`): a byline may end with it
    outlets: frozenset[str] = field(default=frozenset(), repr=False, compare=False)
    # the bylines the chrome catalogue removed as stamps ("Written by Jane Doe"): read for
    # the author when nothing else names one
    removed_bylines: list[str] = field(default_factory=list, repr=False, compare=False)
    # closing cues the chrome pass left in the tree with no donation box after them: after
    # trafilatura they go without cutting the text after them (chrome.strip_blocks)
    left_alone: set[str] = field(default_factory=set, repr=False, compare=False)
    # ... and those with one: an appeal's opening, which cuts the appeal after it, with the
    # texts of the box it opens (the appeal's own blocks: chrome.strip_blocks)
    openings: dict[str, frozenset[str]] = field(default_factory=dict, repr=False,
                                                compare=False)
    # the first lines of the "By Jane Doe" elements in the untouched page's head, read
    # before those (`page_byline_lines`; only when no tag named a person)
    page_bylines: list[str] = field(default_factory=list, repr=False, compare=False)
    # the authors are the site's name from a tag: what a byline found later replaces
    site_authored: bool = False


def iso_datetime(value: object) -> str | None:
    """An ISO 8601 string for a date or datetime value, or None when it does not parse."""
    text = norm_space(str(value or ""))
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if len(text) <= 10:
        return parsed.date().isoformat()
    return parsed.isoformat(timespec="seconds").replace("+00:00", "Z")


def head_elements(root: etree._Element) -> list[etree._Element]:
    """The page's `<meta>` and `<link>` elements, in page order: one walk for all the
    metadata read from them (an XPath each took about as long as the walk)."""
    return list(_document(root).iter("meta", "link"))


def published_date(root: etree._Element, ld_article: dict | None,
                   heads: list[etree._Element], url: str = "") -> str | None:
    """Full-precision publication time from the page's schema and meta tags, else from its
    markup where that agrees with the day the URL is filed under (None: not found)."""
    first = [ld_article.get("datePublished")] if ld_article else []
    first += [e.get("content") for e in heads if e.tag == "meta" and e.get("content") is not None
              and any(e.get(key) == value for key, value in _DATE_METAS)]
    for candidate in first:
        if (found := iso_datetime(candidate)) and _possible_day(found):
            return found
    filed = _url_day(url)
    with boxes_known():
        for element in (found for xpath in _DATE_XPATHS for found in xpath(root)):
            if _dates_update(element) or in_anothers_box(element) or (
                    element.tag == "time" and any(
                        not _dates_update(other)
                        for other in element.itersiblings("time", preceding=True)
                        if other.get("datetime") is not None)):
                continue
            found = iso_datetime(element.get("datetime"))
            if found and _possible_day(found) and (filed is None or abs(
                    (date.fromisoformat(found[:10]) - filed).days) <= URL_DAY_SLACK):
                return found
    return None


# A day no story was published on: later than tomorrow (a typo's year, "2042": the date
# search's `max_date`, with a day for a site east of here), before 1900 ("0024", a year cut
# short), or a system's zero day (Unix time 0, SQL Server's empty date), which a CMS writes
# for a story it has no date for. The next source is read instead.
_ZERO_DAYS = frozenset({"1970-01-01", "1900-01-01"})


def _possible_day(found: str) -> bool:
    """Whether the ISO 8601 `found` can be the day a story was published."""
    day = found[:10]
    latest = (date.today() + timedelta(days=1)).isoformat()
    return "1900" <= day <= latest and day not in _ZERO_DAYS


def _dates_update(element: etree._Element) -> bool:
    """Whether a time element dates an update (`_UPDATE_NAME`, `_UPDATE_LABEL`)."""
    if element.get("itemprop") == "datePublished":
        return False
    names = f"{element.get('class') or ''} {element.get('itemprop') or ''}"
    if _UPDATE_NAME.search(names):  # "entry-date published updated": both, as first posted
        return "publish" not in names.lower()
    own = (element.text or "").lstrip()
    return bool(_UPDATE_WORDS.match(own) or _UPDATE_LABEL.search(_before_on_line(element)))


def _updates_hidden(root: etree._Element) -> etree._Element:
    """`root`, or a copy without the text of its update stamps when a publication's stamp
    follows one ("Updated: May 3, 2024" above "Published: May 1, 2024", as plain text):
    htmldate takes the first date it meets, the update's. An update's stamp stays where it
    is the page's only one: alone, or beside a publication's date in the story's prose ("The
    report was published 1 March 2019") or further down (a comment's "Posted on ...")."""
    shown = root.text_content()
    lowered = shown.lower()
    ends = [m.end() for m in _stamps(shown, lowered, _UPDATE_LITERALS, _UPDATE_STAMP_START)]
    if not ends or not any(_stamp_after(match.start(), ends, shown) for match in _stamps(
            shown, lowered, _PUBLISH_LITERALS, _PUBLISH_STAMP)):
        return root
    tree = deepcopy(root)
    for element in tree.iter():
        for name in ("text", "tail"):
            value = getattr(element, name)
            if value and _UPDATE_STAMP.search(value):
                setattr(element, name, _UPDATE_STAMP.sub("", value))
    return tree


# A publication's stamp is read this far (characters of the page's text) after an update's;
# after a lower-case word it is prose ("was published 1 March 2019"), not a label.
_STAMP_NEAR = 300
_PROSE_BEFORE = re.compile(r"\b[a-zà-ÿа-яё]\w*\s+$")


def _stamp_after(start: int, ends: list[int], text: str) -> bool:
    """Whether a publication's stamp at `start` of `text` is a label close after the end of
    an update's stamp (one of `ends`), or the rest of its line ("Updated 5 March 2024, first
    published 3 March 2024": `_PAIRED`)."""
    near = [end for end in ends if 0 <= start - end <= _STAMP_NEAR]
    return bool(near) and (_labels(text, start)
                           or any(_PAIRED.fullmatch(text, end, start) for end in near))


# What joins an update's stamp (its day, and maybe its time) to the first publication's on
# one line: a separator and "first" or "originally" ("Updated 5 March 2024 14:02 GMT, first
# published 3 March 2024"), which `_labels` reads as prose ("The report, first published").
_PAIRED = re.compile(r"(?:[\s,]*(?:at\s+)?\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?\s*(?:[a-z]{2,5}\b)?)?"
                     r"[\s,;|·•]*(?:first|originally|initially)\s+", re.IGNORECASE)


# A comma or a bracket before a label's word in lower case: a clause of the prose ("The
# report, published March 1, 2019, found...", "(published March 1, 2019)").
_CLAUSE_BEFORE = re.compile(r"[,(]\s*$")


def _labels(text: str, start: int) -> bool:
    """Whether the stamp's word at `start` of `text` is a label, not the prose's: after no
    lower-case word ("was published 1 March 2019"), and in lower case after no comma or
    bracket ("The report, published March 1, 2019, found...")."""
    before = text[max(0, start - 40):start]
    return not _PROSE_BEFORE.search(before) and not (
        text[start:start + 1].islower() and _CLAUSE_BEFORE.search(before))


def _stamps(text: str, lowered: str, words: tuple[str, ...],
            stamp: re.Pattern) -> Iterator[re.Match]:
    """The matches of `stamp` in `text` where one of its label's `words` starts, found in
    `lowered` (`text` lower-cased) by a substring search: a regex search of a page's whole
    text took about 5 ms."""
    for word in words:
        at = lowered.find(word)
        while at >= 0:
            match = stamp.match(text, at)
            if match:
                yield match
            at = lowered.find(word, at + 1)


def _url_day(url: str) -> date | None:
    """The date a URL's path is filed under, if it names a whole one."""
    match = _URL_DAY.search(urlsplit(url).path)
    try:
        return date(*map(int, match.groups())) if match else None
    except ValueError:  # 2023/02/30
        return None


def language(root: etree._Element, heads: list[etree._Element],
             content_language: str | None = None) -> str | None:
    """ISO 639-1 code from `<html lang>`, Content-Language or og:locale."""
    top = _document(root)
    values = [top.get(name) for name in _LANG_ATTRIBUTES] if top.tag == "html" else []
    values += [e.get("content") for e in heads if e.tag == "meta" and (
        e.get("property") == "og:locale" or e.get("http-equiv") == "content-language")]
    for value in [*(v for v in values if v is not None), content_language or ""]:
        match = _LANG.match(value.strip())
        if match and len(match.group(1)) == 2:
            return match.group(1).lower()
    return None


# The labels a byline's names follow ("By", "Von", "Текст:", "Written by").
_OPENER_WORDS = (r"(?:by|von|par|por|(?-i:di)|автор[ыа]?|текст|texte?|texto|scritto da|a cura di"
                 r"|(?:story|written|words|reported|reporting|posted) by)")
# (and "Door", which only a page in Dutch lets open a byline: `byline_opener`)
_BYLINE = re.compile(rf"^({_OPENER_WORDS}|{_DI_BYLINE}|door|{_AUTHOR_LABEL})[:\s]+(?=\w)",
                     re.IGNORECASE)
_DI_LABEL = re.compile(rf"^\s*{_DI_BYLINE}\s+")
_MONTH = MONTHS.replace("(", "(?:")
_WEEKDAY = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+"
# What ends a byline's names on its line: a date or the outlet after a separator ("By Jane
# Doe · November 25, 2026", "By Jane Doe | The Gazette"), a date after "on", "published",
# "updated", "posted" ("By Jane Doe on 04-ago-2021 5:11"), or a comma and a date; a
# separator that ends the line ("By Jane Doe | <time>...</time>": the date is a line of its own).
_BYLINE_END = re.compile(r"\s+[|·•●▪◆—–]\s+|\s+-\s+|\s*[|·•●▪◆—–-]$"
                         r"|\s+(?:on|published|updated|posted)\b:?(?=[^|·•]*\d)"
                         rf"|,\s+(?=(?:{_WEEKDAY})?(?:(?:{_MONTH})\.?\s+\d"
                         rf"|\d{{1,2}}\.?\s+(?:{_MONTH})\b"
                         r"|\d{4}-\d\d-\d\d|\d{1,2}/\d{1,2}/\d{2,4}))"
                         # a full date run in with no separator, as a byline's text reads
                         # once its elements are joined ("By Jane Doe December 2, 2025")
                         rf"|\s+(?=(?:{_WEEKDAY})?(?:(?:{_MONTH})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?"
                         rf"\s+\d{{4}}|\d{{1,2}}\.?\s+(?:{_MONTH})\.?,?\s+\d{{4}}"
                         r"|\d{4}-\d\d-\d\d|\d{1,2}/\d{1,2}/\d{2,4})\b)", re.IGNORECASE)


def _split_full_names(part: str, dutch: bool = True) -> list[str]:
    """`part` split at a "y" or "e" standing between two names of two words or more, or
    with `dutch` at an "en" between two full names (`_full_name`), the byline's label not
    one of their words ("Door Jan en Piet de Vries" and "Por Ana y Luis Pérez" name a pair
    of one surname)."""
    pieces = _SHORT_JOINERS.split(part)
    names, current = [], pieces[0]
    for joiner, piece in zip(pieces[1::2], pieces[2::2], strict=True):
        first = _BYLINE.sub("", current.strip())  # the label a byline may still open with
        if len(first.split()) >= 2 and len(piece.split()) >= 2 and (joiner != "en" or (
                dutch and _full_name(first) and _full_name(piece))):
            names.append(current)
            current = piece
        else:
            current = f"{current} {joiner} {piece}"
    return [*names, current]


def _split_commas(part: str) -> list[str]:
    """`part` split at its commas when every piece is a full name ("Carlos Medina, Jolie
    McCullough"); as it is otherwise ("Doe, Jane", "Shelby Loos, DVM", "Smith, Jones",
    "Jane Doe, Associated Press", "Maria Garcia, Mexico City")."""
    pieces = [norm_space(piece) for piece in part.split(",")]
    if len(pieces) > 1 and all(_full_name(piece) and not is_outlet(piece) for piece in pieces):
        return pieces
    return [part]


def _names_outlet(name: str, outlets: frozenset[str]) -> bool:
    """Whether an author's name is the site's (`outlets`, folded), with or without its
    spaces and punctuation ("Levitate Media" of levitatemedia.com); never a person's name
    (two to four capitalised words, none an outlet's): a personal site's name is its
    author's ("Jane Doe" of janedoe.com)."""
    folded = _fold(name).strip(" ,;|-")
    if _full_name(name) and not is_outlet(name):
        return False
    return folded in outlets or re.sub(r"\W+", "", folded) in outlets


def _signed_by_outlet(name: str, outlets: frozenset[str]) -> bool:
    """Whether an author tag's name is an outlet's, which a byline naming a person replaces:
    the site's (`_names_outlet`), the site's but for its article ("Kyiv Rapid" of "The Kyiv
    Rapid": no one's name starts with "The"), or another outlet's ("Reuters Staff",
    "Associated Press", "新华网"), once labels and roles are gone ("Jane Doe (Reuters)" is
    Jane Doe's). Not a team's alone ("The Investopedia Team", "TOI Lifestyle Desk"): the
    site signs its story so, and a byline element beside it is as often a link ("Full
    Bio") or another story's (WCXB's annotators keep the team)."""
    cleaned = clean_name(name)
    return (_names_outlet(name, outlets) or (cleaned is not None and (
                is_outlet(cleaned, _OUTLET_NAME_WORDS) or is_cjk_outlet(cleaned)))
            or _fold(name).strip(" ,;|-") in _after_articles(outlets))


# The words of an outlet's name, not of a team's ("Staff", "Desk", "Team").
_OUTLET_NAME_WORDS = OUTLET_WORDS - TEAM_WORDS


def _after_articles(outlets: frozenset[str]) -> set[str]:
    """The names among `outlets` that open with an article, without it ("kyiv rapid" of
    "the kyiv rapid", "welt" of "die welt")."""
    return {rest for article, _, rest in (outlet.partition(" ") for outlet in outlets)
            if rest and article in ARTICLES}


def _persons(names: list[str], outlets: frozenset[str]) -> list[str]:
    """The names that are not the site's, none when one is (the site signs its bylines).
    A site's name of two words or more is cut from a name's start or end ("Brian Truitt
    USA TODAY"); a name it holds ("Human" of "Human in the Loop") is dropped."""
    if any(_names_outlet(name, outlets) for name in names):
        return []
    long = sorted((outlet.split() for outlet in outlets if " " in outlet), key=len,
                  reverse=True)
    spaced_outlets = [f" {' '.join(outlet)} " for outlet in long]
    found = []
    for name in names:
        words, folded = name.split(), _fold(name).split()
        for outlet in long:  # the longest first: "The Daily Example" before "Daily Example"
            if folded[-len(outlet):] == outlet:
                words, folded = words[:-len(outlet)], folded[:-len(outlet)]
            elif folded[:len(outlet)] == outlet:
                words, folded = words[len(outlet):], folded[len(outlet):]
            else:
                continue
            if len(words) < 2:  # "Sponsored" of "Help Net Security Sponsored": a label
                words = []
            break
        spaced = f" {' '.join(folded)} "
        if words and not any(spaced in outlet for outlet in spaced_outlets):
            found.append(" ".join(words))
    return list(dict.fromkeys(found))


def _full_name(text: str) -> bool:
    """Two to four words, each capitalised (a particle such as "de" or "van" aside), none a
    role ("Staff Writer", "Ph.D. Director"), the first not "The" (an outlet's)."""
    words = text.split()
    return (2 <= len(words) <= 4 and words[0][:1].isupper() and words[-1][:1].isupper()
            and words[0].casefold() != "the"  # "The Commercial Appeal"
            and all(word[:1].isupper() or word in PARTICLES for word in words)
            and not any(word.lower().strip(".,") in _ROLE_WORDS for word in words))


_ROLE_WORDS = ROLE_NOUNS | TEAM_WORDS




def split_authors(value: str | None, language: str | None = None) -> list[str]:
    """Author names from a byline; trafilatura joins several with '; '. `language`: the
    page's, in which "en" may be "in", not the Dutch "and" (`_EN_IS_IN`)."""
    value = _DI_LABEL.sub("", value or "", count=1)  # read whole: its names are joined
    dutch = not _FOREIGN_OPENER.match(value) and language not in _EN_IS_IN
    names = [norm_space(n) for joined in _NAME_SEPARATORS.split(value)
             for part in _capital_joined(joined)
             for piece in _korean_names(part) or _chinese_names(part) or _split_commas(part)
             for n in _split_full_names(piece, dutch)]
    names = [without_filed_from(_BYLINE.sub("", n) if len(n.split()) > 1 else n, dutch)
             for n in names]
    if _DATELINE_OPENER.match(value or ""):  # "Von Hans Müller, Berlin"
        names = [without_place(name) for name in names]
    if len(names) > 1 and not all(map(_agency, names)):  # "Par Jean Dupont et AFP"
        names = [name for name in names if not _agency(name)]
    return list(dict.fromkeys(n for n in names if n))


def _capital_joined(text: str) -> list[str]:
    """The names `text` joins with a capital "AND" (`_CAPITAL_JOINER`), if each is a full
    name of two words or more; else `text` whole."""
    parts = _CAPITAL_JOINER.split(text)
    return parts if all(len(part.split()) >= 2 for part in parts) else [text]


def _agency(name: str) -> bool:
    """Whether a byline's name is an agency's word alone ("AFP", "Reuters", "dpa"): beside
    a writer's name ("Par Jean Dupont et AFP") it is the source the writer drew on, no
    co-author."""
    return len(name.split()) == 1 and is_outlet(name)


# A Chinese byline of several reporters a space apart after the label "记者" (a reporter), each
# name of two to four characters: "记者 王晓明 李华", "本报记者 王晓明 李华". Only the simplified
# label: Japanese writes "記者", and a space between a Japanese family name and given name
# ("記者 山田 太郎") is one person's.
_CHINESE_NAMES = re.compile(r"\s*(?:本报|新华社)?(?:特约)?记者\s*[:：]?\s*"
                            r"([\u4e00-\u9fff]{2,4}(?:\s+[\u4e00-\u9fff]{2,4})+)\s*")


def _chinese_names(part: str) -> list[str]:
    """The names of a Chinese byline of two reporters or more a space apart
    (`_CHINESE_NAMES`), none otherwise: Chinese writes a name without a space."""
    found = _CHINESE_NAMES.fullmatch(part)
    return found[1].split() if found else []


# A Korean byline of several reporters, each name (two to four syllables) with or without
# its role after it: "김민수·이영희 기자", "김민수 이영희 기자", "김민수 기자, 이영희 기자".
_KOREAN_ROLE = re.compile(r"\s*(?:선임기자|객원기자|수습기자|기자|특파원)(?![가-힣])")
_KOREAN_NAMES = re.compile(r"[가-힣]{2,4}(?:(?:\s*[·・,、/]\s*|\s+)[가-힣]{2,4})+")


def _korean_names(part: str) -> list[str]:
    """The names of a Korean byline of two reporters or more (`_KOREAN_NAMES`), none
    otherwise: Korean writes a name without a space, so each run of syllables is one; not
    the desk before them ("사회부 김민수 기자": the society desk's reporter)."""
    bare = norm_space(_KOREAN_ROLE.sub(" ", part))
    if not _KOREAN_NAMES.fullmatch(bare) or _KOREAN_PLACE.search(part):
        return []
    names = re.findall(r"[가-힣]+", bare)
    if any(_KOREAN_TITLE.fullmatch(name) for name in names):  # "김민수 논설위원": one writer
        return []
    names = names[1:] if _KOREAN_DESK.search(names[0]) else names
    return [name for name in names if not is_cjk_outlet(name)]


_KOREAN_DESK = re.compile(r"(?:부|팀|데스크)$")
# A title or a role that is not a reporter's (a columnist's, a professor's), written as a run
# of syllables after or before one name: "김민수 논설위원", "김민수 서울대 교수",
# "정치부 차장 김민수".
_KOREAN_TITLE = re.compile(
    r"(?:논설위원|편집위원|위원|교수|차장|부장|국장|대기자|에디터|사진|영상)$")
# The place a correspondent files from, before the one name: "워싱턴 김민수 특파원",
# "워싱턴/김민수 특파원" (two correspondents are joined by "·" or a comma).
_KOREAN_PLACE = re.compile(r"^\s*[가-힣]{2,4}(?:\s+|\s*/\s*)[가-힣]{2,4}\s*특파원\s*$")


# The openers of bylines in other languages than Dutch, after which "en" is no "and": the
# Spanish and French "in" ("Por María López en Madrid"), or a Spanish place's word after an
# English "By" ("By Maria Lopez en Nueva York"). A Dutch byline opens with "Door" or none.
_FOREIGN_OPENER = re.compile(rf"\s*{_OPENER_WORDS}[:\s]", re.IGNORECASE)
# The languages in which "en" is "in", never "and": on a page in one of them, a byline with
# no label ("María López en Nueva York") names one writer and the place filed from.
_EN_IS_IN = frozenset({"es", "fr", "ca"})
# The openers of bylines that put the place filed from after the name, in German, Spanish,
# Portuguese and French ("Von Hans Müller, Berlin", "Por María José García, Madrid").
_DATELINE_OPENER = re.compile(r"\s*(?:von|por|par)\s", re.IGNORECASE)


def canonical(heads: list[etree._Element], url: str) -> str | None:
    """`<link rel=canonical>` or `og:url`, whichever comes first with a value."""
    href = next((h.strip() for h in map(_canonical_href, heads) if h and h.strip()), None)
    try:
        return urljoin(url, href) if href else None
    except ValueError:  # no URL: "http://[::1/x", a template's "https://[domain]/story"
        return None


def _canonical_href(element: etree._Element) -> str | None:
    if element.tag == "link":
        return element.get("href") if element.get("rel") == "canonical" else None
    return element.get("content") if element.get("property") == "og:url" else None


def meta_tags(heads: list[etree._Element]) -> dict[str, list[str]]:
    """The page's `<meta>` contents by property and by name, in page order (read once)."""
    tags: dict[str, list[str]] = {}
    for element in heads:
        content = element.get("content") if element.tag == "meta" else None
        if content is None:
            continue
        for key in {element.get("property"), element.get("name")} - {None}:
            tags.setdefault(key, []).append(content)
    return tags


def _meta(tags: dict[str, list[str]], *names: str) -> str:
    """The first non-empty `<meta>` content among `names` (property or name)."""
    for name in names:
        for value in tags.get(name, ()):
            if norm_space(value):
                return norm_space(value)
    return ""


def headline(root: etree._Element, references: list[str], site_name: str = "",
             url: str = "") -> str | None:
    """The page's `<h1>` that the title tags repeat, else an `<h2>` they repeat as their
    headline, else its first `<h1>`; never the site's name where another heading is the
    story's.

    The headline as shown is what readers (and the corpus) call the title; `og:title` and
    `<title>` often add the site name, a section or a tagline around it. A title tag's
    headline is the whole of it, its longest part between separators and the longer side
    of a "Name: Story" split; its other parts name the site or a section. An `<h1>` is
    repeated when it is at least `HEADLINE_SHARE` of a headline (the most of one first,
    then the one most title tags hold), else when it is at least `PART_SHARE` of another
    part. Many blogs and magazines set their name in an `<h1>` above the story's (or make
    the story's an `<h2>`): that `<h1>` is passed over for a heading the title tags hold
    that is not the site's name, and with none, for the title tags' own headline (None).
    """
    shapes = [_title_shapes(ref) for ref in references if ref]
    heads = _headings(root, "h1", _whole_headlines(references))
    if not heads:
        return None
    subheads = _headings(root, "h2")
    sites = _site_names(site_name, references, url, {_fold(h) for h in [*heads, *subheads]})
    coverage = {head: _coverage(_fold(head), shapes) for head in heads}
    repeated = sorted((head for head in coverage if coverage[head][0] >= HEADLINE_SHARE),
                      key=coverage.__getitem__, reverse=True)
    repeated += [head for head in coverage if coverage[head][2] and head not in repeated]
    stories = [head for head in repeated or heads if not _is_site(head, sites)]
    if repeated and stories:
        return stories[0]
    # an <h2> the title tags give as their headline, unless an <h1> is a longer form of it
    headlines = {part for main, _ in shapes for part in main}
    folded = [_fold(story) for story in stories]
    subheads = [head for head in dict.fromkeys(subheads)
                if _fold(head) in headlines and not _is_site(head, sites)
                and not any(_fold(head) in story for story in folded)]
    if subheads:
        return subheads[0]
    if stories and not repeated:
        return stories[0]
    # the title tags repeat only the site's name of the <h1>s: their headline, if they
    # hold one beside it
    return None if _titles_hold_more(references, sites) else heads[0]


def _shown(heading: str, references: list[str], subheads: list[str]) -> str:
    """The `<h2>` that is a title tag's longest part where the `<h1>` is that title tag
    whole with its separators, site and section: a copy of `<title>` for screen readers
    or search engines over the headline as shown ("Story | Section | Site" over "Story");
    else the `<h1>`."""
    folded = _fold(heading)
    for ref in (ref for ref in references if ref and _fold(norm_space(ref)) == folded):
        parts = _TITLE_SEPARATOR.split(norm_space(ref))
        story = _fold(max(parts, key=len))
        shown = next((head for head in subheads if _fold(head) == story), None)
        if len(parts) > 1 and shown:
            return shown
    return heading


# A heading of at most this many words may be a label over the story, not its headline.
MAX_LABEL_WORDS = 4
_WORD = re.compile(r"\w{3,}")


def _label(heading: str, references: list[str], sites: set[str]) -> bool:
    """Whether a heading of at most `MAX_LABEL_WORDS` words shares no word of three letters
    or more with the story's own titles (og:title and the JSON-LD headline, their parts
    between separators that do not name the site: `sites`, folded), while there is one:
    "Breaking News" over a story whose og:title says "Council approves budget - Example
    News". Not a `<title>` alone, which may name no story ("Category | Site"). Never one
    in Chinese or Japanese, whose words no space sets apart."""
    words = set(_WORD.findall(_fold(heading)))
    og_title, _, ld_title = references
    told = [part for ref in (og_title, ld_title) if ref
            for part in _TITLE_SEPARATOR.split(ref) if not _is_site(part, sites)]
    return bool(told and words) and len(heading.split()) <= MAX_LABEL_WORDS and not (
        ideographic(heading)) and not any(words & set(_WORD.findall(_fold(ref))) for ref in told)


def _title_shapes(title: str) -> tuple[list[str], list[str]]:
    """(a title tag's headlines, its other parts), folded: the whole title, its longest
    part between separators and the longer side of a "Name: Story" split; the rest."""
    parts = [norm_space(part) for part in _TITLE_SEPARATOR.split(title)]
    longest = max(range(len(parts)), key=lambda i: len(parts[i]))
    head, colon, rest = (norm_space(side) for side in title.partition(": "))
    main = [norm_space(title), parts[longest], *([max(head, rest, key=len)] if colon else [])]
    minor = [part for i, part in enumerate(parts) if i != longest]
    minor += [min(head, rest, key=len)] if colon else []
    return [_fold(part) for part in main if part], [_fold(part) for part in minor if part]


def _coverage(heading: str, shapes: list[tuple[list[str], list[str]]]
              ) -> tuple[float, int, bool]:
    """(the largest share of a title tag's headline the heading is, how many title tags'
    headlines hold it, whether it is at least `PART_SHARE` of another part), all folded;
    `shapes`: each title tag's `_title_shapes`."""
    shares = [max((len(heading) / len(part) for part in main if heading in part), default=0.0)
              for main, _ in shapes]
    part = any(heading in minor and len(heading) >= PART_SHARE * len(minor)
               for _, parts in shapes for minor in parts)
    return max(shares, default=0.0), sum(share > 0 for share in shares), part


def _whole_headlines(references: list[str]) -> frozenset[str]:
    """Each title tag whole and its longest part between separators, folded (never a side
    of a colon, which may be a kicker the heading holds on a line of its own)."""
    parts = (norm_space(ref) for ref in references if ref)
    return frozenset(_fold(shape) for part in parts for shape in (
        part, max(map(norm_space, _TITLE_SEPARATOR.split(part)), key=len)))


def _headings(root: etree._Element, tag: str,
              headlines: frozenset[str] = frozenset()) -> list[str]:
    """The texts of the page's `tag` headings, their lines (`<br>`, a block, a `<time>`)
    apart (`_joined`); of a heading of several lines, the line that is one of `headlines`
    (folded: a title tag whole, or its longest part between separators) and its longest
    line, or with only a date or a byline beside it: "Dec 18 2025 / The Story", "The Story
    / Posted on July 1, 2024 by Jane" (not "Breaking News" over the story's headline)."""
    found = []
    for heading in root.iter(tag):
        split = next(heading.iterdescendants(*_LINE_BLOCKS), None) is not None
        lines = list(_lines(heading)) if split else [norm_space(heading.text_content())]
        text = _joined(lines)
        spaced = next((joined for joined in (" ".join(lines), "\u3000".join(lines))
                       if _fold(joined) in headlines), None) if len(lines) > 1 else None
        text = spaced or text  # as a title tag writes it ("東京で記録的大雨　交通に影響")
        longest = max(map(len, lines), default=0)
        named = [line for line in lines if _fold(line) in headlines and (
            len(line) == longest or all(other == line or stamp_line(other) for other in lines)
        )] if len(lines) > 1 else []
        found.append(_numeric_decoded(named[0] if named else text))
    return [h for h in found if h and len(h.split()) <= MAX_TITLE_WORDS]


# A heading's line that is a date or a byline, not words of the headline: "By Jane Doe",
# "Posted on July 1, 2024", "Wednesday, December 18, 2025", "Dec 18 2025", "18.12.2025".
_STAMP_LINE = re.compile(
    r"(?:(?:by|posted|published|updated|written|von|par|por)\b"
    rf"|(?:{_WEEKDAY})?(?:{_MONTH})\.?\s+\d|\d{{1,2}}\.?\s+(?:{_MONTH})\b"
    r"|\d{4}-\d\d-\d\d|\d{1,2}[./]\d{1,2}[./]\d{2,4})", re.IGNORECASE)


def stamp_line(line: str) -> bool:
    """Whether a heading's line is a date or a byline (`_STAMP_LINE`)."""
    return _STAMP_LINE.match(line) is not None


def _joined(lines: list[str]) -> str:
    """A heading's lines as one: a space apart, but none before punctuation ("on Monday,"
    of "on <time>Monday</time>,") or between Chinese or Japanese characters."""
    text = lines[0] if lines else ""
    for line in lines[1:]:
        glued = line[0] in _GLUED or (ideographic(text[-1]) and ideographic(line[0]))
        text = f"{text}{line}" if glued else f"{text} {line}"
    return text


_GLUED = frozenset(",.;:!?)]}%…、。，：；！？）」』")


_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-f]+|[a-z]+\d*);", re.IGNORECASE)


def _decoded(text: str) -> str:
    """A title whose markup was escaped twice ("Full &amp;#038; Part Time" in the page's
    source, "Full &#038; Part Time" once parsed) with its entities decoded."""
    return html.unescape(text) if _ENTITY.search(text) else text


_NUMERIC_ENTITY = re.compile(r"&#(?:\d+|x[0-9a-f]+);", re.IGNORECASE)


def _numeric_decoded(text: str) -> str:
    """A heading whose character references were escaped twice ("&amp;#038;" in the
    source) with them decoded; a named one stays as shown ("What does &amp;nbsp; mean?" on
    a page about HTML)."""
    return _NUMERIC_ENTITY.sub(lambda found: html.unescape(found[0]), text)


def _fold(text: str) -> str:
    """Case-folded, typographic quotes made straight: how headings and titles compare."""
    return text.translate(_STRAIGHT).casefold()


_STRAIGHT = str.maketrans("‘’‚‛“”„‟", "'" * 4 + '"' * 4)


def _site_names(site_name: str, references: list[str], url: str,
                headings: set[str]) -> set[str]:
    """What names the site rather than the story, folded: `og:site_name`; the last part of
    a title tag split at a separator and the first part of one split at ": ", each when
    another part is longer ("Site - The Story" is no site called "The Story") and when a
    heading (`headings`: the <h1> and <h2> texts, folded) holds the other part or og:title
    or the JSON-LD headline leaves it out; and the host's names ("example" of
    www.example.com, with or without spaces). `references`: og:title, <title>, JSON-LD."""
    names = {_fold(site_name)} if site_name else set()
    og_title, _, ld_title = references
    for ref in filter(None, references):
        parts = [norm_space(part) for part in _TITLE_SEPARATOR.split(ref)]
        guesses = [(parts[-1], parts[:-1])] if len(parts) > 1 and len(parts[-1]) < max(
            map(len, parts)) else []
        head, colon, rest = ref.partition(": ")
        guesses += [(norm_space(head), [rest])] if colon and len(head) < len(rest) else []
        # a guess from a title's parts needs a heading with the title's other part, or a
        # second title naming the story without it: "Site | Story" with a short story, an
        # <h1> "Story" and nothing else is no site called "Story"
        names.update(_fold(guess) for guess, others in guesses if any(
            _fold(norm_space(other)) in headings for other in others) or any(
            title and _fold(guess) not in _fold(title) for title in (og_title, ld_title)))
    names.update(_host_names(url))
    return names - {""}


def _host_names(url: str) -> set[str]:
    """The names a site's host gives it: news.example.com gives "news.example.com",
    "news", "example" and "newsexample"; an internationalised host's in its letters
    (xn--bcher-kva.de, as Scrapy requests it, gives "bücher")."""
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    if "xn--" in host:
        with suppress(UnicodeError):  # not a valid IDNA name: its labels as they are
            host = host.encode("ascii").decode("idna")
    labels = host.split(".")[:-1]
    return {host, *labels, "".join(labels)}


def _own_names(url: str) -> set[str]:
    """The host's names that are the site's own: the whole host, the label before its
    suffix, and its labels run together; not a subdomain's ("uk", "chicago" of
    chicago.example.com name a place)."""
    names = _host_names(url)
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    labels = host.split(".")[:-1]
    return names - set(labels[:-1]) if len(labels) > 1 else names


def _is_site(heading: str, sites: set[str]) -> bool:
    folded = _fold(heading)
    return folded in sites or re.sub(r"\W+", "", folded) in sites


def _titles_hold_more(references: list[str], sites: set[str]) -> bool:
    """Whether a title tag holds words besides the site's name."""
    return any(_fold(part) not in sites
               for ref in references if ref for part in _TITLE_SEPARATOR.split(ref) if part)


def byline_authors(root: etree._Element, story_only: bool = False,
                   language: str | None = None) -> list[str]:
    """Names from the page's short byline elements (`rel=author`, an `author`/`byline`
    class, in English, French, German, Spanish or Portuguese); none when they name more
    than two people: bylines of a list of teasers. `story_only`: none of a comment's or
    an aside's (`_elsewhere`); `language`: the page's (`split_authors`)."""
    short = (element for element in _byline_elements(root)  # (text_content: in C, and never
             if len(element.text_content().split()) <= MAX_BYLINE_WORDS  # more words)
             and not (story_only and _elsewhere(element)))
    return _at_most_two(split_authors(text, language) for text in (
        " ".join(_lines(element, apart=True)) for element in short)
        if 0 < len(text.split()) <= MAX_BYLINE_WORDS and not any(c.isdigit() for c in text))


def text_byline_authors(root: etree._Element, sites: Iterable[str] = (),
                        language: str | None = None) -> list[str]:
    """Names from the page's short "By Jane Doe" texts with no markup naming them; none
    when more than two of them name different people. Read on articles only: on other
    pages such a text is as often a filter ("By Price") as a byline. `sites`: the site's
    names, folded, which a byline may end with ("By Jane Doe, The Gazette"); `language`:
    the page's (`byline_opener`)."""
    sites = set(sites)
    return _at_most_two(_text_byline(element, sites)
                        for element in _text_bylines(root, byline_opener(language)))


def _at_most_two(found: Iterable[list[str]]) -> list[str]:
    """The distinct names of the bylines found; none when they name more than two people
    (the bylines of a list of teasers), unless a single byline names them all (one byline
    may name three: `_text_byline`)."""
    bylines = list(dict.fromkeys(tuple(names) for names in found if names))
    names = list(dict.fromkeys(name for names in bylines for name in names))
    return names if len(names) <= 2 or len(bylines) == 1 else []


def _first_line(element: etree._Element) -> str:
    """The element's text up to its first line break (`<br>`) or block, white space
    collapsed; with the next line when the first holds only a label ("By", "Written by"):
    "By Jane Doe<br>Staff reporter" is read as "By Jane Doe"."""
    lines = list(islice(_lines(element, apart=True), 2))
    if len(lines) > 1 and _LABEL_ONLY.fullmatch(lines[0]):
        return f"{lines[0]} {lines[1]}"
    return lines[0] if lines else ""


_LABEL_ONLY = re.compile(r"(?:(?:story|written|words|reported|reporting|posted) )?by:?|"
                         r"(?:author|von|par|por|автор)s?:?|(?:scritto da|a cura di):?",
                         re.IGNORECASE)
_LINE_BLOCKS = frozenset({"br", "p", "div", "li", "ul", "ol", "time", "address", "h1", "h2",
                          "h3", "h4", "h5", "h6", "figure", "table"})


def _lines(element: etree._Element, apart: bool = False) -> Iterator[str]:
    """The element's non-empty lines, white space collapsed, read as far as asked: a line
    ends at each `<br>` and around each block or date. With `apart`, a word that ends one
    inline element in lower case and a capital that opens the next are two words (a
    byline's "<span>Jane Smith</span><span>North America editor</span>"). A walk, not a
    recursion: a page may nest deeper than Python's stack."""
    line: list[str] = []
    done = _done_apart if apart else _done
    for event, node in etree.iterwalk(element, events=("start", "end", "comment", "pi")):
        if event in ("comment", "pi"):  # its text is no line's; its tail is
            line.append(node.tail or "")
            continue
        tag = node.tag
        if event == "start":
            if tag in _LINE_BLOCKS and node is not element:
                yield from done(line)
            line.append(node.text or "")
            continue
        if node is element:
            break
        if tag in _LINE_BLOCKS:
            yield from done(line)
        line.append(node.tail or "")
    yield from done(line)


def _done(line: list[str]) -> Iterator[str]:
    """The line gathered so far, if it holds any text; it is emptied for the next."""
    text = norm_space("".join(line))
    line.clear()
    if text:
        yield text


# The prefixes of a surname whose rest a page may set in an element of its own, a capital
# after them ("Mc<span>Donald</span>", "M<sup>c</sup>Donald", "Mac<b>Kenzie</b>"): one word.
_GLUED_PREFIXES = frozenset({"Mc", "Mac"})


def _done_apart(line: list[str]) -> Iterator[str]:
    """`_done`, with a space between the texts of two elements where a lower-case letter
    meets a capital ("Jane Smith" and "North America editor", not "Jane SmithNorth"), but
    for a surname's prefix before it (`_GLUED_PREFIXES`)."""
    pieces = [piece for piece in line if piece]
    word = ""  # the last word so far, which may span pieces ("M", "c")
    for at, piece in enumerate(pieces):
        if (at and word[-1:].islower() and piece[:1].isupper()
                and word not in _GLUED_PREFIXES):
            pieces[at] = piece = f" {piece}"
        if piece[-1:].isspace():
            word = ""
        elif piece[:1].isspace() or len(piece.split()) > 1:
            word = piece.split()[-1]
        else:
            word += piece
    line[:] = pieces
    yield from _done(line)


# A byline names at most this many people, each of at most four words.
MAX_BYLINE_NAMES = 3


def _text_byline(element: etree._Element, sites: set[str] = frozenset()) -> list[str]:
    """The names of a "By Jane Doe" element: those of its first line (`byline_names`)."""
    return byline_names(_byline_line(element), sites)


def _byline_line(element: etree._Element) -> str:
    """The first line of a "By Jane Doe" element; with the next element's first line after
    a label alone ("<p>Written by</p><p>Jane Doe</p>")."""
    line = _first_line(element)
    following = element.getnext()
    if (_LABEL_ONLY.fullmatch(line) and not (element.tail or "").strip()
            and following is not None and isinstance(following.tag, str)
            and (_opens_its_line(element)  # not "Sort <span>By</span>", "Photo <b>By</b>"
                 or _LABEL_ONLY.fullmatch(f"{_before_on_line(element)} {line}"))
            and next(following.iter(*_CONTROLS), None) is None):
        name = next(_lines(following), "")
        line = f"{line} {name}" if name else line
    return line


# What a label's next element holds when it is a control, not a name ("Sort by <select>").
_CONTROLS = ("select", "option", "button", "input", "textarea")


def page_byline_lines(root: etree._Element, language: str | None = None) -> list[str]:
    """The lines of the untouched page's "By Jane Doe" elements in the story's head
    (`_under_headline`: not a related story's teaser), outside comments, asides, menus,
    footers, forms and links: read for the author when the stripped page has none left
    (chrome removal may take a byline with the block of dates and share buttons around
    it)."""
    body = _document(root).find("body")
    head = _under_headline(body) if body is not None else []
    under = set(head)
    return [_byline_line(element) for element in head
            if element.tag in _TEXT_BYLINE_TAGS
            and _opens_byline(element, under, byline_opener(language))
            and not _elsewhere(element) and not _in_chrome(element)]


# What holds a page's controls and links, never its byline: a menu's "By Use Case", "By
# Company Size", a footer's "By Contact Form"; a forum's replies ("Posted by ...").
_CHROME_PLACES = frozenset({"nav", "footer", "aside", "form", "a", "button", "label",
                            "select", "option", "figure", "figcaption", "menu"})
_CHROME_NAMES = re.compile(r"menu|nav|dropdown|footer|repl(?:y|ies)", re.IGNORECASE)


def _in_chrome(element: etree._Element) -> bool:
    """Whether the element or an ancestor below the story's `<article>` or `<main>` (if
    any) is a menu, a footer, a form or a link."""
    for node in (element, *element.iterancestors()):
        if node.tag in ("article", "main", "body"):  # a theme's body class names its menu
            return False
        if node.tag in _CHROME_PLACES or _CHROME_NAMES.search(
                f"{node.get('class') or ''} {node.get('id') or ''}"):
            return True
    return False


def byline_names(line: str, sites: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """The names of a "By Jane Doe" line: up to a separator (a date or the outlet may
    follow), without a trailing ", <the site's name>" or outlet, nor a credit for the
    pictures before its opener ("Фото: Иван Петров. Текст: ...") or after the names ("Words by
    Jane Doe, photos by John Roe"); an opener, then names, each a run of two to four
    capitalised words, joined by commas or a joining word, the last one perhaps with a role
    in sentence case after it ("By Jane Doe Senior reporter") or, after a label that sets a
    place after the name, the place filed from ("Por María López en Nueva York"); no word no
    name is made of; no digits (not "By 2030")."""
    text = without_credit(_BYLINE_END.split(after_credit(line), maxsplit=1)[0])
    head, comma, last = text.rpartition(", ")
    if comma and (_fold(last) in sites or _names_outlet_last(last)):  # "By Jane Doe, The Sun"
        text = head
    opener = _BYLINE.match(text)
    if opener and _DATELINE_OPENER.match(text):
        text = text[:opener.end()] + without_filed_from(text[opener.end():], dutch=False)
    words = text[opener.end():].split() if opener else []
    if not 0 < len(words) <= 4 * MAX_BYLINE_NAMES + 2 or any(c.isdigit() for c in text):
        return []
    if words[-1].islower() and words[-1] in ROLE_NOUNS:  # the role's noun: clean_name's
        words = words[:-1]
    if not all((w[0].isupper() and w.lower() not in _NOT_NAME_WORDS)
               or w.rstrip(",").lower() in _NAME_JOINERS
               or (w in PARTICLES and 0 < i < len(words) - 1)  # "Jan de Vries"
               for i, w in enumerate(words)):
        return []
    names = split_authors(text)
    cleaned = [clean_name(name) or "" for name in names]  # "Jane Doe, Senior Staff Writer"
    ok = len(names) <= MAX_BYLINE_NAMES and all(2 <= len(n.split()) <= 4 for n in cleaned)
    return names if ok else []


def _names_outlet_last(text: str) -> bool:
    """Whether the last of a byline's comma-separated parts names an outlet ("The Gazette",
    "Associated Press"), not more co-authors ("Lena H. Sun and Tom Roe")."""
    return any(is_outlet(name) for name in _NAME_SEPARATORS.split(text))


# A Chinese wire dateline naming its reporters: "新华社北京3月5日电（记者王晓明、李华）".
_CJK_DATELINE = re.compile(r"(?:新华社|新華社|中新社|中新网|中新網|本报|本報)[^（(。]{0,20}电?"
                           r"\s*[（(](?:记者|記者)\s*([\u4e00-\u9fff·、 ]{2,40})[）)]")
DATELINE_PARAGRAPHS = 3  # the dateline opens the story: looked for in its first paragraphs


def dateline_authors(root: etree._Element) -> list[str]:
    """The reporters a Chinese wire dateline names, in the story's first paragraphs: names
    of two to four characters, separated by 、 or spaces."""
    for paragraph in islice(root.iter("p"), DATELINE_PARAGRAPHS):
        found = _CJK_DATELINE.search(paragraph.text_content()[:80])
        if found:
            names = [name for name in re.split(r"[、\s]+", found.group(1)) if name]
            return names if all(2 <= len(name) <= 4 for name in names) else []
    return []


# A link to an author's page: a folder of people, then the person's slug.
_PROFILE_PATH = re.compile(
    r"/(?:authors?|people|staff|writers?|profiles?|contributors?|columnists?|reporters?|"
    r"journalists?|autor(?:es|en|in)?|auteurs?|autora)/([^/?#]+)/?(?:[?#]|$)", re.IGNORECASE)
_SLUG_WORDS = re.compile(r"[^\w]+|_")
MAX_PROFILE_WORDS = 5


def profile_link_authors(root: etree._Element) -> list[str]:
    """Names from links to their authors' pages whose text is the page's slug spelt out
    (`<a href="/authors/jane-doe">Jane Doe</a>`, a number after it allowed: jane-doe-2); none
    when they name more than two people (a list of teasers), nor a comment's or an aside's
    (`_elsewhere`)."""
    found = []
    for link in _document(root).iter("a"):
        path = _PROFILE_PATH.search(link.get("href") or "")
        if path is None:
            continue
        text = norm_space(link.text_content())
        words = _slug_words(text)
        if (0 < len(words) <= MAX_PROFILE_WORDS and words == _slug_words(unquote(path[1]))
                and not _elsewhere(link) and not _in_prose(link)):
            found.append([text])
    return _at_most_two(found)


# A link in a paragraph with more words than this outside its links is in the story's
# running text ("Economist <a href=/people/john-smith>John Smith</a> of State University
# said..."): a source linked to their page, not the byline.
PROSE_WORDS = 8


def _in_prose(link: etree._Element) -> bool:
    """Whether a link is in a paragraph's running text (see PROSE_WORDS), not right after a
    byline's opener ("by <a>Amanda</a> · Dec 20, 2025 at 3:00 am · One comment so far")."""
    block = next(link.iterancestors("p", "li", "blockquote", "dd", "td"), None)
    if block is None:
        return False
    linked = sum(len(a.text_content().split()) for a in block.iter("a"))
    return (len(block.text_content().split()) - linked > PROSE_WORDS
            and not _AFTER_OPENER.search(_text_before(link, block)))


# The end of the text before a byline's name: "by", "By:", "Von", "Written by"...
_AFTER_OPENER = re.compile(rf"(?:^|\s)(?:{_OPENER_WORDS}|autor|author):?$", re.IGNORECASE)


def _text_before(element: etree._Element, block: etree._Element) -> str:
    """The text just before `element` on its line (`_before_on_line`), from the wrapper it
    opens where it opens one (`by <span><a>Amanda</a></span>`), within `block`."""
    while element is not block:
        before = _before_on_line(element)
        if before or element.getprevious() is not None:
            return before
        element = element.getparent()
    return ""


def _slug_words(text: str) -> list[str]:
    """The words of a name or a slug, folded and without accents (a slug spells "Kovács"
    "kovacs"), without a number ending a slug ("jane-doe-2")."""
    bare = "".join(c for c in unicodedata.normalize("NFKD", _fold(text))
                   if not unicodedata.combining(c))
    words = [word for word in _SLUG_WORDS.split(bare) if word]
    return words[:-1] if len(words) > 1 and words[-1].isdigit() else words


def _clean_title(titles: list[str], site_name: str = "", url: str = "") -> str | None:
    """Without a headline: the JSON-LD headline (or a title tag's part that goes on from
    it), else the longest part of `og:title` or `<title>` split at " - " or " | " that is
    not the site's name (`og:site_name`, the host's), without a "Site: " before it."""
    og_title, title, ld_title = titles
    sites = _known_sites(site_name, url)
    if ld_title:
        return _uncut(ld_title, (og_title, title), sites)
    found = og_title or title
    if not found:
        return None
    found = _trail_end(found, sites)
    parts = _story_parts(found)
    # never the site's name, which may be the longest part ("Flood warning issued | Yorkshire
    # Evening Post"); with no part known for it, the last part names the site ("Fed cuts
    # rates | The Example Daily Chronicle"), unless it asks or exclaims or reads as a
    # sentence, not a name ("Biden - Xi summit ends without deal")
    named = [part for part in parts if not _is_site(part, sites)]
    if len(named) == len(parts) > 1 and not parts[-1].rstrip().endswith(("?", "!")) and (
            sum(word[:1].islower() for word in parts[-1].split()) < LOWER_CASE_WORDS):
        named = parts[:-1]
    longest = _slug_spelled(found, parts, sites, url) or max(named or parts, key=len)
    longest = _without_site(_without_channel(longest), sites)
    head, colon, rest = longest.partition(": ")
    return norm_space(rest) if colon and rest.strip() and _is_site(head, sites) else longest


def _known_sites(site_name: str, url: str) -> set[str]:
    """The names the page gives its site for sure, folded: `og:site_name` and the host's
    own (`_own_names`), not a guess from a title tag's parts."""
    return _own_names(url) | ({_fold(site_name)} if site_name else set())


# Characters a title may hold that show nothing: zero-width spaces, word joiners, byte
# order marks, soft hyphens (a zero-width joiner or non-joiner shapes some scripts: kept).
_INVISIBLE = str.maketrans("", "", "\u200b\u2060\ufeff\xad")


# A permalink's mark after a heading, as such or as mojibake ("Â¶": its UTF-8 read as
# latin-1, repaired only after the title is chosen).
_PERMALINK = re.compile(r"\s*Â?¶\s*$")


def _tidy_title(title: str | None, sites: set[str]) -> str | None:
    """The title without characters that show nothing, its white space single spaces,
    without the "¶" of a permalink after it (Sphinx's "Models<a class=headerlink>¶</a>"), and
    without a last part after a separator (`_TITLE_SEPARATOR`) that is a known site's name
    or the end the site's template adds (`sites`, folded: `_known_sites`, `_template_end`):
    a headline element or a JSON-LD headline may end with it as the title tags do
    ("Critics' Choice 2025 – Artlyst")."""
    text = norm_space(_PERMALINK.sub("", (title or "").translate(_INVISIBLE)))
    found = list(_TITLE_SEPARATOR.finditer(text))
    if found and _is_site(text[found[-1].end():], sites) and text[:found[-1].start()].strip():
        text = text[:found[-1].start()]
    return text or None


def _template_end(titles: list[str], url: str) -> set[str]:
    """The last part, folded, that og:title and `<title>` both end with after a separator
    while what they say before it differs: the site's template adds it to any headline,
    as a section or the site's name ("... brains | Opinion", "... community | Opinion").
    Not one the URL's slug spells: two wordings of a headline that ends the same way
    ("How to replace brake pads - From a Mechanic", "Brake Pad Guide - From a Mechanic"
    at /how-to-replace-brake-pads-from-a-mechanic), nor one that opens in lower case: it goes
    on from the headline ("Election night – as it happened", "Storm hits coast - live
    updates"), as `_story_parts` reads it."""
    ends = []
    for title in titles[:2]:
        found = list(_TITLE_SEPARATOR.finditer(title))
        if not found or title[found[-1].end():][:1].islower():
            return set()
        ends.append((_fold(title[:found[-1].start()]), _fold(title[found[-1].end():])))
    (story, end), (other_story, other_end) = ends
    if end != other_end or story == other_story or _spells(_slug(url), _slug_words(end)):
        return set()
    return {end}


def _story_parts(title: str, separator: re.Pattern = _TITLE_SEPARATOR) -> list[str]:
    """`title` split at its separators (`_TITLE_SEPARATOR`), a part that opens in lower
    case kept with the one before it: it goes on from it ("Spider-Man - the review")."""
    pieces = re.split(f"({separator.pattern})", title)
    parts = [pieces[0]]
    for separator, part in zip(pieces[1::2], pieces[2::2], strict=True):
        if part[:1].islower() and parts[-1]:
            parts[-1] += separator + part
        else:
            parts.append(part)
    return parts


# A part of a title tag with this many words in lower case is a sentence, no site's name
# ("Xi summit ends without deal"; not "Corriere della Sera" or "The Times of India").
LOWER_CASE_WORDS = 3
# A separator of a breadcrumb trail in a title tag ("Home > News > Story", "Story » Site"),
# never between two numbers ("Why 10 > 5").
_TRAIL = re.compile(r"(?<!\d)\s+[>»›]\s+(?!\d)")


def _trail_end(title: str, sites: set[str]) -> str:
    """The story's step of a title tag that is a breadcrumb trail: its longest step that is
    neither "Home" nor the site's name (`sites`, folded); as it is with no trail, or with a
    "«" or "‹" that makes its "»" or "›" a closing quote ("Il dénonce « une honte » ici").
    Two steps are a trail only if one of them is "Home" or the site's name: a headline
    holds a ">" or "»" between two names of its own ("Apple > Samsung? Not so fast, analysts
    say", "Mercedes » Ferrari: the gap closes at Monza")."""
    if "«" in title or "‹" in title:
        return title
    steps = [norm_space(step) for step in _story_parts(title, _TRAIL)]
    stories = [step for step in steps if step and _fold(step) != "home"
               and not _is_site(step, sites)]
    trail = len(steps) > 2 or (len(steps) == 2 and len(stories) < 2)
    return max(stories, key=len) if trail and stories else title


def _slug_spelled(title: str, parts: list[str], sites: set[str], url: str) -> str:
    """The run of two or more of a title tag's parts (`_story_parts`) that the URL's slug
    spells, with the separators between them, as `title` writes it: a hyphen or a bar
    inside the headline, not before a section or the site's name ("Biden - Xi summit ends
    without deal - Example News" at /biden-xi-summit-ends-without-deal). Empty when no
    such run, or no slug, tells the story's parts from the rest."""
    slug = _slug(url)
    spelled = [not _is_site(part, sites) and _spells(slug, _slug_words(part)) for part in parts]
    starts = [0]  # parts are slices of the title in order: where each starts
    for before, part in pairwise(parts):
        starts.append(title.index(part, starts[-1] + len(before)))
    run: list[int] = []
    for i, spells in enumerate([*spelled, False]):
        if spells:
            run.append(i)
        elif len(run) >= 2:
            return norm_space(title[starts[run[0]]:starts[run[-1]] + len(parts[run[-1]])])
        else:
            run = []
    return ""


def _slug(url: str) -> set[str]:
    """The words of the URL's last path segment, folded and without accents."""
    return set(_slug_words(unquote(urlsplit(url).path.rstrip("/").rpartition("/")[2])))


def _spells(slug: set[str], words: list[str]) -> bool:
    """Whether a slug's words hold most of a part's words (a slug leaves some out)."""
    return bool(words) and sum(word in slug for word in words) >= SLUG_SHARE * len(words)


# A slug spells a part when it holds at least this share of the part's words.
SLUG_SHARE = 0.75


# A "_" between Chinese characters, which joins a Chinese title tag's parts without spaces
# ("市议会通过新预算_新闻频道_央视网": the story, its channel, the site).
_CJK_UNDERSCORE = re.compile(r"(?<=[\u4e00-\u9fff])_(?=[\u4e00-\u9fff])")


def _without_channel(title: str) -> str:
    """`title`'s first part where two "_" or more between Chinese characters split it and
    its last part ends as an outlet's name does (`is_cjk_outlet`): the channel and the site
    after the story ("市议会通过新预算_新闻频道_央视网"). As it is otherwise: a "_" before no
    channel cuts only a known site's name (`_without_site`)."""
    parts = _CJK_UNDERSCORE.split(title)
    if len(parts) >= 3 and parts[0].strip() and is_cjk_outlet(parts[-1].strip()):
        return norm_space(parts[0])
    return title


# What may join a site's name to a title without spaces ("Story_Site", "Story：Site",
# "Site｜Story"); a hyphen between two Latin letters or digits joins a word ("Fake-news").
_TIGHT_SEPARATOR = "[-_|｜：:·—–]"
_COMPOUND = re.compile(r"[A-Za-z0-9]-[A-Za-z0-9]")


def _without_site(title: str, sites: set[str]) -> str:
    """`title` without a known site's name (`sites`, folded) joined to its end or start by
    a separator with or without spaces ("Story_Site", "Site｜Story"); as it is when no
    known name is there: a bare separator alone cuts nothing."""
    for site in sorted(sites, key=len, reverse=True):
        name = re.escape(site)
        for shape in (rf"^(?P<story>.+?)\s*(?P<sep>{_TIGHT_SEPARATOR})\s*{name}$",
                      rf"^{name}\s*(?P<sep>{_TIGHT_SEPARATOR})\s*(?P<story>.+)$"):
            found = re.match(shape, title, re.IGNORECASE)
            if found and found["story"].strip() and not _COMPOUND.search(
                    title[found.start("sep") - 1:found.end("sep") + 1]):
                return norm_space(found["story"])
    return title


# SEO plugins cut a JSON-LD headline to Google's limit of 110 characters (at a word's end,
# or with "..." in place of the rest): one about this long may be a cut one.
CUT_HEADLINE = range(90, 111)
# ... and one of any length with "..." in place of the rest, if this many words are left.
MIN_CUT_WORDS = 3


def _uncut(ld_title: str, references: tuple[str, str], sites: set[str]) -> str:
    """The JSON-LD headline, or where an SEO plugin cut it, the title tag's part that goes
    on from it (without the site's name in what it adds: a separator `_TITLE_SEPARATOR`
    does not know, "Story » Site", leaves it in the part)."""
    cut = norm_space(ld_title).removesuffix("...").removesuffix("…").rstrip()
    # a headline that ends in "..." was cut wherever it ends (if some words are left of it)
    ellipsis = cut != norm_space(ld_title) and len(cut.split()) >= MIN_CUT_WORDS
    if len(cut) not in CUT_HEADLINE and not ellipsis:
        return ld_title
    for part in (part for ref in references if ref for part in _TITLE_SEPARATOR.split(ref)):
        added = _fold(part[len(cut):])
        if (len(part) > len(cut) and part.startswith(cut) and (
                cut != norm_space(ld_title) or added[0].isspace())
                and not added.startswith(("...", "…"))  # the title tag's "..." too: no cut
                and not any(site in added for site in sites)):
            return part
    return ld_title


def _ld_authors(ld_article: dict | None, ld: list[dict]) -> list[str]:
    """The article's JSON-LD authors: names, Person objects, or references to Person
    objects elsewhere on the page (`{"@id": ...}`); a name that is a byline of several
    ("Jane Doe and John Roe", "Jane Doe, John Roe") split, but not an organisation's
    ("Johnson & Johnson")."""
    found = ld_article.get("author") if ld_article else None
    index = jsonld.by_id(ld) if isinstance(found, list) and len(found) > 1 else None
    found = [jsonld.resolved(a, ld, index)
             for a in (found if isinstance(found, list) else [found])]
    names = [n for a in found for n in _ld_names(a)]
    return list(dict.fromkeys(n for n in (norm_space(x) for x in names) if n))


def _ld_names(author: object) -> list[str]:
    """The names a JSON-LD author (a string, or an object with a `name`) gives."""
    name = author.get("name") if isinstance(author, dict) else author
    if not isinstance(name, str):
        return []
    if isinstance(author, dict) and "Organization" in " ".join(jsonld.types(author)):
        return [name]
    return split_authors(name) or [name]


# The label Yoast (and others) give the author in Twitter's card, `twitter:label1` "Written
# by" beside `twitter:data1` "Jane Doe" (the other pairs: reading time, filed under...).
_WRITTEN_BY = re.compile(r"^(written by|author|by|geschrieben von|autor|escrito por|écrit par"
                         r"|scritto da|автор)$", re.IGNORECASE)


def _card_authors(tags: dict[str, list[str]]) -> list[str]:
    """The author named in the Twitter card's label/data pairs."""
    for number in range(1, 5):
        label = _meta(tags, f"twitter:label{number}")
        if _WRITTEN_BY.match(label):
            return split_authors(_meta(tags, f"twitter:data{number}"))
    return []


def page_metadata(root: etree._Element, url: str, ld_article: dict | None,
                  ld: list[dict]) -> Metadata:
    """Everything but the body, read from the untouched page tree.

    Schema.org and `<meta>` tags first; trafilatura's slower metadata extractor (with
    htmldate) only when they give no publication date or no title (`ld`: the page's
    JSON-LD objects, where the article's may point to its authors). The classifier weighs
    what this finds; `fill_article_metadata` adds the author and date guesses for articles.
    """
    ld_title = ld_article.get("headline") if ld_article else None
    heads = head_elements(root)
    tags = meta_tags(heads)
    titles = [_decoded(title) for title in (
        _meta(tags, "og:title", "twitter:title"), norm_space(root.findtext(".//title")),
        ld_title if isinstance(ld_title, str) else "")]
    site_name = _meta(tags, "og:site_name")
    title, shown = _title(root, titles, site_name, url)
    meta = Metadata(
        title=title, shown_title=shown,
        published=published_date(root, ld_article, heads, url),
        language=language(root, heads),
        description=_meta(tags, "og:description", "description") or None,
        site_name=_meta(tags, "og:site_name") or None, canonical_url=canonical(heads, url),
        og_type=_meta(tags, "og:type").lower() or None)
    meta.outlets = outlet_names(meta.site_name, titles, url)
    # a profile or social URL where a name should be ("article:author" of
    # https://example.com/profile/jane-doe) names no one: the next source is read
    tagged = (_names_only(_ld_authors(ld_article, ld))
              or _names_only(split_authors(_meta(tags, "author", "article:author")))
              or _names_only(_card_authors(tags)))
    if tagged and all(_signed_by_outlet(name, meta.outlets) for name in tagged):
        # the site's own name ("Cleveland Clinic", "Rapid7") where a byline may name a person
        meta.authors = (_persons(clean_authors(byline_authors(root, True, meta.language)),
                                 meta.outlets) or tagged)
        meta.site_authored = meta.authors is tagged
    else:
        meta.authors = tagged or byline_authors(root, language=meta.language)
    meta.authors = [a for a in meta.authors if "://" not in a]
    if meta.site_authored or not clean_authors(meta.authors):  # what may want them later
        meta.page_bylines = page_byline_lines(root, meta.language)
    if not meta.published or not meta.title:
        _fill_from_trafilatura(meta, root, url)
    return meta


def _names_only(names: list[str]) -> list[str]:
    """`names` without the links among them."""
    return [name for name in names if "://" not in name]


def _title(root: etree._Element, titles: list[str], site_name: str, url: str
           ) -> tuple[str | None, str | None]:
    """(the page's title, the headline as the page shows it): the headline element
    (`headline`) unless it is a label over the story (`_label`: og:title gives the title
    then) or a copy of `<title>` over the `<h2>` shown (`_shown`: the `<h2>` gives it), else
    the title tags' headline (`_clean_title`); tidied (`_tidy_title`). The headline shown
    is the element's text untidied, a label's and a copy's too: the body's copy of it is
    dropped as before. `titles`: og:title, `<title>`, the JSON-LD headline."""
    sites = _known_sites(site_name, url)
    shown = headline(root, titles, site_name, url)
    found = None if shown and _label(shown, titles, sites) else shown
    found = found and _shown(found, titles, _headings(root, "h2"))
    found = found or _clean_title(titles, site_name, url)
    return _tidy_title(found, sites | _template_end(titles, url)), shown or found


def outlet_names(site_name: str | None, titles: list[str], url: str) -> frozenset[str]:
    """What may name the site, folded: `og:site_name`, each part of a title tag but its
    longest (the story's), the host's labels. Wider than `_site_names`, which must never
    take a story's heading for the site: here it only trims a byline's end."""
    names = {_fold(site_name)} if site_name else set()
    for title in filter(None, titles):
        parts = [norm_space(part) for part in _TITLE_SEPARATOR.split(title)]
        longest = max(parts, key=len)
        names.update(_fold(part) for part in parts if part is not longest)
    names.update(_host_names(url))
    return frozenset(names - {""})


# The meta tags naming the day a page was changed. htmldate takes theirs when no tag names
# the day it was published, before it reads the page's markup and text, which often show
# that day ("Posted on March 16, 2017"): it searches with them hidden first. On the WCXB dev
# articles, 7 more dates right and 2 fewer.
# htmldate reads a name in both sets ("release_date") as the day of publication.
_MODIFIED_METAS = (NAME_MODIFIED | PROPERTY_MODIFIED) - DATE_ATTRIBUTES


@contextmanager
def _modified_hidden(root: etree._Element, ld: bool = False) -> Iterator[bool]:
    """The page's "modified" meta tags emptied for the time of the block, and with `ld` its
    JSON-LD "dateModified" (`_ld_modified`); yields whether there were any."""
    hidden = [(element, element.get("content")) for element in root.iter("meta")
              if element.get("content") and (
                  (element.get("name") or element.get("property") or "").lower()
                  in _MODIFIED_METAS
                  or (element.get("http-equiv") or "").lower() == "last-modified")]
    scripts = _ld_modified(root) if ld else []
    for element, _ in hidden:
        element.set("content", "")
    for script, text in scripts:
        script.text = _LD_MODIFIED.sub(r'\1""', text)
    try:
        yield bool(hidden or scripts)
    finally:
        for element, content in hidden:
            element.set("content", content)
        for script, text in scripts:
            script.text = text


# A JSON-LD "dateModified" and its value. htmldate reads only "datePublished" of JSON-LD for
# the day of publication, but its timestamp search over the page's markup then meets the
# time "dateModified" names before a plain "Published March 12, 2024" in the text.
_LD_MODIFIED = re.compile(r'("dateModified"\s*:\s*)"[^"]*"')


def _ld_modified(root: etree._Element) -> list[tuple[etree._Element, str]]:
    """The JSON-LD scripts naming a "dateModified", with their text."""
    return [(script, script.text) for script in root.iter("script")
            if "ld+json" in (script.get("type") or "") and script.text
            and _LD_MODIFIED.search(script.text)]


# A publication stamp's label, before its date: "Published", "Posted on", "Publié le".
_PUBLISH_LABEL = re.compile(_PUBLISH_WORDS + _STAMP_LABEL_END, re.IGNORECASE)


def _publish_stamp(root: etree._Element, language: str | None = None) -> str | None:
    """The day of the first publication's stamp the page's text shows as a label ("Published
    March 12, 2024": `_PUBLISH_STAMP`; not the prose's "was published March 1, 2019"), in
    ISO 8601; None when it shows none, or none dateparser reads."""
    shown = root.text_content()
    for stamp in _stamps(shown, shown.lower(), _PUBLISH_LITERALS, _PUBLISH_STAMP):
        label = _PUBLISH_LABEL.match(stamp[0])
        if (label and _labels(shown, stamp.start())
                and (day := written_date(stamp[0][label.end():], language))):
            return day
    return None


def _fill_from_trafilatura(meta: Metadata, root: etree._Element, url: str) -> None:
    """The day from htmldate (URL, text and markup heuristics; its extensive search kept
    apart, for articles only), the title from trafilatura."""
    if not meta.published:
        # a site east of here dates its stories by its own day, up to a day ahead of ours
        today = (date.today() + timedelta(days=1)).isoformat()
        tree = _updates_hidden(root)
        # JSON-LD naming the day the page was changed, and "Published March 12, 2024" shown
        stamp = _publish_stamp(tree, meta.language) if _ld_modified(tree) else None
        stamp = stamp if stamp and stamp[:10] <= today else None
        with _modified_hidden(tree, ld=stamp is not None) as hidden:
            meta.published = find_date(tree, url=url, original_date=True,
                                       extensive_search=False, max_date=today) or stamp
        if not meta.published and hidden:  # the day it was changed, for want of a better
            meta.published = find_date(tree, url=url, original_date=True,
                                       extensive_search=False, max_date=today)
        if not meta.published:  # the tree is pruned later: search a copy, if ever needed
            meta.date_search = (_date_search_copy(tree), url, today)
    if not meta.title:
        # not `extensive`: its date is not read, and that search is most of its time
        found = extract_metadata(root, default_url=url, extensive=False)
        meta.title = norm_space(found.title) or None


# Never this page's publication date in them: stylesheets and vector icons (no dates at all),
# menus, sidebars and the page's footer (other stories' dates, copyright years). The
# extensive date search (date patterns over the whole page) reads the page without them: on
# the 117 corpus articles that reached it when this was measured, 38% faster, and one wrong
# date fewer (24 right and 12 wrong of those with a known date). An article's own footer
# ("Posted on ...") stays. Nor scripts of code (a data script's JSON, Next.js's
# `__NEXT_DATA__` among them, may hold the only date; JSON-LD too), nor the attributes that
# only style an element or list its images (`class` and `id` stay: the search looks for
# elements named for a date, `entry-meta`, `posted-on`...). On the 108 corpus articles that
# reach the search now: a quarter less page to scan, 7% faster; the same dates where the
# page has one, and 4 fewer made up (a year's 1 January) where it has none. Nor the links'
# URLs, which date other stories (/2026/11/10/other-story): 9 fewer days made up from them.
_NO_DATES = etree.XPath("//style | //svg | //nav | //aside | //footer[not(ancestor::article)]"
                        " | //script[not(contains(@type, 'json'))] | //noscript")
_NO_DATE_ATTRIBUTES = ("style", "srcset", "sizes")
# Nor the years of a copyright line, in a footer by any name ("© 2025", "Copyright 2010-2025",
# "(c) 2024"), which the search would otherwise take for 1 January of that year.
_COPYRIGHT_YEARS = re.compile(r"(©|\(c\)|\bcopyright\b:?)\s*\d{4}(?:\s*[-–—]\s*(?:\d{4}|\d{2}))?"
                              r"(?![-/.]?\d)", re.IGNORECASE)  # a year or a span, not a date


# A day as Chinese and Japanese write it, "2026年11月30日", or with a Japanese era's year,
# "令和8年11月30日" (Reiwa 8, 2026), "令和元年" (its first): htmldate's patterns want a
# separator ("2026-11-30"), and without one (or a time: "14:05") it never hands the string to
# dateparser, so the search found no day; the copy writes it as ISO 8601.
_CJK_DAY = re.compile(r"(?:(令和|平成)(\d{1,2}|元)|(\d{4}))年(\d{1,2})月(\d{1,2})日")
_ERA_START = {"令和": 2018, "平成": 1988}  # the year before each era's first
# The Hijri year an Arabic page gives before the Gregorian date ("29 جمادى الأولى 1448 هـ - 30
# نوفمبر 2026"): htmldate takes the first year a string names for the date's, and 1448 is none.
_HIJRI_YEAR = re.compile(r"\d{4}\s*هـ")


def _iso_day(found: re.Match) -> str:
    era, era_year, year, month, day = found.groups()
    if era:
        year = _ERA_START[era] + (1 if era_year == "元" else int(era_year))
    return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"


def _date_search_copy(root: etree._Element) -> etree._Element:
    tree = deepcopy(root)
    for element in _NO_DATES(tree):
        remove(element)  # its tail stays: the text after an icon may be the date
    etree.strip_attributes(tree, *_NO_DATE_ATTRIBUTES)
    for link in tree.iter("a"):  # another page's URL: /2026/11/10/other-story
        link.attrib.pop("href", None)
    with boxes_known():  # comments, related stories: not this story's dates
        boxes = [element for element in tree.iter() if anothers_box(element)]
    for element in tree.iter():
        for name in ("text", "tail"):
            value = getattr(element, name)
            if value and value != (written := _search_text(value)):
                setattr(element, name, written)
    for box in boxes:  # (its tail stays: the story's text may go on after it)
        remove(box)
    return tree


def _search_text(value: str) -> str:
    """An element's text for the date search: no copyright years, CJK days in ISO 8601,
    no Hijri years."""
    if _COPYRIGHT_YEARS.search(value):
        value = _COPYRIGHT_YEARS.sub(r"\1", value)
    if "年" in value:
        value = _CJK_DAY.sub(_iso_day, value)
    if "هـ" in value:
        value = _HIJRI_YEAR.sub("", value)
    return value


# What every element trafilatura's author rules (`AUTHOR_XPATHS`) can select has: one of
# these attributes holding one of these strings ("[Aa]uthor", "author-?name", "byline",
# "BBL"...), or the tag <author> (or <rel>: the rules compare a child <rel> with "me"). Their
# regex tests call back into Python for every element, about 6 ms a page; a Python walk
# for these strings takes about 0.7, and on the corpus finds none on 4 of 5 pages that
# reach the rules (tests/test_quality.py checks the strings against the rules' literals).
AUTHOR_RULE_ATTRIBUTES = frozenset({"class", "id", "rel", "itemprop", "data-testid",
                                    "data-component"})
AUTHOR_RULE_HINTS = ("uthor", "byl", "Byl", "BBL", "username", "screenname", "writer",
                     "zuozhe", "bianji", "xiaobian", "channel-name", "submitted-by",
                     "posted-by", "journalist-name")
_AUTHOR_RULE_HINT = re.compile("|".join(AUTHOR_RULE_HINTS))
# sha256 of the rules' text (trafilatura 2.3.1) these hints were checked against: a test fails
# when trafilatura changes them.
AUTHOR_RULES_CHECKED = "e7cdb233823cbb0a7eadad1211ccea04ebd7789ae4ffc076b2fc765f00286c9f"


def _author_markup(root: etree._Element) -> bool:
    """Whether any element is one trafilatura's author rules (`//` searches) could select."""
    for element in _document(root).iter(etree.Element):
        if element.tag in ("author", "rel"):
            return True
        for name, value in element.items():
            if name in AUTHOR_RULE_ATTRIBUTES and _AUTHOR_RULE_HINT.search(value):
                return True
    return False


def fill_article_metadata(meta: Metadata, root: etree._Element, url: str) -> None:
    """For a page classified as an article: its "By ..." texts, then trafilatura's author
    rules, when no schema, meta tag or byline element names an author (after
    classification, so that the classifier's `author` evidence stays what the page's own
    markup says), and htmldate's extensive-search day when no date was found otherwise.
    The names are cleaned of labels, roles and placeholders (extractors/authors.py).
    Prunes `root` in place: call it last."""
    meta.authors = clean_authors(meta.authors)
    site_authors = meta.authors if meta.site_authored else []
    if site_authors:
        meta.authors = []
    if not meta.published and meta.date_search:
        tree, page_url, today = meta.date_search
        guess = find_date(tree, language=meta.language, url=page_url, original_date=True,
                          extensive_search=True, max_date=today)
        # its last resorts give a year (a copyright's, one the text mentions) as 1 January:
        # on the WCXB dev articles 59 such days, none right; a story of 1 January that only
        # this search dates goes without a date
        meta.date_guess = None if guess and guess.endswith("-01-01") else guess
    if not meta.authors:
        # the untouched page's bylines before the text of those the catalogue removed: read
        # from their elements, a name ends where its element does ("Jane Doe" + "Math
        # Editor" ran together in the removed text)
        meta.authors = clean_authors(
            text_byline_authors(root, meta.outlets, meta.language)
            or _at_most_two(byline_names(line, meta.outlets) for line in meta.page_bylines)
            or _at_most_two(byline_names(line, meta.outlets) for line in meta.removed_bylines)
            or dateline_authors(root) or profile_link_authors(root))
    if not meta.authors and _author_markup(root):
        tree = prune_unwanted_nodes(root, AUTHOR_DISCARD_XPATHS)
        found = extract_metainfo(tree, AUTHOR_XPATHS, len_limit=120)
        found = normalize_authors(None, found) if found else None
        meta.authors = clean_authors(a for a in split_authors(found) if "://" not in a)
    if site_authors:
        meta.authors = _persons(meta.authors, meta.outlets) or site_authors
    meta.published = meta.published or meta.date_guess
