"""Charts drawn when their figures change and kept for every process (core/charts/kept.py)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from core.audit import acting_as
from core.charts import kept
from core.charts.models import KeptDrawing
from core.charts.service import forget_drawings, line_chart
from core.extensions import db
from core.models import Council
from tests.conftest import AppFactory, counting_queries
from tests.core.indicators.figures import WIGHT, add, report_card

CHART = f"/{WIGHT}/indicators/health-assessments/chart.svg"
SUBJECT = "indicator:health-assessments"


@pytest.fixture
def app(make_app: AppFactory) -> Flask:
    """The four councils, without the page cache: every request runs its view."""
    return make_app(config={"PAGE_CACHE_STORE": "off"})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def kept_rows(app: Flask) -> dict[str, str]:
    """The Isle of Wight's kept drawings: subject → digest."""
    with app.app_context():
        council_id = db.session.scalar(select(Council.id).where(Council.slug == WIGHT))
        return dict(db.session.execute(select(KeptDrawing.subject, KeptDrawing.digest).where(
            KeptDrawing.council_id == council_id)).all())


def same_but_ids(svg: bytes) -> bytes:
    """``svg`` with the chart's id (a new UUID on every drawing) taken out."""
    return re.sub(rb"chart-[0-9a-f-]{36}", b"chart-", svg)


def drawn_now(client: FlaskClient, url: str = CHART) -> tuple[bytes, int]:
    """The chart at ``url`` asked for by a process that keeps no drawing of its own, and
    how many charts that request drew."""
    forget_drawings()
    before = line_chart.cache_info().misses
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    return response.get_data(), line_chart.cache_info().misses - before


def test_a_chart_is_drawn_when_its_figures_change_and_read_from_then_on(
        app: Flask, client: FlaskClient) -> None:
    report_card(app)
    assert set(kept_rows(app)) == {SUBJECT, "indicator:placement-stability-moves",
                                   "indicator:personal-education-plans"}
    svg, drawn = drawn_now(client)
    assert drawn == 0  # the kept drawing answered
    assert b"<svg" in svg and b"Isle of Wight Council" in svg
    # the same as drawing it afresh from the same figures
    with app.app_context():
        row = db.session.scalar(select(KeptDrawing).where(KeptDrawing.subject == SUBJECT))
        assert len(row.digest) == 64
    forget_drawings()
    before = kept_rows(app)[SUBJECT]
    add(app, "health-assessments", dt.date(2026, 3, 31), numerator=95, denominator=100)
    assert kept_rows(app)[SUBJECT] != before  # drawn again in the figure's transaction
    svg, drawn = drawn_now(client)
    assert drawn == 0 and b"2026" in same_but_ids(svg)


def test_the_figure_is_audited_and_its_drawing_is_not(app: Flask) -> None:
    from core.audit import AuditEvent

    report_card(app)
    with app.app_context():
        kinds = set(db.session.scalars(select(AuditEvent.record_type)))
    assert "indicator_figure" in kinds and "kept_drawing" not in kinds


def test_a_page_reading_a_kept_chart_writes_nothing(app: Flask, client: FlaskClient) -> None:
    report_card(app)
    forget_drawings()
    with counting_queries(app) as counted:
        assert client.get(CHART).status_code == 200
    # the council, its figures and the kept drawing
    assert len(counted) == 3, counted.statements
    assert sum("FROM kept_drawing" in s for s in counted.statements) == 1
    assert not any(s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
                   for s in counted.statements)


def test_a_change_made_elsewhere_draws_the_chart_as_it_now_is(app: Flask,
                                                              client: FlaskClient) -> None:
    """The council renamed (its name is the chart's first line's): the kept drawing was
    drawn from other words, so the chart is drawn afresh, never served stale."""
    report_card(app)
    with app.app_context(), acting_as(None, "Test"):
        council = db.session.scalar(select(Council).where(Council.slug == WIGHT))
        council.name = "Isle of Wight Council (renamed)"
        db.session.commit()
    svg, drawn = drawn_now(client)
    assert drawn == 1 and b"Isle of Wight Council (renamed)" in svg


def test_a_new_drawing_code_draws_every_chart_again(app: Flask, client: FlaskClient,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    report_card(app)
    kept_svg, drawn = drawn_now(client)
    assert drawn == 0
    monkeypatch.setattr(kept, "DRAWING_VERSION", kept.DRAWING_VERSION + 1)
    live_svg, drawn = drawn_now(client)
    assert drawn == 1
    # what was kept is what the page would draw (but the id pygal makes up for each)
    assert same_but_ids(live_svg) == same_but_ids(kept_svg)


def test_a_figure_changed_or_imported_draws_its_chart_again(app: Flask,
                                                             client: FlaskClient) -> None:
    from core.indicators.figures import check_figure
    from core.indicators.models import Indicator, IndicatorFigure
    from core.indicators.operations import change_figure, import_figures

    report_card(app)
    before = kept_rows(app)
    with app.app_context(), acting_as(None, "Test"):
        council = db.session.scalar(select(Council).where(Council.slug == WIGHT))
        indicator = db.session.scalar(select(Indicator).where(
            Indicator.council_id == council.id, Indicator.key == "health-assessments"))
        figure = db.session.scalar(select(IndicatorFigure).where(
            IndicatorFigure.indicator_id == indicator.id,
            IndicatorFigure.period_end == dt.date(2023, 3, 31)))
        values, _ = check_figure(indicator.unit, {"period_end": dt.date(2023, 3, 31),
                                                  "numerator": 71, "denominator": 100})
        change_figure(indicator, figure, values, figure.version)
    changed = kept_rows(app)
    assert changed[SUBJECT] != before[SUBJECT]
    assert b">71" in same_but_ids(drawn_now(client)[0])
    with app.app_context(), acting_as(None, "Test"):
        council = db.session.scalar(select(Council).where(Council.slug == WIGHT))
        indicator = db.session.scalar(select(Indicator).where(
            Indicator.council_id == council.id, Indicator.key == "placement-stability-moves"))
        values, _ = check_figure(indicator.unit, {"period_end": dt.date(2026, 3, 31),
                                                  "numerator": 6, "denominator": 120})
        import_figures(council, [(indicator, values)])
    imported = kept_rows(app)
    assert imported["indicator:placement-stability-moves"] != changed[
        "indicator:placement-stability-moves"]
    assert imported[SUBJECT] == changed[SUBJECT]  # an indicator not imported is left
    svg, drawn = drawn_now(client, f"/{WIGHT}/indicators/placement-stability-moves/chart.svg")
    assert drawn == 0 and b"2026" in same_but_ids(svg)


def test_a_figure_refused_keeps_no_drawing(app: Flask) -> None:
    from core.indicators.figures import check_figure
    from core.indicators.models import Indicator
    from core.indicators.operations import FigureError, add_figure

    report_card(app)
    before = kept_rows(app)
    with app.app_context(), acting_as(None, "Test"):
        indicator = db.session.scalar(select(Indicator).join(Council).where(
            Council.slug == WIGHT, Indicator.key == "health-assessments"))
        values, _ = check_figure(indicator.unit, {"period_end": dt.date(2025, 3, 31),
                                                  "numerator": 1, "denominator": 2})
        with pytest.raises(FigureError):
            add_figure(indicator, values)  # that period has a figure
    assert kept_rows(app) == before


def test_keep_charts_draws_every_councils_charts(app: Flask) -> None:
    report_card(app)
    with app.app_context():
        db.session.execute(KeptDrawing.__table__.delete())
        db.session.commit()
    runner = CliRunner()
    from core.cli import main

    result = runner.invoke(main, ["keep-charts", "--council", WIGHT], obj=_script_info(app))
    assert result.exit_code == 0, result.output
    # the three indicators with figures (the others' pages show no chart)
    assert "Drew 3 charts of 1 councils" in result.output
    assert SUBJECT in kept_rows(app)
    again = runner.invoke(main, ["keep-charts"], obj=_script_info(app))
    assert "Drew 0 charts of 4 councils" in again.output  # each kept as its figures stand
    refused = runner.invoke(main, ["keep-charts", "--council", "nowhere"],
                            obj=_script_info(app))
    assert refused.exit_code == 2 and "no active council called nowhere" in refused.output


def test_a_sync_draws_the_charts_whose_words_it_changed(app: Flask) -> None:
    """A chart kept from other words (here: none kept at all) is drawn by the sync; one
    kept as it stands is not drawn again."""
    from core.plugins import plugin_host
    from core.sync import sync_all

    report_card(app)
    kept_before = kept_rows(app)
    with app.app_context():
        db.session.execute(KeptDrawing.__table__.delete().where(
            KeptDrawing.subject == SUBJECT))
        db.session.commit()
        forget_drawings()
        before = line_chart.cache_info().misses
        sync_all(plugin_host(app))
        assert line_chart.cache_info().misses - before == 1  # that chart alone
    assert kept_rows(app) == kept_before


def test_a_councils_charts_are_read_in_one_statement(app: Flask) -> None:
    from core.indicators.charts import keep_every_trend_chart

    report_card(app)
    with app.app_context():
        council = db.session.scalar(select(Council).where(Council.slug == WIGHT))
        with counting_queries(app) as counted:
            assert keep_every_trend_chart(council) == 0  # each kept as its figures stand
    assert sum("FROM indicator LEFT OUTER JOIN indicator_figure" in s
               for s in counted.statements) == 1


def _script_info(app: Flask) -> object:
    from flask.cli import ScriptInfo

    return ScriptInfo(create_app=lambda: app)
