"""Site rules: validation errors that name the file and the key, layouts by date, overrides."""

import os
import re
from datetime import datetime
from pathlib import Path

import pytest

from extractors import extract, fixtures
from extractors.rules import BUILTIN, RuleError, load_dir, load_file

MT = sorted(p.path for p in fixtures.cases(site="themoscowtimes.com"))
GOOD = """domains = ["news.example.com"]
[[layout]]
name = "v1"
body = ["div.story-body"]
drop = ["//div[@class='promo']"]
title = "h1.headline"
"""


def write(tmp_path: Path, text: str, name: str = "news.example.com.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("text", "where"), [
    (GOOD + "colour = 'red'\n", "layout[0].colour: unknown key"),
    ("colr = 1\n" + GOOD, "colr: unknown key"),
    (GOOD.replace("div.story-body", "div[[["), "layout[0].body[0]: invalid CSS selector"),
    # cssselect and tomllib go by recursion: a RecursionError's traceback, exit 1
    (GOOD.replace("div.story-body", " ".join(["div"] * 600)),
     "layout[0].body[0]: CSS selector 'div div"),
    ("x = " + "[" * 5000 + "]" * 5000 + "\n" + GOOD, "not valid TOML: nested too deeply"),
    (GOOD.replace("//div[@class='promo']", "//div[@class="), "layout[0].drop[0]: invalid XPath"),
    (GOOD.replace('name = "v1"', 'valid_from = "yesterday"'), "layout[0].valid_from"),
    (GOOD.replace('["news.example.com"]', "[]"), "domains: expected a non-empty list"),
    ('domains = ["a.example"]\n', "layout: expected at least one"),
    ("domains = [", "Invalid value"),
    (GOOD.replace('title = "h1.headline"', "title = 3"), "layout[0].title: expected a selector"),
    (GOOD.replace('name = "v1"', "valid_from = 2025-01-01T10:00:00"),
     "layout[0].valid_from: expected a TOML date"),
    ('domains = ["a.example"]\nlayout = [1]\n', "layout[0]: expected a [[layout]] table"),
    ('domains = ["a.example"]\nlayout = ["oops"]\n', "layout[0]: expected a [[layout]] table"),
    (GOOD.replace("//div[@class='promo']", "//p[foo()]"), "layout[0].drop[0]: XPath"),
    (GOOD.replace("//div[@class='promo']", "//p[$x]"), "layout[0].drop[0]: XPath"),
    (GOOD.replace("//div[@class='promo']", "//p[re:test(@class, 'a')]"),
     "layout[0].drop[0]: XPath"),
    (GOOD.replace("//div[@class='promo']", "//p[last()-foo()]"), "unknown function foo()"),
    (GOOD.replace("//div[@class='promo']", "//a[@xlink:href]"), "namespace prefixes"),
    (GOOD.replace("//div[@class='promo']", "//p[ancestor::svg:svg]"), "namespace prefixes"),
    # errors libxml2 shows only on a node the step selects: the probe page has the usual ones
    (GOOD.replace("//div[@class='promo']", "//p[starts-with()]"),
     "layout[0].drop[0]: invalid XPath"),
    (GOOD.replace("//div[@class='promo']", "//article//div[count('x') > 0]"),
     "layout[0].drop[0]: invalid XPath"),
    (GOOD.replace('["news.example.com"]', '["news.example.com", "127.0.0.1:8765"]'),
     "domains[1]: '127.0.0.1:8765' is not a host name"),
    (GOOD.replace('["news.example.com"]', '["https://a.example/"]'),
     "domains[0]: 'https://a.example/' is not a host name"),
    (GOOD.replace('["news.example.com"]', '["*.a.example"]'),
     "domains[0]: '*.a.example' is not a host name (a rule covers a host and its subdomains"),
    # an author's slips that loaded, and then did nothing or too much
    (GOOD.replace('["news.example.com"]', '["a.example."]'),
     "domains[0]: 'a.example.' is not a host name"),
    (GOOD.replace('["news.example.com"]', '["example.com\u3002"]'),
     "domains[0]: 'example.com\u3002' is not a host name"),
    # no host a crawl requests: loaded as ok, and covered nothing
    (GOOD.replace('["news.example.com"]', '["a.example,b.example"]'),
     "domains[0]: 'a.example,b.example' is not a host name"),
    (GOOD.replace('["news.example.com"]', """['"a.example"']"""),
     """domains[0]: '"a.example"' is not a host name"""),
    (GOOD.replace('["news.example.com"]', '["a.example;"]'),
     "domains[0]: 'a.example;' is not a host name"),
    (GOOD.replace('["news.example.com"]', '["-a.example"]'),
     "domains[0]: '-a.example' is not a host name"),
    (GOOD.replace('["news.example.com"]', '["com"]'), "domains[0]: 'com' is a public suffix"),
    (GOOD.replace('["news.example.com"]', '["news.example.com", "Co.UK"]'),
     "domains[1]: 'Co.UK' is a public suffix: the rule would cover every site under it"),
    (GOOD.replace('["news.example.com"]', '["github.io"]'), "'github.io' is a public suffix"),
    (GOOD.replace('["news.example.com"]', '["рф"]'), "domains[0]: 'рф' is a public suffix"),
    (GOOD.replace('name = "v1"', "name = [1, 2]"), "layout[0].name: expected a string"),
    (GOOD.replace('name = "v1"', 'name = ""'), "layout[0].name: expected a string"),
    # the id goes into articles.rule and one-line warnings: a line break split them
    (GOOD.replace('name = "v1"', 'name = "v1\\n2025"'),
     "layout[0].name: 'v1\\n2025' holds a control character"),
    (GOOD.replace('name = "v1"', 'name = "v1\\t"'), "layout[0].name: 'v1\\t' holds a control"),
    ("description = 5\n" + GOOD, "description: expected a string"),
    (GOOD + '[[layout]]\nname = "v1"\ndrop = ["p.x"]\n',
     "layout[1].name: 'v1' names layout[0] too"),
    (GOOD.replace('name = "v1"', 'name = "1"') + '[[layout]]\ndrop = ["p.x"]\n',
     "layout[1] (unnamed): '1' names layout[0] too"),
    (GOOD.replace('name = "v1"', "valid_from = 2025-01-01\nvalid_until = 2024-01-01"),
     "layout[0].valid_until: 2024-01-01 is not after its valid_from, 2025-01-01"),
    # matched every page, the page whole, as a layout without `body` does
    (GOOD.replace('["div.story-body"]', "[]"), "layout[0].body: an empty list: give at least"),
])
def test_bad_rule_names_file_and_key(tmp_path, text, where):
    path = write(tmp_path, text)
    with pytest.raises(RuleError) as error:
        load_file(path)
    message = str(error.value)
    assert message.startswith(str(path)) and where in message and "\n" not in message


@pytest.mark.parametrize("edit", [
    ('["news.example.com"]', '["bücher.example", "xn--bcher-kva.example", "Bücher.example"]'),
    ('["news.example.com"]', '["newsapp"]'),  # an intranet host, a Docker service
    ('["news.example.com"]', '["bbc.co.uk", "localhost", "127.0.0.1", "user.github.io"]'),
    ('["news.example.com"]', '["my_host.a-b.example", "news.example.com\u200b"]'),
    ('["news.example.com"]', '["www.example.com", "example.com"]'),
    ('name = "v1"', "name = 2.5"), ('name = "v1"', "name = 2025-03-01"),
    ('body = ["div.story-body"]\n', ""), ('drop = ["//div[@class=\'promo\']"]', "drop = []")])
def test_what_loaded_before_still_loads(tmp_path, edit):
    """One host written in its two forms, a single-label host, a site under a public suffix,
    a number or a date as a layout's name."""
    write(tmp_path, GOOD.replace(*edit))
    assert load_dir(tmp_path)[0].layouts


def test_a_folder_without_rule_files_is_refused_by_its_full_path(tmp_path, monkeypatch):
    """The folder above the rules, or one not filled yet, loaded no rule without a word.
    Named by its full path, as docs/rules.md says of every such error (it named it as
    typed: `my-rules`, left empty by the docs' own `mv` of its one rule)."""
    (tmp_path / "my-rules").mkdir()
    monkeypatch.chdir(tmp_path)
    with pytest.raises(RuleError) as info:
        load_dir(Path("my-rules"))
    assert str(info.value) == (f"{tmp_path.resolve() / 'my-rules'}: no site rules in it (a rule"
                               " is a *.toml file)")
    with pytest.raises(RuleError, match=f"^{re.escape(str(tmp_path.resolve()))}/nope: not a"):
        load_dir(Path("nope"))


def test_two_files_of_one_folder_covering_one_domain_are_refused(tmp_path):
    """Which one applied hung on the files' names, without a word."""
    write(tmp_path, GOOD, "a-old.toml")
    write(tmp_path, GOOD)
    with pytest.raises(RuleError, match=r"news\.example\.com\.toml: domains\[0\]: "
                                        r"news\.example\.com is covered by a-old\.toml too"):
        load_dir(tmp_path)


def test_a_domain_in_another_script_covers_the_host_a_crawl_requests(tmp_path):
    """Scrapy requests `xn--...` (IDNA): a rule naming the host as written never applied
    in a crawl."""
    write(tmp_path, GOOD.replace("news.example.com", "gazeta-żółć.example"), "gazeta.toml")
    page = ('<html><head><title>t</title></head><body><h1 class="headline">Ferry strike '
            'ends</h1><div class="story-body"><p>' + "Workers voted to return. " * 20 +
            '</p></div><div class="promo">Subscribe</div></body></html>')
    for url in ("https://www.gazeta-żółć.example/2025/a", "https://www.xn--gazeta--r0a4prw2t"
                ".example/2025/a", "https://WWW.XN--GAZETA--R0A4PRW2T.EXAMPLE./2025/a"):
        assert extract(page, url, rules=(tmp_path,)).rule == "gazeta:v1", url


def test_a_rule_file_with_a_byte_order_mark_loads(tmp_path):
    """A Windows editor's UTF-8 file: "Invalid statement (at line 1, column 1)"."""
    path = tmp_path / "news.example.com.toml"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.encode())
    assert load_file(path).domains == ("news.example.com",)


def test_builtin_rules_load():
    assert load_dir(BUILTIN)


@pytest.mark.parametrize("path", MT, ids=lambda p: p.name)
def test_generic_path_alone_gives_the_same_text_as_the_site_rule(path):
    with_rule, generic = fixtures.run(path), fixtures.run(path, site_rules=False)
    assert with_rule.rule and generic.rule is None
    assert generic.text == with_rule.text == fixtures.Case(path).expected["text"]


def test_layout_is_chosen_by_the_day_the_page_was_served():
    path = MT[0]
    html, url = (path / "response.html").read_bytes(), fixtures.Case(path).response["url"]
    old = extract(html, url, fetched=datetime(2014, 6, 1))
    new = extract(html, url, fetched=datetime(2026, 6, 1))
    assert (old.rule, new.rule) == ("themoscowtimes.com:2014", "themoscowtimes.com:2025")
    # the layouts' dates are UTC days: 02:00 in Moscow on 1 January is 31 December in UTC
    from datetime import UTC, timedelta, timezone

    moscow = datetime(2025, 1, 1, 2, 0, tzinfo=timezone(timedelta(hours=3)))
    assert extract(html, url, fetched=moscow).rule == "themoscowtimes.com:2014"
    assert extract(html, url, fetched=moscow.astimezone(UTC)).rule == "themoscowtimes.com:2014"


def test_user_rule_folder_comes_first_and_its_selectors_apply(tmp_path):
    write(tmp_path, GOOD)
    body = " ".join(["The harbour reopened on Monday after a week of storms."] * 12)
    html = (f"<html><body><h1 class='headline'>Harbour reopens</h1><div class='story-body'>"
            f"<p>{body}</p><div class='promo'><p>Buy our mugs today, limited offer!</p></div>"
            f"<p>{body}</p></div><div class='other'><p>{body} Sidebar.</p></div></body></html>")
    url = "https://news.example.com/2025/harbour"
    article = extract(html, url, rules=(tmp_path,))
    assert article.rule == "news.example.com:v1"
    assert article.title == "Harbour reopens"
    assert "mugs" not in article.text and "Sidebar" not in article.text
    assert "news.example.com:v1:drop" in article.removed
    assert extract(html, url).rule is None


@pytest.mark.parametrize("xpath", ["(count(//p))", "(string(//h1))", "//p = 'x'"])
def test_an_xpath_that_selects_nothing_is_refused_on_load(tmp_path, xpath):
    path = write(tmp_path, GOOD.replace("//div[@class='promo']", xpath))
    with pytest.raises(RuleError, match=r"layout\[0\]\.drop\[0\]: XPath .* must select"):
        load_file(path)


def test_an_xpath_naming_functions_in_strings_is_valid(tmp_path):
    path = write(tmp_path, GOOD.replace("//div[@class='promo']",
                                        "//div[contains(@class, 'f($x)') and(@id)]"))
    assert load_file(path).layouts[0].drop


def test_a_layout_whose_selector_fails_on_the_page_is_passed_over(tmp_path, caplog):
    """What `rules check` cannot see (an XPath type error, which only a matching node shows)
    does not fail the page: the layout is passed over, as one that does not match, for the
    generic path; and a warning says so, once."""
    write(tmp_path, GOOD.replace("//div[@class='promo']", "//mark[count('x') > 0]"))
    html = ("<html><body><h1 class='headline'>Harbour</h1><div class='story-body'><p>"
            + "Harbour news. " * 40 + "<mark>Harbour</mark></p></div></body></html>")
    url = "https://news.example.com/a"
    with caplog.at_level("WARNING", logger="extractors.core"):
        articles = [extract(html, url, rules=(tmp_path,)) for _ in range(2)]
    assert all(a.rule is None and "Harbour news." in a.text for a in articles)
    warned = [r.getMessage() for r in caplog.records if "news.example.com:v1" in r.getMessage()]
    assert len(warned) == 1 and "passed over" in warned[0]
    assert "drop[0] \"//mark[count('x') > 0]\" fails on" in warned[0]  # which selector


def test_a_published_selector_takes_its_first_date_and_says_when_it_matches_none(
        tmp_path, caplog):
    """A `published` selector that also matches a label ("Updated") gives the first of its
    values that is a date; one that matches no date keeps the date found without the rule,
    and a warning says so, once per layout."""
    write(tmp_path, GOOD + 'published = "span.when"\n')
    story = "<div class='story-body'><p>" + "Harbour news. " * 40 + "</p></div>"
    head = ("<html><head><meta property='article:published_time' content='2024-03-01'>"
            "</head><body><h1 class='headline'>Harbour</h1>")
    url = "https://news.example.com/a"
    dated = extract(head + "<span class='when'>Updated</span><span class='when'>2024-05-02"
                    "</span>" + story + "</body></html>", url, rules=(tmp_path,))
    assert dated.rule == "news.example.com:v1" and dated.published.startswith("2024-05-02")
    with caplog.at_level("WARNING", logger="extractors.core"):
        undated = [extract(head + "<span class='when'>Staff</span>" + story + "</body></html>",
                           url, rules=(tmp_path,)) for _ in range(2)]
    assert all(a.published.startswith("2024-03-01") for a in undated)
    warned = [r.getMessage() for r in caplog.records if "published matched" in r.getMessage()]
    assert warned == ["site rule news.example.com:v1: published matched 'Staff', which is not"
                      " a date; where it matches no date, the date found without the rule is"
                      " kept"]


@pytest.mark.parametrize(("lang", "written", "published"), [
    ("en", "Nov 25, 2025 5:00 am PST", "2025-11-25T05:00:00-08:00"),
    ("en", "1 March 2025", "2025-03-01"),
    ("en", "March 1, 2025", "2025-03-01"),
    ("en", "2025/03/01", "2025-03-01"),
    ("en", "Tue, 04 Mar 2025 10:00:00 +0000", "2025-03-04T10:00:00Z"),
    ("en", "25.11.2025 14:30 Uhr", "2025-11-25T14:30:00"),
    ("en", "03/04/2025", "2025-03-04"),
    # a page's own order of day and month: read month first (4 March), as English writes
    # it, whatever the page's language, "03.04.2025" on a German page is 3 April (a review)
    ("de", "03.04.2025 14:30 Uhr", "2025-04-03T14:30:00"),
    ("fr", "03/04/2025", "2025-04-03"),
    ("ru", "03.04.2025", "2025-04-03"),
    ("de", "Nov 25, 2025 5:00 am PST", "2025-11-25T05:00:00-08:00"),
])
def test_a_published_selector_reads_a_date_written_for_readers(tmp_path, lang, written,
                                                                published):
    """docs/rules.md's own example selects a <time>'s text where it has no datetime: only
    ISO 8601 was read, and "Nov 25, 2025 5:00 am PST" was 'not a date' (a walkthrough)."""
    write(tmp_path, GOOD + 'published = "time.published"\n')
    html = (f"<html lang='{lang}'><head><meta property='article:published_time' "
            "content='2024-03-01'></head><body><h1 class='headline'>Harbour</h1>"
            f"<time class='published'>{written}</time><div class='story-body'><p>"
            + "Harbour news. " * 40 + "</p></div></body></html>")
    article = extract(html, "https://news.example.com/a", rules=(tmp_path,))
    assert article.rule == "news.example.com:v1" and article.published == published


@pytest.mark.parametrize(("old", "new", "where"), [
    ('"div.story-body"', '"//div/@class"', "body[0]"),
    ("//div[@class='promo']", "(//div/text())[1]", "drop[0]"),
    ("//div[@class='promo']", "//aside | //div/@id", "drop[0]"),
    ('"div.story-body"', '"(//div/@data-body | //article)[1]"', "body[0]"),  # (review)
])
def test_a_body_or_drop_selecting_attributes_or_text_is_refused_on_load(tmp_path, old, new,
                                                                         where):
    """Such a body selected no element, and the layout never applied, without a word."""
    path = write(tmp_path, GOOD.replace(old, new))
    with pytest.raises(RuleError, match=rf"layout\[0\]\.{re.escape(where)}: XPath .* must"
                                        " select elements, not attributes or text"):
        load_file(path)


@pytest.mark.parametrize("body", ["//div[@itemprop|@data-body]", "//div[p/text()|h2]",
                                  "//article | //div[@class='story']"])
def test_a_union_inside_a_predicate_still_selects_elements(tmp_path, body):
    """A `|` in a predicate was read as a union whose branch ends in an attribute."""
    path = write(tmp_path, GOOD.replace('"div.story-body"', f'"{body}"'))
    assert load_file(path).layouts[0].body


def test_metadata_selectors_may_select_attributes(tmp_path):
    path = write(tmp_path, GOOD.replace('"h1.headline"',
                                        '"//meta[@property=\'og:title\']/@content"'))
    assert load_file(path).layouts[0].meta["title"]


def test_an_edited_rule_folder_is_reloaded(tmp_path):
    path = write(tmp_path, GOOD)
    assert load_dir(tmp_path)[0].layouts[0].id == "news.example.com:v1"
    path.write_text(GOOD.replace('name = "v1"', 'name = "v2"'), encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
    assert load_dir(tmp_path)[0].layouts[0].id == "news.example.com:v2"


def test_rules_check_exits_2_naming_the_file_and_key_as_crawl_does(tmp_path):
    """A broken rule file is bad input (exit code 2) wherever it is read; `rules check`
    said 1, the code of a failure that running again may cure."""
    from click.testing import CliRunner

    from crawler.cli import cli

    path = write(tmp_path, GOOD.replace("//div[@class='promo']", "//p[starts-with()]"))
    result = CliRunner().invoke(cli, ["rules", "check", str(tmp_path)])
    assert result.exit_code == 2
    assert f"{path}: layout[0].drop[0]: invalid XPath" in result.stderr
    write(tmp_path, GOOD)
    result = CliRunner().invoke(cli, ["rules", "check", str(tmp_path)])
    assert result.exit_code == 0 and result.stdout.endswith("rule files ok\n")


def test_a_rule_file_that_is_a_link_to_nothing_is_named_in_one_line(tmp_path):
    """Its `stat` raised FileNotFoundError: a 44-line traceback from `rules check` and a
    crawl, exit 1."""
    (tmp_path / "site.toml").symlink_to(tmp_path / "gone" / "site.toml")
    with pytest.raises(RuleError, match=r"site\.toml: No such file or directory"):
        load_dir(tmp_path)


@pytest.mark.parametrize("command", [
    ["crawl", "http://127.0.0.1:9/"], ["demo", "--port", "0"], ["reextract"]])
def test_a_broken_built_in_rule_file_fails_a_crawl_or_reextract_before_any_work(
        tmp_path, monkeypatch, command):
    """A file moved into extractors/sites/ (the documented way to ship a rule) was never
    checked: the crawl exited 0 with every page an extraction failure."""
    from click.testing import CliRunner

    from crawler import storage
    from crawler.cli import cli
    from extractors import rules

    path = write(tmp_path, "dorp = [1]\n" + GOOD)
    monkeypatch.setattr(rules, "BUILTIN", tmp_path)
    db = tmp_path / "news.db"
    if command == ["reextract"]:
        storage.open_db(db).close()
    result = CliRunner().invoke(cli, [*command, "--db", str(db)])
    assert result.exit_code == 2, result.output
    assert result.stderr.strip().splitlines()[-1] == f"newscrawl: error: {path}: dorp: unknown key"
    assert db.exists() == (command == ["reextract"])


def test_a_rule_for_a_subdomain_comes_before_one_for_its_domain_whatever_their_names(
        tmp_path):
    story = "<div class='story-body'><p>" + "Harbour news. " * 40 + "</p></div>"
    html = f"<html><body><h1 class='headline'>Harbour</h1>{story}</body></html>"
    for name in ("a-example.toml", "z-example.toml"):  # before and after the other's name
        for old in tmp_path.glob("*-example.toml"):
            old.unlink()
        write(tmp_path, GOOD.replace('"news.example.com"', '"example.com"')
              .replace('name = "v1"', 'name = "broad"'), name)
        write(tmp_path, GOOD)
        assert extract(html, "https://news.example.com/a", rules=(tmp_path,)
                       ).rule == "news.example.com:v1", name
        assert extract(html, "https://www.example.com/a", rules=(tmp_path,)
                       ).rule == f"{name.removesuffix('.toml')}:broad"


@pytest.mark.parametrize("prompt_in", ["outside", "drop", "outside, body gated"])
def test_a_site_rules_page_keeps_the_meter_its_prompt_shows(tmp_path, prompt_in):
    """A meter outside the rule's body, or in an element the rule drops, was never seen by
    the paywall check: a rule turned "metered" into "none" (and `fixture save` recorded it
    so). (A plain "subscribe" offer there beside a full story is no truncation:
    tests/test_robustness.py.)"""
    write(tmp_path, GOOD)
    prompt = "<div class='gate'><p>You have read 3 of 5 free articles this month.</p></div>"
    story = "".join(f"<p>{sentence}</p>" for sentence in [
        "The harbour at Wendport reopened to shipping on Monday after a week in which storms"
        " closed it to all but the lifeboat, the port authority said in a statement.",
        "Three cargo ships that had waited out the weather in the bay were the first to"
        " berth, followed by the ferry to the islands, which ran two extra crossings.",
        "Engineers found damage to the outer breakwater, where waves had torn away part of"
        " the concrete facing, and said repairs would take until the end of the summer.",
        "Fishermen said they had lost a week of income and asked the council for help with"
        " mooring fees; the council said it would discuss the request on Thursday."])
    inside = story + (f"<div class='promo'>{prompt}</div>" if prompt_in == "drop" else "")
    if prompt_in.endswith("gated"):  # a prompt in the body hid the meter beyond it (review)
        inside += "<p>Subscribe to continue reading.</p>"
    html = (f"<html><body><h1 class='headline'>Harbour reopens</h1><div class='story-body'>"
            f"{inside}</div>{prompt if prompt_in.startswith('outside') else ''}</body></html>")
    url = "https://news.example.com/2025/03/04/harbour-reopens"
    article = extract(html, url, rules=(tmp_path,))
    assert article.rule == "news.example.com:v1" and "free articles" not in article.text
    assert article.paywall == extract(html, url).paywall == "metered"


@pytest.mark.parametrize(("entry", "said"), [
    ('id = "x"\nkind = "cue"\ncues = ["^(sign up"]\nmax_words = 5',
     "pattern[0] 'x': cues[0]: invalid regex: missing ), unterminated subpattern"),
    ('id = "x"\nkind = "cue"\ncues = ["^sign up"]', "pattern[0] 'x': max_words: missing"),
    ('id = "x"\nkind = "tokens"\ntokens = ["promo"]\nspare_prse = true',
     "pattern[0] 'x': spare_prse: not a key of a tokens pattern (did you mean spare_prose?)"),
    ('id = "x"\nkind = "tokens"\ntokens = "promo"',
     "pattern[0] 'x': tokens: expected a non-empty list of strings"),
    ('id = "x"\nkind = "xpath"\nxpath = "//p["', "pattern[0] 'x': xpath: invalid XPath"),
    ('id = "x"\nkind = "xpath"\nxpath = "//p"\nwhen = "(key"',
     "pattern[0] 'x': when: invalid regex: missing ), unterminated subpattern"),
    # what only a page shows, where every page failed: as site rules' selectors are checked
    ('id = "x"\nkind = "xpath"\nxpath = "//div[frob(@class)]"',
     "pattern[0] 'x': xpath: XPath '//div[frob(@class)]': unknown function frob()"),
    ('id = "x"\nkind = "xpath"\nxpath = "//div/@class"',
     "xpath: XPath '//div/@class' must select elements, not attributes or text"),
    ('id = "x"\nkind = "cues"', "pattern[0] 'x': kind: expected one of tokens, roles"),
])
def test_a_broken_chrome_catalogue_is_one_line_naming_the_pattern_and_key(
        tmp_path, monkeypatch, entry, said):
    """It was a traceback from `extract` (a bad regex, a missing key) and a crawl that
    exited 0 with every page failed; a misspelt key or a string for a list was read."""
    from click.testing import CliRunner

    from crawler.cli import cli
    from extractors import chrome

    broken = tmp_path / "catalogue.toml"
    broken.write_text(f"[[pattern]]\n{entry}\n", encoding="utf-8")
    monkeypatch.setattr(chrome, "CATALOGUE", broken)
    chrome.catalogue.cache_clear()
    try:
        page = tmp_path / "page.html"
        page.write_text("<html><body><p>x</p></body></html>", encoding="utf-8")
        for args in (["extract", str(page), "--url", "https://n.example/a"],
                     ["crawl", "http://127.0.0.1:9/", "--db", str(tmp_path / "n.db")],
                     ["rules", "check"]):
            result = CliRunner().invoke(cli, args)
            assert result.exit_code == 2, (args, result.output)
            last = result.stderr.strip().splitlines()[-1]
            assert last.startswith(f"newscrawl: error: {broken}: pattern[0]"), args
            assert said in last and "Traceback" not in result.output
        assert not (tmp_path / "n.db").exists()
    finally:
        chrome.catalogue.cache_clear()


def test_a_css_selector_matches_html_names_whatever_their_case(tmp_path):
    """CSS reads HTML element and attribute names without case (`DIV.story-body`,
    `div[CLASS=story-body]`, as a page's markup or an old stylesheet writes them), and the
    page's tree has them in lower case: compiled as XML, the selector matched nothing, the
    layout never applied, and `rules check` said ok."""
    story = "<DIV CLASS='story-body'><P>" + "Harbour news. " * 40 + "</P></DIV>"
    html = f"<html><body><H1 class='headline'>Harbour</H1>{story}</body></html>"
    for i, body in enumerate(("DIV.story-body", "div[CLASS=story-body]", "Div.story-body > P")):
        (tmp_path / str(i)).mkdir()
        write(tmp_path / str(i), GOOD.replace("div.story-body", body).replace("h1.headline", "H1"))
        article = extract(html, "https://news.example.com/a", rules=(tmp_path / str(i),))
        assert article.rule == "news.example.com:v1", body
        assert article.title == "Harbour"


@pytest.mark.parametrize(("selector", "pseudo"), [
    ("div.story-body:hover", ":hover"), ("a:visited", ":visited"), (".promo:focus", ":focus"),
    ("div.story-body, button:active", ":active"), ("div:has(> p:target)", ":target"),
    ("div.story-body > P:HOVER", ":hover")])
def test_a_css_selector_of_a_browser_state_is_refused_on_load(tmp_path, selector, pseudo):
    """`:hover`, `:focus`... hold in a browser someone points at, never in a fetched page:
    cssselect compiles them to a test that is always false, so a body or drop copied from a
    stylesheet with one matched nothing, and `rules check` said ok."""
    path = write(tmp_path, GOOD.replace("div.story-body", selector))
    with pytest.raises(RuleError) as error:
        load_file(path)
    assert str(error.value).startswith(f"{path}: layout[0].body[0]: CSS selector ")
    assert f"{pseudo.lower()} never matches a fetched page" in str(error.value)


@pytest.mark.parametrize("selector", ["a:not(:hover)", "div:not(.promo:focus)", "a:link",
                                      "input:checked", "p:empty"])
def test_a_css_selector_that_can_match_still_loads(tmp_path, selector):
    write(tmp_path, GOOD.replace("div.story-body", selector))
    assert load_dir(tmp_path)[0].layouts


def test_a_rule_for_the_www_host_covers_the_bare_host_a_crawl_counts_as_one_site(tmp_path):
    """A crawl counts `www.example.com` and `example.com` as one site (a start URL on one,
    links and redirects to the other), but a rule naming the www host, as the browser's
    address bar shows it, passed over every page of the other, without a word."""
    write(tmp_path, GOOD.replace('"news.example.com"', '"www.example.com"'), "example.toml")
    story = "<div class='story-body'><p>" + "Harbour news. " * 40 + "</p></div>"
    html = f"<html><body><h1 class='headline'>Harbour</h1>{story}</body></html>"
    for url in ("https://www.example.com/a", "https://example.com/a",
                "http://EXAMPLE.com:8080/a"):
        assert extract(html, url, rules=(tmp_path,)).rule == "example:v1", url
    assert extract(html, "https://news.example.com/a", rules=(tmp_path,)).rule is None


def test_a_www_host_and_its_bare_host_in_two_files_are_refused(tmp_path):
    """Both would cover one site's pages: which one applied hung on how a link wrote it."""
    write(tmp_path, GOOD.replace('"news.example.com"', '"example.com"'), "a.toml")
    write(tmp_path, GOOD.replace('"news.example.com"', '"www.example.com"'), "b.toml")
    with pytest.raises(RuleError, match=r"b\.toml: domains\[0\]: www\.example\.com is covered"
                                        r" by a\.toml too"):
        load_dir(tmp_path)


@pytest.mark.parametrize("selector", ["descendant::div", "div//p", "article/p",
                                      "div[@class='story-body']", "count(//p)"])
def test_an_xpath_read_as_css_says_how_an_xpath_starts(tmp_path, selector):
    """An XPath that does not start with `/`, `(`, `./` or `../` is read as CSS, and the
    error told of CSS alone (`descendant::div`: "Pseudo-elements are not supported")."""
    import json

    path = write(tmp_path, GOOD.replace('["div.story-body"]', json.dumps([selector])))
    with pytest.raises(RuleError) as error:
        load_file(path)
    message = str(error.value)
    assert "layout[0].body[0]: invalid CSS selector" in message and "\n" not in message
    assert message.endswith("(read as CSS: an XPath starts with /, (, ./ or ../)")
