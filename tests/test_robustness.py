"""Body text that looks like chrome stays; malformed input does not crash extraction."""

from pathlib import Path

import pytest
from lxml import etree
from lxml.html import HtmlElement
from trafilatura.utils import load_html, repair_faulty_html

from extractors import extract
from extractors.chrome import strip_blocks
from extractors.decode import _needs_repair, decode_html, parse_html

URL = "https://news.example.com/2025/03/04/count"
PARA = ("Election officials in the northern district spent the night recounting ballots after "
        "the margin between the two leading candidates narrowed to fewer than forty votes. ")


@pytest.mark.parametrize("line", [
    "More on the vote count",
    "Support the troops.",
    "Help us understand why, she said.",
    "A message from the mayor was read aloud at the start of the session, to applause.",
])
def test_a_late_subheading_that_looks_like_chrome_does_not_cut_the_body(line):
    blocks = [PARA] * 6 + [line] + [PARA + "Late paragraph."] * 3
    kept, _ = strip_blocks(blocks)
    assert kept[-1].endswith("Late paragraph.")


@pytest.mark.parametrize("line", ["Published in 1998, the book sold well.",
                                  "Updated during 2024, the law now applies to all.",
                                  "We share different views", "Recibió muchas visitas"])
def test_short_body_sentences_are_not_metadata_lines(line):
    kept, _ = strip_blocks([PARA, line, PARA])
    assert line in kept


def test_real_view_counters_and_stamps_are_dropped():
    kept, _ = strip_blocks([PARA, "1,482 views", "Published: March 4, 2025", PARA,
                            "Posted 6 Dec 2025, 7:30pm", "Updated August 14, 2025", PARA])
    assert kept == [PARA, PARA, PARA]


def test_an_article_inside_noscript_is_kept():
    body = "".join(f"<p>{PARA}Paragraph {i}.</p>" for i in range(5))
    html = (f'<html lang="en"><head><title>Count</title><meta property="og:type" '
            f'content="article"></head><body><noscript><article>{body}</article></noscript>'
            f"</body></html>")
    assert extract(html, URL).text.count("Paragraph") == 5


def test_an_author_name_inside_a_word_is_no_byline():
    lead = "Lithium prices surge again as new mines stall in the north of the region."
    body = f"<p>{lead}</p>" + "".join(f"<p>{PARA}Paragraph {i}.</p>" for i in range(5))
    html = (f'<html lang="en"><head><title>Lithium</title><meta name="author" content="Li">'
            f'<meta property="og:type" content="article"></head><body><article>{body}'
            f"</article></body></html>")
    assert lead in extract(html, URL).text


def test_a_declared_utf16_without_bom_is_read_as_utf8():
    assert "hello" in decode_html(b'<meta charset="utf-16"><p>hello</p>')


@pytest.mark.parametrize(("codec", "charset"), [
    ("utf-16-le", "utf-16le"), ("utf-16-be", "UTF-16BE"), ("utf-16-le", "utf-16"),
    ("utf-16-be", "utf-16"), ("utf-32-le", "utf-32"), ("utf-32-be", "utf-32be")])
def test_a_utf16_or_utf32_page_without_bom_is_read_by_its_header_charset(codec, charset):
    page = "<html><p>Grüße aus Köln</p></html>"
    assert decode_html(page.encode(codec), f"text/html; charset={charset}") == page


def test_a_utf16_page_with_a_stray_byte_is_read_by_its_header_charset():
    """One lone surrogate or a trailing odd byte failed the strict decoding: the page was
    "binary" to the crawl, and NULs to the extractor (a review). A browser shows U+FFFD."""
    page = "<html><p>" + "Grüße aus Köln. " * 20 + "</p></html>"
    body = page.encode("utf-16-le") + b"\x00\xd8" + "<p>end</p>".encode("utf-16-le") + b"x"
    text = decode_html(body, "text/html; charset=utf-16le")
    assert text.startswith(page) and "<p>end</p>" in text and "\x00" not in text


def test_a_utf8_page_its_header_calls_utf16_is_read_as_utf8():
    """Its bytes decode as UTF-16 (an even number of ASCII bytes), to CJK characters and
    no markup: the header is wrong."""
    assert decode_html(b"<p>hello</p>", "text/html; charset=utf-16le") == "<p>hello</p>"


def test_deeply_nested_json_ld_is_skipped_not_a_crash():
    html = (b'<html><head><script type="application/ld+json">' + b"[" * 100_000
            + b"</script></head><body><p>x</p></body></html>")
    assert extract(html, URL).url == URL  # extracted, not raised


def _page(body: str, title: str = "Count") -> str:
    return (f'<html lang="en"><head><title>{title}</title><meta property="og:type" '
            f'content="article"></head><body><main>{body}</main></body></html>')


def test_a_body_in_a_wrapper_named_for_its_paywall_or_newsletter_is_kept():
    paragraphs = "".join(f"<p>{PARA}{PARA}Paragraph {i}.</p>" for i in range(5))
    box = '<div class="newsletter-box"><p>Sign up for our newsletter</p></div>'
    # a long site index, so that the wrapper holds less than half the page's text
    index = "".join(f'<li><a href="/s/{i}">Section index entry number {i}</a></li>'
                    for i in range(120))
    html = _page(f'<div class="paywall-content newsletter-wrapper">{paragraphs}</div>{box}'
                 f'<div class="site-index"><ul>{index}</ul></div>')
    article = extract(html, URL)
    assert "Paragraph 4." in article.text
    assert "Sign up" not in article.text  # the box itself, short, still goes


def test_a_comment_thread_goes_though_it_is_written_in_paragraphs():
    paragraphs = "".join(f"<p>{PARA}Paragraph {i}.</p>" for i in range(5))
    comments = "".join(f"<p>{PARA}Reader comment {i}.</p>" for i in range(4))
    article = extract(_page(f'<article>{paragraphs}</article>'
                            f'<div class="comments">{comments}</div>'), URL)
    assert "Paragraph 4." in article.text and "Reader comment" not in article.text


def test_line_breaks_inside_a_block_do_not_glue_words():
    rows = "<br>".join(f"Section {i} - Click Here" for i in range(8))
    html = _page(f"<p>{PARA}</p><p>{rows}</p><p>{PARA}</p>")
    text = extract(html, URL).text
    assert "Click HereSection" not in text and "Section 7 - Click Here" in text


def test_a_table_with_a_date_in_every_row_is_kept_a_lone_stamp_is_not():
    rows = [f"{month}/1/2018 | +{month}.2%" for month in range(1, 7)]
    kept, _ = strip_blocks([PARA, "March 4, 2025", PARA, *rows, PARA])
    assert kept == [PARA, PARA, *rows, PARA]


@pytest.mark.parametrize("line", [
    "As an Amazon Associate we earn from qualifying purchases.",
    "We earn commissions from links on our site, enabling us to deliver independent reviews.",
    "We may earn fees from purchases made through links on this page.",
    "This post may contain affiliate links. Read my full disclosure.",
    "Advertiser Disclosure",
    "Join our mailing list",
    "Get the best of Design Weekly delivered to your inbox every Friday.",
    "This story is funded by readers like you.",
    "Next article: How the council counted the ballots",
    "Pin for later!",
    "Follow us",
    "Table of Contents",
    "Jump to the list",
    "Want more from Daily Select? Sign up for our newsletter, The Selection, and shop smarter.",
    "Catch up on our coverage of tools and follow us on Facebook, Instagram and TikTok.",
    "This article is exclusive to STAT+ subscribers",
    "Subscribe to get access",
    "Advertisement: New AI Book!",
    "Get a free quote today.",
    "View on Amazon",
    "Already have an account? Log in",
    "Back to Blogs",
    "Join the Facebook group for weekly tips",
    "Get the latest news about our live events and online courses.",
    "You may be interested in the following topics as well:",
    "© 2025 Example Media, Inc. All Rights Reserved.",
    "Home",
    "Tags:",
    "Sign up",
    "Subscribe",
    "Главная",
    "January 22nd, 2019",
    "How was this issue?",
    "Help us spread the word about this podcast!",
    "Click here to subscribe to our free daily newsletter",
    "Download our app for the latest breaking news alerts.",
    "Скачайте наше приложение, чтобы не пропустить главное",
    "We rely on readers like you. Donate today.",
    "Donate now!",
    "If you value our journalism, please consider a contribution.",
    "Wir sind auf Ihre Unterstützung angewiesen.",
    "Follow Ada Quill on Twitter: @adaquill",
    "Topics: harbour, budget, council",
    "Themen: Hafen, Haushalt",
    "Disclosure: As an affiliate, I earn from qualifying purchases. If you click a product "
    "link on this site and buy something, I may receive a small commission at no extra cost "
    "to you. This helps keep the site running, and I only recommend products I use myself.",
])
def test_disclosures_promos_and_post_navigation_are_dropped(line):
    kept, removed = strip_blocks([PARA, line, PARA, PARA])
    assert kept == [PARA, PARA, PARA] and removed


@pytest.mark.parametrize("line", [
    "Retailers said affiliate links now drive a third of their online sales, and the "
    "regulator plans to require clearer labels on them next year.",
    "Readers who join the mailing list of the county clerk get the results first.",
    "The next article of the constitution covers how a recount is ordered.",
    "Follow us to the river, the guide told the group, and keep to the path.",
    "Fans who follow him on Instagram saw the photos before the club confirmed the deal.",
    "Get started early.",
    "Shop now, pay later schemes are drawing the regulator's attention.",
    "Copyright law changed in 2019, and the court applied the new rules.",
    "Get the latest news about the storm, the mayor told residents, from the radio.",
    "Back to the council chamber went the members after the break.",
    "Previous post-election surveys found turnout fell sharply in the north.",
    "\u201cWe earn a commission on every sale, so we push the warranties,\u201d he said.",
    "The site is supported by affiliate fees, the lawsuit alleges.",
    "Get alerts for your flights sent to your inbox by enabling notifications.",
    "Written by hand in 1887",
    "Posted by a relative on Facebook",
    "Home prices rose five percent in May.",
    "Subscribe to the idea that less is more, she said, and the rest will follow.",
    "Register your bike with the police before the race, the organisers said.",
    "On January 22nd, 2019 the council met again.",
    "How was this issue resolved? The court sent it back to the county.",
    "Download the app, officials said, to track the buses in real time.",
    "We rely on donations to keep the shelter open, the director said.",
    "We rely on readers to tell us when the buses run late, the operator said.",
    "Give today's vote a second look: the margin was four ballots.",
    "Topics ranged from the harbour to the budget. The council took no vote.",
    "Follow the river on foot from the bridge to the old mill.",
    "If you like this idea, the mayor said, support it at the meeting.",
])
def test_body_sentences_close_to_a_cue_stay(line):
    kept, _ = strip_blocks([PARA, line, PARA])
    assert line in kept


def test_a_heading_and_paragraphs_inside_one_list_item_do_not_glue():
    items = "".join(f"<li><h3>Summit {i}</h3><p>Atlanta, United States</p><p>{PARA}</p></li>"
                    for i in range(6))
    text = extract(_page(f"<p>{PARA}</p><ul>{items}</ul><p>{PARA}</p>"), URL).text
    assert "Summit 5\nAtlanta, United States\n" in text
    assert "Summit 5Atlanta" not in text and "StatesElection" not in text


TEASER = ("In other news this week the regional transport authority announced a new timetable for "
          "buses and trams that will add late services on weekends and extend several routes. ")


@pytest.mark.parametrize("name", ["more-from", "trending", "recommendations", "sponsored"])
def test_a_box_of_long_teasers_inside_the_article_still_goes(name):
    body = "".join(f"<p>{PARA}{PARA}Paragraph {i}.</p>" for i in range(6))
    box = (f'<div class="{name}">' + "".join(
        f"<div><h3><a href='/r{i}'>Headline {i}</a></h3><p>{TEASER}Teaser {i}.</p></div>"
        for i in range(3)) + "</div>")
    html = _page(f"<article>{body[:len(body) // 2]}{box}{body[len(body) // 2:]}</article>")
    article = extract(html, URL)
    assert "Paragraph 5." in article.text and "Teaser 0" not in article.text


def test_a_byline_a_date_and_a_reading_time_in_a_row_are_still_stamps():
    kept, _ = strip_blocks(["Written by Jane Doe", "Published on March 4, 2025",
                            "5 min read", PARA, PARA])
    assert kept == [PARA, PARA]


def test_a_line_break_in_the_source_html_is_a_space_not_a_new_line():
    html = _page(f"<p>{PARA}</p><blockquote>Bare quote wrapped\nat eighty columns "
                 f"by the author.</blockquote><p>{PARA}</p>")
    assert "Bare quote wrapped at eighty columns" in extract(html, URL).text


def test_a_sign_in_line_for_subscribers_alone_is_no_paywall():
    """"Already a subscriber? Log in" on a free story is chrome (dropped), not a paywall:
    the story is whole; a paywall's own prompt after a cut story is one."""
    body = "".join(f"<p>{PARA} Paragraph {i}.</p>" for i in range(3))
    free = extract(_page(f"{body}<p>Already a subscriber? <a href='/login'>Log in</a></p>"
                         f"{body}"), URL)
    assert free.paywall == "none" and "account.cue" in free.removed
    assert "Already a subscriber" not in free.text
    cut = extract(_page(f"{body}<p>Subscribe to continue reading.</p><p>Already a "
                        "subscriber? <a href='/login'>Log in</a></p>"), URL)
    assert cut.paywall == "truncated"


def test_page_chrome_outside_a_site_rule_body_does_not_set_the_paywall():
    from pathlib import Path

    para = ("The council met on Tuesday to discuss the harbour wind farm plan, which would "
            "place forty turbines off the coast and supply power to ninety thousand homes. ")
    blocks = "".join(f'<div class="article__block--html"><p>{para} Paragraph {i}.</p></div>'
                     for i in range(6))
    side = ('<aside><div class="paywall-offer">Already a subscriber? Log in. Subscribe to '
            'continue reading.</div></aside>')
    html = (f'<html lang="en"><head><title>T</title><meta property="og:type" '
            f'content="article"></head><body><h1>T</h1><div class="article__content">'
            f'{blocks}</div>{side}</body></html>')
    article = extract(html, "https://www.themoscowtimes.com/2026/01/05/harbour-wind-farm-a1",
                      rules=(Path("extractors/sites"),))
    assert article.rule and article.paywall == "none" and article.removed == []


@pytest.mark.parametrize("text", [
    "", "   ", "x", "<p>x</p>", "<html/>", "<html lang='en'/>\n<body><p>x</p></body>",
    "<!DOCTYPE html/ >\n<html><body><p>a\x01b\ufffec</p></body></html>",
    "<html><body><p>tab\tvertical\x0bform\x0cff\uffff end</p></body></html>",
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "x.dtd">\n<html><body><p>x</p>'
    '</body></html>',
    "<html><body><p>caf\u00e9 \u201cquoted\u201d \u4e2d\u6587</p></body></html>",
    '<?xml version="1.0" encoding="utf-8"?><html><body><p>x</p></body></html>',
    "<html><body><form><input name=q value=1><label>L</label></form></body></html>",
])
def test_pages_parse_as_trafilatura_parses_them(text):
    """`parse_html` builds trafilatura's tree (same repairs, same not-HTML test), with
    plain `HtmlElement`s throughout (lxml's class lookup in C)."""
    ours, theirs = parse_html(text), load_html(text)
    assert (ours is None) == (theirs is None)
    if ours is not None:
        assert etree.tostring(ours) == etree.tostring(theirs)
        assert {type(e) for e in ours.iter(etree.Element)} == {HtmlElement}


REPAIRED = ["<p>plain</p>", "<html><body><p>a\x01b</p></body></html>", "x\ufffey",
            "x\uffffy", "<!DOCTYPE html/ >\n<html>", '<!DOCTYPE html PUBLIC "-//W3C//DTD">\n<p>',
            "<!doctype html>\n<html lang='en'/>\n<body>", "\n\n\n<html/>", "<html>\t\r\n</html>",
            "<!DOCTYPE html>\n<html>\n<head/>\n<body>\n<p>x</p>", "\x0b", "\x1f<p>x</p>"]


@pytest.mark.parametrize("text", REPAIRED + [
    path.read_text(encoding="utf-8", errors="replace")
    for path in sorted((Path(__file__).parent.parent / "fixtures").rglob("*.html"))])
def test_a_page_left_unrepaired_is_one_trafilaturas_repair_leaves_alone(text):
    """`parse_html` skips trafilatura's `repair_faulty_html` where `_needs_repair` says it
    would change nothing: if trafilatura ever repairs more, this fails."""
    if not _needs_repair(text, text.encode("utf-8", "surrogatepass"), text[:50].lower()):
        assert repair_faulty_html(text, text[:50].lower()) == text


def test_a_page_opening_with_a_no_break_space_is_a_page():
    root = parse_html("\u00a0<html lang='en'><head><title>T</title></head><body><p>x</p>"
                      "</body></html>")
    assert (root.tag, root.get("lang"), root.findtext(".//title")) == ("html", "en", "T")


@pytest.mark.parametrize("reference", ["&#11;", "&#x0B;", "&#x0c", "&#0001;", "&#31;"])
def test_a_reference_to_a_control_character_does_not_empty_the_body(reference):
    """Text pasted from a word processor may hold "&#11;": libxml2 puts the character in the
    tree, and trafilatura discards the body it is in; it is read as a space."""
    story = "".join(f"<p>The council voted on Tuesday to approve the tram budget after months"
                    f" of debate over how to pay for the new lines. Paragraph {i}.</p>"
                    for i in range(5))
    page = (f"<html lang='en'><head><title>Budget</title></head><body><article>"
            f"<h1>Budget</h1>{story}<p>The mayor{reference}said it was a good day.</p>"
            f"</article></body></html>")
    article = extract(page, "https://news.example.com/2025/05/01/budget")
    assert article.is_article and "The mayor said it was a good day." in article.text
    other = parse_html("<html><body><p>&#8217;&#10;&#32;&#x1F600; stay</p></body></html>")
    assert "\u2019\n \U0001f600 stay" in other.text_content()


@pytest.mark.parametrize("href", ["http://[::1/story", "https://[domain]/story"])
def test_a_canonical_url_that_is_no_url_loses_no_article(href):
    """urljoin raised ValueError: the page was stored with extract_error, on every run."""
    story = "".join(f"<p>The council voted on Tuesday to approve the tram budget after months"
                    f" of debate over how to pay for the new lines. Paragraph {i}.</p>"
                    for i in range(5))
    page = (f"<html lang='en'><head><title>Budget</title><link rel='canonical' href='{href}'>"
            f"</head><body><article><h1>Budget</h1>{story}</article></body></html>")
    article = extract(page, "https://news.example.com/2025/05/01/budget")
    assert article.is_article and article.canonical_url is None


def test_a_lone_surrogate_does_not_empty_the_page():
    """A string holding half a UTF-16 pair (a page decoded with `surrogateescape`) keeps its
    text, the stray character replaced; trafilatura's string parse gives an empty body."""
    root = parse_html("<html><body><p>before \ud800 after</p></body></html>")
    assert "before" in root.text_content() and "after" in root.text_content()


@pytest.mark.parametrize("tail", ["</body></html>", "</BODY>\n</HTML >", ""])
def test_markup_after_the_closing_html_tag_is_read_into_the_body(tail):
    """libxml2 stops at the first </html>; a browser reads what follows into the body. A page
    that closes its header template with </body></html> keeps the story written after it."""
    story = "The story itself, written after the header template was closed. " * 8
    page = (f"<html><head><title>T</title></head><body><header><a href='/'>Home</a></header>"
            f"</body></html>\n<main><article><h1>T</h1><p>{story}</p><p>{story}</p></article>"
            f"</main>{tail}")
    root = parse_html(page)
    assert story.strip() in root.text_content()
    assert root.find("body").find("main") is not None
    assert story.strip() in extract(page, "https://news.example/2024/01/02/t").text


def test_a_page_ending_normally_parses_as_before():
    """Comments or scripts after </html>, or nothing: the tree is libxml2's own."""
    for page in ("<html><body><p>x</p></body></html>\n",
                 "<html><body><p>x</p></body></html>\n<!-- cached 0.1s -->\n"):
        assert etree.tostring(parse_html(page)) == etree.tostring(load_html(page))


@pytest.mark.parametrize("depth", [3000, 100_000])
def test_a_story_under_thousands_of_unclosed_boxes_is_read_whole(depth):
    """libxml2 nests at most 2,048 elements, `huge_tree` or not: what was deeper, the whole
    story, was dropped without a word, and the page stored as "not an article"."""
    story = "".join(f"<p>{PARA} Paragraph {i}.</p>" for i in range(6))
    html = (f"<html><head><title>Count</title></head><body>{'<div class=x>' * depth}"
            f"<article><h1>Count</h1>{story}</article></body></html>").encode()
    article = extract(html, URL)
    assert article.is_article and article.text.count("Paragraph") == 6


@pytest.mark.parametrize(("deep", "box"), [
    ("<b>" * 3000, "<div>"),  # nested by other tags than boxes
    ("<div class=c>" * 3000, "<div>"),  # a story of <div> paragraphs: breaks kept
    ("<span title='a > b'>" * 3000, "<p>"),
])  # fmt: skip
def test_a_page_deep_only_below_its_story_reads_the_story_as_before(deep, box):
    """The story comes first and whole; only the footer (a comment thread) is deep: the
    first reading, with the page's boxes, stays. A page too deep after the boxes were taken
    out was refused; the tags were taken out of every page too deep, gluing a story's <div>
    paragraphs together, and reading a '>' in an attribute as text."""
    end = box.replace("<", "</")
    story = "".join(f"{box}{PARA} Paragraph {i}.{end}" for i in range(6))
    html = (f"<html><head><title>Count</title></head><body><article><h1>Count</h1>{story}"
            f"</article><footer>{deep}<p>Comments</p></footer></body></html>").encode()
    article = extract(html, URL)
    assert article.is_article and article.text.count("Paragraph") == 6
    assert article.text.count("\n\n") >= 5 and "b'>" not in article.text


def test_flattening_a_deep_page_leaves_its_scripts_and_comments_alone():
    """`<script>if (n<span) go();</script>`: a regex over the page took the script's end
    with the "tag", and the story became script text; `<!-- </div -->` ate the comment's
    end, and the story with it."""
    story = "".join(f"<p>{PARA} Paragraph {i}.</p>" for i in range(6))
    html = (f"<html><head><title>Count</title><script>if (n<span) go();</script></head><body>"
            f"<!-- closes </div --><span title='x > y'>{'<div>' * 3000}<article><h1>Count</h1>"
            f"{story}</article></span></body></html>").encode()
    article = extract(html, URL)
    assert article.is_article and article.text.count("Paragraph") == 6
    assert "go()" not in article.text and "y'>" not in article.text


def test_a_short_story_under_deep_boxes_after_a_long_menu_is_read():
    """The flat reading was kept only where it held 10% more text than the first: 600
    menu links before the boxes outweighed a three-paragraph brief, which was lost."""
    menu = "".join(f"<li><a href='/s{i}'>Section number {i}</a></li>" for i in range(600))
    story = "".join(f"<p>{PARA} Paragraph {i}.</p>" for i in range(3))
    html = (f"<html><head><title>Count</title></head><body><nav><ul>{menu}</ul></nav>"
            f"{'<div class=wrap>' * 3000}<article><h1>Count</h1>{story}</article>"
            "</body></html>").encode()
    article = extract(html, URL)
    assert article.is_article and article.text.count("Paragraph") == 3


def test_a_deep_comment_thread_stays_chrome():
    """A template leaving two <div>s open a comment: 1,500 comments are 3,000 levels. The
    whole page was flattened, the comments' boxes with it, and their text read as the
    story's. Only the boxes past FLAT_FROM are flattened, and keep their names."""
    story = "".join(f"<p>{PARA} Paragraph {i}.</p>" for i in range(6))
    comment = ("<div class='comment'><div class='comment-body'><p>Reader {i} writes that"
               " the recount was a waste of everybody's time and money.</p>")
    comments = "".join(comment.format(i=i) for i in range(1500))
    html = (f"<html><head><title>Count</title></head><body><article><h1>Count</h1>{story}"
            f"</article><section id='comments' class='comments'>{comments}</body></html>"
            ).encode()
    article = extract(html, URL)
    assert article.text.count("Paragraph") == 6 and "Reader" not in article.text


def test_flatten_reads_tokens_as_html_does():
    """What `_flatten` leaves as it is: a comment or a script left open (to the page's
    end), a custom element whose name opens like a box's, the boxes above FLAT_FROM."""
    from extractors.decode import FLAT_FROM, _flatten

    deep = b"<div class='a > b'>" * (FLAT_FROM + 2)
    flat = _flatten(deep)
    assert flat.count(b"<div class='a > b'>") == FLAT_FROM
    assert flat.endswith(b"<p class='a > b'><p class='a > b'>")
    for kept in (b"<!-- open " + deep, b"<script>if (n<span) x(); " + deep,
                 b"<section-header>" * (FLAT_FROM + 2), b"<font-awesome-icon>" * 600):
        assert _flatten(kept) == kept


@pytest.mark.parametrize("before", [
    "<div class=row>x</span>" * 3000,  # a stray </span> closed a <div> for the counter
    "<!---> hi " + "<div>" * 3000,  # comments libxml2 ends ("<!--->", "--!>") ran to the
    "<!-- a --!> hi " + "<div>" * 3000,  # page's end for the flattening: nothing flat
])
def test_a_story_under_deep_boxes_is_read_after_stray_tags_and_odd_comments(before):
    story = "".join(f"<p>{PARA} Paragraph {i}.</p>" for i in range(5))
    html = (f"<html><head><title>Count</title></head><body>{before}<article><h1>Count</h1>"
            f"{story}</article></body></html>").encode()
    assert extract(html, URL).text.count("Paragraph") == 5


def test_flatten_ends_a_tag_at_a_bracket_outside_quotes():
    """`[^>"']*` ran from each of thousands of `<div ` (no `>`) to the page's end: minutes
    for 2 MB (a timing script measured it; here, what the pass makes of such a page)."""
    from extractors.decode import FLAT_FROM, _flatten

    page = b"<div>" * (FLAT_FROM + 1) + b"<div " * 1000 + b"<div title='a<b'>"
    flat = _flatten(page)
    assert flat.startswith(b"<div>" * FLAT_FROM + b"<p>") and b"<div " * 1000 in flat
    assert flat.endswith(b"<p title='a<b'>")
