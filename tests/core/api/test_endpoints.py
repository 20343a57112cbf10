"""The JSON API: the same data as the pages, in the shapes the OpenAPI document describes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from core.content import Panel, PartnerBody, Priority, Protocol, ReviewCycle, Strategy
from core.extensions import db
from core.models import Action, Pledge, ProgressUpdate
from tests.core.growth import (
    COUNCILS,
    BareCouncil,
    defined,
    pledge_set,
    schedule_first_meeting,
)

BRACKNELL, WIGHT = "bracknell_forest", "isle_of_wight"
STATUSES = {"not_started", "on_track", "at_risk", "off_track", "complete"}


def get(client: FlaskClient, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    assert response.mimetype == "application/json"
    return response.get_json()


def as_data(value: Any) -> Any:
    """A shape as the JSON the API would give for it."""
    return json.loads(json.dumps(dataclasses.asdict(value), default=str))


# --- OpenAPI -------------------------------------------------------------------------------


def schema_errors(value: Any, schema: dict[str, Any], spec: dict[str, Any], path: str = "$"
                  ) -> list[str]:
    """Where ``value`` does not fit an OpenAPI 3.0 schema (the subset the API uses)."""
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/components/schemas/")
        return schema_errors(value, spec["components"]["schemas"][name], spec, path)
    if "anyOf" in schema:
        options = [schema_errors(value, option, spec, path) for option in schema["anyOf"]]
        return [] if [] in options else [f"{path}: fits none of anyOf: {options}"]
    if value is None:
        return [] if schema.get("nullable") else [f"{path}: null is not allowed"]
    if "enum" in schema and value not in schema["enum"]:
        return [f"{path}: {value!r} is not one of {schema['enum']}"]
    kind = schema.get("type")
    types = {"string": str, "integer": int, "boolean": bool, "array": list, "object": dict,
             "number": (int, float)}
    if kind and (not isinstance(value, types[kind])
                 or (kind in ("integer", "number") and isinstance(value, bool))):
        return [f"{path}: {value!r} is not of type {kind}"]
    if schema.get("format") == "date":
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return [f"{path}: {value!r} is not a date"]
    errors: list[str] = []
    if kind == "array":
        for index, item in enumerate(value):
            errors += schema_errors(item, schema.get("items", {}), spec, f"{path}[{index}]")
    if kind == "object":
        properties = schema.get("properties", {})
        if schema.get("additionalProperties") is False:
            errors += [f"{path}.{key}: not in the schema" for key in value
                       if key not in properties]
        errors += [f"{path}.{key}: missing" for key in schema.get("required", [])
                   if key not in value]
        for key, item in value.items():
            if key in properties:
                errors += schema_errors(item, properties[key], spec, f"{path}.{key}")
    return errors


def api_urls(app: Flask) -> list[str]:
    """Every API route (but the OpenAPI document) as an OpenAPI path."""
    return sorted(re.sub(r"<(?:\w+(?:\([^)]*\))?:)?(\w+)>", r"{\1}", rule.rule)
                  for rule in app.url_map.iter_rules()
                  if rule.rule.startswith("/api/") and rule.endpoint != "api-docs.openapi_json")


def test_openapi_document_is_json_with_a_path_for_every_api_route(app: Flask,
                                                                   client: FlaskClient
                                                                   ) -> None:
    spec = json.loads(client.get("/api/openapi.json").get_data(as_text=True))
    assert spec["openapi"].startswith("3.")
    assert sorted(spec["paths"]) == api_urls(app)
    for path, item in spec["paths"].items():
        content = item["get"]["responses"]["200"]["content"]
        if path.endswith(".csv"):
            assert list(content) == ["text/csv"], path
            assert path.removesuffix(".csv") in spec["paths"], path
        else:
            assert content["application/json"]["schema"], path


EXAMPLES = {
    "/api/councils": "/api/councils",
    "/api/councils/{council}": f"/api/councils/{BRACKNELL}",
    "/api/councils/{council}/pledges/{key}": f"/api/councils/{BRACKNELL}/pledges/pledge-1",
    "/api/councils/{council}/panels/{key}": "/api/councils/herefordshire/panels/"
                                            "corporate-parenting-panel",
    "/api/councils/{council}/panels/{key}/organization":
        "/api/councils/herefordshire/panels/corporate-parenting-panel/organization",
    "/api/councils/{council}/panels/{key}/memberships":
        "/api/councils/herefordshire/panels/corporate-parenting-panel/memberships",
    "/api/councils/{council}/meetings/{meeting_id}": "/api/councils/herefordshire/meetings/1",
    "/api/councils/{council}/review-cycles/{key}":
        f"/api/councils/{WIGHT}/review-cycles/protocol-review",
    "/api/councils/{council}/indicators/{key}":
        f"/api/councils/{WIGHT}/indicators/health-assessments",
    "/api/councils/{council}/review-cycles/{key}/reviews":
        f"/api/councils/{WIGHT}/review-cycles/protocol-review/reviews",
}


@pytest.mark.parametrize("slug", COUNCILS)
def test_every_api_response_fits_its_openapi_schema(app: Flask, client: FlaskClient,
                                                    slug: str) -> None:
    schedule_first_meeting(app, "herefordshire")
    spec = get(client, "/api/openapi.json")
    for path, item in spec["paths"].items():
        if path.endswith(".csv"):
            continue  # tests/core/api/test_lists.py reads each CSV against its JSON
        url = EXAMPLES.get(path) or path.replace("{council}", slug)
        body = get(client, url)
        schema = item["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        errors = schema_errors(body, schema, spec)
        assert errors == [], url


def test_panel_cycle_and_quorum_may_be_null_in_the_document(client: FlaskClient) -> None:
    spec = get(client, "/api/openapi.json")
    panel = get(client, f"/api/councils/{WIGHT}/panels/corporate-parenting-board")
    assert (panel["cycle"], panel["quorum"]) == (None, None)
    assert schema_errors(panel, {"$ref": "#/components/schemas/Panel"}, spec) == []
    herefordshire = get(client, "/api/councils/herefordshire/panels/corporate-parenting-panel")
    assert herefordshire["cycle"] == {
        "text": "The corporate parenting panel meets every two months.", "every_months": 2,
        "meetings_per_year": None}


def test_api_errors_fit_the_openapi_error_schema(client: FlaskClient) -> None:
    spec = get(client, "/api/openapi.json")
    body = get(client, "/api/councils/nowhere", status=404)
    assert schema_errors(body, {"$ref": "#/components/schemas/Error"}, spec) == []


def test_schema_check_catches_a_wrong_body(client: FlaskClient) -> None:
    spec = get(client, "/api/openapi.json")
    pledge = {"$ref": "#/components/schemas/Pledge"}
    body = get(client, f"/api/councils/{BRACKNELL}/pledges/pledge-1")
    assert schema_errors(dict(body, number="1"), pledge, spec) == [
        "$.number: '1' is not of type integer"]
    assert schema_errors(dict(body, extra=1), pledge, spec) == ["$.extra: not in the schema"]
    body["actions"][0]["status"] = "late"
    assert schema_errors(body, pledge, spec)[0].startswith("$.actions[0].status: 'late'")


# --- councils ------------------------------------------------------------------------------


def test_councils_lists_the_four_by_name(client: FlaskClient) -> None:
    councils = get(client, "/api/councils")
    assert [c["slug"] for c in councils] == [BRACKNELL, "herefordshire", WIGHT, "staffordshire"]
    assert [c["name"] for c in councils] == sorted(c["name"] for c in councils)


def test_council_gives_its_words_and_declared_pledges(client: FlaskClient) -> None:
    staffordshire = get(client, "/api/councils/staffordshire")
    assert staffordshire["name"] == "Staffordshire County Council"
    assert staffordshire["vocabulary"] == {"pledge": "promise", "pledges": "promises",
                                           "panel": "panel", "panels": "panels"}
    assert staffordshire["pledges_declared"] == 4
    assert get(client, f"/api/councils/{WIGHT}")["vocabulary"]["panels"] == "boards"


def test_unknown_council_is_a_json_404(client: FlaskClient) -> None:
    for url in ("/api/councils/nowhere", "/api/councils/nowhere/actions"):
        assert get(client, url, status=404) == {"code": 404, "status": "Not Found"}


# --- definitions, as the plugins define them -----------------------------------------------


@pytest.mark.parametrize("slug", COUNCILS)
def test_strategy_and_priorities_are_the_plugins(client: FlaskClient, slug: str) -> None:
    assert get(client, f"/api/councils/{slug}/strategy") == as_data(
        defined(slug, "strategy_for_council", Strategy))
    assert get(client, f"/api/councils/{slug}/priorities") == [
        as_data(p) for p in defined(slug, "priorities_for_council", Priority, many=True)]


def test_strategy_of_a_council_without_one_is_a_404(make_app: Callable[..., Flask]) -> None:
    client = make_app(plugins={"testshire": BareCouncil()}).test_client()
    assert get(client, "/api/councils/testshire/strategy", status=404)["code"] == 404
    assert get(client, "/api/councils/testshire/priorities") == []


@pytest.mark.parametrize("slug", COUNCILS)
def test_pledges_are_the_plugins_with_actions_not_started(client: FlaskClient, slug: str
                                                          ) -> None:
    expected = []
    for pledge in pledge_set(slug).items:
        actions = []
        for action in pledge.actions:
            timeline = action.timeline
            actions.append({
                "key": action.key, "number": action.number, "wording": action.wording,
                "officer": action.officer, "timeline": timeline.text if timeline else None,
                "due": timeline.due.isoformat() if timeline and timeline.due else None,
                "due_precision": timeline.due_precision if timeline else None,
                "every_months": timeline.every_months if timeline else None,
                "links": action.links, "outcomes": action.outcomes,
                "status": "not_started", "status_on": None})
        expected.append({
            "key": pledge.key, "number": pledge.number, "title": pledge.title,
            "statement": pledge.statement, "principles": pledge.principles,
            "added_locally": False,
                # nothing reported: not started, unless past-due work makes it a concern
                "status": None if not actions else "at_risk" if any(
                    a["due"] and a["due"] < dt.date.today().isoformat() for a in actions)
                else "not_started",
            "actions": actions})
    assert get(client, f"/api/councils/{slug}/pledges") == expected
    for pledge in expected:
        assert get(client, f"/api/councils/{slug}/pledges/{pledge['key']}") == pledge


def test_bracknell_has_45_actions_all_without_wording(client: FlaskClient) -> None:
    actions = get(client, f"/api/councils/{BRACKNELL}/actions")
    assert len(actions) == 45
    assert all(action["wording"] is None for action in actions)
    assert [a["key"] for a in actions] == [
        a.key for p in pledge_set(BRACKNELL).items for a in p.actions]
    assert {a["pledge"] for a in actions} == {f"pledge-{n}" for n in range(1, 11)}
    by_key = {a["key"]: a for a in actions}
    assert by_key["action-2.2"]["timeline"] == "April 2025"
    assert by_key["action-2.2"]["due"] == "2025-04-30"
    assert by_key["action-2.2"]["due_precision"] == "month"
    assert by_key["action-2.1"]["timeline"] == "Reviewed annually"
    assert by_key["action-2.1"]["due"] is None
    assert by_key["action-2.1"]["every_months"] == 12
    assert by_key["action-1.6"]["outcomes"] == [
        "Enhanced support and resources for care-experienced children and young people "
        "through partnerships with organisations dedicated to their wellbeing.",
        "Increased advocacy and awareness of the needs and rights of care-experienced "
        "individuals.",
        "Improved outcomes through coordinated efforts and shared expertise."]


def test_staffordshire_declares_four_promises_and_lists_none(client: FlaskClient) -> None:
    assert get(client, "/api/councils/staffordshire/pledges") == []
    assert get(client, "/api/councils/staffordshire/actions") == []
    assert get(client, "/api/councils/staffordshire")["pledges_declared"] == 4


@pytest.mark.parametrize("slug", COUNCILS)
def test_panels_are_the_plugins(client: FlaskClient, slug: str) -> None:
    panels = [as_data(p) for p in defined(slug, "panels_for_council", Panel, many=True)]
    assert get(client, f"/api/councils/{slug}/panels") == panels
    for panel in panels:
        assert get(client, f"/api/councils/{slug}/panels/{panel['key']}") == panel


def test_herefordshire_seats_leave_places_and_votes_null(client: FlaskClient) -> None:
    panel = get(client, "/api/councils/herefordshire/panels/corporate-parenting-panel")
    assert len(panel["seats"]) == 14
    assert {(s["count"], s["voting"]) for s in panel["seats"]} == {(None, None)}
    assert panel["cycle"] == {"text": "The corporate parenting panel meets every two months.",
                              "every_months": 2, "meetings_per_year": None}
    assert panel["quorum"] is None


@pytest.mark.parametrize("slug", COUNCILS)
def test_partners_and_protocols_are_the_plugins(client: FlaskClient, slug: str) -> None:
    assert get(client, f"/api/councils/{slug}/partners") == [
        as_data(p) for p in defined(slug, "partners_for_council", PartnerBody, many=True)]
    assert get(client, f"/api/councils/{slug}/protocols") == [
        as_data(p) for p in defined(slug, "protocols_for_council", Protocol, many=True)]


@pytest.mark.parametrize("slug", COUNCILS)
def test_review_cycles_are_the_plugins_with_their_state(client: FlaskClient, slug: str
                                                        ) -> None:
    cycles = get(client, f"/api/councils/{slug}/review-cycles")
    defined_cycles = defined(slug, "review_cycles_for_council", ReviewCycle, many=True)
    assert [{k: v for k, v in c.items() if k != "state"} for c in cycles] == [
        as_data(c) for c in defined_cycles]
    for cycle in cycles:
        expected = "not_scheduled" if cycle["next_due"] is None else (
            "overdue" if dt.date.fromisoformat(cycle["next_due"]) < dt.date.today() else None)
        if expected:
            assert cycle["state"] == expected, cycle["key"]


def test_isle_of_wight_protocol_review_is_overdue(client: FlaskClient) -> None:
    cycles = {c["key"]: c for c in get(client, f"/api/councils/{WIGHT}/review-cycles")}
    review = cycles["protocol-review"]
    assert (review["next_due"], review["next_due_text"]) == ("2025-09-30", "September 2025")
    assert review["state"] == "overdue"
    assert cycles["pledge-review"]["state"] == "not_scheduled"
    protocol = get(client, f"/api/councils/{WIGHT}/protocols")[0]
    assert protocol["review_cycle"] == "protocol-review"
    assert protocol["approved_text"] == "TBC - September 2023"


def test_findings_name_the_items_they_are_about(client: FlaskClient) -> None:
    findings = get(client, f"/api/councils/{BRACKNELL}/findings")
    assert [(f["check"], f["level"]) for f in findings] == [
        ("duplicated-actions", "warning"), ("actions-without-wording", "warning")]
    assert findings[0]["items"] == ["9.1", "10.1", "9.2", "10.2", "9.3", "10.3", "9.4", "10.4"]
    assert len(findings[1]["items"]) == 45
    (overdue,) = get(client, f"/api/councils/{WIGHT}/findings")
    assert (overdue["check"], overdue["items"]) == ("overdue-review", ["protocol-review"])


# --- progress and scoping ------------------------------------------------------------------


def test_pledge_status_is_rolled_up_from_progress(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        actions = {a.key: a for a in db.session.scalars(
            select(Action).where(Action.key.in_(["action-5.1", "action-5.2"])))}
        for key, status in (("action-5.1", "complete"), ("action-5.2", "at_risk")):
            action = actions[key]
            action.status, action.status_on = status, dt.date(2026, 2, 1)
            db.session.add(ProgressUpdate(council_id=action.council_id, action_id=action.id,
                                          reported_on=dt.date(2026, 2, 1), status=status,
                                          note="Reported", author="A. Officer"))
        db.session.commit()
    pledge = get(client, f"/api/councils/{BRACKNELL}/pledges/pledge-5")
    assert pledge["status"] == "at_risk"
    statuses = {a["key"]: (a["status"], a["status_on"]) for a in pledge["actions"]}
    assert statuses["action-5.1"] == ("complete", "2026-02-01")
    assert statuses["action-5.2"] == ("at_risk", "2026-02-01")
    listed = {p["key"]: p["status"] for p in get(client, f"/api/councils/{BRACKNELL}/pledges")}
    assert listed["pledge-5"] == "at_risk"
    assert set(listed.values()) <= STATUSES
    assert listed["pledge-4"] == "at_risk"  # nothing reported, and its due dates have passed


def test_one_pledge_leaves_out_archived_actions_and_an_archived_pledge_is_a_404(
        app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        action = db.session.scalar(select(Action).where(Action.key == "action-5.1"))
        action.archived_at = dt.datetime.now(dt.UTC)
        pledge = db.session.scalar(select(Pledge).where(Pledge.key == "pledge-4",
                                                        Pledge.council_id == action.council_id))
        pledge.archived_at = dt.datetime.now(dt.UTC)
        db.session.commit()
    five = get(client, f"/api/councils/{BRACKNELL}/pledges/pledge-5")
    assert "action-5.1" not in {a["key"] for a in five["actions"]} and five["actions"]
    assert five == {p["key"]: p for p in get(client, f"/api/councils/{BRACKNELL}/pledges")
                    }["pledge-5"]
    assert get(client, f"/api/councils/{BRACKNELL}/pledges/pledge-4", status=404)["code"] == 404


@pytest.mark.parametrize("slug", ["herefordshire", WIGHT, "staffordshire"])
def test_a_bracknell_pledge_key_is_a_404_under_another_council(client: FlaskClient, slug: str
                                                               ) -> None:
    assert get(client, f"/api/councils/{slug}/pledges/pledge-1", status=404)["code"] == 404
    keys = {a["key"] for a in get(client, f"/api/councils/{slug}/actions")}
    assert not keys & {"action-1.1", "action-10.4"}
