"""Every extraction fixture under fixtures/<site>/<case>/, one test per expected field."""

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
