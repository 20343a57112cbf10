"""Browser tests: a live server on loopback and Debian's Chromium driven by Playwright.

Never run `playwright install`: it downloads a browser, and these machines reach only the
package registries. `scripts/dev test` installs Debian's chromium instead.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from werkzeug.serving import make_server

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("CPT_TEST_DATABASE_URL"):
        # The pages are the same on either database; the browser run is on SQLite only.
        skip = pytest.mark.skip(reason="browser tests run once, on SQLite")
        for item in items:
            if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
                item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: apt-get install --no-install-recommends "
                    "chromium (scripts/dev test does this)")
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


def _closed_before_sent(app: WSGIApplication) -> WSGIApplication:
    """The app with each answer read whole and closed before the server writes it.

    When the browser drops a connection while Werkzeug's development server writes a file
    (a script it stopped needing), the server's clean-up reads the reset socket, fails, and
    never closes the answer: the file is left open, and its ResourceWarning (an error under
    this suite's warning filter) fails whichever test the collector runs in. An answer that
    is already bytes has nothing left open.
    """

    def closed_first(environ: WSGIEnvironment, start_response: StartResponse) -> list[bytes]:
        answer = app(environ, start_response)
        try:
            return [b"".join(answer)]
        finally:
            close = getattr(answer, "close", None)
            if close is not None:
                close()

    return closed_first


@pytest.fixture
def live_server(app) -> Iterator[str]:
    """The app with the four reference councils, served over HTTP on a free loopback port."""
    server = make_server("127.0.0.1", 0, _closed_before_sent(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
