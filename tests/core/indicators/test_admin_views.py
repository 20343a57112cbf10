"""Indicator figures in the admin: entered by contributors, imported from CSV or Excel all
or nothing, the template downloaded from the same page, every change audited."""

from __future__ import annotations

import datetime as dt
import html
import io
from typing import Any

import openpyxl
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from core.audit import AuditEvent
from core.extensions import db
from core.indicators.models import Indicator, IndicatorFigure
from tests.conftest import csrf_token, sign_in
from tests.core.growth import main, page, plain, table_rows

WIGHT = "isle_of_wight"
ADMIN = f"/admin/{WIGHT}/indicators"
HEADER = ("indicator,period_end,value,numerator,denominator,target,england,region,"
          "statistical_neighbours,note\n")
GOOD = (HEADER
        + "health-assessments,2024-03-31,,85,100,90,89,88,87,\n"
        + "health-assessments,2025-03-31,,3,4,90,89,88,87,a small year\n"
        + "personal-education-plans,31/03/2025,3,,,,,,,\n"
        + "placement-stability-moves,2025-03-31,10.0,12,120,9,10,,,\n")


def contributor(app: Flask, make_user: Any) -> FlaskClient:
    client = app.test_client()
    sign_in(client, make_user("contributor", WIGHT)[1])
    return client


def figures(app: Flask) -> list[tuple[str, dt.date, float | None, int | None]]:
    with app.app_context():
        return [tuple(row) for row in db.session.execute(
            select(Indicator.key, IndicatorFigure.period_end, IndicatorFigure.value,
                   IndicatorFigure.denominator)
            .join(Indicator, Indicator.id == IndicatorFigure.indicator_id)
            .order_by(Indicator.key, IndicatorFigure.period_end))]


def words(response: Any) -> str:
    """The plain text of a response's main content."""
    return plain(main(html.unescape(response.get_data(as_text=True))))


def upload(client: FlaskClient, name: str, data: bytes) -> Any:
    token = csrf_token(client.get(ADMIN).get_data(as_text=True))
    return client.post(f"{ADMIN}/import", data={"csrf_token": token,
                                                "upload": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_a_good_csv_imports_and_shows_with_small_numbers_suppressed(app, make_user) -> None:
    client = contributor(app, make_user)
    response = upload(client, "figures.csv", GOOD.encode())
    assert response.status_code == 302, response.get_data(as_text=True)
    assert figures(app) == [
        ("health-assessments", dt.date(2024, 3, 31), 85.0, 100),
        ("health-assessments", dt.date(2025, 3, 31), 75.0, 4),
        ("personal-education-plans", dt.date(2025, 3, 31), 3.0, None),
        ("placement-stability-moves", dt.date(2025, 3, 31), 10.0, 120)]
    public = app.test_client()
    rows = table_rows(main(page(public, f"/{WIGHT}/indicators")))
    assert rows[0][2] == "withheld (small number)"
    assert rows[-1][1:3] == ["31 March 2025", "fewer than 5"]
    # the admin shows figures as entered
    admin_rows = table_rows(main(page(client, ADMIN)))
    assert admin_rows[0][3] == "75.0%" and admin_rows[-1][3] == "3"
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(
            AuditEvent.record_type == "indicator_figure")).all()
        assert len(events) == 4
        assert {event.actor for event in events} == {"contributor.isle_of_wight@example.org"}


def test_a_csv_with_one_bad_row_is_refused_whole_naming_row_and_column(app, make_user
                                                                       ) -> None:
    client = contributor(app, make_user)
    bad = GOOD + "placement-stability-moves,2024-03-31,lots,,,,,,,\n"
    response = upload(client, "figures.csv", bad.encode())
    assert response.status_code == 400
    text = words(response)
    assert "The file was not imported" in text and "nothing has been saved" in text
    assert "Row 6, column C (value): Give a number, like 12 or 71.5" in text
    assert figures(app) == []  # nothing half-imported


def test_every_problem_is_listed_at_once(app, make_user) -> None:
    client = contributor(app, make_user)
    bad = (HEADER + "no-such-thing,2025-03-31,1,,,,,,,\n"
           + "health-assessments,2025-13-01,,5,4,,,,,\n"
           + "health-assessments,2025-03-31,,,,,,,,\n"
           + "personal-education-plans,2025-03-31,3,,,,,,,\n"
           + "personal-education-plans,2025-03-31,4,,,,,,,\n")
    text = words(upload(client, "figures.csv", bad.encode()))
    for problem in (
            "Row 2, column A (indicator): “no-such-thing” is not one of this council's "
            "indicators",
            "Row 3, column B (period_end): Give the last day of the period as a date",
            "Row 3, column D (numerator): Give a number no bigger than the denominator",
            "Row 4, column D (numerator): Enter how many children the percentage counts",
            "Row 4, column E (denominator): Enter how many children the percentage is of",
            "Row 6, column B (period_end): row 5 already gives this indicator's figure for "
            "this period"):
        assert problem in text, problem
    assert figures(app) == []


def test_a_file_missing_a_required_column_is_refused(app, make_user) -> None:
    client = contributor(app, make_user)
    response = upload(client, "figures.csv", b"indicator,value,colour\nmissing,3,red\n")
    text = words(response)
    assert response.status_code == 400
    assert "Row 1, column C (colour): not a column of the template" in text
    assert "Row 1: the column period_end is missing" in text
    assert upload(client, "figures.txt", b"x").status_code == 400


def test_the_templates_download_and_an_excel_file_imports(app, make_user) -> None:
    client = contributor(app, make_user)
    csv_template = client.get(f"{ADMIN}/template.csv")
    assert csv_template.status_code == 200 and csv_template.mimetype == "text/csv"
    lines = csv_template.get_data().decode("utf-8-sig").splitlines()
    assert lines[0] == HEADER.strip()
    assert [line.split(",")[0] for line in lines[1:]] == [
        "health-assessments", "placement-stability-moves", "placement-stability-long-term",
        "missing", "personal-education-plans"]
    excel = client.get(f"{ADMIN}/template.xlsx")
    assert excel.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(excel.get_data()))
    sheet = workbook.active
    sheet["B2"] = dt.datetime(2025, 3, 31)  # a date cell, as Excel keeps it
    sheet["D2"], sheet["E2"], sheet["F2"] = 45, 50, 95
    sheet.delete_rows(3, 4)  # the other indicators' rows, which hold only their key
    out = io.BytesIO()
    workbook.save(out)
    response = upload(client, "figures.xlsx", out.getvalue())
    assert response.status_code == 302, words(response)
    assert figures(app) == [("health-assessments", dt.date(2025, 3, 31), 90.0, 50)]
    bad = upload(client, "figures.xlsx", b"not a workbook")
    assert bad.status_code == 400
    assert "could not be read as an Excel workbook" in bad.get_data(as_text=True)


def test_entering_a_figure_shows_every_error_at_once_and_keeps_what_was_typed(
        app, make_user) -> None:
    client = contributor(app, make_user)
    new = f"{ADMIN}/health-assessments/figures/new"
    token = csrf_token(client.get(new).get_data(as_text=True))
    response = client.post(new, data={"csrf_token": token, "period_end": ["", "", ""],
                                      "value": "a lot", "numerator": "7",
                                      "denominator": "", "target": "120"})
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    for message in ("Enter the last day of the period", "Give a number, like 12 or 71.5",
                    "Enter how many children the percentage is of",
                    "Give a percentage of 100 or less"):
        assert message in text, message
    assert 'value="a lot"' in text and 'value="120"' in text
    saved = client.post(new, data={"csrf_token": token, "period_end": ["31", "3", "2025"],
                                   "numerator": "45", "denominator": "50", "target": "95"})
    assert saved.status_code == 302
    assert figures(app) == [("health-assessments", dt.date(2025, 3, 31), 90.0, 50)]
    again = client.post(new, data={"csrf_token": token, "period_end": ["31", "3", "2025"],
                                   "numerator": "1", "denominator": "50"})
    assert again.status_code == 400
    assert "There is already a figure for this period" in again.get_data(as_text=True)


def test_two_people_changing_one_figure_get_a_conflict(app, make_user) -> None:
    first, second = contributor(app, make_user), app.test_client()
    sign_in(second, "contributor.isle_of_wight@example.org")
    upload(first, "figures.csv", GOOD.encode())
    with app.app_context():
        figure_id = db.session.scalar(select(IndicatorFigure.id).order_by(IndicatorFigure.id))
    edit = f"{ADMIN}/health-assessments/figures/{figure_id}/edit"
    page_one, page_two = (c.get(edit).get_data(as_text=True) for c in (first, second))
    assert 'value="85"' in page_one
    data = {"period_end": ["31", "3", "2024"], "denominator": "100", "version": "1"}
    assert first.post(edit, data=data | {"csrf_token": csrf_token(page_one),
                                         "numerator": "86"}).status_code == 302
    clash = second.post(edit, data=data | {"csrf_token": csrf_token(page_two),
                                           "numerator": "70"})
    assert clash.status_code == 409
    text = clash.get_data(as_text=True)
    assert "Someone else changed this" in text and 'value="70"' in text
    assert figures(app)[0] == ("health-assessments", dt.date(2024, 3, 31), 86.0, 100)
    history = plain(main(page(first, f"{ADMIN}/health-assessments")))
    assert "numerator : 85 → 86" in history and "value : 85.0 → 86.0" in history


def test_a_viewer_sees_figures_but_may_not_enter_them(app, make_user) -> None:
    client = app.test_client()
    sign_in(client, make_user("viewer", WIGHT)[1])
    text = page(client, ADMIN)
    assert "Import figures from a file" not in text
    assert client.get(f"{ADMIN}/health-assessments/figures/new").status_code == 403
