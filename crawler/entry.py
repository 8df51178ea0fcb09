"""The `newscrawl` command: the command line (crawler/cli.py), loaded so that a Ctrl-C or a
SIGTERM while it loads ends the command with one line, as one at any later moment does.

Scrapy, lxml, trafilatura and numpy take about a second to import; without this, a Ctrl-C
in that second printed a traceback from deep inside an import.
"""

from __future__ import annotations

import os
import signal
import sys

from crawler.exitcodes import EXIT_INTERRUPTED


def main(**click_options) -> None:
    # SIGTERM (systemctl stop, a job runner's timeout) as a Ctrl-C until a command installs
    # its own handling: it used to end the process silently (exit -15) while it loaded
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        from crawler.cli import cli
    except KeyboardInterrupt:
        print("newscrawl: error: interrupted while starting; nothing was done", file=sys.stderr)
        exit_now(EXIT_INTERRUPTED)
    cli(**click_options)


def exit_now(code: int) -> None:
    """Exit with `code` at once, the output flushed. After a Ctrl-C that broke into an
    import, CPython may have marked the KeyboardInterrupt unhandled (module code that a C
    extension ran saw it go by) and then ends the process by SIGINT at exit, whatever code
    sys.exit was given (seen once in CI: exit -2 after this very message)."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
