"""The app served for real: gunicorn with two workers on the test database, over HTTP on
loopback, for tests that need separate worker processes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(database_url: str, folder: Path, *options: str, log: Path | None = None
             ) -> Iterator[str]:
    """``core.wsgi:app`` under gunicorn with two workers (and ``options``) on the test
    database; yields its base URL once it answers. Its output goes to ``log`` if given."""
    port = free_port()
    env = {**os.environ, "CPT_DATABASE_URL": database_url, "CPT_SECRET_KEY": "test",
           "CPT_INSTANCE_PATH": str(folder / "instance"),
           "CPT_SECURE_COOKIES": "0"}  # plain HTTP on loopback
    out = log.open("w") if log is not None else subprocess.DEVNULL
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", *options,
         "core.wsgi:app"], env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/", timeout=5).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        if log is not None:
            out.close()
