"""A misbehaving web server for the fault tests, on loopback addresses only.

``FaultServer(hosts=("127.0.0.1", "127.0.0.2"))`` listens on one port of each host (each
address is a separate "host" to the crawler: its own site, cookie jar and downloader slot)
and answers every path from ``ROUTES``: one fault per route (a stall, a reset, a bomb, a
redirect loop...) plus real article pages from the demo site to serve as controls::

    with FaultServer() as server:
        server.url("/ok/1.html")           # http://127.0.0.1:PORT/ok/1.html
        server.url("/ok/1.html", host=1)   # http://127.0.0.2:PORT/ok/1.html
        server.hits                        # [Hit(host, path, headers, time, sent), ...]

Every loop is bounded: a stalled answer waits at most ``STALL_SECONDS`` (or until the server
closes), a huge body stops when the client hangs up.
"""

from __future__ import annotations

import contextlib
import gzip
import socket
import sys
import threading
import time
import zlib
from dataclasses import dataclass, field
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import brotli

if sys.version_info >= (3, 14):
    from compression import zstd
else:
    from backports import zstd

DEMO = Path(__file__).resolve().parent.parent / "fixtures" / "demo-site"
STALL_SECONDS = 15.0
MB = 1024 * 1024


@dataclass
class Hit:
    host: str
    path: str
    headers: dict[str, str]
    time: float
    sent: int = 0  # body bytes written before the answer ended or the client hung up


def demo_page(name: str, base_url: str) -> bytes:
    """A demo-site page with its ``__BASE_URL__`` placeholders pointing at ``base_url``."""
    return (DEMO / name).read_bytes().replace(b"__BASE_URL__", base_url.encode("ascii"))


@cache
def zeros_compressed(encoding: str, size: int = 64 * MB) -> bytes:
    """``size`` zero bytes compressed: a decompression bomb of about 1000:1."""
    if encoding == "br":
        return brotli.compress(b"\0" * size, quality=5)
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    return b"".join(compressor.compress(b"\0" * MB) for _ in range(size // MB)) + \
        compressor.flush()


class FaultHandler(BaseHTTPRequestHandler):
    """One route per fault; the answer is chosen by the path alone."""

    server: FaultHTTPServer
    protocol_version = "HTTP/1.0"  # one request per connection: a fault never leaks

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        hit = Hit(self.server.host, path, {k.lower(): v for k, v in self.headers.items()},
                  time.monotonic())
        self.server.owner.record(hit)
        self.hit = hit
        route = ROUTES.get(path) or next(
            (fn for prefix, fn in PREFIX_ROUTES.items() if path.startswith(prefix)), not_found)
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            route(self)  # a hang-up is what a size cap or a timeout does

    # -- answers ------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return self.server.owner.base_url(self.server.host)

    def answer(self, status: int, body: bytes = b"", content_type: str = "text/html",
               headers: dict[str, str] | None = None, length: int | None = None) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        self.wfile.write(body)
        self.hit.sent += len(body)

    def redirect(self, location: str, status: int = 302) -> None:
        self.answer(status, b"", headers={"Location": location})

    def stall(self) -> None:
        """Wait until the client gives up or the server closes (bounded)."""
        self.server.owner.closing.wait(STALL_SECONDS)

    def stream(self, total: int, chunk: bytes) -> None:
        """Write ``total`` bytes of ``chunk`` repeated, until done or the client hangs up."""
        while self.hit.sent < total and not self.server.owner.closing.is_set():
            self.wfile.write(chunk)
            self.hit.sent += len(chunk)

    def log_message(self, format, *args):
        pass


def article(handler: FaultHandler, name: str = "articles/harbour-wind-farm-approved.html"):
    handler.answer(200, demo_page(name, handler.base_url), "text/html; charset=utf-8")


def not_found(handler: FaultHandler) -> None:
    handler.answer(404, b"<html><body>not here</body></html>")


# -- server faults ----------------------------------------------------------------------


def retry_after(seconds: str):
    """503 with ``Retry-After: seconds`` on the first request, then the article."""
    def route(handler: FaultHandler) -> None:
        if handler.server.owner.count(handler.hit.path) == 1:
            handler.answer(503, b"busy", headers={"Retry-After": seconds})
        else:
            article(handler)
    return route


def burst(handler: FaultHandler) -> None:
    """429 when the previous request to this host came less than 0.3 s ago."""
    owner = handler.server.owner
    with owner.lock:
        last = owner.last_burst.get(handler.server.host, 0.0)
        owner.last_burst[handler.server.host] = handler.hit.time
    if handler.hit.time - last < 0.3:
        handler.answer(429, b"slow down", headers={"Retry-After": "1"})
    else:
        article(handler, "articles/mackerel-quota-dispute.html")


def headers_then_stall(handler: FaultHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Content-Length", "100000")
    handler.end_headers()
    handler.wfile.write(b"<html><body><p>the beginning")
    handler.wfile.flush()
    handler.stall()


def drips_then_stories(handler: FaultHandler) -> None:
    """A listing whose first links are pages that start their answer and then stall."""
    links = [f"/drip/{n}.html" for n in range(6)] + [f"/ok/after-drip-{n}.html" for n in range(3)]
    body = "".join(f'<p><a href="{link}">{link}</a></p>' for link in links)
    handler.answer(200, f"<html><body>{body}</body></html>".encode())


def sitemap_chain(handler: FaultHandler) -> None:
    """A sitemap index listing the next one, without end (/sitemap-chain/N.xml)."""
    n = int(handler.path.rsplit("/", 1)[1].split(".")[0])
    following = handler.server.owner.url(f"/sitemap-chain/{n + 1}.xml")
    body = ('<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/'
            f'sitemap/0.9"><sitemap><loc>{following}</loc></sitemap></sitemapindex>')
    handler.answer(200, body.encode(), "application/xml")


def empty_once(status: int):
    """``status`` without a body to the first request, whatever it asked (a cache's 304, a
    204 during maintenance), then the article."""
    def route(handler: FaultHandler) -> None:
        if handler.server.owner.count(handler.hit.path) == 1:
            handler.answer(status, b"", content_type="")
        else:
            article(handler)
    return route


def sitemap_of(*paths: str):
    """A sitemap listing ``paths`` on the server's first host."""
    def route(handler: FaultHandler) -> None:
        entries = "".join(f"<url><loc>{handler.server.owner.url(path)}</loc></url>"
                          for path in paths)
        body = ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/'
                f'sitemap/0.9">{entries}</urlset>')
        handler.answer(200, body.encode(), "application/xml")
    return route


def reset_mid_body(handler: FaultHandler) -> None:
    body = demo_page("articles/museum-returns-bronzes.html", handler.base_url)
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body[: len(body) // 2])
    handler.wfile.flush()
    handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\1\0\0\0\0\0\0\0")
    handler.connection.close()  # linger 0: an RST, not a FIN


def short_body(handler: FaultHandler) -> None:
    body = demo_page("articles/housing-starts-rise.html", handler.base_url)
    handler.answer(200, body[: len(body) * 2 // 3], "text/html; charset=utf-8",
                   length=len(body))


def truncated_gzip(handler: FaultHandler) -> None:
    whole = gzip.compress(demo_page("articles/grain-barges-river-ice.html", handler.base_url))
    handler.answer(200, whole[: len(whole) * 2 // 3], "text/html; charset=utf-8",
                   headers={"Content-Encoding": "gzip"})


def bad_zstd(damage: str):
    """An article compressed with zstd, then damaged: ``truncated`` (its last third cut off)
    or ``dictionary`` (compressed with a dictionary the client was never given)."""
    def route(handler: FaultHandler) -> None:
        page = demo_page("articles/grain-barges-river-ice.html", handler.base_url)
        if damage == "truncated":
            whole = zstd.compress(page)
            body = whole[: len(whole) * 2 // 3]
        else:
            body = zstd.compress(page, zstd_dict=zstd_dictionary())
        handler.answer(200, body, "text/html; charset=utf-8",
                       headers={"Content-Encoding": "zstd"})
    return route


@cache
def zstd_dictionary() -> zstd.ZstdDict:
    samples = [(DEMO / "articles" / name).read_bytes() for name in (
        "harbour-wind-farm-approved.html", "mackerel-quota-dispute.html",
        "housing-starts-rise.html", "museum-returns-bronzes.html")]
    return zstd.train_dict([sample[i:i + 512] for sample in samples
                            for i in range(0, len(sample), 256)], 2048)


def bomb(encoding: str):
    def route(handler: FaultHandler) -> None:
        handler.answer(200, zeros_compressed(encoding), "text/html",
                       headers={"Content-Encoding": encoding})
    return route


def huge(declared: bool):
    """200 MB of HTML, with its Content-Length or without (the end is the connection's)."""
    def route(handler: FaultHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        if declared:
            handler.send_header("Content-Length", str(200 * MB))
        handler.end_headers()
        handler.wfile.write(b"<html><body>")
        handler.stream(200 * MB, b"<p>" + b"x" * 65530 + b"</p>")
    return route


def binary_as_html(name: str, body: bytes):
    def route(handler: FaultHandler) -> None:
        handler.answer(200, body, "text/html; charset=utf-8")
    return route


def redirect_to(target: str, host: int | None = None, status: int = 302):
    """Redirect to ``target``: a path on ``host`` (an index in the server's hosts) or a URL."""
    def route(handler: FaultHandler) -> None:
        owner = handler.server.owner
        handler.redirect(owner.url(target, host) if host is not None else target, status)
    return route


def meta_refresh(target: str):
    def route(handler: FaultHandler) -> None:
        body = f'<html><head><meta http-equiv="refresh" content="0; url={target}"></head>' \
               f"<body>moved</body></html>"
        handler.answer(200, body.encode("ascii"))
    return route


# -- content faults ---------------------------------------------------------------------


def broken_html(handler: FaultHandler) -> None:
    body = demo_page("articles/rail-strike-talks-collapse.html", handler.base_url)
    body = body.replace(b"</p>", b"").replace(b"</div>", b"", 3)  # unclosed tags
    body = body.replace(b"<p>", b"<p>\0", 4).replace(b"</body>", b"\0\0<div><span><b>")
    handler.answer(200, body, "text/html; charset=utf-8")


def cp1251_no_charset(handler: FaultHandler) -> None:
    body = demo_page("articles/severogorsk-tram-line.html", handler.base_url)
    lines = body.split(b"\n")
    body = b"\n".join(line for line in lines if b"charset" not in line.lower())
    handler.answer(200, body, "text/html")


def bom_wins(handler: FaultHandler) -> None:
    body = demo_page("articles/wendstadt-fahrradstrassen.html", handler.base_url)
    body = body.replace(b'<meta charset="utf-8">', b'<meta charset="windows-1251">')
    handler.answer(200, b"\xef\xbb\xbf" + body, "text/html; charset=iso-8859-1")


def utf16_by_header(handler: FaultHandler) -> None:
    """UTF-16LE without a byte-order mark, its charset in the header only."""
    body = demo_page("articles/carnegie-library-reopens.html", handler.base_url)
    body = body.decode("utf-8").replace('<meta charset="utf-8">', "").encode("utf-16-le")
    handler.answer(200, body, "text/html; charset=utf-16le")


def nested_divs(handler: FaultHandler) -> None:
    body = b"<html><body>" + b"<div>" * 10_000 + b"<p>deep</p>" + b"</div>" * 10_000
    handler.answer(200, body + b"</body></html>")


# -- security ---------------------------------------------------------------------------


def set_cookie(handler: FaultHandler) -> None:
    owner = handler.server.owner
    body = (f'<html><body><p>cookie set</p><a href="{owner.url("/cookie/check", 1)}">2</a>'
            f'<a href="{owner.url("/cookie/redirect")}">redirect</a></body></html>').encode()
    handler.answer(200, body, headers={"Set-Cookie": "session=s3cret; Path=/"})


def xml_bomb(kind: str, attack: str):
    """A sitemap or a feed whose DOCTYPE tries billion laughs or external entities."""
    def route(handler: FaultHandler) -> None:
        owner = handler.server.owner
        doctype = xml_doctype(attack, owner.url("/xxe/probe", 1), owner.url("/xxe/entity.html"))
        entry = owner.url("/ok/xml-" + kind + ".html")
        if kind == "sitemap":
            body = (f'<?xml version="1.0"?>{doctype}<urlset xmlns="http://www.sitemaps.org/'
                    f'schemas/sitemap/0.9"><url><loc>&e;</loc></url><url><loc>{entry}</loc>'
                    "</url></urlset>")
        else:
            body = (f'<?xml version="1.0"?>{doctype}<rss version="2.0"><channel><title>t'
                    f"</title><item><title>&e;</title><link>&e;</link></item><item>"
                    f"<link>{entry}</link></item></channel></rss>")
        handler.answer(200, body.encode(), "application/xml")
    return route


def xml_doctype(attack: str, probe_url: str, entity_url: str) -> str:
    if attack == "laughs":
        levels = ['<!ENTITY l0 "lol">'] + [
            f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)]
        return f"<!DOCTYPE r [{''.join(levels)}<!ENTITY e \"{entity_url}&l9;\">]>"
    if attack == "file":
        return '<!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/hostname">]>'
    if attack == "http":
        return f'<!DOCTYPE r [<!ENTITY e SYSTEM "{probe_url}">]>'
    return f'<!DOCTYPE r [<!ENTITY e "{entity_url}">]>'  # internal: a URL hidden in an entity


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0\0\0\rIHDR" + b"\0" * 200

ROUTES = {
    "/robots.txt": not_found,
    "/retry-after/asked": retry_after("1"),
    "/retry-after/long": retry_after("3600"),
    "/status/500": lambda h: h.answer(500, b"<html><body>oops</body></html>"),
    "/silent": lambda h: h.stall(),
    "/headers-then-stall": headers_then_stall,
    "/list/drips": drips_then_stories,
    "/reset-mid-body": reset_mid_body,
    "/short-body": short_body,
    "/truncated-gzip": truncated_gzip,
    "/bomb/gzip": bomb("gzip"),
    "/bomb/br": bomb("br"),
    "/huge/declared": huge(declared=True),
    "/huge/streamed": huge(declared=False),
    "/pdf-as-html": binary_as_html("pdf", PDF),
    "/png-as-html": binary_as_html("png", PNG),
    "/loop/a": redirect_to("/loop/b", 0),
    "/loop/b": redirect_to("/loop/a", 0),
    "/redirect/offsite": redirect_to("/offsite/landed", 2),
    "/redirect/offsite2": redirect_to("/offsite/landed", 2),  # the same target again
    "/redirect/to-ok1": redirect_to("/ok/1.html", 0),  # a page requested already
    "/redirect/file": redirect_to("file:///etc/hostname"),
    "/redirect/data": redirect_to("data:text/html,<p>injected</p>"),
    "/redirect/host2": redirect_to("/ok/host2.html", 1),
    "/unasked-304/story.html": empty_once(304),
    "/sitemap/unasked-304.xml": sitemap_of("/unasked-304/story.html"),
    "/no-content/story.html": empty_once(204),
    "/no-content/moved.html": redirect_to("/no-content/landed", 0),
    "/no-content/landed": empty_once(204),
    "/redirect/empty": lambda h: h.answer(302, b"", headers={"Location": ""}),
    "/zstd/truncated": bad_zstd("truncated"),
    "/zstd/dictionary": bad_zstd("dictionary"),
    "/sitemap/no-body.xml": sitemap_of("/no-content/story.html", "/no-content/moved.html",
                                       "/redirect/empty", "/zstd/truncated",
                                       "/zstd/dictionary", "/ok/no-body-control.html"),
    "/refresh/file": meta_refresh("file:///etc/hostname"),
    "/content/broken": broken_html,
    "/content/cp1251": cp1251_no_charset,
    "/content/bom": bom_wins,
    "/content/utf16": utf16_by_header,
    "/content/empty": lambda h: h.answer(200, b"", "text/html; charset=utf-8"),
    "/content/nested": nested_divs,
    "/content/paywall": lambda h: article(h, "articles/chipmaker-earnings-preview.html"),
    "/content/newsletter": lambda h: article(h, "newsletters/index.html"),
    "/cookie/set": set_cookie,
    "/cookie/redirect": redirect_to("/cookie/check-redirected", 1),
    **{f"/{kind}/{attack}.xml": xml_bomb(kind, attack)
       for kind in ("sitemap", "feed") for attack in ("laughs", "file", "http", "internal")},
}
PREFIX_ROUTES = {"/ok/": article, "/burst/": burst, "/cookie/check": article,
                 "/drip/": headers_then_stall, "/sitemap-chain/": sitemap_chain}


class FaultHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, owner: FaultServer, host: str, port: int):
        super().__init__((host, port), FaultHandler)
        self.owner = owner
        self.host = host


@dataclass
class FaultServer:
    """The fault routes on one port of each of ``hosts`` (loopback addresses)."""

    hosts: tuple[str, ...] = ("127.0.0.1", "127.0.0.2", "127.0.0.3")
    hits: list[Hit] = field(default_factory=list)
    closing: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    last_burst: dict[str, float] = field(default_factory=dict)

    def __post_init__(self):
        self.servers = self._bind()
        self.port = self.servers[0].server_address[1]
        self.threads = [threading.Thread(target=s.serve_forever, daemon=True,
                                         kwargs={"poll_interval": 0.1}) for s in self.servers]
        for thread in self.threads:
            thread.start()

    def _bind(self) -> list[FaultHTTPServer]:
        """One server per host on a common free port (a few tries if a port is taken)."""
        for _ in range(5):
            servers = [FaultHTTPServer(self, self.hosts[0], 0)]
            try:
                port = servers[0].server_address[1]
                servers += [FaultHTTPServer(self, host, port) for host in self.hosts[1:]]
                return servers
            except OSError:
                for server in servers:
                    server.server_close()
        raise OSError("no common free port on " + ", ".join(self.hosts))

    def base_url(self, host: str | int = 0) -> str:
        host = self.hosts[host] if isinstance(host, int) else host
        return f"http://{host}:{self.port}"

    def url(self, path: str, host: str | int | None = 0) -> str:
        return self.base_url(0 if host is None else host) + path

    def record(self, hit: Hit) -> None:
        with self.lock:
            self.hits.append(hit)

    def count(self, path: str, host: str | None = None) -> int:
        return len(self.hits_for(path, host))

    def hits_for(self, path: str, host: str | None = None) -> list[Hit]:
        with self.lock:
            return [h for h in self.hits if h.path == path and host in (None, h.host)]

    def close(self) -> None:
        self.closing.set()
        for server in self.servers:
            server.shutdown()
            server.server_close()

    def __enter__(self) -> FaultServer:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
