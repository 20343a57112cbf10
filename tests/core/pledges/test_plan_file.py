"""The action plan downloads as CSV and as an Excel workbook, from the public pledges page
and from the admin action plan: every action, its officer, timeline, outcomes, status and
latest update."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from core.extensions import db
from core.models import Action, ProgressUpdate
from tests.core.growth import page, pledge_set

BRACKNELL = "bracknell_forest"
HEADER = ["Pledge number", "Pledge", "Pledge statement", "Action number", "Action",
          "Responsible officer", "Timeline", "Due",
          "Link to other action plans or strategy initiatives", "Expected outcome", "Status",
          "Latest update on", "Latest update", "Latest update by"]


def csv_of(response: object) -> list[list[str]]:
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="{BRACKNELL}-action-plan.csv"')
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def xlsx_of(response: object) -> list[list[object]]:
    from openpyxl import load_workbook

    assert response.status_code == 200
    assert response.mimetype == ("application/vnd.openxmlformats-officedocument."
                                 "spreadsheetml.sheet")
    assert response.headers["Content-Disposition"].endswith('-action-plan.xlsx"')
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    assert sheet.title == "Action plan"
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def expected_rows() -> list[list[str]]:
    """Bracknell Forest's plan as its plugin defines it, nothing reported yet."""
    rows = []
    for pledge in pledge_set(BRACKNELL).items:
        for action in pledge.actions:
            timeline = action.timeline
            rows.append([str(pledge.number), pledge.title, pledge.statement or "",
                         f"{pledge.number}.{action.number}", action.wording or "",
                         action.officer or "", timeline.text if timeline else "",
                         timeline.due.isoformat() if timeline and timeline.due else "",
                         "\n".join(action.links), "\n".join(action.outcomes), "Not started",
                         "", "", ""])
    return rows


def report(app: Flask, key: str, status: str, note: str) -> None:
    with app.app_context():
        action = db.session.scalar(select(Action).where(Action.key == key))
        day = dt.date(2026, 2, 1)
        action.status, action.status_on = status, day
        for text in ("An earlier note the same day", note):
            db.session.add(ProgressUpdate(council_id=action.council_id, action_id=action.id,
                                          reported_on=day, status=status, note=text,
                                          author="A. Officer"))
        db.session.commit()


def test_the_public_csv_has_every_action_as_the_plugin_defines_it(client: FlaskClient
                                                                   ) -> None:
    rows = csv_of(client.get(f"/{BRACKNELL}/pledges/action-plan.csv"))
    assert rows[0] == HEADER
    assert rows[1:] == expected_rows()
    assert len(rows) == 1 + 45


def test_the_workbook_has_the_same_rows_with_real_dates(client: FlaskClient) -> None:
    rows = xlsx_of(client.get(f"/{BRACKNELL}/pledges/action-plan.xlsx"))
    assert rows[0] == HEADER
    as_text = [[("" if v is None else v.date().isoformat() if isinstance(v, dt.datetime)
                 else str(v)) for v in row] for row in rows[1:]]
    assert as_text == expected_rows()
    due = HEADER.index("Due")
    assert any(isinstance(row[due], dt.datetime) for row in rows[1:])


def test_status_and_latest_update_are_in_both_files(app: Flask, client: FlaskClient) -> None:
    report(app, "action-3.2", "at_risk", "Waiting for the new contract")
    for url, reader in ((f"/{BRACKNELL}/pledges/action-plan.csv", csv_of),
                        (f"/{BRACKNELL}/pledges/action-plan.xlsx", xlsx_of)):
        rows = reader(client.get(url))
        (row,) = [r for r in rows if r[3] == "3.2"]
        assert row[10] == "At risk"
        assert row[11] in ("2026-02-01", dt.datetime(2026, 2, 1))
        assert row[12:] == ["Waiting for the new contract", "A. Officer"]


def test_the_admin_action_plan_downloads_the_same(client: FlaskClient,
                                                  admin_client: FlaskClient) -> None:
    public = client.get(f"/{BRACKNELL}/pledges/action-plan.csv").get_data()
    assert admin_client.get(f"/admin/{BRACKNELL}/pledges/action-plan.csv").get_data() == public
    rows = xlsx_of(admin_client.get(f"/admin/{BRACKNELL}/pledges/action-plan.xlsx"))
    assert len(rows) == 46


@pytest.mark.parametrize("url", [f"/{BRACKNELL}/pledges", f"/admin/{BRACKNELL}/pledges"])
def test_both_pages_link_to_both_files(admin_client: FlaskClient, url: str) -> None:
    text = page(admin_client, url)
    prefix = "/admin" if url.startswith("/admin") else ""
    for kind in ("csv", "xlsx"):
        assert f'href="{prefix}/{BRACKNELL}/pledges/action-plan.{kind}"' in text


def test_a_kept_download_keeps_its_file_name(client: FlaskClient) -> None:
    first = client.get(f"/{BRACKNELL}/pledges/action-plan.xlsx")
    again = client.get(f"/{BRACKNELL}/pledges/action-plan.xlsx")
    assert again.headers["ETag"] == first.headers["ETag"]  # from the page cache
    assert again.headers["Content-Disposition"] == first.headers["Content-Disposition"]
    assert again.get_data() == first.get_data()


def test_other_kinds_of_file_are_not_found(client: FlaskClient) -> None:
    assert client.get(f"/{BRACKNELL}/pledges/action-plan.pdf").status_code == 404


def test_openpyxl_is_imported_only_to_make_a_workbook(tmp_path: Path) -> None:
    code = ("import sys; from core.app import create_app; app = create_app(); "
            "c = app.test_client(); c.get('/'); print('openpyxl' in sys.modules)")
    env = dict(os.environ, CPT_INSTANCE_PATH=str(tmp_path), CPT_DATABASE_URL="sqlite://")
    started = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                             text=True, check=True)
    assert started.stdout.split()[-1] == "False"


def test_each_csv_line_is_kept_by_its_row(make_app: Any) -> None:
    """The file with its lines kept (asked twice) is the file written afresh (no memo),
    and a changed action's line is written again: the page cache off, so each request
    reads the rows."""
    kept = make_app(config={"PAGE_CACHE_STORE": "off"})
    fresh = make_app(config={"PAGE_CACHE_STORE": "off", "CARD_MARKUP_ENTRIES": 0})
    url = f"/{BRACKNELL}/pledges/action-plan.csv"
    first, again = (kept.test_client().get(url).get_data() for _ in range(2))
    assert first == again == fresh.test_client().get(url).get_data()
    with kept.app_context():
        action = db.session.scalar(select(Action).where(Action.key == "action-1.6"))
        action.officer, action.outcomes = 'New "officer", with a comma', ["One", "Two"]
        db.session.commit()
    rows = csv_of(kept.test_client().get(url))
    (row,) = [r for r in rows if r[3] == "1.6"]
    assert row[5] == 'New "officer", with a comma' and row[9] == "One\nTwo"
    assert [r for r in rows if r[3] != "1.6"] == [
        r for r in csv_of(fresh.test_client().get(url)) if r[3] != "1.6"]
