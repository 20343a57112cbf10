"""Reading py-spy's samples of a worker under load (bench/under_load.py)."""

from __future__ import annotations

from bench.servers import BENCH
from bench.under_load import frame_name, shares

ROOT = BENCH.parent


def test_a_frame_is_named_by_its_function_and_its_path_from_the_package() -> None:
    assert frame_name(f"overview ({ROOT}/core/councils/views.py:31)") == (
        "overview (core/councils/views.py)")
    assert frame_name("Flask.__call__ (/x/.venv/lib/python3.11/site-packages/flask/app.py:1529)"
                      ) == "Flask.__call__ (flask/app.py)"
    assert frame_name("<module> (gunicorn:8)") == "<module> (gunicorn)"
    assert frame_name("no path") == "no path"


def test_shares_count_a_frame_once_a_stack_and_alone_at_its_end() -> None:
    raw = "\n".join([
        f"handle (gunicorn/workers/sync.py:1);view ({ROOT}/core/v.py:3);"
        f"render (jinja2/environment.py:9);view ({ROOT}/core/v.py:5) 6",
        f"handle (gunicorn/workers/sync.py:1);view ({ROOT}/core/v.py:3) 4",
        "",
    ])
    total, inclusive, alone = shares(raw)
    assert total == 10
    assert inclusive["view (core/v.py)"] == 10  # twice in the first stack, counted once
    assert inclusive["render (jinja2/environment.py)"] == 6
    assert alone == {"view (core/v.py)": 10}


def test_without_py_spy_it_says_how_to_install_it(tmp_path, monkeypatch) -> None:
    import pytest

    from bench import under_load

    monkeypatch.setattr(under_load, "BIN", tmp_path)
    with pytest.raises(SystemExit, match=r"install py-spy==0\.4\.3"):
        under_load.record("dashboard", "sqlite://", 1)
