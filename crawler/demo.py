"""A tiny static HTTP server for the demo site and the spider tests.

``serve_site(root)`` serves the files under ``root`` on 127.0.0.1 from a daemon thread,
with ``__BASE_URL__`` in ``.html``, ``.xml`` and ``.txt`` bodies replaced by the server's
own base URL, so fixture sites can hold absolute links without knowing the port::

    with serve_site(Path("fixtures/demo-site")) as server:
        print(server.base_url)  # http://127.0.0.1:43123

Files are served with an ``ETag`` (a hash of the body as served) and a ``Last-Modified``
(the file's mtime), and a conditional GET that matches gets ``304 Not Modified``, as news
sites' CDNs do. ``delay`` (seconds) slows every response down, for tests that need a crawl
to still be running; ``slow`` ({path: seconds}) slows some paths down more.
"""

from __future__ import annotations

import hashlib
import io
import re
import sys
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

PLACEHOLDER = b"__BASE_URL__"
TEMPLATED = {".html", ".htm", ".xml", ".txt"}
CONTENT_TYPES = {
    ".xml": "application/xml",
    ".txt": "text/plain",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".json": "application/json",
    ".pdf": "application/pdf",
    ".gz": "application/gzip",
}
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)


def html_content_type(body: bytes) -> str:
    """UTF-8 pages get an explicit charset; pages declaring another one get none."""
    match = META_CHARSET.search(body[:4096])
    if match and match.group(1).decode("ascii").lower().replace("_", "-") not in {
        "utf-8",
        "utf8",
    }:
        return "text/html"
    return "text/html; charset=utf-8"


def content_type(path: Path, body: bytes) -> str:
    if path.suffix in {".html", ".htm"}:
        return html_content_type(body)
    return CONTENT_TYPES.get(path.suffix, "application/octet-stream")


class DemoRequestHandler(SimpleHTTPRequestHandler):
    """Static files with ``__BASE_URL__`` substituted; no directory listings, no logging."""

    server: DemoHTTPServer

    def record(self) -> None:
        """Add the request to the server's record of requests."""
        with self.server.recording:  # the two lists stay in step
            self.server.requested_paths.append(self.path)
            self.server.referers.append(self.headers.get("Referer"))

    def send_head(self):
        self.record()
        pause = self.server.slow.get(self.path, self.server.delay)
        if pause:
            time.sleep(pause)
        path = Path(self.translate_path(self.path))
        if path.is_dir() and not urlsplit(self.path).path.endswith("/"):
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", urlsplit(self.path).path + "/")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            self.send_error(HTTPStatus.NOT_FOUND, "File not found")
            return None
        body = path.read_bytes()
        if path.suffix in TEMPLATED:
            body = body.replace(PLACEHOLDER, self.server.base_url.encode("ascii"))
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self.send_header("ETag", etag)
            self.end_headers()
            return None
        self.send_response(HTTPStatus.OK)
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", formatdate(path.stat().st_mtime, usegmt=True))
        self.send_header("Content-Type", content_type(path, body))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, format, *args):
        pass


class DemoHTTPServer(ThreadingHTTPServer):
    """Knows its base URL and records the paths requested from it, in order (and the
    ``Referer`` of each request)."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler) -> None:
        super().__init__(address, handler)
        host, port = self.server_address[:2]
        self.base_url = f"http://{host}:{port}"
        self.requested_paths: list[str] = []
        self.referers: list[str | None] = []
        self.recording = threading.Lock()
        self.delay = 0.0  # seconds to wait before each response
        self.slow: dict[str, float] = {}  # seconds to wait before the response to a path

    def handle_error(self, request, client_address) -> None:
        """A client that hung up (a crawl killed mid-request) is no error worth a traceback."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@dataclass
class DemoServer:
    """A running demo server; use as a context manager or call ``close()``."""

    httpd: DemoHTTPServer
    thread: threading.Thread = field(repr=False)

    @property
    def base_url(self) -> str:
        return self.httpd.base_url

    @property
    def requested_paths(self) -> list[str]:
        """Every request path (with query) received so far, GET and HEAD."""
        return self.httpd.requested_paths

    @property
    def referers(self) -> dict[str, str | None]:
        """The ``Referer`` header of the last request for each path."""
        with self.httpd.recording:
            return dict(zip(self.httpd.requested_paths, self.httpd.referers, strict=True))

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)

    def __enter__(self) -> DemoServer:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def serve_site(root: Path, host: str = "127.0.0.1", port: int = 0,
               delay: float = 0.0, slow: dict[str, float] | None = None) -> DemoServer:
    """Serve ``root`` on ``host:port`` (0 picks a free port) from a daemon thread; ``delay``
    seconds before each response, ``slow[path]`` before the response to that path."""
    root = Path(root).resolve()
    if not root.is_dir():
        raise ValueError(f"not a directory: {root}")
    httpd = DemoHTTPServer((host, port), partial(DemoRequestHandler, directory=str(root)))
    httpd.delay = delay
    httpd.slow = dict(slow or {})
    thread = threading.Thread(target=httpd.serve_forever, name="demo-site", daemon=True)
    thread.start()
    return DemoServer(httpd, thread)
