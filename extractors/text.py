"""Small text helpers shared by the extraction modules."""

from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache

from lxml import etree


def has_control(text: str) -> bool:
    """Whether `text` holds a control character or a line or paragraph separator (a line
    break, a tab): what a name that one-line messages quote may not hold."""
    return any(unicodedata.category(char) in ("Cc", "Zl", "Zp") for char in text)


def norm_space(text: str | None) -> str:
    """Collapse runs of white space to one space and strip the ends.

    `str.split()` splits at exactly the characters `re`'s `\\s` matches, and is faster.
    """
    return " ".join((text or "").split())


# Mojibake: UTF-8 read as windows-1252 or latin-1 (once or more), as a page may be served
# ("donâ€™t", "Â " for a no-break space, "Dariusz JaroÅ\x84"). What `unmangled` looks for
# before asking ftfy: a lead character of a UTF-8 sequence (U+00C2-U+00F4) followed by a
# continuation byte as those encodings read it, or "Â" or "Ã" before a space (a no-break
# space, "à" in French, once white space is collapsed: "voilÃ tout", "Retour Ã Paris").
# Text that shows mojibake on purpose ('I saw "Ã¤" instead of "ä"') is "repaired" too.
_MOJIBAKE = re.compile("[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178"
                       "\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e"
                       "\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
                       "|[\u00c2\u00c3] ")


def unmangled(text: str | None) -> str | None:
    """`text` with its mojibake repaired (ftfy's encoding fixes only, line by line: a
    correct line stays as it is); unchanged where nothing looks like it."""
    if not text or not _MOJIBAKE.search(text):
        return text
    import ftfy  # here: 7.6 MB a process, which most never need

    return ftfy.fix_text(text, _repairs())


@lru_cache(maxsize=1)
def _repairs():
    """ftfy's encoding repairs alone: quotes, ligatures, widths, line breaks and HTML
    entities stay as the page has them."""
    import ftfy

    return ftfy.TextFixerConfig(
        unescape_html=False, remove_terminal_escapes=False, fix_latin_ligatures=False,
        fix_character_width=False, uncurl_quotes=False, fix_line_breaks=False,
        remove_control_chars=False, normalization=None, explain=False)


_VISIBLE_TEXT = etree.XPath(".//text()[not(ancestor::script or ancestor::style)]")


def block_text(element: etree._Element) -> str:
    """The visible text of an element, white space collapsed (comments and scripts skipped)."""
    return norm_space(" ".join(_VISIBLE_TEXT(element)))


def body_blocks(body: etree._Element) -> list[str]:
    """Paragraphs, headings, list items and table rows of a trafilatura body, in order.

    A line break inside a block (trafilatura's `<lb/>`) stays a line break, so that
    "Click here<br>Pages 1-5" does not run together into "Click herePages 1-5"; two in a
    row end a paragraph (a story whose paragraphs are text between `<br><br>`s is as many
    blocks, not one). A `<div>` or `<section>` holding blocks (readability's body nests its
    paragraphs in them) gives its blocks one by one; text between blocks (in the body too)
    is a block of its own.
    """
    return [b for b in _container_blocks(body) if b]


def _blocks(element: etree._Element) -> list[str]:
    if element.tag == "list":
        return _list_items(element)
    if element.tag == "table":
        return _table_rows(element)
    if element.tag in _CONTAINERS and any(child.tag in _BLOCK_TAGS for child in element):
        return _container_blocks(element)
    if element.tag == "quote" and any(child.tag == "p" for child in element):
        return _container_blocks(element)  # a quote of paragraphs: each one a block
    return _paragraphs(_collected(element))


def _container_blocks(element: etree._Element) -> list[str]:
    """Each block child's blocks, and each run of loose text and inline elements between
    them as one block."""
    blocks: list[str] = []
    parts = [_flat(element.text)]
    for child in element:
        if child.tag in _BLOCK_TAGS:
            blocks.extend(_paragraphs("".join(parts)))  # text before the block, if any
            blocks.extend(_blocks(child))
            parts = []
        elif child.tag == "lb":
            parts.append(_LB)
        elif isinstance(child.tag, str):
            _collect(child, (), parts)
        parts.append(_flat(child.tail))
    blocks.extend(_paragraphs("".join(parts)))
    return blocks


# `<lb/>` while text is collected: NUL, which no text of an lxml tree holds.
_LB = "\0"
# Two line breaks in a row, white space (and block edges) between them: a paragraph's end.
_PARAGRAPH_BREAK = re.compile(r"\0\s*\0[\s\0]*")


def _collected(element: etree._Element, skip: tuple[str, ...] = ()) -> str:
    parts: list[str] = []
    _collect(element, skip, parts)
    return "".join(parts)


def _text(element: etree._Element, skip: tuple[str, ...] = ()) -> str:
    """The element's text with `<lb/>` as a line break, each line white-space collapsed;
    descendants tagged `skip` (a nested list) are left out, their tails kept."""
    return _lines(_collected(element, skip))


def _paragraphs(text: str) -> list[str]:
    """Collected text as blocks, one per paragraph (`_PARAGRAPH_BREAK`); none if blank."""
    return [block for block in map(_lines, _PARAGRAPH_BREAK.split(text)) if block]


def _lines(text: str) -> str:
    """Collected text as a block: each line white-space collapsed, empty ones gone."""
    collapsed = (norm_space(line) for line in text.replace(_LB, "\n").split("\n"))
    return "\n".join(line for line in collapsed if line)


# trafilatura's block elements: nested in another block (a heading and paragraphs inside a
# list item) each still starts a line of its own.
_BLOCK_TAGS = frozenset({"p", "head", "list", "item", "quote", "code", "table", "row",
                         "div", "section"})
_CONTAINERS = frozenset({"div", "section"})
# The cells of a table inside a list item or a paragraph, read as that block's text (HTML
# cells trafilatura leaves unconverted, there without their <table> and <tr>; a converted
# table's): words apart, not run together ("Server locations130 countries").
_HTML_CELLS = frozenset({"td", "th", "cell"})


def _collect(element: etree._Element, skip: tuple[str, ...], parts: list[str]) -> None:
    """Text into `parts`; a source line break is a space, `<lb/>` or a block edge is "\n"."""
    parts.append(_flat(element.text))
    for child in element:
        if child.tag == "lb":
            parts.append(_LB)
        elif child.tag not in skip and isinstance(child.tag, str):
            edge = ("\n" if child.tag in _BLOCK_TAGS else
                    " " if child.tag in _HTML_CELLS else "")
            parts.append(edge)
            _collect(child, skip, parts)
            parts.append(edge)
        parts.append(_flat(child.tail))


def _flat(text: str | None) -> str:
    return text.replace("\n", " ") if text else ""


class Item(str):
    """The block of a list item, and its marker: "-", or its number in a numbered list
    ("3."). The text format writes it as "- item" or "3. item" (`join_blocks`)."""

    def __new__(cls, text: str, marker: str = "-") -> Item:
        item = super().__new__(cls, text)
        item.marker = marker
        return item


# The number the page shows on an item of a numbered list, as `chrome.trafilatura_copy`
# writes it on the <li> (trafilatura keeps `rend`); "-" for a list numbered with letters.
NUMBERED = re.compile(r"-|\d+\.")


def _list_items(element: etree._Element) -> list[str]:
    """Every item of a list, nested lists' items as items of their own (not twice): the
    items of a bulleted list as `Item`s marked "-"; of a numbered list, those that were
    <li>s as `Item`s with their number, the text between them as plain blocks; a
    description list's terms and descriptions as plain blocks."""
    items = []
    for item in element.iter("item"):
        text, kind, marker = _text(item, skip=("list",)), item.getparent().get("rend"), None
        if kind == "ol":
            marker = item.get("rend") if NUMBERED.fullmatch(item.get("rend") or "") else None
        elif kind != "dl":
            marker = "-"
        items.append(Item(text, marker) if marker else text)
    return items


def lines(block: str) -> list[str]:
    """A block's lines as blocks of their own (a list item's first line stays its item)."""
    first, *rest = block.split("\n")
    return [Item(first, block.marker) if isinstance(block, Item) else first, *rest]


# Between the cells of a table row: a tab, as a browser's copy of the row has (a row reads
# as a line of tab-separated values; collapsed, as words apart).
CELL_SEPARATOR = "\t"


def _table_rows(element: etree._Element) -> list[str]:
    """Each row's cells, an empty one kept between others (the columns stay in place) and
    none after the last with text; a row without text is none."""
    rows = []
    for row in element.iter("row"):
        cells = [norm_space(_text(cell)) for cell in row.iter("cell")]
        while cells and not cells[-1]:
            cells.pop()
        if any(cells):
            rows.append(CELL_SEPARATOR.join(cells))
    return rows


# A run of at least so many consecutive blocks, and words, each block read earlier in the
# same body, is the body served twice (a print or mobile copy of the story in the page).
REPEAT_BLOCKS = 3
REPEAT_WORDS = 50


def drop_repeats(blocks: list[str], earlier: set[str] | frozenset[str] = frozenset(),
                 ) -> tuple[list[str], bool]:
    """The blocks without the passages that repeat earlier ones (or blocks read before
    them, `earlier`: a headline and byline already taken out), and whether one went.

    Only a passage goes: a pull quote, a refrain or a repeated caption (one or two blocks,
    or a few words) stays where it is, as the reader sees it.
    """
    seen = set(earlier)
    kept: list[str] = []
    start, dropped = 0, False
    while start < len(blocks):
        end = start
        while end < len(blocks) and blocks[end] in seen:
            end += 1
        if end == start:
            seen.add(blocks[start])
            kept.append(blocks[start])
            start += 1
            continue
        run = blocks[start:end]
        if len(run) >= REPEAT_BLOCKS and words_in(run) >= REPEAT_WORDS:
            dropped = True
        else:
            kept.extend(run)
        start = end
    return kept, dropped


# A list item's marker at the start of a block of the text format.
_MARKER = re.compile(r"(?:\A|(?<=\n\n))(?:-|\d+\.) ")


# Chinese and Japanese write words without spaces between them: each of their characters
# (Han ideographs with 々 〆 〇, hiragana, katakana) counts as a word, as word processors
# count them. Their punctuation (。，、「」・...) and what their texts take from the general
# block (“ ” ‘ ’ — … ·) separate words as white space does. Korean spaces its words.
_IDEOGRAPHS = ("\u3005-\u3007\u3040-\u30fa\u30fc-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
               "\uf900-\ufaff\uff66-\uff9f\U00020000-\U000323af")
_IDEOGRAPHIC_PUNCTUATION = ("\u00b7\u2010-\u2027\u2030-\u205e\u3000-\u3004\u3008-\u303f"
                            "\u30fb\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65")
_IDEOGRAPH = re.compile(f"[{_IDEOGRAPHS}]")
_WORD = re.compile(f"[{_IDEOGRAPHS}]|[^\\s{_IDEOGRAPHS}{_IDEOGRAPHIC_PUNCTUATION}]+")
_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")

# Thai, Lao, Burmese and Khmer write words without spaces too (a space ends a phrase or a
# sentence), and their words are several letters long: a run of them counts one word for
# every LETTERS_PER_WORD letters (their vowel signs and tone marks, which are combining
# marks, aside). Measured on a hand-segmented Thai news text: 60 words, 210 letters; the
# other three scripts are counted alike, an estimate. Without this, a Thai article of 300
# words counted 30, and was too short to be one.
_RUN_SCRIPTS = ((0x0E00, 0x0EFF), (0x1000, 0x109F), (0x1780, 0x17FF))  # Thai, Lao; Burmese; Khmer
_RUN_LETTERS = "".join(chr(c) for low, high in _RUN_SCRIPTS for c in range(low, high + 1)
                       if unicodedata.category(chr(c)).startswith("L"))
_RUN_LETTER = re.compile(f"[{_RUN_LETTERS}]")
LETTERS_PER_WORD = 3.5
_UNSPACED = re.compile(f"[{_IDEOGRAPHS}{_RUN_LETTERS}]")


def _spaced(text: str) -> bool:
    """Whether `text` has no character of a script written without spaces between words
    (Chinese, Japanese; Thai, Lao, Burmese, Khmer): its words are white-space separated."""
    return text.isascii() or not _UNSPACED.search(text)


def _run_words(token: str) -> int:
    """The words of a token (`_WORD`): one, or its run letters' (LETTERS_PER_WORD)."""
    letters = len(_RUN_LETTER.findall(token))
    return max(1, round(letters / LETTERS_PER_WORD)) if letters else 1


@lru_cache(maxsize=1024)  # a block is counted about five times (readings, features, models)
def count_words(text: str) -> int:
    """The words of a text: white-space separated, each Chinese or Japanese character one
    word, and a run of Thai, Lao, Burmese or Khmer one for every LETTERS_PER_WORD letters."""
    if _spaced(text):
        return len(text.split())
    tokens = _WORD.findall(text)
    if not _RUN_LETTER.search(text):
        return len(tokens)
    return sum(map(_run_words, tokens))


def ideographic(text: str | None) -> bool:
    """Whether `text` (a headline, a name) is Chinese or Japanese: ideographs are at least
    half of its words, and it has no Korean letters (Korean headlines have Han characters
    too)."""
    if not text or _HANGUL.search(text):
        return False
    ideographs = len(_IDEOGRAPH.findall(text))
    return ideographs > 0 and 2 * ideographs >= count_words(text)


def hangul(text: str | None) -> bool:
    """Whether `text` is Korean: Korean letters are at least half of its characters (white
    space aside)."""
    if not text:
        return False
    letters = len(_HANGUL.findall(text))
    return letters > 0 and 2 * letters >= len("".join(text.split()))


def first_words(text: str, count: int) -> str:
    """The text's first `count` words (`count_words`), white space collapsed, as it reads
    them ("北京时间11月28日" for 8 of Chinese)."""
    head = " ".join(text.split()[:count])
    if _spaced(head):
        return head
    seen = 0
    for token in _WORD.finditer(head):
        words = _run_words(token.group())
        if seen + words >= count:  # a run's share of its letters, as counted
            share = (count - seen) / words
            return head[:token.start() + math.ceil(share * len(token.group()))]
        seen += words
    return head


def words_in(blocks: list[str]) -> int:
    """The words of a reading's blocks (`count_words`)."""
    return sum(map(count_words, blocks))


def word_count(text: str) -> int:
    """The words of a text in the Article format (`count_words`), list markers not counted."""
    return count_words(_MARKER.sub("", text))


def join_blocks(blocks: list[str]) -> str:
    """The Article text format: one block per paragraph, heading, list item or table row,
    separated by a blank line; a list item starts with "- "."""
    return "\n\n".join(f"{block.marker} {block}" if isinstance(block, Item) else block
                         for block in blocks)


# libxml2 ends the document at the first </html>: whatever follows is dropped, silently. A
# browser reads markup after </body> or </html> into the body (HTML5's "after body" modes),
# and some pages close their header template with both tags before the article is written.
_HTML_END = re.compile(r"</html\s*>", re.IGNORECASE)
_END_TAGS = re.compile(r"</(?:body|html)\s*>", re.IGNORECASE)
_START_TAG = re.compile(r"<[a-z]", re.IGNORECASE)


def without_early_end(text: str) -> str:
    """`text` without its </body> and </html> tags where an element follows the first
    </html> (libxml2 closes both at the end of the text; otherwise `text` unchanged)."""
    end = _HTML_END.search(text)
    if end is None or not _START_TAG.search(text, end.end()):
        return text
    return _END_TAGS.sub("", text)


_WORD_RUN = re.compile(r"\S+")
# Below this many characters searched (needles times text), each needle is looked for in the
# whole text: building the index would cost more.
INDEX_FROM = 4_000_000


def found_in(needles: list[str], text: str) -> list[bool]:
    """`[needle in text for needle in needles]`, without scanning `text` once per needle
    (quadratic on a live blog of thousands of blocks: seconds a page).

    A needle's inner words (white space on both sides) stand as words of `text` wherever the
    needle occurs, so a needle of three words or more is looked for only where its rarest
    inner word stands; a one-word needle is a word of the text or a part of one; a two-word
    needle, whose first word ends a word of the text and second starts one, is looked for
    where either word stands whole, and in the whole text if that fails. The same answers
    as the substring search, each distinct needle searched once.
    """
    if len(needles) * len(text) < INDEX_FROM:
        return [needle in text for needle in needles]
    where: dict[str, list[int]] = {}
    for m in _WORD_RUN.finditer(text):
        where.setdefault(m.group(), []).append(m.start())
    vocabulary = ""  # the distinct words, each on a line of its own (made when needed)
    known: dict[str, bool] = {}

    def at_words(needle: str, words: list[tuple[int, str]]) -> bool:
        return any(text.startswith(needle, place - at) for at, word in words
                   for place in where.get(word, ()) if place >= at)

    found = []
    for needle in needles:
        hit = known.get(needle)
        if hit is None:
            words = [(m.start(), m.group()) for m in _WORD_RUN.finditer(needle)]
            if len(words) >= 3:
                hit = at_words(needle, [min(words[1:-1], key=lambda w: len(where.get(w[1], ())))])
            elif len(words) == 1 and words[0][1] == needle:
                vocabulary = vocabulary or "\n" + "\n".join(where) + "\n"
                hit = needle in where or needle in vocabulary
            elif len(words) == 2:  # the first word ends a word of the text, the next starts one
                vocabulary = vocabulary or "\n" + "\n".join(where) + "\n"
                hit = (words[0][1] + "\n" in vocabulary and "\n" + words[1][1] in vocabulary
                       and (at_words(needle, words) or needle in text))
            else:
                hit = at_words(needle, words) or needle in text
            known[needle] = hit
        found.append(hit)
    return found
