"""Indicators in the open-data API: the report card as a list (paged, CSV too) and one
indicator with every figure, small numbers held back as on the public pages."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from flask.testing import FlaskClient

from tests.core.api.test_endpoints import schema_errors
from tests.core.api.test_lists import csv_rows, json_of
from tests.core.indicators.figures import WIGHT, add, report_card

INDICATORS = f"/api/councils/{WIGHT}/indicators"


def test_the_report_card_lists_each_indicator_with_its_latest_figure(
        app: Flask, client: FlaskClient) -> None:
    report_card(app)
    items = {item["key"]: item for item in json_of(client, INDICATORS)}
    health = items["health-assessments"]
    assert health["unit"] == "percentage" and health["higher_is_better"] is True
    # the latest year's base is 4 children: withheld, and not judged
    assert health["latest"] == {
        "period_end": "2025-03-31", "value": None, "suppressed": "withheld", "rag": None,
        "target": 88.0, "england": 89.0, "region": 87.0, "statistical_neighbours": 86.0}
    moves = items["placement-stability-moves"]["latest"]
    assert (moves["value"], moves["rag"], moves["suppressed"]) == (15.0, "red", None)
    assert items["personal-education-plans"]["latest"]["value"] == 42.0
    assert all("numerator" not in str(item) for item in items.values())


def test_one_indicator_gives_every_figure_oldest_first(app: Flask, client: FlaskClient
                                                       ) -> None:
    report_card(app)
    health = json_of(client, f"{INDICATORS}/health-assessments")
    assert [(f["period_end"], f["value"], f["rag"]) for f in health["figures"]] == [
        ("2023-03-31", 70.0, "red"), ("2024-03-31", 90.0, "green"),
        ("2025-03-31", None, None)]
    plans = json_of(client, f"{INDICATORS}/personal-education-plans")
    assert [(f["value"], f["suppressed"]) for f in plans["figures"]] == [
        (None, "fewer than 5"), (42.0, None)]
    json_of(client, f"{INDICATORS}/no-such-indicator", 404)


def test_the_list_pages_and_comes_as_csv_with_the_same_rows(app: Flask, client: FlaskClient
                                                            ) -> None:
    report_card(app)
    items = json_of(client, INDICATORS)
    page = client.get(f"{INDICATORS}?per_page=1&page=2")
    assert [item["key"] for item in page.get_json()] == [items[1]["key"]]
    assert f'"total": {len(items)}' in page.headers["X-Pagination"]
    rows = csv_rows(client.get(f"{INDICATORS}.csv"))
    assert [row["key"] for row in rows] == [item["key"] for item in items]
    health = next(row for row in rows if row["key"] == "health-assessments")
    assert (health["latest.value"], health["latest.suppressed"]) == ("", "withheld")
    assert client.get(INDICATORS, headers={"Accept": "text/csv"}).mimetype == "text/csv"


def test_a_small_count_never_appears_in_json_or_csv(app: Flask, client: FlaskClient) -> None:
    # A threshold so high that a count of 7,777 is small: a figure no other field holds
    app.config["SMALL_NUMBER_THRESHOLD"] = 10_000
    add(app, "personal-education-plans", dt.date(2025, 3, 31), value=7777, target=7000)
    add(app, "health-assessments", dt.date(2025, 3, 31), numerator=7777, denominator=8888,
        target=80)
    bodies = [client.get(url).get_data(as_text=True) for url in (
        INDICATORS, f"{INDICATORS}.csv", f"{INDICATORS}/personal-education-plans",
        f"{INDICATORS}/health-assessments")]
    assert all("fewer than 10000" in body or "withheld" in body for body in bodies)
    for body in bodies:
        for secret in ("7777", "7,777", "8888", "87.5"):  # 87.5 = 7777 / 8888 as a percentage
            assert secret not in body


def test_held_back_and_judged_figures_fit_the_openapi_document(app: Flask,
                                                               client: FlaskClient) -> None:
    report_card(app)
    spec = json_of(client, "/api/openapi.json")
    for path, url in (("/api/councils/{council}/indicators", INDICATORS),
                      ("/api/councils/{council}/indicators/{key}",
                       f"{INDICATORS}/personal-education-plans"),
                      ("/api/councils/{council}/indicators/{key}",
                       f"{INDICATORS}/health-assessments")):
        schema = spec["paths"][path]["get"]["responses"]["200"]["content"][
            "application/json"]["schema"]
        assert schema_errors(json_of(client, url), schema, spec) == [], url
