"""crawler.demo: the static server behind the demo site and the spider tests."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from crawler.demo import serve_site

CP1251 = '<html><head><meta charset="windows-1251"></head><body>Привет __BASE_URL__</body></html>'


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    (root / "index.html").write_text('<a href="__BASE_URL__/news/">news</a>', "utf-8")
    (root / "news").mkdir()
    (root / "news" / "index.html").write_text("<p>Новости</p>", "utf-8")
    (root / "news" / "old.html").write_bytes(CP1251.encode("cp1251"))
    (root / "sitemap.xml").write_text("<urlset><loc>__BASE_URL__/</loc></urlset>", "utf-8")
    (root / "robots.txt").write_text("Sitemap: __BASE_URL__/sitemap.xml\n", "utf-8")
    (root / "data.json").write_text('{"url": "__BASE_URL__"}', "utf-8")
    with serve_site(root) as running:
        yield running


def fetch(url: str, method: str = "GET"):
    request = urllib.request.Request(url, method=method)
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.status, response.headers.get("Content-Type"), response.read()


def test_base_url_is_a_free_local_port(server):
    assert server.base_url.startswith("http://127.0.0.1:")
    assert not server.base_url.endswith(":0")


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/", "text/html; charset=utf-8"),
        ("/sitemap.xml", "application/xml"),
        ("/robots.txt", "text/plain"),
    ],
)
def test_placeholder_is_replaced(server, path, content_type):
    status, got_type, body = fetch(server.base_url + path)
    assert (status, got_type) == (200, content_type)
    assert b"__BASE_URL__" not in body
    assert server.base_url.encode() in body


def test_other_files_are_served_as_they_are(server):
    _, content_type, body = fetch(server.base_url + "/data.json")
    assert content_type == "application/json"
    assert body == b'{"url": "__BASE_URL__"}'


def test_directory_serves_its_index(server):
    status, _, body = fetch(server.base_url + "/news/")
    assert status == 200
    assert body.decode("utf-8") == "<p>Новости</p>"


def test_directory_without_slash_redirects(server):
    status, _, body = fetch(server.base_url + "/news")  # urllib follows the redirect
    assert (status, body.decode("utf-8")) == (200, "<p>Новости</p>")


def test_cp1251_bytes_survive_replacement(server):
    _, content_type, body = fetch(server.base_url + "/news/old.html")
    assert content_type == "text/html"  # the page's own meta charset decides
    expected = CP1251.replace("__BASE_URL__", server.base_url).encode("cp1251")
    assert body == expected


def test_missing_file_is_404(server):
    with pytest.raises(urllib.error.HTTPError) as info:
        fetch(server.base_url + "/nope.html")
    assert info.value.code == 404


def test_head_sends_headers_only(server):
    status, content_type, body = fetch(server.base_url + "/", method="HEAD")
    assert (status, content_type, body) == (200, "text/html; charset=utf-8", b"")


def test_requests_are_recorded(server):
    fetch(server.base_url + "/robots.txt?x=1")
    assert "/robots.txt?x=1" in server.requested_paths


def test_not_a_directory_is_refused(tmp_path):
    with pytest.raises(ValueError, match="not a directory"):
        serve_site(tmp_path / "missing")


def test_a_busy_demo_port_is_one_line_that_does_not_advise_a_random_port(server, tmp_path):
    """The site's URLs hold the port: `--port 0` on an existing demo.db stored every
    article a second time, so the advice is another port with a new database."""
    from click.testing import CliRunner

    from crawler.cli import cli

    port = server.base_url.rsplit(":", 1)[1]
    result = CliRunner().invoke(cli, ["demo", "--port", port, "--db", str(tmp_path / "d.db")])
    assert result.exit_code == 2
    assert result.output.startswith(f"newscrawl: error: cannot serve the demo on 127.0.0.1:"
                                    f"{port}: ") and "--port 0" not in result.output
    assert "another --port with a new --db" in result.output
