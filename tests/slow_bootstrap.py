"""Imported by a test's forkserver (`crawler.workers.PRELOAD`): a worker takes 0.5 s longer
to start, as it may on a loaded machine, and outlives a SIGTERM meanwhile (as one that the
stop reached a moment later would), so a pool stopped as it starts is seen doing what
happens then."""

import signal
import time
from multiprocessing import synchronize

_setstate = synchronize.SemLock.__setstate__


def _slow(self, state):
    time.sleep(0.5)
    _setstate(self, state)


synchronize.SemLock.__setstate__ = _slow
signal.signal(signal.SIGTERM, signal.SIG_IGN)  # the workers forked from here inherit it
