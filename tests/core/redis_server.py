"""A real Redis server for the tests of the stores several servers share (the page cache,
the sign-in counters): Debian's ``redis-server`` on a free loopback port, in the test's
temporary folder, with nothing saved to disk; stopped after the test.

Without ``redis-server`` the tests that need it are skipped, except when the environment
variable ``CI`` is set: CI must test the Redis stores for real, so they fail there
(``scripts/dev test`` installs ``redis-server`` when it is missing).

A test module takes the fixture by importing it:
``from tests.core.redis_server import redis_server  # noqa: F401  (a fixture)``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis

from tests.core.servers import free_port

#: How long the server may take to answer its first PING, in seconds.
START_SECONDS = 10


@dataclass
class RedisServer:
    """A running ``redis-server``: its URL (database 0), and its process to stop."""

    url: str
    process: subprocess.Popen[bytes]

    def client(self) -> redis.Redis:
        """A client of the server's database 0, to look at what the app stored."""
        return redis.Redis.from_url(self.url)

    def stop(self) -> None:
        """Stop the server (at once, or at the end of the test)."""
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def _program() -> str:
    """The path of ``redis-server``, or the test skipped (failed under CI) without it."""
    program = shutil.which("redis-server")
    if program is None:
        message = ("redis-server is not installed (apt-get install redis-server; "
                   "scripts/dev test installs it)")
        if os.environ.get("CI"):
            pytest.fail(f"{message}: CI must test the Redis stores")
        pytest.skip(message)
    return program


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A fresh, empty ``redis-server`` on loopback for this test."""
    folder = tmp_path / "redis"
    folder.mkdir()
    port = free_port()
    process = subprocess.Popen(
        [_program(), "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(folder), "--logfile", str(folder / "redis.log")],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    server = RedisServer(f"redis://127.0.0.1:{port}/0", process)
    try:
        deadline = time.monotonic() + START_SECONDS
        with server.client() as client:
            while True:
                try:
                    client.ping()
                    break
                except redis.ConnectionError:
                    assert process.poll() is None, (folder / "redis.log").read_text()
                    assert time.monotonic() < deadline, "redis-server did not start"
                    time.sleep(0.02)
        yield server
    finally:
        server.stop()
