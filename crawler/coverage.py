"""Which site rule covers an article read without one: a rule whose layouts no longer fit.

A page of a host a site rule covers that none of the rule's layouts matched is read by the
generic path, as it should be; but where that happens to its articles, the rule's
selectors may no longer fit the site (a redesign), which only `articles.rule` being NULL
would show. The crawl (`ExtractionPipeline`) and `newscrawl reextract` both count such
articles and name the rule file.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from extractors.rules import RuleError, rules_for


class RuleCoverage:
    """The rule files covering each host, looked up once per host and folders."""

    def __init__(self) -> None:
        self.covering: dict[tuple, tuple[str, ...]] = {}  # (host, folders) -> rule files

    def unmatched(self, article: dict, url: str, folders: tuple[str, ...]) -> str | None:
        """The file of the rule covering `url`'s host (the first one tried) when `article`
        is an article that no layout of it matched; None otherwise."""
        if not article.get("is_article") or article.get("rule") is not None:
            return None
        key = (urlsplit(url).hostname or "", folders)
        if key not in self.covering:
            try:
                self.covering[key] = tuple(str(rule.path) for rule in rules_for(url, folders))
            except RuleError:  # a folder broken since the run began: its extraction said so
                self.covering[key] = ()
        return self.covering[key][0] if self.covering[key] else None
