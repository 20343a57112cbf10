"""The layout every page shares, kept as markup (core/layout.py): rendered once for each
council and language, holding nothing of the request that rendered it first (who was
signed in, their form's token, the page's title or navigation), and GOV.UK's template
whole around each page's own parts."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask
from jinja2 import ChoiceLoader, DictLoader

from core.layout import FRAMES_EXTENSION as FRAMES
from core.layout import SLOTS, Frame, page_frame
from tests.conftest import sign_in
from tests.core.growth import page

BRACKNELL, WIGHT = "bracknell_forest", "isle_of_wight"


def core_templates() -> Path:
    """The core's own templates folder."""
    return Path(__file__).resolve().parents[2] / "core" / "templates"


def _frames(app: Flask) -> list[Frame]:
    return list(app.extensions[FRAMES].entries.values())


def test_the_layout_is_rendered_once_for_each_council(app: Flask) -> None:
    client = app.test_client()
    for url in (f"/{BRACKNELL}/", f"/{BRACKNELL}/strategy", f"/{BRACKNELL}/pledges",
                f"/{WIGHT}/", f"/{WIGHT}/partners", f"/{BRACKNELL}/reviews"):
        page(client, url)
    memo = app.extensions[FRAMES]
    assert (memo.misses, memo.hits) == (2, 4)
    footers = sorted(frame.end.split("Content published by ")[1].split(".")[0]
                     for frame in _frames(app))
    assert footers == ["Bracknell Forest Council", "Isle of Wight Council"]
    for frame in _frames(app):
        assert frame.start.lstrip().startswith("<!DOCTYPE html>")
        assert frame.start.endswith("<title>") and frame.end.rstrip().endswith("</html>")
        assert '<main class="govuk-main-wrapper" id="main-content">' in frame.before_main
        assert len(frame) == len(SLOTS) + 1
        # what each page writes in the slots is not kept: no title, navigation, or page
        assert "Overview" not in "".join(frame) and "govuk-service-navigation" not in "".join(
            frame)


def test_who_is_signed_in_is_never_kept_in_the_layout(
        app: Flask, make_user: Callable[..., tuple[int, str]]) -> None:
    _, first = make_user(role="panel_admin", council=BRACKNELL)
    _, second = make_user(role="panel_admin", council=BRACKNELL,
                          email="second.clerk@example.org")
    signed_in = {}
    for email in (first, second):
        client = app.test_client()
        assert sign_in(client, email).status_code == 302
        signed_in[email] = client
    first_page = page(signed_in[first], f"/{BRACKNELL}/")
    anonymous = page(app.test_client(), f"/{BRACKNELL}/")
    second_page = page(signed_in[second], f"/{BRACKNELL}/")
    assert f"Signed in as {first}" in first_page and second not in first_page
    assert "Signed in as" not in anonymous and first not in anonymous
    assert f"Signed in as {second}" in second_page and first not in second_page
    kept = "".join("".join(frame) for frame in _frames(app))
    assert first not in kept and second not in kept
    assert 'name="csrf_token"' not in kept and "Sign out" not in kept
    # the page around the account bar is the kept layout's
    assert page(app.test_client(), f"/{BRACKNELL}/") == anonymous


@contextmanager
def _layout_changed(app: Flask, old: str, new: str) -> Iterator[None]:
    """The app's templates with the core's ``layout.html`` changed (``old`` written
    ``new``), as a council's copy of it might be, and a request to render it in."""
    original = app.jinja_env.loader
    changed = Path(core_templates(), "layout.html").read_text(encoding="utf-8").replace(
        old, new)
    app.jinja_env.loader = ChoiceLoader([DictLoader({"layout.html": changed}), original])
    app.jinja_env.cache.clear()
    try:
        with app.test_request_context("/"):
            yield
    finally:
        app.jinja_env.loader = original
        app.jinja_env.cache.clear()


def test_a_layout_without_one_of_its_slots_is_refused_by_name(app: Flask) -> None:
    """A council's copy of ``layout.html`` made without a slot would lose what a page writes
    there: the layout is refused, naming the slot, rather than kept without it."""
    with (_layout_changed(app, '{{ frame_slot("account") }}', ""),
          pytest.raises(RuntimeError, match="'account'")):
        page_frame(None)


def test_a_layout_writing_a_slot_twice_is_refused(app: Flask) -> None:
    with (_layout_changed(app, '{{ frame_slot("main") }}',
                          '{{ frame_slot("main") }}{{ frame_slot("title") }}'),
          pytest.raises(RuntimeError, match="twice")):
        page_frame(None)
