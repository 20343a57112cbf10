"""Indicators a council adds itself: added, changed and archived in the admin by its
administrators, audited, shown and entered like any other, and never touched by sync."""

from __future__ import annotations

import html
import io
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from core.app import plugin_host
from core.audit import AuditEvent, acting_as
from core.extensions import db
from core.indicators.local import (
    LocalIndicatorError,
    LocalIndicatorValues,
    add_local_indicator,
    local_key,
)
from core.indicators.models import Indicator, IndicatorFigure
from core.models import Council
from core.sync import sync_all
from tests.conftest import csrf_token, sign_in
from tests.core.database import database_rows
from tests.core.growth import main, page, plain, table_rows

WIGHT = "isle_of_wight"
ADMIN = f"/admin/{WIGHT}/indicators"
TITLE = "Care leavers we're in touch with"
KEY = "local-care-leavers-we-re-in-touch-with"
FORM = {"title": TITLE,
        "definition": "Care leavers aged 17 to 21 the council was in touch with in the "
                      "quarter, as a percentage of all of them.",
        "unit": "percentage", "direction": "higher", "period": "quarter",
        "priorities": ["priority-2", "priority-1"], "source": "The leaving care team's records"}


def council_admin(app: Flask, make_user: Any) -> FlaskClient:
    client = app.test_client()
    sign_in(client, make_user("council_admin", WIGHT)[1])
    return client


def with_local_pledge(app: Flask) -> None:
    """Pledge ``local-1`` of the Isle of Wight (whose plugin gives no pledges), to tick."""
    from core.pledges.progress import record_local_pledge

    with app.app_context():
        council = db.session.scalar(select(Council).where(Council.slug == WIGHT))
        record_local_pledge(council, number=1, title="We will stay in touch", statement=None)


def post_form(client: FlaskClient, url: str, **changes: Any) -> Any:
    token = csrf_token(client.get(url).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **FORM, **changes})


def add(client: FlaskClient, **changes: Any) -> Any:
    return post_form(client, f"{ADMIN}/new", **changes)


def indicator(app: Flask, key: str = KEY) -> Indicator | None:
    with app.app_context():
        found = db.session.scalar(select(Indicator).where(Indicator.key == key))
        if found is not None:
            db.session.expunge(found)
        return found


def events(app: Flask, record_type: str = "indicator") -> list[tuple[str, str, dict, dict]]:
    with app.app_context():
        return [(event.action, event.actor, event.before, event.after)
                for event in db.session.scalars(select(AuditEvent).where(
                    AuditEvent.record_type == record_type).order_by(AuditEvent.id))]


def test_keys_are_made_from_titles() -> None:
    assert local_key(TITLE) == KEY
    assert local_key("  Personal Education Plans (PEPs) — on time!  ") == (
        "local-personal-education-plans-peps-on-time")
    assert local_key("Cynlluniau addysg personol: ar amser ✓ ŵ") == (
        "local-cynlluniau-addysg-personol-ar-amser-w")
    assert local_key("?!") == "local-"
    long = local_key("word " * 60)
    assert len(long) <= 100 and not long.endswith("-")


def test_an_administrator_adds_one_and_it_is_shown_entered_and_imported_like_any_other(
        app: Flask, make_user: Any) -> None:
    with_local_pledge(app)
    public = app.test_client()
    assert TITLE not in page(public, f"/{WIGHT}/indicators")  # kept in the page cache
    client = council_admin(app, make_user)
    index = page(client, ADMIN)
    assert "Add a local indicator" in index
    form = page(client, f"{ADMIN}/new")
    assert "Promoting educational attainment and aspiration" in form  # a priority to tick
    assert "We will stay in touch" in form  # and a pledge
    assert "Rate per 10,000 children" in form
    response = add(client, pledges=["local-1"])
    assert response.status_code == 302, plain(main(response.get_data(as_text=True)))
    assert response.location == f"{ADMIN}/{KEY}"
    saved = indicator(app)
    assert saved is not None and saved.added_locally and saved.council_id
    assert (saved.title, saved.unit, saved.higher_is_better, saved.period, saved.source) == (
        TITLE, "percentage", True, "quarter", "The leaving care team's records")
    assert (saved.priorities, saved.pledges) == (["priority-1", "priority-2"], ["local-1"])
    [(action, actor, before, after)] = events(app)
    assert (action, actor, before) == ("create", "council_admin.isle_of_wight@example.org", {})
    assert after["key"] == KEY and after["origin"] == "local"

    admin_page = plain(main(page(client, f"{ADMIN}/{KEY}")))
    assert "Added locally" in admin_page and "Change the indicator" in admin_page
    assert "Archive the indicator" in admin_page and "comes from the council's plugin" not in (
        admin_page)
    assert "Added locally" in plain(main(page(client, ADMIN)))
    # a figure typed in, and another imported with its key, as for a plugin's indicator
    new = f"{ADMIN}/{KEY}/figures/new"
    token = csrf_token(client.get(new).get_data(as_text=True))
    typed = client.post(new, data={"csrf_token": token, "period_end": ["30", "6", "2025"],
                                   "numerator": "45", "denominator": "50", "target": "95"})
    assert typed.status_code == 302
    assert KEY in client.get(f"{ADMIN}/template.csv").get_data(as_text=True)
    csv = ("indicator,period_end,value,numerator,denominator,target,england,region,"
           f"statistical_neighbours,note\n{KEY},2025-09-30,,3,4,95,,,,\n")
    token = csrf_token(client.get(ADMIN).get_data(as_text=True))
    imported = client.post(f"{ADMIN}/import", content_type="multipart/form-data", data={
        "csrf_token": token, "upload": (io.BytesIO(csv.encode()), "figures.csv")})
    assert imported.status_code == 302, plain(main(imported.get_data(as_text=True)))

    # public: the report card (drawn again), its trend page and chart, and the API
    card = table_rows(main(page(public, f"/{WIGHT}/indicators")))
    assert [row for row in card if row[0].startswith(TITLE)], card
    trend = plain(main(page(public, f"/{WIGHT}/indicators/{KEY}")))
    assert "Promoting educational attainment and aspiration" in trend
    assert "withheld (small number)" in trend and "90.0%" in trend
    chart = public.get(f"/{WIGHT}/indicators/{KEY}/chart.svg")
    assert chart.status_code == 200 and chart.mimetype == "image/svg+xml"
    listed = public.get(f"/api/councils/{WIGHT}/indicators").get_json()
    assert KEY in [item["key"] for item in listed]
    one = public.get(f"/api/councils/{WIGHT}/indicators/{KEY}").get_json()
    assert [(f["period_end"], f["value"], f["suppressed"]) for f in one["figures"]] == [
        ("2025-06-30", 90.0, None), ("2025-09-30", None, "withheld")]


def test_every_problem_is_shown_at_once_on_its_field_and_nothing_typed_is_lost(
        app: Flask, make_user: Any) -> None:
    client = council_admin(app, make_user)
    token = csrf_token(client.get(f"{ADMIN}/new").get_data(as_text=True))
    response = client.post(f"{ADMIN}/new", data={
        "csrf_token": token, "title": "", "definition": "", "source": "Kept source",
        "priorities": ["priority-1", "someone-elses"]})
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "There is a problem" in text and "govuk-error-summary" in text
    for message in ("Enter the indicator&#39;s title", "Say in words what the indicator counts",
                    "Choose the unit of its figures",
                    "Choose whether a higher or a lower figure is better",
                    "Choose how often it has a figure", "is not a valid choice"):
        assert message in text, message
    assert 'value="Kept source"' in text
    assert 'value="priority-1" checked' in text
    long = add(client, title="x" * 201)
    assert long.status_code == 400
    assert "Enter a title of 200 characters or fewer" in long.get_data(as_text=True)
    assert indicator(app) is None and events(app) == []


def test_a_title_giving_a_key_in_use_is_refused_clearly(app: Flask, make_user: Any) -> None:
    client = council_admin(app, make_user)
    assert add(client).status_code == 302
    again = add(client, title="Care leavers: we’re in touch with!")
    assert again.status_code == 400
    text = plain(main(html.unescape(again.get_data(as_text=True))))
    assert (f"The title gives the key {KEY}, which the indicator “{TITLE}” already uses: "
            "choose a different title") in text
    nothing = add(client, title="?!")
    assert nothing.status_code == 400
    assert "Enter a title with letters or numbers in it" in nothing.get_data(as_text=True)
    archive(client)
    archived = add(client)
    assert archived.status_code == 400
    assert "which the archived indicator" in archived.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(db.func.count(Indicator.id)).where(
            Indicator.key.startswith("local-"))) == 1


def test_it_is_changed_with_its_key_kept_and_every_change_audited(app: Flask,
                                                                   make_user: Any) -> None:
    client = council_admin(app, make_user)
    add(client)
    edit = f"{ADMIN}/{KEY}/edit"
    form = page(client, edit)
    assert f'value="{TITLE}"' in form and 'value="quarter" checked' in form
    changed = post_form(client, edit, title="Care leavers in touch", direction="neither",
                        priorities=[], version="1")
    assert changed.status_code == 302 and changed.location == f"{ADMIN}/{KEY}"
    saved = indicator(app)
    assert (saved.key, saved.title, saved.higher_is_better, saved.priorities, saved.version) == (
        KEY, "Care leavers in touch", None, [], 2)
    action, actor, before, after = events(app)[-1]
    assert (action, actor) == ("update", "council_admin.isle_of_wight@example.org")
    assert before == {"title": TITLE, "higher_is_better": True,
                      "priorities": ["priority-1", "priority-2"]}
    assert after == {"title": "Care leavers in touch", "higher_is_better": None,
                     "priorities": []}
    history = plain(main(page(client, f"{ADMIN}/{KEY}")))
    assert f"title : {TITLE} → Care leavers in touch" in history
    bad = post_form(client, edit, title="", version="2")
    assert bad.status_code == 400 and "Enter the indicator&#39;s title" in bad.get_data(
        as_text=True)


def test_two_people_changing_one_indicator_get_a_conflict(app: Flask, make_user: Any) -> None:
    first = council_admin(app, make_user)
    second = app.test_client()
    sign_in(second, "council_admin.isle_of_wight@example.org")
    add(first)
    edit = f"{ADMIN}/{KEY}/edit"
    page_one, page_two = (c.get(edit).get_data(as_text=True) for c in (first, second))
    data = {**FORM, "version": "1"}
    assert first.post(edit, data=data | {"csrf_token": csrf_token(page_one),
                                         "title": "First's title"}).status_code == 302
    clash = second.post(edit, data=data | {"csrf_token": csrf_token(page_two),
                                           "title": "Second's title"})
    assert clash.status_code == 409
    text = clash.get_data(as_text=True)
    assert "Someone else changed this" in text and "Second&#39;s title" in text
    assert "The indicator as saved now" in text and "First&#39;s title" in text
    assert indicator(app).title == "First's title"


def test_its_unit_cannot_change_once_it_has_figures(app: Flask, make_user: Any) -> None:
    client = council_admin(app, make_user)
    add(client, unit="count", direction="lower")
    new = f"{ADMIN}/{KEY}/figures/new"
    token = csrf_token(client.get(new).get_data(as_text=True))
    assert client.post(new, data={"csrf_token": token, "period_end": ["30", "6", "2025"],
                                  "value": "12"}).status_code == 302
    response = post_form(client, f"{ADMIN}/{KEY}/edit", unit="percentage", version="1")
    assert response.status_code == 400
    assert ("Its figures were entered as number of children: the unit cannot change while "
            "it has figures") in response.get_data(as_text=True)
    assert indicator(app).unit == "count"


def archive(client: FlaskClient, key: str = KEY) -> Any:
    url = f"{ADMIN}/{key}/archive"
    confirm = client.get(url)
    assert confirm.status_code == 200
    return client.post(url, data={"csrf_token": csrf_token(confirm.get_data(as_text=True)),
                                  "confirm": "yes", "version": _version(confirm)})


def _version(response: Any) -> str:
    import re

    return re.search(r'name="version"[^>]*value="(\d+)"', response.get_data(as_text=True))[1]


def test_archiving_takes_it_off_the_report_card_and_keeps_its_figures(app: Flask,
                                                                      make_user: Any) -> None:
    client = council_admin(app, make_user)
    add(client, unit="count", direction="lower")
    new = f"{ADMIN}/{KEY}/figures/new"
    token = csrf_token(client.get(new).get_data(as_text=True))
    client.post(new, data={"csrf_token": token, "period_end": ["30", "6", "2025"],
                           "value": "12"})
    public = app.test_client()
    assert TITLE in page(public, f"/{WIGHT}/indicators")  # kept in the page cache
    confirm = plain(main(page(client, f"{ADMIN}/{KEY}/archive")))
    assert f"Archive “{TITLE}”?" in confirm and "Its 1 figure is kept" in confirm
    token = csrf_token(client.get(f"{ADMIN}/{KEY}/archive").get_data(as_text=True))
    empty = client.post(f"{ADMIN}/{KEY}/archive", data={"csrf_token": token})
    assert empty.status_code == 400 and "There is a problem" in empty.get_data(as_text=True)
    assert not indicator(app).archived
    response = archive(client)
    assert response.status_code == 302 and response.location == ADMIN
    saved = indicator(app)
    assert saved.archived
    with app.app_context():
        assert db.session.scalar(select(IndicatorFigure.value).where(
            IndicatorFigure.indicator_id == saved.id)) == 12.0
    action, _actor, before, after = events(app)[-1]
    assert action == "update" and before == {"archived_at": None} and after["archived_at"]
    assert TITLE not in page(public, f"/{WIGHT}/indicators")
    assert public.get(f"/{WIGHT}/indicators/{KEY}").status_code == 404
    assert KEY not in public.get(f"/api/councils/{WIGHT}/indicators").get_data(as_text=True)
    for url in (f"{ADMIN}/{KEY}", f"{ADMIN}/{KEY}/edit", f"{ADMIN}/{KEY}/archive", new):
        assert client.get(url).status_code == 404, url
    assert TITLE not in page(client, ADMIN)


def test_archiving_an_indicator_changed_meanwhile_is_a_conflict(app: Flask,
                                                               make_user: Any) -> None:
    client = council_admin(app, make_user)
    add(client)
    confirm = client.get(f"{ADMIN}/{KEY}/archive")
    post_form(client, f"{ADMIN}/{KEY}/edit", title="Changed meanwhile", version="1")
    response = client.post(f"{ADMIN}/{KEY}/archive", data={
        "csrf_token": csrf_token(confirm.get_data(as_text=True)), "confirm": "yes",
        "version": _version(confirm)})
    assert response.status_code == 409
    assert "It has not been archived" in response.get_data(as_text=True)
    assert not indicator(app).archived


def test_a_plugins_indicators_are_changed_in_the_plugin_not_here(app: Flask,
                                                                 make_user: Any) -> None:
    client = council_admin(app, make_user)
    text = plain(main(page(client, f"{ADMIN}/health-assessments")))
    assert "This indicator comes from the council's plugin" in text
    assert "Change the indicator" not in text and "Archive the indicator" not in text
    for url in ("edit", "archive"):
        assert client.get(f"{ADMIN}/health-assessments/{url}").status_code == 404
    token = csrf_token(client.get(f"{ADMIN}/new").get_data(as_text=True))
    refused = client.post(f"{ADMIN}/health-assessments/archive",
                          data={"csrf_token": token, "confirm": "yes", "version": "1"})
    assert refused.status_code == 404
    assert not indicator(app, "health-assessments").archived


@pytest.mark.parametrize("role", ["viewer", "contributor", "panel_admin"])
def test_only_council_administrators_add_change_or_archive(app: Flask, make_user: Any,
                                                           role: str) -> None:
    add(council_admin(app, make_user))
    client = app.test_client()
    sign_in(client, make_user(role, WIGHT)[1])
    assert "Add a local indicator" not in page(client, ADMIN)
    text = page(client, f"{ADMIN}/{KEY}")
    assert "Change the indicator" not in text and "Archive the indicator" not in text
    for url in ("new", f"{KEY}/edit", f"{KEY}/archive"):
        assert client.get(f"{ADMIN}/{url}").status_code == 403, url
    token = csrf_token(client.get("/admin/").get_data(as_text=True))
    assert client.post(f"{ADMIN}/new", data={"csrf_token": token, **FORM}).status_code == 403
    assert indicator(app).title == TITLE


def test_sync_leaves_local_indicators_untouched(app: Flask) -> None:
    with app.app_context(), acting_as(None, "Test"):
        council = db.session.scalar(select(Council).where(Council.slug == WIGHT))
        added = add_local_indicator(council, LocalIndicatorValues(
            title=TITLE, definition="In touch", unit="percentage", higher_is_better=True,
            period="quarter", priorities=["priority-1"], pledges=[], source="Records"))
        with pytest.raises(LocalIndicatorError):
            add_local_indicator(council, LocalIndicatorValues(
                title=TITLE.upper(), definition=None, unit="count", higher_is_better=None,
                period="year"))
        before = database_rows()
        report = sync_all(plugin_host(app), allow_removals=True)
        assert report.lines == [], report.lines
        assert database_rows() == before
        local = db.session.get(Indicator, added.id)
        assert (local.key, local.origin, local.archived, local.title, local.version) == (
            KEY, "local", False, TITLE, 1)


def test_the_report_card_lists_local_indicators_after_the_plugins(app: Flask,
                                                                 make_user: Any) -> None:
    client = council_admin(app, make_user)
    add(client)
    add(client, title="Personal education plans reviewed on time")
    with app.app_context():
        keys = list(db.session.scalars(
            select(Indicator.key).join(Council, Council.id == Indicator.council_id)
            .where(Council.slug == WIGHT).order_by(Indicator.position, Indicator.id)))
    assert keys[-2:] == [KEY, "local-personal-education-plans-reviewed-on-time"]
    rows = table_rows(main(page(client, ADMIN)))
    assert [row[1] for row in rows[-2:]] == keys[-2:]
