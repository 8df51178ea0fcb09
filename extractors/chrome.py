"""The generic chrome catalogue (`catalogue.toml`), compiled once and applied with lxml.

`strip_dom` runs before trafilatura on the page's tree; `strip_blocks` runs after it on the
blocks trafilatura kept. Both return the ids of the patterns that removed something.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lxml import etree

from .text import block_text, norm_space, text_length

CATALOGUE = Path(__file__).with_name("catalogue.toml")
KINDS = ("tokens", "roles", "xpath", "buttons", "cue")

# An element holding this share of the page's text is the body, whatever its class says.
MAX_SHARE = 0.5
# Tokens that mark the article body container: a box never widens into one of them.
BODY_TOKENS = {"article", "content", "body", "story", "entry", "post", "text", "main"}
# Attributes whose words name what an element is.
NAMING_ATTRIBUTES = ("class", "id", "data-testid", "data-component", "data-module")


@dataclass(frozen=True)
class Pattern:
    """One compiled catalogue entry."""

    id: str
    kind: str
    xpath: etree.XPath | None = None
    regex: re.Pattern | None = None
    max_words: int = 0
    minimum: int = 0
    box_chars: int = 0
    box_slack: int = 40
    boundary: bool = False


def _token_test(token: str) -> str:
    spaced = f"' {norm_space(token.replace('-', ' ').replace('_', ' ')).lower()} '"
    attr = "concat(' ', normalize-space(translate({0}, '-_ABCDEFGHIJKLMNOPQRSTUVWXYZ', "
    attr += "'  abcdefghijklmnopqrstuvwxyz')), ' ')"
    return " or ".join(f"contains({attr.format('@' + a)}, {spaced})" for a in NAMING_ATTRIBUTES)


def _compile(entry: dict) -> Pattern:
    kind, pid = entry["kind"], entry["id"]
    if kind not in KINDS:
        raise ValueError(f"{CATALOGUE.name}: pattern {pid!r}: unknown kind {kind!r}")
    if kind == "tokens":
        test = " or ".join(f"({_token_test(t)})" for t in entry["tokens"])
        return Pattern(pid, kind, xpath=etree.XPath(f"//*[{test}]"))
    if kind == "roles":
        tests = [f"@role='{r}'" for r in entry.get("roles", [])]
        tests += [f"self::{t}" for t in entry.get("tags", [])]
        return Pattern(pid, kind, xpath=etree.XPath(f"//*[{' or '.join(tests)}]"))
    box = {"box_chars": entry.get("box_chars", 0), "box_slack": entry.get("box_slack", 40)}
    if kind == "xpath":
        return Pattern(pid, kind, xpath=etree.XPath(entry["xpath"]),
                       **(box if entry.get("box") else {}))
    if kind == "buttons":
        return Pattern(pid, kind, regex=re.compile(entry["labels"]), minimum=entry["min"],
                       **box)
    regex = re.compile("|".join(f"(?:{c})" for c in entry["cues"]))
    return Pattern(pid, kind, regex=regex, max_words=entry["max_words"],
                   boundary=entry.get("boundary", False), box_chars=1500)


@cache
def catalogue() -> tuple[Pattern, ...]:
    """The compiled catalogue, loaded once per process."""
    with CATALOGUE.open("rb") as handle:
        entries = tomllib.load(handle)["pattern"]
    return tuple(_compile(entry) for entry in entries)


# ---------------------------------------------------------------------------------------
# Before trafilatura: remove chrome elements from the page tree.

def _tokens(element: etree._Element) -> set[str]:
    """The words of an element's class, id and naming data-/aria- attributes."""
    words = " ".join(element.get(a, "") for a in NAMING_ATTRIBUTES).lower()
    return set(re.split(r"[\s\-_]+", words)) - {""}


def _is_body(element: etree._Element, tokens: set[str]) -> bool:
    """The article body (or the page), which no chrome box may widen into."""
    if element.tag in ("html", "body", "main", "article"):
        return True
    return bool(tokens & BODY_TOKENS) and not tokens & CHROME_WORDS


def _widen(element: etree._Element, pattern: Pattern) -> etree._Element:
    """The box that holds a chrome element: its small wrappers and chrome-named ancestors.

    An ancestor is taken when it adds at most `box_slack` characters of its own text (a
    wrapper, or a title and a blurb around a form) or when its class/id names chrome
    (`newsletter`, `donate`, `promo`...); never the body, never one with more than
    `box_chars` characters. A cue inside an unnamed body container therefore removes the
    cue's own block, not the body.
    """
    box, size = element, text_length(element)
    for parent in element.iterancestors():
        parent_size = text_length(parent)
        tokens = _tokens(parent)
        if _is_body(parent, tokens) or parent_size > pattern.box_chars:
            break
        if parent_size <= size + pattern.box_slack or tokens & CHROME_WORDS:
            box, size = parent, parent_size
    return box


# class/id words that name a chrome box, and how much text a mere wrapper may add.
CHROME_WORDS = {"newsletter", "newsletters", "signup", "subscribe", "subscription", "donate",
                "donation", "donations", "support", "contribute", "contribution", "paywall",
                "related", "promo", "ad", "ads", "advert", "advertisement", "share", "social",
                "cookie", "cookies", "consent", "banner", "cta", "widget", "appeal",
                "membership", "popup", "modal", "overlay", "recommended", "readmore", "optin"}
WRAPPER_SLACK = 40


def _button_blocks(root: etree._Element, pattern: Pattern) -> list[etree._Element]:
    """Parents of at least `minimum` buttons or links whose labels match the pattern."""
    counts: dict[etree._Element, int] = {}
    for button in root.iter("button", "a", "label", "input"):
        label = norm_space(button.get("value") or block_text(button)).lower()
        if label and pattern.regex.match(label):
            parent = button.getparent()
            if parent is not None:
                counts[parent] = counts.get(parent, 0) + 1
    return [parent for parent, n in counts.items() if n >= pattern.minimum]


def _cue_blocks(root: etree._Element, pattern: Pattern) -> list[etree._Element]:
    found = []
    for element in root.iter("p", "h1", "h2", "h3", "h4", "h5", "h6", "div", "span",
                             "strong", "b", "a", "button", "label", "li", "section"):
        if _matches_cue(block_text(element), pattern):
            found.append(element)
    return found


def _matches_cue(text: str, pattern: Pattern) -> bool:
    text = norm_space(text).lower()
    return bool(text) and len(text.split()) <= pattern.max_words and bool(
        pattern.regex.search(text))


def _candidates(root: etree._Element, pattern: Pattern) -> list[etree._Element]:
    if pattern.kind == "buttons":
        return [_widen(b, pattern) for b in _button_blocks(root, pattern)]
    if pattern.kind == "cue":
        return [_widen(c, pattern) for c in _cue_blocks(root, pattern)]
    matches = pattern.xpath(root)
    if pattern.box_chars:
        return [_widen(m, pattern) for m in matches]
    return matches


def strip_dom(root: etree._Element) -> list[str]:
    """Remove catalogue chrome from a parsed page in place; return the pattern ids used."""
    total = max(text_length(root), 1)
    used = []
    for pattern in catalogue():
        removed = 0
        for element in _candidates(root, pattern):
            parent = element.getparent()
            if parent is None or text_length(element) > MAX_SHARE * total:
                continue
            if pattern.kind == "tokens" and _is_body(element, _tokens(element)):
                continue
            remove(element)
            removed += 1
        if removed:
            used.append(pattern.id)
    return used


def remove(element: etree._Element) -> None:
    """Drop an element but keep its tail text in the tree."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail and element.tail.strip():
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


# ---------------------------------------------------------------------------------------
# After trafilatura: drop chrome blocks from the extracted body.

def strip_blocks(blocks: list[str]) -> tuple[list[str], list[str]]:
    """Drop text blocks that are chrome; cut the tail after a closing-chrome boundary."""
    cues = [p for p in catalogue() if p.kind == "cue"]
    kept: list[str] = []
    used: list[str] = []
    total = sum(len(b) for b in blocks)
    seen = 0
    for block in blocks:
        hit = next((p for p in cues if _matches_cue(block, p)), None)
        if hit is None:
            kept.append(block)
            seen += len(block)
            continue
        used.append(hit.id)
        if hit.boundary and seen >= 0.5 * total and len(kept) >= 2:
            break
    return kept, sorted(set(used))
