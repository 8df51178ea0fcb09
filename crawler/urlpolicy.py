"""Which links are worth following from a news page: the article-URL heuristics.

Link-following from a homepage reaches articles through sections; it wastes fetches on tag,
author, search, login/account and share/print pages, and on pagination that goes on forever.
``link_rejection(url)`` names the first rule a link breaks (``tag``, ``author``...) or None.
The rules apply to links found in pages only: a URL listed by a sitemap or a feed is taken
as listed. Per-site ``allow`` / ``deny`` patterns (crawler/config.py) come on top.
``without_tracking(url)`` drops the query parameters that only say where a reader came from;
``url_key(url)`` says which spellings of a URL are one document to the crawl.
"""

from __future__ import annotations

import re
from contextlib import suppress
from functools import lru_cache
from urllib.parse import urlsplit

from scrapy.utils.url import strip_url
from w3lib.url import canonicalize_url, url_query_cleaner

MAX_LISTING_PAGE = 3  # /page/4/, ?page=4 and beyond are not followed

# name -> pattern searched in the URL's path (and query, for the ones that say so)
DENY_RULES: dict[str, re.Pattern[str]] = {
    "tag": re.compile(r"/(tags?|tagged|keywords?|hashtags?)/", re.IGNORECASE),
    "author": re.compile(r"/(authors?|contributors?|profiles?|people|byline)/", re.IGNORECASE),
    "search": re.compile(r"/search(/|$)|[?&](q|s|query|search|keywords?)=", re.IGNORECASE),
    "login": re.compile(
        r"/(log-?in|sign-?in|sign-?up|sign-?out|log-?out|register|account|my-account|profile"
        r"|subscribe|subscription|cart|checkout|password|wp-login\.php|wp-admin)(/|$|\?)",
        re.IGNORECASE,
    ),
    "share": re.compile(
        r"/(print|share|email|sharer?)(/|$|\?)|[?&](share|print|replytocom)=", re.IGNORECASE
    ),
    "comments": re.compile(r"/comments?/(feed/)?$|#comments?$", re.IGNORECASE),
}
PAGINATION = re.compile(r"(?:/page/|[?&](?:page|p|pg|paged)=)(\d+)", re.IGNORECASE)


def link_rejection(url: str) -> str | None:
    """The name of the heuristic that rejects following ``url`` as a link, or None."""
    parts = urlsplit(url)
    target = parts.path + ("?" + parts.query if parts.query else "")
    for name, pattern in DENY_RULES.items():
        if pattern.search(target):
            return name
    match = PAGINATION.search(target)
    if match and int(match.group(1)) > MAX_LISTING_PAGE:
        return "pagination"
    return None


# Query parameters that only say where a reader came from (web analytics, ad clicks, mail
# campaigns, share buttons): a link's, a feed's or a sitemap's URL is requested and recorded
# without them, so that a story linked with several is one URL, one fetch and one article.
# Any `utm_` parameter, and these.
TRACKING_PARAMETERS = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "srsltid", "mc_cid", "mc_eid",
    "igshid", "yclid", "_hsenc", "_hsmi", "mkt_tok",
})


def _tracking(name: str) -> bool:
    return name.startswith("utm_") or name in TRACKING_PARAMETERS


def without_tracking(url: str) -> str:
    """`url` without its tracking parameters (a URL without any is returned as it is, and
    so is one whose query also separates pairs with ";", which a name would swallow)."""
    query = url.partition("#")[0].partition("?")[2]
    if not query or ";" in query:
        return url
    names = [pair.partition("=")[0] for pair in query.split("&")]
    if not any(map(_tracking, names)):
        return url
    return url_query_cleaner(url, [name for name in names if _tracking(name)], remove=True,
                             unique=False, keep_fragments=True)


@lru_cache(maxsize=4096)
def url_key(url: str) -> str | None:
    """The URL as Scrapy's duplicate filter compares it (w3lib's `canonicalize_url`: the
    query's parameters sorted, percent-escapes normalised, no fragment), and without a
    default port (``http://h:80/`` is ``http://h/``), where that is not ``url`` itself; None
    where it is (or where ``url`` cannot be read: a bad port). Two spellings with one key
    are one document: the crawl requests the first one it recorded for both.

    Cached (the last 4,096 URLs): a new URL is looked up, respelled, recorded and written
    in the reactor thread, each asking for its key."""
    try:
        key = canonicalize_url(strip_url(url, strip_credentials=False, strip_fragment=False)
                               if ":80" in url or ":443" in url else url)
    except ValueError:
        return None
    return None if key == url else key


def host_problem(host: str) -> str | None:
    """Why no DNS lookup can be made for `host`: an empty label ("www..example.com",
    ".example.com"), a label over 63 characters, or an internationalised one that is not
    one ("xn--zz-é"); None for a name or an IP literal. The lookup fails in a resolver
    thread, and the request never ends (a crawl held its lock for good)."""
    if (len(host) <= 63 and host.isascii() and "xn--" not in host and ".." not in host
            and not host.startswith(".")):
        return None  # (most hosts: no label can be empty or too long)
    try:
        host.encode("idna")
    except UnicodeError as error:
        return f"{cut(host)!r} is not a host name ({error.__cause__ or error})"
    return None


def cut(text: str, most: int = 80) -> str:
    """`text` cut short past `most` characters, for a message."""
    return text if len(text) <= most else f"{text[:most - 3]}..."


def bare_host(host: str) -> str:
    """The host without a leading ``www.``: ``www.example.com`` and ``example.com`` are one site.
    In ASCII (IDNA): Scrapy requests ``bücher.de`` as ``xn--bcher-kva.de``, and the pages
    link to either form."""
    host = host.lower().rstrip(".")
    if not host.isascii():
        with suppress(UnicodeError):  # not a valid IDN: kept as written (matches itself)
            host = host.encode("idna").decode("ascii")
    return host.removeprefix("www.")


# A URL's user information: what comes before an "@" in its host part, after the scheme and
# any slashes or backslashes a browser would read ("https:/u:pw@host", "http:\\u:pw@host").
_CREDENTIALS = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*:[/\\]*)?[^/?#\\@]*@")


def shown(url: str, most: int = 200) -> str:
    """`url` as a message shows it: `redacted`, and cut short past `most` characters (a
    100,000-character URL made a 100 kB error line)."""
    return cut(redacted(url), most)


def redacted(url: str) -> str:
    """`url` with what comes before an ``@`` in its host part (a user name, a password)
    shown as ``***``, for logs and messages."""
    return _CREDENTIALS.sub(lambda found: f"{found.group(1) or ''}***@", url, count=1)
