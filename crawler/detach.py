"""Imported first by the extraction forkserver (`crawler.workers.PRELOAD`), and nowhere else:
it moves the forkserver into a process group of its own, and with it every worker it forks.

A signal sent to the crawl's whole process group (`timeout` in a cron job, `kill -- -PGID`,
a terminal's Ctrl-C) is then the crawl's alone to act on: it stops sending requests, lets
the pages under way be extracted and stored, and stops its workers itself. In the crawl's
group, a SIGTERM killed the workers mid-page, and the pages they held were stored as failed
extractions ("worker died"). The workers still end with the crawl: pebble stops them, and
the forkserver and a worker left without its parent exit when their pipes to it close.
"""

from __future__ import annotations

import os

os.setpgid(0, 0)
