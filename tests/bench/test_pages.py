"""The benchmark's agenda pack page: its paths are real agenda packs, and its first answers
are timed cold and kept on a real server (two gunicorn workers, WeasyPrint imported by the
worker on its first document; the issue's target, under 2 s cold, is the benchmark's)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from flask import Flask
from sqlalchemy import create_engine

from bench.pages import AGENDA_PACK, PUBLIC, paths_of
from bench.report import heavy_outputs
from bench.run import first_bytes
from core.bench import demo
from tests.core.documents.pdfs import pdf_text
from tests.core.servers import gunicorn

#: Two demo councils.
SMALL = 0.013


def test_the_agenda_pack_page_lists_each_panels_latest_meetings_pack(
        make_app: Callable[..., Flask], database_url: str, tmp_path: Path) -> None:
    app = make_app({})
    with app.app_context():
        demo.load_demo(SMALL)
    (page,) = [page for page in PUBLIC if page.name == AGENDA_PACK]
    engine = create_engine(database_url)
    try:
        paths = paths_of(engine, page)
        meetings = paths_of(engine, next(p for p in PUBLIC if p.name == "meeting agenda"))
    finally:
        engine.dispose()
    assert paths == [f"{path}/agenda.pdf" for path in meetings] and len(paths) == 4
    client = app.test_client()
    answer = client.get(paths[0])
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    assert "Agenda pack" in pdf_text(answer.get_data())

    with gunicorn(database_url, tmp_path, "--timeout", "120") as base:
        figures = first_bytes(base, paths[1])
    assert figures["path"] == paths[1]
    # the 2 s target is the benchmark's to measure: on a loaded machine (the suite shares
    # two cores) a cold print took 4 s, on a quiet one 0.7 s
    assert 0 < figures["kept_s"] < figures["cold_s"], figures  # type: ignore[operator]
    (line, target, _) = heavy_outputs({"first_bytes": {"agenda pack PDF": figures}})
    assert line.startswith(f"Agenda pack PDF, time to first byte: cold {figures['cold_s']} s, "
                           "kept ")
    assert "2 s cold" in target
    assert heavy_outputs({"agenda_pack_first_byte": figures})[0] == line  # older runs
    assert heavy_outputs({}) == []
