"""Downloader middlewares of newscrawl: what may be fetched, and what a response must be.

* ``SafeDestinationMiddleware``: only http(s), and only public addresses unless allowed. The
  host is resolved (through the reactor's resolver, without blocking it) before every
  request, so every redirect hop and every retry is checked, robots.txt requests included.
* ``RetryAfterMiddleware``: a 429 or 503 pauses that host's downloader slot for as long as
  ``Retry-After`` asks (capped), or an exponential back-off without one, then spaces its
  requests out; the retry (up to ``NEWSCRAWL_THROTTLE_RETRIES``: being throttled is not a
  failure) waits in the paused slot with the host's other requests.
* ``CompleteBodyMiddleware``: a gzip, deflate, brotli or zstd body that ends before its
  compressed stream does, or does not decompress, is a data loss, not a page (Scrapy would
  keep what decompressed).
* ``ContentSniffMiddleware``: a PDF, an image or other binary data served as ``text/html``
  is not HTML.
* ``RobotsTxtMiddleware`` / ``OffsiteMiddleware``: Scrapy's, raising ``RobotsRefused`` /
  ``OffsiteRefused`` so the frontier stores why a URL was skipped by exception type; the
  offsite check also holds for a retried request's redirect (``dont_filter`` does not waive
  it) and runs in the downloader, where the request's errback sees the refusal. The
  robots.txt fetched to obey it answers the spider's own request for it (its ``Sitemap:``
  lines), which is not sent again.
* ``RedirectLoopMiddleware``: a redirect back into its own chain is refused as a
  ``RedirectLoop``, so that the loop is recorded (Scrapy's duplicate filter drops it unseen),
  and one to another scheme (``file:``, ``data:``...) as ``DestinationRefused`` (Scrapy
  would pass the 3xx on as an HTTP error). A redirected request keeps the validators
  Scrapy copied from the URL that redirected only where they are its target's own (the
  frontier stores a redirecting URL's final answer with it): sent to a moved article, an
  old page's validators could have it answer 304, recorded fetched and never stored.
* ``MetaRefreshMiddleware``: Scrapy's, but a meta refresh to the page itself (a live blog's
  or a front page's reload timer), or back to a URL of its redirect chain, is no redirect:
  the page is the page.

Each of newscrawl's own has a ``NEWSCRAWL_..._ENABLED`` switch; see crawler/settings.py for
the values.

DNS rebinding. The address check and the connection resolve the host through the same
reactor resolver; Scrapy's default resolver caches names for the whole crawl (no TTL), so
the connection goes to the address that was checked. With ``DNSCACHE_ENABLED = False`` (or a
full cache) a host could resolve differently a moment later: then the request is sent, but a
response from a refused address is dropped (``Response.ip_address``), so nothing from it is
stored or followed. A ``proxy`` resolves names itself; requests through one are not checked.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import math
import sys
import time
import weakref
import zlib
from collections import deque
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn
from urllib.parse import urldefrag, urljoin, urlsplit

import brotli
from scrapy import signals
from scrapy.downloadermiddlewares import offsite as scrapy_offsite
from scrapy.downloadermiddlewares import redirect as scrapy_redirect
from scrapy.downloadermiddlewares import robotstxt as scrapy_robotstxt
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
    NotConfigured,
    ResponseDataLossError,
)
from scrapy.http import HtmlResponse, Response
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.response import get_meta_refresh
from twisted.internet.defer import Deferred
from twisted.internet.error import ConnectError, DNSLookupError
from twisted.internet.interfaces import IResolutionReceiver
from twisted.python.failure import Failure
from w3lib.url import canonicalize_url, safe_url_string
from zope.interface import implementer

from crawler.urlpolicy import host_problem, redacted
from extractors.charset import header_wide_text

if sys.version_info >= (3, 14):  # the zstd Scrapy decompresses with, as it imports it
    from compression import zstd
else:
    from backports import zstd

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

ALLOWED_SCHEMES = ("http", "https")
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
NAT64 = ipaddress.ip_network("64:ff9b::/96")
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


class DestinationRefused(IgnoreRequest):
    """A request or response refused by policy: a scheme or an address we do not fetch."""


class AddressRefused(DestinationRefused):
    """A request refused for the address its host resolves to (or its response came from):
    the run's address policy, which another run's may not share (``--allow-private``)."""


class Unsent(IgnoreRequest):
    """A request not sent: the crawl is stopping (`crawler.extensions.StopPromptlyExtension`),
    or its host has stopped answering anything but 429 / 503 (`RetryAfterMiddleware`).
    Nothing is recorded for it, so its frontier row stays queued for the next run."""


class RobotsUnavailable(Unsent):
    """A request not sent: its host's robots.txt could not be read (a server error or 429
    after the retries, no connection), which RFC 9309 reads as everything disallowed
    (`RobotsTxtMiddleware`). Its row waits for the next run; a start URL fails its site.
    `cause`: the error robots.txt's download ended in (None: it answered `status`)."""

    def __init__(self, message: str, cause: Exception | None = None):
        super().__init__(message)
        self.cause = cause


class RobotsRefused(IgnoreRequest):
    """A request robots.txt forbids (raised by ``RobotsTxtMiddleware``)."""


class OffsiteRefused(IgnoreRequest):
    """A request (typically a redirect target) off the crawl's sites (``OffsiteMiddleware``)."""


class RedirectLoop(IgnoreRequest):
    """A redirect back to a URL of its own chain (raised by ``RedirectLoopMiddleware``)."""


def robots_unavailable(status: int) -> bool:
    """Whether a robots.txt answering `status` says nothing of the rules: a server error,
    or 429 (too many requests: Google reads it as a server error; RFC 9309's "allow all"
    is for a file that is not there)."""
    return status >= 500 or status == 429


# Request meta: the spider's request for a robots.txt that `RobotsTxtMiddleware` answered
# with its own download's answer or error, which that middleware has said (a request
# downloaded on its own, the file being too big to keep or redirected, has not).
ROBOTS_ANSWERED = "newscrawl_robots_answered"

# How a robots.txt that could not be read is obeyed, in the warning that says so.
ROBOTS_UNREAD = ("nothing more of its host is fetched this run (RFC 9309), its URLs wait for"
                 " the next")
# ... and one over the size limit, which answered: RFC 9309 asks that 500 KiB of it be read,
# where Scrapy cancels a download past DOWNLOAD_MAXSIZE, its body never seen
ROBOTS_TOO_LARGE = "its pages are fetched as if it allowed them"

# What Scrapy's DownloadCancelledError says when a response's Content-Length is over
# DOWNLOAD_MAXSIZE. One without a Content-Length Scrapy cancels once that much has come,
# with a bare CancelledError, as any cancelled download: `crawler.extensions.BodySizeLimit`
# stops it first, with `discovery.TooLarge`, which says it too.
OVER_MAXSIZE = "larger than download max size"


def robots_unread(error: BaseException) -> bool:
    """Whether robots.txt's download ending in `error` leaves its rules unread (RFC 9309:
    everything disallowed): not a refusal by policy, which refuses its host's pages anyway,
    nor a robots.txt over the size limit."""
    return not isinstance(error, IgnoreRequest) and OVER_MAXSIZE not in str(error)


class RobotsTxtMiddleware(scrapy_robotstxt.RobotsTxtMiddleware):
    """Scrapy's, raising ``RobotsRefused`` so a refusal is told apart by its type; and the
    robots.txt it fetches for a host answers the spider's own request for that file, once,
    instead of a second download: its response, or the error its download ended in (a
    timeout, a refused connection), with no retry of its own (the middleware's request
    had them: a robots.txt that hung took 3 tries of 30 s, then 3 more for the spider's
    request; one answering 503, 6 tries, then 5 more). Bodies over `ROBOTS_KEPT_BYTES` and
    redirected answers are not kept for it, but a server error's or a 429's (its status
    is all the spider reads), and at most `ROBOTS_KEPT` of each are (the oldest goes: a
    host seeded by a feed or a sitemap only, or reached by a redirect, never asks).

    A robots.txt that could not be read (a server error or 429 after the retries, an error
    of its download) disallows everything on its host for the run, as RFC 9309 (2.3.1.4)
    says: Scrapy read a 503's body as the rules (none: everything allowed) and a failed
    download as no robots.txt. The host's requests, but its robots.txt, are not sent
    (`RobotsUnavailable`): they wait for the next run, which reads robots.txt again."""

    ROBOTS_KEPT_BYTES = 512 * 1024
    ROBOTS_KEPT = 64

    def __init__(self, crawler):
        super().__init__(crawler)
        self._fetched: dict[str, Response] = {}  # robots.txt URL -> its response, until asked
        self._failed: dict[str, Exception] = {}  # its host -> its download's error, the same
        # host -> why its robots.txt could not be read: its status, or its download's error
        self._unread: dict[str, int | Exception] = {}

    async def robot_parser(self, request: Request):
        """Scrapy's, but every request waiting for a robots.txt being fetched gets its
        parser. Scrapy awaits the one Deferred from each waiter, and under the asyncio
        reactor `Deferred.asFuture` hands the result to the first waiter only (the next
        ones get None: robots.txt not applied). A waiter here waits on a Deferred of its own
        that the shared one relays to, passing its result on unchanged."""
        parser = self._parsers.get(urlparse_cached(request).netloc)
        if not isinstance(parser, Deferred):
            return await super().robot_parser(request)
        waiter: Deferred = Deferred()

        def relay(result):
            waiter.callback(result)
            return result

        parser.addBoth(relay)
        return await maybe_deferred_to_future(waiter)

    async def process_request(self, request: Request, spider=None) -> Response | None:
        await super().process_request(request)
        if not (self._fetched or self._failed) or request.meta.get("dont_obey_robotstxt"):
            return None
        fetched = self._fetched.pop(request.url, None)
        failed = None
        if fetched is None and urlparse_cached(request).path == "/robots.txt":
            failed = self._failed.pop(urlparse_cached(request).netloc, None)
        if fetched is None and failed is None:
            return None
        request.meta["dont_retry"] = True  # tried as often as a download is already
        request.meta[ROBOTS_ANSWERED] = True
        if failed is not None:
            raise failed
        return fetched.replace(request=request)

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if robots_unavailable(response.status):
            self._unread[netloc] = response.status
        await super()._parse_robots(response, netloc, request)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        if not isinstance(exc, IgnoreRequest):  # (a refusal refuses the spider's request too)
            if len(self._failed) >= self.ROBOTS_KEPT:
                del self._failed[next(iter(self._failed))]
            self._failed[netloc] = exc
            if robots_unread(exc):
                self._unread[netloc] = exc
        super()._robots_error(exc, netloc)

    def process_response(self, request: Request, response: Response, spider=None) -> Response:
        """Keep the robots.txt Scrapy's middleware fetched (its own request: no callback,
        robots not obeyed), unless it was redirected or is too big to hold. One that
        answered a server error or 429 after the retries is said in one line, as one that
        failed (`extensions._RobotsFetchFailures`): Scrapy reads its body as the rules
        (none: everything allowed), without a word. That answer is kept however it was
        reached and whatever its size (without its body, which nobody reads): the spider's
        request for the file is its host's one request left, and sent again it was
        downloaded with its retries a second time, or refused at its first redirect hop
        (`_refuse_unread`), its failure then counted nowhere."""
        if not _robots_own(request):
            return response
        unread = robots_unavailable(response.status)
        if unread:
            logger.warning("%s could not be fetched (HTTP %d): %s", redacted(request.url),
                           response.status, ROBOTS_UNREAD)
            kept = response if len(response.body) <= self.ROBOTS_KEPT_BYTES else (
                response.replace(body=b""))
        elif (not request.meta.get("redirect_urls")
                and len(response.body) <= self.ROBOTS_KEPT_BYTES):
            kept = response
        else:
            return response
        if len(self._fetched) >= self.ROBOTS_KEPT:
            del self._fetched[next(iter(self._fetched))]
        self._fetched[(request.meta.get("redirect_urls") or [request.url])[0]] = kept
        return response

    def process_request_2(self, rp, request: Request) -> None:
        self._refuse_unread(request)
        try:
            super().process_request_2(rp, request)
        except RobotsRefused:
            raise
        except IgnoreRequest as error:
            raise RobotsRefused(*error.args) from None

    def _refuse_unread(self, request: Request) -> None:
        """Refuse a request to a host whose robots.txt could not be read, but the spider's
        own request for that robots.txt (it gets the answer kept for it), redirect hops
        included."""
        parts = urlparse_cached(request)
        unread = self._unread.get(parts.netloc)
        first = (request.meta.get("redirect_urls") or [request.url])[0]
        if unread is not None and "/robots.txt" not in (parts.path, urlsplit(first).path):
            self.crawler.stats.inc_value("newscrawl/robots_unavailable/unsent")
            why, cause = ((f"HTTP {unread}", None) if isinstance(unread, int)
                          else (type(unread).__name__, unread))
            raise RobotsUnavailable(f"not sent: {parts.netloc}/robots.txt could not be read"
                                    f" ({why}) ({request.url})", cause)


class OffsiteMiddleware(scrapy_offsite.OffsiteMiddleware):
    """Scrapy's, raising ``OffsiteRefused`` so an offsite drop is told apart by its type.

    Only the ``allow_offsite`` meta key lets a request off the sites, not ``dont_filter``
    as in Scrapy: its RetryMiddleware sets ``dont_filter`` on every retry and a redirect
    copies it, so a page that timed out once and then redirected off site was followed.
    """

    def request_scheduled(self, request: Request, spider=None) -> None:
        """Not at scheduling, where Scrapy drops the request without a word (no errback, so
        the frontier row of a page that redirected off site stayed queued, fetched again
        every run): ``process_request`` refuses it before any DNS lookup or connection."""

    def process_request(self, request: Request, spider=None) -> None:
        if request.dont_filter and not request.meta.get("allow_offsite"):
            request = request.replace(dont_filter=False)  # judged like any other request
        try:
            super().process_request(request)
        except OffsiteRefused:
            raise
        except IgnoreRequest as error:
            raise OffsiteRefused(*error.args) from None


# -- addresses --------------------------------------------------------------------------


def embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address inside an IPv4-mapped, IPv4-compatible, 6to4 or NAT64 IPv6 address."""
    if ip.version != 6:
        return None
    if ip.ipv4_mapped or ip.sixtofour:
        return ip.ipv4_mapped or ip.sixtofour
    if ip in NAT64 or (ip in IPV4_COMPATIBLE and int(ip) > 1):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def address_problem(address: str) -> str | None:
    """Why ``address`` is not a public unicast address ("loopback", "private"...), or None."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    inner = embedded_ipv4(ip)
    if inner is not None:
        problem = address_problem(str(inner))
        return f"{problem} (IPv4 {inner} inside IPv6)" if problem else None
    checks = (("unspecified", ip.is_unspecified), ("loopback", ip.is_loopback),
              ("link-local", ip.is_link_local), ("multicast", ip.is_multicast),
              ("private", ip.is_private), ("reserved", ip.is_reserved))  # fmt: skip
    for name, flagged in checks:
        if flagged:
            return name
    return None if ip.is_global else "non-public"


def is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    return True


@implementer(IResolutionReceiver)
class _Addresses:
    """Collects what the reactor's name resolver finds for one host."""

    def __init__(self):
        self.found: list[str] = []
        self.done: Deferred[list[str]] = Deferred()

    def resolutionBegan(self, resolution) -> None:
        pass

    def addressResolved(self, address) -> None:
        self.found.append(address.host)

    def resolutionComplete(self) -> None:
        self.done.callback(self.found)


async def resolve(host: str) -> list[str]:
    """Every address the reactor's resolver gives for ``host`` ([] if none), without blocking.

    The same resolver (and DNS cache) the download handler connects through.
    """
    from twisted.internet import reactor

    receiver = _Addresses()
    reactor.nameResolver.resolveHostName(receiver, host, 0)
    return await maybe_deferred_to_future(receiver.done)


class SafeDestinationMiddleware:
    """Refuse non-http(s) URLs and hosts that resolve to private or loopback addresses."""

    def __init__(self, stats, allow_private: bool, allowed_networks: list[str]):
        self.stats = stats
        self.allow_private = allow_private
        self.allowed = []
        for network in allowed_networks:
            try:
                self.allowed.append(ipaddress.ip_network(network.strip(), strict=False))
            except ValueError:
                raise ValueError(f"NEWSCRAWL_ALLOWED_NETWORKS: {network!r} is not a network "
                                 "(e.g. 10.20.0.0/16)") from None
        self.warned: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SafeDestinationMiddleware:
        settings = crawler.settings
        if not settings.getbool("NEWSCRAWL_SAFE_DESTINATION_ENABLED", True):
            raise NotConfigured
        networks = settings.get("NEWSCRAWL_ALLOWED_NETWORKS")
        if isinstance(networks, str) and networks.lstrip().startswith("["):
            # `scrapy crawl -s` passes the README's JSON form as a string (newscrawl parses it)
            try:
                networks = json.loads(networks)
            except ValueError:
                raise ValueError(f"NEWSCRAWL_ALLOWED_NETWORKS: {networks!r} is not a JSON "
                                 "list of networks") from None
        else:
            networks = settings.getlist("NEWSCRAWL_ALLOWED_NETWORKS")
        return cls(crawler.stats, settings.getbool("NEWSCRAWL_ALLOW_PRIVATE"),
                   [str(network) for network in networks])

    def refusal(self, address: str) -> str | None:
        """Why a connection to ``address`` is refused, or None when it is allowed."""
        if self.allow_private:
            return None
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if any(ip in network for network in self.allowed if network.version == ip.version):
            return None
        problem = address_problem(address)
        return f"{address} is a {problem} address" if problem else None

    async def process_request(self, request: Request, spider=None) -> None:
        parts = urlparse_cached(request)
        if parts.scheme not in ALLOWED_SCHEMES:
            self._refuse(request, "scheme", f"scheme {parts.scheme!r} is not http(s)")
        if "@" in parts.netloc:  # a redirect's, or a row queued by an older newscrawl
            self._refuse(request, "credentials",
                         "a user name or password in the URL is not supported")
        host = parts.hostname or ""
        problem = host_problem(host)  # a redirect's, a row queued by an older newscrawl
        if problem:
            self._refuse(request, "invalid_host", problem)
        if self.allow_private or request.meta.get("proxy") or not host:
            return None
        addresses = [host] if is_ip_literal(host) else await resolve(host)
        for address in addresses:  # none: the download fails with Scrapy's own DNS error
            reason = self.refusal(address)
            if reason:
                self._refuse(request, "private", f"{host} resolves to {address}: {reason}"
                             if address != host else reason)
        return None

    def process_response(self, request: Request, response: Response, spider=None) -> Response:
        address = getattr(response, "ip_address", None)
        reason = self.refusal(str(address)) if address is not None else None
        if reason and not request.meta.get("proxy"):
            self._refuse(request, "private", f"connected to {address}: {reason}")
        return response

    def _refuse(self, request: Request, kind: str, reason: str) -> NoReturn:
        self.stats.inc_value(f"newscrawl/refused/{kind}")
        hint = " (pass --allow-private to crawl it)" if kind == "private" else ""
        raise refusal(self.warned, request, f"{reason}{hint}",
                      AddressRefused if kind == "private" else DestinationRefused,
                      "refused: ")


def refusal(warned: set[str], request: Request, reason: str,
            kind: type[DestinationRefused] = DestinationRefused,
            prefix: str = "") -> DestinationRefused:
    """The error refusing `request` for `reason`, said as a WARNING for the first request
    to its host (`warned` holds the hosts said so far), at DEBUG after: the spider logs a
    refusal at DEBUG only, and one line per host is enough to see why a site was cut off."""
    host = urlparse_cached(request).hostname or request.url
    level = logging.DEBUG if host in warned else logging.WARNING
    warned.add(host)
    logger.log(level, "refused %s: %s", redacted(request.url), reason)
    return kind(f"{prefix}{reason}")


# -- Retry-After ------------------------------------------------------------------------


def retry_after_seconds(value: bytes | str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    # ASCII digits only: str.isdigit() also takes "²" (a stray byte 0xB2 read as Latin-1),
    # which float() refuses, and the error failed the URL instead of a back-off
    if text.isascii() and text.isdigit():
        return float(text)
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    now = time.time() if now is None else now
    return max(0.0, moment.timestamp() - now)


class RetryAfterMiddleware:
    """Pause a host's downloader slot after a 429 or 503, as long as it asks within a cap.

    A host that throttles a request sent after a pause of the whole cap (it asked for
    longer, or the back-off grew to it; not one of those in flight as the pause began), or
    sent after it had throttled everything for as long as the cap in short pauses (a
    `Retry-After: 1` to every request, which never reached the cap: each URL was tried 6
    times, a 46-URL queue held a run for 10 minutes), is given up for the run: the answer
    is recorded as the URL's failure (tried again next run), a start URL of the run gets
    one try, and its other requests are not sent (`Unsent`: they stay queued for the next
    run), where each of them waited the cap, 5 times (a site down for maintenance kept a
    run going for hours).
    A good answer from it (one already on its way) takes it back.

    A robots.txt (its middleware's own request) is retried as often as for any server
    error, RETRY_TIMES (2), if that is fewer: the host's every request waits for it, and
    RFC 9309 has one that cannot be read disallow the host anyway. Five retries, paused
    1, 2, 4, 8 and 16 s, held the host 37 s before it was given up.
    """

    def __init__(self, crawler: Crawler, max_wait: float, backoff: float, codes: set[int],
                 retries: int, robots_retries: int | None = None):
        self.crawler = crawler
        self.max_wait = max_wait
        self.backoff = backoff
        self.codes = codes
        self.retries = retries  # a throttled URL is retried this often, not RETRY_TIMES
        self.robots_retries = retries if robots_retries is None else min(robots_retries,
                                                                         retries)
        self.strikes: dict[str, int] = {}  # slot key -> throttling answers in a row
        self.delays: dict[str, float] = {}  # slot key -> its delay before we raised it
        self.capped: dict[str, float] = {}  # slot key -> when its pause of the cap ends
        self.since: dict[str, float] = {}  # slot key -> its first throttling answer in a row
        self.given_up: set[str] = set()  # slot keys not sent to for the rest of the run

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        settings = crawler.settings
        if not settings.getbool("NEWSCRAWL_RETRY_AFTER_ENABLED", True):
            raise NotConfigured
        codes = {int(code) for code in settings.getlist("NEWSCRAWL_RETRY_AFTER_CODES",
                                                         [429, 503])}  # fmt: skip
        return cls(crawler, settings.getfloat("NEWSCRAWL_RETRY_AFTER_MAX", 60.0),
                   settings.getfloat("NEWSCRAWL_BACKOFF_BASE", 1.0), codes,
                   settings.getint("NEWSCRAWL_THROTTLE_RETRIES", 5),
                   settings.getint("RETRY_TIMES"))

    def wait_for(self, response: Response, strikes: int) -> float:
        """Seconds to pause: Retry-After when given, else ``backoff * 2**(strikes - 1)``;
        at most the cap."""
        asked = retry_after_seconds(response.headers.get("Retry-After"))
        if asked is not None and asked > self.max_wait:
            logger.info("%s asks to wait %.0fs; waiting the cap, %.0fs", response.url, asked,
                        self.max_wait)
        wait = asked if asked is not None else self.backoff * 2 ** min(strikes - 1, 64)
        return min(wait, self.max_wait)

    def process_request(self, request: Request, spider=None) -> None:
        """A request to a host given up is not sent, but for a start URL of the run (one
        try: its failure says the site is down) and robots.txt (its middleware's own)."""
        if not self.given_up or _always_sent(request):
            return
        key = self.crawler.engine.downloader.get_slot_key(request)
        if key in self.given_up:
            self.crawler.stats.inc_value("newscrawl/throttled/unsent")
            raise Unsent(f"not sent: {key} answers nothing but 429 / 503 ({request.url})")

    def process_response(self, request: Request, response: Response,
                         spider=None) -> Request | Response:
        if request.meta.get("dont_retry"):
            return response
        downloader = self.crawler.engine.downloader
        key = downloader.get_slot_key(request)
        slot = downloader.slots.get(key)
        if slot is None:
            return response
        if response.status not in self.codes:
            self._relax(key, slot)
            return response
        self.strikes[key] = self.strikes.get(key, 0) + 1
        now = time.monotonic()
        sent = now - request.meta.get("download_latency", 0.0)
        if key in self.given_up or sent >= self.capped.get(key, math.inf):
            # sent once the longest pause we give was over, and throttled still
            self._give_up(key, response.status)
            request.meta["dont_retry"] = True
            return response
        wait = self.wait_for(response, self.strikes[key])
        began = self.since.setdefault(key, now)
        # the first pause of the cap, or the one that ends the cap's worth of throttling:
        # nothing is sent before it ends (an answer late in it extends it)
        if wait >= self.max_wait or now + wait - began >= self.max_wait:
            self.capped.setdefault(key, now + wait)
        self.delays.setdefault(key, slot.delay)
        slot.delay = max(slot.delay, min(wait, self.backoff))  # spacing after the pause
        slot.lastseen = max(slot.lastseen, now + wait)
        self.crawler.stats.inc_value(f"newscrawl/throttled/{response.status}")
        self.crawler.stats.max_value("newscrawl/throttled/max_wait", wait)
        logger.info("%s: %s, pausing %s for %.1fs", request.url, response.status, key, wait)
        retries = self.robots_retries if _robots_own(request) else self.retries
        retry = get_retry_request(request, spider=self.crawler.spider, max_retry_times=retries,
                                  reason=f"throttled ({response.status})")
        if retry is None:  # given up: RetryMiddleware must not try again
            request.meta["dont_retry"] = True
            return response
        return retry

    def _give_up(self, key: str, status: int) -> None:
        if key not in self.given_up:
            self.given_up.add(key)
            self.crawler.stats.inc_value("newscrawl/throttled/given_up")
            logger.warning("%s answered %s again after a %gs pause (%d throttled answers in"
                           " a row): given up for this run, its URLs wait for the next", key,
                           status, self.max_wait, self.strikes[key])
            self._drop_queued(key)

    def _drop_queued(self, key: str) -> None:
        """Fail with `Unsent` the slot's requests already waiting in the downloader (past
        `process_request`), but a start URL and robots.txt: they were sent one a second
        after the host was given up, each throttled again (24 of them, in a walkthrough)."""
        downloader = self.crawler.engine.downloader
        self.crawler.stats.inc_value("newscrawl/throttled/unsent", fail_waiting_for(
            downloader, downloader.get_slot_key, key, "answers nothing but 429 / 503"))

    def _relax(self, key: str, slot) -> None:
        """After a good answer, shrink the extra spacing until the slot's own delay is back."""
        self.strikes.pop(key, None)
        self.capped.pop(key, None)
        self.since.pop(key, None)
        self.given_up.discard(key)
        if key in self.delays:
            slot.delay = max(self.delays[key], slot.delay * 0.8)
            if slot.delay <= self.delays[key]:
                del self.delays[key]


class DeadHostMiddleware:
    """Give up for the run a host that cannot be reached: `failures` requests in a row
    failed at the connection (refused, no route, a DNS error, a timeout), each after its
    retries, with no answer from it between them. Its other requests are not sent
    (`Unsent`: they stay queued for the next run), but the run's start URLs and robots.txt
    (whose failures are what say the site is down).

    Each of them would fail its retries in turn, paced by AutoThrottle's delay, which only
    answers bring down: a dead host with a backlog of 200 queued URLs held a run for 13
    minutes, 2,000 for about two hours, and every cron run meanwhile exited 4. Sitting
    before RetryMiddleware, it sees a request's failure only once its retries are spent.
    A host is its URL's host and port, not its downloader slot: a redirect keeps the slot
    of the URL that redirected, and a dead target must not give up the live site.

    A request whose answer began (its headers came) and then timed out is that page's
    failure, not the host's: a site with 40 pages that drip their bodies filled every
    download slot with them, they timed out together with no other answer between them,
    and the whole site was given up, each run, its other pages never fetched.
    """

    # Scrapy's own (2.13 on), and Twisted's that older handlers raise
    CONNECTION_ERRORS = (DownloadConnectionRefusedError, CannotResolveHostError,
                         DownloadTimeoutError, ConnectError, DNSLookupError)

    def __init__(self, crawler: Crawler, failures: int):
        self.crawler = crawler
        self.failures = failures
        self.strikes: dict[str, int] = {}  # host:port -> connection failures in a row
        self.given_up: set[str] = set()
        self.began: weakref.WeakSet[Request] = weakref.WeakSet()  # their headers came

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DeadHostMiddleware:
        failures = crawler.settings.getint("NEWSCRAWL_DEAD_HOST_FAILURES", 3)
        if failures <= 0:
            raise NotConfigured
        middleware = cls(crawler, failures)
        # every answer, a redirect and a retried 503 too (this middleware sees only those
        # that come back through RedirectMiddleware and the retries)
        crawler.signals.connect(middleware.answered, signal=signals.response_downloaded)
        crawler.signals.connect(middleware.headers, signal=signals.headers_received)
        return middleware

    def headers(self, headers, body_length, request: Request, spider=None) -> None:
        """The host answers, if slowly: alive, and this request's timeout is its own."""
        self.answered(None, request)
        self.began.add(request)

    def answered(self, response: Response | None, request: Request, spider=None) -> None:
        """The host answers: alive, whatever the answer."""
        key = _host_port(request)
        self.strikes.pop(key, None)
        self.given_up.discard(key)

    def process_request(self, request: Request, spider=None) -> None:
        if not self.given_up or _always_sent(request):
            return
        key = _host_port(request)
        if key in self.given_up:
            self.crawler.stats.inc_value("newscrawl/dead_host/unsent")
            raise Unsent(f"not sent: {key} cannot be reached ({request.url})")

    def process_exception(self, request: Request, exception: Exception, spider=None) -> None:
        if not isinstance(exception, self.CONNECTION_ERRORS) or request in self.began:
            return
        key = _host_port(request)
        self.strikes[key] = self.strikes.get(key, 0) + 1
        if self.strikes[key] >= self.failures and key not in self.given_up:
            self.given_up.add(key)
            self.crawler.stats.inc_value("newscrawl/dead_host/given_up")
            logger.warning("%s: %d requests in a row could not connect (%s): given up for this"
                           " run, its URLs wait for the next", key, self.strikes[key],
                           type(exception).__name__)
            self._drop_queued(key)

    def _drop_queued(self, key: str) -> None:
        """Fail with `Unsent` the host's requests already waiting in the downloader's slots
        (past `process_request`, each waiting its turn), but a start URL and robots.txt."""
        self.crawler.stats.inc_value("newscrawl/dead_host/unsent", fail_waiting_for(
            self.crawler.engine.downloader, _host_port, key, "cannot be reached"))


def _always_sent(request: Request) -> bool:
    """A request sent to a host given up all the same: a start URL of the run (one try: its
    failure says the site is down) or robots.txt (its middleware's own)."""
    from crawler.visits import SEED  # here: visits imports this module, through discovery

    return bool(request.meta.get(SEED)) or _robots_own(request)


def _robots_own(request: Request) -> bool:
    """Whether `request` is `RobotsTxtMiddleware`'s own, for a host's robots.txt: robots
    not obeyed, and no callback (a page request may carry `dont_obey_robotstxt` too)."""
    return bool(request.meta.get("dont_obey_robotstxt")) and request.callback is NO_CALLBACK


def fail_waiting_for(downloader, key_of, key: str, why: str) -> int:
    """`fail_waiting` for the requests whose `key_of` is `key` (a host given up), but those
    `_always_sent`."""
    return fail_waiting(downloader, f"{key} {why}", lambda request: (
        key_of(request) == key and not _always_sent(request)))


def fail_waiting(downloader, why: str, which=lambda request: True) -> int:
    """Fail with `Unsent` the requests waiting in the downloader's per-site queues (past the
    middlewares, each waiting its turn) that `which` picks, the others kept in order;
    return how many."""
    failed = 0
    for slot in list(downloader.slots.values()):
        waiting, slot.queue = slot.queue, deque()
        for request, deferred in waiting:
            if not which(request):
                slot.queue.append((request, deferred))
                continue
            deferred.errback(Failure(Unsent(f"not sent: {why} ({request.url})")))
            failed += 1
    return failed


def _host_port(request: Request) -> str:
    parts = urlparse_cached(request)
    return f"{parts.hostname}:{parts.port or (443 if parts.scheme == 'https' else 80)}"


# -- bodies -----------------------------------------------------------------------------


def _zlib_complete(body: bytes, wbits: int, max_size: int) -> bool:
    """Whether a zlib/gzip stream (members in a row) ends; output is discarded as it goes."""
    data, produced = body, 0
    while data:
        decompressor = zlib.decompressobj(wbits)
        chunk = decompressor.decompress(data, 65536)
        produced += len(chunk)
        while decompressor.unconsumed_tail and not decompressor.eof:
            if max_size and produced > max_size:
                return True  # too large: HttpCompressionMiddleware refuses it
            produced += len(decompressor.decompress(decompressor.unconsumed_tail, 65536))
        if not decompressor.eof:
            return False
        data = decompressor.unused_data.lstrip(b"\0")
    return True


def _brotli_complete(body: bytes, max_size: int) -> bool:
    decompressor, produced = brotli.Decompressor(), 0
    chunk = decompressor.process(body, output_buffer_limit=65536)
    while chunk and not decompressor.is_finished():
        produced += len(chunk)
        if max_size and produced > max_size:
            return True
        chunk = decompressor.process(b"", output_buffer_limit=65536)
    return decompressor.is_finished()


def _zstd_complete(body: bytes, max_size: int) -> bool:
    """Whether a zstd stream (frames in a row) ends; output is discarded as it goes."""
    data, produced = body, 0
    while data:
        decompressor = zstd.ZstdDecompressor()
        produced += len(decompressor.decompress(data, 65536))
        while not decompressor.eof and not decompressor.needs_input:
            if max_size and produced > max_size:
                return True  # too large: HttpCompressionMiddleware refuses it
            produced += len(decompressor.decompress(b"", 65536))
        if not decompressor.eof:
            return False
        data = decompressor.unused_data
    return True


def stream_complete(body: bytes, encoding: bytes, max_size: int = 0) -> bool:
    """Whether ``body`` holds a whole gzip/deflate/br/zstd stream; other encodings are not
    checked."""
    try:
        if encoding in (b"gzip", b"x-gzip"):
            return _zlib_complete(body, 16 + zlib.MAX_WBITS, max_size)
        if encoding == b"deflate":
            wrapped = len(body) > 1 and body[0] & 0x0F == 8 and (body[0] << 8 | body[1]) % 31 == 0
            wbits = zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS  # no zlib header: raw deflate
            return _zlib_complete(body, wbits, max_size)
        if encoding == b"br":
            return _brotli_complete(body, max_size)
        if encoding == b"zstd":
            return _zstd_complete(body, max_size)
    except (zlib.error, brotli.error, zstd.ZstdError):
        return False
    return True


class CompleteBodyMiddleware:
    """Refuse a compressed body whose stream is cut short, before it is decompressed."""

    def __init__(self, stats, max_size: int):
        self.stats = stats
        self.max_size = max_size

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CompleteBodyMiddleware:
        if not crawler.settings.getbool("NEWSCRAWL_COMPLETE_BODY_ENABLED", True):
            raise NotConfigured
        return cls(crawler.stats, crawler.settings.getint("DOWNLOAD_MAXSIZE"))

    def process_response(self, request: Request, response: Response, spider=None) -> Response:
        encodings = response.headers.getlist("Content-Encoding")
        if request.method == "HEAD" or len(encodings) != 1 or not response.body:
            return response
        encoding = encodings[0].strip().lower()
        max_size = request.meta.get("download_maxsize", self.max_size)  # (a sitemap's)
        if stream_complete(response.body, encoding, max_size):
            return response
        self.stats.inc_value("newscrawl/refused/truncated_encoding")
        logger.warning("%s: %s body cut short or damaged (%d bytes received)", response.url,
                       encoding.decode("latin-1"), len(response.body))
        raise ResponseDataLossError(f"{encoding.decode('latin-1')} body cut short or damaged")


# Magic numbers of what news sites serve that is not HTML (prefix -> what it is).
BINARY_SIGNATURES: dict[bytes, str] = {
    b"%PDF-": "pdf", b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpeg", b"GIF87a": "gif",
    b"GIF89a": "gif", b"PK\x03\x04": "zip", b"\x00\x00\x01\x00": "ico", b"OggS": "ogg",
    b"ID3": "mp3", b"\x1a\x45\xdf\xa3": "webm", b"wOFF": "woff", b"wOF2": "woff2",
}  # fmt: skip


def binary_kind(body: bytes, content_type: str | None = None) -> str | None:
    """The binary format ``body`` starts with (``pdf``, ``png``...), or None.
    ``content_type``: the response's Content-Type header, whose charset may say that the
    zero bytes of a body are UTF-16 or UTF-32."""
    head = body[:16]
    if head[:4] == b"RIFF" and head[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return head[8:12].decode("ascii").strip().lower()
    if head[4:8] == b"ftyp":
        return "mp4"
    known = next((kind for magic, kind in BINARY_SIGNATURES.items() if head.startswith(magic)),
                 None)
    return known or ("binary" if _mostly_control_bytes(body, content_type) else None)


# Bytes no text holds (C0 controls but tab, newline, form feed and carriage return): in a
# body's first KB, more than this share of them is binary data, whatever its format. A page
# with a few stray NULs is text; UTF-16 (NUL every other byte) says so with its BOM, or
# with the header's charset where the body decodes to markup with it (`header_wide_text`).
CONTROL_BYTES = bytes(set(range(32)) - {9, 10, 12, 13})
BINARY_SHARE = 0.1


def _mostly_control_bytes(body: bytes, content_type: str | None) -> bool:
    head = body[:1024]
    if len(head) < 64 or head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    if len(head) - len(head.translate(None, CONTROL_BYTES)) <= BINARY_SHARE * len(head):
        return False
    return header_wide_text(body, content_type) is None  # (decoded only when it counts)


class ContentSniffMiddleware:
    """Turn an "HTML" response whose body is a PDF, an image or an archive into a binary one."""

    def __init__(self, stats):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ContentSniffMiddleware:
        if not crawler.settings.getbool("NEWSCRAWL_CONTENT_SNIFF_ENABLED", True):
            raise NotConfigured
        return cls(crawler.stats)

    def process_response(self, request: Request, response: Response, spider=None) -> Response:
        if not isinstance(response, HtmlResponse):
            return response
        kind = binary_kind(response.body,
                           response.headers.get("Content-Type", b"").decode("latin-1"))
        if kind is None:
            return response
        self.stats.inc_value(f"newscrawl/sniffed/{kind}")
        logger.info("%s: served as HTML but is %s", response.url, kind)
        return Response(response.url, status=response.status, headers=response.headers,
                        body=response.body, flags=response.flags, request=response.request,
                        certificate=response.certificate, ip_address=response.ip_address,
                        protocol=response.protocol)


REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
CONDITIONAL_HEADERS = (b"If-None-Match", b"If-Modified-Since")
# request meta: the validators a redirected request was sent without (not its hop's own)
COPIED_VALIDATORS = "newscrawl_copied_validators"


class RedirectLoopMiddleware:
    """Refuse a redirect back to a URL already in its chain, so that the loop is recorded.

    Scrapy's RedirectMiddleware would schedule the hop, and the scheduler's duplicate filter
    drop it without a word: the URL stayed queued in the frontier and was fetched again on
    every run. Raised here, the failure reaches the spider's errback as ``RedirectLoop``.
    """

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self._frontier = None  # the frontier's read side, opened at the first redirect
        self._warned: set[str] = set()  # hosts whose redirect to another scheme was said

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedirectLoopMiddleware:
        if not (crawler.settings.getbool("REDIRECT_ENABLED", True)
                and crawler.settings.getbool("NEWSCRAWL_REDIRECT_LOOP_ENABLED", True)):
            raise NotConfigured
        middleware = cls(crawler)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def spider_closed(self, spider=None) -> None:
        if self._frontier is not None:
            self._frontier.close()
            self._frontier = None

    def process_request(self, request: Request, spider=None) -> None:
        """A redirected request with the validators of the URL that redirected (Scrapy
        copies the headers) keeps them only where they are its target's own: where the
        target's frontier row holds them, from an answer that was not only a 304 (a row
        whose only answers were 304s to another URL's validators holds those). A
        redirecting listing answers 304 as before, through any number of hops (the
        validators wait in the request's meta for the hop whose row holds them); a moved
        article is fetched, not answered 304 to its old page's ETag."""
        if not request.meta.get("redirect_urls"):
            return
        sent = [request.headers.get(name) for name in CONDITIONAL_HEADERS]
        if not any(sent):
            sent = request.meta.get(COPIED_VALIDATORS) or [None, None]
            if not any(sent):
                return
        row = self._row(request.url)
        own = [(row.get(column) or "").encode("utf-8") or None  # as Scrapy sends a str
               for column in ("etag", "last_modified")] if row and row.get("kind") else None
        if sent == own:
            for name, value in zip(CONDITIONAL_HEADERS, own, strict=True):
                if value is not None:
                    request.headers[name] = value
            return
        for name in CONDITIONAL_HEADERS:
            request.headers.pop(name, None)
        request.meta[COPIED_VALIDATORS] = sent  # for a later hop whose own they are
        self.crawler.stats.inc_value("newscrawl/redirect/unconditional")

    def _row(self, url: str) -> dict | None:
        """The URL's frontier row (None without a frontier)."""
        from crawler.scheduling import frontier_enabled  # (it imports this module)

        settings = self.crawler.settings
        if self._frontier is None and frontier_enabled(settings):
            from crawler.frontier import SQLiteFrontier
            from crawler.storage import crawl_db

            path = crawl_db(self.crawler)
            if not Path(path).is_file():
                return None
            self._frontier = SQLiteFrontier(path)
        return self._frontier.get(url) if self._frontier is not None else None

    def process_response(self, request: Request, response: Response, spider=None) -> Response:
        location = response.headers.get("Location")
        if response.status not in REDIRECT_STATUSES or location is None or self._not_redirected(
                request, response):
            return response
        if not location:  # Scrapy would redirect to the URL itself, a duplicate dropped unsaid
            raise refusal(self._warned, request, "redirect to no URL to crawl (empty Location)")
        try:
            target = redirect_target(request, location)
        except ValueError as error:  # Scrapy's RedirectMiddleware raised it: failed, "other"
            raise refusal(self._warned, request,
                          f"redirect to no URL to crawl ({str(error)[:200]}): "
                          f"{redacted(location.decode('latin-1'))[:200]}") from None
        scheme = urlsplit(target).scheme
        if scheme not in ("http", "https"):  # Scrapy would hand the 3xx on as an HTTP error
            raise refusal(self._warned, request,
                          f"redirect to a {scheme}: URL refused: {redacted(target)[:200]}")
        chain = [*request.meta.get("redirect_urls", ()), request.url]
        if urldefrag(target)[0] in {urldefrag(url)[0] for url in chain}:
            raise RedirectLoop(f"redirect loop: {' -> '.join([*chain, target])}")
        return response

    def _not_redirected(self, request: Request, response: Response) -> bool:
        """The cases where Scrapy's RedirectMiddleware hands the 3xx to the spider instead."""
        meta = request.meta
        return bool(meta.get("dont_redirect") or meta.get("handle_httpstatus_all")
                    or response.status in meta.get("handle_httpstatus_list", ())
                    or response.status in getattr(self.crawler.spider,
                                                  "handle_httpstatus_list", ()))


def redirect_target(request: Request, location: bytes) -> str:
    """The URL Scrapy's RedirectMiddleware would build from a ``Location``; a ValueError
    where it cannot be parsed (a port out of range or not a number, an IPv6 host left
    open), which Scrapy's would raise."""
    target = safe_url_string(location)
    if location.startswith(b"//"):
        target = f"{urlparse_cached(request).scheme}://{target.lstrip('/')}"
    target = urljoin(request.url, target)
    _ = urlsplit(target).port  # reading the port checks it
    return target


class MetaRefreshMiddleware(scrapy_redirect.MetaRefreshMiddleware):
    """Scrapy's, but a meta refresh to the page itself is no redirect, nor one to no URL,
    nor one to another scheme (``javascript:``, ``mailto:``, ``file:``...).

    Live blogs and front pages reload themselves (``<meta http-equiv="refresh"
    content="60; url=<the page>">``): followed, the refresh was a request for a URL this
    run had requested already, which the duplicate filter dropped, and the page was
    recorded skipped (``redirect_duplicate``) and never stored, with exit code 0. The URLs
    are compared as the duplicate filter compares them (canonicalized, without fragment),
    with the page's URL and those of the redirects that led to it.
    """

    def process_response(self, request: Request, response: Response,
                         spider=None) -> Request | Response:
        if isinstance(response, HtmlResponse):
            try:
                _, url = get_meta_refresh(response, ignore_tags=self._ignore_tags)  # (cached)
            except ValueError:  # a refresh or <base href> URL that is none ("http://[::1/"):
                return response  # the page as it is, not a failed download
            target = urljoin(response.url, url) if url else None
            if target and urlsplit(target).scheme not in ("http", "https"):
                # not followed, as Scrapy leaves one to file: or data: (and one to a URL
                # without "//", javascript: or mailto:, made its Request raise: the page
                # was recorded failed, "Missing scheme", and never stored)
                return response
            chain = [response.url, *request.meta.get("redirect_urls", ())]
            if target and canonicalize_url(target) in {
                    canonicalize_url(seen) for seen in chain}:  # as the duplicate filter
                return response
        return super().process_response(request, response)
