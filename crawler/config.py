"""The sites config (``newscrawl crawl --config sites.toml``): what to crawl, per site.

    [defaults]                      # optional; any per-site limit, used where a site has none
    max_pages = 200                 # the page budget of each site per run
    max_depth = 3

    [sites."news.example.com"]      # the site's name: stored as `site` on pages and articles
    start_urls = ["https://news.example.com/"]
    feeds = ["https://news.example.com/rss.xml"]
    sitemaps = ["https://news.example.com/sitemap-news.xml"]
    allow = ['^https://news\\.example\\.com/\\d{4}/']   # regexes; a URL must match one (if any)
    deny = ['/live/', '/video/']                         # and none of these
    max_pages = 500
    max_depth = 2
    rules = "rules/example"         # a folder of site rules, relative to this file
    link_heuristics = true          # skip tag/author/search/login/deep pagination links

The whole file is validated before any request: an error names the file, the site and the
key, on one line (``ConfigError``). URLs given on the command line without a config become
one site per host, named by the host (``sites_from_urls``).
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from crawler.discovery import MAX_LIMIT, parse_start_urls, start_url_problem, with_path
from crawler.listings import parse_date
from crawler.urlpolicy import bare_host, shown, url_key
from extractors.text import has_control

URL_KEYS = ("start_urls", "feeds", "sitemaps")
LIMIT_KEYS = ("max_pages", "max_depth")
SITE_KEYS = {*URL_KEYS, *LIMIT_KEYS, "allow", "deny", "rules", "link_heuristics"}
DEFAULT_KEYS = {*LIMIT_KEYS, "rules", "link_heuristics"}
TOP_KEYS = {"defaults", "sites"}


class ConfigError(ValueError):
    """A sites config we refuse; the message names the file, the site and the key."""


@dataclass(frozen=True)
class SiteSpec:
    """One site to crawl: where to start, which URLs are its own, and its limits."""

    name: str
    start_urls: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    allow: tuple[re.Pattern[str], ...] = ()
    deny: tuple[re.Pattern[str], ...] = ()
    max_pages: int | None = None
    max_depth: int | None = None
    rules: Path | None = None
    link_heuristics: bool = True
    hosts: tuple[str, ...] = field(default=())
    named: bool = True  # its name is a config's, not its start URL's host (`sites_from_urls`)

    @property
    def seeds(self) -> tuple[str, ...]:
        """Every URL a run starts from: start pages, feeds and sitemaps; each once, as the
        frontier compares them (`crawler.urlpolicy.url_key`: `http://h/#latest` is
        `http://h/`: a second spelling is never requested, so a site whose URLs all failed
        counted one failure short of them, and was never reported failed)."""
        unique: dict[str, str] = {}
        for url in self.start_urls + self.feeds + self.sitemaps:
            unique.setdefault(url_key(url) or url, url)
        return tuple(unique.values())

    def allows(self, url: str) -> bool:
        """Whether the site's allow / deny patterns let ``url`` in (seeds are not checked)."""
        if self.allow and not any(pattern.search(url) for pattern in self.allow):
            return False
        return not self.denies(url)

    def denies(self, url: str) -> bool:
        """Whether one of the site's deny patterns matches ``url``."""
        return any(pattern.search(url) for pattern in self.deny)

    @cached_property
    def filters(self) -> str:
        """A digest of what decides which of the site's URLs are let in (``allow``,
        ``deny``, ``link_heuristics``): stored with each URL fetched, so that a listing read
        under other filters is read in full again, not answered 304 (the entries those
        filters left out were never recorded, and would never be seen)."""
        filters = {"allow": [p.pattern for p in self.allow], "deny": [p.pattern for p in self.deny],
                   "link_heuristics": self.link_heuristics}
        return hashlib.sha256(json.dumps(filters, sort_keys=True).encode()).hexdigest()[:16]


def _hosts(urls: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(bare_host(urlsplit(url).hostname or "") for url in urls))


def sites_from_urls(urls: list[str]) -> list[SiteSpec]:
    """One site per host of the given start URLs (``www.example.com`` and ``example.com``
    are one host), named by the host as its first URL gives it."""
    grouped: dict[str, list[str]] = {}
    for url in parse_start_urls(urls):
        grouped.setdefault(bare_host(urlsplit(url).hostname or ""), []).append(url)
    return [SiteSpec(name=urlsplit(group[0]).hostname or host, start_urls=tuple(group),
                     hosts=_hosts(tuple(group)), named=False)
            for host, group in grouped.items()]  # fmt: skip


def merge_sites(configured: list[SiteSpec], urls: list[str]) -> list[SiteSpec]:
    """Config sites plus command-line URLs: a URL on a configured site's host starts that
    site; the others make one site per host."""
    index = SiteIndex(configured)
    merged = {spec.name: spec for spec in configured}
    extra: list[str] = []
    for url in map(with_path, urls):
        spec = index.site_of(url)
        if spec is None:
            extra.append(url)
        elif url not in merged[spec.name].seeds:
            spec = merged[spec.name]
            merged[spec.name] = replace(spec, start_urls=(*spec.start_urls, url))
    own = sites_from_urls(extra) if extra else []
    for spec in own:  # it would take the configured site's place, silently
        if spec.name in merged:
            raise ValueError(
                f"{spec.start_urls[0]}: its site would be named {spec.name!r}, as a configured "
                f"site on {', '.join(merged[spec.name].hosts)} is; add the URL to that site's "
                "start_urls in the config (a site's hosts are its URLs')")
    return list(merged.values()) + own


def parse_since(value: str | None) -> str | None:
    """``--since`` as ISO 8601 UTC (``2025-01-31`` is midnight UTC); ValueError if unreadable."""
    if value is None or value == "":
        return None
    since = parse_date(str(value))
    if since is None:
        raise ValueError(f"--since: expected a date such as 2025-01-31, got {value!r}")
    return since


def load_config(path: Path) -> list[SiteSpec]:
    """Read and validate a sites config; ConfigError (one line) on the first problem."""
    try:
        data = tomllib.loads(Path(path).read_text("utf-8-sig"))  # a Windows editor's BOM too
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None
    except RecursionError:  # tomllib reads nested arrays and tables by recursion
        raise ConfigError(f"{path}: not valid TOML: nested too deeply") from None
    checker = _Checker(Path(path))
    checker.unknown_keys(data, TOP_KEYS, "")
    defaults = data.get("defaults", {})
    checker.table(defaults, "defaults")
    checker.unknown_keys(defaults, DEFAULT_KEYS, "defaults.")
    sites = data.get("sites")
    checker.table(sites, "sites")
    if not sites:
        raise ConfigError(f"{path}: sites: no sites defined (add a [sites.\"name\"] table)")
    for name, table in sites.items():
        if not name.strip():
            raise ConfigError(f"{path}: sites: a site's name is empty")
        if has_control(name):
            raise ConfigError(f"{path}: sites: the site name {name!r} holds a control "
                              "character (a line break, a tab)")
        checker.table(table, f"sites.{name}")  # before merging it with the defaults
    specs = [checker.site(name, {**defaults, **(table or {})}, table) for name, table in
             sites.items()]  # fmt: skip
    checker.distinct_hosts(specs)
    return specs


class _Checker:
    """Validation with errors of the form ``file: sites.<name>: key: problem``."""

    def __init__(self, path: Path):
        self.path = path

    def fail(self, where: str, message: str) -> ConfigError:
        return ConfigError(f"{self.path}: {where}: {message}")

    def table(self, value: Any, where: str) -> None:
        if value is not None and not isinstance(value, dict):
            raise self.fail(where, "expected a table")

    def unknown_keys(self, table: dict, known: set[str], prefix: str) -> None:
        for key in table:
            if key not in known:
                known_keys = ", ".join(sorted(known))
                raise self.fail(f"{prefix}{key}", f"unknown key (known: {known_keys})")

    def site(self, name: str, merged: dict, own: Any) -> SiteSpec:
        where = f"sites.{name}"
        self.table(own, where)
        self.unknown_keys(own, SITE_KEYS, f"{where}.")

        def at(key: str) -> str:  # where a key's value was written: the site or [defaults]
            return f"{where}.{key}" if key in (own or {}) else f"defaults.{key}"

        urls = {key: self.urls(merged.get(key, []), at(key)) for key in URL_KEYS}
        if not any(urls.values()):
            raise self.fail(where, "no start_urls, feeds or sitemaps")
        limits = {key: self.limit(merged.get(key), at(key), unlimited_at_zero=key == "max_pages")
                  for key in LIMIT_KEYS}
        heuristics = merged.get("link_heuristics", True)
        if not isinstance(heuristics, bool):
            raise self.fail(at("link_heuristics"), "expected true or false")
        seeds = urls["start_urls"] + urls["feeds"] + urls["sitemaps"]
        return SiteSpec(name=name, **urls, **limits,
                        allow=self.patterns(merged.get("allow", []), at("allow")),
                        deny=self.patterns(merged.get("deny", []), at("deny")),
                        rules=self.rules(merged.get("rules"), at("rules")),
                        link_heuristics=heuristics, hosts=_hosts(seeds))  # fmt: skip

    def strings(self, value: Any, where: str) -> list[str]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(where, "expected a string or a list of strings")
        return value

    def urls(self, value: Any, where: str) -> tuple[str, ...]:
        urls = self.strings(value, where)
        for i, url in enumerate(urls):
            problem = start_url_problem(url)
            if problem:
                raise self.fail(f"{where}[{i}]", f"invalid URL {shown(url)!r}: {problem}")
        return tuple(map(with_path, urls))

    def limit(self, value: Any, where: str, *, unlimited_at_zero: bool) -> int | None:
        """As on the command line: `max_pages = 0` is no limit, `max_depth = 0` the start
        pages only (a listing's entries are depth 1)."""
        if value is None:
            return None
        if (isinstance(value, bool) or not isinstance(value, int) or value < 0
                or value > MAX_LIMIT):
            raise self.fail(where, f"expected a whole number from 0 to {MAX_LIMIT},"
                                   f" got {value!r}")
        return None if unlimited_at_zero and value == 0 else value

    def patterns(self, value: Any, where: str) -> tuple[re.Pattern[str], ...]:
        compiled = []
        for i, text in enumerate(self.strings(value, where)):
            try:
                compiled.append(re.compile(text))
            except (re.error, OverflowError) as error:  # a{1,99999999999}: OverflowError
                raise self.fail(f"{where}[{i}]", f"invalid regex {text!r}: {error}") from None
            except RecursionError:  # sre_parse reads nested groups by recursion
                raise self.fail(f"{where}[{i}]",
                                f"invalid regex {text[:40]!r}...: nested too deeply") from None
        return tuple(compiled)

    def rules(self, value: Any, where: str) -> Path | None:
        if value is None:
            return None
        if not isinstance(value, str):
            raise self.fail(where, "expected a folder path")
        folder = (self.path.parent / value).resolve()
        if not folder.is_dir():
            raise self.fail(where, f"no such folder {folder}")
        if self.path.suffix == ".toml" and self.path.resolve().parent == folder:
            raise self.fail(where, f"{folder} holds this config too, and every .toml file "
                            "there is read as a site rule: keep the rules in a folder of "
                            "their own")
        return folder

    def distinct_hosts(self, specs: list[SiteSpec]) -> None:
        owner: dict[str, str] = {}
        for spec in specs:
            for host in spec.hosts:
                if owner.setdefault(host, spec.name) != spec.name:
                    raise self.fail(f"sites.{spec.name}",
                                    f"host {host} also belongs to site {owner[host]}")


def site_rule_folders(specs: list[SiteSpec]) -> dict[str, tuple[str, ...]]:
    """Each site's own rule folder, by site name: a site's ``rules`` apply to its pages only."""
    return {spec.name: (str(spec.rules),) for spec in specs if spec.rules}


def configured_site(specs: list[SiteSpec]) -> Callable[[str], str | None] | None:
    """The name of the configured site a URL belongs to (by its host, as `SiteIndex`), for
    pages stored under another name (crawled before the config named the site); None
    without sites."""
    if not specs:
        return None
    index = SiteIndex(specs)

    def site_of(url: str) -> str | None:
        spec = index.site_of(url)
        return spec.name if spec is not None else None

    return site_of


class SiteIndex:
    """Which site a URL belongs to: its host, a ``www.`` variant or a subdomain of a site's."""

    def __init__(self, specs: list[SiteSpec]):
        self.specs = list(specs)
        self.by_name = {spec.name: spec for spec in self.specs}
        self.by_host = {host: spec for spec in self.specs for host in spec.hosts}

    def site_of(self, url: str) -> SiteSpec | None:
        """The site of ``url``, or None when it is off every site."""
        host = bare_host(urlsplit(url).hostname or "")
        matches = [h for h in self.by_host if host == h or host.endswith("." + h)]
        return self.by_host[max(matches, key=len)] if matches else None

    @property
    def names(self) -> list[str]:
        return [spec.name for spec in self.specs]
