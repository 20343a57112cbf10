"""Where a worker's time goes under load: py-spy sampling one gunicorn worker while wrk
loads a page, the page cache off.

    python -m bench.under_load --scale 1 dashboard
    python -m bench.under_load --database-url postgresql+psycopg://… "progress chart"

The in-process profile (:mod:`bench.profile`) times a page through Flask's test client, one
council at a time; under the benchmark's load a page costs more (the workers, wrk and the
database share two cores, each request is another council's, and gunicorn reads, writes and
closes each connection). This starts the app as the benchmark's uncached server does (two
sync workers on the kept demo database of ``--scale``, or ``--database-url``), warms it,
then records one worker with py-spy for ``--seconds`` while wrk sends the page's paths in
turn over 16 connections, and prints the requests per second and the frames holding the
largest shares of the worker's samples, inclusive and then alone. py-spy samples only while
the worker runs Python (waiting for a connection is left out); waiting for PostgreSQL is
counted, in psycopg's frames. py-spy is a tool of the benchmark, not of the app
(``pip install py-spy==0.4.3``; ``scripts/dev bench`` installs it), and needs to be allowed
to trace the worker (root, or ``kernel.yama.ptrace_scope`` 0).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from sqlalchemy import create_engine

from bench.cpu import children
from bench.load import write_lines, wrk
from bench.pages import PUBLIC, paths_of
from bench.run import BASE_ENV
from bench.servers import BENCH, BIN, gunicorn

#: py-spy's samples a second.
RATE = 250
#: A frame as py-spy's raw format writes it: ``function (path:line)``.
_FRAME = re.compile(r"^(?P<function>.*) \((?P<path>.*?)(?::\d+)?\)$")


def frame_name(frame: str) -> str:
    """A frame without its line, its path from the package on (``overview
    (core/councils/views.py)``, ``Flask.__call__ (flask/app.py)``)."""
    match = _FRAME.match(frame)
    if match is None:
        return frame
    path = match["path"]
    for marker in ("/site-packages/", f"{BENCH.parent}/"):
        path = path.split(marker, 1)[-1]
    return f"{match['function']} ({path})"


def shares(raw: str) -> tuple[int, Counter[str], Counter[str]]:
    """From py-spy's raw output (a stack of frames and a count a line): the samples, and
    each frame's samples inclusive (once a stack) and alone (the stack's last frame)."""
    total, inclusive, alone = 0, Counter[str](), Counter[str]()
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = [frame_name(frame) for frame in stack.split(";")]
        total += int(count)
        for frame in set(frames):
            inclusive[frame] += int(count)
        alone[frames[-1]] += int(count)
    return total, inclusive, alone


def record(page: str, url: str, seconds: float, connections: int = 16) -> str:
    """Serve ``url``'s demo uncached, load ``page`` and record one worker: py-spy's raw
    output, after printing wrk's requests per second."""
    if not (BIN / "py-spy").exists():
        raise SystemExit(f"py-spy is not installed in {BIN.parent}: "
                         f"{BIN / 'pip'} install py-spy==0.4.3 (scripts/dev bench installs it)")
    names = {one.name: one for one in PUBLIC}
    if page not in names:
        raise SystemExit(f"no public page named {page!r}; pages: {', '.join(names)}")
    with tempfile.TemporaryDirectory(prefix="cpt-under-load-") as workdir:
        lines = write_lines(Path(workdir) / "paths.txt",
                            paths_of(create_engine(url), names[page]))
        env = {**os.environ, **BASE_ENV, "CPT_DATABASE_URL": url, "CPT_PAGE_CACHE": "off",
               "CPT_INSTANCE_PATH": workdir}
        with gunicorn("uncached", env) as server:
            wrk(server.url, lines, 2, connections)  # warm: templates, memos, plans
            worker = str(children(server.process.pid)[0])
            out = Path(workdir) / "samples.txt"
            spy = subprocess.Popen(
                [str(BIN / "py-spy"), "record", "--pid", worker, "--duration",
                 str(round(seconds)), "--rate", str(RATE), "--format", "raw", "--nonblocking",
                 "--output", str(out)],
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            loaded = wrk(server.url, lines, seconds, connections)
            _, error = spy.communicate(timeout=seconds + 60)
            if spy.returncode:
                raise SystemExit(f"py-spy: {error.decode(errors='replace').strip()}")
            print(f"{page}: {loaded.requests_per_s:.1f} requests/s, "
                  f"p99 {loaded.p99_ms:.1f} ms, under "
                  f"{connections} connections for {seconds:g} s", flush=True)
            return out.read_text()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("page", help="a public page's name, as in bench/pages.py")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--database-url", help="instead of the kept SQLite demo database")
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--top", type=int, default=45, help="frames listed inclusive")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{BENCH / '.data' / f'scale-{args.scale:g}.sqlite3'}"
    total, inclusive, alone = shares(record(args.page, url, args.seconds))
    if not total:
        sys.exit("py-spy recorded no samples")
    print(f"{total} samples of one worker; share of them, inclusive:")
    for frame, count in inclusive.most_common(args.top):
        print(f"{100 * count / total:5.1f} %  {frame}")
    print("alone:")
    for frame, count in alone.most_common(20):
        print(f"{100 * count / total:5.1f} %  {frame}")


if __name__ == "__main__":
    main()
