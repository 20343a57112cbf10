"""The GOV.UK table written by Python (core/govuk_table.py): the library's macro's markup
for every shape it writes, and the library's macro itself for every other."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest
from flask import Flask, g
from flask_babel import lazy_gettext
from markupsafe import Markup

from core import widgets
from core.charts.service import Table
from core.govuk_table import table_markup
from tests.core.test_govuk_attributes import library_only

LIBRARY = "govuk_frontend_jinja/components/table/macro.html"

WRITTEN: list[dict[str, Any]] = [
    {},
    {"rows": []},
    {"rows": [[{"text": "one"}]]},
    {"caption": "Seats", "rows": [[{"text": "Chair"}, {"text": 1}]]},
    {"caption": "Seats", "captionClasses": "govuk-table__caption--m", "classes": "app-x",
     "firstCellIsHeader": True,
     "head": [{"text": "Role"}, {"text": "Places", "format": "numeric", "classes": "w"}],
     "rows": [[{"text": "Chair", "classes": "c"}, {"text": "1", "format": "numeric"}],
              [{"html": Markup("<a href='#'>Member</a>")}, {"text": "4"}]]},
    {"head": [{"html": "<b>raw</b>", "colspan": 2}, {"text": "x", "rowspan": "3"}],
     "rows": [[{"text": "<script>", "colspan": 2, "rowspan": 1}, {"text": None}],
              [], None, [{"html": "", "text": "fallback"}, {"html": None}],
              [{"format": "numeric"}, {"text": 0, "colspan": 0}, {"text": False}]]},
    {"firstCellIsHeader": False, "caption": "", "captionClasses": "ignored", "head": [],
     "rows": [[{"text": 'quote " and & amp', "classes": 'a"b', "format": "<n>"}]]},
    {"firstCellIsHeader": True, "rows": [[{"text": "x", "format": "numeric"}]],
     "attributes": {}},
    {"rows": ([{"text": "tuple rows", "attributes": None}],)},
    {"caption": Markup("<em>kept</em>"), "rows": [[{"text": Markup("<i>safe</i>")}]]},
    {"attributes": {"id": "t", "data-module": 'a "b" & <c>'}, "rows": []},
    {"firstCellIsHeader": True, "head": [{"text": "x", "attributes": {"data-x": "1"}}],
     "rows": [[{"html": "<a>r</a>", "attributes": {"id": "seat-1"}, "colspan": 2},
               {"text": "x", "attributes": {"<odd>": Markup("<kept>"), "lang": ""}}]]},
]

#: Shapes left to the library: attributes it writes otherwise (booleans, numbers, options),
#: keys it does not write, odd containers.
LEFT = [
    {"attributes": {"hidden": True}, "rows": []},
    {"rows": [[{"text": "x", "attributes": {"colspan": 2}}]]},
    {"head": [{"text": "x", "attributes": {"hidden": {"value": True, "optional": True}}}],
     "rows": []},
    {"rows": [[{"text": "x", "attributes": "id=raw"}]]},
    {"rows": [[{"text": "x", "unknown": 1}]]},
    {"rows": [], "extra": True},
    {"rows": "not rows"},
    {"rows": [{"text": "a row that is a cell"}]},
    {"rows": [["a cell that is a string"]]},
]


def _bare(html: str) -> str:
    """Markup without the whitespace between tags (the macro writes blank lines there;
    browsers make nothing of them)."""
    return re.sub(r">\s+<", "><", html).strip()


def _without_tokens(html: str) -> str:
    """A page without its forms' CSRF tokens (signed with the time; a form with a prefix
    names its token ``<prefix>-csrf_token``)."""
    return re.sub(r'name="[^"]*csrf_token"[^>]*', "", html)


def _library(app: Flask, params: dict[str, Any]) -> str:
    return str(library_only(app).get_template(LIBRARY).module.govukTable(params))


@pytest.mark.parametrize("params", WRITTEN, ids=range(len(WRITTEN)))
def test_written_as_the_library_writes_it(app: Flask, params: dict[str, Any]) -> None:
    written = table_markup(params)
    assert written is not None
    assert _bare(str(written)) == _bare(_library(app, params))


@pytest.mark.parametrize("params", LEFT, ids=range(len(LEFT)))
def test_other_shapes_are_left_to_the_library(params: dict[str, Any]) -> None:
    assert table_markup(params) is None


def test_text_is_escaped_and_html_kept() -> None:
    written = str(table_markup({"rows": [[{"text": "<b>"}, {"html": "<i>x</i>"}]]}))
    assert "&lt;b&gt;" in written and "<i>x</i>" in written


def test_lazy_words_are_written_in_the_request_locale(app: Flask) -> None:
    with app.test_request_context("/"):
        params = {"caption": lazy_gettext("Actions"), "rows": [[{"text": lazy_gettext("Status")}]]}
        assert _bare(str(table_markup(params))) == _bare(_library(app, params))


def test_the_template_global_writes_the_table_and_falls_back(app: Flask) -> None:
    """``kept_component`` gives the Python markup for a plain table and the library's
    macro (with its attributes) for one it does not write."""
    plain = {"rows": [[{"text": "a"}]]}
    with_id = {"rows": [[{"text": "a", "attributes": {"id": "cell-a"}}]]}
    with app.test_request_context("/"):
        assert widgets.kept_component("table", "govukTable", plain) == table_markup(plain)
        kept = str(widgets.kept_component("table", "govukTable", with_id))
    assert 'id="cell-a"' in kept
    assert _bare(kept) == _bare(_library(app, with_id))


def test_every_benchmark_page_is_the_same_either_way(
        make_app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The pages of a small demo (public and admin, the benchmark's list) with their tables
    written by Python and by the library's macro: the same markup, whitespace between tags
    aside."""
    from bench.inprocess import NO_MEMOS
    from bench.pages import ADMIN, HEAVY, PUBLIC, paths_of
    from core.bench import demo
    from core.extensions import db
    from tests.conftest import signed_in_admin

    # Nothing kept: a table kept by the first render would answer the second unwritten.
    app = make_app(config={"PAGE_CACHE_STORE": "off", **NO_MEMOS})
    with app.app_context():
        demo.load_demo(0.007)  # one council
        engine = db.engine
        council_ids = [row[0] for row in db.session.execute(
            db.text("SELECT id FROM council WHERE slug LIKE 'demo-%'"))]
        pages = [(page, paths_of(engine, page, council_ids)[:2])
                 for page in [*PUBLIC, *ADMIN] if page not in HEAVY]
    admin, anonymous = signed_in_admin(app), app.test_client()
    compared = 0
    for page, paths in pages:
        client = admin if page.kind == "admin" else anonymous
        for path in paths:
            fast = client.get(path)
            with monkeypatch.context() as patched:
                patched.setattr(widgets, "table_markup", lambda params: None)
                library = client.get(path)
            assert fast.status_code == library.status_code == 200, path
            if fast.mimetype != "text/html":
                continue
            ours, theirs = (_without_tokens(response.get_data(as_text=True))
                            for response in (fast, library))
            assert _bare(ours) == _bare(theirs), path
            compared += "govuk-table" in ours
    assert compared >= 10


def test_a_council_plugins_own_table_macro_is_used_on_its_pages(
        make_app: Any, tmp_path: Any) -> None:
    """A council whose plugin has its own copy of the table macro gets it, not the Python
    writer; every other council gets the Python writer's markup."""
    from plugins.isle_of_wight import plugin as isle_of_wight
    from tests.core.plugins.test_assets import newtown

    folder = tmp_path / "cpt_newtown"
    plugin = newtown(folder, templates=False, static=False, translations=False)
    own = folder / "templates" / "govuk_frontend_jinja" / "components" / "table"
    own.mkdir(parents=True)
    (own / "macro.html").write_text('{% macro govukTable(params) %}<table class="newtown">'
                                    "{{ params.rows | length }}</table>{% endmacro %}")
    app = make_app(plugins={"newtown": plugin, "isle_of_wight": isle_of_wight})
    plain = {"rows": [[{"text": "a"}], [{"text": "b"}]]}
    with app.test_request_context("/"):
        g.council = SimpleNamespace(slug="newtown")
        assert str(widgets.kept_component("table", "govukTable", plain)).strip() == \
            '<table class="newtown">2</table>'
        g.council = SimpleNamespace(slug="isle_of_wight")
        assert widgets.kept_component("table", "govukTable", plain) == table_markup(plain)
        figures = Table("Figures", ["Month", "Done"], [["Jan", "1"], ["Feb", "2"]])
        written = str(widgets.kept_figures(figures))
        g.council = SimpleNamespace(slug="newtown")  # kept apart from the other council's
        assert str(widgets.kept_figures(figures)).strip() == '<table class="newtown">2</table>'
        g.council = SimpleNamespace(slug="isle_of_wight")
        assert str(widgets.kept_figures(figures)) == written


def test_mappings_other_than_dicts_are_left_to_the_library() -> None:
    """Jinja looks an attribute up before a key: only plain dicts are written here."""
    from types import MappingProxyType

    assert table_markup(MappingProxyType({"rows": []})) is None
    assert table_markup({"rows": [[MappingProxyType({"text": "a"})]]}) is None
    assert table_markup({"rows": [[{"text": "a"}]], "head": "not a head"}) is None
