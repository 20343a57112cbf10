"""The admin's front pages and the site administrators' plugins page."""

from __future__ import annotations

import re

from core.auth.services import create_user
from core.plugins import host as plugins_module
from tests.conftest import PASSWORD, sign_in
from tests.core.fakes import RaisingPlugin


def test_site_admins_see_every_plugin_with_version_hooks_and_errors(make_app) -> None:
    installed = {entry.name: entry.load()
                 for entry in plugins_module.entry_points(group="corporate_parenting")}
    app = make_app(installed | {"raising": RaisingPlugin()})
    with app.app_context():
        create_user("root@example.org", PASSWORD, site_admin=True)
    client = app.test_client()
    sign_in(client, "root@example.org")
    page = client.get("/admin/plugins").get_data(as_text=True)
    for name in ("core.defaults", "herefordshire", "bracknell_forest", "raising"):
        assert re.search(rf">\s*{re.escape(name)}\s*</h2>", page), name
    assert "Refused" in page and "plugin &#39;raising&#39;, hook strategy_for_council" in page
    assert "Councils whose definitions could not be loaded" in page
    assert "check_panel_membership" in page
    assert 'href="/admin/plugins"' in client.get("/admin/").get_data(as_text=True)


def test_only_site_admins_see_the_plugins_page(app, make_user, client) -> None:
    _, email = make_user("council_admin", "herefordshire")
    sign_in(client, email)
    assert client.get("/admin/plugins").status_code == 403
    assert 'href="/admin/plugins"' not in client.get("/admin/").get_data(as_text=True)


def test_the_admin_menu_offers_users_only_to_those_who_manage_them(app, make_user) -> None:
    menus = {}
    for role in ("council_admin", "panel_admin", "viewer"):
        client = app.test_client()
        _, email = make_user(role, "herefordshire")
        assert sign_in(client, email).status_code == 302
        page = client.get("/admin/herefordshire/meetings").get_data(as_text=True)
        menus[role] = re.findall(r'class="govuk-service-navigation__link" href="([^"]+)"', page)
    assert "/admin/herefordshire/users" in menus["council_admin"]
    assert "/admin/herefordshire/users" not in menus["panel_admin"]
    assert "/admin/herefordshire/users" not in menus["viewer"]
    assert "/admin/herefordshire/meetings" in menus["viewer"]
