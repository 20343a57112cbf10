"""Every admin route, for every role, against its own council and a foreign one.

To add a route: give its URL parameters in PARAMS (values that exist in OWN once the
``own_data`` fixture of tests/conftest.py has run; extend it if they need rows), list a
page only some roles may open in READERS, and every POST endpoint in WRITERS.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from tests.conftest import OWN, OWN_INDICATOR, OWN_ITEM, csrf_token, sign_in

FOREIGN = "herefordshire"
ROLES = ["viewer", "contributor", "panel_admin", "council_admin"]

#: GET endpoints that answer with a file to save rather than a page (not scanned by axe).
FILES = {"pledge_admin.plan", "meeting_admin.paper", "meeting_admin.agenda_pdf",
         "meeting_admin.minutes_pdf", "indicator_admin.template_as_csv",
         "indicator_admin.template_as_xlsx",
         # an image, shown on the panel's page (which the walk scans)
         "membership_admin.attendance_svg"}

#: URL parameters by endpoint; each names a row that exists in OWN after ``own_data``.
PARAMS: dict[str, dict[str, Any]] = {
    "review_admin.show": {"key": "protocol-review"},
    "review_admin.record": {"key": "protocol-review"},
    "review_admin.add_review_owner": {"key": "protocol-review"},
    "review_admin.remove_review_owner": {"key": "protocol-review", "user_id": 1},
    "pledge_admin.pledge": {"key": "local-1"},
    "pledge_admin.plan": {"kind": "xlsx"},
    "pledge_admin.edit_pledge": {"key": "local-1"},
    "pledge_admin.update_pledge": {"key": "local-1"},
    "pledge_admin.action": {"key": "local-action"},
    "pledge_admin.post_progress": {"key": "local-action"},
    "pledge_admin.add_action_owner": {"key": "local-action"},
    "pledge_admin.remove_action_owner": {"key": "local-action", "user_id": 1},
    "membership_admin.show": {"panel": "corporate-parenting-board"},
    "membership_admin.attendance_svg": {"panel": "corporate-parenting-board"},
    "membership_admin.appoint_form": {"panel": "corporate-parenting-board"},
    "membership_admin.appoint_person": {"panel": "corporate-parenting-board"},
    "membership_admin.seat": {"panel": "corporate-parenting-board", "seat": "local-seat"},
    "membership_admin.end_form": {"panel": "corporate-parenting-board", "membership_id": 1},
    "membership_admin.end": {"panel": "corporate-parenting-board", "membership_id": 1},
    **{f"membership_admin.{name}": {"panel": "corporate-parenting-board", "membership_id": 1}
       for name in ("correct_form", "correct", "withdraw")},
    "membership_admin.person": {"person_id": 1},
    "membership_admin.erase_form": {"person_id": 1},
    "membership_admin.erase": {"person_id": 1},
    "membership_admin.email_form": {"person_id": 1},
    "membership_admin.set_person_email": {"person_id": 1},
    **{f"meeting_admin.{name}": {"panel": "corporate-parenting-board"}
       for name in ("panel_meetings", "schedule_from_cycle", "confirm_cycle", "schedule")},
    **{f"meeting_admin.{name}": {"meeting_id": 1}
       for name in ("show", "history", "update", "add_agenda_item", "change_agenda_item",
                    "attendance_page", "attendance", "minutes", "add_action",
                    "circulate_page", "circulate", "resend", "agenda_pdf", "minutes_pdf")},
    "meeting_admin.action_status": {"meeting_id": 1, "action_id": 1},
    **{f"meeting_admin.{name}": {"meeting_id": 1}
       for name in ("minutes_page", "approve_minutes", "publish_minutes", "add_declaration")},
    "meeting_admin.remove_declaration": {"meeting_id": 1, "declaration_id": 1},
    **{f"meeting_admin.{name}": {"meeting_id": 1, "item_id": OWN_ITEM}
       for name in ("agenda_item", "edit_agenda_item", "confirm_remove_item", "remove_item",
                    "upload_paper")},
    **{f"meeting_admin.{name}": {"meeting_id": 1, "paper_id": 1}
       for name in ("paper", "remove_paper")},
    **{f"meeting_admin.{name}": {"panel": "corporate-parenting-board"}
       for name in ("work_programme_page", "add_planned_item")},
    **{f"meeting_admin.{name}": {"panel": "corporate-parenting-board", "item_id": 1}
       for name in ("planned_item", "update_planned_item", "schedule_planned_item")},
    "meeting_admin.edit_action_form": {"meeting_id": 1, "action_id": 1},
    "meeting_admin.edit_action_save": {"meeting_id": 1, "action_id": 1},
    "meeting_admin.add_guest": {"meeting_id": 1},
    "meeting_admin.remove_guest": {"meeting_id": 1, "row_id": 1},
    **{f"user_admin.{name}": {"user_id": 1} for name in ("show", "change_role", "change_access")},
    **{f"user_admin.{name}": {"invitation_id": 1}
       for name in ("resend_invitation", "withdraw_invitation")},
    **{f"indicator_admin.{name}": {"key": "health-assessments"}
       for name in ("indicator", "new_figure", "create_figure")},
    **{f"indicator_admin.{name}": {"key": "health-assessments", "figure_id": 1}
       for name in ("edit_figure", "update_figure")},
    **{f"indicator_admin.{name}": {"key": OWN_INDICATOR}
       for name in ("edit_indicator", "update_indicator", "confirm_archive",
                    "archive_indicator")},
}
#: Who may enter indicator figures (a permission of its own: core/auth/permissions.py).
FIGURES = {"contributor", "panel_admin", "council_admin"}
#: Pages only some roles may open; every other page opens for every role in its council.
READERS: dict[str, set[str]] = {
    "pledge_admin.new_pledge": {"council_admin"},
    "pledge_admin.edit_pledge": {"council_admin"},
    "membership_admin.appoint_form": {"panel_admin", "council_admin"},
    "membership_admin.end_form": {"panel_admin", "council_admin"},
    "membership_admin.correct_form": {"panel_admin", "council_admin"},
    "membership_admin.erase_form": {"council_admin"},
    "meeting_admin.attendance_page": {"panel_admin", "council_admin"},
    "meeting_admin.circulate_page": {"panel_admin", "council_admin"},
    "membership_admin.email_form": {"panel_admin", "council_admin"},
    "meeting_admin.confirm_remove_item": {"panel_admin", "council_admin"},
    "meeting_admin.planned_item": {"panel_admin", "council_admin"},
    "meeting_admin.edit_action_form": {"panel_admin", "council_admin"},
    **{f"user_admin.{name}": {"council_admin"} for name in ("index", "invite_form", "show")},
    "indicator_admin.new_figure": FIGURES,
    "indicator_admin.edit_figure": FIGURES,
    # local indicators, like pledges recorded locally (MANAGE_CONTENT)
    **{f"indicator_admin.{name}": {"council_admin"}
       for name in ("new_indicator", "edit_indicator", "confirm_archive")},
}
#: Which roles may use each write endpoint (POST) in their own council.
WRITERS: dict[str, set[str]] = {
    "review_admin.record": {"panel_admin", "council_admin"},
    "review_admin.add_review_owner": {"council_admin"},
    "review_admin.remove_review_owner": {"council_admin"},
    "pledge_admin.post_progress": {"panel_admin", "council_admin"},
    "pledge_admin.add_action_owner": {"council_admin"},
    "pledge_admin.remove_action_owner": {"council_admin"},
    "pledge_admin.create_pledge": {"council_admin"},
    "pledge_admin.update_pledge": {"council_admin"},
    "membership_admin.appoint_person": {"panel_admin", "council_admin"},
    "membership_admin.end": {"panel_admin", "council_admin"},
    "membership_admin.correct": {"panel_admin", "council_admin"},
    "membership_admin.withdraw": {"panel_admin", "council_admin"},
    "membership_admin.erase": {"council_admin"},
    "membership_admin.set_person_email": {"panel_admin", "council_admin"},
    **{f"meeting_admin.{name}": {"panel_admin", "council_admin"}
       for name in ("schedule_from_cycle", "confirm_cycle", "schedule", "update",
                    "add_agenda_item",
                    "change_agenda_item", "attendance", "minutes", "add_action",
                    "action_status", "circulate", "resend", "approve_minutes",
                    "publish_minutes", "add_declaration",
                    "remove_declaration", "edit_agenda_item", "remove_item", "upload_paper",
                    "remove_paper", "add_planned_item", "update_planned_item",
                    "schedule_planned_item", "add_guest", "remove_guest",
                    "edit_action_save")},
    **{f"user_admin.{name}": {"council_admin"}
       for name in ("send_invitation", "resend_invitation", "withdraw_invitation",
                    "change_role", "change_access")},
    "indicator_admin.import_file": FIGURES,
    "indicator_admin.create_figure": FIGURES,
    "indicator_admin.update_figure": FIGURES,
    **{f"indicator_admin.{name}": {"council_admin"}
       for name in ("create_indicator", "update_indicator", "archive_indicator")},
}
#: What an allowed writer gets for an empty form, where it is not 400 (field errors).
EMPTY_FORM_STATUS: dict[str, int] = {"pledge_admin.remove_action_owner": 302,
                                     "review_admin.remove_review_owner": 302,
                                     "meeting_admin.resend": 302,
                                     # blank is "no address": saved
                                     "membership_admin.set_person_email": 302,
                                     "meeting_admin.remove_guest": 302,
                                     "user_admin.resend_invitation": 302,
                                     "user_admin.withdraw_invitation": 302}


def admin_routes(app: Flask) -> list[tuple[str, str]]:
    """(endpoint, method) for every admin route under /admin/<council>."""
    return [(rule.endpoint, method) for rule in app.url_map.iter_rules()
            if rule.rule.startswith("/admin/<council>")
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]


def url(app: Flask, endpoint: str, method: str, council: str) -> str:
    adapter = app.url_map.bind("localhost")
    return adapter.build(endpoint, {"council": council, **PARAMS.get(endpoint, {})},
                         method=method)


def test_the_walk_covers_every_admin_route(app) -> None:
    routes = admin_routes(app)
    endpoints = {endpoint for endpoint, _ in routes}
    assert endpoints >= {"council_admin.home", "review_admin.index", "review_admin.show",
                         "review_admin.record", "pledge_admin.post_progress"}
    posts = {endpoint for endpoint, method in routes if method == "POST"}
    assert posts == set(WRITERS), "add each new write endpoint to WRITERS"
    for endpoint, method in routes:
        url(app, endpoint, method, OWN)  # fails when a parameter is missing from PARAMS


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reaches_its_own_council_and_never_a_foreign_one(app, make_user, own_data,
                                                                  role) -> None:
    client = app.test_client()
    _, email = make_user(role, OWN)
    assert sign_in(client, email).status_code == 302
    token = csrf_token(client.get("/admin/").get_data(as_text=True))
    for endpoint, method in admin_routes(app):
        own, foreign = url(app, endpoint, method, OWN), url(app, endpoint, method, FOREIGN)
        if method == "GET":
            expected = 200 if role in READERS.get(endpoint, {role}) else 403
            assert client.get(own).status_code == expected, (role, own)
            assert client.get(foreign).status_code == 403, (role, foreign)
        else:
            data = {"csrf_token": token}  # an empty form: allowed roles get field errors
            allowed = role in WRITERS[endpoint]
            expected = EMPTY_FORM_STATUS.get(endpoint, 400) if allowed else 403
            assert client.post(own, data=data).status_code == expected, (role, own)
            assert client.post(foreign, data=data).status_code == 403, (role, foreign)


def test_signed_out_visitors_are_sent_to_sign_in(app, client) -> None:
    token = csrf_token(client.get("/login").get_data(as_text=True))
    for endpoint, method in admin_routes(app):
        data = {"csrf_token": token} if method == "POST" else None
        response = client.open(url(app, endpoint, method, OWN), method=method, data=data)
        assert response.status_code == 302, endpoint
        assert response.location.startswith("/login?next="), endpoint


def test_the_admin_index_lists_only_councils_with_a_role(app, make_user) -> None:
    client = app.test_client()
    _, email = make_user("viewer", OWN)
    sign_in(client, email)
    page = client.get("/admin/").get_data(as_text=True)
    assert "/admin/isle_of_wight/" in page and "/admin/herefordshire/" not in page


def test_a_site_admin_reaches_every_council(app, admin_client) -> None:
    page = admin_client.get("/admin/").get_data(as_text=True)
    for slug in (OWN, FOREIGN, "staffordshire", "bracknell_forest"):
        assert f"/admin/{slug}/" in page
        assert admin_client.get(f"/admin/{slug}/").status_code == 200
