"""The API lists' own parts: the URL their Link header is built on."""

from __future__ import annotations

import pytest
from flask import Flask, request

from core.api import listing


@pytest.mark.parametrize(("path", "base"), [
    ("/api/councils/demo-0001/actions", "http://localhost/"),
    ("/api/councils/demo-0001/actions", "https://localhost:443/"),
    ("/api/councils/demo-0001/actions", "http://localhost:80/"),
    ("/api/councils/demo-0001/actions", "http://other.example:8080/"),
    ("/api/councils/caf%C3%A9/actions", "http://localhost/"),
    ("/api/councils/café/a b?c", "http://localhost/"),
    ("/api/councils/x%2Fy/actions", "http://localhost/a mount/"),
    ("/api/councils/x/actions", "http://xn--n3h.example/"),
    ("/api/councils/x/actions", f"http://{'.'.join(['a' * 60] * 5)}.example/"),
    (f"/api/councils/{'x' * 600}/actions", "http://localhost/"),
])
def test_the_base_url_is_werkzeugs(path: str, base: str) -> None:
    """What :func:`listing.base_url` gives is ``request.base_url``, whatever the scheme,
    port, host, mount point and path (quoted, unquoted, past ASCII)."""
    with Flask(__name__).test_request_context(path, base_url=base):
        assert listing.base_url(request.scheme, request.host, request.root_path,
                                request.path) == request.base_url


def test_only_ordinary_hosts_and_paths_are_kept() -> None:
    """A host or path longer than any a council's list has is not kept (a client writes
    the Host header)."""
    listing._kept_base_url.cache_clear()
    long_host = "a" * (listing.KEPT_HOST + 1)
    long_path = "/" + "p" * listing.KEPT_PATH
    assert listing.base_url("http", long_host, "", "/x") == f"http://{long_host}/x"
    assert listing.base_url("http", "localhost", "", long_path) == f"http://localhost{long_path}"
    assert listing._kept_base_url.cache_info().currsize == 0
    assert listing.base_url("http", "localhost", "", "/x") == "http://localhost/x"
    assert listing._kept_base_url.cache_info().currsize == 1


def test_a_long_list_keeps_no_lines() -> None:
    """A long list is counted apart, and its lines are not kept by its rows: asking for
    both is refused when the list is made, not when a page is read."""
    from sqlalchemy import select

    from core.models import Council

    with pytest.raises(ValueError, match="nor its lines kept"):
        listing.Paged(select(Council.slug), long=True, kept_lines=True)
    assert listing.Paged(select(Council.slug), long=True).lines_paged is None


def test_a_list_of_values_equal_but_written_apart_keeps_no_lines() -> None:
    """A decimal's or float's column, or a time zone's instant, may hold values that are
    equal keys but written differently (``1.0`` and ``1.00``; one instant in two zones):
    such a list's lines are not kept by its rows."""
    from sqlalchemy import DateTime, Float, Numeric, cast, select

    from core.models import Council

    for kind in (Numeric(), Float(), DateTime(timezone=True)):
        with pytest.raises(ValueError, match="written differently"):
            listing.Paged(select(Council.slug, cast(Council.id, kind).label("value")),
                          kept_lines=True)
    kept = listing.Paged(select(Council.slug, cast(Council.id, DateTime()).label("value")),
                         kept_lines=True)
    assert list(kept.lines_paged.selected_columns.keys())[-1] == listing.LIST_TOTAL
