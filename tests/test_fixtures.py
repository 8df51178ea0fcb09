"""Every extraction fixture under fixtures/<site>/<case>/, one test per expected field."""

import json
import re

import pytest
from click.testing import CliRunner

from crawler.cli import cli
from extractors import fixtures

CASES = fixtures.cases()
PARAMS = [pytest.param(case, field, id=f"{case.id}:{field}")
          for case in CASES for field in fixtures.fields(case)]


def test_fixtures_are_present():
    assert len(CASES) >= 5, "the fixture sweep found too few cases"


@pytest.mark.parametrize(("case", "field"), PARAMS)
def test_fixture_field(case, field):
    mismatch = fixtures.check_field(case, field)
    assert mismatch is None, f"{case.id} {field}: {mismatch}"


def test_every_case_checks_some_fields():
    assert all(fixtures.fields(case) for case in CASES)


def test_save_records_a_case_that_passes(tmp_path):
    page = tmp_path / "page.html"
    paragraph = "The harbour council approved the new ferry timetable after a long debate. "
    page.write_text("<html><head><title>Ferry timetable approved</title></head><body><article>"
                    f"<h1>Ferry timetable approved</h1><p>{paragraph * 8}</p>"
                    f"<p>{paragraph * 6}</p></article></body></html>", "utf-8")
    folder = fixtures.save(page, "https://news.example/2026/ferry", "news.example", "ferry",
                           root=tmp_path / "fixtures")
    assert folder == tmp_path / "fixtures" / "news.example" / "ferry"
    [case] = fixtures.cases(root=tmp_path / "fixtures")
    assert fixtures.fields(case) and all(fixtures.check_field(case, f) is None
                                         for f in fixtures.fields(case))
    with pytest.raises(FileExistsError):
        fixtures.save(page, "https://news.example/2026/ferry", "news.example", "ferry",
                      root=tmp_path / "fixtures")


@pytest.mark.parametrize(("url", "site", "case", "message"), [
    ("https://n.example/a", "../../evil", "x", "--site '../../evil': expected a plain folder"),
    ("https://n.example/a", "n.example", "../..", "--case '../..': expected a plain folder"),
    ("https://n.example/a", "", "x", "--site '': expected a plain folder"),
    ("notaurl", "n.example", "x", "--url 'notaurl': expected an http(s) URL"),
])
def test_save_refuses_bad_names_and_urls(tmp_path, url, site, case, message):
    page = tmp_path / "page.html"
    page.write_text("<html><body><p>x</p></body></html>", "utf-8")
    with pytest.raises(ValueError, match=re.escape(message)):
        fixtures.save(page, url, site, case, root=tmp_path / "fixtures")
    assert not (tmp_path / "fixtures").exists()


def test_a_save_that_fails_leaves_no_case_and_the_retry_works(tmp_path, monkeypatch):
    """A broken rule failed the extraction after the page and response.json were written:
    a case the suite ignores (no expected.json), and the retry was told it exists."""
    from extractors import rules

    page = tmp_path / "page.html"
    page.write_text("<html><body><article><h1>Ferry</h1><p>" + "The ferry runs. " * 40
                    + "</p></article></body></html>", "utf-8")
    broken = tmp_path / "rules"
    broken.mkdir()
    (broken / "news.example.toml").write_text('domains = ["news.example"]\ndorp = 1\n')
    monkeypatch.setattr(rules, "BUILTIN", broken)
    root = tmp_path / "fixtures"
    with pytest.raises(rules.RuleError, match="dorp: unknown key"):
        fixtures.save(page, "https://news.example/2026/ferry", "news.example", "ferry",
                      root=root)
    assert not (root / "news.example").exists()  # no half-written case, no folder
    monkeypatch.setattr(rules, "BUILTIN", tmp_path / "none")
    (tmp_path / "none").mkdir()
    (tmp_path / "none" / "other.example.toml").write_text(
        'domains = ["other.example"]\n[[layout]]\nname = "v1"\n')
    folder = fixtures.save(page, "https://news.example/2026/ferry", "news.example", "ferry",
                           root=root)
    assert sorted(p.name for p in folder.iterdir()) == [
        "expected.json", "response.html", "response.json"]


def test_rerun_of_an_unknown_site_is_an_error():
    result = CliRunner().invoke(cli, ["fixture", "rerun", "no-such-site.example"])
    assert result.exit_code == 1 and "no fixtures for site no-such-site.example" in result.output


@pytest.mark.parametrize("broken", ["expected.json", "response.json"])
def test_rerun_reports_a_broken_case_and_goes_on_to_the_rest(tmp_path, monkeypatch, broken):
    page = tmp_path / "page.html"
    paragraph = "The harbour council approved the new ferry timetable after a long debate. "
    page.write_text(f"<html><body><article><h1>Ferry</h1><p>{paragraph * 8}</p>"
                    f"<p>{paragraph * 6}</p></article></body></html>", "utf-8")
    root = tmp_path / "fixtures"
    for case in ("a-broken", "b-fine"):
        fixtures.save(page, f"https://news.example/2026/{case}", "news.example", case,
                      root=root)
    (root / "news.example" / "a-broken" / broken).write_text("{not json", "utf-8")
    every = fixtures.cases(root=root)
    monkeypatch.setattr(fixtures, "cases", lambda site=None: every)
    result = CliRunner().invoke(cli, ["fixture", "rerun"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "FAIL news.example/a-broken" in result.output and "unreadable" in result.output
    assert "ok   news.example/b-fine" in result.output
    assert "1 fixture(s) differ from expected" in result.output


def test_rerun_lets_an_extraction_error_show_as_one(monkeypatch):
    """An extractor that raises is a bug to see, not a case "saved badly"."""
    def broken(*args, **kwargs):
        raise TypeError("extractor bug")

    fixtures.run.cache_clear()
    monkeypatch.setattr(fixtures, "extract", broken)
    result = CliRunner().invoke(cli, ["fixture", "rerun"])
    fixtures.run.cache_clear()
    assert "unreadable" not in result.output
    assert isinstance(result.exception, TypeError)


def test_every_site_rule_layout_ships_with_a_fixture():
    """A built-in rule, or a layout added to one, with no case whose expected `rule` names
    it passed the suite: nothing checked what it reads."""
    from extractors.rules import BUILTIN, load_dir

    covered = {case.expected.get("rule") for case in CASES}
    missing = [layout.id for rule in load_dir(BUILTIN) for layout in rule.layouts
               if layout.id not in covered]
    assert not missing, f"site-rule layouts without a fixture (newscrawl fixture save): {missing}"


@pytest.mark.parametrize(("edit", "message"), [
    ({"must_not_contian": ["Subscribe"]}, "must_not_contian: unknown key (fields: is_article"),
    ({"must_contain": "zebra stampede"}, "must_contain: expected a list of non-empty strings"),
    ({"must_not_contain": [""]}, "must_not_contain: expected a list of non-empty strings"),
    ([], "expected a JSON object of fields"),
])
def test_a_typo_in_expected_json_is_an_error_naming_the_file_and_key(tmp_path, edit, message):
    """A misspelt key checked nothing, and a string of snippets was checked letter by
    letter: the case passed whatever the extraction gave."""
    import json

    folder = tmp_path / "news.example" / "ferry"
    folder.mkdir(parents=True)
    data = {"is_article": True, **edit} if isinstance(edit, dict) else edit
    (folder / "expected.json").write_text(json.dumps(data), "utf-8")
    with pytest.raises(ValueError) as raised:
        fixtures.fields(fixtures.Case(folder))
    assert str(raised.value) == f"{folder / 'expected.json'}: {message}" or (
        str(raised.value).startswith(f"{folder / 'expected.json'}: {message}"))


def test_save_records_when_the_page_was_served_which_picks_the_layout(tmp_path):
    """Without it a case was read as of the day the suite ran: a layout added with a
    `valid_from` after the save changed what the case gave, with no change in the code."""
    from datetime import UTC, datetime

    [old] = [case for case in CASES if case.expected.get("rule") == "themoscowtimes.com:2014"]
    page = tmp_path / "page.html"
    page.write_bytes((old.path / "response.html").read_bytes())
    url = old.response["url"]
    folder = fixtures.save(page, url, "themoscowtimes.com", "again", root=tmp_path,
                           fetched=datetime(2014, 1, 16, tzinfo=UTC))
    case = fixtures.Case(folder)
    assert case.response["fetched_at"] == "2014-01-16T00:00:00+00:00"
    assert case.expected["rule"] == "themoscowtimes.com:2014"
    fixtures.run.cache_clear()
    assert all(fixtures.check_field(case, f) is None for f in fixtures.fields(case))
    now = fixtures.save(page, url, "themoscowtimes.com", "now", root=tmp_path)
    assert fixtures.Case(now).expected["rule"] == "themoscowtimes.com:2025"
    # and `extract` reads a saved page as of a day too, as the case is read
    for day, rule in (("2014-01-16", "themoscowtimes.com:2014"), (None, "themoscowtimes.com:2025")):
        result = CliRunner().invoke(cli, ["extract", str(page), "--url", url,
                                          *(["--fetched", day] if day else [])])
        assert result.exit_code == 0 and f'"rule": "{rule}"' in result.output
    result = CliRunner().invoke(cli, ["extract", str(page), "--url", url, "--fetched", "soon"])
    assert result.exit_code == 2 and "expected a date such as 2025-01-31" in result.output


def test_rerun_with_a_broken_rule_file_is_bad_input_as_everywhere(tmp_path, monkeypatch):
    from extractors import rules

    (tmp_path / "themoscowtimes.com.toml").write_text(
        (rules.BUILTIN / "themoscowtimes.com.toml").read_text("utf-8") + 'colour = "red"\n',
        "utf-8")
    monkeypatch.setattr(rules, "BUILTIN", tmp_path)
    fixtures.run.cache_clear()
    result = CliRunner().invoke(cli, ["fixture", "rerun", "themoscowtimes.com"])
    fixtures.run.cache_clear()
    assert result.exit_code == 2 and "colour: unknown key" in result.output


def test_a_changed_text_is_told_by_the_blocks_that_changed(tmp_path):
    """A one-word change printed both whole texts on one line (2,769 characters)."""
    import json

    [case] = [c for c in CASES if c.expected.get("rule") == "themoscowtimes.com:2014"
              and "text" in c.expected]
    folder = tmp_path / "themoscowtimes.com" / "edited"
    folder.mkdir(parents=True)
    for name in ("response.html", "response.json"):
        (folder / name).write_bytes((case.path / name).read_bytes())
    blocks = case.expected["text"].split("\n\n")
    edited = [*blocks[:2], blocks[2].replace(" ", " not ", 1), *blocks[3:]]
    (folder / "expected.json").write_text(json.dumps({"text": "\n\n".join(edited)}), "utf-8")
    problem = fixtures.check_field(fixtures.Case(folder), "text")
    assert problem == (f"1 change(s) in {len(blocks)} expected blocks, {len(blocks)} found;"
                       f" the first at block 3: expected [{edited[2]!r}], got [{blocks[2]!r}]")


def test_save_records_the_text_whole_and_rerun_update_accepts_a_change(tmp_path, monkeypatch):
    """`fixture save` left `text` out (its first and last blocks only, as must_contain): a
    rule change that dropped every heading, list and table in between passed its cases (a
    rule author's walkthrough). Now the text is recorded, and `rerun --update` accepts a
    change that was meant, keeping the hand-written snippets."""
    page = tmp_path / "page.html"
    paragraph = "The harbour council approved the new ferry timetable after a long debate. "
    page.write_text(f"<html><body><article><h1>Ferry</h1><p>{paragraph * 8}</p>"
                    f"<h2>What changes</h2><p>{paragraph * 6}</p><p>{paragraph * 5}</p>"
                    "</article></body></html>", "utf-8")
    root = tmp_path / "fixtures"
    folder = fixtures.save(page, "https://news.example/2026/ferry", "news.example", "ferry",
                           root=root)
    [case] = fixtures.cases(root=root)
    actual = fixtures.run(folder).text
    assert case.expected["text"] == actual and "What changes" in actual
    # as if the text had lost its heading (a rule dropping h2): the case fails
    expected = case.expected
    expected["text"] = actual.replace("What changes\n\n", "")
    expected["must_not_contain"] = ["Subscribe to our newsletter"]
    (folder / "expected.json").write_text(json.dumps(expected), "utf-8")
    monkeypatch.setattr(fixtures, "cases", lambda site=None: [fixtures.Case(folder)])
    result = CliRunner().invoke(cli, ["fixture", "rerun"])
    assert result.exit_code == 1 and "FAIL news.example/ferry" in result.output
    assert "text: 1 change(s)" in result.output
    result = CliRunner().invoke(cli, ["fixture", "rerun", "--update"])
    assert result.exit_code == 0, result.output
    assert "ok   news.example/ferry (updated: text)" in result.output
    saved = json.loads((folder / "expected.json").read_text("utf-8"))
    assert saved["text"] == actual
    assert saved["must_not_contain"] == ["Subscribe to our newsletter"]
    assert CliRunner().invoke(cli, ["fixture", "rerun"]).exit_code == 0


def test_rerun_update_never_rewrites_a_snippet_that_fails(tmp_path, monkeypatch):
    page = tmp_path / "page.html"
    paragraph = "The harbour council approved the new ferry timetable after a long debate. "
    page.write_text(f"<html><body><article><h1>Ferry</h1><p>{paragraph * 8}</p>"
                    f"<p>{paragraph * 6}</p></article></body></html>", "utf-8")
    folder = fixtures.save(page, "https://news.example/2026/ferry", "news.example", "ferry",
                           root=tmp_path / "fixtures")
    expected = fixtures.Case(folder).expected
    expected["must_not_contain"] = ["the new ferry timetable"]  # chrome that came back
    (folder / "expected.json").write_text(json.dumps(expected), "utf-8")
    monkeypatch.setattr(fixtures, "cases", lambda site=None: [fixtures.Case(folder)])
    result = CliRunner().invoke(cli, ["fixture", "rerun", "--update"])
    assert result.exit_code == 1 and "FAIL news.example/ferry" in result.output
    assert "must_not_contain: leaked" in result.output and "updated" not in result.output
    assert json.loads((folder / "expected.json").read_text("utf-8")) == expected
