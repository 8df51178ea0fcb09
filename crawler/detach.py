"""Imported first by the extraction forkserver (`crawler.workers.PRELOAD`), and nowhere else:
it moves the forkserver into a process group of its own, and with it every worker it forks.

A signal sent to the crawl's whole process group (`timeout` in a cron job, `kill -- -PGID`,
a terminal's Ctrl-C) is then the crawl's alone to act on: it stops sending requests, lets
the pages under way be extracted and stored, and stops its workers itself. In the crawl's
group, a SIGTERM killed the workers mid-page, and the pages they held were stored as failed
extractions ("worker died"). The workers still end with the crawl: pebble stops them, and
the kernel kills the forkserver when the command ends, and a worker when the forkserver does
(`crawler.lifetime`), a SIGKILL to the command's group (`kill -9 -- -PGID`) included.

On a terminal that group is a background one: with `stty tostop`, a write of one of its
processes to the terminal (a worker's warning) would stop the whole group (SIGTTOU), the
forkserver included, and the command would wait for its workers forever. SIGTTOU is
ignored here, and by every worker forked from here: the write goes through, as it did when
they were in the command's group.
"""

from __future__ import annotations

import os
import signal

from crawler.lifetime import die_with_parent

die_with_parent()
signal.signal(signal.SIGTTOU, signal.SIG_IGN)
os.setpgid(0, 0)
