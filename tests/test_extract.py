"""The extraction API: decoding, chrome removal, paywall and article detection."""

import json
import random
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from lxml import etree
from lxml.html import fromstring, tostring

from crawler import storage
from extractors import Article, extract
from extractors import text as text_module
from extractors.authors import clean_authors
from extractors.chrome import (
    AnyCue,
    PageIndex,
    _any_of,
    _holds_any,
    _uncaptured,
    any_cue,
    catalogue,
    first_chars,
    max_cue_words,
    speaks_of_itself,
    strip_blocks,
    strip_dom,
    trafilatura_copy,
    unwrap_swallowing_landmarks,
)
from extractors.classify import features
from extractors.core import analyse
from extractors.dates import find_date
from extractors.decode import decode_html, parse_html
from extractors.metadata import Metadata, _date_search_copy, byline_names, split_authors
from extractors.text import body_blocks, drop_repeats, found_in, join_blocks, norm_space

URL = "https://news.example.com/2024/05/01/council-approves-budget"
PARAGRAPH = ("The city council voted on Tuesday to approve a new budget for public transport, "
             "ending months of debate among members about fares, routes and the future of the "
             "tram network that carries most of the commuters in the old town. ")


def page(body: str, head: str = "", lang: str = "en") -> str:
    return (f'<html lang="{lang}"><head><meta charset="utf-8"><title>Council approves budget'
            f'</title><meta property="og:type" content="article">{head}</head><body>'
            f'<nav><a href="/">Home</a><a href="/world/">World</a></nav><main><article>'
            f"<h1>Council approves budget</h1>{body}</article></main>"
            f"<footer><a href='/about/'>About us</a></footer></body></html>")


def paragraphs(n: int, text: str = PARAGRAPH) -> str:
    return "".join(f"<p>{text}Paragraph {i} ends here.</p>" for i in range(n))


def test_article_fields_and_text_format():
    article = extract(page(paragraphs(4) + "<h2>What comes next</h2><ul><li>Fares rise"
                           " in May</li><li>New routes open</li></ul>"), URL)
    assert isinstance(article, Article)
    assert article.is_article and article.title == "Council approves budget"
    blocks = article.text.split("\n\n")
    assert blocks[0].endswith("Paragraph 0 ends here.")
    assert blocks[-3:] == ["What comes next", "- Fares rise in May", "- New routes open"]
    assert article.language == "en" and article.paywall == "none" and article.rule is None


def test_numbered_list_items_keep_their_numbers_and_table_cells_stay_apart():
    article = extract(page(paragraphs(4) + "<ol><li>Fares rise in May</li><li>New routes"
                           " open</li></ol><table><tr><th>Ward</th><th>Votes</th></tr><tr>"
                           "<td>North</td><td>1,204</td></tr></table>"), URL)
    blocks = article.text.split("\n\n")
    assert blocks[4:6] == ["1. Fares rise in May", "2. New routes open"]
    assert blocks[6:] == ["Ward\tVotes", "North\t1,204"]  # a row: tab-separated cells


@pytest.mark.parametrize(("numbered", "expected"), [
    ('<ol start="3"><li>x</li><li>y</li></ol>', ["3. x", "4. y"]),
    ("<ol reversed><li>x</li><li>y</li><li>z</li></ol>", ["3. x", "2. y", "1. z"]),
    ('<ol><li value="7">x</li><li>y</li></ol>', ["7. x", "8. y"]),
    ("<ol><li>x</li><li></li><li>z</li></ol>", ["1. x", "3. z"]),  # trafilatura drops the empty
    ('<ol type="a"><li>x</li><li>y</li></ol>', ["- x", "- y"]),  # letters: bullets, no numbers
    ("<ol>Steps to follow:<li>x</li><li>y</li></ol>", ["Steps to follow:", "1. x", "2. y"]),
    ("<ol><li><ol><li>x</li><li>y</li></ol></li><li>z</li></ol>", ["1. x", "2. y", "2. z"]),
])
def test_a_numbered_lists_items_keep_the_numbers_the_page_shows(numbered, expected):
    # trafilatura drops start, reversed, value and empty items: trafilatura_copy writes
    # each item's number on it first
    words = {"x": "Fares rise in May", "y": "New routes open", "z": "Depots close"}
    for short, long in words.items():
        numbered = numbered.replace(f">{short}<", f">{long}<")
        expected = [line[:-1] + long if line.endswith(f" {short}") else line
                    for line in expected]
    assert extract(page(paragraphs(4) + numbered), URL).text.split("\n\n")[4:] == expected


def test_a_definition_list_is_not_bulleted_and_nested_lists_are_items_of_their_own():
    body = body_blocks(fromstring(
        '<body><list rend="ol"><item rend="1.">First<list rend="ul"><item>Aside</item></list>'
        '</item><item rend="2.">Second</item></list><list rend="dl"><item rend="dt-1">Term'
        '</item><item rend="dd-1">Meaning</item></list></body>'))
    assert join_blocks(body).split("\n\n") == ["1. First", "- Aside", "2. Second", "Term",
                                                 "Meaning"]


@pytest.mark.parametrize("body", [
    # a table inside a list item loses its <table> and <tr> in trafilatura's body...
    "<body><list><item><th>Server locations</th><td>130 countries</td></item></list></body>",
    # ...and keeps them, converted, in readability's
    "<body><list><item><table><row><cell>Server locations</cell><cell>130 countries</cell>"
    "</row></table></item></list></body>"])
def test_the_cells_of_a_table_in_a_list_item_do_not_run_words_together(body):
    assert body_blocks(fromstring(body)) == ["Server locations 130 countries"]


def test_a_table_row_keeps_its_empty_cells_between_others_and_its_data():
    article = extract(page(paragraphs(4) + "<table><tr><td>Views</td><td></td><td>1,204,332"
                           "</td><td></td></tr><tr><td>Shares</td><td>x</td><td>12,004</td>"
                           "</tr><tr><td></td><td></td></tr></table>"), URL)
    # the columns stay in place; "Views 1,204,332" is no page's view counter (a cue) here
    assert article.text.split("\n\n")[4:] == ["Views\t\t1,204,332", "Shares\tx\t12,004"]
    assert "meta.cue" not in article.removed


def test_list_markers_are_not_words():
    article = extract(page(paragraphs(4) + "<ol><li>Fares rise</li><li>Routes</li></ol>"
                           "<ul><li>Depots close</li></ul>"), URL)
    assert article.word_count == len(article.text.split()) - 3
    assert storage.article_row(article.to_dict(), {"url": URL, "site": "s", "fetched_at":
                               "2026-11-29T00:00:00Z"}, 1)["word_count"] == article.word_count


def test_windows_1251_page_decodes_to_cyrillic():
    body = paragraphs(4, "Городской совет во вторник утвердил новый бюджет общественного "
                         "транспорта после долгих споров о тарифах и маршрутах трамваев. ")
    html = page(body, lang="ru").replace('charset="utf-8"', 'charset="windows-1251"')
    article = extract(html.encode("cp1251"), URL)
    assert "Городской совет во вторник утвердил" in article.text
    assert article.language == "ru"


@pytest.mark.parametrize("content_type", [None, "text/html; charset=utf-8"])
def test_a_windows_1251_page_declared_utf8_is_decoded_as_detected(content_type):
    body = paragraphs(4, "Городской совет утвердил бюджет на следующий год после долгих "
                         "споров о тарифах, маршрутах и будущем трамвайной сети города. ")
    article = extract(page(body, lang="ru").encode("cp1251"), URL, content_type=content_type)
    assert "Городской совет утвердил бюджет" in article.text and "\ufffd" not in article.text


FRENCH = ("Le maire a annoncé que les travaux commenceront à l'été prochain, après la période "
          "des fêtes. Les élèves, déjà très nombreux, trouvent que ça coûte cher. ")


@pytest.mark.parametrize("content_type", [None, "text/html; charset=utf-8"])
def test_an_undeclared_latin1_page_in_french_is_read_as_windows_1252(content_type):
    """Detection read it as cp1250 or cp1257 ("déjŕ", "trčs"), a browser as windows-1252."""
    html = page(paragraphs(4, FRENCH), lang="fr").replace('<meta charset="utf-8">', "")
    article = extract(html.encode("latin-1"), URL, content_type=content_type)
    assert FRENCH.strip() in article.text


@pytest.mark.parametrize(("text", "encoding"), [
    ("Příliš žluťoučký kůň úpěl ďábelské ódy nad řekou, řekl starosta města Brna. ", "cp1250"),
    ("Zażółć gęślą jaźń: Łódź jest miastem w Polsce, ślicznym i pięknym latem. ", "cp1250"),
    ("İstanbul'da yağmur yağıyor, şehir çok güzel görünüyor dedi belediye başkanı. ", "cp1254"),
])
def test_an_undeclared_central_european_or_turkish_page_keeps_its_detected_code_page(
        text, encoding):
    html = page(paragraphs(4, text)).replace('<meta charset="utf-8">', "")
    assert text.strip() in extract(html.encode(encoding), URL).text


@pytest.mark.parametrize(("html", "kept"), [
    # UTF-8 with one stray latin-1 byte, nothing declared: uchardet gave up on UTF-8 at it
    ("<html><head><title>Президент защитил реформу</title></head><body><p>Президент "
     "защитил реформу пенсионной системы в среду.</p><footer>@ 2025</footer></body></html>",
     "Президент защитил реформу"),
    ("<html><body><p>東京で新しい駅が開業した。多くの人が集まった。</p><footer>@ 2025</footer>"
     "</body></html>", "東京で新しい駅が開業した"),
])
def test_an_undeclared_utf8_page_with_a_stray_byte_stays_utf8(html, kept):
    assert kept in decode_html(html.encode("utf-8").replace(b"@", b"\xa9"), "text/html")


@pytest.mark.parametrize(("text", "encoding"), [
    ("東京で新しい駅が開業した。多くの人が集まった。政府は新しい政策を発表した。", "shift_jis"),
    ("東京で新しい駅が開業した。多くの人が集まった。政府は新しい政策を発表した。", "euc_jp"),
    ("政府今天发布了新的经济政策，许多人表示欢迎。", "gbk"),
    ("政府今天發布了新的經濟政策，許多人表示歡迎。", "big5"),
    ("정부는 오늘 새로운 경제 정책을 발표했다. 많은 사람들이 환영했다.", "euc_kr"),
    ("Новости дня", "cp1251"),  # fewer bytes than a page declared UTF-8 needs to be detected
])
def test_an_undeclared_page_in_a_legacy_encoding_is_detected(text, encoding):
    """A double-byte encoding makes a few valid UTF-8 characters by chance: fewer than the
    invalid bytes it makes, so the page is not taken for UTF-8 with stray bytes."""
    html = f"<html><head><title>t</title></head><body><p>{text}</p></body></html>"
    assert text in decode_html(html.encode(encoding))


def test_an_undeclared_english_page_with_windows_1252_quotes_is_read_as_windows_1252():
    """uchardet names DOS or Mac code pages for a page of mostly ASCII (IBM865: "didnÆt")."""
    text = "We didn\u2019t know the council\u2019s plan would pass, said the mayor. " * 30
    assert text in decode_html(f"<html><body><p>{text}</p></body></html>".encode("cp1252"))


def test_a_utf8_page_with_a_few_stray_bytes_stays_utf8():
    html = page(paragraphs(4, "Le conseil a approuvé le budget, « enfin », dit le maire. "))
    data = html.encode("utf-8").replace(b"</h1>", b"</h1><p>Caf\xe9 \x93 cr\xe8me</p>")
    article = extract(data, URL)
    assert "Le conseil a approuvé le budget, « enfin »" in article.text


def test_a_utf8_page_with_a_latin1_footer_keeps_both():
    data = ('<html><head><meta charset="utf-8"></head><body><p>The minister\u2019s plan '
            '\u201cwill not work,\u201d</p>'.encode() + "<footer>Café René à</footer>"
            "</body></html>".encode("latin-1"))
    assert "minister\u2019s plan \u201cwill not work,\u201d</p><footer>Café René à<" in (
        decode_html(data))


def test_a_page_served_as_mojibake_is_repaired_in_what_extraction_returns():
    """UTF-8 read as windows-1252 before the page reached us (a CMS's import, a proxy): the
    page's own bytes say "donâ€™t" and "Â " for a no-break space, as a browser would show.
    Title, byline and text are repaired; the page as served stays as it was."""
    mangled = "The mayor\u2019s plan \u2014 \u201cwe won\u2019t wait\u201d \u00a0said Jaro\u0144."
    import ftfy.bad_codecs  # noqa: F401 (registers windows-1252 as browsers read it)

    text = mangled.encode("utf-8").decode("sloppy-windows-1252")
    assert "mayorâ€™s" in text and "Â\xa0" in text
    html = page(paragraphs(4, text + " " + PARAGRAPH),
                head='<meta name="author" content="Dariusz Jaro\u0144">'
                     .encode().decode("latin-1"))
    html = html.replace("Council approves budget", "Councilâ€™s budget")
    data = html.encode("utf-8")
    article = extract(data, URL)
    assert article.title == "Council\u2019s budget"
    assert article.authors == ["Dariusz Jaro\u0144"]
    assert mangled in article.text and "â€" not in article.text and "Â" not in article.text
    assert "Councilâ€™s".encode() in data


def test_mojibake_is_found_once_its_no_break_space_is_a_space():
    """"Â\xa0" reaches the check as "Â " once white space is collapsed (a title, a
    description): it was left as it was."""
    html = page(paragraphs(4), head='<meta name="description" content="FaresÂ\xa0rise">')
    html = html.replace("<title>Council approves budget", "<title>CouncilÂ\xa0approves budget")
    article = extract(html.replace("<h1>Council approves budget", "<h1>CouncilÂ\xa0approves"
                                   " budget").encode("utf-8"), URL)
    assert "Â" not in article.title and "Â" not in (article.description or "")
    # "à" alone, after a space: "Retour Ã Paris"
    french = page(paragraphs(4)).replace("Council approves budget", "Retour Ã\xa0Paris")
    assert extract(french.encode("utf-8"), URL).title == "Retour \u00e0 Paris"


@pytest.mark.parametrize("text", [
    "Caf\u00e9\u00bb, he said: \u00ab\u00c9t\u00e9 \u00e0 Paris\u00bb \u2014 S\u00e3o Paulo, "
    "\u00c2ge d\u2019or, na\u00efve, Stra\u00dfe\u2122.",
    "Prices: \u00a3 5, \u00a5 600; \u00d1and\u00fa, \u00d0or\u0111e, \u00d8rsted, "
    "\u00c6\u00d8\u00c5."])
def test_text_that_only_looks_like_mojibake_stays_as_it_is(text):
    """Letters before punctuation a mojibake pattern would have (é», Â followed by a
    letter) are left alone: they do not decode as UTF-8 that makes sense."""
    article = extract(page(paragraphs(4, text + " " + PARAGRAPH)), URL)
    assert text in article.text


def test_bom_wins_over_a_wrong_header_charset():
    html = "\ufeff" + page(paragraphs(4, "Zürich läuft über; Straße und Köln. " * 4))
    article = extract(html.encode("utf-8"), URL, content_type="text/html; charset=latin-1")
    assert "Zürich läuft über; Straße und Köln." in article.text


def test_header_charset_used_when_page_declares_none():
    html = page(paragraphs(4, "Le conseil a approuvé le budget des transports publics. " * 3))
    html = html.replace('<meta charset="utf-8">', "")
    article = extract(html.encode("latin-1"), URL, content_type="text/html; charset=iso-8859-1")
    assert "Le conseil a approuvé le budget" in article.text


@pytest.mark.parametrize("box", [
    '<div class="newsletter-box"><h3>Sign up for our free weekly newsletter</h3><p>Our weekly'
    ' newsletter contains a hand-picked selection of news.</p><form><input type="email">'
    "<button>Subscribe</button></form><p>Subscribers agree to the Privacy Policy</p></div>",
    '<section class="x1"><h4>Inscrivez-vous à notre newsletter</h4><form action="/nl"><input '
    'name="email"><button>OK</button></form></section>',
    '<div class="appeal"><p>Support independent journalism!</p><button>$5</button>'
    "<button>$10</button><button>$25</button><button>Donate</button></div>",
    '<div class="zz"><p>Advertisement</p><div class="slot-3"></div></div>',
    '<div class="x2"><form><input name="e"><button>Go</button></form><p>By entering your email,'
    " you agree to receive emails from us, including marketing emails.</p></div>",
    '<p class="x3">Love The Weekly Digest? Tell your friends and get rewards.</p>',
])
def test_chrome_inside_the_body_is_removed(box):
    body = paragraphs(2) + box + paragraphs(3)
    article = extract(page(body), URL)
    assert article.is_article
    assert article.text.count("Paragraph") == 5
    for word in ("newsletter", "Subscribe", "Donate", "Advertisement", "Support", "By entering",
                 "your friends"):
        assert word not in article.text
    assert article.removed


@pytest.mark.parametrize("pointer", [
    '<p><strong>Related:</strong> <a href="/2024/02/20/x/">Residents demand answers after'
    " second flood in a year</a></p>",
    '<p>Read more: <a href="/2024/02/20/x/">Residents demand answers after a flood</a></p>',
    '<p>MORE: <a href="/2024/02/20/x/">Residents demand answers after a flood</a></p>',
    '<p><b>À lire aussi :</b> <a href="/x/">Les habitants demandent des réponses</a></p>',
    '<p>Lesen Sie auch: <a href="/x/">Anwohner fordern Antworten nach dem Hochwasser</a></p>',
    '<p><strong>Читайте также:</strong> <a href="/x/">Жители требуют ответов</a></p>',
    '<p>Leia também: <a href="/x/">Moradores pedem respostas após a enchente</a></p>',
    '<div class="w-ra"><h3>Más información</h3><h2><a href="/x/">El precio del alquiler marca'
    " un nuevo récord</a></h2></div>",
])
def test_an_inline_pointer_to_another_story_is_removed_whole(pointer):
    article = extract(page(paragraphs(2) + pointer + paragraphs(3)), URL)
    assert article.is_article and article.text.count("Paragraph") == 5
    assert len(article.text.split("\n\n")) == 5, article.text


@pytest.mark.parametrize("chrome", [
    '<p>Leggi anche: <a href="/x/">Napoli, via libera al bilancio del comune</a></p>',
    '<p>Lees ook: <a href="/x/">Jeugdzorginstellingen kampen met personeelstekort</a></p>',
    '<p><b>Czytaj także:</b> <a href="/x/">PKP Intercity zamawia nowe pociągi</a></p>',
    '<p>İlgili Haber: <a href="/x/">Marmaray\'da yeni dönem başlıyor</a></p>',
    '<p><strong>RELATED COVERAGE</strong> &gt;&gt; <a href="/x/">Catalytic converter thefts'
    " rise across the valley</a></p>",
    '<p>💡 <strong>Read More</strong>: <a href="/x/">Protect your review assets with'
    " forensic watermarking</a></p>",
    "<p>MORE LOCAL NEWS:</p>",
    "<p>Pubblicità</p>", "<p>© Riproduzione riservata</p>", "<p>Tüm hakları saklıdır.</p>",
    "<p>Copyright 2026 Reuters</p>",
    # a podcast's promotion, "our podcast" in German, French, Spanish, Portuguese, Russian
    "<p>Hören Sie auch unseren Podcast „Freiburg am Morgen“ – überall, wo es Podcasts"
    " gibt.</p>",
    "<p>Écoutez notre podcast « L'Heure nantaise » sur toutes les plateformes.</p>",
    "<p>Escucha nuestro pódcast «La Mañana» en Spotify o tu plataforma favorita.</p>",
    "<p>Ouça o nosso podcast \"Café da Manhã\" no Spotify ou na Apple Podcasts.</p>",
    "<p>Слушайте наш подкаст «Утро Урала» на всех платформах.</p>",
    # a reading time with the French space before its colon
    "<p>Temps de lecture : 4 min</p>",
    # an app's promotion, with a word between the verb and "our app"
    "<p>Laden Sie jetzt unsere kostenlose News-App herunter und verpassen Sie keine"
    " Eilmeldung mehr.</p>",
    "<p>Téléchargez gratuitement notre application pour recevoir nos alertes info.</p>",
    "<p>Descarga la app de Diario Levante y recibe las últimas noticias en tu móvil.</p>",
    "<p>Have a news tip? Email newsroom@example.com or call 555-0142.</p>",
    # an article toolbar's buttons, a comment prompt, an ad slot's label, as plain blocks
    "<p>Gift this article</p>", "<p>Save article</p>", "<p>Republish this article</p>",
    "<p>Copy link to clipboard</p>", "<p>Report an error</p>",
    "<p>Listen to this article · 6 min</p>", "<p>Read our comment policy</p>",
    "<p>Jetzt kommentieren</p>", "<p>Réagir à cet article</p>",
    "<p>Advertisement · Scroll to continue</p>", "<p>Читайте нас в Дзене</p>",
    "<p>Мы в соцсетях</p>",
    "<p>A version of this article appears in print on May 15, 2024, Section A, Page 1 of the"
    " Valley Herald.</p>",
    "<p>Sign up for breaking news alerts</p>",
    "<p>Want to support local journalism? Subscribe today.</p>",
    # an ask naming an amount, comma or not; an app's promotion naming the phones
    "<p>Donate now, every dollar helps.</p>",
    "<p>Please donate today, even $5 makes a difference.</p>",
    "<p>Become a member, starting at just $5 a month.</p>",
    "<p>Make a contribution, any amount helps.</p>",
    "<p>Faites un don, chaque euro compte.</p>", "<p>Haz una donación, cada euro cuenta.</p>",
    "<p>Faça uma doação, qualquer valor ajuda.</p>", "<p>Apoya a elDiario.es, hazte socio.</p>",
    "<p>Скачайте приложение «Медузы» для iPhone и Android.</p>",
    "<p>Téléchargez l'application Le Monde pour iPhone et Android.</p>",
    "<p>Descarga la app de El País para iPhone y Android.</p>",
    "<p>Baixe o app do Estadão para iPhone e Android.</p>",
    # a tip line outside English: a question, then "write to us at" an address
    "<p>Haben Sie einen Hinweis für unsere Redaktion? Schreiben Sie uns an"
    " hinweis@zeitung.example.</p>",
    "<p>Vous avez une information à nous communiquer ? Écrivez-nous à"
    " redaction@journal.example.</p>",
    "<p>¿Tienes una pista? Escríbenos a redaccion@diario.example.</p>",
    "<p>Tem uma denúncia? Escreva para redacao@jornal.example.</p>",
    "<p>Есть что рассказать? Пишите нам на news@gazeta.example.</p>",
    "<p>We're a nonprofit newsroom. Our reporting is free to read; can you chip in $10"
    " today?</p>",
    "<p>Support local journalism. We are a nonprofit, and your tax-deductible gift keeps"
    " this reporting free for everyone.</p>",
    "<p>Support independent journalism: donate today.</p>",
    "<p>Please support local news: become a member for $5 a month.</p>",
    "<p>Want the latest valley news in your inbox every week? Sign up for our free"
    " newsletters.</p>",
    "<p>Jane Doe covers higher education for The Dispatch. Email her at jdoe@example.com."
    " Follow her on X at @janedoe.</p>",
    "<p>Sigue toda la información de Economía y Negocios en Facebook y X, o en nuestra"
    " newsletter semanal.</p>",
    "<p>Posted 6 Dec 2025, 7:30pm</p>",
    "<p>Please turn on JavaScript in your browser to use this feature.</p>",
    "<p>I hope you appreciated this article. Before you move on, I wonder if you would"
    " consider supporting our journalism.</p>",
    "<p>We accept Visa, Mastercard, American Express and PayPal.</p>",
    '<p><strong>Baca juga:</strong> <a href="/x/">Harga beras naik, warga serbu operasi'
    " pasar</a></p>",
    '<p><strong>ये भी पढ़ें:</strong> <a href="/x/">दिल्ली में यमुना का जलस्तर खतरे के निशान के पार'
    "</a></p>",
    '<p>【関連記事】<a href="/x/">東京都、来年度予算案を発表</a></p>',
    '<p>相关阅读：<a href="/x/">国家统计局发布最新数据</a></p>',
    '<p>[관련기사] <a href="/x/">서울교통공사 적자 17조…요금 인상 불가피론</a></p>',
    '<p>اقرأ أيضا: <a href="/x/">ارتفاع أسعار النفط في الأسواق العالمية</a></p>',
    '<p>Xem thêm: <a href="/x/">Giá vàng hôm nay tăng mạnh</a></p>',
    "<p>‹저작권자(c) 연합뉴스, 무단 전재-재배포 금지›</p>", "<p>kms@yna.co.kr</p>",
    "<p>Our reporting is free for everyone to read because readers like you pitch in. Can"
    " you chip in $10 today to keep watchdog journalism on the border going strong?</p>",
    "<p>Haberin devamı için tıklayınız</p>", "<p>Czytaj dalej</p>",
    # an image's credit standing alone
    "<p>Image source: Getty Images.</p>", "<p>Image credit: © Depositphotos.com/jdoe</p>",
    "<p>Photo by Jane Doe on Unsplash</p>", "<p>Foto: dpa</p>", "<p>Image: Move.org</p>",
    "<p>Image: Rebecca Edwards, Move.org</p>", "<p>Photo: Shutterstock</p>",
    "<p>Image: Thinkstock</p>", "<p>Photo Courtesy of Noble Desktop</p>",
    "<p>Feature image by Girlfriend Collective, all other images via brands mentioned</p>",
    # calls to act, labels and stamps in Italian, Dutch, Polish, Turkish, Indonesian,
    # Japanese, Chinese and Korean (a review found each one in the text)
    "<p>Iscriviti alla nostra newsletter</p>",
    "<p>Iscriviti alla newsletter per ricevere ogni mattina le notizie più importanti.</p>",
    "<p>Iscrivendoti accetti la privacy policy</p>",
    "<p>Schrijf je in voor onze nieuwsbrief</p>",
    "<p>Meld je aan voor de nieuwsbrief en ontvang elke ochtend het belangrijkste nieuws.</p>",
    "<p>Zapisz się do naszego newslettera</p>", "<p>Bültenimize abone olun</p>",
    "<p>Berlangganan newsletter kami</p>", "<p>メールマガジンの登録はこちら</p>",
    "<p>订阅我们的新闻简报</p>", "<p>뉴스레터 구독하기</p>",
    "<p>Sostieni il giornalismo indipendente</p>", "<p>Sostienici</p>",
    "<p>Steun onafhankelijke journalistiek</p>", "<p>Doneer</p>", "<p>Wpłać darowiznę</p>",
    "<p>Bağımsız gazeteciliği destekleyin</p>", "<p>Dukung jurnalisme independen</p>",
    "<p>Abbonati per continuare a leggere</p>",
    "<p>Questo articolo è riservato agli abbonati</p>",
    "<p>Word abonnee om verder te lezen</p>", "<p>Dit artikel is alleen voor abonnees</p>",
    "<p>Wykup subskrypcję, aby czytać dalej</p>",
    "<p>Ten artykuł jest dostępny tylko dla subskrybentów</p>",
    "<p>Okumaya devam etmek için abone olun</p>",
    "<p>Berlangganan untuk melanjutkan membaca</p>", "<p>この記事は有料会員限定です。</p>",
    "<p>続きを読むには会員登録が必要です</p>",
    "<p>Hai ancora 2 articoli gratuiti questo mese</p>",
    "<p>Je hebt nog 2 gratis artikelen deze maand</p>",
    "<p>Zostały Ci 2 darmowe artykuły w tym miesiącu</p>",
    "<p>Sei già abbonato? Accedi</p>", "<p>Al abonnee? Log in</p>",
    "<p>Masz już subskrypcję? Zaloguj się</p>", "<p>Abbonati</p>", "<p>Abone ol</p>",
    "<p>Subskrybuj</p>", "<p>구독하기</p>",
    "<p>Scarica la nostra app per restare sempre aggiornato.</p>", "<p>Download onze app</p>",
    "<p>Pobierz naszą aplikację</p>", "<p>Uygulamamızı indirin</p>",
    "<p>Unduh aplikasi kami</p>", "<p>公式アプリをダウンロード</p>",
    "<p>下载APP，阅读更多精彩内容</p>", "<p>앱 다운로드</p>",
    "<p>Volg ons op Facebook en Instagram</p>", "<p>Obserwuj nas na Facebooku i Instagramie</p>",
    "<p>Bizi Facebook, X ve Instagram'da takip edin</p>",
    "<p>Ikuti kami di Facebook, Instagram dan X</p>", "<p>Segui il nostro canale WhatsApp</p>",
    "<p>Volg ons WhatsApp-kanaal</p>", "<p>Obserwuj nasz kanał na WhatsAppie</p>",
    "<p>WhatsApp kanalımıza katılın</p>",
    "<p>Condividi questo articolo</p>", "<p>Deel dit artikel</p>", "<p>Udostępnij</p>",
    "<p>Bu haberi paylaş</p>", "<p>Bagikan artikel ini</p>", "<p>シェアする</p>",
    "<p>分享到微信</p>", "<p>공유하기</p>",
    "<p>Iklan</p>", "<p>広告</p>", "<p>スポンサーリンク</p>", "<p>广告</p>", "<p>광고</p>",
    "<p>Lascia un commento</p>", "<p>Plaats een reactie</p>", "<p>Reageer</p>",
    "<p>Dodaj komentarz</p>", "<p>Yorum yap</p>", "<p>Tulis komentar</p>",
    "<p>发表评论</p>", "<p>コメントする</p>", "<p>댓글쓰기</p>",
    "<p>Tempo di lettura: 4 minuti</p>", "<p>4 min leestijd</p>", "<p>Czas czytania: 4 min</p>",
    "<p>4 dk okuma</p>", "<p>Waktu baca: 4 menit</p>",
    "<p>Pubblicato il 12 marzo 2024 alle 10:30</p>", "<p>Bijgewerkt op 12 maart 2024</p>",
    "<p>Opublikowano: 12.03.2024, 10:30</p>", "<p>Yayınlanma: 12.03.2024 10:30</p>",
    "<p>Argomenti: trasporti, Bologna, tram</p>", "<p>Tagi: transport, Kraków, tramwaje</p>",
    "<p>Etiketler: ulaşım, İstanbul, tramvay</p>",
    "<p>声明：本文仅代表作者观点，不代表本站立场。</p>", "<p>返回搜狐，查看更多</p>",
    "<p>阅读全文</p>", "<p>기사 읽어주기</p>", "<p>많이 본 뉴스</p>",
    # a newsletter's pitch (it, nl, id)
    "<p>Ricevi le notizie direttamente nella tua casella di posta.</p>",
    "<p>Ontvang het nieuws direct in je mailbox.</p>",
    "<p>Dapatkan berita terbaru langsung di email Anda.</p>",
    # app, share, follow and log-in lines (nl, it, tr, id, zh, ja, ko)
    "<p>Download de app en mis geen nieuws meer.</p>",
    "<p>Ti è piaciuto questo articolo? Condividilo con i tuoi amici.</p>",
    "<p>Google News'te takip edin</p>", "<p>Simak berita terkini lainnya di Google News</p>",
    "<p>点击关注我们</p>", "<p>フォローする</p>", "<p>ログイン</p>", "<p>この記事をシェア</p>",
    "<p>네이버 메인에서 채널 구독하기</p>", "<p>좋아요</p>", "<p>이 기사를 추천합니다</p>",
    # an ad's label, a paid story's remainder, a pointer to its photos (id, ja)
    "<p>Scroll untuk melanjutkan</p>", "<p>残り1234文字（全文2000文字）</p>",
    "<p>この記事の写真を見る（5枚）</p>",
    # newsletter, share, follow, app, pointer, ad, tag, reading-time, copyright and comment
    # lines in Arabic and Hindi
    "<p>اشترك في نشرتنا الإخبارية</p>",
    "<p>اشترك في النشرة البريدية</p>",
    "<p>احصل على آخر الأخبار مباشرة في بريدك الإلكتروني</p>",
    "<p>شارك</p>",
    "<p>شارك المقال</p>",
    "<p>شارك هذا الخبر</p>",
    "<p>تابعونا على فيسبوك وتويتر</p>",
    "<p>تابعنا على تويتر</p>",
    "<p>تابعونا على جوجل نيوز</p>",
    "<p>تابعوا آخر الأخبار عبر قناتنا على تلغرام</p>",
    "<p>اقرأ أيضاً</p>",
    "<p>اقرأ المزيد</p>",
    "<p>إعلان</p>",
    "<p>مساحة إعلانية</p>",
    "<p>جميع الحقوق محفوظة © 2024</p>",
    "<p>أضف تعليقك</p>",
    "<p>اترك تعليقا</p>",
    "<p>التعليقات</p>",
    "<p>حمّل تطبيقنا</p>",
    "<p>الوسوم: غزة، مصر، الاقتصاد</p>",
    "<p>وقت القراءة: 4 دقائق</p>",
    "<p>हमारे न्यूज़लेटर की सदस्यता लें</p>",
    "<p>न्यूज़लेटर के लिए साइन अप करें</p>",
    "<p>शेयर करें</p>",
    "<p>इस खबर को शेयर करें</p>",
    "<p>हमें फेसबुक और ट्विटर पर फॉलो करें</p>",
    "<p>हमें गूगल न्यूज़ पर फॉलो करें</p>",
    "<p>ये भी पढ़ें</p>",
    "<p>विज्ञापन</p>",
    "<p>© 2024 सर्वाधिकार सुरक्षित</p>",
    "<p>अपनी टिप्पणी दें</p>",
    "<p>कमेंट करें</p>",
    "<p>हमारा ऐप डाउनलोड करें</p>",
    "<p>टैग: दिल्ली, चुनाव, भाजपा</p>",
    # with a precomposed nukta letter (ज़ U+095B, फ़ U+095E) as well as a decomposed one
    "<p>हमारे न्यू\u095bलेटर की सदस्यता लें</p>", "<p>हमें ट्विटर पर \u095eॉलो करें</p>",
    "<p>© 2024 حقوق النشر محفوظة</p>",
    "<p>कॉपीराइट © 2024 न्यूज़ इंडिया</p>",
    "<p>5 تعليقات</p>",
    # "follow us" with a comma before another network, or an "or"
    "<p>Follow us on Twitter, Facebook and Instagram.</p>",
    "<p>Like us on Facebook, follow us on Twitter.</p>",
    "<p>Síguenos en Twitter, Facebook e Instagram.</p>",
    "<p>Suivez-nous sur Facebook, Twitter et Instagram.</p>",
    "<p>Подписывайтесь на нас в Telegram, ВКонтакте и Дзене.</p>",
    # a sign-up's call with a comma before its purpose, a form's labels and notes
    "<p>Melden Sie sich für den Newsletter an, um nichts zu verpassen.</p>",
    "<p>Inscrivez-vous à notre newsletter, c'est gratuit !</p>", "<p>Email Address *</p>",
    "<p>Enter your email address to subscribe to this blog.</p>",
    "<p>Your email address will not be published. Required fields are marked *</p>",
    # an appeal's salutation, alone or speaking of us or you
    "<p>Liebe Leserinnen und Leser, wir brauchen Ihre Unterstützung.</p>",
    "<p>Chers lecteurs, nous avons besoin de vous.</p>",
    "<p>Queridos lectores, necesitamos su apoyo.</p>", "<p>Caros leitores,</p>",
    "<p>Дорогие читатели! Нам нужна ваша поддержка.</p>",
    # a first-person appeal, an ask, a push prompt, a call to support us, with a comma before
    # its "and", its amount or its ask (en, de, fr, es, pt, ru)
    "<p>We rely on reader support, so please consider a gift.</p>",
    "<p>We're a nonprofit newsroom, and we rely on readers like you.</p>",
    "<p>Nous dépendons de nos lecteurs.</p>",
    "<p>Make a donation today, every dollar helps.</p>",
    "<p>Turn on notifications for breaking news and never miss a story.</p>",
    "<p>Unterstützen Sie uns, damit wir weiter berichten können.</p>",
    "<p>Soutenez-nous, faites un don.</p>", "<p>Soutenez notre travail, abonnez-vous.</p>",
    "<p>Apoye nuestra información, hazte socio.</p>",
    "<p>Apoie o nosso jornalismo, assine.</p>",
    "<p>Поддержите нас, сделайте пожертвование.</p>",
    "<p>Подпишитесь на наш канал, чтобы не пропустить главное.</p>",
    "<p>Подпишитесь на телеграм-канал «Города».</p>",
    # copyright notices, the words a story about one may hold in their notice's shape
    "<p>Herald Media Group. All Rights Reserved.</p>",
    "<p>© Example S.p.A. – Tutti i diritti riservati – P.IVA 01234567890</p>",
    "<p>RIPRODUZIONE RISERVATA</p>", "<p>Wszelkie prawa zastrzeżone.</p>",
    "<p>저작권자 © 뉴시스통신사. 무단전재 및 재배포 금지.</p>",
    "<p>ⓒ 중앙일보 무단 전재 및 재배포 금지</p>", "<p>新华网版权所有，未经授权不得转载。</p>",
    "<p>未經授權，禁止轉載。</p>", "<p>記事・写真の無断転載を禁じます。</p>",
    "<p>著作権は産経新聞社に帰属します。</p>", "<p>© 2024 جميع الحقوق محفوظة لموقع الجزيرة</p>",
    # sv, da, no, fi, pl, cs, ro, hu: a pointer to another story, a sign-up box's heading and pitch,
    # a paywall's prompt, meter and sign-in line, an appeal, share, comment and reading-time labels,
    # a photo credit
    '<p><strong>Läs också:</strong> <a href="/x/">Pendlarna rasar mot nya busstider</a></p>',
    "<p>LÄS OCKSÅ</p>",
    "<h3>Prenumerera på vårt nyhetsbrev</h3>",
    "<p>Få de viktigaste nyheterna från Uppsala direkt i din inkorg varje morgon.</p>",
    "<p>Du har läst 3 av 5 gratis artiklar den här månaden.</p>",
    "<p>Bli prenumerant för att fortsätta läsa.</p>",
    "<p>Redan prenumerant? Logga in</p>",
    "<p>Den här artikeln är endast för prenumeranter.</p>",
    "<p>Stöd oberoende journalistik – bli månadsgivare i dag.</p>",
    "<p>Dela artikeln</p>",
    "<p>12 kommentarer</p>",
    "<p>Lästid: 3 min</p>",
    '<p>Læs også: <a href="/x/">Pendlerne raser over nye køreplaner</a></p>',
    "<h3>Tilmeld dig vores nyhedsbrev</h3>",
    "<p>Få dagens vigtigste nyheder fra Aarhus direkte i din indbakke.</p>",
    "<p>Denne artikel er kun for abonnenter.</p>",
    "<p>Køb abonnement og få adgang til alle artikler.</p>",
    "<p>Er du allerede abonnent? Log ind</p>",
    "<p>Du har læst 3 af 5 gratis artikler.</p>",
    "<p>Støt uafhængig journalistik.</p>",
    "<p>Del artiklen</p>",
    "<p>Læsetid: 3 min.</p>",
    '<p><b>Les også:</b> <a href="/x/">Pendlerne raser over nye rutetider</a></p>',
    "<h3>Meld deg på vårt nyhetsbrev</h3>",
    "<p>Få de viktigste nyhetene fra Bergen rett i innboksen hver morgen.</p>",
    "<p>Denne artikkelen er kun for abonnenter.</p>",
    "<p>Bli abonnent for å lese videre.</p>",
    "<p>Du har lest 3 av 5 gratis artikler denne måneden.</p>",
    "<p>Støtt uavhengig journalistikk.</p>",
    "<p>Lesetid: 3 min</p>",
    '<p>Lue myös: <a href="/x/">Matkustajat tyrmäävät uudet aikataulut</a></p>',
    "<h3>Tilaa uutiskirje</h3>",
    "<p>Saat päivän tärkeimmät uutiset Tampereelta suoraan sähköpostiisi joka aamu.</p>",
    "<p>Tämä artikkeli on vain tilaajille.</p>",
    "<p>Tilaa ja lue rajattomasti.</p>",
    "<p>Oletko jo tilaaja? Kirjaudu sisään</p>",
    "<p>Olet lukenut 3/5 maksutonta artikkelia.</p>",
    "<p>Tue riippumatonta journalismia.</p>",
    "<p>Jaa artikkeli</p>",
    "<p>12 kommenttia</p>",
    "<p>Lukuaika: 3 min</p>",
    "<p>Kuva: Heikki Saukkomaa/Lehtikuva</p>",
    "<p>12 komentarzy</p>",
    "<p>Fot. Jakub Porzycki / Agencja Wyborcza.pl</p>",
    '<p>Čtěte také: <a href="/x/">Cestující kritizují nový jízdní řád</a></p>',
    "<h3>Přihlaste se k odběru newsletteru</h3>",
    "<p>Nejdůležitější zprávy z Brna každé ráno přímo do vaší e-mailové schránky.</p>",
    "<p>Tento článek je dostupný pouze pro předplatitele.</p>",
    "<p>Předplaťte si a čtěte bez omezení.</p>",
    "<p>Už máte předplatné? Přihlaste se</p>",
    "<p>Přečetli jste 3 z 5 článků zdarma.</p>",
    "<p>Podpořte nezávislou žurnalistiku.</p>",
    "<p>Sdílet článek</p>",
    "<p>12 komentářů</p>",
    "<p>Čas čtení: 3 minuty</p>",
    "<p>Foto: Anna Vavríková, MAFRA</p>",
    '<p>Citește și: <a href="/x/">Călătorii critică noul program</a></p>',
    "<h3>Abonează-te la newsletter</h3>",
    "<p>Cele mai importante știri din Cluj, direct în căsuța ta de e-mail în fiecare"
    " dimineață.</p>",
    "<p>Acest articol este disponibil doar pentru abonați.</p>",
    "<p>Abonează-te pentru a citi articolul complet.</p>",
    "<p>Ești deja abonat? Autentifică-te</p>",
    "<p>Ai citit 3 din 5 articole gratuite.</p>",
    "<p>Susține jurnalismul independent.</p>",
    "<p>Distribuie articolul</p>",
    "<p>12 comentarii</p>",
    "<p>Timp de citire: 3 minute</p>",
    '<p>Kapcsolódó: <a href="/x/">Az utasok bírálják az új menetrendet</a></p>',
    "<p>EZT IS AJÁNLJUK</p>",
    "<h3>Iratkozzon fel hírlevelünkre</h3>",
    "<p>A nap legfontosabb hírei Debrecenből, minden reggel egyenesen a postafiókjába.</p>",
    "<p>Ez a cikk csak előfizetőknek érhető el.</p>",
    "<p>Fizessen elő, és olvasson korlátlanul!</p>",
    "<p>Már előfizető? Jelentkezzen be</p>",
    "<p>Ön 3 cikket olvasott el az 5 ingyenesből.</p>",
    "<p>Támogasd a független újságírást!</p>",
    "<p>Megosztás</p>",
    "<p>12 hozzászólás</p>",
    "<p>Olvasási idő: 3 perc</p>",
    "<p>Fotó: Czeglédi Zsolt / MTI</p>",
    # publication stamps (sv, da, no, fi, cs, ro, hu)
    "<p>Publicerad 1 maj 2026 kl. 08.00</p>", "<p>Publiceret 1. maj 2026 kl. 08.00</p>",
    "<p>Publisert 01.05.2026 08:00</p>", "<p>Julkaistu 1.5.2026 klo 8.00</p>",
    "<p>Päivitetty 2.5.2026 10:15</p>", "<p>Publikováno 1. května 2026 8:00</p>",
    "<p>Actualizat: 1 mai 2026, 09:12</p>", "<p>Közzétéve: 2026. május 1. 08:00</p>",
])
def test_more_closing_lines_and_pointers_are_removed(chrome):
    """Pointers to other stories in Italian, Dutch, Polish and Turkish; an arrow between a
    label and its link; a newsroom's closing lines (a tip line, an appeal written as a
    paragraph, a copyright line)."""
    article = extract(page(paragraphs(2) + chrome + paragraphs(2)), URL)
    assert article.is_article
    assert article.text.split("\n\n") == [f"{PARAGRAPH}Paragraph {i} ends here." for i in
                                           (0, 1, 0, 1)], article.text


@pytest.mark.parametrize(("kept", "lines"), [
    ("<p>Photos by local residents showed the flooded street.</p>", ["flooded street"]),
    ("<p>Photos by residents showed floods.</p>", ["showed floods"]),
    ("<p>Image credit disputes have followed the council for years.</p>", ["disputes"]),
    # a caption or a sentence after the label, not a credit
    ("<p>Photo: Residents queue for water.</p>", ["queue for water"]),
    ("<h2>Photo: the scene</h2>", ["the scene"]),
    ("<ol><li>Photo: the depot before the fire</li><li>Photo: the depot after the fire</li>"
     "</ol>", ["before the fire", "after the fire"]),
    ("<p>Picture: you step off the last tram at midnight and the station is dark.</p>",
     ["station is dark"]),
    ("<p>Bilder: Die Feuerwehr löscht den Brand in der Nacht.</p>", ["Feuerwehr"]),
    # a story's own words about journalism, not an ask
    ("<p>Support local news: a bill in the state house would pay for reporters in every"
     " county.</p>", ["in every county"]),
    ("<p>Support local news: subscribers to the Valley Herald rose by a third last"
     " year.</p>", ["rose by a third"]),
    ("<p>Support local journalism: given the cuts, the county paper now prints twice a"
     " week.</p>", ["twice a week"]),
    ("<p>Imagen: Vecinos hacen fila para recibir agua.</p>", ["Vecinos"]),
    ("<pre><code>kind: Pod\nspec:\n  containers:\n  <span>image: nginx</span>\n"
     "  <span>share: true</span></code></pre>", ["image: nginx", "share: true"]),  # code
    # a caption after the label in Swedish, Finnish, Czech and Hungarian, not a credit
    ('<p>Foto: Pendlare väntar på bussen vid Resecentrum i Uppsala.</p>', ['Pendlare väntar']),
    ('<p>Kuva: Matkustajat odottavat raitiovaunua Hämeenkadulla.</p>', ['Matkustajat odottavat']),
    ('<p>Foto: Cestující čekají na tramvaj na Hlavním nádraží.</p>', ['Cestující čekají']),
    ('<p>Fotó: Utasok várnak a villamosra a Nagyállomásnál.</p>', ['Utasok várnak']),
    ('<p>Fotó: az új villamos</p>', ['az új villamos']),
    # a caption that speaks of a Nordic or Central European agency, not a credit naming it
    ('<p>Bild: Statsministern intervjuas av TT i riksdagen på tisdagen</p>', ['intervjuas av TT']),
    ('<p>Fotó: A miniszterelnök beszédet mond az MTI székházában tartott sajtótájékoztatón</p>',
     ['az MTI székházában']),
    # a vote's options in Finnish ("Jaa" is "yes" and the share button's word), a list's "Del"
    ("<ul><li>Jaa</li><li>Ei</li><li>Tyhjää</li></ul>", ["Jaa", "Tyhjää"]),
    ("<p><b>Del</b></p>", ["Del"]),
])
def test_what_only_looks_like_a_credit_or_a_cue_stays(kept, lines):
    text = extract(page(paragraphs(3) + kept + paragraphs(1)), URL).text
    assert all(line in text for line in lines), text


def test_chrome_in_a_pre_that_holds_the_story_is_removed():
    """An unclosed <pre> (or a story set in one) holds paragraphs: it is no code block."""
    chrome = "".join(f"<p>{line}</p>" for line in (
        "Advertisement", "Sign up for our newsletter", "Share this article"))
    text = extract(page(f"<pre>Timetable\n{paragraphs(4)}{chrome}</pre>"), URL).text
    assert "Paragraph 3" in text and "Advertisement" not in text
    assert "newsletter" not in text and "Share this" not in text


@pytest.mark.parametrize("label", ["<p>Filter <span>by: Price Range</span></p>",
                                   "<p>by: Most Popular</p>"])
def test_a_sort_or_filter_label_is_no_byline(label):
    article = extract(page(paragraphs(4) + label), URL)
    assert article.authors == []


def test_a_republication_notice_stays():
    """A Creative Commons licence asks for it, and annotators keep it as the story's."""
    notice = ("This article is republished from The Conversation under a Creative Commons"
              " license. Read the original article.")
    assert notice in extract(page(paragraphs(3) + f"<p>{notice}</p>"), URL).text


def test_an_inline_label_takes_the_link_it_introduces_and_nothing_else():
    body = (f"<div class='news-detail'>{PARAGRAPH}<br><br><b>Read also:</b> <a href='/x/'>"
            f"Street lighting to be replaced</a><br><br>{PARAGRAPH}Last words.</div>")
    article = extract(page(paragraphs(3) + body), URL)
    assert "Street lighting" not in article.text and "Read also" not in article.text
    assert "Last words." in article.text


def test_a_sentence_that_opens_like_a_pointer_stays():
    sentences = ["More than 300 residents attended the meeting: most of them came to object.",
                 "Related costs, the mayor said, would be covered by the state this year.",
                 "Recommended: yes, for anyone who commutes by tram every day.",
                 "More: the new case is smaller, and <a href='/spec'>the battery</a> lasts."]
    article = extract(page(paragraphs(2) + "".join(f"<p>{s}</p>" for s in sentences)
                           + paragraphs(2)), URL)
    assert all(re.sub("<[^>]+>", "", s) in article.text for s in sentences)


def test_a_link_in_a_sentence_is_never_cut_out_of_it_for_its_words():
    """A link whose words alone match a cue ("ad", "tweet", "register", a date, "sign up
    for ...") was removed from the paragraph, leaving the sentence with a hole in it."""
    sentences = [
        "The campaign released a new <a href='/ad'>ad</a> on Monday attacking the challenger.",
        "Her opponent responded in a <a href='https://x.com/s/1'>tweet</a> within hours.",
        "Records show he voted against the bill on <a href='/v'>March 14, 2023</a>, twice.",
        "Voters can <a href='/r'>register</a> online until Oct. 20, the state office said.",
        "The city urged residents to <a href='/alerts'>sign up for the city's emergency alert"
        " emails</a>, which go out whenever a street is closed for construction work or a"
        " crash blocks a lane on the bridge.",
        "The analysts published their <a href='/m'>Read more</a> notes on the methodology.",
        "The <strong><a href='/p'>most popular</a></strong> route was the coastal one.",
    ]
    article = extract(page(paragraphs(2) + "".join(f"<p>{s}</p>" for s in sentences)
                           + paragraphs(2)), URL)
    for sentence in sentences:
        assert re.sub("<[^>]+>", "", sentence) in article.text


@pytest.mark.parametrize("link", ["Read more", "Sign up for our newsletter",
                                  "Download our app"])
def test_a_link_after_the_end_of_a_paragraphs_last_sentence_is_no_part_of_it(link):
    body = f"<p>{PARAGRAPH}<a href='/x'>{link}</a></p>"
    article = extract(page(paragraphs(2) + body + paragraphs(1)), URL)
    assert link not in article.text and PARAGRAPH.strip() in article.text


@pytest.mark.parametrize(("closing", "kept"), [
    ("<a href='/s'>Sign up for our newsletter</a> to get more stories like this.", False),
    ("<a href='/a'>Download our app</a> for the latest news.", False),
    ("<a href='/s'>Sign up for our newsletter</a>, the mayor urged residents for months, so"
     " that the city could reach them quickly whenever storms closed the coastal roads and"
     " the ferries stopped running.", True),
])
def test_a_call_to_act_closing_a_paragraph_goes_with_the_rest_of_its_sentence(closing, kept):
    """"...the old town. <a>Sign up for our newsletter</a> to get more stories like this."
    lost its link alone, then stayed whole; its last sentence now goes. A longer one
    (more than a call to act's words after the link) stays."""
    body = f"<p>{PARAGRAPH}{closing}</p>"
    text = extract(page(paragraphs(2) + body + paragraphs(1)), URL).text
    plain = re.sub("<[^>]+>", "", closing)
    assert (plain in text) is kept
    assert PARAGRAPH.strip() in text


@pytest.mark.parametrize("block", [
    "<div><em>Get our breaking news alerts.</em> <a href='/app'>Download our app</a> for the"
    " latest news.</div>",
    "<p>Was this forwarded to you? <a href='/s'>Sign up for our newsletter</a> here.</p>",
    "<p>Independent news needs you. <a href='/d'>Make a donation</a> today, any amount.</p>",
])
def test_a_short_block_whose_sentence_runs_through_a_chrome_link_is_removed_whole(block):
    """Not cut into 'Get our breaking news alerts. for the latest news.'"""
    article = extract(page(paragraphs(2) + block + paragraphs(2)), URL)
    assert article.text.count("Paragraph") == 4 and len(article.text.split("\n\n")) == 4


@pytest.mark.parametrize("notice", [
    "Avec votre accord, nous et nos 842 partenaires utilisons des cookies ou technologies"
    " similaires pour stocker et accéder à des informations personnelles.",
    "With your agreement, we and our 842 partners use cookies or similar technologies to store,"
    " access, and process personal data like your visit on this website.",
])
def test_a_consent_notice_naming_its_partners_is_removed(notice):
    article = extract(page(f'<div class="notice"><p>{notice}</p><button>OK</button></div>'
                           + paragraphs(4)), URL)
    assert article.text.count("Paragraph") == 4 and "cookies" not in article.text


@pytest.mark.parametrize("comments", [
    "<h3>Comentarios</h3><p>Normas de participación</p><p>Muy buen artículo, gracias.</p>",
    "<h2>12 comments</h2><p>Great piece, thanks for writing it.</p>",
    "<h3>Kommentare</h3><p>Toller Artikel!</p>",
])
def test_a_comment_section_opened_inside_the_article_is_cut(comments):
    article = extract(page(paragraphs(5) + comments), URL)
    assert article.text.count("Paragraph") == 5
    assert article.text.rstrip().endswith("Paragraph 4 ends here.")


@pytest.mark.parametrize("heading", ["Комментарий", "Kommentar", "Comentario", "Commentaire"])
def test_a_subheading_introducing_an_experts_comment_cuts_nothing(heading):
    article = extract(page(paragraphs(5) + f"<h3>{heading}</h3>" + paragraphs(2, "Expert: "
                                                                          + PARAGRAPH)), URL)
    assert article.text.count("Paragraph") == 7


def test_a_paragraph_that_mentions_a_newsletter_stays():
    mention = ("The publisher said subscriptions to its newsletter rose 40 percent last year, "
               "and that readers who sign up for our newsletter, as its editor put it, "
               "tend to stay for years.")
    support = "Support for the plan came from both parties, the mayor said on Tuesday evening."
    article = extract(page(paragraphs(3) + f"<p>{mention}</p><p>{support}</p>"
                           + paragraphs(2)), URL)
    assert mention in article.text
    assert support in article.text


SIGNUP = ('<div class="newsletter-box"><div class="inner"><h3>Get the Gazette in your inbox</h3>'
          "<p>Sign up for our free morning newsletter and never miss a local story.</p>"
          '<form><input type="email" name="EMAIL"><input type="submit" value="Subscribe">'
          "</form></div>")


def test_a_signup_box_left_open_gives_back_the_story_paragraphs_it_swallowed():
    article = extract(page(paragraphs(3) + SIGNUP + paragraphs(2, "Later, " + PARAGRAPH)
                           + "</div>"), URL)
    assert article.text.count("Paragraph") == 5 and "newsletter" not in article.text
    closed = extract(page(paragraphs(3) + SIGNUP + "</div>" + paragraphs(2)), URL)
    assert closed.text.count("Paragraph") == 5 and "newsletter" not in closed.text


def test_a_long_signup_blurb_in_a_box_stays_chrome():
    blurb = ("<p>Sign up for our free morning newsletter: every weekday the five stories you need "
             "to know, written by our editors and delivered to your inbox by 6.30am, with links "
             "to the full stories and a round-up of the best photography of the week.</p>")
    box = SIGNUP + blurb + "</div>"  # after the form, as a swallowed paragraph would be
    article = extract(page(paragraphs(3) + box + paragraphs(2)), URL)
    assert "newsletter" not in article.text and article.text.count("Paragraph") == 5


LONG_BLURB = ("has covered city hall for the Gazette since 2015 and before that reported on "
              "courts and schools for the Northern Chronicle, where she won two regional awards "
              "for her reporting on housing and the cost of renting in the old town.")


@pytest.mark.parametrize("box", [
    f'<aside class="author-bio"><h4>About the author</h4><p>Jane Doe {LONG_BLURB}</p></aside>',
    f'<div class="related-stories"><h3>Related</h3><p>The reporter {LONG_BLURB}</p>'
    '<a href="/2024/04/02/x">Read</a></div>',
    f'<div class="newsletter-box"><h3>Our newsletter</h3><p>Its editor {LONG_BLURB}</p>'
    '<form><input type="email"><button>Subscribe</button></form></div>',
])
def test_a_long_paragraph_of_a_chrome_box_stays_in_the_box(box):
    article = extract(page(paragraphs(3) + box + paragraphs(2)), URL)
    assert "Northern Chronicle" not in article.text and article.text.count("Paragraph") == 5


@pytest.mark.parametrize("after", ["", "</article><p>Footer words.</p>"])
def test_the_small_print_after_a_signup_form_stays_in_the_box(after):
    small = ("<p>You will receive emails containing news content, updates and promotions from "
             "The Daily Example. You may opt out at any time using the link in each email, and "
             "you agree to receive occasional offers from our partners.</p>")
    box = SIGNUP + small + "</div>"
    article = extract(page(paragraphs(3) + box + paragraphs(2) + after), URL)
    assert "opt out" not in article.text and article.text.count("Paragraph") == 5


def test_closing_donation_appeal_is_cut_after_trafilatura_where_its_box_follows():
    blocks = [PARAGRAPH] * 4 + ["A Message from The Daily Example:", "Dear readers,",
                                "We need your help to keep reporting. " * 5, "Once", "Monthly"]
    kept, used = strip_blocks(blocks)  # (a JSON-LD body's: no tree, cut as before)
    assert kept == [PARAGRAPH] * 4
    assert "donation.cue" in used
    left = {"a message from the daily example:", "dear readers,"}  # left alone in the tree
    kept, used = strip_blocks(blocks, left)  # with no donation box after: their blocks only
    assert kept == [*[PARAGRAPH] * 4, *blocks[6:]] and "donation.cue" in used


def test_an_appeals_opening_cuts_an_appeal_as_long_as_the_short_story_above_it():
    """The seed page's shape: a short story, then "A message from ...", five paragraphs of
    appeal and its buttons, in a box with no telling name. The heading stood before 60% of
    the text, so it cut nothing and the appeal was stored; an opening (a donation box after
    it in its container) cuts wherever it stands when what follows reads as an appeal."""
    story = [f"Paragraph {n} of the story about the river crossing, with its facts." * 2
             for n in range(3)]
    appeal = ["A Message from The Daily Example:", "Dear readers,",
              "We are facing unprecedented challenges from the authorities this year.",
              "These attacks are attempts to silence independent journalism here.",
              "We refuse to be silenced. But to continue our work, we need your help.",
              "Your support, no matter how small, makes a world of difference to us."]
    openings = {"a message from the daily example:", "dear readers,"}
    assert strip_blocks(story + appeal)[0] == story + appeal[2:]  # 60%: only cues go
    assert strip_blocks(story + appeal, openings=openings)[0] == story
    more = ["The crossing reopens in May, the ferry operator said on Tuesday evening."] * 4
    assert strip_blocks(story + appeal[:1] + more, openings=openings)[0] == story + more


SEED_BOX = (Path(__file__).resolve().parent.parent / "fixtures" / "generic"
            / "short-story-appeal-in-plain-box" / "response.html")


@pytest.mark.parametrize("dear", [True, False])
@pytest.mark.parametrize("heading", [
    "<h3>{}</h3>", "<p><strong>{}</strong></p>", "<header><h3>{}</h3></header>",
    "<h3><span>{}</span></h3>", "<div class='appeal-title'><h3>{}</h3></div>",
    "<button class='close'>×</button><h3>{}</h3>",
    "<span class='label'>Support us</span><h3>{}</h3>",
])
def test_the_seed_appeal_in_a_plain_box_goes_whatever_its_headings_markup(heading, dear):
    """The seed page's short story, then its appeal in a box with no telling name: a bold
    or wrapped heading went before trafilatura (widened to its wrapper), and with no "Dear
    readers," after it nothing was left to cut the appeal; a review found each variant."""
    title = "<h3>A Message from the Harbour Courier:</h3>"
    page = SEED_BOX.read_text("utf-8").replace(title, heading.format(title[4:-5]))
    if not dear:
        page = page.replace("<p>Dear readers,</p>", "")
    article = extract(page, "https://harbourcourier.example/news/2014/01/15/asylum")
    assert len(article.text.split("\n\n")) == 6
    assert "We are facing" not in article.text and "standing with us" not in article.text


@pytest.mark.parametrize("kept", [2, 3, 4])
def test_the_seed_appeal_goes_after_a_brief_shorter_than_it(kept):
    """The seed page's appeal after the first two, three or four of its story's six
    paragraphs: the appeal was longer than the story above it (two paragraphs: 27% of the
    text), and an opening cut only from the middle of the text on, so its five paragraphs
    and "Continue" were stored with the story. A headline that does not speak of the site
    or its readers (`speaks_of_itself`) heads no letter from the paper: the appeal goes."""
    page = SEED_BOX.read_text("utf-8")
    story = re.findall(r"<p>.*?</p>", page)[:6]
    for paragraph in story[kept:]:
        page = page.replace(paragraph, "")
    article = extract(page, "https://harbourcourier.example/news/2014/01/15/asylum")
    assert len(article.text.split("\n\n")) == kept
    assert article.text.startswith("Russia's Federal Migration Service")
    assert not re.search(r"We are facing|support|Continue|Dear readers", article.text)


@pytest.mark.parametrize(("headline", "itself"), [
    ("Court delays ruling on river dam", False),
    ("Harbour Courier sold to a nonprofit", True),   # the site's name, spaced
    ("HarbourCourier app now on Android", True),      # run together
    ("Why we need your support", True),              # of the appeal's words
    ("A letter to our readers", True),
    ("Aircraft grounded at Northbridge", False),     # "ft": a short name only as a word
    ("FT owner buys a stake in Courier rival", True),
    (None, True),                                    # no headline: as before
])
def test_a_headline_speaks_of_the_site_by_its_name_or_of_its_readers(headline, itself):
    outlets = frozenset({"harbour courier", "harbourcourier", "ft"})
    assert speaks_of_itself(headline, outlets) is itself


def test_an_appeals_opening_drops_its_box_anywhere_under_a_headline_not_about_the_site():
    story = ["A short brief of the story, two sentences long. It ends here."] * 2
    appeal = ["A Message from The Daily Example:",
              "We are facing challenges. Independent journalism needs your support now." * 3,
              "Your support, no matter how small, makes a world of difference to us." * 3]
    openings = {"a message from the daily example:": frozenset(
        " ".join(block.lower().split()) for block in appeal)}
    assert strip_blocks(story + appeal, openings=openings)[0] == story + appeal[1:]
    assert strip_blocks(story + appeal, openings=openings, appeal_anywhere=True)[0] == story
    # the story's first two blocks stay whatever follows them
    assert strip_blocks(story[:1] + appeal, openings=openings,
                        appeal_anywhere=True)[0] == story[:1] + appeal[1:]
    # the story goes on after the appeal's box: only the box's blocks go
    rest = ["The council will fund the repairs, and an independent review supports it."] * 3
    assert strip_blocks(story + appeal + rest, openings=openings,
                        appeal_anywhere=True)[0] == story + rest


@pytest.mark.parametrize("inside", [True, False])
def test_an_appeal_box_in_the_middle_of_a_story_goes_and_the_story_stays_whole(inside):
    """The seed's appeal box after the second of a story's eight paragraphs, whose later
    ones speak of funding, donations, support and an independent review (an aid story): a
    cut from the appeal's opening to the end kept 2 of the 8 (a review). Now its box's own
    blocks go, and the story goes on after them."""
    page = SEED_BOX.read_text("utf-8")
    box = re.search(r"<div class=\"block\">\s*<h3>A Message.*?Remind me later.</a>\s*</div>",
                    page, re.S)
    assert box and "Once" in box.group(0) and "We are facing" in box.group(0)
    story = [f"<p>{text}</p>" for text in (
        "Three villages were cut off on Monday night after the river burst its banks at two"
        " points north of the town, leaving more than 400 homes without road access.",
        "Emergency crews worked through the night to reinforce the embankment near the old"
        " mill, where the water rose a metre in less than an hour.",
        "The county council said it would release emergency funding of two million pounds on"
        " Tuesday to pay for temporary housing and repairs to the bridge.",
        "Volunteers set up a collection point at the village hall, and a donation page for"
        " the families raised twelve thousand pounds in a day.",
        "The support from neighbouring towns has been overwhelming, said the woman who runs"
        " the hall, as boats brought food and blankets across the water.",
        "An independent review of the embankment, commissioned after the floods of 2019, had"
        " warned that it would not hold in a storm of this size.",
        "River levels were expected to fall slowly over the next two days, the agency said,"
        " though more rain was forecast for the weekend in the hills.",
        "Residents who need help can call the council's flood line, which is staffed around"
        " the clock until the roads are open again.")]
    html = ("<html><head><title>Floodwaters cut off three villages - Valley Herald</title>"
            "</head><body><article><h1>Floodwaters cut off three villages</h1>"
            + ("<div class='text'>" + "".join(story[:2]) + box.group(0) + "".join(story[2:])
               + "</div>" if inside else
               "<div class='text'>" + "".join(story[:2]) + "</div>" + box.group(0)
               + "<div class='text'>" + "".join(story[2:]) + "</div>")
            + "</article></body></html>")
    article = extract(html, "https://valleyherald.example/news/2025/03/04/floodwaters")
    assert len(article.text.split("\n\n")) == 8
    assert not re.search(r"We are facing|Dear readers|Message from", article.text)


def letter_to_the_readers(lead: list[str], letter: list[str]):
    """A story's lead, then "Dear readers," opening a group with the letter and the site's
    donate links."""
    html = ("<html><head><title>A letter to our readers</title></head><body><article>"
            "<h1>A letter to our readers</h1><div class='entry-content'>"
            + "".join(f"<p>{p}</p>" for p in lead) + "<div class='wp-block-group'>"
            "<p>Dear readers,</p>" + "".join(f"<p>{p}</p>" for p in letter)
            + "<div><a href='/give?1'>Once</a> <a href='/give?2'>Monthly</a> "
            "<a href='/give?3'>Annual</a></div></div></div></article></body></html>")
    return extract(html, "https://courier.example/news/2025/02/10/a-letter-to-our-readers")


def test_a_letter_to_the_readers_after_a_short_lead_is_kept_beside_donate_buttons():
    """An appeal's opening cuts from a quarter of the text on only where what follows
    reads as an appeal by two thirds: an editor's letter after two paragraphs of news,
    about the paper and its readers in part (about half), is the story."""
    lead = ["The Courier's print edition moves to four days a week from March 3, ending"
            " Monday and Tuesday printing after 140 years.",
            "The change was announced to staff on Friday and to subscribers by letter on"
            " Saturday; the website and the e-edition are not affected."]
    letter = ["From March 3 the Monday and Tuesday print editions will end.",
              "Newsprint costs have doubled since 2021 and the plant's last press needs"
              " repairs the insurer puts at $1.4 million.",
              "Subscribers to the print edition keep their delivery on the other four days.",
              "Thank you for reading us, in print and online."]
    article = letter_to_the_readers(lead, letter)
    assert article.text.split("\n\n")[:2] == lead
    assert article.text.split("\n\n")[-len(letter):] == letter


def test_a_letter_on_the_papers_sale_after_a_short_lead_is_kept():
    """A cut from a quarter of the text on, where what follows spoke of journalism, readers
    and funds by two thirds, cut this story to its lead (a review): the letter speaks of
    the paper, as an appeal does, and its sale is the news."""
    lead = ["The Courier, Northbridge's daily since 1884, has been sold to a nonprofit, its"
            " owners said on Monday.",
            "The price was not disclosed. The sale closes on March 31, pending the approval of"
            " the county court."]
    letter = ["The Northbridge Journalism Foundation, set up last year by three former editors,"
              " buys the paper, its website and its building on Mill Street.",
              "All 22 journalists keep their jobs, and an independent editorial board, elected"
              " by the newsroom, will appoint the editor.",
              "Print and digital subscribers keep their subscriptions; readers in the Courier"
              " Club become members of the foundation.",
              "The foundation will fund the paper from donations, grants and subscriptions, as"
              " nonprofit newsrooms in Texas and Minnesota do.",
              "Thank you for reading us for 140 years."]
    assert letter_to_the_readers(lead, letter).text.split("\n\n") == lead + letter


def test_a_letter_in_chunks_around_a_donate_promo_is_kept():
    """A CMS body in chunks, a donate promo between two of them: the letter's chunk opens
    the group holding the promo, an appeal's box by its shape; what follows is the story's."""
    lead = ["The Courier, Northbridge's daily since 1884, has been sold to a nonprofit, its"
            " owners said on Monday, ending 60 years of ownership by the Hale family.",
            "The paper's publisher, Ann Hale, wrote to subscribers on Sunday. Her letter:"]
    letter = ["The Northbridge Journalism Foundation, set up last year by three former editors,"
              " buys the paper, its website and its building.",
              "All 22 journalists keep their jobs, and an independent editorial board will"
              " appoint the editor.",
              "Subscribers keep their subscriptions; readers in the Courier Club become members"
              " of the foundation."]
    tail = ["The county court hears the case on March 20.",
            "Thank you for reading us for 140 years."]
    chunk = "<div class='chunk'>{}</div>"

    def paragraphs(texts: list[str]) -> str:
        return "".join(f"<p>{p}</p>" for p in texts)

    html = ("<html><head><title>The Courier is sold</title></head><body><article>"
            "<h1>The Courier is sold</h1><div class='entry-content'>"
            + chunk.format(paragraphs(lead)) + "<div class='chunk-group'>"
            + chunk.format("<p>Dear readers,</p>" + paragraphs(letter))
            + "<div class='inline-promo'><a href='/give?1'>Once</a> <a href='/give?2'>Monthly"
            "</a> <a href='/give?3'>Annual</a></div>" + chunk.format(paragraphs(tail))
            + "</div></div></article></body></html>")
    article = extract(html, "https://courier.example/news/2025/02/10/courier-sold")
    assert article.text.split("\n\n") == lead + letter + tail


@pytest.mark.parametrize("tag", ["button", "a"])
def test_donation_buttons_one_per_list_item_are_a_donation_box(tag):
    """`<ul><li><button>Once</button></li>...`: counted per parent, each item's one button
    made no row of them, no box followed the appeal's heading, and the appeal was stored."""
    buttons = "<div><button>Once</button><button>Monthly</button><button>Annual</button></div>"
    listed = "<ul>" + "".join(f"<li><{tag} href='/give'>{label}</{tag}></li>"
                              for label in ("Once", "Monthly", "Annual")) + "</ul>"
    page = SEED_BOX.read_text("utf-8")
    assert buttons in page
    article = extract(page.replace(buttons, listed),
                      "https://harbourcourier.example/news/2014/01/15/asylum")
    assert len(article.text.split("\n\n")) == 6 and "We are facing" not in article.text
    assert "donation.buttons" in article.removed


def test_a_letter_to_the_readers_that_is_the_story_is_kept_beside_donate_buttons():
    """"Dear readers," opens a group holding the editor's letter (the article) and the
    site's donate buttons: what follows speaks of readers and journalism, but it is most of
    the text, no appeal closing a story."""
    letter = ["For 140 years the Courier has been printed six days a week at the plant on"
              " Dock Road. From March 3 the Monday and Tuesday print editions will end.",
              "The decision was not easy. Newsprint costs have doubled since 2021 and the"
              " plant's last press needs repairs the insurer puts at $1.4 million.",
              "Subscribers to the print edition keep their delivery on the other four days,"
              " and their subscription price falls by a third from April.",
              "Our newsroom of 31 reporters and editors is unchanged. Readers with questions"
              " can reach our reader services desk from 8 a.m. to 6 p.m.",
              "Thank you for reading us, in print and online."]
    lead = ["The Courier's print edition moves to four days a week from March 3, ending"
            " Monday and Tuesday printing after 140 years."]
    article = letter_to_the_readers(lead, letter)
    assert article.text.split("\n\n") == lead + letter


def test_a_fundraising_storys_subheading_over_donate_buttons_cuts_nothing_early():
    """A story about a food bank's drive: "A message from the director:" within the story's
    own container, the site's donate buttons at its end, and words of donations and support
    all through. Only an opening that starts a box of its own cuts wherever it stands: this
    one cut the story to two paragraphs, which then was no article (a review)."""
    said = ["The Valley Community Food Bank says its winter drive has raised less than half"
            " of its goal with three weeks left, even as demand has climbed by a third.",
            "Volunteers at the warehouse on Mill Street packed 1,200 boxes on Saturday, but"
            " shelves were nearly bare by the afternoon, said operations manager Luis Ortega.",
            "Director Karen Holt said the shortfall came as federal funding was cut by 20"
            " percent this year, leaving local donations to cover the gap.",
            "\"Every dollar our neighbours donate buys four meals, and we depend on that"
            " support more than ever,\" Holt said.",
            "The county board voted on Tuesday to contribute an extra $50,000 from its reserve"
            " fund, a move supported by four of five supervisors.",
            "Ortega said monthly donors have been the steadiest source of support, and that"
            " the group plans to expand its membership programme next year."]
    body = "".join(f"<p>{p}</p>" for p in said[:2]) + "<p>A message from the director:</p>" + (
        "".join(f"<p>{p}</p>" for p in said[2:])) + (
        "<div class='give-form'><button>Once</button><button>Monthly</button>"
        "<button>Annual</button></div>")
    article = extract("<html><head><title>Food bank drive falls short</title></head><body>"
                      "<article><h1>Food bank drive falls short</h1><div class='entry-content'>"
                      f"{body}</div></article></body></html>",
                      "https://valleyledger.example/news/2024/12/10/food-bank-drive")
    assert article.is_article and article.text.split("\n\n") == said


def test_a_heading_over_the_story_with_a_donation_box_after_it_cuts_nothing_early():
    """"A message from the mayor:" early in a story whose container ends with donation
    buttons: what follows it is the mayor's words, not an appeal, and stays."""
    said = ("The mayor said the plan would be reviewed next spring by a panel of transport "
            "experts, residents and the operators of the tram network in the old town. ")
    buttons = ("<div><a href='/d?1'>Once</a> <a href='/d?2'>Monthly</a> "
               "<a href='/d?3'>Annual</a></div>")
    article = extract(page(paragraphs(2) + "<h2>A message from the mayor:</h2>"
                           + paragraphs(5, said) + buttons), URL)
    assert article.text.count("Paragraph") == 7 and "Monthly" not in article.text


def test_a_closing_appeals_bare_heading_is_left_to_cut_what_follows_it():
    """"A message from ..." as a bare paragraph of the body, then the appeal in paragraphs
    of its own and its donation buttons: removed from the tree, the heading could no longer
    cut them (they reached the text); boxed, its box goes before trafilatura and the story
    after it stays."""
    appeal = ("<p>A Message from The Daily Example:</p><p>We are facing unprecedented "
              "challenges, and our newsroom needs the help of every reader now.</p><p>By "
              "supporting us, you are defending open, independent journalism in hard "
              "times.</p><div><a href='/d?1'>Once</a> <a href='/d?2'>Monthly</a> "
              "<a href='/d?3'>Annual</a></div>")
    article = extract(page(paragraphs(4) + appeal), URL)
    assert article.text.count("Paragraph") == 4 and "unprecedented" not in article.text
    assert "open, independent" not in article.text and "Monthly" not in article.text
    boxed = ("<div><p>A Message from The Daily Example:</p><p>Support us today.</p></div>")
    article = extract(page(paragraphs(3) + boxed + paragraphs(2)), URL)
    assert article.text.count("Paragraph") == 5 and "Message from" not in article.text


@pytest.mark.parametrize("said", [
    # news sentences that read like the calls to act the catalogue removes (a review found
    # each one removed by a cue, or a story cut after it)
    "<p>Entre os usuários do WhatsApp no Brasil, cerca de 40% seguem algum canal.</p>",
    "<p>Sigue sin estar claro si WhatsApp compartirá con Meta los datos de los usuarios.</p>",
    "<p>Get ready to back up your chats: WhatsApp says older iPhones lose support in May.</p>",
    "<p>Si te gusta el trabajo artesanal, el mercado es el lugar donde decenas de artesanos"
    " venden sus piezas.</p>",
    "<p>Wenn Ihnen der Beitrag Ihrer Krankenkasse zu hoch erscheint, können die"
    " Verbraucherzentralen Sie unterstützen.</p>",
    "<p>Если вам важно поддержать местных производителей, покупайте на рынке.</p>",
    "<p>Cada familia contribuye con cualquier cantidad que pueda, explicó la presidenta.</p>",
    "<p>Thank you for reading my letters all these years. My late husband contributed a"
    " gardening column for a decade.</p>",
    "<p>Parents who use Screen Time can turn on notifications for purchase requests, the"
    " company said.</p>",
    "<p>The first two episodes will be released Thursday on Apple Podcasts, Spotify and"
    " wherever you get your podcasts, the company said.</p>",
    "<p>Download the NHS App on your phone and log in to see your records, officials said.</p>",
    "<p>Comments are closed on all of the broadcaster's Facebook posts since the ruling, its"
    " head of digital said.</p>",
    "<p>Many creators end every video with a question and the line: let us know in the"
    " comments below.</p>",
    "<h2>More bad news:</h2>", "<h3>Latest transfer news:</h3>",
    "<h2>Sonderangebot für 499 €: Der Aldi-Laptop enttäuscht beim Akku</h2>",
    "<p>Wesprzyj nas dowolną kwotą - apelowali organizatorzy na plakatach w tramwajach.</p>",
    # someone else's app, in a reported call ("the app" of a block that speaks of no news)
    "<p>Descarga la app de Renfe para consultar los retrasos, aconsejó la compañía.</p>",
    "<p>Baixe o app do Detran para consultar multas, orientou o órgão.</p>",
    "<p>Скачайте приложение МЧС, посоветовал представитель ведомства, чтобы получать"
    " предупреждения о грозах.</p>",
    "<p>Téléchargez l'application TousAntiCovid, répétait alors le gouvernement.</p>",
    "<p>Laden Sie die App der Stadtwerke herunter, rät der Sprecher, dann sehen Sie freie"
    " Ladesäulen.</p>",
    # a reported call to give or to support someone else, with its attribution after a comma
    "<p>Donate blood, the Red Cross urged residents on Monday.</p>",
    "<p>Faites un don de sang, a rappelé l'Établissement français du sang lundi.</p>",
    "<p>Haz una donación de sangre, pidió el hospital a los vecinos.</p>",
    "<p>Faça uma doação de sangue, pediu o hemocentro à população.</p>",
    "<p>Apoie a greve dos professores, gritavam os manifestantes.</p>",
    "<p>Apoya a los agricultores, pedía una pancarta en la plaza.</p>",
    "<p>Поддержите наших врачей, — призвали участники акции у больницы.</p>",
    "<p>Пожертвовать кровь можно в любом донорском центре области, напомнили в"
    " минздраве.</p>",
    "<p>Make a donation today, the charity said, as the floods left thousands homeless.</p>",
    "<p>Turn on notifications for breaking news, the app told users, before it crashed.</p>",
    "<p>Unterstützen Sie uns, riefen die streikenden Pflegekräfte vor dem Rathaus.</p>",
    "<p>Soutenez notre combat, ont lancé les agriculteurs aux passants.</p>",
    "<p>Apoya nuestro proyecto, pidieron los vecinos al ayuntamiento.</p>",
    "<p>Apoie nossa luta, gritavam os professores diante da prefeitura.</p>",
    "<p>Apoie o nosso time, pediu o técnico aos torcedores.</p>",
    "<p>Поддержите нас, — кричали бастующие у завода.</p>",
    # a first-person appeal's words in a reported sentence (en, de, fr, es, ru)
    "<p>We rely on the support of readers, the bookshop owner said, and sales have held"
    " up.</p>",
    "<p>We are a nonprofit newsroom, the founder said, and we will stay one.</p>",
    "<p>Wir sind auf Ihre Unterstützung angewiesen, sagte der Bürgermeister den Bürgern.</p>",
    "<p>Nous dépendons de vous, a lancé le maire aux habitants.</p>",
    "<p>Dependemos de ustedes, dijo el alcalde a los vecinos.</p>",
    "<p>Мы работаем благодаря читателям, сказал владелец книжного магазина.</p>",
    # calls to act reported with their attribution after a comma, a print run's history
    "<p>Sign up for news alerts from the county, officials urged residents in the flood"
    " zone.</p>",
    "<p>Écoutez notre podcast, lançait l'animateur à ses auditeurs chaque matin depuis"
    " 2015.</p>",
    "<p>Hören Sie unseren Podcast, sagte der Moderator, und lachte.</p>",
    "<p>Слушайте наш подкаст, — призвал слушателей ведущий утреннего эфира.</p>",
    "<p>A version of this article appeared in print in the Gazette in 1998, when the bridge"
    " first opened.</p>",
    # a police appeal for tips, and readers who wrote in: the story's
    "<p>Haben Sie Hinweise zum Täter? Die Polizei bittet Zeugen, sich unter 0711 8990 zu"
    " melden.</p>",
    "<p>Vous avez vu quelque chose ? La gendarmerie appelle les témoins à se manifester.</p>",
    "<p>A version of the bill passed the Senate in March, and the House took it up in"
    " print and in public hearings.</p>",
    "<p>Readers who want to support local journalism, the survey found, mostly pay for print"
    " subscriptions.</p>",
    # the same words in a story's sentence: a reported call, a sentence after a label,
    # someone else's app or newsletter (it, nl, pl, tr, id, zh)
    "<p>Iscriviti alla newsletter del comune, ha detto l'assessore, per ricevere gli avvisi"
    " sui cantieri.</p>",
    "<p>Abbonati per continuare a leggere: così il quotidiano ha lanciato il nuovo modello a"
    " pagamento nel 2019, ricorda il direttore.</p>",
    "<p>Hai ancora 2 articoli gratuiti questo mese: è il messaggio che il Corriere mostra ai"
    " lettori non abbonati, ha spiegato l'editore.</p>",
    "<p>Meld je aan voor de nieuwsbrief van de gemeente, adviseerde de wethouder.</p>",
    "<p>Download de app van de NS om vertragingen te bekijken, adviseerde de vervoerder.</p>",
    "<p>Steun ons, riepen de boeren tijdens het protest in Den Haag.</p>",
    "<p>Reageer niet op verdachte sms'jes, waarschuwt de politie.</p>",
    "<p>Pobierz aplikację mObywatel, radzi ministerstwo cyfryzacji.</p>",
    "<p>Zapisz się na newsletter urzędu, zachęcał prezydent miasta.</p>",
    "<p>Bizi takip edin, dedi polis memuru gazetecilere.</p>",
    "<p>Dukung jurnalisme independen menjadi tema Hari Pers Nasional tahun ini.</p>",
    "<p>Argomenti: la difesa ha presentato tre memorie</p>",
    "<p>Aggiornato il regolamento del 2019 sui taxi, il consiglio ha votato ieri.</p>",
    "<p>Bijgewerkt op 12 maart 2024 is ook de dienstregeling van de trein.</p>",
    "<p>Sostienici con la tua firma, chiedono i promotori del referendum.</p>",
    "<p>广告业收入去年增长了百分之十。</p>", "<p>下载APP的用户超过一千万人。</p>",
    "<p>声明：市政府表示将在下周公布详细方案。</p>",
    # a newsletter's pitch in a story: a scam's, reported after a comma, or its words after
    # another opening (it, nl, id)
    "<p>Ricevi le notizie direttamente nella tua casella di posta, prometteva la mail dei"
    " truffatori.</p>",
    "<p>I truffatori inviano false notizie direttamente nella tua casella di posta.</p>",
    "<p>Ontvang het nieuws direct in je mailbox, beloofde de nepmail van de oplichters.</p>",
    "<p>Dapatkan berita terbaru langsung di email Anda, tulis penipu dalam pesan palsu"
    " itu.</p>",
    # app, share, follow and log-in words in a story's sentence: a call reported after a
    # comma, or a label's words opening a longer sentence (nl, it, tr, id, zh, ja, ko)
    "<p>Download de app en mis geen nieuws meer, adviseerde de omroep zijn kijkers.</p>",
    "<p>Ti è piaciuto questo articolo? chiede il sondaggio ai lettori, e il 60 per cento"
    " risponde sì.</p>",
    "<p>Google News'te takip edin çağrısı yapan sahte hesaplar kapatıldı.</p>",
    "<p>Simak berita terkini di Google News, kata juru bicara kepolisian kepada"
    " wartawan.</p>",
    "<p>点击关注我们的读者超过一万人。</p>",
    "<p>フォローするアカウントを選ぶ際には注意が必要だと専門家は話す。</p>",
    "<p>ログインできない障害が3時間続いた。</p>",
    "<p>この記事をシェアした人は1万人を超えた。</p>",
    "<p>네이버 메인에서 채널 구독하기 기능이 지난해 도입됐다.</p>",
    "<p>좋아요 수가 100만 건을 넘었다.</p>",
    "<p>이 기사를 추천합니다라는 문구가 논란이 됐다.</p>",
    # a label's words opening a story's sentence (id, ja)
    "<p>Scroll untuk melanjutkan membaca bukan lagi kebiasaan pembaca muda, kata"
    " peneliti.</p>",
    "<p>残り1234文字の原稿を、記者は一晩で書き上げた。</p>",
    "<p>写真を見る限り、被害は広範囲に及んでいる。</p>",
    # the same words in Arabic and Hindi stories: a verb that also reports ("اشترك",
    # subscribed; "تابعنا", we followed), a call reported after a comma, a label's words
    # opening a longer sentence
    "<p>اشترك في النشرة البريدية أكثر من مليون قارئ هذا العام.</p>",
    "<p>احصل على آخر الأخبار مباشرة في بريدك الإلكتروني، تقول الرسالة المزيفة التي أرسلها"
    " المحتالون.</p>",
    "<p>شارك هذا الخبر أكثر من مليون مستخدم على فيسبوك.</p>",
    "<p>تابعنا على مدى أسابيع تطورات القضية في المحكمة.</p>",
    "<p>تابعونا على فيسبوك، قالت الشرطة للسكان في المنطقة المتضررة من الفيضانات.</p>",
    "<p>اقرأ المزيد عن الخطة في تقرير الوزارة، قال المتحدث للصحفيين.</p>",
    "<p>مساحة إعلانية ضخمة على واجهة المبنى أثارت جدلا في المدينة.</p>",
    "<p>التعليقات التي نشرها الوزير على حسابه أثارت غضب المعارضة.</p>",
    "<p>حمّل تطبيقنا، قال مدير الشركة للمستثمرين خلال العرض التقديمي.</p>",
    "<p>الوسوم: أثارت الحملة جدلا واسعا على مواقع التواصل</p>",
    "<p>وقت القراءة: 4 دقائق يوميا على الأقل توصي بها الدراسة للأطفال.</p>",
    "<p>قال المؤلف إن حقوق النشر محفوظة للناشر حتى عام 2030.</p>",
    "<p>न्यूज़लेटर की सदस्यता लें या नहीं, यह फैसला पाठकों पर छोड़ा गया।</p>",
    "<p>इस खबर को शेयर करें, पुलिस ने लोगों से अपील की।</p>",
    "<p>शेयर करें बटन को हटाने का फैसला कंपनी ने पिछले साल लिया।</p>",
    "<p>फेसबुक पर फॉलो करें, मंत्री ने अपने समर्थकों से कहा।</p>",
    "<p>और पढ़ें लिखें अभियान की शुरुआत राज्य सरकार ने की।</p>",
    "<p>टिप्पणियाँ जो मंत्री ने की थीं, उन पर विपक्ष ने आपत्ति जताई।</p>",
    "<p>हमारा ऐप डाउनलोड करें, कंपनी ने ग्राहकों से कहा और छूट का वादा किया।</p>",
    "<p>टैग: पुलिस ने मामले की जांच शुरू कर दी है</p>",
    "<p>पढ़ने का समय: 4 मिनट रोजाना बच्चों के लिए जरूरी है, अध्ययन में कहा गया।</p>",
    # a reading time's label opening a sentence (tr, id, pl)
    "<p>Okuma süresi 20 dakikayı geçen metinleri öğrencilerin yarısı sonuna kadar okumuyor.</p>",
    "<p>Waktu baca 15 menit setiap hari cukup untuk meningkatkan kemampuan membaca anak.</p>",
    "<p>Czas czytania 15 minut dziennie wystarczy, by dziecko szybciej nauczyło się pisać.</p>",
    # an account's question answered in a story (it, nl, pl)
    "<p>Sei già abbonato? Allora il rincaro scatterà solo dal prossimo rinnovo, spiega"
    " l'azienda.</p>",
    "<p>Al abonnee? Dan betaalt u vanaf januari vijf euro per maand meer, meldt het"
    " bedrijf.</p>",
    "<p>Masz już konto? Wtedy wystarczy zalogować się do systemu i złożyć wniosek przez"
    " internet.</p>",
    # a call to follow reported after "कि" (hi)
    "<p>मंत्री ने कहा कि लोग सरकार के ट्विटर हैंडल को फॉलो करें।</p>",
    "<p>पुलिस ने अपील की कि लोग केवल आधिकारिक फेसबुक पेज को फॉलो करें।</p>",
    # "تابعنا", we followed, with a network (ar)
    "<p>تابعنا عبر يوتيوب البث المباشر لجلسة البرلمان.</p>",
    "<p>تابعنا على تويتر ردود الفعل على القرار.</p>",
    # a sign-up to "the newsletter" reported after a comma (tr)
    "<p>Bültene abone olun, çağrısıyla gönderilen sahte e-postalar binlerce kişiyi"
    " dolandırdı.</p>",
    # a free app's download quoted from a scam (pl)
    "<p>Pobierz darmową aplikację, a otrzymasz zwrot podatku – tak brzmi SMS rozsyłany przez"
    " oszustów.</p>",
    # a stamp's word before a year alone: a book's line in a review, a caption (it, id, tr)
    "<p>Pubblicato da Adelphi nel 2023</p>",
    "<p>Diterbitkan pertama kali pada 1998</p>",
    "<p>Yayın tarihi 1923</p>",
    # "follow us on" a network, a call reported after a comma (nl, pl, id)
    "<p>Volg ons op Instagram, riep de politie de bewoners op tijdens de zoektocht.</p>",
    "<p>Obserwuj nas na Facebooku, apelowała policja do mieszkańców zalanych gmin.</p>",
    "<p>Ikuti kami di Instagram, kata juru bicara polisi kepada warga yang terdampak"
    " banjir.</p>",
    # "follow us on" a network or "join our group", a call reported after a comma (en, de,
    # fr, es, it, pt, ru)
    "<p>Follow us on Twitter, police urged residents, as the storm approached.</p>",
    "<p>\u201cFollow us on Facebook for updates,\u201d the county sheriff told reporters.</p>",
    "<p>Join our Facebook group, the organisers told volunteers.</p>",
    "<p>Folgen Sie uns auf Twitter, forderte die Polizei die Anwohner auf.</p>",
    "<p>Suivez-nous sur Twitter, a lancé la préfecture aux habitants.</p>",
    "<p>Síguenos en Twitter, pidió la policía a los vecinos.</p>",
    "<p>Seguici su Twitter, ha chiesto la polizia ai residenti.</p>",
    "<p>Siga-nos no Twitter, pediu a polícia aos moradores.</p>",
    "<p>Подписывайтесь на нас в Telegram, — призвала полиция жителей.</p>",
    # a sign-up to "the newsletter" reported after a comma (de, fr, es, pt), an email
    # address in a story on a leak, a form's imperative quoted from a scam (en)
    "<p>Melden Sie sich für den Newsletter der Stadt an, rät die Verwaltung den"
    " Anwohnern.</p>",
    "<p>Newsletter abonnieren, das machen laut Umfrage nur noch zwölf Prozent der Leser.</p>",
    "<p>Inscrivez-vous à la newsletter de la mairie, a conseillé l'adjoint.</p>",
    "<p>Suscríbete a la newsletter de la alcaldía, recomendó el concejal.</p>",
    "<p>Assine a newsletter do município, disse o vereador.</p>",
    "<p>Your email address was among those leaked, the company told customers.</p>",
    "<p>Email address changes are now handled by the county clerk.</p>",
    "<p>Enter your email address, the fake message from the bank said.</p>",
    # a story's own agenda under a label, its last item joined by an "and" as prose does
    # (it, de, ru, pl, en)
    "<p>Argomenti: sanità, scuola e trasporti</p>",
    "<h2>Themen: Verkehr, Haushalt und Schulen</h2>", "<h3>Темы: транспорт, бюджет и школы</h3>",
    "<p>Tematy: transport, budżet i szkoły</p>", "<h2>Topics: fares, routes and the tram</h2>",
    # a salutation opening an open letter the story quotes (de, fr, es, pt, ru)
    "<p>Liebe Leserinnen und Leser, schrieb der Bürgermeister in seinem offenen Brief an die"
    " Bürger.</p>",
    "<p>Chers lecteurs, écrivait le maire dans sa lettre ouverte aux habitants.</p>",
    "<p>Queridos lectores, escribió el alcalde en su carta abierta.</p>",
    "<p>Caros leitores, escreveu o presidente da câmara na sua carta aberta.</p>",
    "<p>Дорогие читатели, написал мэр в открытом письме горожанам.</p>",
    # a copyright notice's words in a story on a court case: quoted, run on by the sentence,
    # or the infringement's own words (en, it, nl, pl, tr, ar, ko, zh, ja)
    "<p>The judge said the words \u201call rights reserved\u201d on the cover had no legal"
    " force.</p>",
    "<p>All rights reserved, the label on the seized tapes read.</p>",
    "<p>Il giudice ha ricordato che la dicitura «riproduzione riservata» non basta a"
    " proteggere un testo.</p>",
    "<p>Alle rechten voorbehouden, stond op de omslag van de boeken die de politie in beslag"
    " nam.</p>",
    "<p>Wszelkie prawa zastrzeżone – taki napis widniał na płytach zarekwirowanych przez"
    " policję.</p>",
    "<p>Tüm hakları saklıdır ibaresi, mahkemeye göre eserin korunması için yeterli değil.</p>",
    "<p>وقالت المحكمة إن عبارة «جميع الحقوق محفوظة» المطبوعة على الغلاف لا تمنح الناشر حقوقا"
    " إضافية.</p>",
    "<p>حقوق النشر محفوظة للمؤلف وحده بموجب العقد، قال القاضي.</p>",
    "<p>검찰은 저작권자의 동의 없이 음원 3만여 곡을 유통한 혐의로 A씨를 기소했다.</p>",
    "<p>법원은 기사를 무단 전재한 업체에 손해배상을 명령했다.</p>",
    "<p>该公司未经授权使用他人作品，被法院判决赔偿50万元。</p>",
    "<p>法院认定，网站上标注的\u201c版权所有\u201d字样不能证明其拥有著作权。</p>",
    "<p>警察は著作権法違反の疑いで男を逮捕した。</p>",
    "<p>新聞社は記事の無断転載をめぐり、運営会社を提訴した。</p>",
    "<p>Подпишитесь на канал мэрии, призвали в администрации жителей.</p>",
    # a sign-up, a pointer's words, a pitch, an appeal, a paywall's prompt or meter, a share or
    # comments label in a story's sentence: reported, run on after a comma or without the label's
    # colon (sv, da, no, fi, pl, cs, ro, hu)
    "<p>Hon sa att läsarna kan prenumerera på nyhetsbrevet för att få trafikinformation.</p>",
    "<p>Prenumerera på kommunens nyhetsbrev, uppmanade förvaltningen invånarna.</p>",
    "<p>Läs också kommunens svar, som publicerades i går.</p>",
    "<p>Bedragarna lovade vinster direkt i din inkorg, varnar polisen.</p>",
    "<p>Dagens bedragare skickar falska fakturor direkt till din e-post.</p>",
    "<p>Varje vecka landar nya försök direkt i din inkorg.</p>",
    "<p>Hver uke lander nye svindelforsøk rett i innboksen.</p>",
    "<p>Joka päivä huijarit lähettävät väärennettyjä laskuja suoraan sähköpostiisi.</p>",
    "<p>Každý den podvodníci posílají falešné faktury přímo do vaší e-mailové schránky.</p>",
    "<p>În fiecare zi escrocii trimit facturi false direct în căsuța ta de e-mail.</p>",
    "<p>Minden nap hamis számlákat küldenek a csalók egyenesen a postafiókjába.</p>",
    "<p>Stöd oberoende journalistik, manade talaren på Publicistklubbens möte.</p>",
    "<p>Den här artikeln är endast för prenumeranter, skrev tidningen i ett meddelande som väckte"
    " kritik.</p>",
    "<p>Du har läst 3 av 5 gratis artiklar, stod det i rutan som många läsare klagade på.</p>",
    "<p>Dela artikeln med en vän, uppmanade kampanjen, och 40 000 personer gjorde det.</p>",
    "<p>Kommentarer från allmänheten lästes upp under mötet.</p>",
    "<p>Han sagde, at læserne kan tilmelde sig nyhedsbrevet på kommunens hjemmeside.</p>",
    "<p>Tilmeld dig vores nyhedsbrev, skrev svindlerne i den falske mail.</p>",
    "<p>Læs også kommunens svar, som blev offentliggjort i går.</p>",
    "<p>Støt uafhængig journalistik, lød opfordringen fra talerstolen.</p>",
    "<p>Denne artikel er kun for abonnenter, skrev avisen i en meddelelse, der vakte kritik.</p>",
    "<p>Hun sa at leserne kan melde seg på nyhetsbrevet for å få trafikkmeldinger.</p>",
    "<p>Meld deg på vårt nyhetsbrev, sto det i den falske e-posten fra svindlerne.</p>",
    "<p>Les også kommunens svar, som ble publisert i går.</p>",
    "<p>Du har lest 3 av 5 gratis artikler, sto det i boksen leserne klaget på.</p>",
    "<p>Hän kertoi, että lukijat voivat tilata uutiskirjeen kaupungin verkkosivuilta.</p>",
    "<p>Tilaa uutiskirje, kehotti kaupunki asukkaita tiedotteessaan.</p>",
    "<p>Lue myös kaupungin vastaus, joka julkaistiin eilen.</p>",
    "<p>Tue riippumatonta journalismia, vaati puhuja seminaarissa.</p>",
    "<p>Tämä artikkeli on vain tilaajille, lehti kirjoitti ilmoituksessa.</p>",
    "<p>Komentarze mieszkańców odczytano na sesji rady miasta.</p>",
    "<p>Řekl, že čtenáři se mohou přihlásit k odběru newsletteru na webu města.</p>",
    "<p>Přihlaste se k odběru newsletteru, vyzývala falešná zpráva podvodníků.</p>",
    "<p>Čtěte také pozorně smlouvu, radí spotřebitelská poradna.</p>",
    "<p>Podpořte nezávislou žurnalistiku, vyzval řečník na konferenci.</p>",
    "<p>Ea a spus că cititorii se pot abona la newsletter pe site-ul primăriei.</p>",
    "<p>Abonează-te la newsletter, le-a cerut primarul locuitorilor.</p>",
    "<p>Citește și contractul înainte să semnezi, recomandă protecția consumatorului.</p>",
    "<p>Susține jurnalismul independent, a transmis oratorul la conferință.</p>",
    "<p>Acest articol este disponibil doar pentru abonați, a anunțat ziarul.</p>",
    "<p>Elmondta, hogy az olvasók a város honlapján iratkozhatnak fel a hírlevélre.</p>",
    "<p>Iratkozzon fel hírlevelünkre, állt a csalók hamis e-mailjében.</p>",
    "<p>Támogasd a független újságírást, kérte a szónok a konferencián.</p>",
    "<p>Kapcsolódó ügyekben is vizsgálódik a rendőrség.</p>",
])
def test_news_sentences_like_calls_to_act_stay(said):
    after = ("The mayor said the plan would be reviewed next spring by a panel of transport "
             "experts, residents and the operators of the tram network in the old town. ")
    article = extract(page(paragraphs(4) + said + paragraphs(2, after)), URL)
    assert norm_space(re.sub("<[^>]+>", "", said)) in article.text
    assert article.text.count("Paragraph") == 6 and set(article.removed) <= {"cta.cue"}


@pytest.mark.parametrize("chrome", [
    # stamps relative to now, a modified stamp, a story's age warning, a player's length
    "<p>Updated 2 hours ago</p>", "<p>Published 35 minutes ago</p>",
    "<p>Last updated 3h ago</p>", "<p>2 hours ago</p>",
    "<p>Last modified on Mon 30 Nov 2026 10.12 GMT</p>",
    "<p>This article is more than 2 years old</p>", "<p>This story is over a month old.</p>",
    "<p>5 min listen</p>",
    # an audio or video player's labels and running times, a callout with no form
    "<p>Listen · 5:12</p>", "<p>Listen to this article 4:32</p>", "<p>Watch: 2:15</p>",
    "<p>Duration 3:04</p>", "<p>Play video</p>", "<h3>Listen · 6 min</h3>",
    "<p>Tell us: have you been affected by the floods?</p>",
    "<p>Share your story: email us at newsdesk@example.com</p>",
    "<p>Have you been affected by the floods? Get in touch with us at"
    " newsdesk@example.com</p>",
    # an event's promotion and its ticket button, a print subscription's offer
    "<p>Join us at the Example Ideas Festival in London on 14 March. <a href='/events'>Get"
    " tickets</a></p>",
    "<p>Join us live: our political editor answers your questions on Thursday at 7pm. Book"
    " your tickets now</p>", "<p>Get tickets</p>",
    "<p>Get the print edition delivered to your door every Saturday. <a href='/print'>Subscribe"
    " here</a></p>",
    "<p>Have the Sunday paper delivered to your home from £2.50 a week.</p>",
    "<p>Subscribe to the print edition</p>",
    # the heads of lists closing a story, a comment count, a toolbar's buttons
    "<p>Related Topics</p>", "<p>Explore more on these topics</p>",
    "<p>Read more about these topics</p>", "<p>Comments (312)</p>", "<p>View comments</p>",
    "<p>Reuse this content</p>", "<p>Print this page</p>", "<p>Email this story</p>",
    "<p>Show key events only</p>", "<p class='h6'> Share this post </p>",
    "<p>Share this video</p>",
    # an ad slot's note, the corrections line
    "<p>Article continues after advertisement</p>", "<p>Continue reading the main story</p>",
    "<p>Spotted an error? Let us know at corrections@example.com</p>",
    "<p>Spotted an error? Report it to us at corrections@example.com</p>",
    "<p>Found a mistake? Report it</p>", "<p>Seen a typo? Get in touch with our editors</p>",
    "<p>If you have a correction request, please contact our standards team at"
    " standards@example.com.</p>",
    "<p>For corrections, email corrections@example.com.</p>",
    # a registration wall's prompt
    "<p>Register for free to continue reading</p>",
    "<p>Create a free account to continue reading.</p>",
    # publication stamps with a time, an author or an update after a comma (en, fr, de, ru,
    # es)
    "<p>Published 12 March 2024, last updated 13 March 2024</p>",
    "<p>Published 12 March 2024, by Jane Doe</p>",
    "<p>Publié le 12/03/2024 à 10h30, mis à jour le 13/03/2024 à 11h00</p>",
    "<p>Veröffentlicht am 12.03.2024, 10:30 Uhr</p>", "<p>Опубликовано: 12.03.2024, 10:30</p>",
    "<p>Publicado el 12 de marzo de 2024, 10:30 CET</p>",
    # a subscription's buttons and terms, a sign-in line, a consent line, a disclosure's
    # label (en, fr, de, pt, ru)
    "<p>Subscribe now, cancel anytime.</p>", "<p>Become a subscriber</p>", "<p>See offers</p>",
    "<p>Get unlimited access for $1 a week.</p>",
    "<p>Subscribe to continue reading, or log in if you are a subscriber.</p>",
    "<p>Subscribe to get the latest news, straight to your inbox.</p>",
    "<p>Already a member? Sign in here.</p>", "<p>Déjà abonné ? Se connecter</p>",
    "<p>Bereits Abonnent? Hier anmelden</p>", "<p>Já é assinante? Faça login</p>",
    "<p>Уже подписаны? Войти</p>",
    "<p>By signing up, you agree to our Terms of Use and Privacy Policy.</p>",
    "<p>Advertiser Disclosure</p>",
    "<p>Advertiser disclosure: We may earn a commission when you click on links.</p>",
    "<p>Remind me later</p>", "<p>Not ready to donate? Sign up for our newsletter.</p>",
    # the prompts, asks and banners whose words a story may report (see the list below)
    "<p>Download our app, and never miss a story.</p>",
    "<p>Listen to our podcast on Spotify and Apple Podcasts.</p>",
    "<p>Pour lire la suite, abonnez-vous.</p>", "<p>Para seguir leyendo, suscríbete.</p>",
    "<p>Para continuar lendo, assine o jornal.</p>",
    "<p>Um weiterzulesen, melden Sie sich an oder schließen Sie ein Abo ab.</p>",
    "<p>Чтобы продолжить чтение, оформите подписку.</p>",
    "<p>This article is only available to subscribers.</p>", "<p>Can you chip in $10 today?</p>",
    "<p>Already a subscriber?</p>", "<p>Already a subscriber? Log in or link your account.</p>",
    "<p>Already a subscriber? View your reports here →</p>",
    "<p>Cet article est réservé aux abonnés.</p>", "<p>Déjà abonné ?</p>",
    "<p>Escuche nuestro podcast en Spotify y Apple Podcasts.</p>",
    "<p>We use cookies to give you the best experience, as our privacy policy explains.</p>",
    "<p>Nous utilisons des cookies pour améliorer votre expérience.</p>",
    "<p>Wir verwenden Cookies, um Ihnen ein besseres Erlebnis zu bieten.</p>",
])
def test_an_english_news_sites_furniture_is_removed(chrome):
    article = extract(page(paragraphs(2) + chrome + paragraphs(2)), URL)
    assert article.is_article
    assert article.text.split("\n\n") == [f"{PARAGRAPH}Paragraph {i} ends here." for i in
                                           (0, 1, 0, 1)], article.text


@pytest.mark.parametrize("said", [
    # the same words in a story's sentences: a time said in prose, a reported call, a
    # quote, an offer or a list the story is about
    "<p>Updated 2 hours ago, the forecast warned of more rain on the moors.</p>",
    "<p>Two hours ago the water was still rising, a volunteer told us.</p>",
    "<p>This article is more than 2 years old, the minister complained, yet nobody has"
    " corrected it.</p>",
    "<p>Join us at the town hall on Friday, the mayor told residents, and get tickets"
    " early.</p>",
    "<p>\"Join us in Leeds on Saturday. Get tickets,\" the promoter posted on Instagram.</p>",
    "<p>Fans queued overnight to get tickets for the final.</p>",
    "<p>Get the paper delivered to your door? Not in rural Wyoming, where routes were cut"
    " last year.</p>",
    "<p>Subscribe to the print edition, the publisher urged readers in a front-page note.</p>",
    "<p>Related topics such as drainage were left to a later meeting.</p>",
    "<p>Share this post with a friend, the campaign asked, and 40,000 people did.</p>",
    "<p>Comments (312) poured in within an hour of the consultation opening.</p>",
    "<p>View comments from the public were read into the record.</p>",
    "<p>Print this page and bring it to the polling station, officials advised.</p>",
    "<p>Key events of the week were summarised by the clerk.</p>",
    "<h2>Key events of 1989</h2>",
    "<p>Listen to this: the mayor said the river would be dredged before the winter.</p>",
    "<p>Watch the video, the police said, and tell us if you recognise the man.</p>",
    "<p>Duration of the closure: 3 weeks</p>",
    "<p>Tell us what you want, residents asked the council at a packed meeting.</p>",
    "<p>Tell us: why did the council wait? the banner asked.</p>",
    "<p>Share your story, the charity urged survivors, and 300 people came forward.</p>",
    "<p>Have you been affected by the floods? Get in touch with your insurer at once, the"
    " ombudsman advised.</p>",
    "<p>The topics were politics, the economy and elections.</p>",
    "<p>Readers can continue reading the main story in tomorrow's edition, the editor"
    " wrote in 1998.</p>",
    "<p>Spotted a mistake? The rules give drivers 28 days to appeal a fine.</p>",
    "<p>Spotted an error? Let us know, the council's new app tells residents.</p>",
    "<p>Noticed an error? Report it to the agency that issued the bill.</p>",
    "<p>Spotted a mistake? Get in touch with the lender at once.</p>",
    "<p>If you have a correction request for your council tax bill, contact the billing"
    " office, the clerk said.</p>",
    "<p>Create a free account to continue reading, the Herald now tells visitors.</p>",
    # a publication stamp's words and date opening a story's sentence (en, de, fr, ru, es, pt)
    "<p>Published on 12 March 2024, the report found wide delays.</p>",
    "<p>Published March 12, 2024, the report found wide delays.</p>",
    "<p>Veröffentlicht am 12. März 2024, zeigt der Bericht große Lücken.</p>",
    "<p>Aktualisiert 2024, gilt die Regel nun auch für E-Roller.</p>",
    "<p>Publié le 12 mars 2024, le rapport pointe des retards.</p>",
    "<p>Опубликовано 12 марта 2024 года, исследование вызвало споры.</p>",
    "<p>Publicado el 12 de marzo de 2024, el informe halló retrasos.</p>",
    "<p>Publicado em 12 de março de 2024, o relatório apontou atrasos.</p>",
    "<p>Publié le 12 mars 2024, par l'Insee, le rapport montre des retards.</p>",
    # (sv, fi, cs, ro, hu)
    "<p>Publicerad den 12 mars 2024 visade rapporten stora förseningar.</p>",
    "<p>Publicerad 1998 blev boken en succé i hela Norden.</p>",
    "<p>Julkaistu 12.3.2024, raportti osoitti laajoja viiveitä.</p>",
    "<p>Publikováno 12. března 2024, zpráva ukázala velká zpoždění.</p>",
    "<p>Publicat în 12 martie 2024, raportul arată întârzieri mari.</p>",
    "<p>Közzétéve 2024. március 12-én a jelentés nagy késéseket mutatott ki.</p>",
    # (a count and a year after the same words, no date: a book's editions)
    "<p>Publicerad i 12 upplagor sedan 1985</p>",
    "<p>Publicat în 12 volume între 1900 și 1910</p>",
    # a subscription's, a sign-in's, a consent line's, a disclosure's or a reminder's words
    # in a story: a call reported after a comma, the words opening a longer sentence (en, fr,
    # de, es, pt, ru)
    "<p>Subscribers agree to pay more under the new plan, the company said.</p>",
    "<p>See offers from other insurers before you sign, the adjuster advised.</p>",
    "<p>Subscribe now, the streaming service urged lapsed customers.</p>",
    "<p>Become a subscriber, the club told fans, and save a tenth.</p>",
    "<p>Get unlimited access to the pool for $20, the council offered residents.</p>",
    "<p>Subscribe to continue reading, the message told readers, before the site"
    " crashed.</p>",
    "<p>Subscribe for updates on the outage, the utility told customers.</p>",
    "<p>Already a subscriber, she cancelled when prices rose.</p>",
    "<p>Déjà abonné, il a résilié après la hausse des prix.</p>",
    "<p>Bereits Abonnent, kündigte er nach der Preiserhöhung.</p>",
    "<p>Ya soy suscriptor, dijo el jubilado, y no pienso pagar más.</p>",
    "<p>Já sou assinante, disse o aposentado, e não vou pagar mais.</p>",
    "<p>Уже подписаны на рассылку 20 тысяч человек, сообщили в мэрии.</p>",
    "<p>Advertiser disclosure rules changed in 2023.</p>",
    "<p>Remind me later, he would say, and then he would forget all about it.</p>",
    "<p>Not ready to give up, the team fought back in the second half.</p>",
    # an ask, a prompt, a banner's or a disclaimer's words reported with a speech verb after
    # a comma, or opening a longer sentence (en, fr, es, pt, de, ru)
    "<p>Download our app, the bank told customers, to get fraud alerts.</p>",
    "<p>Listen to our podcast on Spotify, the mayor told residents at the launch.</p>",
    "<p>Pour lire la suite, il faudra attendre le tome deux, prévu en mars.</p>",
    "<p>Para seguir leyendo, habrá que esperar al segundo tomo, previsto para marzo.</p>",
    "<p>Para continuar lendo, será preciso esperar o segundo volume, previsto para março.</p>",
    "<p>Um weiterzulesen, muss man auf den zweiten Band warten, der im März erscheint.</p>",
    "<p>Чтобы продолжить чтение, придётся дождаться второго тома, который выйдет в"
    " марте.</p>",
    "<p>This article is only available to subscribers, the Herald told readers in 2019.</p>",
    "<p>Can you chip in, the coach asked the parents, for the new kit?</p>",
    "<p>Already a member? The gym will honour your contract, the manager said.</p>",
    "<p>Already a member? Check your contract, the ombudsman advised.</p>",
    "<p>Déjà abonné ? Le club honorera votre contrat, a assuré le gérant.</p>",
    "<p>Cet article est réservé aux abonnés, a rappelé le journal en 2019.</p>",
    "<p>Escuche nuestro podcast en Spotify, dijo el alcalde a los vecinos.</p>",
    "<p>We use cookies to track users, the company admitted in court.</p>",
    "<p>Nous utilisons des cookies, reconnaît la société dans un communiqué.</p>",
    "<p>Wir verwenden Cookies, teilte das Unternehmen mit.</p>",
    "<p>Utilizamos cookies, admitió la empresa ante el juez.</p>",
    "<p>The views expressed in this article are those of the author, the judge noted.</p>",
])
def test_story_sentences_like_an_english_news_sites_furniture_stay(said):
    after = ("The mayor said the plan would be reviewed next spring by a panel of transport "
             "experts, residents and the operators of the tram network in the old town. ")
    article = extract(page(paragraphs(4) + said + paragraphs(2, after)), URL)
    assert norm_space(re.sub("<[^>]+>", "", said)) in article.text


def test_a_live_blogs_key_events_box_goes_and_a_storys_timeline_stays():
    box = ("<section><h2>Key events</h2><ul><li><a href='#block-1'><time>13:05</time> Minister"
           " confirms funding</a></li><li><a href='#block-2'><time>11:40</time> Residents"
           " react to the plan</a></li></ul></section>")
    article = extract(page(box + paragraphs(4)), URL)
    assert article.text.count("Paragraph") == 4 and "Key events" not in article.text
    assert "Minister confirms" not in article.text and "liveblog.key-events" in article.removed
    box = box.replace("<a href='#block-2'><time>11:40</time>",
                      "<time>11:40</time><a href='#block-2'>")
    article = extract(page(box + paragraphs(4)), URL)  # a post's time beside its link
    assert "Residents react" not in article.text and "liveblog.key-events" in article.removed
    timeline = ("<h2>Key events</h2><ul><li>1998: the first barrier is built on the river.</li>"
                "<li>2015: the Boxing Day floods overwhelm it in three towns.</li></ul>")
    article = extract(page(paragraphs(3) + timeline + paragraphs(2)), URL)
    assert "Key events" in article.text and "Boxing Day floods" in article.text


@pytest.mark.parametrize("box", [
    "<section class='key-events'><h2>Key events</h2></section>",
    "<div id='liveblog-keyEvents'><h3>Key events</h3><ul></ul></div>",
    "<aside class='live_blog__key-events'><h2>Key events</h2><label><input type='checkbox'>"
    " Show key events only</label></aside>",
])
def test_a_live_blogs_empty_key_events_box_goes(box):
    """Its posts are filled in by a script: the heading alone reached the text."""
    article = extract(page(paragraphs(2) + box + paragraphs(3)), URL)
    assert article.text.count("Paragraph") == 5 and "Key events" not in article.text


@pytest.mark.parametrize("heading", [
    "<h2>Key events</h2>",  # among the story's paragraphs, no box of its own
    "<section><h2>Key events</h2></section>",  # a box of no such name
    "<div class='key-events'><h2><span>Key events</span></h2><ol><li>1989: the wall"
    " falls.</li><li>1990: Germany is reunified.</li></ol></div>",
    "<section class='key-events'><h2>Key events</h2><p>1989: the wall falls.</p></section>",
])
def test_a_storys_own_key_events_heading_stays(heading):
    article = extract(page(paragraphs(3) + heading + paragraphs(2)), URL)
    assert "Key events" in article.text and "liveblog.key-events-empty" not in article.removed


@pytest.mark.parametrize("tags", [
    "<p>Topics: <a href='/t/climate'>Climate change</a>, <a href='/t/energy'>Energy</a>,"
    " <a href='/t/oil'>Oil and gas</a></p>",
    "<div>Filed under: <a href='/t/politics'>Politics</a>, <a href='/t/arts'>Arts and"
    " culture</a></div>",
    "<p>Themen: <a href='/t/p'>Politik</a>, <a href='/t/bl'>Bund und Länder</a></p>",
])
def test_a_list_of_tag_links_goes_with_an_and_in_its_last_tag(tags):
    """Its tags are links: a tag of two words joined by an "and" ("Oil and gas") is no
    story's agenda, which `tags.cue` leaves when its last item follows an "and"."""
    article = extract(page(paragraphs(3) + tags + paragraphs(1)), URL)
    assert article.text.count("Paragraph") == 4
    assert not any(tag in article.text for tag in ("Oil and gas", "Arts and", "Länder")), (
        article.text)


@pytest.mark.parametrize("tags", ["<p>Topics: Politics, Economy and Elections</p>",
                                  "<p>Tags: flooding, Yorkshire and climate</p>",
                                  "<p>Filed under: News, Transport and Roads</p>"])
@pytest.mark.parametrize("after", ["", "<p>Share this article</p>"])
def test_a_plain_tag_list_closing_the_text_goes_with_an_and_in_it(tags, after):
    """Nothing of the story follows it (at most more chrome), as it follows an agenda."""
    article = extract(page(paragraphs(4) + tags + after), URL)
    assert article.text.split("\n\n") == [f"{PARAGRAPH}Paragraph {i} ends here." for i in
                                           range(4)], article.text
    assert "tags.closing" in article.removed


@pytest.mark.parametrize("said", [
    "<p>Topics: housing, schools and transport</p>",  # an agenda, the story going on after it
    "<p>The topics were politics, the economy and elections.</p>",
])
def test_an_agenda_under_its_label_or_a_sentence_listing_topics_stays(said):
    article = extract(page(paragraphs(3) + said + paragraphs(2)), URL)
    assert norm_space(re.sub("<[^>]+>", "", said)) in article.text, article.text


def test_a_sentence_closing_the_text_after_a_topics_label_stays():
    said = ("<p>Topics: the budget, how the council will pay for the new school and who"
            " decides</p>")
    article = extract(page(paragraphs(4) + said), URL)
    assert "who decides" in article.text, article.text


@pytest.mark.parametrize("link", ["<a href='#fn1'><sup>1</sup></a>",
                                  "<a href='#' class='more'>More</a>"])
def test_a_storys_timeline_with_a_fragment_link_of_its_own_stays(link):
    """A footnote in a timeline, or a link to "#" beside it, links within the page too; but
    the box's own words are no links, as a live blog's Key events are."""
    timeline = ("<section><h2>Key events</h2><ul><li>1914: Archduke Franz Ferdinand is shot"
                " in Sarajevo and the great powers mobilise within weeks.</li><li>1918: The"
                f" armistice is signed in a railway carriage at Compiègne.{link}</li></ul>"
                "</section>")
    article = extract(page(paragraphs(3) + timeline + paragraphs(2)), URL)
    assert "Key events" in article.text and "railway carriage" in article.text, article.text
    assert "liveblog.key-events" not in article.removed


@pytest.mark.parametrize("heading", ["<h3>We want to hear from you</h3>",
                                     "<h2>Share your experiences</h2>", ""])
def test_a_call_for_readers_experiences_goes(heading):
    callout = (f"<div>{heading}<p>Have you been affected by the floods? If so, you can share"
               " your experiences by filling in the form below. Your responses are secure and"
               " can be anonymous.</p></div>")
    article = extract(page(paragraphs(3) + callout + paragraphs(2)), URL)
    assert article.text.count("Paragraph") == 5, article.text
    assert "form below" not in article.text and "hear from you" not in article.text


@pytest.mark.parametrize("said", [
    "<p>Residents said they wanted to hear from you, the council, before the vote.</p>",
    "<p>The council said residents could report damage using the form below the notice on"
    " its website, but many found it confusing.</p>",
    "<p>\"We want to hear from you,\" the chief executive told the meeting.</p>",
])
def test_a_story_that_quotes_a_call_for_experiences_stays(said):
    article = extract(page(paragraphs(3) + said + paragraphs(2)), URL)
    assert norm_space(re.sub("<[^>]+>", "", said)) in article.text


@pytest.mark.parametrize(("said", "lang"), [
    ("Haben Sie Hinweise? Schreiben Sie uns an hinweise@polizei.de, bittet die Polizei.", "de"),
    ("¿Tiene información? Escríbanos a denuncias@policia.gob.es, pidió la policía.", "es"),
])
def test_a_police_appeal_for_tips_by_email_with_its_attribution_stays(said, lang):
    """The tip line's cue took the police's appeal the story reports, said after a comma."""
    article = extract(page(paragraphs(4) + f"<p>{said}</p>" + paragraphs(2), lang=lang), URL)
    assert said in article.text


@pytest.mark.parametrize("line", [
    "Haben Sie Fragen? Schreiben Sie uns an leser@zeitung.de",
    "Vous avez une info ? Écrivez-nous à redaction@journal.fr.",
])
def test_a_tip_line_outside_english_goes(line):
    article = extract(page(paragraphs(4) + f"<p>{line}</p>" + paragraphs(2)), URL)
    assert line not in article.text and article.text.count("Paragraph") == 6


@pytest.mark.parametrize("ask", [
    "Поддержите нашу работу, оформив регулярное пожертвование.",
    "Поддержите наше издание, подпишитесь на рассылку.",
    "Поддержите наших журналистов, сделайте пожертвование.",
])
def test_an_ask_to_support_our_work_goes_with_a_comma_in_it(ask):
    """"Поддержите нашу работу, ..." speaks of our work: the comma that keeps "Поддержите
    наших врачей, — призвали ..." in the story let it through."""
    article = extract(page(paragraphs(4) + f"<p>{ask}</p>" + paragraphs(2), lang="ru"), URL)
    assert ask not in article.text and article.text.count("Paragraph") == 6


@pytest.mark.parametrize(("heading", "later"), [
    ("<h2>A message from the mayor:</h2>", ""),
    ("<h2>A message from the mayor:</h2>", "<ul><li>Daily</li><li>Monthly</li><li>Once</li></ul>"),
    ("<h2>A message from the mayor:</h2>", "<h2>A message from the principal:</h2>"),
    # an inline element in the heading (its text read with a space before the colon)
    ("<p>A message from <b>the mayor</b>:</p>", ""),
    ("<p>A message from <a href='/mayor'>the mayor</a>:</p>", ""),
    # a donation box elsewhere on the page, not in the heading's container
    ("<h2>A message from the mayor:</h2>", "</article><aside class='donation-box'><p>Support"
     " local news. Give today.</p></aside><article>"),
])
def test_a_closing_appeals_heading_over_the_story_goes_on_cuts_nothing(heading, later):
    """"A message from the mayor:" over the mayor's words: the heading (a donation cue) may
    go, the story after it stays: the page has no donation box to say it opened an appeal
    (a poll's "Monthly", a second heading, did cut it)."""
    said = ("The mayor said the plan would be reviewed next spring by a panel of transport "
            "experts, residents and the operators of the tram network in the old town. ")
    story = paragraphs(4) + heading + paragraphs(3, said) + later
    article = extract(page(story), URL)
    assert article.text.count("Paragraph") == 7


def test_a_catalogue_cue_is_applied_to_the_tree_as_true_false_or_boxed():
    from extractors.chrome import _checked, _compile

    cue = {"id": "x.cue", "kind": "cue", "max_words": 5, "cues": ["^x$"]}
    assert _compile(_checked(cue | {"dom": "boxed"}, 0)).dom == "boxed"
    with pytest.raises(ValueError, match=r"pattern\[0\] 'x\.cue': dom: expected true, false"
                                         r" or .boxed.$"):
        _checked(cue | {"dom": "yes"}, 0)


def test_a_passage_the_page_serves_twice_is_read_once():
    story = paragraphs(4)
    article = extract(page(f'{story}<div class="print-edition">{story}</div>'), URL)
    assert article.text.count("Paragraph 2 ends here.") == 1
    assert article.text.count("Paragraph 3 ends here.") == 1
    assert "repeated-passage" in article.removed


@pytest.mark.parametrize(("byline", "head", "authors"), [
    ("<p class='story-by'>By Ellen Park<br>Cascade Post staff reporter</p>", "", ["Ellen Park"]),
    ("<div>By Sam Oduya &middot; November 25, 2026</div>", "", ["Sam Oduya"]),
    ("<div class='meta'>By Jordan Ellis, Priya Nair and Tom Walsh | Lakeview Gazette</div>",
     "", ["Jordan Ellis", "Priya Nair", "Tom Walsh"]),
    ("<div class='post-info'>By Alicia Gomez and Ben Tracy, Front Range Voice<br>"
     "November 27, 2026</div>", "<meta property='og:site_name' content='Front Range Voice'>",
     ["Alicia Gomez", "Ben Tracy"]),
    ("<p>Story by Dana Whitfield</p>", "", ["Dana Whitfield"]),
    # removed as a stamp by the catalogue, and read for its name all the same
    ("<div>Written by<br>Dana Whitfield</div>", "", ["Dana Whitfield"]),
    ("<p>Posted by Dana Whitfield</p>", "", ["Dana Whitfield"]),
    ("<div>By: <a href='/a/fg'>Dana Whitfield</a> on 04-ago-2021 5:11:10</div>", "",
     ["Dana Whitfield"]),
    ("<div class='storyByline'>By David Shepardson<br><span class='source'>Reuters</span>"
     "</div>", "", ["David Shepardson"]),
    ("", "<meta name='author' content='Carlos Medina, Jolie McCullough'>",
     ["Carlos Medina", "Jolie McCullough"]),
    ("", "<meta name='author' content='Doe, Jane'>", ["Doe, Jane"]),  # one person
    ("<p>By Jane Doe, Senior Staff Writer</p>", "", ["Jane Doe"]),
    ("<p>By Mary Ann Smith, Staff Writer</p>", "", ["Mary Ann Smith"]),
    ("<p>By Jane Doe, Associated Press</p>", "", ["Jane Doe"]),
    ("<p>By Maria Garcia and John Roe, Associated Press</p>", "", ["Maria Garcia", "John Roe"]),
    # a place is no second author, nor part of the name
    ("", "<meta name='author' content='Maria Garcia, Mexico City'>", ["Maria Garcia"]),
    # a comma, then the date
    ("<p>By: Ziyi Xu, Dec 17, 2025</p>", "", ["Ziyi Xu"]),
    ("<p>By Jane Doe, Tuesday, May 5, 2025</p>", "", ["Jane Doe"]),
    ("<p>By Jane Doe, 17 December 2025</p>", "", ["Jane Doe"]),
    ("<p>By Jane Doe and Ben Tracy, 2025-12-17</p>", "", ["Jane Doe", "Ben Tracy"]),
    # a full date run in, as a byline's elements read once joined; no year, no date
    ("<p>By Jane Doe December 2, 2025</p>", "", ["Jane Doe"]),
    ("<p><span>By Jane Doe</span> <span>2 December 2025</span></p>", "", ["Jane Doe"]),
    ("<p>By Jane Doe \u25cf Dec. 2, 2025</p>", "", ["Jane Doe"]),
    # a label alone, the name in the next element
    ("<p>Written by</p><p>Dana Whitfield</p>", "", ["Dana Whitfield"]),
    # a lower-case "by" by the headline, before the story (or in the head above it)
    ("<p>by Dana Whitfield</p>", "", ["Dana Whitfield"]),
    ("<div><span>May 3, 2024</span> <span>by Dana Whitfield</span></div>", "",
     ["Dana Whitfield"]),
])
def test_a_byline_is_read_to_its_line_break_or_separator(byline, head, authors):
    """Its names, without the date, the outlet or the role that follow them: the names ran
    into what a `<br>` separates ("David ShepardsonReuters"), a date or a third name made
    the byline unreadable, and a comma between two full names joined them."""
    article = extract(page(byline + paragraphs(4), head=head), URL)
    assert article.authors == authors
    assert all(name not in article.text for name in authors)


STORY_LINES = [
    "The city council voted on Tuesday to expand the bus network to three new districts, a"
    " plan that residents and officials have debated for nearly two years.",
    "Supporters said the new routes would cut commuting times for thousands of workers who"
    " now rely on cars, while critics questioned what the expansion would cost the city.",
    "The first of the new routes is expected to open in the spring, the transport department"
    " said, with the others following by the end of next year if funding allows.",
    "Council member Ana Ruiz, who proposed the plan, thanked the residents who had come to"
    " the public hearings over the past months.",
]


@pytest.mark.parametrize("tag", ["font", "i"])
def test_a_byline_in_an_old_pages_font_or_italics_is_read_and_left_out_of_the_text(tag):
    """A page laid out in a table, as older sites are, its byline set in `<font>` (or
    `<i>`) and its paragraphs apart by `<br>`s: the byline was no author and opened the
    text ("By Tom Baker, March 3, 2025" above the story)."""
    html = (f"<html><head><title>Council expands bus network</title></head><body><table>"
            "<tr><td colspan='2'><a href='/'>Home</a> | <a href='/news'>News</a></td></tr>"
            "<tr><td valign='top'><a href='/a'>Sports</a><br><a href='/b'>Weather</a></td>"
            "<td valign='top'><h1>Council expands bus network</h1>"
            f"<{tag}>By Tom Baker, March 3, 2025</{tag}><br><br>"
            + "<br><br>".join(STORY_LINES) + "</td></tr></table></body></html>")
    article = extract(html, "https://www.courier.example/news/2025/03/03/bus-network.html")
    assert article.authors == ["Tom Baker"]
    assert article.text == "\n\n".join(STORY_LINES)


LAYOUT_DATA = ("<table><tr><th>District</th><th>Routes</th></tr>"
               "<tr><td>North</td><td>4</td></tr></table>")


@pytest.mark.parametrize("cell", ["<p><font face='Arial' size='2'>{}</font></p>", "<p>{}</p>"])
@pytest.mark.parametrize("data", ["", LAYOUT_DATA])
def test_a_story_in_a_layout_tables_cell_keeps_its_paragraphs(cell, data):
    """An older page's columns are a table, the story in one cell with its headline and
    byline in <font>s: trafilatura read the cell as one line of a table, the headline,
    byline and paragraphs run together. A table holding two paragraphs of a sentence or
    more is read as the <div>s it lays out; a table of data inside it stays a table."""
    html = ("<html><head><title>Council expands bus network</title></head><body><center>"
            "<table width='600'><tr><td><font size='4'><b>Council expands bus network</b>"
            "</font><br><font size='2'>By Tom Baker<br>March 3, 2025</font>"
            + "".join(cell.format(line) for line in STORY_LINES[:2]) + data
            + "".join(cell.format(line) for line in STORY_LINES[2:])
            + "</td></tr></table></center></body></html>")
    article = extract(html, "https://www.courier.example/news/2025/03/03/bus-network.html")
    assert article.authors == ["Tom Baker"]
    table = ["District\tRoutes", "North\t4"] if data else []
    assert article.text.split("\n\n") == [*STORY_LINES[:2], *table, *STORY_LINES[2:]]


def test_a_story_with_a_section_per_paragraph_keeps_its_paragraphs():
    """A `<section>` holding a paragraph's text is read as a `<div>` of text is: trafilatura
    ran the sections' texts together into one block, without a space between sentences
    ("...next year.Supporters said...")."""
    html = ("<html><head><title>Council expands bus network</title></head><body><article>"
            "<h1>Council expands bus network</h1>"
            + "".join(f"<section class='para'>{line}</section>" for line in STORY_LINES)
            + "</article></body></html>")
    article = extract(html, "https://www.courier.example/news/2025/03/03/bus-network.html")
    assert article.text.split("\n\n") == STORY_LINES


@pytest.mark.parametrize("html", [
    # a filter in a sidebar, after the story or before its headline
    page(paragraphs(4)).replace("</main>", "</main><div><p>by Price Range</p></div>"),
    page(paragraphs(4)).replace("<main>", "<div><p>by Price Range</p></div><main>"),
    # a credit, a control, a word before it on its line
    page("<figure><img src='a.jpg'><figcaption>by Dana Whitfield</figcaption></figure>"
         + paragraphs(4)),
    page("<p><span>Photo</span> <span>by Dana Whitfield</span></p>" + paragraphs(4)),
    page("<form><label>by Price Range</label></form>" + paragraphs(4)),
    page("<p>Powered <i>by Word Press</i></p>" + paragraphs(4)),
])
def test_a_lower_case_by_elsewhere_is_no_byline(html):
    assert extract(html, URL).authors == []


@pytest.mark.parametrize(("byline", "authors"), [
    ("<p>By Mary Ann Smith Staff Writer</p>", ["Mary Ann Smith"]),
    # a desk or beat opens the role run into the name
    ("<p>By Jordana Cepelewicz Math Editor</p>", ["Jordana Cepelewicz"]),
    ("<p>By <span>Jane Doe</span> <span>Politics Editor</span></p>", ["Jane Doe"]),
    ("<p>By Mary Ann Smith Science Writer</p>", ["Mary Ann Smith"]),
])
def test_a_role_run_into_a_name_is_left_out(byline, authors):
    assert extract(page(byline + paragraphs(4)), URL).authors == authors
    assert byline_names("By Mary Ann Smith, Editor") == ["Mary Ann Smith, Editor"]


@pytest.mark.parametrize(("byline", "authors"), [
    ("Jane Smith North of England correspondent", ["Jane Smith"]),
    ("Tom Roe Home affairs editor", ["Tom Roe"]),
    # a name's own lower-case particles stay, and so does a third capitalised word
    ("Jan de Vries correspondent", ["Jan de Vries"]),
    ("Ursula von der Leyen reporter", ["Ursula von der Leyen"]),
    ("Mary Ann Smith correspondent", ["Mary Ann Smith"]),
    # a region or a place opened by a point of the compass leads the role
    ("Jane Smith North America editor", ["Jane Smith"]),
    ("Jane Q. Smith Middle East correspondent", ["Jane Q. Smith"]),
    ("Maria de la Cruz Europe editor", ["Maria de la Cruz"]),
    ("Jane Smith South Korea correspondent", ["Jane Smith"]),
    ("Jane Smith Northern Ireland reporter", ["Jane Smith"]),
    # ... but a point of the compass is a surname too, before a role or alone
    ("Mary Ann West correspondent", ["Mary Ann West"]),
    ("Mary Ann West Senior reporter", ["Mary Ann West"]),
    ("Mary Ann West Politics reporter", ["Mary Ann West"]),
])
def test_a_role_in_sentence_case_run_into_a_name_is_left_out(byline, authors):
    """A BBC-style byline element, the role after the name without a comma: "Jane Smith
    North of England correspondent" gave "Jane Smith North of England"."""
    found = extract(page(f'<div class="author">{byline}</div>' + paragraphs(4)), URL)
    assert found.authors == authors


@pytest.mark.parametrize(("byline", "lang", "authors"), [
    # a role in sentence case after the name, no comma between
    ("<p>By Jane Smith Senior reporter</p>", "en", ["Jane Smith"]),
    ("<p>By Jane Smith North America editor</p>", "en", ["Jane Smith"]),
    ("<p>By Jane Smith Staff writer</p>", "en", ["Jane Smith"]),
    # the place filed from, after a label that sets one after the name
    ("<p>Por María López en Nueva York</p>", "es", ["María López"]),
    ("<p>Par Jean Dupont à Paris</p>", "fr", ["Jean Dupont"]),
    ("<p>Por João Silva em São Paulo</p>", "pt", ["João Silva"]),
    ("<p>Von Hans Müller aus Frankfurt am Main</p>", "de", ["Hans Müller"]),
    # the photographer is credited for the pictures, not the story
    ("<p>Words by Jane Smith, photos by John Doe</p>", "en", ["Jane Smith"]),
    ("<p>By Jane Smith. Reviewed by John Doe, MD</p>", "en", ["Jane Smith"]),
    # ... but not the full stop of an abbreviation ending the name
    ("<p>By Jane Smith Jr. Reviewed by John Doe</p>", "en", ["Jane Smith Jr."]),
    # a byline in capitals joins its names with a capital "AND"
    ("<p>By JANE SMITH AND JOHN DOE</p>", "en", ["JANE SMITH", "JOHN DOE"]),
    # names that only look so stay whole
    ("<p>By Andrea Smith and Andrew Doe</p>", "en", ["Andrea Smith", "Andrew Doe"]),
    ("<p>By Lula da Silva</p>", "pt", ["Lula da Silva"]),
    ("<p>By Jane Editor</p>", "en", ["Jane Editor"]),
])
def test_a_text_bylines_role_place_and_credit_are_no_part_of_its_names(byline, lang, authors):
    """A "By" line with no markup naming it: a role in sentence case ("By Jane Smith Senior
    reporter"), a place ("Por María López en Nueva York") or a photographer's credit after
    the name made the line no byline at all, and "By JANE SMITH AND JOHN DOE" one name."""
    assert extract(page(byline + paragraphs(4), lang=lang), URL).authors == authors


@pytest.mark.parametrize(("byline", "lang", "authors"), [
    ("By Jane Smith in Washington", "en", ["Jane Smith"]),
    ("By Jane Smith in Washington and John Doe in London", "en", ["Jane Smith", "John Doe"]),
    ("By Jane Smith and Ana Ruiz in Madrid", "en", ["Jane Smith", "Ana Ruiz"]),
    ("Par Jean Dupont à Paris", "fr", ["Jean Dupont"]),
    ("Por João Silva em Rio de Janeiro", "pt", ["João Silva"]),
    ("Jane Smith in New York", "en", ["Jane Smith"]),
    # no label, but a page in a language whose "en" is "in"
    ("María López en Nueva York", "es", ["María López"]),
    ("Jean Dupont en Normandie", "fr", ["Jean Dupont"]),
    # in Dutch "en" is "and": a first name after it stays with the name before
    ("Door Jan Jansen en Piet", "nl", ["Jan Jansen en Piet"]),
    ("Door Jan de Vries in Amsterdam", "nl", ["Jan de Vries"]),
    # a capitalised "In" is no preposition's
    ("By Jane Smith In Focus", "en", ["Jane Smith In Focus"]),
])
def test_the_place_a_writer_files_from_is_no_part_of_the_name(byline, lang, authors):
    """"Por María López en Nueva York", "By Jane Smith in Washington": the place stayed in
    the name (or, after "and", in the second name)."""
    found = extract(page(f'<p class="byline">{byline}</p>' + paragraphs(4), lang=lang), URL)
    assert found.authors == authors


@pytest.mark.parametrize(("byline", "authors"), [
    ('<div class="byline"><span class="name">Jane Smith</span>'
     '<span class="role">North America editor</span></div>', ["Jane Smith"]),
    ('<p>By <a href="/people/jane-smith">Jane Smith</a><span>Senior reporter</span></p>',
     ["Jane Smith"]),
    # names apart by a comma stay as they were
    ('<div class="byline"><a href="/a">Jane Smith</a>, <a href="/b">John Doe</a></div>',
     ["Jane Smith", "John Doe"]),
])
def test_a_bylines_name_and_role_in_elements_side_by_side_are_apart(byline, authors):
    """The name and the role in two inline elements with no space between them ran
    together: "Jane SmithNorth America editor" gave "Jane SmithNorth"."""
    assert extract(page(byline + paragraphs(4)), URL).authors == authors


@pytest.mark.parametrize(("byline", "authors"), [
    ('<div class="byline">By <a href="/a">Jane Mc<span>Donald</span></a></div>',
     ["Jane McDonald"]),
    ('<div class="byline">By <span>Mc</span><span>Donald</span></div>', ["McDonald"]),
    ('<div class="byline">By <a href="/a">Jane M<sup>c</sup>Donald</a></div>',
     ["Jane McDonald"]),
    ('<div class="byline">By <a href="/a">Jane Mac<b>Kenzie</b></a></div>',
     ["Jane MacKenzie"]),
    # the prefix as a name's last word, a role after it, is still apart from the role
    ('<div class="byline"><span>Jane McDonald</span><span>Senior reporter</span></div>',
     ["Jane McDonald"]),
])
def test_a_surnames_prefix_in_an_element_of_its_own_stays_one_word_with_the_rest(
        byline, authors):
    """"Mc<span>Donald</span>" shows as "McDonald": the space set between a lower-case
    letter and a capital in two elements (a name and its role) made it "Mc Donald"."""
    assert extract(page(byline + paragraphs(4)), URL).authors == authors


@pytest.mark.parametrize(("value", "authors"), [
    ("JANE SMITH AND JOHN DOE", ["JANE SMITH", "JOHN DOE"]),
    ("Jane Smith AND John Doe", ["Jane Smith", "John Doe"]),
    ("JANE SMITH, JOHN DOE AND MARY ROE", ["JANE SMITH", "JOHN DOE", "MARY ROE"]),
    # a firm's name holds a capital "AND" between single words
    ("Johnson AND Johnson", ["Johnson AND Johnson"]),
    ("Marks AND Spencer", ["Marks AND Spencer"]),
    ("PROCTER AND GAMBLE", ["PROCTER AND GAMBLE"]),
])
def test_a_capital_and_joins_two_names_only_between_full_names(value, authors):
    """A capital "AND" was read as joining two names wherever it stood: a firm named as
    the author ("Johnson AND Johnson") gave "Johnson" alone, "Marks AND Spencer" two."""
    assert split_authors(value) == authors


def test_a_role_named_by_its_beat_alone_is_no_name():
    """A byline that lists the author's role beside the name ("Paul Frew, Home and Digital
    Security Expert"): the role was kept as a second author."""
    assert clean_authors(["Paul Frew", "Home", "Digital Security Expert", "Sports Writer",
                          "Digital-Security Expert"]) == ["Paul Frew"]
    assert clean_authors(["Mary Security", "Jane Head"]) == ["Mary Security", "Jane Head"]


SHORT = "The council met and voted on the plan for the harbour today. "
RELATED = ("<div class='related'><h3>More stories</h3><div><h4>Mayor resigns</h4>"
           "<p>By John Smith</p></div></div>")


def test_json_ld_author_references_are_looked_up_not_searched_for():
    """An article's `{"@id": ...}` authors are found among the page's JSON-LD objects by
    their id: read once, not once per reference (50,000 objects and 10,000 references took
    3 s), with the same answers as the search."""
    from extractors.metadata import _ld_authors

    class Reads(list):
        times = 0

        def __iter__(self):
            Reads.times += 1
            return super().__iter__()

    people = [{"@type": "Person", "@id": f"#p{i}", "name": f"Person {i}"} for i in range(500)]
    article = {"@type": "NewsArticle", "author": [{"@id": f"#p{i}"} for i in range(499, -1, -1)]
               + [{"@id": "#none"}, {"@id": ["#p1"]}, "Jane Doe"]}
    ld = Reads([*people, {"@id": "#p3", "name": "A second #p3"}, article])
    assert _ld_authors(article, ld) == [f"Person {i}" for i in range(499, -1, -1)] + ["Jane Doe"]
    assert Reads.times <= 3


def test_a_page_of_hundreds_of_authors_compares_a_bounded_number_of_names(monkeypatch):
    """Each name is compared with every other (`_holds`): a JSON-LD list of 800 authors
    (a 27 KB page) took 50 s to extract, past the crawl's time limit. The first
    MAX_AUTHORS distinct names are kept and compared."""
    from extractors import authors

    calls = []
    holds = authors._holds
    monkeypatch.setattr(authors, "_holds", lambda *names: calls.append(1) or holds(*names))
    names = [f"Person {i}" for i in range(800)]
    assert clean_authors([*names, "person 0"]) == names[:authors.MAX_AUTHORS]
    assert len(calls) <= authors.MAX_AUTHORS ** 2
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle",
                     "headline": "Ferry", "author": [{"@type": "Person", "name": name}
                                                     for name in names]})
    story = "".join(f"<p>The council voted to extend the ferry service, paragraph {i}.</p>"
                    for i in range(20))
    calls.clear()
    article = extract(f'<html><head><script type="application/ld+json">{ld}</script></head>'
                      f"<body><article><h1>Ferry</h1>{story}</article></body></html>",
                      "https://news.example.com/2024/05/01/ferry")
    assert article.authors == names[:authors.MAX_AUTHORS]
    assert len(calls) <= 10 * authors.MAX_AUTHORS ** 2


@pytest.mark.parametrize(("html", "authors"), [
    # the story's head ends at its second sentence-long paragraph, not at the page's end
    (page(paragraphs(4, SHORT)).replace("</main>", "</main><div><p>by Price Range</p></div>"),
     []),
    (page(paragraphs(6, SHORT)).replace(
        "</main>", "</main><div class='more'><h3>Mayor resigns</h3><span>by Ann Lee</span></div>"),
     []),
    (page("<p>by Dana Whitfield</p>" + paragraphs(4, SHORT)), ["Dana Whitfield"]),
    # a related story's byline is not this one's, read from the page or not
    (page("<div class='meta'><span class='writer'>Jane Doe</span></div>" + paragraphs(4))
     .replace("</article>", f"</article>{RELATED}"), ["Jane Doe"]),
    (page(paragraphs(4)).replace("</article>", f"</article>{RELATED}"), []),
    # a label alone before a control, or after a word on its line
    (page("<div class='sort'><span>Sort</span> <span>By</span><select><option>Newest First"
          "</option><option>Top Rated</option></select></div>" + paragraphs(4)), []),
    (page(paragraphs(4) + "<div><strong>Filter</strong><strong>By</strong><div><button>"
          "Topic Area</button></div></div>"), []),
    (page("<div><span>Photo</span><span>By</span><span>Jane Doe</span></div>"
          + paragraphs(4)), []),
    # a picture's credit outside a <figure>
    (page("<div class='hero'><img src='a.jpg'><span class='caption'>Council members vote on"
          " Tuesday.</span><span class='credit'>by Jane Doe</span></div>" + paragraphs(4)), []),
    # ...or just after a picture in its box
    (page("<div class='article-image'><img src='a.jpg'><p>by John Smith/Reuters</p></div>"
          + paragraphs(4)), []),
    (page("<div class='photo'><img src='a.jpg'><span>by John Smith</span></div>"
          + paragraphs(4)), []),
    # ...but not a theme's body class or a layout's box named for media
    (page("<p>by Jane Doe</p>" + paragraphs(4)).replace("<body>",
                                                        "<body class='has-featured-image'>"),
     ["Jane Doe"]),
    (page("<div class='media-body'><p>by Jane Doe</p></div>" + paragraphs(4)), ["Jane Doe"]),
    # a label after a label word
    (page("<p>Written <span>By</span> <span>Jane Doe</span></p>" + paragraphs(4)),
     ["Jane Doe"]),
    # a standfirst and a picture's caption come before the byline, not the story
    (page("<p>The council voted on Tuesday to approve the harbour plan at last.</p><figure>"
          "<img src='a.jpg'><figcaption><p>The harbour at dawn, seen from the old pier on "
          "Monday.</p></figcaption></figure><div class='share-bar'><p>By Dana Whitfield</p>"
          "<a href='/share'>Share</a><a href='/tweet'>Tweet</a></div>" + paragraphs(4)),
     ["Dana Whitfield"]),
])
def test_bylines_are_read_in_the_storys_head_and_not_of_controls(html, authors):
    assert extract(html, URL).authors == authors


@pytest.mark.parametrize("head", [
    "<meta property='article:author' content='https://www.facebook.com/janedoe'>",
    '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Council '
    'approves budget", "author": {"@type": "Person", "name": "https://example.com/u/jd"}}'
    "</script>",
])
def test_a_link_in_an_author_tag_gives_way_to_the_byline(head):
    """Read before classification (the classifier weighs a named author), not only by the
    later fallbacks for articles."""
    byline = "<div class='byline'><a rel='author' href='/staff/dw'>Dana Whitfield</a></div>"
    html = page(byline + paragraphs(4), head=head)
    assert analyse(html, URL).meta.authors == ["Dana Whitfield"]
    assert extract(html, URL).authors == ["Dana Whitfield"]


@pytest.mark.parametrize("head", [
    '<meta name="author" content="新华网">',
    '<meta name="author" content="Reuters Staff">',
    '<meta name="author" content="Lakeview Gazette">',
    # the site's name, but for its article
    '<meta name="author" content="Kyiv Rapid"><meta property="og:site_name" content="The Kyiv'
    ' Rapid">',
])
@pytest.mark.parametrize("byline", [
    "<p>By Dana Whitfield</p>",
    "<div class='byline'><a rel='author' href='/staff/dw'>Dana Whitfield</a></div>",
])
def test_an_outlet_in_the_author_tag_gives_way_to_the_person_a_byline_names(head, byline):
    """An outlet's name in `<meta name=author>` ("新华网", "Reuters Staff") that is not the
    site's own name as the page spells it beat the person the visible byline names."""
    assert extract(page(byline + paragraphs(4), head=head), URL).authors == ["Dana Whitfield"]


@pytest.mark.parametrize(("head", "byline", "authors"), [
    ('<meta name="author" content="Reuters Staff">', "", ["Reuters Staff"]),  # no byline
    ('<meta name="author" content="新华网">', "", ["新华网"]),
    ('<meta name="author" content="Mark Sun">', "<p>By Dana Whitfield</p>", ["Mark Sun"]),
])
def test_an_outlet_in_the_author_tag_stays_with_no_byline_and_a_person_in_it_stays(
        head, byline, authors):
    assert extract(page(byline + paragraphs(4), head=head), URL).authors == authors


def test_a_byline_the_chrome_removal_took_with_its_block_is_read_from_the_page():
    """A stamp block of dates and share buttons goes as chrome, and its byline with it."""
    block = ("<div class='share-bar'><p>By Dana Whitfield</p><a href='/share'>Share</a>"
             "<a href='/tweet'>Tweet</a><a href='/mail'>Email</a></div>")
    assert extract(page(block + paragraphs(4)), URL).authors == ["Dana Whitfield"]
    # with no <article> or <main>, up to the <body>, whose class may name the theme's menu
    bare = (page(block + paragraphs(4)).replace("<body>", "<body class='has-main-navigation'>")
            .replace("<main><article>", "").replace("</article></main>", ""))
    assert extract(bare, URL).authors == ["Dana Whitfield"]


def test_a_possessive_phrase_is_no_name():
    assert clean_authors(["Southern Living's editorial guidelines"]) == []


def test_bylines_of_three_teasers_still_name_nobody():
    teasers = "".join(f"<div><h3>Story {i}</h3><p>By {name}</p></div>" for i, name in
                      enumerate(["Ann Lee", "Bo Chan", "Cy Young"]))
    assert extract(page(paragraphs(4) + teasers), URL).authors == []


def test_a_print_copy_takes_its_headline_and_byline_with_it():
    story = paragraphs(4)
    head = '<meta name="author" content="Jane Doe">'
    copy = ('<div class="print-edition"><h2>Council approves budget</h2><p>By Jane Doe</p>'
            f"{story}</div>")
    article = extract(page(f"<p>By Jane Doe</p>{story}{copy}", head), URL)
    assert article.text.count("Paragraph 2 ends here.") == 1
    assert article.text.endswith("Paragraph 3 ends here.")


def test_a_json_ld_body_reports_what_was_dropped_from_it_not_from_the_teaser():
    full = "\n".join(f"{PARAGRAPH}Paragraph {i} ends here." for i in range(8))
    schema = {"@type": "NewsArticle", "articleBody": full}
    head = f'<script type="application/ld+json">{json.dumps(schema)}</script>'
    teaser = paragraphs(3)  # served twice: the copy is dropped from the visible body
    article = extract(page(teaser + f"<div>{teaser}</div>", head), URL)
    assert article.text_source == "jsonld" and article.text.count("ends here") == 8
    assert "repeated-passage" not in article.removed


@pytest.mark.parametrize("blocks", [
    ["A quote worth repeating.", PARAGRAPH + "1", "A quote worth repeating.", PARAGRAPH + "2"],
    [PARAGRAPH + "1", PARAGRAPH + "2", PARAGRAPH + "3", PARAGRAPH + "1", PARAGRAPH + "2"],
    ["Row, row, row your boat.", "Gently down the stream.", "Merrily, merrily.",
     "Row, row, row your boat.", "Gently down the stream.", "Merrily, merrily."],
], ids=["pull-quote", "two-blocks", "short-refrain"])
def test_a_pull_quote_or_a_refrain_is_no_repeated_passage(blocks):
    assert drop_repeats(blocks) == (blocks, False)


def test_a_repeated_passage_goes_and_what_follows_it_stays():
    story = [PARAGRAPH + str(i) for i in range(3)]
    assert drop_repeats([*story, *story, "A closing line."]) == ([*story, "A closing line."], True)


def test_read_more_heading_early_in_text_does_not_cut_the_body():
    blocks = [PARAGRAPH, "Read more", PARAGRAPH, PARAGRAPH, PARAGRAPH]
    kept, _ = strip_blocks(blocks)
    assert kept == [PARAGRAPH] * 4


def test_catalogue_ids_are_unique_and_cover_six_languages():
    ids = [p.id for p in catalogue()]
    assert len(ids) == len(set(ids))
    cues = " ".join(p.regex.pattern for p in catalogue() if p.kind == "cue")
    for word in ("newsletter", "рассылку", "abonnieren", "inscrivez", "suscríbete", "assine"):
        assert word in cues


def test_section_front_is_not_an_article():
    teasers = "".join(f'<article><h2><a href="/a/{i}">Story number {i} about the budget</a>'
                      f"</h2><p>A short teaser for story {i}.</p></article>" for i in range(12))
    html = (f'<html lang="en"><head><title>World news</title></head><body><h1>World</h1>'
            f"{teasers}</body></html>")
    article = extract(html, "https://news.example.com/world/")
    assert not article.is_article
    assert article.text == "" and article.paywall is None


def test_paywall_truncated_from_schema_and_prompt():
    schema = {"@context": "https://schema.org", "@type": "NewsArticle",
              "isAccessibleForFree": False,
              "hasPart": {"@type": "WebPageElement", "isAccessibleForFree": False,
                          "cssSelector": ".paywalled"}}
    head = f'<script type="application/ld+json">{json.dumps(schema)}</script>'
    body = paragraphs(2) + ('<div class="paywalled"><p>Subscribe to continue reading.</p>'
                            "<a href='/subscribe'>Subscribe now</a></div>")
    article = extract(page(body, head), URL)
    assert article.is_article and article.paywall == "truncated"
    assert "Subscribe" not in article.text


def test_metered_prompt_with_full_text():
    body = '<div class="x"><p>You have 3 free articles remaining this month.</p></div>'
    article = extract(page(paragraphs(5) + body), URL)
    assert article.paywall == "metered"
    assert "free articles" not in article.text


def test_jsonld_article_body_replaces_a_teaser():
    full = "\n".join(f"{PARAGRAPH}Paragraph {i} ends here." for i in range(6))
    schema = {"@type": "NewsArticle", "articleBody": full}
    head = f'<script type="application/ld+json">{json.dumps(schema)}</script>'
    article = extract(page(paragraphs(1), head), URL)
    assert article.text_source == "jsonld"
    assert article.text.count("ends here") == 6


@pytest.mark.parametrize(("cue", "text"), [
    (r"^(sign up|join) (for|to) our\b", "sign up to our"),
    (r"[(]x(y|z)", "(xz"),  # a parenthesis in a class is a character, not a group
    (r"[]a(]b(c)", "(bc"),
    (r"\(lit(x)", "(litx"),  # an escaped parenthesis too
    (r"(a|b)\1", "aa"),  # a back-reference keeps its groups
    (r"(<)?x(?(1)>)", "<x>"),  # so does a conditional group
])
def test_cues_match_the_same_without_capturing_groups(cue, text):
    converted = _uncaptured(cue)
    assert re.compile(converted).match(text) and re.compile(cue).match(text)
    for other in ("", text[1:], text + "\n", "zz" + text):  # and fail alike
        assert bool(re.compile(converted).match(other)) == bool(re.compile(cue).match(other))
    assert re.compile(converted).groups == (1 if "\\1" in cue or "(?(" in cue else 0)


@pytest.mark.parametrize(("cue", "chars"), [
    ("sign up", "s"),
    ("(sign|join) up", "sj"),
    ("((click|tap) here )?subscribe", "cts"),  # an optional group: what follows it too
    ("(?:a|)b", "ab"),  # an empty alternative
    ("[a-c]x", "abc"),
    ("\\bread more", "r"),  # zero width: a boundary, a look-ahead
    ("(?=x)y", "y"),
    ("(?!x)y", "y"),
    ("a*b+", "ab"),
    ("(?>ab)", "a"),
])
def test_first_chars_of_a_cue(cue, chars):
    assert first_chars(cue) == frozenset(chars)


@pytest.mark.parametrize("cue", [
    "\\d+ views", "\\w+ ago", "[^a]b", "[a-ӿ]", ".x", "(?i)sign up", "a*", "x|",
    "(?i:a)b",
])
def test_first_chars_are_unknown_for_classes_flags_and_empty_matches(cue):
    assert first_chars(cue) is None  # such a cue is tried on every text


def test_any_cue_matches_as_one_regex_of_every_cue_does():
    cues = [c for p in catalogue() if p.kind == "cue" for c in p.cues]
    together = [_any_of([c[1:] for c in cues if c.startswith("^")]),
                _any_of([c for c in cues if not c.startswith("^")])]
    fixtures = [*Path(__file__).parent.parent.glob("fixtures/**/*.html"),
                *Path(__file__).parent.parent.glob("crawler/demo/**/*.html")]
    assert fixtures
    texts = {"", "z", "©", "sign", "12 views", "3 min read", "read more", "subscribe now"}
    for path in fixtures:
        index = PageIndex(fromstring(path.read_bytes()))
        texts.update(text for _, text, _ in index.short_blocks)
    texts |= {text[1:] for text in texts} | {f"x {text}" for text in texts}
    matched = [text for text in texts if any_cue().matches(text)]
    assert matched == [text for text in texts
                       if together[0].match(text) or together[1].search(text)]
    assert len(matched) > 50  # the texts reach the cues
    assert any_cue().anchored is not None and len(any_cue().by_first) > 20
    assert any(test.__name__ == "match" for _, tests in any_cue().by_text for test in tests)
    # a block of n words: at least the cues of the patterns taking n words or more, and
    # fewer than all for a long block
    long = {f"{text} {' '.join(['w'] * k)}".strip() for text in matched for k in (5, 20, 40)}
    for text in sorted(texts | long):
        words = text.count(" ") + 1
        if any(p.regex.search(text) for p in catalogue()
               if p.kind == "cue" and p.max_words >= words):
            assert any_cue(words).matches(text), text
    assert len(any_cue(max_cue_words()).by_first) < len(any_cue().by_first)
    assert not any_cue(max_cue_words()).matches("sign up")  # a 6-word pattern's cue


def test_holds_any_finds_every_text_and_no_other():
    texts = ["journalism", "journalist", "journ", "lik", "like", " your inbox", "a.b", "数据"]
    found = _holds_any(texts)
    for text in texts:
        assert found.search(f"x {text} y") and found.search(text)
    for other in ["jour", "li k", "your inbox", "axb", "数", "", "jour nalism"]:
        assert found.search(other) is None


@pytest.mark.parametrize(("cue", "texts"), [
    (r"\bleave a star rating\b", ("leave a star rating",)),
    (r"\b(can|will|would) you (chip in|pitch in)\b", (" you ",)),
    (r"\b(make|give) a (tax-deductible )?(gift|donation)", ("make", "give")),
    # (an opening of a sentence or of the text is no filter: the next group is)
    (r"(^|[.!?] )(please )?(make|give) a (gift|donation)", ("make", "give")),
    (r"(^|[.!?] )(ab|cd) (x|yz)", ("ab", "cd")), (r"(^|[.!?] )(a|b)", None),
    ("(무단 ?전재|저작권자)", ("무단", "저작권자")),
    (r"\b(a|an) (b|c)", None), ("(?i)all rights reserved", None), ("a(b|cd)", None),
])
def test_the_text_a_cue_that_may_match_anywhere_needs(cue, texts):
    """A leading \\b or an alternation makes a search try the regex at every character
    (four times the time of a search for a literal first): the catalogue's eleven such
    cues cost 5 ms a page before each was searched only in a text holding what it needs."""
    from extractors.chrome import required_text
    assert required_text(cue) == texts


def test_any_cue_tries_a_text_only_on_its_first_characters_group():
    cues = AnyCue(["^sign up", "^(subscribe|join) now", "^\\d+ views", "all rights reserved"])
    assert set(cues.by_first) == {"s", "j"}
    assert cues.matches("sign up today") and cues.matches("join now")
    assert cues.matches("12 views") and cues.matches("© 2024 all rights reserved")
    assert not cues.matches("design up") and not cues.matches("views 12")


def test_a_cue_is_read_in_the_tree_as_it_is_after_earlier_removals():
    """The text of an element that lost a descendant is what is left, not what was."""
    root = fromstring("<html><body><div><p>Read more</p><span class='x'>Sign up now</span>"
                      "</div><p>Body text here.</p></body></html>")
    index = PageIndex(root)
    assert index.text(root.find(".//div")) == "read more sign up now"  # read, then changed
    index.remove(root.find(".//span"))
    texts = {element.tag: text for element, text, _ in index.short_blocks}
    assert texts["div"] == "read more"
    for element, text, _ in index.short_blocks:
        assert text == norm_space(" ".join(element.itertext())).lower()


def test_landmark_roles_and_tags_are_removed_but_not_other_roles():
    root = fromstring("<html><body><nav>Home News</nav><div role='navigation'>Menu</div>"
                      "<div role='main'><p>" + PARAGRAPH + "</p></div>"
                      "<aside>Popular</aside></body></html>")
    assert "landmark.roles" in strip_dom(root)
    assert norm_space(root.text_content()) == PARAGRAPH.strip()


@pytest.mark.parametrize(("tag", "opener"), [
    ("header", "<header class='site-header'><nav><a href='/'>Home</a></nav>"),
    ("aside", "<aside id='popup-newsletter'><div>")])
def test_a_landmark_left_open_around_the_story_does_not_take_it_away(tag, opener):
    # the landmark is never closed: the parser makes the whole story its content
    html = ('<html><head><title>Council approves budget</title><meta property="og:type" '
            f'content="article"></head><body>{opener}<article><h1>Council approves budget'
            f"</h1>{paragraphs(6)}</article></body></html>")
    assert "<article>" in tostring(fromstring(html).find(f".//{tag}"), encoding=str)
    article = extract(html, URL)
    assert article.is_article and article.text.count("ends here.") == 6


def test_a_landmark_left_open_around_a_story_of_two_long_paragraphs_does_not_take_it():
    long = PARAGRAPH * 3  # two paragraphs of about 130 words: fewer than PROSE_PARAGRAPHS
    html = ('<html><head><title>Council approves budget</title><meta property="og:type" '
            'content="article"></head><body><header><nav class="navbar"><a href="/">Home</a>'
            f"<h1>Council approves budget</h1>{paragraphs(2, long)}</body></html>")
    article = extract(html, URL)
    assert article.is_article and article.text.count("ends here.") == 2


def test_a_footer_blurb_is_no_story_even_where_the_story_is_short():
    blurb = ("<footer><p>Founded in 1888, the Daily Example is an independent newspaper "
             "owned by its readers, covering the city, the region and the world with a "
             "newsroom of forty reporters, photographers and editors based downtown.</p>"
             "</footer>")
    root = fromstring(f"<html><body><article><p>{PARAGRAPH}</p></article>{blurb}</body></html>")
    assert unwrap_swallowing_landmarks(root) == 0


def test_a_long_legal_notice_in_the_footer_of_a_page_without_paragraphs_stays_a_footer():
    notice = "This site and its contents are protected by copyright law. " * 16  # 160 words
    root = fromstring(f"<html><body><div>{PARAGRAPH}<br><br>{PARAGRAPH}</div>"
                      f"<footer><p>{notice}</p></footer></body></html>")
    assert unwrap_swallowing_landmarks(root) == 0


def test_trafilatura_reads_a_copy_without_the_landmarks_it_drops():
    root = fromstring("<html><body><nav>Menu</nav>Before <aside>Popular</aside> After"
                      "<article><p>Story</p><footer>Tags</footer></article></body></html>")
    copy = trafilatura_copy(root)
    assert norm_space(" ".join(copy.itertext())) == "Before After Story"
    assert [e.tag for e in root.iter("nav", "aside", "footer")] == ["nav", "aside", "footer"]


def test_trafilatura_reads_a_copy_without_the_head_and_media_it_drops_first():
    root = fromstring('<html lang="de"><head><title>Title</title><style>p {}</style></head>'
                      '<body class="story"><p>One <svg><text>icon</text></svg>two</p>'
                      "<video><source src=v.mp4>No video</video><p>Three</p></body></html>")
    copy = trafilatura_copy(root)
    assert (copy.tag, copy.get("lang"), copy[0].tag, copy[0].get("class")) == (
        "html", "de", "body", "story")
    assert norm_space(" ".join(copy.itertext())) == "One two Three"
    assert [e.tag for e in root.iter("title", "svg", "video")] == ["title", "svg", "video"]


@pytest.mark.parametrize(("html", "body"), [
    ("<body><p>a</p></body><p>b</p>tail<main>c</main>",
     "<body><p>a</p><p>b</p>tail<main>c</main></body>"),
    ("<body><div>a</body></div> tail <p>b</p></body>", "<body><div>a</div> tail <p>b</p></body>"),
    ('<body><div>a</body><body class="z">t<p>b</p>u</body>', "<body><div>a</div>t<p>b</p>u</body>"),
    ("<body><p>a</p></body>\n", "<body><p>a</p></body>"),
])
def test_what_a_stray_end_of_body_leaves_beside_it_is_put_back_in(html, body):
    """As a browser's parser does: libxml2 makes the rest of the page siblings of <body>."""
    root = parse_html(f"<html><head><title>T</title></head>{html}</html>")
    assert [child.tag for child in root] == ["head", "body"]
    assert tostring(root.find("body"), encoding="unicode", with_tail=False) == body


@pytest.mark.parametrize("stray", ["</body>", "</body><body>"])
def test_the_classifier_measures_the_whole_page_after_a_stray_end_of_body(stray):
    menu = "".join(f'<li><a href="/s{i}">Section number {i}</a></li>' for i in range(20))
    page = ("<html><head><title>T</title></head><body><nav><ul>{menu}</ul>{stray}</nav>"
            f"<main><article>{paragraphs(6)}</article></main></body></html>")
    found = [features(parse_html(page.format(menu=menu, stray=s)), URL, [], Metadata(),
                      [PARAGRAPH] * 6) for s in ("", stray)]
    assert found[1]["link_density"] == found[0]["link_density"] < 0.5


@pytest.mark.parametrize("stray", ["</body>", "</body><body>"])
def test_a_story_after_a_stray_end_of_body_is_read(stray):
    """A stray `</body>` (in an ad's markup) leaves the rest of the page beside the first
    <body>, or in a second one: trafilatura's copy keeps all but the <head>."""
    html = ("<html><head><title>Council approves budget</title></head><body><header>"
            f'<a href="/">City News</a><div class="ad">{stray}</div></header>'
            f"<main><article><h1>Council approves budget</h1>{paragraphs(6)}</article></main>"
            "</body></html>")
    article = extract(html, URL)
    assert article.is_article
    assert article.text.count("ends here.") == 6


def test_a_page_laid_out_in_a_table_is_read_paragraph_by_paragraph():
    html = ('<html><head><title>Council approves budget</title></head><body><table>'
            '<tr><td colspan="2">City Hall <form action="/search/"><input name="q"></form></td>'
            '</tr><tr><td><a href="/about/">About</a><br><a href="/news/">News</a></td><td>'
            f"<h1>Council approves budget</h1>{paragraphs(4)}</td></tr></table></body></html>")
    article = extract(html, URL)
    assert article.is_article
    assert [b[-22:] for b in article.text.split("\n\n")] == [
        f"Paragraph {i} ends here." for i in range(4)]


def test_a_data_table_stays_a_table_for_trafilatura():
    root = fromstring("<html><body><h1>Results</h1><table><tr><th>Ward</th><th>Votes</th></tr>"
                      "<tr><td>North</td><td>1,204</td></tr></table></body></html>")
    assert [e.tag for e in trafilatura_copy(root).iter("table", "tr", "td")] == [
        "table", "tr", "tr", "td", "td"]


def test_a_sidebar_with_some_prose_is_still_a_sidebar():
    sidebar = f"<aside><h2>From the archive</h2>{paragraphs(3, PARAGRAPH.upper())}</aside>"
    root = fromstring(f"<html><body><article>{paragraphs(5)}</article>{sidebar}</body></html>")
    assert unwrap_swallowing_landmarks(root) == 0
    assert root.find(".//aside") is not None
    article = extract(page(paragraphs(5)).replace("</main>", f"</main>{sidebar}"), URL)
    assert article.is_article and article.text.count("ends here.") == 5
    assert PARAGRAPH.upper().strip()[:40] not in article.text


def test_a_page_nested_deeper_than_libxml2s_default_limit_is_read_whole():
    # 400 <div>s never closed: libxml2 stops at a depth of 256 unless told otherwise
    body = "".join(f"<div class='para'>Paragraph {i} of the council story, with enough words"
                   " to count as prose." for i in range(400))
    article = extract(page(body), URL)
    assert article.text.count("Paragraph ") == 400


@pytest.mark.parametrize("depth", [1_500, 2_000])
def test_a_page_nested_deeper_than_pythons_call_stack_is_read(depth):
    """libxml2 keeps (`huge_tree`) more levels than Python's default recursion limit: no
    walk of ours may recurse per level (the blocks, and the text inside one)."""
    body = "".join(f"<div class='para'>Paragraph {i} of the council story, with enough words"
                   " to count as prose." for i in range(depth))
    article = extract(page(body), URL)
    assert article.is_article and article.text.count("Paragraph ") >= 1_000
    inline = "<p>Start " + "<font>x " * depth + "end</p>"
    assert "Start x x" in extract(page(paragraphs(3) + inline), URL).text


@pytest.mark.parametrize("html", [b"", b"\x00\x00\x00", "<html></html>", b"<p>Hi</p>"])
def test_empty_and_broken_pages_are_not_articles(html):
    article = extract(html, URL)
    assert not article.is_article and article.text == ""


def test_extractors_import_neither_scrapy_nor_storage():
    code = ("import sys, extractors, extractors.fixtures; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('scrapy', 'sqlite_utils', 'crawler')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_the_date_search_copy_drops_what_holds_no_date_of_this_page():
    root = fromstring("<html><head><style>.a{background:url(/2019-03-04.png)}</style></head>"
                      "<body><nav>Archive: May 2021</nav><article>"
                      '<div class="meta"><svg><path d="M2019 3 4"/></svg> Dec 12, 2023</div>'
                      "<p>Text.</p><footer>Posted on Dec 12, 2023</footer></article>"
                      "<aside>Popular: Jan 2, 2022</aside><footer>© 2024</footer></body></html>")
    copy = _date_search_copy(root)
    assert copy.find(".//style") is None and copy.find(".//svg") is None
    assert norm_space(copy.text_content()) == "Dec 12, 2023Text.Posted on Dec 12, 2023"
    assert root.find(".//svg") is not None  # the page itself is untouched


def test_the_date_search_copy_drops_code_and_styles_but_keeps_data_and_names():
    root = fromstring(
        '<html><head><script>var built = "2019-03-04";</script><script type="application/ld+json">'
        '{"dateCreated": "2023-12-12"}</script><script id="__NEXT_DATA__" type="application/json">'
        '{"publishedAt": "2023-12-12"}</script></head><body><noscript>2020-01-02</noscript>'
        '<div class="entry-meta" id="posted-on" style="x" data-date="2023-12-12">'
        '<img src="/2023/12/12/a.jpg" srcset="/2018/01/02/a.jpg 2x" sizes="50vw">'
        '<a href="/2023/12/12/story">Dec 12, 2023</a></div></body></html>')
    copy = _date_search_copy(root)
    assert [s.get("type") for s in copy.iter("script")] == ["application/ld+json",
                                                           "application/json"]
    assert copy.find(".//noscript") is None
    div, img = copy.find(".//div"), copy.find(".//img")
    assert dict(div.attrib) == {"class": "entry-meta", "id": "posted-on",
                                "data-date": "2023-12-12"}
    assert dict(img.attrib) == {"src": "/2023/12/12/a.jpg"}
    assert root.find(".//div").get("style") == "x"  # the page is untouched


@pytest.mark.parametrize("page_", [
    # an element named for the date, which the extensive search looks for by class or id
    '<article><h1>Council approves budget</h1><header class="entry-meta"><a href="/x">March 3, '
    '2021</a></header><p>The vote of May 5, 2020 was close.</p></article>',
    # the only date in a data script (Next.js)
    '<script id="__NEXT_DATA__" type="application/json">{"props": {"article": {"publishedAt": '
    '"2021-03-03"}}}</script><article><h1>Council approves budget</h1><p>Text.</p></article>',
])
def test_the_extensive_date_search_still_reads_date_classes_and_data_scripts(page_):
    root = fromstring(f"<html><body>{page_}</body></html>")
    assert find_date(_date_search_copy(root), url="https://example.com/story",
                     **DATE_SEARCH) == "2021-03-03"


def test_the_date_search_copy_drops_copyright_years_in_a_footer_by_any_name():
    root = fromstring("<html><body><article><p>Text.</p></article><div id='ft'>© 2025 Daily"
                      " News. Copyright 2010–2025. (c) 2024</div><p>Posted in 2024</p></body>"
                      "</html>")
    assert norm_space(_date_search_copy(root).text_content()) == (
        "Text.© Daily News. Copyright. (c)Posted in 2024")
    dated = fromstring("<html><body><p>Copyright 2024-03-05. © 2024/05/06. copyright: 2023"
                       " Ltd</p></body></html>")
    assert norm_space(_date_search_copy(dated).text_content()) == (
        "Copyright 2024-03-05. © 2024/05/06. copyright: Ltd")  # dates stay, a year goes
    page_ = page(paragraphs(4)).replace("</main>", "</main><div id='ft'>© 2025 Daily News</div>")
    assert extract(page_, "https://news.example.com/story").published is None


DATE_SEARCH = {"extensive_search": True, "original_date": True, "max_date": "2026-11-28"}


def _dated(text: str) -> etree._Element:
    return fromstring(f"<html><body><div><p>{text}</p><p>Story text.</p></div></body></html>")


@pytest.mark.parametrize(("text", "day"), [
    ("2/24/2026 10:00 AM", "2026-02-24"), ("March 3rd, 2025 at 5pm", "2025-03-03"),
    ("12 de marzo de 2024", "2024-03-12"), ("3 de fevereiro de 2025 14:05", "2025-02-03"),
    ("12 марта 2024, 10:30", "2024-03-12")])
def test_the_date_search_reads_what_only_dateparser_reads_in_the_catalogue_languages(
        text, day):
    assert find_date(_dated(text), **DATE_SEARCH) == day


def test_the_date_search_reads_the_pages_own_language_too():
    assert find_date(_dated("12 maggio 2024"), language="it", **DATE_SEARCH) == "2024-05-12"
    assert find_date(_dated("3 lipca 2025"), language="pl", **DATE_SEARCH) == "2025-07-03"


def test_the_date_search_gives_no_date_rather_than_the_year_of_one_it_could_not_read():
    """htmldate falls back to the year alone, as 1 January, for a date in words no parser
    read: a page in Italian that does not say so."""
    assert find_date(_dated("12 maggio 2024"), **DATE_SEARCH) is None
    assert find_date(_dated("Posted 1/1/2024"), **DATE_SEARCH) == "2024-01-01"  # a real one


UNDATED_URL = "https://news.example.com/news/council-approves-budget"


def test_an_article_without_a_date_gets_none_not_a_year_of_its_prose():
    """The extensive search's last resorts give a year mentioned in the text (or a copyright
    year) as its 1 January: on the WCXB dev articles, 59 pages got one that way, none of
    them right."""
    body = paragraphs(3) + "<p>Ridership grew every year from 2015 to 2025, the study said.</p>"
    assert extract(page(body), UNDATED_URL).published is None


def test_another_storys_dated_link_is_not_this_articles_date():
    body = (paragraphs(4) + "<div><h3>Also on the site</h3><ul><li><a href='/2026/11/10/"
            "ferry-timetable'>Ferry timetable cut</a></li></ul></div>")
    assert extract(page(body), UNDATED_URL).published is None


def test_a_date_of_tomorrow_is_a_site_east_of_here_dating_by_its_own_day():
    """htmldate refuses a date after `max_date`: a New Zealand story's date is a day ahead
    of UTC's for half of every day."""
    from datetime import UTC, datetime, timedelta
    tomorrow = datetime.now(UTC).date() + timedelta(days=1)  # UTC's: the tests' zone may be ahead
    shown = f"{tomorrow.day} {tomorrow.strftime('%B')} {tomorrow.year}, 9:05am"
    body = f"<p class='date'>{shown}</p>" + paragraphs(4)
    assert extract(page(body), UNDATED_URL).published[:10] == tomorrow.isoformat()


def _ld_published(day: str) -> str:
    return ('<script type="application/ld+json">{"@context": "https://schema.org", "@type":'
            f' "NewsArticle", "headline": "Council approves budget", "datePublished": "{day}"}}'
            "</script>")


@pytest.mark.parametrize("head", [
    _ld_published("2042-03-03T09:00:00Z"),  # a typo's year
    '<meta property="article:published_time" content="2042-03-03T09:00:00Z">',
    _ld_published("0024-03-03T09:00:00Z"),  # a year cut short
    '<meta property="article:published_time" content="1970-01-01T00:00:00Z">',  # Unix time 0
    _ld_published("1900-01-01T00:00:00"),  # SQL Server's empty date
])
@pytest.mark.parametrize("shown", [
    "", "<p class='date'>Published 3 March 2024</p>",
    '<time datetime="2024-03-03T09:00:00Z">3 March 2024</time>'])
def test_a_day_no_story_was_published_on_is_no_date(head, shown):
    """A schema or meta date in the future or before any web page (a CMS's zero day) was
    the page's date, before the day it shows, or none."""
    published = extract(page(shown + paragraphs(4), head), UNDATED_URL).published
    assert (published or "")[:10] == ("2024-03-03" if shown else "")


def test_a_time_element_in_the_future_is_no_date():
    body = '<time datetime="2042-03-03T09:00:00Z">3 March 2042</time>' + paragraphs(4)
    assert extract(page(body), UNDATED_URL).published is None


def test_a_story_from_an_archive_before_the_web_keeps_its_date():
    head = _ld_published("1969-07-21T06:00:00Z")
    assert extract(page(paragraphs(4), head), UNDATED_URL).published == "1969-07-21T06:00:00Z"


@pytest.mark.parametrize("box", [
    "<aside class='related'><h3>Related stories</h3><a href='/a'>Older budget story</a>"
    " <time datetime='2023-02-14'>Feb 14, 2023</time></aside>",
    "<div class='related-stories'><h3>Related stories</h3><a href='/a'>Older budget story</a>"
    " <span class='date'>January 12, 2023</span></div>",
    "<div class='relatedStories'><a href='/a'>Older budget story</a> <span>January 12, 2023"
    "</span></div>",
    "<section id='comments'><div class='comment'><p>Great piece, thanks!</p><span"
    " class='comment-date'>March 9, 2024 at 8:01 pm</span></div></section>",
    "<ol class='commentlist'><li><p>I disagree.</p><time datetime='2024-03-10T08:00:00Z'>"
    "March 10, 2024</time></li></ol>",
    # a comment as long as the story's paragraphs, after them
    f"<div id='comments'><p>{PARAGRAPH}</p><span class='date'>March 9, 2024</span></div>",
])
@pytest.mark.parametrize("own", ["", '<time datetime="2024-03-03T09:00:00Z">3 March 2024</time>'])
def test_the_dates_of_comments_and_related_stories_are_not_the_storys(box, own):
    """A page whose only dates were in its box of related stories or its comments was dated
    by the first of them."""
    html = page(own + paragraphs(4)).replace("</main>", f"</main>{box}")
    assert (extract(html, UNDATED_URL).published or "")[:10] == ("2024-03-03" if own else "")


@pytest.mark.parametrize(("frame", "main"), [
    # a wrapper named for its comments or related posts holds the headline
    ("{}", "<main class='comments-open'>"), ("{}", "<main class='related-open single'>"),
    ("<div class='commentary'>{}</div>", "<main>"),  # an opinion's section
    # ... or holds the story, the headline above it
    ("<div class='related-content-wrapper'>{}</div>", "<main>"),
    ("<div class='post comments-open'>{}</div>", "<main>"),
    # ... a standfirst above it, longer than a byline
    (f"<p class='standfirst'>{PARAGRAPH}</p><div class='related-content-wrapper'>{{}}</div>",
     "<main>")])
@pytest.mark.parametrize("shown", [
    '<time datetime="2024-03-03T09:00:00Z">3 March 2024</time>',
    "<span class='date'>3 March 2024</span>"])
def test_a_story_in_a_box_named_for_comments_keeps_its_date(frame, main, shown):
    html = page(frame.format(shown + paragraphs(4))).replace("<main>", main)
    assert extract(html, UNDATED_URL).published[:10] == "2024-03-03"


MODIFIED = '<meta property="article:modified_time" content="2026-02-27T19:16:59+00:00">'
INLINE_CODE_LIST = (
    "<p>In this React project, modify the application to build a Todo app with the following"
    " requirements:</p><ul><li>Create a new component file named <code>TodoList.tsx</code>"
    "</li><li>Implement full Todo functionality: add items, display the list, toggle"
    " completion, and delete items</li><li>Use Tailwind CSS utility classes for styling</li>"
    "</ul><p>That is the exact prompt each tool received, unchanged, to keep it fair.</p>")


@pytest.mark.parametrize("frame", ["<article>{}</article>", "<div>{}</div>"])
def test_inline_code_stays_in_its_line_and_its_list(frame):
    """trafilatura reads every <code> as a block: the line broke around it, and where its
    main pass finds no frame (a bare <div>), its recovery dropped the list and kept the
    <code> alone, as a paragraph."""
    html = ("<html><head><title>Five tools tested</title></head><body>"
            + frame.format(paragraphs(3) + INLINE_CODE_LIST + paragraphs(2)) + "</body></html>")
    text = extract(html, UNDATED_URL).text
    assert "- Create a new component file named TodoList.tsx\n" in text
    assert "- Use Tailwind CSS utility classes for styling" in text


def test_a_code_block_of_lines_stays_one_block():
    body = "<p>Run this:</p><code>npm install<br>npm run build<br>npm test</code><p>Then.</p>"
    text = extract(page(paragraphs(3) + body), UNDATED_URL).text
    assert "npm install\nnpm run build\nnpm test" in text


def test_codes_side_by_side_are_words_apart():
    body = ("<p>The confusable characters: the German Eszett <span><b>'ß'</b><span><code>U+00DF"
            "</code><code>0x C3 9F</code></span></span> and the Kelvin sign, in every font we"
            " tried, look the same as the letters they are mistaken for.</p>")
    text = extract(page(paragraphs(3) + body), UNDATED_URL).text
    assert "Eszett 'ß' U+00DF 0x C3 9F and" in text


@pytest.mark.parametrize(("shown", "published", "head"), [
    ("<p class='date'>Posted on 16 March 2017</p>", "2017-03-16", MODIFIED),  # posted
    ("", "2026-02-27", MODIFIED),  # nothing else: the day it was changed
    # a tag htmldate reads as the day of publication, though it is in its "modified" list
    ("<p class='updated'>Updated on 3 June 2024</p>", "2023-02-10",
     '<meta name="release_date" content="2023-02-10">'),
])
def test_a_modified_tag_dates_a_page_only_when_nothing_else_does(shown, published, head):
    assert extract(page(shown + paragraphs(4), head), UNDATED_URL).published[:10] == published


@pytest.mark.parametrize(("stamps", "published"), [
    ("<p>Updated: 2024-05-03</p><p>Published: 2024-05-01</p>", "2024-05-01"),
    ("<div>Updated: May 3, 2024 | Published: May 1, 2024</div>", "2024-05-01"),
    ("<p>Updated 03.05.2024, Published 01.05.2024</p>", "2024-05-01"),
    ("<p>Aktualisiert: 03.05.2024</p><p>Veröffentlicht: 01.05.2024</p>", "2024-05-01"),
    ("<p>Обновлено: 03.05.2024 | Опубликовано: 01.05.2024</p>", "2024-05-01"),
    ("<p>Actualizado: 03/05/2024 · Publicado: 01/05/2024</p>", "2024-05-01"),
    # the first publication's date on the update's line, after "first" or "originally"
    ("<p>Updated 3 May 2024, first published 1 May 2024</p>", "2024-05-01"),
    ("<p>Updated 3 May 2024 14:02 GMT, first published 1 May 2024 09:00 GMT</p>", "2024-05-01"),
    ("<p>Updated: May 3, 2024 10:00 a.m. ET, originally published May 1, 2024</p>",
     "2024-05-01"),
    # an update alone still dates the page, and so it does beside no date ("3 days ago");
    # a publication first was never in doubt
    ("<p>Updated: 2024-05-03</p>", "2024-05-03"),
    ("<p>Updated: May 3, 2024</p><p>Posted 3 days ago</p>", "2024-05-03"),
    ("<p>Published: 2024-05-01</p><p>Updated: 2024-05-03</p>", "2024-05-01"),
])
def test_a_visible_published_stamp_beats_an_updated_one_above_it(stamps, published):
    """Plain-text stamps, no <time> and no meta: htmldate takes the first date it meets,
    and "Updated: ..." above "Published: ..." dated the page by its update."""
    assert extract(page(stamps + paragraphs(4)), UNDATED_URL).published[:10] == published


@pytest.mark.parametrize("after", [
    # a date the story reports, and a comment's stamp below the story
    "<p>The report was published 1 March 2019 by the state.</p>" + paragraphs(4),
    "<p>The report, first published 1 March 2019, found delays.</p>" + paragraphs(4),
    "<p>The report was first published 1 March 2019 by the state.</p>" + paragraphs(4),
    paragraphs(4) + "<div class='comments'><p>Posted on March 1, 2019 by Bob</p></div>",
    paragraphs(4) + "<aside><p>Published: March 1, 2019</p></aside>",
])
def test_an_update_stamp_dates_the_page_beside_a_publication_date_that_is_not_its_stamp(
        after):
    """A publication's date in the story's prose or under the story is no stamp of the
    page: the update's stamp, its only one, dated it 2019-03-01 or not at all."""
    html = page("<p>Updated: 2024-05-03</p>" + after)
    assert extract(html, UNDATED_URL).published[:10] == "2024-05-03"


def test_the_modified_tags_are_given_back_after_the_search():
    from lxml import html as lxml_html

    from extractors.metadata import _modified_hidden
    root = lxml_html.fromstring('<html><head><meta name="last-modified" content="2026-02-27">'
                                '<meta name="author" content="Jane Doe"></head></html>')
    with _modified_hidden(root) as hidden:
        assert hidden and [m.get("content") for m in root.iter("meta")] == ["", "Jane Doe"]
    assert [m.get("content") for m in root.iter("meta")] == ["2026-02-27", "Jane Doe"]


def test_the_date_search_leaves_other_htmldate_callers_their_own_dateparser():
    """A date in Ukrainian words, which ours reads only on a page that says it is in
    Ukrainian: htmldate called directly reads it anyway, even after ours met the same string
    (htmldate caches its parses), and ours still does not after it."""
    import htmldate

    ukrainian = _dated("24 лютого 2026")
    assert find_date(ukrainian, **DATE_SEARCH) is None
    assert htmldate.find_date(ukrainian, **DATE_SEARCH) == "2026-02-24"
    assert find_date(ukrainian, **DATE_SEARCH) is None
    assert find_date(ukrainian, language="uk", **DATE_SEARCH) == "2026-02-24"


@pytest.mark.parametrize("date", ["<time datetime='2023-02-14'>Feb 14</time>",
                                  "<span class='date'>February 14, 2023</span>"])
def test_only_our_date_search_passes_the_dates_of_comments_and_related_stories(date):
    """(Its fast search: the extensive one reads a copy without the box, `_date_search_copy`.)"""
    import htmldate

    related = fromstring("<html><body><div><p>Story text.</p></div><div class='related'><a"
                         f" href='/a'>Older story</a> {date}</div></body></html>")
    options = {**DATE_SEARCH, "extensive_search": False}
    assert find_date(related, **options) is None
    assert htmldate.find_date(related, **options) == "2023-02-14"


# What the search's digit patterns meet: digits, their separators, a lookbehind's "w3.org",
# digits of other scripts, white space, and long runs of letters.
_DATE_PIECES = ["0", "1", "2", "3", "9", "19", "20", "2024", "12", "31", "/", ".", "-", " ",
                "x", "w3.org", "٣", "<p>", "copyright ", "abcdefghijklmnop", "\n"]


@pytest.mark.parametrize("seed", range(6))
def test_the_squeezed_page_gives_every_squeezable_pattern_the_same_matches(seed):
    import htmldate.core

    from extractors.dates import SQUEEZABLE, squeeze

    patterns = [re.compile(source) for source in sorted(SQUEEZABLE)]
    rng = random.Random(seed)
    for _ in range(300):
        page_ = "".join(rng.choice(_DATE_PIECES) for _ in range(rng.randrange(1, 80)))
        squeezed = squeeze(page_)
        for pattern in patterns:
            assert pattern.findall(squeezed) == pattern.findall(page_), (pattern, page_)
    long_run = "a" * 50 + "w3.org/2024 " + "b" * 30 + "2024-05-01" + "c" * 30
    assert len(squeeze(long_run)) < len(long_run) / 2
    assert all(p.findall(squeeze(long_run)) == p.findall(long_run) for p in patterns)
    # each is a pattern of the htmldate installed: a changed one is no longer squeezed
    installed = {value.pattern for value in vars(htmldate.core).values()
                 if isinstance(value, re.Pattern)}
    assert SQUEEZABLE.issubset(installed)


def test_the_date_search_squeezes_the_page_once_and_only_inside_our_calls(monkeypatch):
    """htmldate's last resort counts its patterns over the squeezed page (one squeeze per
    page however many patterns run); htmldate called directly reads the whole page."""
    import htmldate

    from extractors import dates

    squeezed = []
    monkeypatch.setattr(dates, "squeeze", lambda page_: squeezed.append(page_) or page_)
    undated = _dated("A story filed in May. " * 20 + "Tel. 12-345")  # no date to be found
    assert find_date(undated, **DATE_SEARCH) is None
    assert len(squeezed) == 1 and "A story filed in May." in squeezed[0]
    assert htmldate.find_date(undated, **DATE_SEARCH) is None
    assert len(squeezed) == 1
    assert find_date(_dated("Filed 2024-05-01 " + "x" * 40), **DATE_SEARCH) == "2024-05-01"
    assert len(squeezed) == 2


def test_the_date_search_counts_the_other_patterns_over_the_whole_page():
    """The copyright pattern reads up to 99 non-digits after "©": squeezed, a year further
    away would count."""
    import htmldate.core
    import htmldate.validators

    from extractors import dates

    page_ = "<p>Since 1998© Daily News " + "x" * 120 + " 2019 </p>"
    bounds = {"yearpat": htmldate.core.YEAR_PATTERN, "earliest": datetime(1995, 1, 1),
              "latest": datetime(2026, 1, 1)}
    dates.find_date(_dated("x"), **DATE_SEARCH)  # the hook is in place
    dates._ours.call = dates._Call(None)
    try:
        for pattern in (htmldate.core.COPYRIGHT_PATTERN, htmldate.core.SIMPLE_PATTERN):
            assert (htmldate.core.plausible_year_filter(page_, pattern=pattern, **bounds)
                    == htmldate.validators.plausible_year_filter(page_, pattern=pattern,
                                                                 **bounds))
    finally:
        dates._ours.call = None
    copyright_ = htmldate.core.COPYRIGHT_PATTERN
    assert not htmldate.validators.plausible_year_filter(page_, pattern=copyright_, **bounds)
    assert htmldate.validators.plausible_year_filter(dates.squeeze(page_), pattern=copyright_,
                                                     **bounds)  # what squeezing would count


@pytest.mark.parametrize(("text", "words"), [
    ("The mayor said so.", 4), ("Größe über alles", 3), ("  ", 0), ("서울 뉴스 기사", 3),
    ("国家统计局发布了数据。", 10), ("北京时间11月28日，国家", 10), ("記者 山田", 4),
    ("東京タワー、2024年", 7), ("「引用」です", 4), ("Tokyo 東京", 3), ("人々は時々", 5),
    ("二〇二四年", 5), ("他说：“我们来了。”", 6), ("她……走了——永远", 5), ("约翰·史密斯", 5),
    ("　", 0)])
def test_each_chinese_or_japanese_character_is_a_word(text, words):
    """Korean spaces its words; Chinese and Japanese do not, and their punctuation is no
    word (as word processors count them)."""
    assert text_module.count_words(text) == words
    assert text_module.word_count(f"- {text}") == words  # the list marker is no word


# A hand-segmented Thai sentence: 60 words (the bars), 210 letters.
_THAI_WORDS = (  # noqa: SIM905 (the bars are the segmentation, read as written)
    "กรม|อุตุนิยมวิทยา|ประกาศ|เตือน|ประชาชน|ใน|พื้นที่|ภาค|เหนือ|และ|ภาค|ตะวันออก|เฉียง|"
    "เหนือ|ให้|เตรียม|รับมือ|กับ|อากาศ|หนาว|เย็น|ที่|จะ|เกิดขึ้น|ใน|ช่วง|สัปดาห์|หน้า|โดย|"
    "อุณหภูมิ|จะ|ลดลง|อีก|สาม|ถึง|ห้า|องศา|เซลเซียส|และ|มี|ลม|แรง|ใน|บาง|พื้นที่|ซึ่ง|อาจ|"
    "ส่งผล|กระทบ|ต่อ|การ|เดินทาง|และ|สุขภาพ|ของ|ผู้|สูงอายุ|และ|เด็ก|เล็ก").split("|")


@pytest.mark.parametrize(("text", "words"), [
    ("".join(_THAI_WORDS), 60),
    (" ".join(["".join(_THAI_WORDS[:30]), "".join(_THAI_WORDS[30:])]), 60),  # a phrase break
    ("ตลาดหุ้น COVID-19", 3),  # 6 letters: two words (stock market); the Latin one its own
    ("ນະຄອນຫຼວງວຽງຈັນ", 4),  # Lao, 13 letters: an estimate (it is two or three)
    ("រាជធានីភ្នំពេញ", 2),  # Khmer, 8 letters
    ("ရန်ကုန်မြို့", 1),  # Burmese, 5 letters, most of it marks: an estimate, low (two)
    ("ก", 1), ("ๆ", 1)])
def test_thai_lao_burmese_and_khmer_count_a_word_for_every_few_letters(text, words):
    """They write no space between words, only between phrases: counted by white space, a
    Thai paragraph of 60 words was one."""
    assert text_module.count_words(text) == words


def test_the_first_words_of_an_unspaced_run_are_a_share_of_its_letters():
    thai = "".join(_THAI_WORDS)
    opening = text_module.first_words(thai, 8)
    assert thai.startswith(opening) and 6 <= text_module.count_words(opening) <= 9
    assert text_module.first_words("北京时间11月28日，中国队获胜", 8) == "北京时间11月28日"
    assert text_module.first_words("The mayor said so today.", 3) == "The mayor said"


def test_a_thai_story_is_an_article_by_its_length_alone():
    """No date in its URL, no og:type, no JSON-LD: six paragraphs of about 50 words each
    were 'short' when counted by white space."""
    paragraphs = ["".join(_THAI_WORDS[i:] + _THAI_WORDS[:i]) for i in range(0, 60, 10)]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    page = ("<html lang='th'><head><title>กรมอุตุฯ เตือนอากาศหนาวเย็นทั่วภาคเหนือ</title></head>"
            "<body><nav><a href='/'>หน้าแรก</a> <a href='/politics'>การเมือง</a></nav>"
            f"<article><h1>กรมอุตุฯ เตือนอากาศหนาวเย็นทั่วภาคเหนือ</h1>{body}</article>"
            "<footer>สงวนลิขสิทธิ์ 2026</footer></body></html>")
    found = extract(page, "https://news.example.th/news/cold-weather-north")
    assert found.is_article, found.reasons
    assert found.text.split("\n\n") == paragraphs
    assert "short" not in found.reasons


def test_a_page_in_chinese_japanese_or_korean_gets_trafilaturas_sizes_divided():
    """trafilatura replaces a reading shorter than 250 characters with an <article>'s whole
    text as one paragraph: a short story in Chinese is that short. The headline's script
    decides before the declared language (a template may declare English)."""
    import trafilatura.settings

    from extractors import core

    def density(language, title):
        return core._density(Metadata(language=language, title=title))

    assert density("zh", None) == density("ja", "Tokyo") == density(None, "东京的樱花开了") == 3
    assert density("en", "东京的樱花开了") == density("en", "人々は時々") == 3
    assert density("ko", None) == density(None, "韓美 정상회담 개최") == 2
    assert density(None, "Cherry blossoms open in Tokyo (東京)") == 1
    assert density(None, None) == density("en", "　") == density("de", "Ein Titel") == 1
    for factor in (2, 3):
        size = core._config(factor).getint("DEFAULT", "MIN_EXTRACTED_SIZE")
        assert size * factor <= 250 < (size + 1) * factor
    assert core._config(1) is trafilatura.settings.DEFAULT_CONFIG
    assert trafilatura.settings.DEFAULT_CONFIG.getint("DEFAULT", "MIN_EXTRACTED_SIZE") == 250


_SHORT_STORY = {
    "zh": ["国家统计局11月27日发布数据显示，前十个月全国规模以上工业企业实现利润总额同比增长。",
           "分行业看，高技术制造业利润增长较快，装备制造业利润占比继续提高，消费品制造业降幅收窄。",
           "专家表示，随着一系列稳增长政策持续发力，工业经济运行总体平稳，企业效益有望继续改善。"],
    "ko": ["대통령은 오늘 오전 청와대에서 미국 대통령과 정상회담을 열고 "
           "양국 간 경제 협력 방안을 논의했다.",
           "두 정상은 반도체와 배터리 분야의 공급망 협력을 강화하기로 합의했다고 대변인이 밝혔다.",
           "회담은 예정보다 삼십 분 길어졌으며 공동 기자회견도 열렸다."],
}


def _short_story(lang: str, title: str, byline: str, declared: str | None = None) -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in _SHORT_STORY[lang])
    return (f"<html lang='{declared or lang}'><head><title>{title}</title></head><body>"
            "<nav><a href='/'>Home</a> <a href='/a'>News</a> <a href='/b'>World</a></nav>"
            f"<article><h1>{title}</h1><div class='byline'>{byline}</div>{paragraphs}"
            "</article><footer>© 2026</footer></body></html>")


@pytest.mark.parametrize(("lang", "title", "byline", "declared", "author"), [
    ("zh", "前十个月工业企业利润增长", "本报记者 王明", None, "王明"),
    ("zh", "前十个月工业企业利润增长", "本报记者王晓明", None, "王晓明"),
    ("zh", "前十个月工业企业利润增长", "记者 王晓明", "en", "王晓明"),  # a template's "en"
    ("ko", "韓美 정상회담 개최", "김철수", None, "김철수"),
])
def test_a_short_story_in_chinese_or_korean_keeps_its_paragraphs_and_no_byline(
        lang, title, byline, declared, author):
    found = extract(_short_story(lang, title, byline, declared),
                    "https://news.example.com/2026/11/28/story.html")
    assert found.is_article
    assert found.text.split("\n\n") == _SHORT_STORY[lang]
    assert found.authors == [author]


def test_a_chinese_wire_datelines_reporters_are_the_authors():
    """"新华社北京3月5日电（记者王晓明、李华）" opens the story and names its two reporters;
    the dateline itself stays the story's."""
    first = "新华社北京3月5日电（记者王晓明、李华）" + _SHORT_STORY["zh"][0]
    paragraphs_ = "".join(f"<p>{p}</p>" for p in [first, *_SHORT_STORY["zh"][1:]])
    found = extract(f"<html lang='zh'><head><title>前十个月工业企业利润增长</title></head><body>"
                    f"<article><h1>前十个月工业企业利润增长</h1>{paragraphs_}</article></body></html>",
                    "https://news.example.cn/2026/11/28/story.html")
    assert found.authors == ["王晓明", "李华"]
    assert found.text.startswith("新华社北京3月5日电（记者王晓明、李华）")


def test_a_chinese_teaser_of_the_json_ld_body_is_read_from_it():
    """The visible body's opening words are looked for in `articleBody`: in Chinese, its
    first eight characters, not its first paragraph (no spaces)."""
    from extractors.core import _prefer_jsonld_body

    full = "\n".join(_SHORT_STORY["zh"] * 3)
    teaser = [_SHORT_STORY["zh"][0][:30] + "……"]
    blocks, source, _ = _prefer_jsonld_body(teaser, [], {"articleBody": full})
    assert source == "jsonld" and len(blocks) == 9


def test_the_warm_up_page_takes_the_article_path():
    """`warm_up` raises unless its page is an article (so authors and dates are warmed)."""
    from extractors.warm import WARM_PAGE, WARM_URL, warm_up

    warm_up()
    assert extract(WARM_PAGE, WARM_URL).is_article


def test_blocks_nested_in_a_container_are_read_one_by_one():
    body = etree.fromstring(
        "<div><p>First.</p><div><p>Second.</p>Loose <hi>bold</hi> text<lb/>on two lines"
        "<p>Third.</p></div><div>A div of text alone</div></div>")
    assert body_blocks(body) == ["First.", "Second.", "Loose bold text\non two lines",
                                 "Third.", "A div of text alone"]
    assert body_blocks(etree.fromstring("<body>Lead<p>A</p>tail</body>")) == ["Lead", "A",
                                                                            "tail"]


def test_two_line_breaks_in_a_row_end_a_paragraph():
    """A story of text between <br><br>s is as many paragraphs; one <br> is a line break
    inside one (an address, a poem); a list item or a table cell stays one block."""
    body = etree.fromstring(
        "<body><p>First para.<lb/> <lb/>Second para,<lb/>its second line.<lb/><lb/><lb/>"
        "Third.</p>Loose one.<lb/><lb/>Loose two.<list><item>An item<lb/><lb/>of two lines"
        "</item></list></body>")
    assert body_blocks(body) == ["First para.", "Second para,\nits second line.", "Third.",
                                 "Loose one.", "Loose two.", "An item\nof two lines"]
    story = [f"Paragraph {n} of the story, long enough to be read as prose by anyone. " * 3
             for n in range(6)]
    title = "Council approves the harbour plan"
    html = (f"<html><head><title>{title}</title></head><body><div class=story><h1>{title}"
            f"</h1><div class=text>{'<br><br>'.join(story)}</div></div></body></html>")
    assert extract(html, URL).text.split("\n\n") == [norm_space(p) for p in story]


@pytest.mark.parametrize("stamp", ["February 27, 2025 at 11:40 a.m. EST",
                                   "March 3, 2024, 10:15 GMT+3", "27.02.2025 11:40 MSK"])
def test_a_publication_stamp_with_a_time_zone_is_no_body(stamp):
    assert strip_blocks([stamp, PARAGRAPH]) == ([PARAGRAPH], ["meta.cue"])
    assert strip_blocks([f"{stamp} the mayor said", PARAGRAPH])[1] == []


@pytest.mark.parametrize("index_from", [0, text_module.INDEX_FROM])
def test_found_in_answers_as_a_substring_search_would(monkeypatch, index_from):
    """`found_in` looks for long needles only where their inner words stand (on a large
    page; a small one is searched whole): the same answers as `needle in text`, for needles
    that start or end inside a word, span a separator, repeat, are empty or are shorter
    than three words."""
    monkeypatch.setattr(text_module, "INDEX_FROM", index_from)
    rng = random.Random(7)
    words = ["flood", "bridge", "the", "council", "vote", "3", "Flood,", "—", "día",
             "a\u200bb", "c\xa0d", "e\x0bf", "g\x1ch", "i\u3000j"]
    blocks = [" ".join(rng.choice(words) for _ in range(rng.randint(1, 9))) for _ in range(60)]
    for separator in ("\n", " ", "\xa0", "\u3000"):
        text = separator.join(blocks)
        needles = ["", " ", "ood bridge the", "the council vote 3", "x y z", *blocks]
        for _ in range(300):
            start = rng.randrange(len(text))
            needles.append(text[start:start + rng.randint(1, 60)])
            needles.append(" ".join(rng.choice(words) for _ in range(rng.randint(2, 6))))
        needles += [w[1:] for w in words] + ["lood brid", "flood bridge", "oun", "3 the"]
        assert found_in(needles, text) == [needle in text for needle in needles]


@pytest.mark.parametrize(("box", "state"), [
    ('<div class="subscribe-banner"><p>Subscribe to continue reading.</p>'
     "<p>Already a subscriber? Log in</p></div>", "truncated"),
    ('<div class="offer-banner"><p>You have 2 free articles left this month.</p>'
     "<p>Already a subscriber? Log in</p></div>", "metered"),
    ('<div class="offer-banner"><p>You have 2 free articles left this month.</p>'
     "<p>Subscribe now</p></div>", "metered"),
])
def test_a_paywall_prompt_boxed_with_a_sign_in_line_is_still_paywall_evidence(box, state):
    # the box is chrome-named ("banner", "subscribe"): the first pattern that widens to it
    # names its removal, and the sign-in or subscribe line is no evidence of a paywall
    article = extract(page(paragraphs(4) + box), URL)
    assert article.paywall == state
    assert "continue reading" not in article.text and "free articles" not in article.text


def test_french_remaining_share_prompt_is_a_truncating_paywall():
    body = (paragraphs(3) + '<div class="article__status"><p>Il vous reste 78.12% de cet article'
            " à lire. La suite est réservée aux abonnés.</p><a href='/abonnement/'>S'abonner</a>"
            "</div>")
    article = extract(page(body, lang="fr"), URL)
    assert article.paywall == "truncated"
    assert "Il vous reste" not in article.text and "abonnés" not in article.text


@pytest.mark.parametrize(("lang", "lines"), [
    ("de", ["Hier können Sie unseren Newsletter abonnieren: Die wichtigsten Nachrichten des"
            " Tages, jeden Abend kostenlos per E-Mail.",
            "Mit der Anmeldung akzeptieren Sie unsere Datenschutzerklärung."]),
    ("fr", ["En vous inscrivant, vous acceptez notre politique de confidentialité."]),
    ("es", ["Al suscribirte, aceptas nuestra política de privacidad."]),
    ("pt", ["Ao se inscrever, você concorda com a nossa política de privacidade."]),
    ("ru", ["Подписываясь, вы соглашаетесь с политикой конфиденциальности."]),
])
def test_a_sign_up_box_without_a_form_or_a_name_loses_its_lines_in_every_language(lang, lines):
    # as "Subscribers agree to the Privacy Policy" does in English: a box whose form a
    # script adds, in a wrapper whose class names nothing ("box--nl")
    box = ('<div class="box box--nl"><p><strong>Newsletter</strong></p>'
           + "".join(f"<p>{line}</p>" for line in lines) + "</div>")
    article = extract(page(paragraphs(4) + box, lang=lang), URL)
    assert article.text.count("ends here") == 4
    for line in lines:
        assert line not in article.text


@pytest.mark.parametrize(("lang", "line"), [
    ("fr", "En cliquant sur « Tout accepter », vous acceptez que vos données soient transmises"
           " à des centaines de partenaires publicitaires, rappelle la CNIL."),
    ("fr", "En validant ce dossier, vous acceptez de renoncer à tout recours, a expliqué"
           " l'avocat de la famille à l'audience."),
    ("es", "Al hacer clic en «Aceptar», el usuario acepta que sus datos se compartan con"
           " cientos de empresas, según denunció la OCU."),
    ("es", "Al registrarse en la plataforma, el cliente acepta ceder sus datos a terceros,"
           " advirtió la asociación de consumidores."),
    ("pt", "Ao se cadastrar no aplicativo, o usuário concorda em compartilhar sua localização,"
           " segundo o Procon."),
    ("pt", "Ao clicar no link, a vítima autoriza sem saber o acesso remoto ao telemóvel,"
           " alertou a Polícia Judiciária."),
    ("de", "Mit ihrer Bestellung bestätigen sie, dass sie über 18 Jahre alt sind, heißt es in"
           " den Geschäftsbedingungen."),
    ("de", "Mit der Anmeldung akzeptieren sie zugleich die Weitergabe ihrer Daten an Dritte,"
           " kritisieren die Verbraucherschützer."),
    ("ru", "Подписываясь на такие каналы, вы соглашаетесь на передачу своих данных"
           " мошенникам, предупреждают в МВД."),
])
def test_a_story_sentence_shaped_like_a_sign_up_consent_line_stays(lang, line):
    # a click, an order, another subscription, or a third person's verb: the story's
    article = extract(page(paragraphs(2) + f"<p>{line}</p>" + paragraphs(2), lang=lang), URL)
    assert line in article.text and "newsletter.cue" not in article.removed


QUOTED = ["“We have listened to residents for two years. This plan reflects what they told us"
          " they wanted: safer streets, more buses and fewer cars idling downtown.”",
          "“I understand that change is hard. But doing nothing is also a choice, and it is a"
          " choice that costs lives on our roads every single year.”"]


@pytest.mark.parametrize("cite", ["", "<cite>Mayor Jane Holt</cite>"])
def test_a_quote_of_paragraphs_is_as_many_blocks(cite):
    # a <blockquote> of two <p>s was one block, its paragraphs a line apart
    quote = "<blockquote>" + "".join(f"<p>{q}</p>" for q in QUOTED) + cite + "</blockquote>"
    article = extract(page(paragraphs(2) + quote + paragraphs(2)), URL)
    blocks = article.text.split("\n\n")
    assert QUOTED[0] in blocks and QUOTED[1] in blocks
    assert blocks.index(QUOTED[1]) == blocks.index(QUOTED[0]) + 1


LETTER = ["This week marks twenty years since the first edition of this newspaper rolled off a"
          " borrowed press in the back of a hardware store on Main Street.",
          "Much has changed since then. We moved to a digital-first model in 2016, and last year"
          " more of you read us on your phones than on paper for the first time.",
          "Thank you for twenty years of letters, tips and arguments at the grocery store."]


@pytest.mark.parametrize(("lang", "salutation"), [
    ("en", "Dear readers,"), ("de", "Liebe Leserinnen und Leser,"), ("fr", "Chers lecteurs,")])
def test_a_letter_that_opens_with_its_salutation_keeps_it(lang, salutation):
    # a closing appeal's cue with nothing before it closes nothing: the letter is the story
    body = f"<p>{salutation}</p>" + "".join(f"<p>{line}</p>" for line in LETTER)
    article = extract(page(body, lang=lang), URL)
    assert article.text.split("\n\n")[0] == salutation
    assert all(line in article.text for line in LETTER)


STORY = ["The county water board voted 4-1 on Monday night to raise residential rates by 6"
         " percent starting in July, the first increase since 2019.",
         "Board chair Linda Okafor said the money would pay for replacing aging pipes under the"
         " east side, where three main breaks flooded streets last winter.",
         "Residents who spoke during the two-hour public comment period were split, with several"
         " retirees saying the increase would strain fixed incomes."]
APPEALS = {
    "before you go": (
        '<div class="wp-block-group"><div class="wp-block-group__inner-container">'
        "<h3>Before you go…</h3><p>Local news is in crisis. Over the past two decades, more"
        " than 2,500 newspapers have closed, leaving communities without anyone to hold local"
        " officials to account.</p><p>The Valley Herald is a nonprofit newsroom supported by"
        " readers like you. If you valued this story, please consider making a gift today so"
        " we can keep our reporting free for everyone.</p>"
        '<p><a class="wp-block-button__link" href="/donate">Donate now</a></p></div></div>'),
    "support us": (
        "<div><div><p><strong>Independent journalism needs you.</strong></p><p>Every month,"
        " thousands of readers rely on our reporting about their towns. We don't have a"
        " paywall, and we never will.</p><p>But reporting costs money. Contributions from"
        " readers fund more than half of our newsroom.</p>"
        '<p><a href="https://example.org/support">Support us</a></p></div></div>'),
}


@pytest.mark.parametrize("appeal", APPEALS.values(), ids=APPEALS.keys())
def test_an_appeal_in_unnamed_boxes_goes_with_the_ask_that_closes_it(appeal):
    # only the ask ("Donate now", "Support us") went: the appeal's copy stayed in the text
    body = "".join(f"<p>{p}</p>" for p in STORY) + appeal
    article = extract(page(body), URL)
    assert article.text.split("\n\n") == STORY


def test_a_box_the_ask_closes_stays_where_the_story_goes_on_or_is_the_story():
    help_box = ("<div><h3>How to help</h3><p>The Red Cross is accepting donations for families"
                " displaced by the fire. Volunteers are needed at the shelter, where readers"
                " have dropped off blankets and food.</p><p><a href='/x'>Donate now</a></p>"
                "</div>")
    article = extract(page(f"<p>{STORY[0]}</p>{help_box}<p>{STORY[1]}</p><p>{STORY[2]}</p>"),
                      URL)
    assert "How to help" in article.text and "The Red Cross" in article.text
    # closing the story: its readers are the help's, not a newsroom's
    article = extract(page("".join(f"<p>{p}</p>" for p in STORY) + help_box), URL)
    assert "How to help" in article.text and "The Red Cross" in article.text
    drive = ["The Riverside Times launched its first reader fundraising drive on Monday, asking"
             " readers to help cover the cost of a new courts reporter.",
             "Editor Ellen Park said donations from readers now fund about a third of the"
             " newsroom, up from a tenth five years ago."]
    story = ("<div>" + "".join(f"<p>{p}</p>" for p in drive)
             + "<p><a href='/donate'>Donate now</a></p></div>")
    assert extract(page(story), URL).text.split("\n\n") == drive


AUTHOR = '<meta name="author" content="Maria Delgado">'


@pytest.mark.parametrize("bio", [
    "<p><em>Maria Delgado is a staff reporter covering local government and utilities for"
    " The Valley Herald. She previously worked at the Tucson Sentinel.</em></p>",
    "<p><i>Maria Delgado covers City Hall and the county board.</i></p>",
])
def test_an_authors_bio_closing_the_story_is_no_body(bio):
    article = extract(page(paragraphs(4) + bio, head=AUTHOR), URL)
    assert article.authors == ["Maria Delgado"]
    assert article.text.count("ends here") == 4 and "Maria Delgado" not in article.text


def test_a_story_paragraph_naming_the_author_elsewhere_stays():
    line = "Maria Delgado, the board's attorney, is a cousin of the reporter who wrote this."
    article = extract(page(paragraphs(4) + f"<p>{line}</p>", head=AUTHOR), URL)
    assert line in article.text  # (the name, then an apposition: no bio's verb after it)
    quoted = "Residents asked whether Maria Delgado is still on the board."
    assert quoted in extract(page(paragraphs(4) + f"<p>{quoted}</p>", head=AUTHOR), URL).text


def test_a_story_sentence_opening_with_the_french_prompts_words_stays():
    line = ("La suite est réservée aux abonnés : c'est la formule qu'affichera désormais le site"
            " sous chaque article, a précisé la directrice générale.")
    article = extract(page(paragraphs(2) + f"<p>{line}</p>" + paragraphs(2), lang="fr"), URL)
    assert line in article.text and article.paywall == "none"
    for prompt in ("La suite est réservée aux abonnés.",
                   "La suite est réservée aux abonnés. Déjà abonné ? Se connecter"):
        article = extract(page(paragraphs(4) + f"<p>{prompt}</p>", lang="fr"), URL)
        assert article.paywall == "truncated" and "abonnés" not in article.text


@pytest.mark.parametrize(("lang", "line"), [
    ("en", "The views expressed in this article are those of the author and do not necessarily"
           " reflect the views of The Valley Herald."),
    ("en", "Views expressed here are the author's own."),
    ("fr", "Les opinions exprimées dans cette tribune n'engagent que leur auteur."),
    ("es", "Las opiniones expresadas en este artículo son responsabilidad exclusiva del autor."),
    ("pt", "As opiniões expressas neste artigo são de responsabilidade do autor."),
    ("ru", "Мнение автора может не совпадать с мнением редакции."),
])
def test_an_opinion_pages_disclaimer_is_chrome(lang, line):
    article = extract(page(paragraphs(4) + f"<p><em>{line}</em></p>", lang=lang), URL)
    assert article.text.count("ends here") == 4 and line not in article.text


def test_a_newsletter_platforms_closing_line_is_chrome():
    for line in ("<strong>Thanks for reading Mill Town Notes!</strong> Subscribe for free to"
                 " receive new posts and support my work.",
                 "Subscribe for free to receive new posts and support my work."):
        article = extract(page(paragraphs(4) + f"<p>{line}</p>"), URL)
        assert article.text.count("ends here") == 4 and "Subscribe" not in article.text


@pytest.mark.parametrize("credit", ["Courier photo / Ann Lee", "AP Photo/Evan Vucci",
                                    "Staff photo by Ann Lee"])
def test_an_outlets_photo_credit_line_is_chrome(credit):
    # a Drupal node: the image field's credit in a <div> of its own over the body field
    html = ('<html lang="en"><head><title>Council approves budget</title>'
            '<meta property="og:type" content="article"></head><body><main role="main">'
            '<article role="article" class="node node--type-article">'
            '<h1 class="page-title"><span>Council approves budget</span></h1>'
            '<div class="node__meta"><span>Courier staff</span> <span>Tue, 03/04/2025 - 09:00'
            '</span></div><div class="node__content"><div class="field--name-field-image">'
            f'<img src="a.jpg"><div class="field--name-field-credit">{credit}</div></div>'
            '<div class="field--name-body">' + "".join(f"<p>{p}</p>" for p in STORY)
            + "</div></div></article></main></body></html>")
    assert extract(html, URL).text.split("\n\n") == STORY


@pytest.mark.parametrize(("links", "authors"), [
    # a link to the author's page, its text the page's slug spelt out: the author
    ('<div class="meta"><a href="/authors/trevor-jackins">Trevor Jackins</a></div>',
     ["Trevor Jackins"]),
    ('<span><a href="https://news.example.com/author/bence-kovacs-2/">Bence Kovács</a></span>',
     ["Bence Kovács"]),
    ('<p><a href="/people/jane-doe">Jane Doe</a> and <a href="/people/max-roe">Max Roe</a></p>',
     ["Jane Doe", "Max Roe"]),
    # a link whose text is not its page's slug, or to no author's page: no author
    ('<p><a href="/authors/trevor-jackins">More from this writer</a></p>', []),
    ('<p><a href="/topics/jane-doe">Jane Doe</a></p>', []),
    # three people: the authors of a list of teasers
    ("<ul>" + "".join(f'<li><a href="/author/{slug}">{name}</a></li>' for slug, name in (
        ("ann-lee", "Ann Lee"), ("bo-chan", "Bo Chan"), ("cy-dahl", "Cy Dahl"))) + "</ul>", []),
    # a commenter's
    ('<div class="comments"><a href="/profile/jane-doe">Jane Doe</a></div>', []),
    # a source the story links to their page, in its running text
    ('<p>Economist <a href="https://www.stateu.example/people/john-smith">John Smith</a> of'
     " State University said the increase was modest compared with neighbouring cities.</p>",
     []),
    # ... but a byline's line with its date and comment count is no running text
    ('<p>by <a href="/author/amanda/">Amanda</a> · Dec 20, 2025 at 3:00 am · One comment so'
     " far</p>", ["Amanda"]),
])
def test_an_author_is_read_from_a_link_to_their_page(links, authors):
    """On the WCXB dev articles, 9 pages whose only byline was a link to its author's page
    (`/authors/trevor-jackins` "Trevor Jackins", no byline class, no "By") gave no author."""
    found = extract(page(links + paragraphs(5)), URL)
    assert found.is_article and found.authors == authors


@pytest.mark.parametrize("separator", ["|", "·", "—", "-"])
def test_a_byline_whose_date_follows_a_separator_in_its_own_element_names_the_author(separator):
    """"By Jane Doe | <time>March 12, 2024</time>": the <time> ends the byline's line, which
    then ends with the separator; that left no name."""
    byline = f"<p>By Jane Doe {separator} <time>March 12, 2024, 8:15 a.m. ET</time></p>"
    assert extract(page(byline + paragraphs(4)), URL).authors == ["Jane Doe"]


@pytest.mark.parametrize(("author", "authors"), [
    ('{"@type": "Person", "name": "Jane Doe and John Roe"}', ["Jane Doe", "John Roe"]),
    ('"Jane Doe, John Roe"', ["Jane Doe", "John Roe"]),
    ('[{"@type": "Person", "name": "Ana Gómez y Luis Pérez"}]', ["Ana Gómez", "Luis Pérez"]),
    # an organisation's name is one name; a single person's stays whole
    ('{"@type": "Organization", "name": "Johnson & Johnson"}', ["Johnson & Johnson"]),
    ('{"@type": "Person", "name": "José Ortega y Gasset"}', ["José Ortega y Gasset"]),
])
def test_a_json_ld_author_naming_several_people_gives_each(author, authors):
    """CMSs that join co-authors into one JSON-LD name ("Jane Doe and John Roe") gave them
    as one author."""
    ld = ('<script type="application/ld+json">{"@context": "https://schema.org", "@type":'
          ' "NewsArticle", "headline": "Council approves budget", "datePublished":'
          f' "2024-05-01", "author": {author}}}</script>')
    assert extract(page(paragraphs(4), head=ld), URL).authors == authors


@pytest.mark.parametrize(("byline", "authors"), [
    ('<p class="byline">Illustration by Sara Kim</p>', []),
    ('<div class="byline"><span>By Jane Doe</span>\n<span>Photos by Mark Lee</span></div>',
     ["Jane Doe"]),
    ('<div class="byline"><span>By Jane Doe</span><span>Photos by Mark Lee</span></div>',
     ["Jane Doe"]),
    ('<p class="byline">By Jane Doe; Edited by Tom Brown</p>', ["Jane Doe"]),
    ('<p class="byline">Medically reviewed by Paul Grant, MD</p>', []),
])
def test_a_photographer_illustrator_editor_or_reviewer_is_no_author(byline, authors):
    """Credits for those who did not write the story, in a byline box, were authors."""
    assert extract(page(byline + paragraphs(4)), URL).authors == authors
    assert clean_authors(["Photo by Mark Lee", "Fact-checked by Paul Grant", "Foto: dpa",
                          "Jane Doe", "Video Jones"]) == ["Jane Doe", "Video Jones"]


@pytest.mark.parametrize(("byline", "authors"), [
    ("<p>Фото: Иван Петров. Текст: Анна Смирнова</p>", ["Анна Смирнова"]),
    ("<p>Photo: Mark Lee | Text: Jane Doe</p>", ["Jane Doe"]),
    ("<p>Fotos: Ana Ruiz. Texto: Luis Pérez</p>", ["Luis Pérez"]),
    ("<p>Photo : Marc Petit. Texte : Marie Dupont</p>", ["Marie Dupont"]),
    ('<p class="byline">Photo : Marc Petit. Texte : Marie Dupont</p>', ["Marie Dupont"]),
    ("<p>Фото: Иван Петров</p>", []),  # a credit alone names no writer
])
def test_the_writer_after_a_picture_credit_on_one_line_is_the_author(byline, authors):
    """A plain line crediting the pictures, then the text ("Фото: Иван Петров. Текст: Анна
    Смирнова"): it did not open like a byline, and no author was found."""
    assert extract(page(byline + paragraphs(4)), URL).authors == authors


@pytest.mark.parametrize(("byline", "head", "authors"), [
    ('<p class="byline">Jane Doe | Reuters</p>', "", ["Jane Doe"]),
    ('<p class="byline">By Jane Doe, Associated Press</p>', "", ["Jane Doe"]),
    ('<p class="byline">Jane Doe/AP</p>', "", ["Jane Doe"]),
    ("", '<meta name="author" content="Jane Doe (Reuters)">', ["Jane Doe"]),
    ("", '<meta name="author" content="Jane Doe - Star Tribune">', ["Jane Doe"]),
    ("", '<meta name="author" content="Ana Ruiz and Li Wei, The Lakeview Appeal">',
     ["Ana Ruiz", "Li Wei"]),  # no one's name starts with "The"
    # a name of one word before the comma is a surname first
    ("", '<meta name="author" content="Doe, Jane">', ["Doe, Jane"]),
])
def test_an_outlet_after_the_authors_name_is_no_part_of_it(byline, head, authors):
    """A byline box or a meta tag naming the wire or paper after the name ("Jane Doe |
    Reuters") gave the whole as the name."""
    assert extract(page(byline + paragraphs(4), head=head), URL).authors == authors


@pytest.mark.parametrize(("byline", "head", "authors"), [
    ("<p>By Jane Doe, Mark Sun</p>", "", ["Jane Doe", "Mark Sun"]),
    ("<p>By Jane Doe, Lena H. Sun and Tom Roe</p>", "", ["Jane Doe", "Lena H. Sun", "Tom Roe"]),
    ("", '<meta name="author" content="Jane Doe, Mark Sun">', ["Jane Doe", "Mark Sun"]),
    # an outlet: led by an article, or of outlet words only
    ("<p>By Jane Doe, The Sun</p>", "", ["Jane Doe"]),
    ("<p>By Jane Doe, Sun Times</p>", "", ["Jane Doe"]),
    ("", '<meta name="author" content="Jane Doe, The Sun">', ["Jane Doe"]),
])
def test_a_co_author_whose_surname_is_an_outlets_word_is_no_outlet(byline, head, authors):
    """"Sun" is an outlet's word ("The Sun") and a surname ("Mark Sun"): the co-author was
    cut from "By Jane Doe, Mark Sun" as an outlet after the author's name."""
    assert extract(page(byline + paragraphs(4), head=head), URL).authors == authors


RELATED_LD = ('<script type="application/ld+json">{"@context": "https://schema.org", "@type":'
              ' "NewsArticle", "headline": "Governor signs water bill", "author": {"@type":'
              ' "Person", "name": "Alice Smith"}, "datePublished": "2023-11-02T09:00:00Z",'
              ' "url": "https://news.example.com/2023/11/02/water-bill"}</script>')


@pytest.mark.parametrize(("own", "url"), [
    # the page's own names its address...
    ('"mainEntityOfPage": "https://news.example.com/2024/05/01/council-approves-budget",', URL),
    ('"@id": "https://news.example.com/2024/05/01/council-approves-budget/#article",', URL),
    # ...or no other page's
    ("", URL),
    # ...or the page's but for the query it was fetched with (no canonical link)
    ('"url": "https://news.example.com/2024/05/01/council-approves-budget",',
     URL + "?utm_source=tw"),
])
def test_a_related_storys_json_ld_before_the_pages_own_is_not_the_pages(own, url):
    """A related story's card with its own JSON-LD, earlier in the page than the story's:
    its author and date were the page's."""
    ld = ('<script type="application/ld+json">{"@context": "https://schema.org", "@type":'
          f' "NewsArticle", {own} "headline": "Council approves budget", "author": {{"@type":'
          ' "Person", "name": "Maria Lopez"}, "datePublished": "2024-05-01T06:30:00-04:00"}'
          "</script>")
    article = extract(page(f"<div class='card'>{RELATED_LD}</div>" + paragraphs(4), head="")
                      .replace("</main>", f"</main>{ld}"), url)
    assert (article.authors, article.published) == (["Maria Lopez"], "2024-05-01T06:30:00-04:00")


@pytest.mark.parametrize("stamps", [
    '<span>Updated <time datetime="2024-05-03T15:10:00-04:00">May 3</time></span>'
    ' <span>Published <time datetime="2024-05-01T06:30:00-04:00">May 1</time></span>',
    '<time datetime="2024-05-03T15:10:00-04:00">Updated May 3, 2024</time>'
    ' <time datetime="2024-05-01T06:30:00-04:00">May 1, 2024</time>',
    '<time class="updated" datetime="2024-05-03T15:10:00-04:00">May 3</time>'
    '<time class="entry-date published" datetime="2024-05-01T06:30:00-04:00">May 1</time>',
    '<p>Aktualisiert am <time datetime="2024-05-03T15:10:00-04:00">03.05.2024</time></p>'
    '<p>Veröffentlicht am <time datetime="2024-05-01T06:30:00-04:00">01.05.2024</time></p>',
])
def test_an_updates_time_is_not_the_publication_time(stamps):
    """"Updated <time>... Published <time>...": the first <time> was taken for the
    publication."""
    article = extract(page(stamps + paragraphs(4)), "https://news.example.com/local/budget")
    assert article.published == "2024-05-01T06:30:00-04:00"


def test_a_time_named_published_and_updated_is_the_publication_time():
    """WordPress names the <time> of a story never updated "entry-date published updated"."""
    stamps = ('<time class="entry-date published updated" datetime="2024-05-01T06:30:00-04:00">'
              "May 1</time>")
    article = extract(page(stamps + paragraphs(4)), "https://news.example.com/local/budget")
    assert article.published == "2024-05-01T06:30:00-04:00"


@pytest.mark.parametrize(("title", "head", "url"), [
    ("Flood warning issued - Yorkshire Evening Post", "",
     "https://www.yorkshireeveningpost.example/news/flood-warning-issued-4512"),
    ("Flood warning issued | Yorkshire Evening Post",
     '<meta property="og:site_name" content="Yorkshire Evening Post">',
     "https://www.yep.example/news/flood-warning-issued-4512"),
])
def test_a_title_tags_longest_part_that_is_the_sites_name_is_not_the_title(title, head, url):
    """A page with no headline element, its story shorter than the site's name in its
    <title>: the site's name was the title."""
    html = (f'<html lang="en"><head><title>{title}</title>{head}</head><body><main><article>'
            f"{paragraphs(4)}</article></main></body></html>")
    assert extract(html, url).title == "Flood warning issued"


@pytest.mark.parametrize(("title", "expected"), [
    ("Fed cuts rates | The Example Daily Chronicle and Evening Standard", "Fed cuts rates"),
    ("Fed cuts rates - Business - The Example Daily Chronicle and Evening Standard",
     "Fed cuts rates"),
    # a part that opens in lower case goes on from the one before it
    ("Spider-Man - the review | The Example Daily Chronicle and Evening Standard",
     "Spider-Man - the review"),
    ("Spider-Man - the review", "Spider-Man - the review"),
    # a site's name is no question; the site known by the host goes wherever it stands
    ("Daily Chronicle - Why did the council approve the new school budget so late?",
     "Why did the council approve the new school budget so late?"),
    ("Example | Fed cuts rates", "Fed cuts rates"),
    ("Fed cuts rates", "Fed cuts rates"),
])
def test_the_last_part_of_a_title_tag_names_the_site_when_none_is_known(title, expected):
    """A page with no headline element nor og:site_name, its <title> "Story | Site" with
    the site's name the longer: the site's name was the title."""
    html = (f'<html lang="en"><head><title>{title}</title></head><body><main><article>'
            f"{paragraphs(4)}</article></main></body></html>")
    assert extract(html, "https://www.example.com/news/2024/fed-cuts-rates").title == expected


@pytest.mark.parametrize(("title", "expected"), [
    ("Home > News > Council approves budget", "Council approves budget"),
    ("News » Politics » Council approves budget", "Council approves budget"),
    ("Home › Council approves budget | Example", "Council approves budget"),
    ("Budget passed » Example", "Budget passed"),
    # no trail: a "»" closing a quote, a ">" between numbers, a step in lower case going
    # on from the one before, a headline that opens with "Home"
    ("Macron dénonce « une honte » devant les députés",
     "Macron dénonce « une honte » devant les députés"),
    ("Why 10 > 5 in the new maths", "Why 10 > 5 in the new maths"),
    ("Home truths » a review", "Home truths » a review"),
    ("Home sales fall for a third month", "Home sales fall for a third month"),
    # two steps, neither "Home" nor the site's name: a headline's own ">" or "»"
    ("Apple > Samsung? Not so fast, analysts say", "Apple > Samsung? Not so fast, analysts say"),
    ("Mercedes » Ferrari: the gap closes at Monza", "Mercedes » Ferrari: the gap closes at Monza"),
])
def test_a_title_tag_that_is_a_breadcrumb_trail_gives_its_story_step(title, expected):
    """A page with no headline element, its og:title the breadcrumb trail down to the
    story: the whole trail was the title."""
    html = (f'<html lang="en"><head><meta property="og:title" content="{title}"></head>'
            f"<body><main><article>{paragraphs(4)}</article></main></body></html>")
    assert extract(html, "https://www.example.com/news/2024/4512").title == expected


@pytest.mark.parametrize(("title", "url", "expected"), [
    # the slug spells the headline's parts around a hyphen or a bar
    ("Biden - Xi summit ends without deal - Example News",
     "https://www.example.com/world/biden-xi-summit-ends-without-deal",
     "Biden - Xi summit ends without deal"),
    ("Biden - Xi summit ends without deal | World | The Daily Chronicle",
     "https://www.example.com/world/biden-xi-summit-ends-without-deal/",
     "Biden - Xi summit ends without deal"),
    ("World - Biden - Xi summit ends without deal",
     "https://www.example.com/world/biden-xi-summit-ends-without-deal",
     "Biden - Xi summit ends without deal"),
    # a section or a site's name the slug does not spell is cut, as before
    ("Council approves budget - Politics - Example News",
     "https://www.example.com/politics/council-approves-budget", "Council approves budget"),
    ("Council approves budget - Politics - The Daily Chronicle",
     "https://www.example.com/news/4512", "Council approves budget"),
    # with no slug and no site's name known, a last part that reads as a sentence is no
    # site's name: the longest part stays, not the one before it
    ("Biden - Xi summit ends without deal", "https://www.example.com/news/4512",
     "Xi summit ends without deal"),
    ("Fed cuts rates | The Times of India", "https://www.example.com/news/4512", "Fed cuts rates"),
])
def test_a_hyphen_inside_a_title_tags_headline_is_no_separator(title, url, expected):
    """A page with no headline element, its <title> a headline with a hyphen in it: the
    headline was cut at the hyphen, or to the name before it."""
    html = (f'<html lang="en"><head><title>{title}</title></head><body><main><article>'
            f"{paragraphs(4)}</article></main></body></html>")
    assert extract(html, url).title == expected


@pytest.mark.parametrize(("title", "site", "expected"), [
    ("市议会通过新公共交通预算_新华网", "新华网", "市议会通过新公共交通预算"),
    ("市议会通过新公共交通预算-新华网", "新华网", "市议会通过新公共交通预算"),
    ("新华网_市议会通过新公共交通预算", "新华网", "市议会通过新公共交通预算"),
    ("市議会が新予算を可決：朝日新報", "朝日新報", "市議会が新予算を可決"),
    ("市議会が新予算を可決｜朝日新報", "朝日新報", "市議会が新予算を可決"),
    ("Council approves budget|Daily Star", "Daily Star", "Council approves budget"),
    # the host's name is the site's too
    ("Council approves budget_Example", "", "Council approves budget"),
    # no known name after the separator, or a hyphen joining a word: nothing is cut
    ("市议会通过新公共交通预算_新华网", "", "市议会通过新公共交通预算_新华网"),
    ("Why fake news spreads:The study", "The Observer", "Why fake news spreads:The study"),
    ("The power of fake-news", "News", "The power of fake-news"),
])
def test_a_sites_name_joined_to_the_title_without_spaces_is_cut(title, site, expected):
    """A page with no headline element, its <title> "Story_Site": the site's name stayed
    in the title (cut only at a separator with spaces around it)."""
    head = f'<meta property="og:site_name" content="{site}">' if site else ""
    html = (f'<html lang="zh"><head><title>{title}</title>{head}</head><body><main><article>'
            f"{paragraphs(4)}</article></main></body></html>")
    assert extract(html, "https://www.example.cn/2024/03/12/c_1130.htm").title == expected


@pytest.mark.parametrize(("title", "site", "expected"), [
    ("市议会通过新预算_新闻频道_央视网", "", "市议会通过新预算"),
    ("市议会通过新预算_新闻频道_央视网", "央视网", "市议会通过新预算"),
    ("市议会通过新预算_国内_新闻频道_人民日报", "", "市议会通过新预算"),
    # one "_", a last part no outlet's, or "_" not between Chinese characters: as before
    ("市议会通过新预算_新闻频道", "", "市议会通过新预算_新闻频道"),
    ("市议会通过新预算_新闻频道_专题", "", "市议会通过新预算_新闻频道_专题"),
    ("新华网_新闻频道_市议会通过新预算", "", "新华网_新闻频道_市议会通过新预算"),
    ("市议会_2026_预算新华网", "", "市议会_2026_预算新华网"),
])
def test_a_chinese_title_tags_channel_and_site_after_underscores_are_cut(title, site, expected):
    """A page with no headline element, its <title> "Story_Channel_Site" with no site's
    name known: the channel and the site stayed in the title."""
    head = f'<meta property="og:site_name" content="{site}">' if site else ""
    html = (f'<html lang="zh"><head><title>{title}</title>{head}</head><body><main><article>'
            f"{paragraphs(4)}</article></main></body></html>")
    assert extract(html, "https://www.example.cn/2024/03/12/c_1130.htm").title == expected


@pytest.mark.parametrize(("byline", "lang", "authors"), [
    ('<p class="author">Von Hans Müller, Berlin</p>', "de", ["Hans Müller"]),
    ("<p>Von Hans Müller, Frankfurt/Main</p>", "de", ["Hans Müller"]),
    ('<p class="autor">Por María José García, Madrid</p>', "es", ["María José García"]),
    # a credential in capitals or a suffix stays, and a surname before the comma
    ('<p class="byline">By Angela Doe, MD</p>', "en", ["Angela Doe, MD"]),
    ('<p class="byline">By Martin Luther King, Jr.</p>', "en", ["Martin Luther King, Jr."]),
    # after an English "By", one word after the comma is as often a role: it stays
    ('<p class="byline">By Tracy Parker, Dietitian</p>', "en", ["Tracy Parker, Dietitian"]),
    ('<p class="byline">Hans Müller, Berlin</p>', "de", ["Hans Müller, Berlin"]),
])
def test_a_datelines_place_after_the_authors_name_is_no_part_of_it(byline, lang, authors):
    """"Von Hans Müller, Berlin": the place the story was filed from was kept in the name
    (cut after the openers of bylines that set a place there: "Von", "Por", "Par")."""
    assert extract(page(byline + paragraphs(4), lang=lang), URL).authors == authors
    assert clean_authors(["Doe, Jane"]) == ["Doe, Jane"]


_GERMAN = ("Der Stadtrat hat am Dienstag einen neuen Haushalt für den Nahverkehr beschlossen und "
           "damit monatelange Debatten über Fahrpreise, Linien und die Zukunft der Straßenbahn "
           "beendet. ")
_SPANISH = ("El ayuntamiento aprobó el martes un nuevo presupuesto para el transporte público, "
            "poniendo fin a meses de debate sobre tarifas, rutas y el futuro del tranvía. ")


@pytest.mark.parametrize(("lang", "text", "box"), [
    # a newsletter's box mid-story, no class naming it: its heading, its pitch, its button
    ("en", PARAGRAPH, "<div><h3>The Morning Newsletter</h3><p>The day's top stories from the "
     "region, straight to your inbox.</p><p><a href='/nl'>Sign up for free</a></p></div>"),
    ("de", _GERMAN, "<div><h3>Der Morgen-Newsletter</h3><p>Jeden Morgen die wichtigsten "
     "Nachrichten aus der Region direkt in Ihr Postfach.</p><p><a href='/nl'>Jetzt kostenlos "
     "abonnieren</a></p></div>"),
    # an appeal whose ask follows a lead-in sentence
    ("en", PARAGRAPH, "<p>Quality journalism costs money. If you value our journalism, support "
     "us with a subscription from $1 a month.</p><p><a href='/s'>Subscribe</a></p>"),
    ("es", _SPANISH, "<p>El periodismo de calidad cuesta dinero. Si valoras nuestro periodismo, "
     "apóyanos con una suscripción desde 1 euro al mes.</p><p><a href='/s'>Suscríbete</a></p>"),
])
def test_a_newsletter_box_or_an_appeal_mid_story_goes_whole(lang, text, box):
    """Only the button went: "The Morning Newsletter" and its pitch, "Quality journalism
    costs money. If you value our journalism, support us..." stayed in the text (found on
    hand-written pages)."""
    story = paragraphs(3, text) + box + paragraphs(3, text).replace("Paragraph", "Part")
    found = extract(page(story, lang=lang), URL)
    assert found.is_article
    assert [block for block in found.text.split("\n\n")
            if "Paragraph" not in block and "Part" not in block] == []


@pytest.mark.parametrize(("lang", "text", "sentence"), [
    ("en", PARAGRAPH, "Fraudsters send fake news alerts straight to your inbox."),
    ("en", PARAGRAPH, "The scammers send fake news alerts straight to your inbox."),
    ("de", _GERMAN, "Die Betrüger schicken gefälschte Nachrichten direkt in Ihr Postfach."),
    # a story's sentence opening with a pitch's word ("Your", "Every", "Our", "Täglich"):
    # no newsletter's news is delivered
    ("en", PARAGRAPH, "Your bank will never send a link straight to your inbox asking for your "
     "password."),
    ("en", PARAGRAPH, "Every week, the scammers sent fake invoices straight to your inbox."),
    ("en", PARAGRAPH, "Our investigation found that the fake alerts were sent straight to your "
     "inbox."),
    ("en", PARAGRAPH, "Top officials warned that phishing emails are landing right in your inbox."),
    ("de", _GERMAN, "Täglich schicken Betrüger gefälschte Rechnungen direkt in Ihr Postfach."),
    ("es", _SPANISH, "Todas las mañanas, los estafadores envían facturas falsas directamente en "
     "tu correo."),
])
def test_a_story_sentence_about_an_inbox_stays(lang, text, sentence):
    story = paragraphs(3, text) + f"<p>{sentence}</p>" + paragraphs(2, text)
    found = extract(page(story, lang=lang), URL)
    assert sentence in found.text.split("\n\n")


@pytest.mark.parametrize("sentence", [
    "The library's book sale runs through Friday. If you value this service, donations can be "
    "made at the front desk.",
    "Organizers hope to raise $20,000 by June. If you like this idea, you can contribute at the "
    "town hall.",
])
def test_a_story_paragraph_asking_after_a_sentence_of_its_own_stays(sentence):
    """An appeal's ask may follow a lead-in sentence ("Quality journalism costs money. If you
    value our journalism..."): a lead-in that speaks of no journalism is the story's."""
    story = paragraphs(3) + f"<p>{sentence}</p>" + paragraphs(2)
    assert sentence in extract(page(story), URL).text.split("\n\n")


@pytest.mark.parametrize(("byline", "head"), [
    ('<p class="byline">Фото: Иван Сидоров. Текст: Анна Петрова</p>', ""),
    ("", '<meta name="author" content="Фото: Иван Сидоров. Текст: Анна Петрова">'),
    ('<div class="author">Photo: Mark Lee | Text: Анна Петрова</div>', ""),
])
def test_a_photo_credit_before_the_writers_label_leaves_the_writer(byline, head):
    """"Фото: Иван Сидоров. Текст: Анна Петрова": the photo credit was cut to the end of the
    line, the writer's name with it, and the page had no author."""
    assert extract(page(byline + paragraphs(4), head=head), URL).authors == ["Анна Петрова"]


_ITALIAN = ("Il consiglio comunale ha approvato martedì un nuovo bilancio per il trasporto "
            "pubblico, mettendo fine a mesi di dibattito su tariffe, linee e il futuro del tram. ")
_PORTUGUESE = ("A câmara municipal aprovou na terça-feira um novo orçamento para o transporte "
               "público, pondo fim a meses de debate sobre tarifas, linhas e o futuro do "
               "elétrico. ")
_UNDATED_URL = "https://news.example.com/politica/council-approves-budget-123"


@pytest.mark.parametrize(("lang", "text", "stamp"), [
    ("es", _SPANISH, "Publicado el 12 de marzo de 2024"),
    ("es", _SPANISH, "Madrid, 12 de marzo de 2024"),
    ("it", _ITALIAN, "Pubblicato il 12 marzo 2024"),
    ("pt", _PORTUGUESE, "Publicado em 12 de março de 2024"),
])
def test_a_written_date_after_a_label_or_a_place_dates_the_story(lang, text, stamp):
    """htmldate hands "Publicado el 12 de marzo de 2024" whole to dateparser, whose strict
    parsing refuses it: the page had no date, though "12 de marzo de 2024" alone had one."""
    found = extract(page(f"<p>{stamp}</p>" + paragraphs(4, text), lang=lang), _UNDATED_URL)
    assert found.published == "2024-03-12"


_KOREAN = ("시의회는 화요일 대중교통 신규 예산안을 가결해 요금과 노선, "
           "구시가지 통근객 대부분을 실어 나르는 노면전차망의 미래를 둘러싼 "
           "수개월간의 논쟁을 마무리했다. ")


@pytest.mark.parametrize("byline", ["김민수·이영희 기자", "김민수 이영희 기자",
                                    "김민수 기자, 이영희 기자", "사회부 김민수·이영희 기자"])
def test_a_korean_byline_of_two_reporters_names_each(byline):
    """"김민수·이영희 기자" (two reporters) came out as one name, "김민수·이영희"."""
    found = extract(page(f'<p class="byline">{byline}</p>' + paragraphs(4, _KOREAN * 3),
                         lang="ko"), URL)
    assert found.authors == ["김민수", "이영희"]
    assert extract(page('<p class="byline">김민수 기자</p>' + paragraphs(4, _KOREAN * 3),
                        lang="ko"), URL).authors == ["김민수"]


@pytest.mark.parametrize(("byline", "head"), [
    ('<p class="author">di Marco Rossi</p>', ""),
    ('<p class="autore">di Marco Rossi</p>', ""),
    ('<p class="autore">Marco Rossi</p>', ""),
    ("<p>di Marco Rossi</p>", ""),
    ("", '<meta name="author" content="di Marco Rossi">'),
])
def test_an_italian_byline_di_names_the_writer(byline, head):
    """"di Marco Rossi" kept its label ("di Marco Rossi"), or went unread (no opener "di",
    no class word "autore"); a capital "Di" opens a surname ("Di Marco") and stays."""
    found = extract(page(byline + paragraphs(4, _ITALIAN * 2), head=head, lang="it"), URL)
    assert found.authors == ["Marco Rossi"]
    assert clean_authors(["Di Pietro Antonio"]) == ["Di Pietro Antonio"]


@pytest.mark.parametrize(("byline", "authors"), [
    ("<p>Scritto da Marco Rossi</p>", ["Marco Rossi"]),
    ("<p>A cura di Marco Rossi</p>", ["Marco Rossi"]),
    ('<p class="author">Scritto da Marco Rossi</p>', ["Marco Rossi"]),
    ("<p>Scritto da</p><p>Marco Rossi</p>", ["Marco Rossi"]),
    ("<p>Di Marco Rossi e Giulia Bianchi</p>", ["Marco Rossi", "Giulia Bianchi"]),
    ('<p class="author">Di Marco Rossi e Giulia Bianchi</p>', ["Marco Rossi", "Giulia Bianchi"]),
    ("<p>Di Marco Di Pietro e Giulia Bianchi</p>", ["Marco Di Pietro", "Giulia Bianchi"]),
    # a capital "Di" before no full names joined by "e" opens a surname: no label
    ("<p>Di Pietro e Salvini</p>", []),
    ("<p>Di Marco Rossi</p>", []),
    ('<p class="author">Antonio Di Pietro</p>', ["Antonio Di Pietro"]),
])
def test_an_italian_byline_scritto_da_or_di_before_joined_names_names_the_writers(
        byline, authors):
    """"Scritto da Marco Rossi", "A cura di Marco Rossi" were no bylines; "Di Marco Rossi e
    Giulia Bianchi" neither (a capital "Di" was always taken for a surname's start)."""
    found = extract(page(byline + paragraphs(4, _ITALIAN * 2), lang="it"), URL)
    assert found.authors == authors


@pytest.mark.parametrize(("stamp", "expected"), [
    ("<p>Published March 12, 2024</p>", "2024-03-12"),
    ("<p>Posted on 12 March 2024</p>", "2024-03-12"),
    # no publication stamp shown, or one in the story's prose: the day it was changed
    ("", "2024-04-02"),
    ("<p>The first report was published March 12, 2024.</p>", "2024-04-02"),
    ("<p>The first report, published March 12, 2024, found delays.</p>", "2024-04-02"),
    ("<p>The audit (published March 12, 2024) found delays.</p>", "2024-04-02"),
])
def test_a_lone_json_ld_date_modified_does_not_hide_a_shown_publication_stamp(stamp, expected):
    """JSON-LD with "dateModified" and no "datePublished", and "Published March 12, 2024"
    shown: htmldate's timestamp search met the modified time in the JSON-LD first."""
    ld = ('<script type="application/ld+json">{"@context": "https://schema.org", "@type": '
          '"NewsArticle", "headline": "Council approves budget", "dateModified": '
          '"2024-04-02T10:00:00Z"}</script>')
    found = extract(page(stamp + paragraphs(4), head=ld), _UNDATED_URL)
    assert found.published[:10] == expected


@pytest.mark.parametrize("byline", ["김민수 논설위원", "김민수 서울대 교수", "워싱턴 김민수 특파원",
                                    "워싱턴/김민수 특파원", "정치부 차장 김민수"])
def test_a_korean_byline_of_one_writer_with_a_title_or_place_names_no_other(byline):
    """A title ("논설위원", "교수", "차장"), an affiliation ("서울대") or the place filed from
    ("워싱턴") beside one name came out as more writers ("김민수", "논설위원")."""
    found = extract(page(f'<p class="byline">{byline}</p>' + paragraphs(4, _KOREAN * 3),
                         lang="ko"), URL)
    assert len(found.authors) <= 1 and all("김민수" in name for name in found.authors)


@pytest.mark.parametrize(("lang", "byline", "authors"), [
    ("es", "Por María López, corresponsal en Lima", ["María López"]),
    ("fr", "Par Jean Dupont, envoyé spécial à Kiev", ["Jean Dupont"]),
    ("de", "Von Hans Müller, Korrespondent in Paris", ["Hans Müller"]),
    ("it", "di Marco Rossi, inviato a Kiev", ["Marco Rossi"]),
    ("pt", "Por João Silva, repórter", ["João Silva"]),
    # the agency the story draws on, after the name
    ("fr", "Par Jean Dupont avec AFP", ["Jean Dupont"]),
    ("fr", "Par Jean Dupont et AFP", ["Jean Dupont"]),
    ("en", "By Jane Doe with The Associated Press", ["Jane Doe"]),
    ("de", "Von Hans Müller mit dpa", ["Hans Müller"]),
    ("en", "By Jane Doe, CNN", ["Jane Doe"]),
    # the editor Reuters credits after the writer
    ("en", "Reporting by Jane Doe; Editing by John Roe", ["Jane Doe"]),
    # names that stay: co-authors, a credential, an outlet alone
    ("fr", "Par Jean Dupont et Marie Curie", ["Jean Dupont", "Marie Curie"]),
    ("en", "By Jane Doe with John Roe", ["Jane Doe with John Roe"]),
    ("en", "By Angela Doe, MD", ["Angela Doe, MD"]),
    ("fr", "AFP", ["AFP"]),
    ("es", "Por Ana Gómez y Luis Pérez", ["Ana Gómez", "Luis Pérez"]),
])
def test_a_role_or_an_agency_after_the_name_in_a_byline_is_no_part_of_it(lang, byline, authors):
    """A byline element's role in the page's language ("corresponsal en Lima", "envoyé
    spécial à Kiev") and the agency the story draws on ("avec AFP", "with The Associated
    Press", "CNN") stayed in the name, an agency joined by "et" came out as a co-author, and
    Reuters' editor ("Editing by ...") as a second author."""
    found = extract(page(f'<p class="byline">{byline}</p>' + paragraphs(4), lang=lang), URL)
    assert found.authors == authors


@pytest.mark.parametrize(("byline", "authors"), [
    ("By Jane Doe, Efe Kaya", ["Jane Doe", "Efe Kaya"]),
    ("By Jane Doe and Ansa Ahmed, CNN", ["Jane Doe", "Ansa Ahmed"]),
    ("By Jane Doe with Efe Kaya", ["Jane Doe with Efe Kaya"]),  # as "with John Roe"
    # the agency, in its capitals or with an outlet's word
    ("By Jane Doe, EFE", ["Jane Doe"]),
    ("By Jane Doe, Kyodo News", ["Jane Doe"]),
    ("By Jane Doe, BBC Mundo", ["Jane Doe"]),
])
def test_a_co_author_whose_first_name_is_an_agencys_initials_stays(byline, authors):
    """"Efe", "Ansa" are first names as well as agencies (EFE, ANSA): "Jane Doe, Efe Kaya"
    came out as Jane Doe alone, her co-author taken for the agency she drew on."""
    found = extract(page(f'<p class="byline">{byline}</p>' + paragraphs(4)), URL)
    assert found.authors == authors


@pytest.mark.parametrize(("byline", "authors"), [
    ("记者 王晓明 李华", ["王晓明", "李华"]),
    ("本报记者 王晓明 李华 张伟", ["王晓明", "李华", "张伟"]),
    ("記者王小明／台北報導", ["王小明"]),
    ("記者王小明/綜合報導", ["王小明"]),
    # one reporter, or names joined otherwise, as before
    ("记者 王晓明", ["王晓明"]),
    ("记者 王晓明、李华", ["王晓明", "李华"]),
    ("本报记者 王晓明 实习生 李华", ["王晓明", "李华"]),
])
def test_a_chinese_bylines_reporters_apart_by_spaces_or_before_the_place_are_named(
        byline, authors):
    """A Chinese byline of several reporters a space apart ("记者 王晓明 李华") came out as one
    name, and Taiwan's "記者王小明／台北報導" (the reporter, the place, "reports") as none."""
    found = extract(_short_story("zh", "前十个月工业企业利润增长", byline),
                    "https://news.example.com/2026/11/28/story.html")
    assert found.authors == authors


@pytest.mark.parametrize("name", ["山田 太郎", "記者 山田 太郎"])
def test_a_japanese_name_written_with_a_space_stays_one_name(name):
    assert split_authors(name) == [name]


@pytest.mark.parametrize(("lang", "stamp", "day"), [
    ("zh", "2026年11月30日", "2026-11-30"),
    ("zh", "发布时间：2026年11月30日 14:05", "2026-11-30"),
    ("ja", "公開日：2026年11月3日", "2026-11-03"),
    ("ja", "2026年11月30日（月）", "2026-11-30"),
    # a Japanese era's year: Reiwa 8, Heisei 30, Reiwa's first ("元年")
    ("ja", "令和8年11月30日", "2026-11-30"),
    ("ja", "平成30年4月1日", "2018-04-01"),
    ("ja", "令和元年5月1日", "2019-05-01"),
    # the Hijri date an Arabic page shows before the Gregorian one
    ("ar", "الاثنين 29 جمادى الأولى 1448 هـ - 30 نوفمبر 2026", "2026-11-30"),
    ("ar", "٢٩ جمادى الأولى ١٤٤٨ هـ الموافق ٣٠ نوفمبر ٢٠٢٦", "2026-11-30"),
    # as before: a date in the prose is the only one, a time in the stamp
    ("zh", "2026年11月30日 14:05", "2026-11-30"),
    ("ar", "30 نوفمبر 2026", "2026-11-30"),
])
def test_a_day_written_in_chinese_or_japanese_or_beside_a_hijri_one_dates_the_page(
        lang, stamp, day):
    """htmldate reads no "2026年11月30日" (no separator its patterns know, none that sends
    it to dateparser), no Japanese era's year ("令和8年"), and no date after a Hijri year
    ("1448 هـ": the first year a string names decides whether it may be a date): such pages
    had none."""
    found = extract(page(f"<p class='date'>{stamp}</p>" + paragraphs(4), lang=lang),
                    _UNDATED_URL)
    assert (found.published or "")[:10] == day


def test_a_chinese_date_in_the_date_search_copy_is_written_as_iso():
    root = fromstring("<html><body><p>令和元年5月1日 2026年1月3日 12年3月4日</p></body></html>")
    assert _date_search_copy(root).text_content() == "2019-05-01 2026-01-03 12年3月4日"


@pytest.mark.parametrize(("byline", "authors"), [
    ("Door Jan de Vries", ["Jan de Vries"]),
    ("Door Jan de Vries en Eva Bakker", ["Jan de Vries", "Eva Bakker"]),
    ("Jan Door", ["Jan Door"]),  # a surname, after the first name
    # two first names of one surname, as before (the label no word of the first name)
    ("Door Jan en Piet de Vries", ["Jan en Piet de Vries"]),
    ("Door Marleen en Jan Smit", ["Marleen en Jan Smit"]),
    # "en" is "in" in Spanish and French: a role and a place, not a second name
    ("Par Jean Dupont, correspondant en Amérique latine", ["Jean Dupont"]),
    ("Por María López, corresponsal en Nueva York", ["María López"]),
    # ... and the place filed from, after "en" alone, neither a second name nor the name's
    ("Por María López en Nueva York", ["María López"]),
])
def test_a_dutch_bylines_label_and_joiner_are_no_part_of_the_names(byline, authors):
    """"Door Jan de Vries" (Dutch "by") kept its label, and "en" ("and") joined two names
    into one."""
    found = extract(page(f'<p class="byline">{byline}</p>' + paragraphs(4), lang="nl"), URL)
    assert found.authors == authors


@pytest.mark.parametrize(("byline", "lang", "authors"), [
    # "y" and "e" between first names of one surname, the label no word of the first name
    ("Por Ana y Luis Pérez", "es", ["Ana y Luis Pérez"]),
    ("Por Ana e Luís Pereira", "pt", ["Ana e Luís Pereira"]),
    ("Por Ana Gómez y Luis Pérez", "es", ["Ana Gómez", "Luis Pérez"]),
    ("Por Ana Gómez e Luís Pereira", "pt", ["Ana Gómez", "Luís Pereira"]),
    ("Ana Gómez y Luis Pérez", "es", ["Ana Gómez", "Luis Pérez"]),
    # after an English "By", "en" is a Spanish place's word, no Dutch "and": the place filed
    # from, no part of the name
    ("By Maria Lopez en Nueva York", "en", ["Maria Lopez"]),
    ("Jan de Vries en Eva Bakker", "nl", ["Jan de Vries", "Eva Bakker"]),
])
def test_a_bylines_label_decides_no_split_at_y_e_or_en(byline, lang, authors):
    """"Por Ana y Luis Pérez" came out as "Ana" and "Luis Pérez" (the label counted as a
    word of the first name), "By Maria Lopez en Nueva York" as "Maria Lopez" and "Nueva
    York" (the Dutch "and" read after an English label)."""
    found = extract(page(f'<p class="byline">{byline}</p>' + paragraphs(4), lang=lang), URL)
    assert found.authors == authors


@pytest.mark.parametrize(("byline", "lang", "authors"), [
    ("Autor: Jan Kowalski", "pl", ["Jan Kowalski"]),
    ("Autorin: Anna Meier", "de", ["Anna Meier"]),
    ("Author: Jane Doe", "en", ["Jane Doe"]),
    ("Auteur : Jean Dupont", "fr", ["Jean Dupont"]),
    ("Door Jan de Vries", "nl", ["Jan de Vries"]),
    ("DOOR JAN JANSEN", "nl", ["JAN JANSEN"]),  # as "BY JANE DOE" gives "JANE DOE"
    # "Author" without its colon opens a sentence, "Door" an English heading; a Dutch
    # sentence or a heading with an article is no byline either
    ("Autor des Buches ist Jan Kowalski", "de", []),
    ("Author Jane Doe signed copies at the library", "en", []),
    ("Door Prizes Announced", "en", []),
    ("Door Jan de Vries", "en", []),
    ("Door de regen liep de wedstrijd vertraging op", "nl", []),
    ("Door Het Weer Afgelast", "nl", []),
])
def test_an_author_label_or_a_dutch_door_in_a_plain_paragraph_opens_a_byline(byline, lang,
                                                                              authors):
    """"Autor: Jan Kowalski" and, on a page in Dutch, "Door Jan de Vries" in a paragraph with
    no class named nobody ("By Jane Doe" there did); what is no byline stays in the text."""
    found = extract(page(f"<p>{byline}</p>" + paragraphs(4), lang=lang), URL)
    assert found.authors == authors
    assert (byline in found.text) == (not authors)


def test_an_author_label_deep_in_the_story_is_no_byline():
    """Release notes crediting each module they list ("<h3>Module</h3><p>Author: Tarek
    Nakkouch</p>" after the story's paragraphs): the module's author became the story's."""
    module = "<h3>Grav CMS Sandbox Bypass</h3><p>Author: Tarek Nakkouch</p><p>Type: Exploit</p>"
    found = extract(page(paragraphs(4) + module), URL)
    assert found.authors == [] and "Author: Tarek Nakkouch" in found.text



def test_an_author_label_alone_before_links_names_not_only_the_first():
    """"<span>Authors:</span> <a>Jane Doe</a>, <a>John Roe</a>" (arXiv): the label alone
    opened a byline read to the element after it, the first of the names."""
    names = '<p><span>Authors:</span> <a href="/a/1">Jane Doe</a>, <a href="/a/2">John Roe</a></p>'
    assert extract(page(names + paragraphs(4)), URL).authors != ["Jane Doe"]
