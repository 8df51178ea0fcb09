"""Serve the crawl benchmark's site on 127.0.0.1 with a server that is not the bottleneck.

nginx when it is installed (Debian's `nginx` package), else a pre-forked Python server: one
listening socket shared by several processes, each a threading HTTP/1.1 server. The
server's own speed is measured with a short keep-alive load from Python clients (a lower
bound: on a small machine the Python clients saturate before nginx does).
"""

from __future__ import annotations

import http.client
import multiprocessing
import os
import shutil
import signal
import socket
import subprocess
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

NGINX_CONF = """\
worker_processes {workers};
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    types {{ text/html html; application/xml xml; text/plain txt; }}
    default_type application/octet-stream;
    client_body_temp_path {prefix}/tmp; proxy_temp_path {prefix}/tmp;
    fastcgi_temp_path {prefix}/tmp; uwsgi_temp_path {prefix}/tmp; scgi_temp_path {prefix}/tmp;
    server {{ listen 127.0.0.1:{port}; root {root}; }}
}}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SiteServer:
    """A running server: `kind` ("nginx" or "python xN"), `base_url`; stop() ends it."""

    def __init__(self, root: Path, port: int, workdir: Path, workers: int = 2):
        self.root, self.port, self.workdir, self.workers = root, port, workdir, workers
        self.base_url = f"http://127.0.0.1:{port}"
        self.kind = ""
        self.processes: list = []

    def start(self, prefer_nginx: bool = True) -> SiteServer:
        nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists()
                                          else None)
        if prefer_nginx and nginx:
            self._start_nginx(nginx)
        else:
            self._start_python()
        self._wait_ready()
        return self

    def _start_nginx(self, binary: str) -> None:
        prefix = self.workdir / "nginx"
        (prefix / "tmp").mkdir(parents=True, exist_ok=True)
        conf = prefix / "nginx.conf"
        conf.write_text(NGINX_CONF.format(workers=self.workers, prefix=prefix, port=self.port,
                                          root=self.root))
        self.processes = [subprocess.Popen([binary, "-p", str(prefix), "-c", str(conf)],
                                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
        self.kind = f"nginx ({self.workers} workers)"

    def _start_python(self) -> None:
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self.port))
        sock.listen(1024)
        context = multiprocessing.get_context("fork")
        for _ in range(self.workers):
            process = context.Process(target=_serve_forever, args=(sock, str(self.root)),
                                      daemon=True)
            process.start()
            self.processes.append(process)
        sock.close()
        self.kind = f"python ({self.workers} processes)"

    def _wait_ready(self, seconds: float = 10.0) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"{self.kind} did not start on port {self.port}")

    def stop(self) -> None:
        for process in self.processes:
            if isinstance(process, subprocess.Popen):
                process.send_signal(signal.SIGQUIT)  # nginx: graceful shutdown
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
            else:
                process.terminate()
                process.join(timeout=5)


class _QuietHandler(SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as Scrapy uses it

    def log_message(self, format, *args):
        pass


def _serve_forever(sock: socket.socket, root: str) -> None:
    # forked from the bench, which turns SIGTERM into KeyboardInterrupt to clean up: here
    # `stop`'s SIGTERM just ends the process (no traceback for a server told to stop)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    handler = partial(_QuietHandler, directory=root)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler, bind_and_activate=False)
    server.socket.close()
    server.socket = sock
    server.daemon_threads = True
    server.serve_forever()


def _hammer(port: int, path: str, seconds: float, max_requests: int) -> int:
    """Keep-alive GETs of `path` for `seconds` (or `max_requests`); the number answered."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    done, deadline = 0, time.monotonic() + seconds
    while time.monotonic() < deadline and done < max_requests:
        conn.request("GET", path)
        conn.getresponse().read()
        done += 1
    conn.close()
    return done


def measure_rps(port: int, path: str, seconds: float = 2.0, clients: int | None = None) -> float:
    """Requests/s the server answered to `clients` keep-alive Python clients (bounded)."""
    clients = clients or max(2, os.cpu_count() or 2)
    context = multiprocessing.get_context("fork")
    started = time.monotonic()
    with context.Pool(clients, initializer=signal.signal,
                      initargs=(signal.SIGTERM, signal.SIG_DFL)) as pool:
        counts = pool.starmap(_hammer, [(port, path, seconds, 200_000)] * clients)
    return sum(counts) / (time.monotonic() - started)
