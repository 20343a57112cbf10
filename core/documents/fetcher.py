"""What a document may load while it is printed: the app's own static files, from disk.

Every other address (another site, the app's pages, a file elsewhere on disk) is refused,
so printing never waits on the network and a document cannot be made to reveal a local
file. ``data:`` URLs, which carry their content, are read as they are.
"""

from __future__ import annotations

import mimetypes
import os
from functools import cache
from typing import Any
from urllib.parse import unquote, urlsplit

from werkzeug.security import safe_join


class RefusedURL(ValueError):
    """An address a document may not load."""


@cache
def _fetcher_class() -> type:
    """WeasyPrint's URL fetcher, narrowed (built on first use: WeasyPrint is heavy)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalFetcher(URLFetcher):
        """Serves ``static_url``'s files from ``static_folder``; refuses everything else
        (each refused address is noted in :attr:`refused`)."""

        def __init__(self, static_folder: str, static_url: str) -> None:
            super().__init__(allowed_protocols=("http", "https", "data"))
            self.static_folder = static_folder
            self.static_url = static_url
            self.refused: list[str] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = static_path(self.static_folder, self.static_url, url)
            if path is None:
                self.refused.append(url)
                raise RefusedURL(f"A document may load only the app's static files: {url}")
            with open(path, "rb") as found:
                body = found.read()
            kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body, {"Content-Type": kind})

    return LocalFetcher


def static_path(static_folder: str, static_url: str, url: str) -> str | None:
    """The file on disk that ``url`` names under ``static_url`` (the static files' address,
    ending in ``/``), or ``None`` if it names anything else or no file."""
    if not url.startswith(static_url):
        return None
    relative = unquote(urlsplit(url).path[len(urlsplit(static_url).path):])
    path = safe_join(static_folder, relative)
    return path if path is not None and os.path.isfile(path) else None


def local_fetcher(static_folder: str, static_url: str) -> Any:
    """A WeasyPrint URL fetcher serving the files of ``static_folder`` at ``static_url``
    and refusing every other address."""
    return _fetcher_class()(static_folder, static_url)
