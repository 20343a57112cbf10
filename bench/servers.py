"""Starting and stopping what the benchmark loads: gunicorn, Datasette, redis-server and
nginx, each on a free loopback port, each stopped by its own process id."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.cpu import children

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
#: The project's virtualenv (the one running this).
BIN = Path(sys.executable).parent
#: The comparison tools' own virtualenv (Datasette, Flask-Admin): see :mod:`bench.compare`.
TOOLS_BIN = BENCH / ".tools" / "bin"


@dataclass
class Server:
    """A server started here: what it is, where it listens, its process."""

    name: str
    port: int
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        """Its base URL."""
        return f"http://127.0.0.1:{self.port}"


def free_port() -> int:
    """A loopback port free now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int, path: str = "/", timeout: float = 60,
              process: subprocess.Popen[bytes] | None = None, every: float = 0.1) -> None:
    """Wait until ``path`` answers 200 on ``port`` (or fail, also when ``process`` ends),
    trying ``every`` so many seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise SystemExit(f"the server for port {port} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as reply:
                if reply.status == 200:
                    return
        except (OSError, urllib.error.HTTPError):
            time.sleep(every)
    raise SystemExit(f"nothing answered {path} on port {port} within {timeout} s")


def stop(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    """Stop one process started here, by its id; kill it if it does not stop in 30 s."""
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)


@contextmanager
def serving(name: str, command: list[str], env: Mapping[str, str], ready_path: str,
            port: int, *, log: Path | None = None) -> Iterator[Server]:
    """Run ``command`` (which listens on ``port``) until the block ends."""
    out = log.open("ab") if log else subprocess.DEVNULL
    process = subprocess.Popen(command, env=dict(env), cwd=ROOT, stdout=out,
                               stderr=subprocess.STDOUT if log else None)
    try:
        try:
            wait_for(port, ready_path, process=process)
        except SystemExit as error:
            tail = log.read_text(errors="replace").strip().splitlines()[-3:] if log else []
            raise SystemExit(" ".join([f"{name}: {error}", *tail])) from None
        yield Server(name, port, process)
    finally:
        stop(process)
        if log:
            out.close()  # type: ignore[union-attr]


def gunicorn(name: str, env: Mapping[str, str], *, workers: int = 2, app: str = "core.wsgi:app",
             ready_path: str = "/_benchmark/floor", bin_dir: Path = BIN,
             log: Path | None = None) -> AbstractContextManager[Server]:
    """gunicorn with ``workers`` sync workers serving ``app`` (a context manager)."""
    port = free_port()
    return serving(name, [str(bin_dir / "gunicorn"), "-w", str(workers), "-b",
                          f"127.0.0.1:{port}", "--log-level", "warning", app],
                   env, ready_path, port, log=log)


def worker_rss_mb(master: int) -> list[float]:
    """Resident memory of each gunicorn worker (children of ``master``)."""
    sizes = []
    for pid in children(master):
        status = Path(f"/proc/{pid}/status").read_text()
        kb = int(re.search(r"VmRSS:\s+(\d+) kB", status)[1])  # type: ignore[index]
        sizes.append(round(kb / 1024, 1))
    return sizes


@contextmanager
def redis(workdir: Path) -> Iterator[Server]:
    """Debian's redis-server on a free loopback port, in memory only."""
    port = free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(workdir), "--loglevel", "warning"],
        stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise SystemExit("redis-server did not start") from None
                time.sleep(0.1)
        yield Server("redis", port, process)
    finally:
        stop(process)


def redis_keys(port: int, database: int) -> int:
    """How many keys the Redis on ``port`` holds in ``database``."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(f"SELECT {database}\r\nDBSIZE\r\n".encode())
        reply = b""
        while reply.count(b"\r\n") < 2:
            reply += sock.recv(64)
    return int(reply.split(b"\r\n")[1].lstrip(b":"))


NGINX_CONF = """\
daemon off;
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/nginx-error.log warn;
{user}
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {dir}/client;
  proxy_temp_path {dir}/proxy;
  fastcgi_temp_path {dir}/fastcgi;
  uwsgi_temp_path {dir}/uwsgi;
  scgi_temp_path {dir}/scgi;
  upstream app {{
{servers}
    keepalive 32;
  }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-Host $http_host;
    }}
  }}
}}
"""


@contextmanager
def nginx(workdir: Path, upstreams: list[Server]) -> Iterator[Server]:
    """Debian's nginx in front of ``upstreams``, round robin, from a config in ``workdir``."""
    port = free_port()
    folder = workdir / "nginx"
    folder.mkdir(exist_ok=True)
    # As root, nginx's workers would change to nobody, who cannot use the temp folders.
    user = "user root root;" if os.geteuid() == 0 else ""
    conf = folder / "nginx.conf"
    conf.write_text(NGINX_CONF.format(
        dir=folder, user=user, port=port,
        servers="\n".join(f"    server 127.0.0.1:{server.port};" for server in upstreams)))
    command = [shutil.which("nginx") or "/usr/sbin/nginx", "-c", str(conf), "-p", str(folder)]
    with serving("nginx", command, {}, "/_benchmark/floor", port,
                 log=folder / "nginx.out") as server:
        yield server


def server_warnings(logs: dict[str, Path]) -> list[str]:
    """The servers' warnings and errors (a worker that crashed or timed out, a traceback's
    last line), each with its server's name: figures measured across one are suspect."""
    found = []
    for server, log in logs.items():
        content = log.read_text(errors="replace") if log.exists() else ""
        found += [f"{server}: {line.strip()}" for line in content.splitlines()
                  if re.search(r"\[(WARNING|ERROR|CRITICAL)\]|Error:", line)]
    for line in found:
        print(f"  server log: {line}", flush=True)
    return found[:50]
