"""The pool of extraction worker processes, started the same way by the crawl's pipeline
and by `reextract`.

Workers fork from a server that has already imported and warmed the extractor
(crawler/preload.py): a new or replaced worker starts warm, so the per-page time limit
measures extraction only, and the workers share the warmed data.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing import resource_tracker

from pebble import ProcessPool

from crawler.lifetime import die_with_parent

logger = logging.getLogger(__name__)


class PoolError(Exception):
    """The worker pool could not start; `interrupted`: a SIGINT or SIGTERM came as it
    started (sent to the whole process group, it may have killed a worker as it started)."""

    def __init__(self, message: str, interrupted: bool = False):
        super().__init__(message)
        self.interrupted = interrupted


class LostInPool(Exception):
    """The pool broke with the page in it, and its future will never finish (pebble fails
    the pages it holds when it finds itself broken, but not one it takes in just after)."""


# The most extraction workers a crawl starts (`--workers`, NEWSCRAWL_EXTRACT_WORKERS): past
# a few per core they only wait for a core, each holding its own memory (about 80 MB), and
# a slip of the keyboard (100000) took all of a machine's memory.
MAX_WORKERS = max(4 * (os.cpu_count() or 1), 8)

# How often a wait for a page looks whether its pool is still there.
WAIT_SLICE = 1.0

# What the forkserver imports before it forks a worker: first a process group of its own
# (crawler/detach.py), then the warmed extractor (crawler/preload.py).
PRELOAD = ["crawler.detach", "crawler.preload"]
# Seconds a new pool's workers may take to be up (the forkserver's imports included).
STARTUP_TIMEOUT = 120.0


def result(future: concurrent.futures.Future, pool: ProcessPool):
    """The page's result, waited for in slices; LostInPool if the pool is gone and the
    page with it."""
    while True:
        try:
            return future.result(timeout=WAIT_SLICE)
        except concurrent.futures.TimeoutError:
            if future.done():  # the page's own time limit, or done just now
                return future.result()
            if not pool.active:
                raise LostInPool("the worker pool broke with the page in it") from None


async def result_async(future: concurrent.futures.Future, pool: ProcessPool):
    """`result`, awaited (the reactor goes on meanwhile)."""
    waited = asyncio.wrap_future(future)
    while True:
        done, _ = await asyncio.wait({waited}, timeout=WAIT_SLICE)
        if done:
            return waited.result()
        if not pool.active:
            waited.cancel()
            raise LostInPool("the worker pool broke with the page in it")


class Workers:
    """The pool of extraction workers, started again should it break.

    pebble's pool breaks for good when a worker is killed while it waits for a page (the
    OOM killer, an administrator's kill): the pages in flight fail, and so would every
    later one. Its owner replaces it (`replace`) when a page fails on a pool that is no
    longer active, and runs the page again on the new one; `schedule` replaces a pool it
    finds broken before the page goes in.
    """

    def __init__(self, workers: int, max_tasks: int = 0):
        self.workers = workers
        self.max_tasks = max_tasks  # pages per worker before it is replaced (0: never)
        self.pool = start_pool(workers, max_tasks)
        self.restarts = 0

    def schedule(self, job, timeout: float, args: tuple):
        """The future of `job(*args)` on the current pool (PoolError: a pool found broken
        could not be replaced)."""
        pool = self.pool
        try:
            return pool.schedule(job, timeout=timeout, args=args)
        except RuntimeError:  # "The Pool is not active"
            if pool.active:
                raise
        self.replace(pool)
        return self.pool.schedule(job, timeout=timeout, args=args)

    def replace(self, broken: ProcessPool) -> None:
        """Start a new pool in place of `broken` (once, however many pages find it broken;
        PoolError if it cannot start, and the next page tries again)."""
        if self.pool is not broken:
            return  # another page replaced it already
        logger.warning("the extraction worker pool broke (a worker was killed while idle?);"
                       " starting a new one")
        broken.stop()
        broken.join()
        self.restarts += 1
        self.pool = start_pool(self.workers, self.max_tasks)

    def stop(self) -> None:
        """Stop the workers at once, pages in flight or not."""
        self.pool.stop()
        self.pool.join()

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc_info) -> None:
        """Stop the workers on the way out of the block, by a signal's KeyboardInterrupt
        too: a worker deep in C code (libxml2 on a pathological page) does not act on
        pebble's SIGTERM, and is killed 3 s later."""
        self.stop()


def start_pool(workers: int, max_tasks: int = 0) -> ProcessPool:
    """A pool of `workers` extraction processes, started now (pebble starts a pool on its
    first use), each replaced after `max_tasks` pages (0: never).

    Returns once every worker is up: has read the pool's semaphores, and tells so by its
    initializer. A worker still starting when the pool stops (a crawl whose start URL was
    refused stops it a moment after) would find them gone, as pebble removes them before
    it stops the workers, and print a traceback (FileNotFoundError in SemLock._rebuild).

    Ctrl-C is held off while the pool starts, which takes a second or two. Otherwise it
    stops this process while it waits for a worker the forkserver has not forked yet (that
    worker, forked after all, fails with the same traceback on the semaphores this process
    removed as it exited), and a terminal's Ctrl-C, sent to the whole process group, breaks
    into the forkserver's imports with a traceback. Held, it arrives once every worker is
    up, and its owner then stops the pool; the forkserver and the workers inherit the
    block, so Ctrl-C is this process's alone to act on. The forkserver moves to a process
    group of its own as it starts (crawler/detach.py); a SIGTERM sent to the whole group
    before that kills it, and the pool that could not start is then `interrupted`.
    """
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    up = context.Semaphore(0)  # the pool keeps it (initargs) for the workers it replaces
    pool = ProcessPool(max_workers=workers, max_tasks=max_tasks, context=context,
                       initializer=_up, initargs=(up,))
    received: list[int] = []  # the signals held off as the workers started
    try:
        resource_tracker.ensure_running()  # first: starting it unblocks SIGINT (bpo-33613)
        with interrupts_held() as received:
            active = pool.active and _all_up(pool, up, workers)  # asking starts it
        if not active:
            raise PoolError("the extraction workers could not start", bool(received))
    except BaseException as error:  # Ctrl-C held till now, a fork that failed: none left
        pool.stop()
        pool.join()
        if isinstance(error, Exception) and not isinstance(error, PoolError):
            why = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
            raise PoolError(f"the extraction workers could not start: {why}",
                            bool(received)) from error
        raise
    return pool


def _up(up) -> None:
    """A worker's initializer: it ends with the forkserver (`die_with_parent`), and it is
    up (it has read the pool's semaphores)."""
    die_with_parent()
    up.release()


def _all_up(pool: ProcessPool, up, workers: int) -> bool:
    """Wait until `workers` workers are up, while the pool lives, `STARTUP_TIMEOUT` at most."""
    deadline = time.monotonic() + STARTUP_TIMEOUT
    for _ in range(workers):
        while not up.acquire(timeout=0.1):
            if not pool.active or time.monotonic() > deadline:
                return False
    return True


# The signals that stop a command: Ctrl-C, and SIGTERM (a KeyboardInterrupt too until Scrapy
# installs its own handling: crawler/entry.py).
INTERRUPTS = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def interrupts_held() -> Iterator[list[int]]:
    """SIGINT and SIGTERM held off for the block and acted on after it, a block that
    failed too; the threads and processes started in it keep SIGINT blocked. Yields the
    list of the signals noted, filled as they come.

    Blocking it in this thread is not enough here: a signal goes to any thread that does
    not block it (a library's own: numpy, which sqlite-utils imports when it is installed,
    starts BLAS threads), and Python then runs the handler in the main thread at once. So
    the handlers only note them while the block runs. SIGTERM is only noted, not blocked:
    the workers inherit the mask, and the pool stops a worker that overran its time limit
    with SIGTERM.
    """
    received: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield received  # called as a library from a thread: the main thread's business
        return
    previous = {number: signal.signal(number, lambda n, frame: received.append(n))
                for number in INTERRUPTS}
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield received
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)  # a pending one is noted now
        for number, handler in previous.items():
            signal.signal(number, handler)
        # acted on whatever the block's end: a SIGTERM sent to the whole process group
        # (`timeout`, `kill -- -PGID`) kills the workers as they start too, and the pool's
        # failure is the signal's doing (its KeyboardInterrupt takes the failure's place)
        _act_on(received, previous)


def _act_on(received: list[int], handlers: dict) -> None:
    """Run the handlers of the signals `interrupts_held` noted, each once, in the order
    they came."""
    for number in dict.fromkeys(received):
        handler = handlers[number]
        if callable(handler):
            handler(number, None)
        elif handler == signal.SIG_DFL:  # what it would have done: end the process
            signal.raise_signal(number)
        # SIG_IGN (a background job's SIGINT): nothing
