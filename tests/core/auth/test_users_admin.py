"""The users pages: roles given and taken in one council only, accounts deactivated (ending
their sessions), nobody locking themselves out, every change audited, and lists whose
statement count stays the same as accounts grow."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from core.auth.models import Role, RoleAssignment, User
from core.extensions import db
from core.models import Council
from tests.conftest import counting_queries, csrf_token, sign_in
from tests.core.auth.test_invitations import HEREFORDSHIRE, WIGHT, post, signed_in
from tests.core.growth import main, page, plain, table_rows


def role_in(app: Flask, user_id: int, slug: str) -> str | None:
    with app.app_context():
        return db.session.scalar(
            select(RoleAssignment.role).join(Council, Council.id == RoleAssignment.council_id)
            .where(RoleAssignment.user_id == user_id, Council.slug == slug))


def test_the_council_list_shows_its_accounts_and_the_site_admins_only(app, make_user
                                                                      ) -> None:
    admin = signed_in(app, make_user, "council_admin", WIGHT, "chief@example.org")
    make_user("viewer", WIGHT, "reader@example.org")
    make_user("viewer", HEREFORDSHIRE, "elsewhere@example.org")
    make_user("site_admin", None, "root@example.org")
    rows = table_rows(main(page(admin, f"/admin/{WIGHT}/users")).split('id="accounts"')[1])
    assert [(row[1], row[2], row[3]) for row in rows] == [
        ("chief@example.org", "Council administrator", "Active"),
        ("reader@example.org", "Viewer", "Active"),
        ("root@example.org", "Site administrator (every council)", "Active")]
    assert admin.get(f"/admin/{HEREFORDSHIRE}/users").status_code == 403


def test_roles_are_given_and_taken_in_the_own_council_only(app, make_user) -> None:
    admin = signed_in(app, make_user, "council_admin", WIGHT)
    user_id, _ = make_user("viewer", WIGHT, "staff@example.org")
    url = f"/admin/{WIGHT}/users/{user_id}"
    response = post(admin, f"{url}/role", url, role="panel_admin")
    assert response.status_code == 302
    assert "Saved the role of staff." in page(admin, response.location)
    assert role_in(app, user_id, WIGHT) == "panel_admin"
    # audited, and shown on the user's page
    history = main(page(admin, url))
    assert "Role changed" in history and "role : viewer → panel_admin" in plain(history)
    response = post(admin, f"{url}/role", url, role="none")
    assert response.status_code == 302
    assert role_in(app, user_id, WIGHT) is None
    assert admin.get(url).status_code == 404  # no longer one of the council's accounts
    # another council's account, and another council, are out of reach
    other_id, _ = make_user("viewer", HEREFORDSHIRE, "other@example.org")
    assert admin.get(f"/admin/{WIGHT}/users/{other_id}").status_code == 404
    token = csrf_token(page(admin, f"/admin/{WIGHT}/users"))
    assert admin.post(f"/admin/{HEREFORDSHIRE}/users/{other_id}/role",
                      data={"csrf_token": token, "role": "council_admin"}).status_code == 403
    assert role_in(app, other_id, HEREFORDSHIRE) == "viewer"


def test_a_council_admin_cannot_change_a_site_admin_or_make_one(app, make_user) -> None:
    admin = signed_in(app, make_user, "council_admin", WIGHT)
    root_id, _ = make_user("site_admin", None, "root@example.org")
    url = f"/admin/{WIGHT}/users/{root_id}"
    assert "Only a site administrator can change the access" in page(admin, url)
    token = csrf_token(page(admin, f"/admin/{WIGHT}/users"))
    response = admin.post(f"{url}/role", data={"csrf_token": token, "role": "viewer"})
    assert response.status_code == 400
    assert 'href="#role">Only a site administrator can change the access of a site ' \
        'administrator' in response.get_data(as_text=True)
    response = admin.post(f"{url}/access", data={"csrf_token": token, "active": "no"})
    assert response.status_code == 400
    assert "councils you do not administer" in response.get_data(as_text=True)
    assert admin.get("/admin/users").status_code == 403
    assert admin.post(f"/admin/users/{root_id}/site-admin",
                      data={"csrf_token": token, "site_admin": "no"}).status_code == 403
    response = admin.post(f"{url}/role", data={"csrf_token": token, "role": "site_admin"})
    assert response.status_code == 400


def test_the_last_council_admin_cannot_remove_themselves(app, make_user) -> None:
    admin_id, email = make_user("council_admin", WIGHT, "only@example.org")
    admin = app.test_client()
    sign_in(admin, email)
    url = f"/admin/{WIGHT}/users/{admin_id}"
    for role in ("panel_admin", "none"):
        response = post(admin, f"{url}/role", url, role=role)
        assert response.status_code == 400
        text = response.get_data(as_text=True)
        assert "You are the only council administrator of Isle of Wight Council" in text
        assert 'href="#role"' in text
    assert role_in(app, admin_id, WIGHT) == "council_admin"
    # with a second council administrator, they may step down (and stay signed in)
    make_user("council_admin", WIGHT, "second@example.org")
    response = post(admin, f"{url}/role", url, role="viewer")
    assert response.status_code == 302
    assert role_in(app, admin_id, WIGHT) == "viewer"
    assert admin.get(f"/admin/{WIGHT}/").status_code == 200
    assert admin.get(f"/admin/{WIGHT}/users").status_code == 403


def test_deactivating_ends_the_sessions_and_reactivating_lets_them_back(app, make_user
                                                                        ) -> None:
    admin = signed_in(app, make_user, "council_admin", WIGHT)
    user_id, email = make_user("panel_admin", WIGHT, "leaver@example.org")
    leaver = app.test_client()
    assert sign_in(leaver, email).status_code == 302
    assert leaver.get(f"/admin/{WIGHT}/").status_code == 200
    url = f"/admin/{WIGHT}/users/{user_id}"
    response = post(admin, f"{url}/access", url, active="no")
    assert response.status_code == 302
    assert "Deactivated the account of leaver" in page(admin, response.location)
    assert leaver.get(f"/admin/{WIGHT}/").status_code == 302  # signed out
    assert sign_in(leaver, email).status_code == 400
    rows = table_rows(main(page(admin, f"/admin/{WIGHT}/users")).split('id="accounts"')[1])
    assert ["leaver", "leaver@example.org", "Panel administrator", "Deactivated",
            rows[1][4]] in rows
    assert "active : True → False" in plain(main(page(admin, url)))
    post(admin, f"{url}/access", url, active="yes")
    assert sign_in(leaver, email).status_code == 302


def test_nobody_deactivates_themselves_or_an_account_working_elsewhere(app, make_user
                                                                       ) -> None:
    admin_id, email = make_user("council_admin", WIGHT, "me@example.org")
    admin = app.test_client()
    sign_in(admin, email)
    token = csrf_token(page(admin, f"/admin/{WIGHT}/users"))
    response = admin.post(f"/admin/{WIGHT}/users/{admin_id}/access",
                          data={"csrf_token": token, "active": "no"})
    assert response.status_code == 400
    assert "You cannot deactivate your own account" in response.get_data(as_text=True)
    both_id, _ = make_user("viewer", WIGHT, "both@example.org")
    with app.app_context():
        here = db.session.scalar(select(Council).where(Council.slug == HEREFORDSHIRE))
        db.session.add(RoleAssignment(user_id=both_id, council_id=here.id, role=Role.VIEWER))
        db.session.commit()
    url = f"/admin/{WIGHT}/users/{both_id}"
    assert "only a site administrator can deactivate it" in page(admin, url)
    response = admin.post(f"{url}/access", data={"csrf_token": token, "active": "no"})
    assert response.status_code == 400
    assert 'href="#active"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, both_id).active


def test_the_forms_refuse_bad_input_naming_the_field(app, make_user) -> None:
    admin = signed_in(app, make_user, "council_admin", WIGHT)
    user_id, _ = make_user("viewer", WIGHT, "staff@example.org")
    url = f"/admin/{WIGHT}/users/{user_id}"
    for action, field, message, data in (
            ("role", "role", "Choose a role", {}),
            ("role", "role", "Not a valid choice", {"role": "emperor"}),
            ("access", "active", "Choose whether the account can sign in", {})):
        response = post(admin, f"{url}/{action}", url, **data)
        assert response.status_code == 400, action
        text = response.get_data(as_text=True)
        assert f'href="#{field}"' in text and message in text, action


def test_site_admins_manage_every_account_but_never_remove_the_last(app, make_user) -> None:
    root_id, email = make_user("site_admin", None, "root@example.org")
    root = app.test_client()
    sign_in(root, email)
    other_id, _ = make_user("viewer", HEREFORDSHIRE, "staff@example.org")
    rows = table_rows(main(page(root, "/admin/users")))
    assert [row[1:3] for row in rows] == [
        ["root@example.org", "Site administrator (every council)"],
        ["staff@example.org", "Herefordshire Council: Viewer"]]
    account = page(root, f"/admin/users/{other_id}")
    assert f'href="/admin/{HEREFORDSHIRE}/users/{other_id}"' in account
    url = f"/admin/users/{root_id}"
    response = post(root, f"{url}/site-admin", url, site_admin="no")
    assert response.status_code == 400
    assert "This is the only site administrator" in response.get_data(as_text=True)
    response = post(root, f"/admin/users/{other_id}/site-admin", url, site_admin="yes")
    assert response.status_code == 302
    response = post(root, f"{url}/site-admin", url, site_admin="no")
    assert response.status_code == 302  # now another exists; and the session is kept
    assert root.get("/admin/").status_code == 200
    assert root.get("/admin/users").status_code == 403
    with app.app_context():
        assert not db.session.get(User, root_id).site_admin
        assert db.session.get(User, other_id).site_admin


def _add_accounts(app: Flask, count: int, start: int) -> None:
    """``count`` accounts with a role in each of two councils."""
    with app.app_context():
        councils = db.session.scalars(select(Council).where(
            Council.slug.in_([WIGHT, HEREFORDSHIRE]))).all()
        for n in range(start, start + count):
            user = User(email=f"grown{n}@example.org", name=f"Grown {n}", password_hash="-")
            for council in councils:
                user.roles.append(RoleAssignment(council_id=council.id,
                                                 role=list(Role)[n % len(Role)]))
            db.session.add(user)
        db.session.commit()


def test_the_users_lists_run_the_same_statements_as_accounts_grow(app, make_user) -> None:
    council_admin = signed_in(app, make_user, "council_admin", WIGHT)
    site_admin = signed_in(app, make_user, "site_admin")
    urls = [(council_admin, f"/admin/{WIGHT}/users"), (site_admin, "/admin/users"),
            (site_admin, f"/admin/{WIGHT}/users")]
    counts: list[list[tuple[int, int]]] = [[] for _ in urls]
    start = 0
    for grown in (0, 5, 20):
        _add_accounts(app, grown, start)
        start += grown
        for (client, url), found in zip(urls, counts, strict=True):
            with counting_queries(app) as counted:
                response = client.get(url)
            assert response.status_code == 200, url
            found.append((len(counted), len(response.get_data())))
    for (_, url), found in zip(urls, counts, strict=True):
        statements = [count for count, _ in found]
        assert len(set(statements)) == 1, (url, statements)
        sizes = [size for _, size in found]
        assert sizes[0] < sizes[1] < sizes[2], url


def test_every_account_pages_are_for_site_admins_only(app, make_user, client) -> None:
    user_id, _ = make_user("viewer", WIGHT, "someone@example.org")
    for url in ("/admin/users", f"/admin/users/{user_id}"):
        response = client.get(url)
        assert response.status_code == 302 and response.location.startswith("/login?next=")
    token = csrf_token(page(client, "/login"))
    response = client.post(f"/admin/users/{user_id}/access",
                           data={"csrf_token": token, "active": "no"})
    assert response.status_code == 302 and response.location.startswith("/login?next=")
    for role in ("viewer", "contributor", "panel_admin", "council_admin"):
        other = signed_in(app, make_user, role, WIGHT)
        assert other.get(f"/admin/users/{user_id}").status_code == 403, role
        token = csrf_token(page(other, "/admin/"))
        assert other.post(f"/admin/users/{user_id}/access",
                          data={"csrf_token": token, "active": "no"}).status_code == 403
    with app.app_context():
        assert db.session.get(User, user_id).active
