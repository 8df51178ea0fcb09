"""Ports of 127.0.0.1 for tests that run beside others (pytest-xdist): one no server of
another test can take while this one needs it."""

from __future__ import annotations

import random
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# Linux's range for ports picked by bind(("", 0)) and outgoing connections.
_EPHEMERAL = Path("/proc/sys/net/ipv4/ip_local_port_range")


@contextmanager
def refusing_port(port: int = 0) -> Iterator[int]:
    """A port bound but never listened on, for as long as the block runs: a connection to
    it is refused, and no other test's server can be given it meanwhile (as one given back
    could be). `port`: a port just closed (its old connections may linger in TIME_WAIT)."""
    with socket.socket() as sock:
        if port:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", port))
        yield sock.getsockname()[1]


def spare_port() -> int:
    """A free port below the ephemeral range, for a command that binds it later: nothing
    that asks for any free port is given it meanwhile. (Any free port where Linux does not
    say its range.)"""
    try:
        low = int(_EPHEMERAL.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        low = 0
    for port in random.sample(range(10_000, low), min(50, max(low - 10_000, 0))):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:  # taken
                continue
            return port
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
