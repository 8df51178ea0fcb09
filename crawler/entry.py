"""The `newscrawl` command: the command line (crawler/cli.py), loaded so that a Ctrl-C
while it loads ends the command with one line, as a Ctrl-C at any later moment does.

Scrapy, lxml, trafilatura and numpy take about a second to import; without this, a Ctrl-C
in that second printed a traceback from deep inside an import.
"""

from __future__ import annotations

import sys

from crawler.exitcodes import EXIT_INTERRUPTED


def main(**click_options) -> None:
    try:
        from crawler.cli import cli
    except KeyboardInterrupt:
        print("newscrawl: error: interrupted while starting; nothing was done", file=sys.stderr)
        sys.exit(EXIT_INTERRUPTED)
    cli(**click_options)
