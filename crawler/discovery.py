"""Helpers for NewsSpider: argument checks, what a response is, error and skip kinds.

Plain functions over Scrapy responses and failures, so they can be tested without a crawl.
Sitemaps and feeds are read by crawler/listings.py (lxml, through crawler/safexml.py: no
entity expanded); Scrapy's ``gunzip`` unpacks ``.xml.gz`` bodies.
"""

from __future__ import annotations

import logging
import re
import struct
import zlib
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from lxml import etree
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
    StopDownload,
)
from scrapy.http import HtmlResponse, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.gz import gunzip, gzip_magic_number
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet import error as neterror
from w3lib.url import safe_url_string

from crawler.listings import robots_sitemaps
from crawler.middlewares import (
    OVER_MAXSIZE,
    AddressRefused,
    DestinationRefused,
    OffsiteRefused,
    RedirectLoop,
    RobotsRefused,
)
from crawler.urlpolicy import cut, host_problem, shown

if TYPE_CHECKING:
    from scrapy.http import Response
    from twisted.python.failure import Failure

logger = logging.getLogger(__name__)

# Root element (local name) of an XML document -> what it is.
XML_ROOTS = {
    "urlset": "sitemap",
    "sitemapindex": "sitemap",
    "rss": "feed",
    "feed": "feed",  # Atom
    "RDF": "feed",  # RSS 1.0
}


class CorruptBody(Exception):
    """A body that cannot be read as what it says it is (a gzip file that does not unpack):
    a failure of the server's, tried again next run."""


# Failure types -> the ``<kind>`` in the ``newscrawl/errors/<kind>`` stats key; first match wins.
ERROR_KINDS: tuple[tuple[str, tuple[type[BaseException], ...]], ...] = (
    ("dns", (CannotResolveHostError, neterror.DNSLookupError)),
    ("timeout", (DownloadTimeoutError, neterror.TimeoutError, neterror.TCPTimedOutError)),
    ("cancelled", (DownloadCancelledError,)),
    ("bad_gzip", (CorruptBody,)),
    (
        "connection",
        (
            DownloadConnectionRefusedError,
            DownloadFailedError,
            ResponseDataLossError,
            neterror.ConnectError,
            neterror.ConnectionLost,
            neterror.ConnectionDone,
        ),
    ),
)

FEED_AUTODISCOVERY_XPATH = (
    "//link[@rel='alternate'][@type='application/rss+xml' or @type='application/atom+xml']/@href"
)


def parse_start_urls(value: str | list[str] | tuple[str, ...] | None) -> list[str]:
    """Start URLs from a list or a comma-separated string; ValueError unless http(s) with host."""
    urls = value.split(",") if isinstance(value, str) else list(value or [])
    urls = [url.strip() for url in urls if url and url.strip()]
    if not urls:
        raise ValueError("no start URLs given")
    for url in urls:
        problem = start_url_problem(url)
        if problem:
            raise ValueError(f"invalid start URL {shown(url)!r}: {problem}")
    return [with_path(url) for url in urls]


def start_url_problem(url: str) -> str | None:
    """`url_problem`, and white space in it: a start URL a person gave (a link or a listing
    may have a space a browser would encode; two start URLs quoted as one, "http://a/
    http://b/", were one URL that answered 404). A URL typed without its scheme, as a
    browser takes it (``news.example.com/world``), is told what it lacks."""
    if any(c.isspace() for c in url):
        return "white space in the URL (two URLs in one argument?)"
    problem = url_problem(url)
    if problem and _SCHEMELESS.match(url) and not url_problem(f"https://{url}"):
        return f"no scheme: did you mean 'https://{url}'?"  # a host typed as in a browser
    return problem


# A host (and port) typed with no scheme, as in a browser: not a scheme mistyped
# ("http:/x", "https//x"), nor another scheme ("mailto:x").
_SCHEMELESS = re.compile(r"(?!https?(?:[:/]|$))[^\s/:?#@]+(?::\d+)?(?:[/?#]|$)",
                         re.IGNORECASE)


def with_path(url: str) -> str:
    """``url`` with ``/`` for an empty path, as a browser requests it and as a page's links
    name it: ``https://example.com`` and ``https://example.com/`` are one frontier row."""
    parts = urlsplit(url)
    return url if parts.path else urlunsplit(parts._replace(path="/"))


# What no DNS name or IP literal holds (URL syntax lets a host have the sub-delimiters
# !$&'()*+,;= too: `http://exa&mple.com/` failed as "other", exit 1, not as bad input).
_NOT_IN_HOSTS = re.compile(r"[\s<>\"{}|\\^`%/?#@!$&'()*+,;=]")


def url_problem(url: str) -> str | None:
    """Why `url` cannot be crawled (not http(s), no host, a host no DNS name has or one
    written with its final dot, a port out of range or 0, a user name or password in it),
    or None. Scrapy's `Request` refuses the port, its download a user name ("invalid
    hostname"), each with a traceback; and a password would be stored in the frontier."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
        port = parts.port  # reading it checks it: "Port out of range 0-65535"
    except ValueError as error:  # "Invalid IPv6 URL", a port that is not a number
        return cut(str(error), 200)  # (a port of 100,000 digits is in it)
    if parts.scheme not in {"http", "https"} or not host:
        return "expected an http(s) URL with a host"
    if "@" in parts.netloc:
        return "a user name or password in the URL (user:password@host) is not supported"
    if _NOT_IN_HOSTS.search(host):  # (an empty label: `host_problem`)
        return f"{cut(host)!r} is not a host name"
    if host.endswith("."):  # the same host to DNS, another to Scrapy's offsite check
        return f"{cut(host)!r} ends with a dot: write the host without it"
    problem = host_problem(host)
    if problem:
        return problem
    if port == 0:
        return "port 0 is no port to connect to"
    return None


def too_long(url: str, limit: int) -> str | None:
    """Why Scrapy's UrlLengthMiddleware would drop a request for `url` (with one INFO line,
    and no errback): longer than URLLENGTH_LIMIT (`limit`; 0: no limit) once
    percent-encoded, as a Request holds it; None if it would not."""
    length = len(safe_url_string(url)) if limit else 0
    return f"{length} characters, over URLLENGTH_LIMIT ({limit})" if length > limit else None


# The largest page or depth limit: SQLite's largest integer (a limit is compared in SQL).
MAX_LIMIT = 2**63 - 1


def parse_limit(value: int | str | None, name: str) -> int | None:
    """A non-negative int from a spider argument (``-a max_depth=2`` gives a str); None if unset."""
    if value is None or value == "":
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a whole number, got {value!r}") from None
    if number < 0:
        raise ValueError(f"{name} must not be negative, got {number}")
    if number > MAX_LIMIT:
        raise ValueError(f"{name} must be at most {MAX_LIMIT}, got {number}")
    return number


# Bytes fed to the XML parser first while looking for the root's start tag (iterparse
# parsed 32 KB of every page before its first event); a sitemap's or feed's is in them.
SNIFF_CHUNK = 1024


# An HTML page's start, which no sitemap or feed has: an HTML doctype or `<html>` after
# white space and comments (a byte order mark aside).
_HTML_START = re.compile(rb"(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)[\s>]",
                         re.IGNORECASE | re.DOTALL)


def xml_root_name(body: bytes) -> str | None:
    """Local name of the document's root element, reading no further than its start tag
    ("html" for a page that opens as HTML, unparsed: a third of pages give the XML parser
    no start event before their end, which it then parses whole)."""
    if _HTML_START.match(body, 0, SNIFF_CHUNK):
        return "html"
    parser = etree.XMLPullParser(events=("start",), recover=True, resolve_entities=False,
                                 no_network=True)
    try:
        for chunk in (body[:SNIFF_CHUNK], body[SNIFF_CHUNK:]):  # the rest in one go: a page
            parser.feed(chunk)  # that is not XML (<!doctype html>) gives no start event
            if name := _root_started(parser):
                return name
        parser.close()
    except etree.XMLSyntaxError:
        return None
    return _root_started(parser)


def _root_started(parser: etree.XMLPullParser) -> str | None:
    """The local name of the first element the parser has read, if any yet."""
    for _, element in parser.read_events():  # "{ns}name", or "prefix:name" with the
        return element.tag.rpartition("}")[2].rpartition(":")[2]  # prefix undeclared
    return None


def response_body(response: Response, max_size: int) -> bytes:
    """The body, gunzipped if it is a gzip file (a ``.xml.gz`` sitemap). Raises `TooLarge`
    where it unpacks to more than ``max_size`` bytes, `CorruptBody` where it does not unpack
    (Scrapy's `gunzip` gives what comes before a cut; a cut sitemap says so when parsed)."""
    if not gzip_magic_number(response):
        return response.body
    try:
        return gunzip(response.body, max_size=max_size)
    except ValueError:  # gunzip's only one: unpacked past max_size
        raise TooLarge(max_size) from None
    except (OSError, EOFError, zlib.error, struct.error) as error:
        raise CorruptBody(f"cannot gunzip the body: {error}") from None


def classify(response: Response, body: bytes) -> str:
    """What a response is: "sitemap", "feed", "robots", "html" or "other"; by content first."""
    kind = XML_ROOTS.get(xml_root_name(body) or "")
    if kind:
        return kind
    if not isinstance(response, TextResponse):
        return "other"
    # robots.txt is defined by where it lives (RFC 9309), even when served as HTML, and
    # where its redirects end (a CDN's /robots-live.txt, a site that sends it home)
    if urlparse_cached(response).path == "/robots.txt" or _redirected_robots(response):
        return "robots"
    if isinstance(response, HtmlResponse):
        return "html"
    return "robots" if robots_sitemaps(body, response.url) else "other"


def _redirected_robots(response: Response) -> bool:
    """Whether `response` ends the redirects of a request for a robots.txt."""
    request = response.request
    redirects = request.meta.get("redirect_urls") if request is not None else None
    return bool(redirects) and urlsplit(redirects[0]).path == "/robots.txt"


# What Scrapy's HttpCompressionMiddleware says, ignoring a response whose Content-Encoding
# unpacks past DOWNLOAD_MAXSIZE (a gzip bomb).
UNPACKED_OVER_MAXSIZE = "exceeded DOWNLOAD_MAXSIZE"


class TooLarge(StopDownload):
    """A body without a Content-Length that grew past its size limit."""

    def __init__(self, limit: int):
        super().__init__(fail=True)
        self.limit = limit

    def __str__(self) -> str:
        return f"body {OVER_MAXSIZE} ({self.limit} bytes)"


def error_kind(failure: Failure) -> str | None:
    """``dns``, ``connection``, ``timeout``, ``http_<status>``...; ``too_large`` for a page
    over DOWNLOAD_MAXSIZE (a skip: no error); None for an ignored request."""
    if failure.check(TooLarge) or (failure.check(DownloadCancelledError)
                                   and OVER_MAXSIZE in str(failure.value)) or (
            failure.check(IgnoreRequest) and UNPACKED_OVER_MAXSIZE in str(failure.value)):
        return "too_large"
    if failure.check(HttpError):
        return f"http_{failure.value.response.status}"
    if failure.check(DestinationRefused):  # a private address or a non-http(s) scheme
        return "refused"
    if failure.check(IgnoreRequest):  # robots.txt, offsite: policy, not an error
        return None
    for kind, exception_types in ERROR_KINDS:
        if failure.check(*exception_types):
            return kind
    return "other"


# IgnoreRequest subclasses -> why the URL was skipped (frontier ``reason``); first match wins.
SKIP_REASONS: tuple[tuple[str, type[BaseException]], ...] = (
    ("robots", RobotsRefused),  # robots.txt forbids it
    ("refused", AddressRefused),  # a private address: tried again every run
    ("refused_url", DestinationRefused),  # a non-http(s) scheme, a user name or password
    ("offsite", OffsiteRefused),  # e.g. a redirect to another site
    ("redirect_loop", RedirectLoop),  # a redirect back into its own chain
)


def skip_reason(failure: Failure) -> str:
    """Why an ignored request was skipped, by the exception's type; ``ignored`` otherwise."""
    for reason, exception_type in SKIP_REASONS:
        if failure.check(exception_type):
            return reason
    return "ignored"


def utc_now() -> str:
    """Now as ISO 8601 UTC to the second: ``2025-01-31T12:00:00Z``."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def page_item(response: Response, site: str, source: str) -> dict[str, Any]:
    """The PageItem of docs/architecture.md for a fetched HTML page."""
    redirects = response.meta.get("redirect_urls") or [response.request.url]
    headers = {
        key.decode("latin-1"): values[0].decode("latin-1")
        for key, values in response.headers.items()
        if values
    }
    return {
        "url": response.url,
        "requested_url": redirects[0],
        "status": response.status,
        "content_type": response.headers.get("Content-Type", b"").decode("latin-1"),
        "headers": headers,
        "body": response.body,
        "fetched_at": utc_now(),
        "site": site,
        "depth": response.meta.get("depth", 0),
        "source": source,
    }
