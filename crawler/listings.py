"""Entries of sitemaps and feeds with their dates, and what the dates mean for a crawl.

A sitemap ``<url>`` gives ``loc`` and ``lastmod``, and a Google News sitemap adds
``news:publication_date``, ``news:title`` and ``news:publication/news:language``; an RSS item
gives ``link``, ``pubDate`` and ``title``; an Atom entry ``link``, ``updated``, ``published``
and ``title``. Dates are normalised to ISO 8601 UTC to the second (``2025-03-05T08:02:00Z``),
so they compare as text with ``fetched_at``.

Parsing never resolves entities or touches the network (crawler/safexml.py: the lxml options
of Scrapy's ``Sitemap``, and every entity reference dropped).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin

from lxml import etree
from scrapy.utils.sitemap import sitemap_urls_from_robots

from crawler import safexml

# Requests for listings (robots.txt, sitemaps, feeds) and start URLs go first, then articles
# newest first: an entry's priority is its date in seconds since 2000, so a listing outranks
# any dated entry until the year 3000 (3.2e10 seconds), and stories of one hour go out in
# their order too, newest first.
LISTING_PRIORITY = 100_000_000_000
# Scrapy's DEPTH_PRIORITY moves a followed request's priority by its depth: a listing stays
# above this floor, a dated entry below it.
LISTING_FLOOR = LISTING_PRIORITY // 2
EPOCH_2000 = datetime(2000, 1, 1, tzinfo=UTC)


def is_listing(priority: int | None) -> bool:
    """Whether a request (or frontier row) of this priority is for a listing: a start URL,
    robots.txt, a sitemap, a feed or a section front looked at again every run."""
    return (priority or 0) >= LISTING_FLOOR


@dataclass(frozen=True)
class Entry:
    """A URL listed by a sitemap or a feed, with what the listing says about it."""

    url: str
    lastmod: str | None = None  # sitemap lastmod, Atom updated
    published: str | None = None  # news:publication_date, RSS pubDate, Atom published
    title: str | None = None  # news:title, feed item title
    language: str | None = None  # news:language, feed language

    @property
    def newest(self) -> str | None:
        """The later of lastmod and published, or None when the listing gives no date."""
        dates = [d for d in (self.lastmod, self.published) if d]
        return max(dates) if dates else None

    def meta(self) -> dict[str, str]:
        """The non-empty fields but the URL, for request meta and the frontier row."""
        fields = {"lastmod": self.lastmod, "published": self.published,
                  "title": self.title, "language": self.language}  # fmt: skip
        return {key: value for key, value in fields.items() if value}


def parse_date(text: str | None, *, end_of_day: bool = False) -> str | None:
    """ISO 8601 / W3C datetime / RFC 822 date as ISO 8601 UTC to the second; None if unreadable.

    A date without a time is midnight UTC (`end_of_day`: 23:59:59 UTC, for a `lastmod`: an
    edit announced as "2026-11-28" may come after a fetch that day, and must still bring
    the page back, once that day is over); a time without an offset is taken as UTC.
    """
    text = (text or "").strip()
    if not text:
        return None
    moment = _iso(text) or _rfc822(text)
    if moment is None:
        return None
    if end_of_day and _DATE_ONLY.fullmatch(text):
        moment = moment.replace(hour=23, minute=59, second=59)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        moment = moment.astimezone(UTC)
    except OverflowError:  # 9999-12-31T23:00:00-05:00: past the last date Python has
        return None
    if moment.year < 1000:  # no news; and strftime writes the year 1 as "1", unsortable
        return None
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None


def _rfc822(text: str) -> datetime | None:
    """An RFC 822 date; None where it does not read, or where its year is written with
    three digits or more but is under 100 (``0000``, ``0024``): parsedate widens a year
    under 100 as a two-digit one (``00`` is 2000), and would date the entry in 2000. Read as
    written, such a year is no news (`parse_date`: before 1000), so the date is unreadable."""
    year = next((word for word in _RFC822_WORDS.split(text)
                 if word.isdigit() and len(word) > 2), "")
    if year and int(year) < 100:
        return None
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None


# The words of an RFC 822 date: between spaces and commas, or hyphens after a letter
# (RFC 850's "01-Jan-24"; not a zone's "-0500"). Its year is the one of three digits or more.
_RFC822_WORDS = re.compile(r"[\s,]+|(?<=[A-Za-z])-")


def priority_of(date: str | None) -> int:
    """Request priority from a normalised date: seconds since 2000 (0 when there is no date;
    a date ahead of our clock counts as now)."""
    if not date:
        return 0
    moment = min(datetime.strptime(date, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC),
                 datetime.now(UTC))  # a date-only lastmod of today is its day's last second
    return max(0, int((moment - EPOCH_2000).total_seconds()))


def is_older(entry: Entry, since: str | None) -> bool:
    """Whether ``--since`` excludes the entry: it has a date and that date is before ``since``."""
    newest = entry.newest
    return bool(since and newest and newest < since)


# -- sitemaps -------------------------------------------------------------------------


def _xml_root(body: bytes,
              errors: list[str] | None) -> tuple[etree._Element | None, list[etree._Element]]:
    """The document's root, and the entries a cut left half-written (see `_cut_off`); the
    parser's first error, if any, is added to `errors`."""
    root, logged = safexml.parse_logged(body)
    if logged and errors is not None:
        errors.append(safexml.described(logged[0]))
    return root, _cut_off(body, root, logged) if logged and root is not None else []


# An element the parser found open at the end of the document ("Premature end of data in
# tag loc line 9").
_UNFINISHED = re.compile(r"in tag (\S+)")


def _cut_off(body: bytes, root: etree._Element, logged: list) -> list[etree._Element]:
    """The entries a document the parser repaired ends in, if it was cut short (a download
    or a gzip file cut off, a listing written half-way): such an entry may be cut too, a URL
    half-written (`https://example.com/news/2025/03/01/tr-`), and is not read. Told by the
    element the parser found open at the end: an entry or one of its fields, not the root
    or an RSS channel (a cut between two entries loses none). Where the parser stopped at
    a broken tag instead, by the root's end tag missing from the document."""
    open_entries = _open_entries(root)
    if not open_entries:
        return []
    for entry in logged:
        if entry.type == etree.ErrorTypes.ERR_TAG_NOT_FINISHED:
            found = _UNFINISHED.search(entry.message)
            name = found.group(1).rpartition(":")[2] if found else ""
            return [] if name in (_local(root), "channel") else open_entries
    name = _local(root)
    encoding = _codec(body, root.getroottree().docinfo.encoding)
    ended = any(end.encode(encoding, "replace") in body
                for end in (f"</{name}>", f":{name}>", f"</{name} "))
    return [] if ended else open_entries


def _open_entries(root: etree._Element) -> list[etree._Element]:
    """The entries the document's last element is in (a sitemap's `<url>` or `<sitemap>`,
    a feed's `<item>` or `<entry>`, not a channel's `<image><url>` after its items): those
    still open where it ends (one, unless a field left open nested the entries after it in
    its own)."""
    last = root
    for last in root.iter():  # noqa: B007 (the last one is wanted)
        pass
    names = _entry_names(root)
    return [e for e in (last, *last.iterancestors()) if e is not root and _local(e) in names]


def _entry_names(root: etree._Element) -> tuple[str, ...]:
    """The local names of a listing's entries: a sitemap's, by its root; a feed's."""
    return {"urlset": ("url",), "sitemapindex": ("sitemap",)}.get(_local(root),
                                                                  ("item", "entry"))


def _codec(body: bytes, declared: str | None) -> str:
    """The codec of a document's bytes, from what lxml read it as (UTF-16's byte order from
    its first bytes)."""
    codec = (declared or "utf-8").lower()
    if body[:2] in (b"\xff\xfe", b"\xfe\xff") or codec.replace("-", "") in ("utf16", "ucs2"):
        # (lxml says "UTF-8" of a UTF-16 document with a byte order mark and no declaration)
        return "utf-16-be" if body[:2] == b"\xfe\xff" or body[:1] == b"\x00" else "utf-16-le"
    try:
        "".encode(codec)
    except LookupError:
        return "utf-8"
    return codec


def _local(element: etree._Element) -> str:
    """An element's name without its namespace or prefix (libxml2 keeps an undeclared
    prefix in the name: `sm:urlset`, which `etree.QName` refuses); "" for a comment."""
    tag = element.tag
    return tag.rpartition("}")[2].rpartition(":")[2] if isinstance(tag, str) else ""


def _namespace(element: etree._Element) -> str | None:
    tag = element.tag
    return tag[1:].partition("}")[0] if isinstance(tag, str) and tag.startswith("{") else None


def _fields(element: etree._Element, entry: str) -> dict[str, str]:
    """Text of the descendants by local name (the first of each, in document order), e.g.
    loc, lastmod, title; none of an `entry` nested in it (the rest of a sitemap after an
    unclosed field, which the parser puts in the entry that field is in)."""
    found: dict[str, str] = {}
    waiting = list(reversed(element))
    while waiting:
        child = waiting.pop()
        name = _local(child)
        if name == entry:
            continue
        if name and name not in found and child.text and child.text.strip():
            found[name] = child.text.strip()
        waiting.extend(reversed(child))
    return found


def sitemap_entries(body: bytes, errors: list[str] | None = None) -> list[Entry]:
    """The ``<url>`` (or ``<sitemap>``) entries of a sitemap, with dates and news fields
    (as far as a broken one goes: its first XML error is added to `errors`)."""
    root, cut_off = _xml_root(body, errors)
    if root is None:
        return []
    (name,) = _entry_names(root)
    # entries at any depth (a field left open nests the entries after it in its own): the
    # root's children of the entries' name, and those nested in the namespace of either
    # (`<sm:urlset>` may hold plain `<url>`s); an extension's `<x:url>` is a field
    own = {_namespace(root), *(_namespace(e) for e in root if _local(e) == name)}
    entries = []
    for element in root.iter(etree.Element):
        if (_local(element) != name or element in cut_off
                or (_namespace(element) not in own and element.getparent() is not root)):
            continue
        fields = _fields(element, name)
        if not fields.get("loc"):
            continue
        entries.append(Entry(
            url=fields["loc"],
            lastmod=parse_date(fields.get("lastmod"), end_of_day=True),
            published=parse_date(fields.get("publication_date")),
            title=fields.get("title"),
            language=fields.get("language"),
        ))
    return entries


# -- feeds ----------------------------------------------------------------------------


def feed_entries(body: bytes, base_url: str, errors: list[str] | None = None) -> list[Entry]:
    """Entries of an RSS 2.0, RSS 1.0 or Atom feed: absolute link, dates, title, language
    (as far as a broken one goes: its first XML error is added to `errors`).

    Names are compared without their namespace (an RSS 1.0 ``<item>``, an Atom ``<entry>``,
    ``dc:date``), with plain lxml calls: one walk for the entries, one over each entry's
    children (parsel's XPath, a `Selector` and five queries an item, took 2.0-2.8 s of a
    50,000-item feed, all of it on the reactor's thread)."""
    root, cut_off = _xml_root(body, errors)  # no entity is expanded
    if root is None:
        return []
    language = _feed_language(root)
    items = list(root.iter(*_ENTRY_TAGS))  # in document order, nested ones too
    if cut_off:  # the last one may be cut (see `_cut_off`)
        items = items[:-1]
    entries = [_rss_entry(item, base_url, language) if _bare(item) == "item"
               else _atom_entry(item, base_url, language) for item in items]
    return [entry for entry in entries if entry is not None]


# A feed's entries in any namespace or none ("{*}"), not under an undeclared prefix (`x:item`).
_ENTRY_TAGS = ("{*}item", "{*}entry")


def _bare(element: etree._Element) -> str:
    """An element's name without its namespace (an undeclared prefix stays: `x:item`)."""
    return element.tag.rpartition("}")[2]


def _attribute(element: etree._Element, name: str) -> str | None:
    """An attribute by its name without a namespace (``lang`` is ``xml:lang`` too)."""
    value = element.get(name)
    if value is None and element.attrib:
        value = next((value for key, value in element.attrib.items()
                      if key.rpartition("}")[2] == name), None)  # fmt: skip
    return value


def _children(element: etree._Element) -> dict[str, etree._Element]:
    """The first child element of each name (namespace aside)."""
    children: dict[str, etree._Element] = {}
    for child in element.iterchildren(etree.Element):
        children.setdefault(_bare(child), child)
    return children


def _text(children: dict[str, etree._Element], name: str) -> str | None:
    """The text of the child of that name (`_string`); None where there is none."""
    child = children.get(name)
    return _string(child) if child is not None else None


def _string(element: etree._Element) -> str | None:
    """An element's text (XPath's string value) without the white space around it; None
    where it has none."""
    return "".join(element.itertext()).strip() or None


def _feed_language(root: etree._Element) -> str | None:
    """The root's ``lang`` (``xml:lang``) attribute, else the first channel's
    ``<language>``; None where neither is, or it is empty."""
    language = _attribute(root, "lang")
    if language is None:
        language = next(("".join(element.itertext()) for element in root.iter("{*}language")
                         if _bare(element.getparent()) == "channel"), None)  # fmt: skip
    return language or None


def _rss_entry(item: etree._Element, base_url: str, language: str | None) -> Entry | None:
    children = _children(item)
    link = _text(children, "link") or _permalink(children.get("guid"))
    if not link:
        return None
    published = _text(children, "pubDate") or _text(children, "date")  # RSS 2.0, or dc:date
    return Entry(joined(base_url, link), None, parse_date(published), _text(children, "title"),
                 language)


def _permalink(guid: etree._Element | None) -> str | None:
    """An RSS 2.0 item's ``<guid>`` where it is its link: a permalink unless it says
    ``isPermaLink="false"`` (the default is true), and an http(s) URL (many feeds give an id
    that is none, without saying so)."""
    text = _string(guid) if guid is not None else None
    if (not text or (_attribute(guid, "isPermaLink") or "").strip().lower() == "false"
            or not text.lower().startswith(("http://", "https://"))):
        return None
    return text


def _atom_entry(entry: etree._Element, base_url: str, language: str | None) -> Entry | None:
    href = next((_attribute(link, "href") for link in entry.iterchildren("{*}link")
                 if _attribute(link, "rel") in (None, "alternate")
                 and _attribute(link, "href") is not None), None)  # fmt: skip
    if not href or not href.strip():
        return None
    children = _children(entry)
    return Entry(joined(base_url, href.strip()), parse_date(_text(children, "updated"),
                                                             end_of_day=True),
                 parse_date(_text(children, "published")), _text(children, "title"),
                 _attribute(entry, "lang") or language)


def joined(base_url: str, link: str) -> str:
    """`link` made absolute against `base_url`; as written where it cannot be parsed
    (`http://[::1/x`: urljoin raises), for the spider to skip and count like any URL that
    is none to crawl, not to lose the listing's (or the page's) other links with it."""
    try:
        return urljoin(base_url, link)
    except ValueError:
        return link


def robots_sitemaps(body: bytes, base_url: str) -> list[str]:
    """The URLs of robots.txt's ``Sitemap:`` lines, as Scrapy reads them, made absolute; a
    line whose URL cannot be parsed as written (see `joined`)."""
    if b"sitemap:" not in body.lower():  # most bodies asked (any text response) have none
        return []
    urls = []
    for line in body.splitlines():  # a line at a time: one bad URL stops Scrapy's reading
        try:
            urls += sitemap_urls_from_robots(line, base_url=base_url)
        except ValueError:
            urls.append(line.partition(b":")[2].strip().decode("utf-8", "replace"))
    return urls
