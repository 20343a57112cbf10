"""The benchmark's floor: a fixed 20 KB page served by the same app, with no database.

Registered only when ``BENCHMARK_FLOOR`` is set (``CPT_BENCHMARK_FLOOR=1``), so that
``bench/run.py`` can measure what the server and Flask cost before any page's own work.
"""

from __future__ import annotations

from flask import Blueprint, Response

#: The floor page's size in bytes.
SIZE = 20 * 1024

floor = Blueprint("floor", __name__)
_HEAD = b"<!DOCTYPE html><html lang=\"en-GB\"><head><title>Floor</title></head><body>\n"
_LINE = b"<p>Corporate parenting toolkit: the benchmark's fixed page.</p>\n"
_TAIL = b"</body></html>"
_FILL = SIZE - len(_HEAD) - len(_TAIL)
_BODY = _HEAD + _LINE * (_FILL // len(_LINE)) + b" " * (_FILL % len(_LINE)) + _TAIL


@floor.get("/_benchmark/floor")
def page() -> Response:
    """The same 20 KB of HTML every time."""
    return Response(_BODY, mimetype="text/html")
