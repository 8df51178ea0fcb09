"""`extract`: bytes + URL in, an `Article` out.

The order: decode, parse, read metadata from the untouched page, apply the site rule (if one
covers the URL), strip generic chrome from the tree (and make <div>s of landmarks that
swallowed the story), let trafilatura find the body (and readability read it too), strip
chrome blocks and a second copy of a passage from what it kept, decide article / paywall
state on that, and for an article take readability's reading (cleaned the same way) where
the fallback model prefers it, then the page's own blocks (`structure`, cleaned the same
way) where the third model predicts they gain enough.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from configparser import ConfigParser
from copy import deepcopy
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache, cached_property, wraps
from pathlib import Path

import trafilatura
import trafilatura.core
import trafilatura.settings
from lxml import etree
from lxml.html import HtmlElement, fromstring

from . import fallback, jsonld, prune
from .article import Article
from .chrome import (
    remove,
    speaks_of_itself,
    strip_blocks,
    strip_dom,
    trafilatura_copy,
    unwrap_swallowing_landmarks,
)
from .classify import classify
from .dates import written_date
from .decode import decode_html, parse_html
from .hooks import wrap_once
from .metadata import (
    Metadata,
    canonical,
    fill_article_metadata,
    head_elements,
    iso_datetime,
    page_metadata,
    split_authors,
    stamp_line,
)
from .paywall import paywall_state
from .rules import Layout, layouts_for, rules_for
from .structure import structure_blocks
from .text import (
    block_text,
    body_blocks,
    count_words,
    drop_repeats,
    first_words,
    hangul,
    ideographic,
    join_blocks,
    norm_space,
    unmangled,
    words_in,
)

logger = logging.getLogger(__name__)

# JSON-LD articleBody replaces the visible body when it is this much longer (a teaser).
JSONLD_RATIO = 1.3
# Recorded in Article.removed where a passage the body repeats was dropped.
REPEATED = "repeated-passage"
# The headline is looked for among the first blocks, after labels of at most so many words.
TITLE_WITHIN = 3
LABEL_WORDS = 6
_SENTENCE_END = re.compile(r"(\w\w)[.!?](?:\s|$)")
# A byline block may hold this many words besides the author's name ("By", a role, a date).
BYLINE_SLACK = 6


@dataclass
class Analysis:
    """What `extract` found on a page before deciding whether it is an article.

    `page` is the page tree (site-rule drops and generic chrome removed); `blocks` are the
    body's text blocks as trafilatura read them (from the site rule's body elements when a
    rule matched), or the JSON-LD `articleBody` (`source` "dom" or "jsonld"); `removed`
    the ids of the chrome patterns and rule selectors that removed something from the page,
    `dropped` those that dropped blocks of `blocks`; `summary` readability's body, recorded
    from trafilatura's run (None on a site rule's body or where `blocks` are JSON-LD's);
    `prompts` the paywall patterns the generic chrome pass found on a site rule's page
    outside the rule's body or in what the rule drops: weaker evidence of the paywall
    (`paywall_state`'s `outside`), as nothing this Article's text lost.
    """

    page: HtmlElement
    ld: list[dict]
    meta: Metadata
    blocks: list[str]
    removed: list[str]
    dropped: list[str]
    layout: Layout | None
    source: str
    summary: HtmlElement | None
    prompts: list[str] = field(default_factory=list)

    @cached_property
    def readability_reading(self) -> tuple[list[str], list[str]]:
        """readability's reading of the body, cleaned as trafilatura's was: its blocks and
        the ids of the chrome patterns that dropped some ([] when there is no summary).
        Read once (cached): the conversion prunes `summary`, a copy of readability's own."""
        if self.summary is None:
            return [], []
        blocks = fallback.lines_apart(fallback.readability_blocks(self.summary), self.blocks)
        return _clean(blocks, self.meta)

    @cached_property
    def structure_reading(self) -> tuple[list[str], list[str], list[float]]:
        """The page's own blocks (`extractors.structure`), cleaned as the other readings
        were: its blocks, the ids of the chrome patterns that dropped some, and each
        block's share of link text ([] on a site rule's body or a JSON-LD one)."""
        if self.layout is not None or self.source != "dom":
            return [], [], []
        found, linked = structure_blocks(self.page)
        blocks, dropped = _clean(found, self.meta)
        share = dict(zip(found, linked, strict=True))
        return blocks, dropped, [share.get(block, 0.0) for block in blocks]


def extract(html: bytes | str, url: str, *, content_type: str | None = None,
            rules: tuple[Path, ...] | None = (), fetched: datetime | None = None) -> Article:
    """Extract the article of one page.

    `content_type` is the HTTP Content-Type header (its charset is honoured), `rules` are
    extra folders of site rules (tried before the built-in ones; None: no site rules at all,
    the generic path only), `fetched` is when the page was served (it picks the site-rule
    layout valid then; default: now).
    """
    found = analyse(html, url, content_type=content_type, rules=rules, fetched=fetched)
    if found is None:
        return Article(url=url, reasons=["unparseable"])
    return _article(url, found)


def analyse(html: bytes | str, url: str, *, content_type: str | None = None,
            rules: tuple[Path, ...] | None = (),
            fetched: datetime | None = None) -> Analysis | None:
    """Every step of `extract` up to classification (None: nothing to parse).

    Also what the classifier's training script reads, so that it learns from exactly the
    evidence `extract` weighs.
    """
    root = parse_html(decode_html(html, content_type)) if html else None
    if root is None:
        return None
    ld = jsonld.objects(root)
    ld_article = jsonld.article_object(ld, (url, canonical(head_elements(root), url)))
    meta = page_metadata(root, url, ld_article, ld)
    day = _utc(fetched or datetime.now(UTC)).date()  # the layouts' dates are UTC days
    layout, body, removed, prompts = _apply_site_rule(root, url, rules, day, meta)
    removed += strip_dom(body, meta.removed_bylines, meta.left_alone, meta.openings)
    unwrap_swallowing_landmarks(body)
    if body is not root:  # the page, stripped like any other for the classifier's evidence;
        outside = strip_dom(root)  # what it removes outside the rule's body is not this
        if prompts is None:        # Article's, but for a paywall's prompt
            prompts = _prompts(outside)
    own, summary = _trafilatura_reading(body, url, _density(meta))
    blocks, dropped = _clean(own, meta)
    blocks, source, dropped = _prefer_jsonld_body(blocks, dropped, ld_article)
    # a site rule's body is trusted: readability's reading is for the generic path only
    summary = summary if layout is None and source == "dom" else None
    return Analysis(root, ld, meta, blocks, removed, dropped, layout, source, summary,
                    prompts or [])


def _prompts(removed: list[str]) -> list[str]:
    """The paywall patterns among the ids of a chrome pass."""
    return [pattern for pattern in removed if pattern.startswith("paywall.")]


def _utc(moment: datetime) -> datetime:
    """`moment` in UTC (one without a zone is taken as UTC)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _article(url: str, found: Analysis) -> Article:
    """Classify the page on trafilatura's reading; for an article, take readability's
    reading of the body instead where the fallback model prefers it, then the page's own
    blocks where the third model predicts they gain enough over the reading kept."""
    meta, blocks, dropped, layout, source = (found.meta, found.blocks, found.dropped,
                                             found.layout, found.source)
    words = words_in(blocks)
    is_article, reasons = classify(found.page, url, found.ld, meta, blocks)
    paywall = paywall_state(found.ld, [*found.removed, *dropped], words, found.prompts)
    if not is_article and paywall == "hard" and "ld_article" in reasons:
        is_article, reasons = True, [*reasons, "paywall:hard"]  # its teaser, as read
    elif is_article:
        other, other_dropped = found.readability_reading
        if fallback.prefer_other(blocks, other):
            other = fallback.with_lede(other, blocks)
            paywall = _paywall_switched(found, dropped, other, other_dropped)
            blocks, dropped, source = other, other_dropped, "readability"
        other, other_dropped, linked = found.structure_reading
        if fallback.prefer_structure(blocks, other, linked):
            paywall = _paywall_switched(found, dropped, other, other_dropped)
            blocks, dropped, source = other, other_dropped, "structure"
    if is_article:
        named = bool(meta.authors) and not meta.site_authored
        fill_article_metadata(meta, found.page, url)
        if not named:  # a byline found only now ("By Jane Doe") is no body paragraph either,
            blocks = _drop_bio(_drop_byline(blocks, meta.authors), meta.authors)  # nor a bio
    return Article(
        url=url, is_article=is_article, title=unmangled(meta.title),
        authors=[unmangled(name) for name in meta.authors] if is_article else [],
        published=meta.published if is_article else None, language=meta.language,
        text=unmangled(join_blocks(blocks)) if is_article else "",
        paywall=paywall if is_article else None, rule=layout.id if layout else None,
        canonical_url=meta.canonical_url, description=unmangled(meta.description),
        site_name=unmangled(meta.site_name), text_source=source if is_article else None,
        removed=sorted({*found.removed, *dropped}), reasons=reasons,
    )


def _paywall_switched(found: Analysis, dropped: list[str], other: list[str],
                      other_dropped: list[str]) -> str:
    """The paywall state once another reading is kept: by its text, with the prompts seen
    in any reading so far (trafilatura's, the one kept until now, this one)."""
    return paywall_state(found.ld, [*found.removed, *found.dropped, *dropped, *other_dropped],
                         words_in(other), found.prompts)


# trafilatura's sizes are in characters (below 250, its reading of the body is replaced by a
# rougher one: an <article>'s whole text as one paragraph, headline and byline included; its
# other sizes are multiples of that one). A Chinese or Japanese character carries about what
# three Latin letters do, a Korean syllable two: on a page in one of them, the sizes are
# divided by its factor.
DENSITY = {"zh": 3, "ja": 3, "ko": 2}


def _density(meta: Metadata) -> int:
    """The factor of the page's script (`DENSITY`): by its headline's script (a template may
    declare English on a page in Chinese), else by its language (an ISO 639-1 code, lower
    case); 1 for other scripts."""
    if ideographic(meta.title):
        return DENSITY["zh"]
    if hangul(meta.title):
        return DENSITY["ko"]
    return DENSITY.get(meta.language, 1)


@cache
def _config(density: int) -> ConfigParser:
    """trafilatura's settings, its minimum size divided by `density`."""
    if density == 1:
        return trafilatura.settings.DEFAULT_CONFIG
    config = deepcopy(trafilatura.settings.DEFAULT_CONFIG)
    size = config.getint("DEFAULT", "MIN_EXTRACTED_SIZE")
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", str(size // density))
    return config


def _trafilatura_reading(root: HtmlElement, url: str,
                         density: int = 1) -> tuple[list[str], HtmlElement | None]:
    """The body's blocks as trafilatura reads it, and readability's body, recorded from the
    same trafilatura run (see `fallback`; None if readability did not run). `density`: the
    page's script's (`_density`)."""
    # output_format="xml": the body tree only; "python" would also render it as text (which
    # we do not read) at about 3% of the extraction's time. A copy: trafilatura prunes the
    # tree it is given, and the classifier reads the page as it was.
    _hand_over()
    with fallback.readability_summaries() as summaries, prune.pruning():
        document = trafilatura.bare_extraction(
            _Handed(trafilatura_copy(root)), url=url, include_comments=False,
            include_tables=True, with_metadata=False, output_format="xml",
            config=_config(density))
    own = [] if document is None or document.body is None else body_blocks(document.body)
    return own, summaries[0] if summaries else None


class _Handed:
    """A tree trafilatura may prune: `bare_extraction` copies a tree it is given (it prunes
    the one it reads), the whole page once more; `trafilatura_copy` made this one for it."""

    def __init__(self, tree: HtmlElement):
        self.tree = tree


def _handed(load_html):
    """trafilatura's `load_html`, reading a `_Handed` tree as it is (uncopied by its
    caller, who copies only a tree `load_html` returned unchanged)."""
    @wraps(load_html)
    def loading(document, *args, **kwargs):
        if isinstance(document, _Handed):
            return document.tree
        return load_html(document, *args, **kwargs)
    return loading


def _hand_over() -> None:
    """Let `bare_extraction` take a `_Handed` tree (once per process; idempotent)."""
    wrap_once(trafilatura.core, "load_html", _handed)


def _clean(blocks: list[str], meta: Metadata) -> tuple[list[str], list[str]]:
    """A reading of the body without the headline, the byline, chrome blocks and a second
    copy of a passage; with the ids of the chrome patterns that dropped blocks
    (`REPEATED` for the copy)."""
    titled = _drop_title(blocks, meta.shown_title or meta.title)
    kept, dropped = strip_blocks(_drop_bio(_drop_byline(titled, meta.authors), meta.authors),
                                 meta.left_alone, meta.openings,
                                 not speaks_of_itself(meta.title, meta.outlets))
    # a print copy repeats the headline and byline dropped above: they were read earlier too
    kept, repeated = drop_repeats(kept, earlier=set(Counter(blocks) - Counter(kept)))
    return kept, [*dropped, REPEATED] if repeated else dropped


def _drop_title(blocks: list[str], title: str | None) -> list[str]:
    """The headline is metadata, not body: drop it where it opens the text, with the labels
    above it (a section name, a kicker) when it is among the first `TITLE_WITHIN` blocks."""
    headline = _squeezed(title or "")
    at = next((i for i, block in enumerate(blocks[:TITLE_WITHIN])
               if _is_headline(block, headline)), None) if headline else None
    if at is None:
        return blocks
    return blocks[at + 1:] if all(map(_is_label, blocks[:at])) else blocks


def _squeezed(text: str) -> str:
    """Case-folded, without white space: a heading's lines are joined with a space or
    none (between Chinese or Japanese words, before punctuation), as `metadata` joins them."""
    return "".join(text.split()).casefold()


def _is_headline(block: str, headline: str) -> bool:
    """Whether the block is the headline (`_squeezed`): the whole of it, or one of its
    lines beside only a date or a byline ("Dec 18 2025" over the story's headline)."""
    if _squeezed(block) == headline:
        return True
    lines = block.split("\n")
    return len(lines) > 1 and any(_squeezed(line) == headline for line in lines) and all(
        _squeezed(line) == headline or stamp_line(line) for line in lines)


def _is_label(block: str) -> bool:
    """A section name or kicker ("Exclusive:", "U.S. News", "Updated 10:30 a.m."): a few
    words, no sentence ("It was close." is one: a lower-case word ends at a full stop; in
    Chinese or Japanese, any text at its own full stop, "。")."""
    return count_words(block) <= LABEL_WORDS and "。" not in block and not any(
        end.group(1).islower() for end in _SENTENCE_END.finditer(block))


def _names(name: str, block: str) -> bool:
    """Whether `block` names `name`: as a word of its own, or anywhere in Chinese or
    Japanese (no spaces around words; most names have two or three characters)."""
    if ideographic(name):
        return len(name) >= 2 and name in block
    return len(name) >= 3 and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", block) is not None


def _drop_byline(blocks: list[str], authors: list[str]) -> list[str]:
    """A short block near the top that names the author ("By Jane Doe") is a byline."""
    def is_byline(block: str) -> bool:
        words = count_words(block)
        return any(words <= count_words(name) + BYLINE_SLACK and _names(name, block)
                   for name in authors)
    head = [b for b in blocks[:3] if not is_byline(b)]
    return head + blocks[3:]


# An author's bio closing the text: one of its last BIO_WITHIN blocks, of at most BIO_WORDS
# words, opening with the author's name and what a bio says of them ("Maria Delgado is a
# staff reporter...", "Jane Doe covers schools...", "Hans Weber ist Redakteur...").
BIO_WITHIN = 2
BIO_WORDS = 70
_BIO_VERB = re.compile(
    r",?\s+(is|was|has (been|covered|reported|written)|covers|reports|writes|"
    r"ist|war|schreibt|berichtet|est|était|écrit|es|fue|escribe|é|foi|escreve|"
    r"является|работает|пишет)\s")


def _drop_bio(blocks: list[str], authors: list[str]) -> list[str]:
    """The blocks without an author's bio among the last ones (see BIO_WITHIN)."""
    def is_bio(block: str) -> bool:
        return count_words(block) <= BIO_WORDS and any(
            len(name) >= 3 and block.startswith(name) and _BIO_VERB.match(block, len(name))
            for name in authors)
    tail = len(blocks) - BIO_WITHIN
    return [b for i, b in enumerate(blocks) if i < max(tail, 1) or not is_bio(b)]


def _prefer_jsonld_body(blocks: list[str], dropped: list[str], ld_article: dict | None,
                        ) -> tuple[list[str], str, list[str]]:
    """Use JSON-LD `articleBody` when the visible body (`blocks`, from which the patterns
    `dropped` dropped blocks) is only a teaser of it: its paragraphs, the source, and what
    was dropped from them (with the visible body's paywall prompts: evidence of the paywall
    whichever text is kept)."""
    body = ld_article.get("articleBody") if ld_article else None
    if not isinstance(body, str):
        return blocks, "dom", dropped
    paragraphs = [norm_space(p) for p in body.splitlines() if norm_space(p)]
    visible = words_in(blocks)
    full = words_in(paragraphs)
    opening = first_words(" ".join(blocks), 8)
    if full > JSONLD_RATIO * visible + 20 and opening in " ".join(paragraphs):
        kept, own = strip_blocks(paragraphs)
        prompts = [pattern for pattern in dropped if pattern.startswith("paywall.")]
        return kept, "jsonld", [*prompts, *own]
    return blocks, "dom", dropped


# ---------------------------------------------------------------------------------------
# Site rules

def _apply_site_rule(root: HtmlElement, url: str, folders: tuple[Path, ...] | None, day: date,
                     meta: Metadata
                     ) -> tuple[Layout | None, HtmlElement, list[str], list[str] | None]:
    """The first layout whose body selector matches, the tree to extract the body from
    (a document of the rule's body elements, or the page), the removals, and where the
    layout drops elements, the paywall prompts the generic chrome pass finds on the page
    before they go (a rule may drop the prompt; None: not looked for). A layout whose
    selectors fail on the page (an XPath error `rules check` could not see) is passed over
    like one that does not match."""
    if folders is None:
        return None, root, [], None
    for layout in layouts_for(rules_for(url, tuple(folders)), day):
        try:
            bodies = [el for selector in layout.body for el in selector(root)
                      if isinstance(el, etree._Element)]  # an attribute selects no body
            if layout.body and not bodies:
                continue
            found = {key: [v for sel in compiled for v in map(_value, sel(root)) if v]
                     for key, compiled in layout.meta.items()}
            drops = [element for selector in layout.drop for element in selector(root)
                     if isinstance(element, etree._Element)]
        except etree.XPathError:
            _layout_failed(layout, url, root)
            continue
        _override_metadata(meta, found, layout.id)
        prompts = _prompts(strip_dom(deepcopy(root))) if drops else None
        for element in drops:
            remove(element)
        removed = [f"{layout.id}:drop"] if drops else []
        return layout, _body_document(bodies) if bodies else root, removed, prompts
    return None, root, [], None


_FAILED_LAYOUTS: set[str] = set()


def _layout_failed(layout: Layout, url: str, root: HtmlElement) -> None:
    """Say once per process and layout which of its selectors fails on pages (an error
    `rules check` cannot see: a type error only a matching node shows)."""
    if layout.id in _FAILED_LAYOUTS:
        return
    _FAILED_LAYOUTS.add(layout.id)
    named = [("body", layout.body), ("drop", layout.drop), *layout.meta.items()]
    for key, selectors in named:
        for i, selector in enumerate(selectors):
            try:
                selector(root)
            except etree.XPathError as error:
                logger.warning("site rule %s: %s[%d] %r fails on %s (%s); the layout is"
                               " passed over wherever it fails", layout.id, key, i,
                               getattr(selector, "css", selector.path), url, error)
                return


def _body_document(bodies: list[etree._Element]) -> HtmlElement:
    """A bare document holding only the rule's body elements, for trafilatura."""
    document = fromstring("<html><body><article></article></body></html>")
    article = document.find(".//article")
    for body in bodies:
        copied = fromstring(etree.tostring(body, encoding="unicode", with_tail=False))
        article.append(copied)
    return document


def _override_metadata(meta: Metadata, found: dict[str, list[str]], layout_id: str) -> None:
    """Metadata from the layout's own selectors (`found`: their values by key) wins over
    the generic guess; for `published`, the first value that is a date (ISO 8601, or as
    a page writes one for its readers: `written_date`)."""
    if found.get("title"):
        meta.title = found["title"][0]
    if found.get("authors"):
        meta.authors = list(dict.fromkeys(
            name for value in found["authors"] for name in split_authors(value)))
    if found.get("published"):
        dated = next(filter(None, (iso_datetime(value) or written_date(value, meta.language)
                                   for value in found["published"])), None)
        if dated is None:
            _not_a_date(layout_id, found["published"][0])
        meta.published = dated or meta.published


_UNDATED_LAYOUTS: set[str] = set()


def _not_a_date(layout_id: str, value: str) -> None:
    """Say once per process and layout that its `published` selector matched no date."""
    if layout_id not in _UNDATED_LAYOUTS:
        _UNDATED_LAYOUTS.add(layout_id)
        logger.warning("site rule %s: published matched %r, which is not a date; where it"
                       " matches no date, the date found without the rule is kept",
                       layout_id, value[:80])


def _value(hit: object) -> str:
    if isinstance(hit, str):
        return norm_space(hit)
    return norm_space(hit.get("content") or hit.get("datetime") or block_text(hit))
