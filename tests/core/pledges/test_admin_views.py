"""The action plan in the admin: posting progress, owners, recording promises, conflicts."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from core.audit import AuditEvent
from core.extensions import db
from core.models import Action, Pledge, ProgressUpdate
from tests.conftest import csrf_token, sign_in

ACTION = "/admin/bracknell_forest/actions/action-1.1"


def form_token(client, url: str) -> str:
    return csrf_token(client.get(url).get_data(as_text=True))


def post_progress(client, day="2", month="11", year="2026", status="on_track",
                  note="Care plans audited."):
    return client.post(f"{ACTION}/progress", data={
        "csrf_token": form_token(client, ACTION), "reported_on": [day, month, year],
        "status": status, "note": note})


def test_a_panel_admin_posts_progress_and_the_status_rolls_up(app, make_user) -> None:
    client = app.test_client()
    sign_in(client, make_user("panel_admin", "bracknell_forest")[1])
    response = post_progress(client)
    assert response.status_code == 302
    page = client.get(ACTION).get_data(as_text=True)
    assert "Progress update posted." in page and "Care plans audited." in page
    assert "2 November 2026" in page
    listing = client.get("/admin/bracknell_forest/pledges").get_data(as_text=True)
    assert "On track" in listing
    with app.app_context():
        assert db.session.scalar(select(Action).where(Action.key == "action-1.1")).status == (
            "on_track")
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.record_type == "progress_update"))
        assert event.actor == "panel_admin.bracknell_forest@example.org"


def test_a_progress_post_reads_each_row_once_and_holds_only_the_action(
        app, make_user, count_queries) -> None:
    client = app.test_client()
    sign_in(client, make_user("panel_admin", "bracknell_forest")[1])
    data = {"csrf_token": form_token(client, ACTION), "reported_on": ["2", "11", "2026"],
            "status": "on_track", "note": "Care plans audited."}
    with count_queries() as counted:
        assert client.post(f"{ACTION}/progress", data=data).status_code == 302
    statements = [" ".join(statement.split()) for statement in counted.statements]
    # The council's row once: before the commit to check the request, and not again after
    # it (the redirect takes the slug and the locale the request first read).
    assert sum(statement.startswith("SELECT council.id, council.slug, council.name")
               for statement in statements) == 1, statements
    # The action with its pledge in one statement, then the action again, held: on
    # PostgreSQL its own row alone (rows joined to a lock that waited would be read as they
    # were before the wait); the pledge is never read alone, only with its actions, in one
    # statement, to count them again (core.pledges.kept_tallies).
    actions = [statement for statement in statements if statement.startswith(
        "SELECT action.id, action.pledge_id, action.number")]
    assert len(actions) == 2 and "JOIN pledge" in actions[0], actions
    pledges = [statement for statement in statements if statement.startswith("SELECT pledge.")]
    assert len(pledges) == 1 and "action_tally" in pledges[0] and "JOIN action" in pledges[0]
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        assert actions[1].endswith("FOR UPDATE") and "JOIN" not in actions[1], actions[1]


def test_bad_progress_names_each_field(app, make_user) -> None:
    client = app.test_client()
    sign_in(client, make_user("panel_admin", "bracknell_forest")[1])
    response = post_progress(client, day="40", status="", note="")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    for message in ("Date of the update must be a real date, like 27 3 2026",
                    "Choose a status", "Say what has happened"):
        assert message in page
    with app.app_context():
        assert db.session.scalar(select(ProgressUpdate)) is None


def test_a_contributor_reports_only_on_the_actions_they_own(app, make_user) -> None:
    admin = app.test_client()
    sign_in(admin, make_user("council_admin", "bracknell_forest")[1])
    contributor_id, email = make_user("contributor", "bracknell_forest")
    client = app.test_client()
    sign_in(client, email)
    assert post_progress(client).status_code == 403
    response = admin.post(f"{ACTION}/owners", data={
        "csrf_token": form_token(admin, ACTION), "user": str(contributor_id)})
    assert response.status_code == 302
    assert "contributor.bracknell_forest" in admin.get(ACTION).get_data(as_text=True)
    assert post_progress(client).status_code == 302
    mine = client.get("/admin/bracknell_forest/pledges").get_data(as_text=True)
    assert "Your actions" in mine and "/admin/bracknell_forest/actions/action-1.1" in mine
    other = "/admin/bracknell_forest/actions/action-1.2/progress"
    assert client.post(other, data={"csrf_token": form_token(client, ACTION)}).status_code == 403


def test_recording_staffordshires_promises_then_an_edit_conflict(app, make_user) -> None:
    _, email = make_user("council_admin", "staffordshire")
    first, second = app.test_client(), app.test_client()
    sign_in(first, email)
    sign_in(second, email)
    index = first.get("/admin/staffordshire/pledges").get_data(as_text=True)
    assert "The strategy declares 4 promises; 4 are not recorded yet." in index
    new = "/admin/staffordshire/pledges/new"
    response = first.post(new, data={"csrf_token": form_token(first, new), "number": "1",
                                     "title": "As published, promise one"})
    assert response.status_code == 302 and response.location.endswith("/pledges/local-1")
    public = first.get("/staffordshire/pledges").get_data(as_text=True)
    assert "As published, promise one" in public and "Added locally" in public

    edit = "/admin/staffordshire/pledges/local-1/edit"
    page_one, page_two = (c.get(edit).get_data(as_text=True) for c in (first, second))
    version = 'name="version" type="hidden" value="1"'
    assert version in page_one or 'value="1"' in page_one
    data = {"number": "1", "version": "1"}
    saved = first.post(edit, data=data | {"csrf_token": csrf_token(page_one),
                                          "title": "First person's wording"})
    assert saved.status_code == 302
    clash = second.post(edit, data=data | {"csrf_token": csrf_token(page_two),
                                           "title": "Second person's wording"})
    text = clash.get_data(as_text=True)
    assert clash.status_code == 409
    assert "Someone else changed this" in text
    assert "council_admin.staffordshire@example.org saved a change to this promise" in text
    assert "First person&#39;s wording" in text and "Second person&#39;s wording" in text
    with app.app_context():
        assert db.session.scalar(select(Pledge.title).where(Pledge.key == "local-1")) == (
            "First person's wording")


def test_plugin_pledges_cannot_be_edited_here(app, make_user) -> None:
    client = app.test_client()
    sign_in(client, make_user("council_admin", "bracknell_forest")[1])
    assert client.get("/admin/bracknell_forest/pledges/pledge-1/edit").status_code == 404


def test_overdue_actions_stand_out(app, make_user) -> None:
    client = app.test_client()
    sign_in(client, make_user("viewer", "bracknell_forest")[1])
    page = client.get("/admin/bracknell_forest/pledges/pledge-1").get_data(as_text=True)
    assert page.count("Due date passed") == 6  # all due September 2025 or April 2026
    assert dt.date.today() > dt.date(2026, 4, 30)


def test_a_locally_recorded_pledges_page_shows_its_history_and_a_plugins_none(
        app, make_user) -> None:
    """The admin page of a pledge recorded here lists who changed it, before and after; a
    pledge from the plugin is changed in the plugin, and its page shows no history."""
    _, email = make_user("council_admin", "staffordshire")
    client = app.test_client()
    sign_in(client, email)
    new = "/admin/staffordshire/pledges/new"
    assert client.post(new, data={"csrf_token": form_token(client, new), "number": "1",
                                  "title": "As published, promise one"}).status_code == 302
    edit = "/admin/staffordshire/pledges/local-1/edit"
    assert client.post(edit, data={"csrf_token": form_token(client, edit), "number": "1",
                                   "version": "1", "title": "Promise one, reworded"}
                       ).status_code == 302
    page = client.get("/admin/staffordshire/pledges/local-1").get_data(as_text=True)
    assert "History of changes" in page
    assert "As published, promise one → Promise one, reworded" in page
    assert "council_admin.staffordshire@example.org" in page

    other = app.test_client()
    sign_in(other, make_user("council_admin", "bracknell_forest")[1])
    plugin = other.get("/admin/bracknell_forest/pledges/pledge-1")
    assert plugin.status_code == 200 and "History of changes" not in plugin.get_data(
        as_text=True)
