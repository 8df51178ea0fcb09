"""The benchmark's scoring, on tiny cases whose scores were worked out by hand."""

from collections import Counter
from itertools import pairwise
from pathlib import Path

import pytest

from bench import extraction, scoring
from bench.corpus import Page
from bench.extraction import speed_ratios
from bench.gate import regression, regressions
from bench.metrics import METRICS, Metric, score_tool
from bench.tools import Output

approx = pytest.approx


def test_tokens_are_unicode_words_with_case_kept():
    assert scoring.tokens("Hello, wörld! 42 l'été") == ["Hello", "wörld", "42", "l", "été"]
    assert scoring.tokens(None) == []


def test_short_text_is_one_shingle_and_empty_text_none():
    assert scoring.shingles("a b c") == Counter({("a", "b", "c"): 1})
    assert scoring.shingles("... !") == Counter()
    assert scoring.shingles("a b c d e") == Counter(
        {("a", "b", "c", "d"): 1, ("b", "c", "d", "e"): 1}
    )


def test_overlap_counts_shared_shingles_once_per_copy():
    # pred shingles: abcd, bcda, cdab, dabc, abcd (5); gold: abcd (1); tp = min(2, 1) = 1
    o = scoring.overlap("a b c d a b c d", "a b c d")
    assert (o.tp, o.predicted, o.gold) == (1, 5, 1)
    assert o.precision == approx(0.2)
    assert o.recall == approx(1.0)


def test_overlap_is_case_sensitive():
    o = scoring.overlap("The cat sat down", "the cat sat down")
    assert o.tp == 0


def test_empty_output_has_no_precision_and_zero_recall():
    o = scoring.overlap("", "w x y z")
    assert o.precision is None
    assert o.recall == 0.0
    assert o.f1 == 0.0


def test_body_precision_skips_empty_outputs_but_recall_counts_them():
    pages = [
        scoring.overlap("a b c d x", "a b c d e"),  # P 1/2, R 1/2
        scoring.overlap("", "w x y z"),  # P none, R 0
        scoring.overlap("a b c d", "a b c d"),  # P 1, R 1
    ]
    scores = scoring.body_scores(pages)
    assert scores["body_p"] == approx(0.75)  # (0.5 + 1) / 2
    assert scores["body_r"] == approx(0.5)  # (0.5 + 0 + 1) / 3
    assert scores["body_f1"] == approx(0.6)  # 2 * 0.75 * 0.5 / 1.25


def test_word_f1_is_lower_cased_bag_f1():
    # pred {the, cat, sat}, gold {the: 2, cat, dog}: tp 2, P 2/3, R 1/2, F1 4/7
    assert scoring.word_f1_page("The cat sat", "the cat the dog") == approx(4 / 7)
    assert scoring.word_f1_page("", "the cat") == 0.0
    assert scoring.word_f1_page("", "") == 1.0


def test_snippets_are_case_sensitive_after_collapsing_space():
    text = "Hello   world\n\nfoo"
    snippets = ["Hello world", "hello world", "world foo", "bar", "  "]
    assert scoring.snippets_found(text, snippets) == (2, 4)


def test_snippet_share_is_pooled_over_snippets_not_pages():
    assert scoring.pooled_share([(1, 1), (0, 3)]) == approx(0.25)
    assert scoring.pooled_share([(0, 0)]) is None


def test_title_match_strict_and_contains():
    assert scoring.title_match(" Breaking  News ", "breaking news")
    assert not scoring.title_match("Breaking News | Site", "Breaking News")
    assert scoring.title_match("Breaking News | Site", "Breaking News", lenient=True)
    assert not scoring.title_match(None, "Breaking News", lenient=True)


def test_author_names_split_on_separators_but_not_inside_words():
    assert scoring.author_names("Manoj Jain and Jagpreet Chhatwal") == {
        "manoj jain",
        "jagpreet chhatwal",
    }
    assert scoring.author_names(["Sandra Anderson"]) == {"sandra anderson"}


def test_authors_match_same_set_or_overlap():
    gold = "Manoj Jain and Jagpreet Chhatwal"
    assert scoring.authors_match(["Jagpreet Chhatwal", "Manoj  JAIN"], gold)
    assert not scoring.authors_match(["Manoj Jain"], gold)
    assert scoring.authors_match(["Manoj Jain"], gold, lenient=True)
    assert not scoring.authors_match([], gold, lenient=True)


def test_date_match_compares_calendar_date():
    assert scoring.date_match("2025-09-04T10:00:00+02:00", "2025-09-04")
    assert not scoring.date_match("2025-09-05", "2025-09-04")
    assert not scoring.date_match(None, "2025-09-04")
    assert scoring.date_match("2025-09-30", "2025-09")


def test_language_match_on_primary_subtag():
    assert scoring.language_match("en-GB", "en")
    assert not scoring.language_match("de", "en")
    assert not scoring.language_match(None, "en")


def page(pid: str, page_type: str, text: str, **gold) -> Page:
    return Page(pid, f"https://x.test/{pid}", page_type, Path(), {"main_content": text, **gold})


def test_score_tool_on_a_tiny_corpus():
    pages = [
        page("1", "article", "a b c d e", title="T", **{"with": ["a b"], "without": ["zz"]}),
        page("2", "article", "w x y z", title="Other", **{"with": ["w x"], "without": []}),
        page("3", "listing", "m n"),
        page("4", "service", "o p"),
    ]
    outputs = {
        "1": Output(text="a b c d x zz", is_article=True, title="t"),
        "2": Output(text="", is_article=False, title="T"),
        "3": Output(text="m n", is_article=True),
        "4": Output(text="o p", is_article=False),
    }
    result = score_tool(pages, outputs, timed=False)
    # page 1: pred abcd bcdx cdxz (3), gold abcd bcde (2): P 1/3, R 1/2; page 2: R 0
    assert result["body_p"] == approx(1 / 3)
    assert result["body_r"] == approx(0.25)
    assert result["snippet_recall"] == approx(0.5)
    assert result["leak_rate"] == approx(1.0)
    assert result["nonarticle_fp"] == approx(0.5)  # page 3 only: page 4 said "not an article"
    assert result["title_acc"] == approx(0.5)
    assert result["date_acc"] is None
    assert result["pages_per_s"] is None
    assert result["article_pages_per_s"] is None


def test_pages_per_second_on_all_pages_and_on_the_articles():
    pages = [page("1", "article", "a"), page("2", "listing", "b")]
    outputs = {"1": Output(text="a", is_article=True, seconds=0.5),
               "2": Output(seconds=0.25)}
    result = score_tool(pages, outputs, timed=True)
    assert result["pages_per_s"] == approx(2 / 0.75)
    assert result["article_pages_per_s"] == approx(2.0)
    ratios = speed_ratios({"ours": result, "trafilatura-nocomments": {
        "pages_per_s": 4.0, "article_pages_per_s": 4.0}})
    assert ratios == ["speed, ours / trafilatura without comments: all pages 0.667, "
                      "article pages 0.500"]
    assert speed_ratios({"ours": result}) == []


def test_timed_rounds_run_the_passes_abba_and_average_the_seconds(monkeypatch):
    """One pass per tool rewards whichever ran while the machine was faster: two rounds go
    A B B A, and each page's seconds are its mean over them."""
    order, slow = [], iter([1.0, 3.0, 5.0, 7.0])  # the machine slows down pass by pass

    def run_tasks(tasks, tools, jobs):
        order.append(tools[0])
        return {tools[0]: {"p": Output(text=tools[0], seconds=next(slow))}}

    monkeypatch.setattr(extraction, "run_tasks", run_tasks)
    args = extraction.parse_args(["--rounds", "2"])
    outputs = extraction.run_passes(lambda items, tools, standin: [], ["p"], ("a", "b"), args,
                                    rounds=2)
    assert order == ["a", "b", "b", "a"]
    assert outputs["a"]["p"].seconds == approx(4.0) == outputs["b"]["p"].seconds
    assert outputs["a"]["p"].text == "a"


def test_gate_direction_and_tolerance():
    higher, lower = Metric("body_f1", "body F1"), Metric("leak_rate", "leak", False)
    assert regression(higher, 0.900, 0.910) is not None
    assert regression(higher, 0.906, 0.910) is None
    assert regression(lower, 0.060, 0.050) is not None
    assert regression(lower, 0.040, 0.050) is None
    assert regression(Metric("pages_per_s", "pages/s", gated=False), 1.0, 50.0) is None


def test_regressions_name_each_failing_metric():
    keys = {m.key for m in METRICS}
    base = dict.fromkeys(keys, 0.5)
    now = {**base, "body_f1": 0.4, "leak_rate": 0.6, "pages_per_s": 0.0}
    messages = regressions(now, base)
    assert len(messages) == 2
    assert messages[0].startswith("body F1") and messages[1].startswith("leak rate")


def test_gate_fails_when_a_gated_metric_disappears():
    from bench.gate import regressions
    from bench.metrics import METRICS

    gated = next(m for m in METRICS if m.gated)
    assert regressions({gated.key: None}, {gated.key: 0.9})
    assert not regressions({gated.key: 0.9}, {gated.key: 0.9})


def test_interleaved_rounds_have_the_tools_take_turns_on_different_pages():
    """Each tool reads every page once a round, tool k at step i the page i + k n / 3, so
    no tool reads a page right after another did; the turns alternate between steps."""
    make = lambda items, tools, standin: [(item, tools[0]) for item in items]  # noqa: E731
    pages = [str(i) for i in range(6)]
    tasks = extraction.interleaved(make, pages, ("a", "b", "c"), False, done=0)
    assert tasks[:6] == [("0", "a"), ("2", "b"), ("4", "c"), ("5", "c"), ("3", "b"), ("1", "a")]
    for tool in "abc":
        assert sorted(page for page, t in tasks if t == tool) == pages
    assert all(x[0] != y[0] for x, y in pairwise(tasks))
    later = extraction.interleaved(make, pages, ("a", "b", "c"), False, done=1)
    assert later[:3] == [("4", "c"), ("2", "b"), ("0", "a")]


def test_interleaved_timing_averages_the_rounds_per_tool(monkeypatch):
    seen = []

    def run_tasks(tasks, tools, jobs):
        seen.append(tasks)
        return {t: {"p": Output(text=t, seconds=len(seen))} for t in tools}

    monkeypatch.setattr(extraction, "run_tasks", run_tasks)
    args = extraction.parse_args(["--interleave"])
    outputs = extraction.run_passes(lambda items, tools, standin: [(items[0], tools)],
                                    ["p"], ("a", "b"), args, rounds=2)
    assert len(seen) == 2  # one pass a round, both tools in it
    assert outputs["a"]["p"].seconds == approx(1.5) == outputs["b"]["p"].seconds
