"""Run one command and measure it: wall time, CPU of the whole process tree, peak tree RSS.

CPU is user + sys from `wait4`, which counts the process and every descendant it (or they)
waited for: Scrapy, the extraction workers, the forkserver; or, when larger, the sum of
the last CPU times sampled per process (a process nobody waited for is not in wait4's).
Peak RSS is the largest sum of the RSS of the live tree, sampled every `interval` seconds
with psutil: pages shared by forked workers count once per process, so it errs high. Peak
PSS (shared pages split between their users) is the tree's real footprint, beside it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from dataclasses import dataclass

import psutil


@dataclass
class Measured:
    returncode: int
    wall: float
    cpu: float  # user + sys seconds of the tree
    peak_rss: int  # bytes
    peak_pss: int  # bytes
    processes: int  # most processes seen at once
    main_cpu: float = 0.0  # user + sys seconds of the root process alone (last sample)

    @property
    def cpu_percent(self) -> float:
        return 100.0 * self.cpu / self.wall if self.wall else 0.0


def tree_sample(root: psutil.Process, cpu_seen: dict[int, float]) -> tuple[int, int, int]:
    """(sum of RSS, sum of PSS, number of processes) of `root` and its live descendants.

    Records each process's own CPU seconds in `cpu_seen` (by pid), so the CPU of a process
    nobody waits for (a forkserver's orphaned workers) is not lost.
    """
    rss, pss, count = 0, 0, 0
    try:
        members = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0, 0, 0
    for process in members:
        try:
            with process.oneshot():
                memory = process.memory_full_info()
                times = process.cpu_times()
        except psutil.Error:  # it ended between the listing and the read
            continue
        rss, pss, count = rss + memory.rss, pss + memory.pss, count + 1
        cpu_seen[process.pid] = times.user + times.system
    return rss, pss, count


def run_measured(command: list[str], *, timeout: float, interval: float = 0.2,
                 stop_after: float | None = None, **popen) -> Measured:
    """Run `command` to the end and measure it.

    After `stop_after` seconds it gets one SIGINT (Scrapy then stops cleanly: what is in
    flight is finished and stored); after `timeout` seconds the whole tree is killed.
    """
    started = time.monotonic()
    child = subprocess.Popen(command, **popen)
    root = psutil.Process(child.pid)
    peak, peak_pss, most, cpu_seen = 0, 0, 0, {}
    while not _exited(child.pid):
        rss, pss, count = tree_sample(root, cpu_seen)
        peak, peak_pss, most = max(peak, rss), max(peak_pss, pss), max(most, count)
        elapsed = time.monotonic() - started
        if stop_after is not None and elapsed > stop_after:
            child.send_signal(signal.SIGINT)
            stop_after = None
        if elapsed > timeout:
            _kill_tree(root)
        time.sleep(interval)
    measured = _reap(child, started, peak, peak_pss, most)
    measured.cpu = max(measured.cpu, sum(cpu_seen.values()))
    measured.main_cpu = cpu_seen.get(child.pid, 0.0)
    return measured


def _kill_tree(root: psutil.Process) -> None:
    try:
        members = [*root.children(recursive=True), root]
    except psutil.Error:
        return
    for process in members:
        try:
            process.kill()
        except psutil.Error:
            continue


def _exited(pid: int) -> bool:
    """Whether the child has ended, without reaping it (so wait4 can read its rusage)."""
    return os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None


def _reap(child: subprocess.Popen, started: float, peak: int, peak_pss: int,
          most: int) -> Measured:
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return Measured(child.returncode, time.monotonic() - started, cpu, peak, peak_pss, most)
