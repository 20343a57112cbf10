"""A plugin's templates, static files and translations are used without configuration."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from flask import Flask
from flask_babel import force_locale, get_babel, get_domain, gettext

from core import CouncilFile
from core.plugins import make_plugin_host
from core.plugins.assets import find_plugin_assets, plugin_folder
from plugins.isle_of_wight import plugin as isle_of_wight
from tests.core.fakes import DictCouncil, small_council

COUNCIL_TOML = """\
[council]
slug = "newtown"
name = "Newtown Council"
locale = "{locale}"

[strategy]
key = "strategy"
title = "Newtown's strategy"
"""

OVERVIEW = """\
{% extends "councils/overview.html" %}
{% block content %}
<p class="newtown-banner">{{ _("Our promise to you") }}</p>
{{ super() }}
{% endblock %}
"""


def newtown(folder: Path, *, locale: str = "en_GB", templates: bool = True,
            static: bool = True, translations: bool = True) -> CouncilFile:
    """A data-file plugin in ``folder``, with the assets asked for."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "council.toml").write_text(COUNCIL_TOML.format(locale=locale))
    if templates:
        (folder / "templates" / "councils").mkdir(parents=True)
        (folder / "templates" / "councils" / "overview.html").write_text(OVERVIEW)
        # The home page is no council's page: this must never be used.
        (folder / "templates" / "councils" / "index.html").write_text("Newtown's home page")
    if static:
        (folder / "static" / "img").mkdir(parents=True)
        (folder / "static" / "img" / "logo.svg").write_text("<svg>Newtown</svg>")
    if translations:
        catalog = Catalog(locale="cy")
        catalog.add("Our promise to you", "Ein haddewid i chi")
        (folder / "translations" / "cy" / "LC_MESSAGES").mkdir(parents=True)
        with (folder / "translations" / "cy" / "LC_MESSAGES" / "messages.mo").open("wb") as mo:
            write_mo(mo, catalog)
    return CouncilFile(folder / "council.toml")


@pytest.fixture
def assets_app(make_app: Callable[..., Flask], tmp_path: Path) -> Iterator[Flask]:
    app = make_app(plugins={"newtown": newtown(tmp_path / "cpt_newtown", locale="cy"),
                            "isle_of_wight": isle_of_wight})
    yield app
    with app.app_context():  # Flask-Babel's catalogue cache is shared by every app
        get_domain().cache.clear()


def test_a_plugin_template_replaces_the_core_one_on_its_own_council_only(
        assets_app: Flask) -> None:
    client = assets_app.test_client()
    for _ in range(2):  # in turn, so that a cached template cannot leak to the other
        own = client.get("/newtown/").get_data(as_text=True)
        other = client.get("/isle_of_wight/").get_data(as_text=True)
        assert 'class="newtown-banner"' in own
        assert "Newtown Council</h1>" in own  # the core's template, extended
        assert "Newtown&#39;s strategy" in own
        assert "newtown-banner" not in other
        assert "Isle of Wight Council</h1>" in other


def test_pages_of_no_council_keep_the_core_templates(assets_app: Flask) -> None:
    home = assets_app.test_client().get("/").get_data(as_text=True)
    assert "Newtown's home page" not in home
    assert "Newtown Council" in home


def test_a_plugin_static_file_is_served_under_its_slug(assets_app: Flask) -> None:
    client = assets_app.test_client()
    response = client.get("/plugins/newtown/static/img/logo.svg")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "<svg>Newtown</svg>"
    response.close()
    assert client.get("/plugins/newtown/static/img/missing.svg").status_code == 404
    assert client.get("/plugins/newtown/static/../council.toml").status_code == 404
    assert client.get("/plugins/isle_of_wight/static/img/logo.svg").status_code == 404
    with assets_app.test_request_context():
        from flask import url_for

        assert url_for("plugin_assets.static", slug="newtown", filename="img/logo.svg") == (
            "/plugins/newtown/static/img/logo.svg")


def test_a_plugin_translation_is_used_in_its_locale(assets_app: Flask) -> None:
    page = assets_app.test_client().get("/newtown/").get_data(as_text=True)
    assert "Ein haddewid i chi" in page  # the council's locale is cy
    with assets_app.test_request_context():
        with force_locale("cy"):
            assert gettext("Our promise to you") == "Ein haddewid i chi"
        with force_locale("en_GB"):
            assert gettext("Our promise to you") == "Our promise to you"
    directories = get_babel(assets_app).translation_directories
    assert directories[0].endswith("core/translations")  # the core's come first
    assert directories[-1].endswith("cpt_newtown/translations")


def test_only_folders_a_plugin_has_count(tmp_path: Path) -> None:
    host = make_plugin_host({"newtown": newtown(tmp_path / "a", templates=False,
                                                translations=False),
                             "isle_of_wight": isle_of_wight})
    assets = find_plugin_assets(host)
    assert assets.templates == {}
    assert assets.static == {"newtown": tmp_path / "a" / "static"}
    assert assets.translations == []


def test_the_plugin_folder_is_the_data_file_or_the_package(tmp_path: Path) -> None:
    import plugins.isle_of_wight
    import tests.core.fakes

    assert plugin_folder(newtown(tmp_path / "b")) == tmp_path / "b"
    assert plugin_folder(plugins.isle_of_wight) == Path(plugins.isle_of_wight.__file__).parent
    # A plugin object whose class is defined in a plain module: that module's package.
    assert plugin_folder(tests.core.fakes.RaisingPlugin()) == Path(
        tests.core.fakes.__file__).parent
    # A data file that is not a file, and the core's own modules, give no folder.
    assert plugin_folder(DictCouncil(small_council())) is None
    import core.defaults

    assert plugin_folder(core.defaults) is None


def test_a_disabled_plugin_brings_no_assets(tmp_path: Path) -> None:
    broken = newtown(tmp_path / "c")
    (tmp_path / "c" / "council.toml").write_text('[council]\nslug = "Newtown"\nname = "N"\n')
    assets = find_plugin_assets(make_plugin_host({"newtown": broken}))
    assert assets.templates == {} and assets.static == {} and assets.translations == []
