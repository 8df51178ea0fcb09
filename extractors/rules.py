"""Site rules: one TOML file per site, validated on load.

A rule file names the domains it covers and one or more layouts; each layout says where the
body is, what to drop, and where metadata lives, and may be limited in time
(`valid_from` / `valid_until`) for when a site changes its layout: a new layout is added
beside the old one instead of editing it. A selector is XPath when it starts with `/`, `(`,
`./` or `../`, CSS otherwise.

    domains = ["themoscowtimes.com"]
    description = "The Moscow Times"

    [[layout]]
    name = "2014"
    body = ["div.article__content"]
    drop = ["div.article__newsletter"]
    title = "h1.article__title"
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import cssselect
from lxml import etree
from lxml.cssselect import CSSSelector, SelectorError

from .text import has_control

BUILTIN = Path(__file__).with_name("sites")
# a host name as a crawled URL has it (after IDNA): labels of letters, digits, '-' (not at
# either end) and '_', between dots; anything else (a scheme, a port, a path, a wildcard,
# 'a.example,b.example', '"a.example"', 'a.example;') is no host a crawl requests, and the
# rule would cover nothing
_LABEL = r"[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?"
_HOST = re.compile(rf"{_LABEL}(?:\.{_LABEL})*")
FILE_KEYS = {"domains", "description", "layout"}
LAYOUT_KEYS = {"name", "valid_from", "valid_until", "body", "drop", "title", "authors",
               "published"}
META_KEYS = ("title", "authors", "published")


class RuleError(ValueError):
    """A rule file that does not load; the message names the file and the key."""


@dataclass(frozen=True)
class Layout:
    """One version of a site's layout, with compiled selectors."""

    id: str
    valid_from: date | None
    valid_until: date | None
    body: tuple = ()
    drop: tuple = ()
    meta: dict = field(default_factory=dict)

    def valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day < self.valid_until)


@dataclass(frozen=True)
class SiteRule:
    path: Path
    domains: tuple[str, ...]
    layouts: tuple[Layout, ...]

    def covers(self, host: str) -> bool:
        return self.specificity(host) > 0

    def specificity(self, host: str) -> int:
        """How closely the rule names the host: the labels of its longest domain that covers
        it (``news.example.com`` 3, ``example.com`` 2), 0 if none does. A ``www.`` domain
        covers its bare host too, as a crawl counts them one site (``bare_host``)."""
        return max((d.count(".") + 1 for d in self.domains
                    if host in (d, _bare(d)) or host.endswith("." + d)), default=0)


def _bare(domain: str) -> str:
    """A domain without its leading ``www.`` (``www.example.com``: ``example.com``)."""
    bare = domain.removeprefix("www.")
    return bare if bare and bare != domain else domain


# XPath 1.0's functions and node tests: libxml2 looks a function or a `$variable` up only
# when a predicate is evaluated on a matching node, so an unknown one compiles, passes a
# probe, and then fails on every page. Rule selectors get neither extensions nor variables.
XPATH_FUNCTIONS = frozenset({
    "last", "position", "count", "id", "local-name", "namespace-uri", "name", "string",
    "concat", "starts-with", "contains", "substring-before", "substring-after", "substring",
    "string-length", "normalize-space", "translate", "boolean", "not", "true", "false",
    "lang", "number", "sum", "floor", "ceiling", "round",
    "node", "text", "comment", "processing-instruction"})
_XPATH_LITERAL = re.compile(r"'[^']*'|\"[^\"]*\"")
_XPATH_CALL = re.compile(r"(?<![\w.:])([A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)\s*\(")
# A prefixed name (`svg:svg`, `@xlink:href`): rule selectors get no namespaces.
_XPATH_PREFIXED = re.compile(r"(?<![\w.:-])[A-Za-z_][\w.-]*:(?!:)[A-Za-z_*]")
_XPATH_OPERATORS = frozenset({"and", "or", "div", "mod"})


def _xpath_names(selector: str) -> None:
    """Raise ValueError for a variable, a namespace prefix or a function XPath 1.0 does not
    have."""
    code = _XPATH_LITERAL.sub("''", selector)
    if "$" in code:
        raise ValueError(f"XPath {_shown(selector)!r}: variables ($...) are not supported")
    for name in _XPATH_CALL.findall(code):
        if name not in XPATH_FUNCTIONS and name not in _XPATH_OPERATORS:
            raise ValueError(f"XPath {_shown(selector)!r}: unknown function {name}()")
    if prefixed := _XPATH_PREFIXED.search(code.replace("::", ":: ")):  # (after an axis too)
        raise ValueError(f"XPath {_shown(selector)!r}: namespace prefixes are not supported"
                         f" ({prefixed.group()}...)")


# The page a rule's XPath is tried on when it loads: libxml2 evaluates a predicate only on a
# node the step before it selected, so an error in one (`//p[starts-with()]`, a wrong number
# of arguments) shows only where there is such a node. These are the elements news pages
# are made of, each holding a div, a p, a span and a link, in that order; a selector of other
# elements or nestings is checked on the pages it meets.
_PROBE_TAGS = ("div", "p", "span", "a", "h1", "h2", "h3", "h4", "article", "section", "header",
               "footer", "main", "nav", "aside", "time", "ul", "ol", "li", "img", "figure",
               "figcaption", "picture", "strong", "em", "b", "i", "blockquote", "table", "tr",
               "td", "form", "button", "iframe", "address", "small")
_PROBE = ("<html><head><title>t</title><meta name='m' content='c'/></head><body>"
          + "".join(f"<{tag} class='c' id='i{n}'><div><p><span><a href='/'>t</a></span></p>"
                    f"</div></{tag}>" for n, tag in enumerate(_PROBE_TAGS))
          + "</body></html>")


# The last step of an XPath that selects no element (an attribute, text): `//div/@class`,
# `(//p/text())[1]`; looked for at the end of each branch of a union.
_NOT_ELEMENTS = re.compile(
    r"(@[\w:*.-]+|attribute::[\w:*.-]+|(text|comment|processing-instruction)\([^)]*\))"
    r"\s*\)?\s*(\[[^\]]*\])?\s*$")


_GROUPED = re.compile(r"\s*\((.*)\)\s*(\[[^\]]*\])?\s*", re.DOTALL)


def _branches(xpath: str) -> list[str]:
    """The branches of a union, split at the `|`s outside brackets, parentheses and quotes
    (`//div[@itemprop|@data-body]` is one), and within a branch that is a parenthesised
    union (`(//div/@data-body | //article)[1]`) its branches."""
    split = _split_union(xpath)
    if len(split) > 1:
        return [b for branch in split for b in _branches(branch)]
    grouped = _GROUPED.fullmatch(xpath)
    return _branches(grouped.group(1)) if grouped else split


def _split_union(xpath: str) -> list[str]:
    """`xpath` split at the `|`s outside brackets, parentheses and quotes."""
    branches, depth, quote, start = [], 0, "", 0
    for at, char in enumerate(xpath):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "|" and depth == 0:
            branches.append(xpath[start:at])
            start = at + 1
    return [*branches, xpath[start:]]


def compile_selector(selector: str, elements: bool = False) -> etree.XPath:
    """An XPath for an XPath or CSS selector string; raises ValueError when invalid, or,
    with `elements` (a body, a drop), when it selects attributes or text: those select no
    body and drop nothing, and the layout never applied, without a word."""
    if selector.lstrip().startswith(("/", "(", "./", "../")):
        _xpath_names(selector)
        try:
            xpath = etree.XPath(selector)
            probe = xpath(etree.fromstring(_PROBE))
        except (etree.XPathSyntaxError, etree.XPathEvalError) as error:
            raise ValueError(f"invalid XPath {_shown(selector)!r}: {error}") from None
        if not isinstance(probe, list):  # count(), string(), a comparison: not a selection
            raise ValueError(f"XPath {_shown(selector)!r} must select elements or attributes")
        if elements and (any(_NOT_ELEMENTS.search(b) for b in _branches(selector))
                         or any(isinstance(hit, str) for hit in probe)):
            raise ValueError(f"XPath {_shown(selector)!r} must select elements, not"
                             " attributes or text")
        return xpath
    try:  # as HTML: element and attribute names in any case (`DIV.story`), as CSS reads
        compiled = CSSSelector(selector, translator="html")  # them and the page's tree has them
        state = next(filter(None, map(_browser_state, cssselect.parse(selector))), None)
    except SelectorError as error:
        hint = (" (read as CSS: an XPath starts with /, (, ./ or ../)"
                if _XPATH_LIKE.search(_XPATH_LITERAL.sub("''", selector)) else "")
        raise ValueError(f"invalid CSS selector {_shown(selector)!r}: {error}{hint}") from None
    except RecursionError:  # cssselect translates a selector's steps by recursion
        raise ValueError(f"CSS selector {_shown(selector)!r} has too many steps") from None
    if state:
        raise ValueError(f"CSS selector {_shown(selector)!r}: :{state} never matches a fetched"
                         " page (it is a state of a page in a browser: leave it out)")
    return compiled


# What only an XPath has: a `/` step, an `@attribute`, an axis (`descendant::div`); a CSS
# selector that fails with one of these was most likely meant as an XPath.
_XPATH_LIKE = re.compile(r"[/@]|\b(ancestor|ancestor-or-self|attribute|child|descendant"
                         r"|descendant-or-self|following|following-sibling|parent|preceding"
                         r"|preceding-sibling|self)::")


# Pseudo-classes of what a browser's user does (`a:hover`, a stylesheet's selector copied
# whole): cssselect compiles them to a test that is always false, so a selector with one
# (outside a `:not()`) matches no page, and its layout never applies, without a word.
_BROWSER_STATES = frozenset({"hover", "active", "focus", "visited", "target"})


def _browser_state(tree: object) -> str | None:
    """The browser-state pseudo-class a parsed CSS selector requires, or None."""
    if isinstance(tree, cssselect.parser.Pseudo) and tree.ident.lower() in _BROWSER_STATES:
        return tree.ident.lower()
    parts: list = []
    if isinstance(tree, cssselect.parser.Selector):
        parts = [tree.parsed_tree]
    elif isinstance(tree, cssselect.parser.CombinedSelector):
        parts = [tree.selector, tree.subselector]
    elif isinstance(tree, cssselect.parser.Relation):  # :has(): one of its arguments must
        arguments = ([argument for _, argument in tree.arguments] if hasattr(tree, "arguments")
                     else [tree.subselector])  # (an older cssselect's :has() takes one)
        if all(map(_browser_state, arguments)):
            return _browser_state(arguments[0])
        parts = [tree.selector]
    elif hasattr(tree, "selector"):  # not :not()'s argument, nor one of :is()'s choices
        parts = [tree.selector]
    return next(filter(None, map(_browser_state, parts)), None)


def _shown(selector: str) -> str:
    """A selector as a message shows it: cut short past 60 characters."""
    return selector if len(selector) <= 60 else f"{selector[:57]}..."


def _selectors(path: Path, key: str, value: object, elements: bool = False,
               empty: str = "") -> tuple:
    """A key's compiled selectors; `empty`, when given, is why an empty list is refused."""
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise RuleError(f"{path}: {key}: expected a selector string or a list of them")
    if empty and not values:
        raise RuleError(f"{path}: {key}: an empty list: {empty}")
    compiled = []
    for i, selector in enumerate(values):
        try:
            compiled.append(compile_selector(selector, elements))
        except ValueError as error:
            raise RuleError(f"{path}: {key}[{i}]: {error}") from None
    return tuple(compiled)


def _date(path: Path, key: str, value: object) -> date | None:
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    raise RuleError(f"{path}: {key}: expected a TOML date such as 2024-05-01 (a day, no time)")


def _layout(path: Path, index: int, data: dict) -> Layout:
    where = f"layout[{index}]"
    unknown = sorted(set(data) - LAYOUT_KEYS)
    if unknown:
        raise RuleError(f"{path}: {where}.{unknown[0]}: unknown key")
    name = data.get("name", index)
    if isinstance(name, bool) or not isinstance(name, (str, int, float, date)) or name == "":
        raise RuleError(f"{path}: {where}.name: expected a string (or a number or a date, "
                        "as 2014)")
    if isinstance(name, str) and has_control(name):
        # (the id is stored in articles.rule and quoted by one-line warnings)
        raise RuleError(f"{path}: {where}.name: {name!r} holds a control character (a line"
                        " break, a tab)")
    return Layout(
        id=f"{path.stem}:{name}",
        valid_from=_date(path, f"{where}.valid_from", data.get("valid_from")),
        valid_until=_date(path, f"{where}.valid_until", data.get("valid_until")),
        # an empty `body` list matched every page, as a layout without one does: the page
        # whole, where the story was to be found by a selector never written
        body=_selectors(path, f"{where}.body", data["body"], elements=True,
                        empty="give at least one selector (a layout without `body` applies"
                              " to every page)") if "body" in data else (),
        drop=_selectors(path, f"{where}.drop", data.get("drop", []), elements=True),
        meta={k: _selectors(path, f"{where}.{k}", data[k]) for k in META_KEYS if k in data},
    )


def load_file(path: Path) -> SiteRule:
    """Load and validate one rule file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))  # a Windows editor's BOM too
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise RuleError(f"{path}: {error}") from None
    except RecursionError:  # tomllib reads nested arrays and tables by recursion
        raise RuleError(f"{path}: not valid TOML: nested too deeply") from None
    unknown = sorted(set(data) - FILE_KEYS)
    if unknown:
        raise RuleError(f"{path}: {unknown[0]}: unknown key")
    if not isinstance(data.get("description", ""), str):
        raise RuleError(f"{path}: description: expected a string")
    return SiteRule(path, _domains(path, data.get("domains")),
                    _layouts(path, data.get("layout")))


def _domains(path: Path, domains: object) -> tuple[str, ...]:
    """A file's `domains`, as the hosts of crawled URLs have them (`_host`)."""
    if not domains or not isinstance(domains, list) or not all(
            isinstance(d, str) and d for d in domains):
        raise RuleError(f"{path}: domains: expected a non-empty list of host names")
    hosts = []
    for i, domain in enumerate(domains):
        host = _host(domain)  # (IDNA maps a full-width or ideographic dot to ".")
        if host is None or not _HOST.fullmatch(host):
            raise RuleError(f"{path}: domains[{i}]: {domain!r} is not a host name (a rule "
                            "covers a host and its subdomains, on any port: example.com)")
        if _public_suffix(host):
            raise RuleError(f"{path}: domains[{i}]: {domain!r} is a public suffix: the rule"
                            " would cover every site under it (name the site: example.co.uk)")
        hosts.append(host)
    return tuple(dict.fromkeys(hosts))  # one host written twice (as typed, as xn--...)


def _layouts(path: Path, layouts: object) -> tuple[Layout, ...]:
    """A file's layouts: named apart, each valid for a span of days that is not empty."""
    if not isinstance(layouts, list) or not layouts:
        raise RuleError(f"{path}: layout: expected at least one [[layout]] table")
    for i, item in enumerate(layouts):
        if not isinstance(item, dict):
            raise RuleError(f"{path}: layout[{i}]: expected a [[layout]] table")
    built = tuple(_layout(path, i, item) for i, item in enumerate(layouts))
    named: dict[str, int] = {}
    for i, layout in enumerate(built):
        if layout.id in named:
            where = f"layout[{i}].name" if "name" in layouts[i] else f"layout[{i}] (unnamed)"
            raise RuleError(f"{path}: {where}: {layout.id.partition(':')[2]!r} names"
                            f" layout[{named[layout.id]}] too (a layout's id is its file and"
                            " name; an unnamed layout's name is its index)")
        named[layout.id] = i
        if layout.valid_from and layout.valid_until and layout.valid_until <= layout.valid_from:
            raise RuleError(f"{path}: layout[{i}].valid_until: {layout.valid_until} is not"
                            f" after its valid_from, {layout.valid_from}")
    return built


def _public_suffix(host: str) -> bool:
    """Whether `host` is on the Public Suffix List (com, co.uk, github.io...), as `tld` (which
    trafilatura's courlan also loads) has it."""
    from tld import is_tld  # here: the crawl's Scrapy process loads it only with a rule file

    return is_tld(host)


def _host(name: str) -> str | None:
    """A host name as a crawled URL has it: lower case, and in ASCII (IDNA: a name in
    another script as Scrapy requests it, `xn--...`); None if it has no such form."""
    try:
        return name.encode("idna").decode("ascii").lower() if name else ""
    except UnicodeError:
        return None


def load_dir(folder: Path) -> tuple[SiteRule, ...]:
    """Every `*.toml` rule in a folder, sorted by file name.

    Loaded once per process and folder, and again when a file is added, removed or edited
    (the cache key holds each file's name and modification time).
    """
    if not folder.is_dir():  # (named by its full path, as a rule file is)
        raise RuleError(f"{folder.resolve()}: not a folder of site rules")
    files = sorted(folder.resolve().glob("*.toml"))
    if not files:  # a slip (the folder above, a new one not filled yet) that loaded no rule
        raise RuleError(f"{folder.resolve()}: no site rules in it (a rule is a *.toml file)")
    return _load_files(tuple((p, _modified(p)) for p in files))


def _modified(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError as error:  # a link to a file that is gone, a file removed just now
        raise RuleError(f"{path}: {error.strerror or error}") from None


@cache
def _load_files(files: tuple[tuple[Path, int], ...]) -> tuple[SiteRule, ...]:
    """The folder's rules; RuleError for a domain two of its files name (which one applies
    would hang on their names). A file may name a subdomain of another's: its rule is the
    closer one for that subdomain's pages (`rules_for`)."""
    rules = tuple(load_file(path) for path, _ in files)
    owner: dict[str, Path] = {}
    for rule in rules:
        for i, domain in enumerate(rule.domains):  # (a www. host and its bare one: one site)
            if owner.get(_bare(domain), rule.path) != rule.path:
                raise RuleError(f"{rule.path}: domains[{i}]: {domain} is covered by "
                                f"{owner[_bare(domain)].name} too (one file per site)")
            owner[_bare(domain)] = rule.path
    return rules


def check_all(folders: Iterable[Path | str] = ()) -> None:
    """Load `folders`, the built-in rules and the chrome catalogue as a page's extraction
    will: RuleError (one line) for the first that does not load. For a command to call
    before any work (a broken file otherwise fails every page)."""
    for folder in [*folders, BUILTIN]:
        load_dir(Path(folder))
    from .chrome import catalogue  # here: chrome reads this module

    catalogue()


def rules_for(url: str, folders: tuple[Path, ...] = ()) -> list[SiteRule]:
    """Rules covering the URL's host; rules from user folders come before the built-in ones,
    and in one folder the rule naming the host most closely first (a file for
    ``news.example.com`` before one for ``example.com``; not their file names' order)."""
    host = _host((urlsplit(url).hostname or "").rstrip(".")) or ""
    found = []
    for folder in (*folders, BUILTIN):
        closeness = [(rule.specificity(host), rule) for rule in load_dir(Path(folder))]
        found.extend(rule for close, rule in sorted(closeness, key=lambda pair: -pair[0])
                     if close)
    return found


def layouts_for(rules: list[SiteRule], day: date) -> list[Layout]:
    """Layouts to try, those valid on `day` first, newest file order kept."""
    every = [layout for rule in rules for layout in reversed(rule.layouts)]
    return [x for x in every if x.valid_on(day)] + [x for x in every if not x.valid_on(day)]
