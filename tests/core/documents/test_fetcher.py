"""What a document may load while printed: the app's static files, from disk; nothing else."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from core.documents.fetcher import RefusedURL, local_fetcher, static_path
from core.documents.pdf import html_to_pdf
from tests.core.documents.pdfs import pdf_text

STATIC = str(Path(__file__).resolve().parents[3] / "core" / "static")
ROOT = "http://council.example/"
STATIC_URL = ROOT + "static/"


def test_the_apps_static_files_are_read_from_disk() -> None:
    fetcher = local_fetcher(STATIC, STATIC_URL)
    response = fetcher.fetch(STATIC_URL + "app.js")
    assert response.read() == (Path(STATIC) / "app.js").read_bytes()
    assert response.content_type in ("text/javascript", "application/javascript")
    assert fetcher.refused == []


@pytest.mark.parametrize("url", [
    "https://example.org/logo.png",            # another site
    "http://council.example/herefordshire/",   # the app's own pages
    "http://council.example/static/../core/app.py",
    STATIC_URL + "..%2Fapp.py",
    STATIC_URL + "no-such-file.css",
    "file:///etc/passwd",
    "http://other.example/static/app.js",      # the static path, on another host
])
def test_every_other_address_is_refused(url: str) -> None:
    fetcher = local_fetcher(STATIC, STATIC_URL)
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)
    assert fetcher.refused == [url]
    assert static_path(STATIC, STATIC_URL, url) is None


def test_printing_never_opens_a_network_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    tried: list[object] = []

    def no_network(self: socket.socket, address: object) -> None:
        tried.append(address)
        raise OSError("no network in this test")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    html = ('<!DOCTYPE html><html lang="en-GB"><head><title>T</title>'
            '<link rel="stylesheet" href="https://fonts.example.org/font.css">'
            '<link rel="stylesheet" href="/static/no-such.css"></head>'
            '<body><p>Printed without the network.</p>'
            '<img src="https://example.org/tracker.png" alt="">'
            '</body>'
            '</html>')
    body = html_to_pdf(html, base_url=ROOT, static_folder=STATIC, static_url=STATIC_URL)
    assert "Printed without the network." in pdf_text(body)
    assert tried == []
