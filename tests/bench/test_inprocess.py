"""bench/inprocess.py: each page rendered in-process after its warm-up, its statements
counted, a page with no paths left out."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from sqlalchemy import create_engine, text

from bench import inprocess
from bench.accounts import create_clerks
from bench.pages import ADMIN, PUBLIC, Page, council_of, paths_of
from core.bench import demo
from core.charts import service as charts

#: Two demo councils.
SMALL = 0.013


@pytest.fixture(autouse=True)
def collector_as_it_was() -> Iterator[None]:
    """The in-process renderer settles the garbage collector as a worker does
    (``core.collector``); the test process's is put back afterwards, so that later tests
    run with Python's threshold and nothing of theirs frozen."""
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


def test_renders_each_page_after_its_warm_up(
        make_app: Callable[..., Flask], database_url: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app({})
    with app.app_context():
        demo.load_demo(SMALL)
    named = {page.name: page for page in [*PUBLIC, *ADMIN]}
    engine = create_engine(database_url)
    try:
        dashboards = paths_of(engine, named["dashboard"])
        with engine.connect() as connection:
            council_id = connection.execute(text("SELECT id FROM council WHERE slug = :slug"),
                                            {"slug": council_of(dashboards[0])}).scalar_one()
        pages = {named["dashboard"]: dashboards,
                 named["admin meeting"]: paths_of(engine, named["admin meeting"], [council_id])}
    finally:
        engine.dispose()
    (email,) = create_clerks(database_url, [council_of(dashboards[0])])
    pages[Page("nothing", "SELECT '/' WHERE 1 = 0", "public")] = []
    asked: list[bool] = []  # for each request: whether the app asked is the cold one
    real = inprocess.uncached_app

    def counted_app(*args: object, **config: object) -> Flask:
        built = real(*args, **config)
        cold = config == inprocess.NO_MEMOS
        built.before_request(lambda: asked.append(cold) and None)
        return built

    monkeypatch.setattr(inprocess, "uncached_app", counted_app)
    forgotten: list[int] = []
    monkeypatch.setattr(charts, "forget_drawings", lambda: forgotten.append(len(asked)))
    rendered = inprocess.render_pages(database_url, pages, clerk_email=email, per_page=2,
                                      repeat=3)
    assert [row["page"] for row in rendered] == ["dashboard", "admin meeting"]
    for row in rendered:
        assert row["status"] == 200 and row["constant"] and row["statements"] > 0
        assert row["paths"] == 2
    # each page, warm and cold: the warm-up of its first path, then one and three a path
    each = inprocess.WARM_RENDERS - 1 + 2 * (1 + 3)
    sign_in = 2  # the clerk's form and post, in each app
    assert len(asked) == 2 * (2 * each + sign_in)
    # every cold render (two pages, two paths, three times each) draws its charts afresh,
    # and no warm one: each forgetting is followed by a request to the cold app
    assert len(forgotten) == 2 * 2 * 3
    assert all(asked[index] for index in forgotten)
    assert asked.count(True) == asked.count(False)
