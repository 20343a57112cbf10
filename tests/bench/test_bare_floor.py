"""The benchmark's floor: a minimal Flask app serving the app's own 20 KB floor page."""

from __future__ import annotations

from bench.bare_floor import app
from core.bench.floor import SIZE


def test_the_floor_is_flask_with_one_route_and_no_hooks() -> None:
    assert [rule.endpoint for rule in app.url_map.iter_rules()] == ["static", "floor.page"]
    hooks = (app.before_request_funcs, app.after_request_funcs, app.teardown_request_funcs,
             app.url_value_preprocessors, app.url_default_functions)
    assert not any(hooks)
    assert not app.extensions


def test_the_floor_answers_the_apps_20_kb_page() -> None:
    from core.app import create_app

    ours = create_app({"TESTING": True, "BENCHMARK_FLOOR": True,
                       "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    bare = app.test_client().get("/_benchmark/floor")
    assert bare.status_code == 200 and len(bare.data) == SIZE
    assert bare.data == ours.test_client().get("/_benchmark/floor").data
