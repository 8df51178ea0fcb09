"""A process that ends with its parent: the extraction forkserver with the command that
started it, each worker with the forkserver (Linux)."""

from __future__ import annotations

import ctypes
import signal
import sys

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def die_with_parent() -> None:
    """Have the kernel SIGKILL this process when its parent ends (`prctl(PR_SET_PDEATHSIG)`;
    nothing where that does not exist).

    In a process group of their own (crawler/detach.py), the forkserver and the workers are
    not reached by a SIGKILL to the command's group (`kill -9 -- -PGID`, `timeout -k`): a
    worker busy with a page, and the forkserver it holds open, outlived the command until
    the page was done, with no time limit left to end one stuck in libxml2.

    The kernel takes the parent to be the thread that forked the process: newscrawl starts
    its pools in the main thread. A forkserver started from a thread that then ends goes
    with it, and so do its workers; the next pool to start launches a new forkserver.
    """
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
