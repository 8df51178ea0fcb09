"""The `newscrawl` command: the command line (crawler/cli.py), loaded so that a Ctrl-C or a
SIGTERM while it loads ends the command with one line, as one at any later moment does; a
SIGHUP (the terminal or the SSH session gone) is taken as a SIGTERM.

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
    hang_up_as_sigterm()
    try:
        from crawler.cli import cli
    except KeyboardInterrupt:
        print("newscrawl: error: interrupted while starting; nothing was done", file=sys.stderr)
        exit_now(EXIT_INTERRUPTED)
    cli(**click_options)


def hang_up_as_sigterm() -> None:
    """A SIGHUP does what a SIGTERM would do at that moment, whoever handles SIGTERM then:
    ends the command as it loads, stops a crawl cleanly (a second one at once), nothing once
    the run is recorded. Its default action ended a crawl whose terminal or SSH session
    went away on the spot, the run left "running" and its batch in flight unwritten. Not
    where SIGHUP is ignored: `nohup newscrawl crawl ...` keeps crawling."""
    if hasattr(signal, "SIGHUP") and signal.getsignal(signal.SIGHUP) == signal.SIG_DFL:
        signal.signal(signal.SIGHUP, _as_sigterm)


def _as_sigterm(signum: int, frame) -> None:
    signal.raise_signal(signal.SIGTERM)


def exit_now(code: int) -> None:
    """Exit with `code` at once, the output flushed. After a Ctrl-C that broke into an
    import, CPython may have marked the KeyboardInterrupt unhandled (module code that a C
    extension ran saw it go by) and then ends the process by SIGINT at exit, whatever code
    sys.exit was given (seen once in CI: exit -2 after this very message)."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
