"""The exit codes of `newscrawl` (documented in crawler/cli.py and the README).

A module of its own, importing nothing, so that the entry point can exit with the right code
while the rest of the command is still loading."""

EXIT_OK = 0
EXIT_FAILED = 1  # nothing could be fetched (every site failed), a full or failing disk...
EXIT_USAGE = 2  # bad input: an option, a URL, the database file, a rule file, the sites config
EXIT_PARTIAL = 3  # some sites failed, the others were crawled
EXIT_LOCKED = 4  # another crawl holds the database
EXIT_INTERRUPTED = 5  # stopped by a signal (SIGINT, SIGTERM): rerun to resume
