"""Visit records: what became of one request, as the frontier stores it.

The spider puts one on every page item (key ``visit``) and yields ``{"visit": ...}`` for
everything else it fetched or failed to fetch (a sitemap, a feed, a 404, a robots.txt
refusal), so that the single writer can flip the URL's frontier row in the same transaction
as the page (crawler/frontier.py). Keys: ``url`` (the URL as requested: the frontier key),
``final_url`` (after redirects), ``site``, ``source``, ``depth``, ``state`` (fetched, failed,
skipped), ``kind`` (html, sitemap, feed, robots, other; None when a 304 says nothing new),
``discovered_at``, ``fetched_at``, ``visited_at`` (when this outcome was recorded),
``http_status``, ``etag``, ``last_modified``, ``moved`` (True when the URL first
requested answered with a permanent redirect), ``filters`` (the site's, see
`crawler.config.SiteSpec.filters`), ``reason`` (for a skip: ``robots``,
``no_robots``, ``refused``, ``refused_url``, ``offsite``, ``redirect_loop``, ``denied``,
``too_large``, ``ignored``, ``not_html``, ``http_<status>``: docs/schema.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crawler.discovery import utc_now

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.http import Response

SOURCE = "newscrawl_source"  # request meta: start, robots, sitemap, feed or link
SITE = "newscrawl_site"  # request meta: the name of the site the URL belongs to
ENTRY = "newscrawl_entry"  # request meta: what a sitemap or feed said (lastmod, title...)
# request meta: one of this run's start URLs (a start URL of an earlier run, requested again
# from the frontier, keeps its source "start" but is no seed of this run: its failure is
# not this run's "nothing could be fetched")
SEED = "newscrawl_seed"
# request meta: not due in this run (a sitemap or feed entry dated before ``--since``): the
# frontier middleware records it, queued with its dates, and does not send it, so that a
# later run without ``--since``, or with an earlier date, fetches it
HELD = "newscrawl_held"
# request meta: the digest of the site's allow / deny / link_heuristics as the request was
# made (`SiteSpec.filters`), stored with the URL once fetched
FILTERS = "newscrawl_filters"
# Request meta: a page fetched before and requested again to look for new links (a section
# front); it comes after the pages never fetched (`budget`), and is no fresh page for a
# site's yield (`run_sites.revisited`).
REVISIT = "newscrawl_revisit"
# Request meta: how many sitemap indexes lead to a sitemap (robots.txt's or a start URL's:
# 0); stored in `frontier.nesting`, so that a sitemap read again from the frontier keeps it.
SITEMAP_NESTING = "newscrawl_sitemap_nesting"
# Request meta: when such a page's last outcome was recorded (`frontier.visited_at`): a
# budget takes the longest unvisited first.
VISITED_AT = "newscrawl_visited_at"


def mark_revisit(request: Request, row: dict) -> None:
    """Mark `request` as a page looked at again (REVISIT), with when it last was."""
    request.meta[REVISIT] = True
    request.meta[VISITED_AT] = row.get("visited_at") or row.get("fetched_at") or ""


PERMANENT_REDIRECTS = (301, 308)


def _header(headers: Any, name: str) -> str | None:
    value = headers.get(name)
    return value.decode("latin-1") if value else None


def base_visit(url: str, meta: dict, site: str, state: str) -> dict[str, Any]:
    """The fields every visit has, from the URL the spider requested and its meta."""
    now = utc_now()
    return {
        "url": url, "site": site, "source": meta.get(SOURCE, "link"),
        "depth": meta.get("depth", 0), "state": state, "discovered_at": now,
        "fetched_at": now if state == "fetched" else None, "visited_at": now,
        "filters": meta.get(FILTERS),
    }  # fmt: skip


def response_visit(response: Response, site: str, kind: str | None, **extra: Any) -> dict:
    """A visit for a response: state ``fetched`` unless ``extra`` says otherwise.

    The validators are the response's; a 304 that repeats none keeps the ones we sent.
    """
    redirects = response.meta.get("redirect_urls") or [response.request.url]
    visit = base_visit(redirects[0], response.meta, site, extra.pop("state", "fetched"))
    sent = response.request.headers
    visit |= {
        "final_url": response.url, "kind": kind, "http_status": response.status,
        "etag": _header(response.headers, "ETag"),
        "last_modified": _header(response.headers, "Last-Modified"), "reason": None,
        "revisit": bool(response.meta.get(REVISIT)),
    }  # fmt: skip
    reasons = response.meta.get("redirect_reasons") or ()
    if reasons and reasons[0] in PERMANENT_REDIRECTS:
        visit["moved"] = True  # the URL first requested serves what it did no more
    if response.status == 304:
        visit["filters"] = None  # links not read again: the row keeps what they were read under
        visit["etag"] = visit["etag"] or _header(sent, "If-None-Match")
        visit["last_modified"] = visit["last_modified"] or _header(sent, "If-Modified-Since")
    visit.update(extra)
    if visit["state"] != "fetched":
        visit["fetched_at"] = None
    return visit


def failure_visit(request: Request, site: str, state: str, reason: str,
                  status: int | None = None) -> dict:
    """A visit for a request that failed (``failed``) or was refused (``skipped``).

    It is the visit of the URL first requested: a redirect hop that fails (off site, in a
    loop, refused) fails the frontier row that led to it. ``moved`` as for a response: the
    URL first requested redirects for good to another, whatever became of that one."""
    redirects = request.meta.get("redirect_urls") or [request.url]
    visit = base_visit(redirects[0], request.meta, site, state) | {
        "kind": None, "http_status": status, "etag": None, "last_modified": None,
        "reason": reason,
    }  # fmt: skip
    reasons = request.meta.get("redirect_reasons") or ()
    if reasons and reasons[0] in PERMANENT_REDIRECTS and request.url != redirects[0]:
        visit["moved"] = True
    if status is not None and request.url != redirects[0]:
        visit["final_url"] = request.url  # the URL that answered: its row fails too
    return visit
