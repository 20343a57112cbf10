"""``cpt new-plugin`` writes a package that installs, keeps the contract and tests itself."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tomllib
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner

from core.cli import main
from core.testing import check_plugin, plugin_advice

FILES = ["README.md", "cpt_newtown/__init__.py", "cpt_newtown/council.toml", "pyproject.toml",
         "tests/test_contract.py"]


def new_plugin(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["new-plugin", *args])
    return result.exit_code, result.output


def import_package(folder: Path, name: str) -> ModuleType:
    """Import the package ``folder/name`` without installing it (and forget it after)."""
    spec = importlib.util.spec_from_file_location(name, folder / name / "__init__.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def newtown(tmp_path: Path) -> Path:
    code, output = new_plugin("newtown", "--dir", str(tmp_path))
    assert code == 0, output
    return tmp_path / "cpt-newtown"


def test_it_writes_a_package_and_says_what_next(newtown: Path, tmp_path: Path) -> None:
    assert sorted(str(p.relative_to(newtown)) for p in newtown.rglob("*") if p.is_file()) == (
        FILES)
    _, output = new_plugin("oldtown", "--dir", str(tmp_path))
    assert output.splitlines()[0] == f"Wrote the oldtown council plugin in {tmp_path}/cpt-oldtown:"
    assert "  cpt_oldtown/council.toml" in output.splitlines()
    assert "  2. cd " in output and "pip install -e . && pytest" in output


def test_the_package_declares_its_entry_point_and_data(newtown: Path) -> None:
    project = tomllib.loads((newtown / "pyproject.toml").read_text())
    assert project["build-system"]["build-backend"] == "setuptools.build_meta"
    assert project["project"]["name"] == "cpt-newtown"
    assert project["project"]["version"] == "0.1.0"
    assert project["project"]["dependencies"] == ["corporate-parenting-toolkit"]
    assert project["project"]["entry-points"]["corporate_parenting"] == {
        "newtown": "cpt_newtown:plugin"}
    assert project["tool"]["setuptools"]["package-data"]["cpt_newtown"] == [
        "council.toml", "templates/**/*", "static/**/*", "translations/**/*"]
    assert (newtown / "tests" / "test_contract.py").read_text().endswith(
        '\ntest_contract = contract_tests("newtown")\n')


def test_the_starter_keeps_the_contract_and_every_text_is_a_placeholder(newtown: Path) -> None:
    plugin = import_package(newtown, "cpt_newtown").plugin
    assert check_plugin(plugin, slug="newtown") == []
    advice = plugin_advice(plugin, slug="newtown")
    fields = {item.split(":")[0] for item in advice}
    assert {"plugin 'newtown', hook strategy_for_council, field title",
            "plugin 'newtown', hook pledges_for_council, field items[0].actions[0].wording",
            "plugin 'newtown', hook panels_for_council, field [0].seats[0].role",
            "plugin 'newtown', hook review_cycles_for_council, field [0].subject"} <= fields
    data = tomllib.loads((newtown / "cpt_newtown" / "council.toml").read_text())
    assert data["council"]["name"].startswith("Replace with")
    assert data["strategy"]["title"].startswith("Replace with")


def test_a_slug_with_underscores_names_the_folder_with_dashes(tmp_path: Path) -> None:
    assert new_plugin("new_town", "--dir", str(tmp_path))[0] == 0
    assert (tmp_path / "cpt-new-town" / "cpt_new_town" / "council.toml").is_file()
    project = tomllib.loads((tmp_path / "cpt-new-town" / "pyproject.toml").read_text())
    assert project["project"]["entry-points"]["corporate_parenting"] == {
        "new_town": "cpt_new_town:plugin"}


@pytest.mark.parametrize("slug", ["Newtown", "new-town", "1town", "new town", ""])
def test_an_invalid_slug_is_refused(slug: str, tmp_path: Path) -> None:
    code, output = new_plugin(slug, "--dir", str(tmp_path))
    assert code == 2
    assert (f"Error: Invalid value for SLUG: {slug!r} is not a valid council slug: Use "
            "lower-case letters a-z, digits and underscores, starting with a letter. For "
            "example: newtown, isle_of_wight.") in output
    assert list(tmp_path.iterdir()) == []


def test_an_existing_folder_is_refused(newtown: Path) -> None:
    (newtown / "cpt_newtown" / "council.toml").write_text("# mine")
    code, output = new_plugin("newtown", "--dir", str(newtown.parent))
    assert code == 2
    assert f"Error: {newtown} already exists: choose another --dir, or remove it" in output
    assert (newtown / "cpt_newtown" / "council.toml").read_text() == "# mine"


def test_it_installs_with_pip_and_its_own_tests_pass(newtown: Path, tmp_path: Path) -> None:
    """pip builds and installs it (into a folder of its own, not the virtualenv); its
    tests/test_contract.py finds it through the installed entry point and passes."""
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--no-build-isolation", "--no-input", "--target", str(site), str(newtown)],
                   check=True, capture_output=True, timeout=120)
    assert (site / "cpt_newtown" / "council.toml").is_file()
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=newtown, env={**os.environ, "PYTHONPATH": str(site)}, capture_output=True,
        text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "8 passed" in run.stdout
    assert "PluginAdvice" in run.stdout  # the placeholders are still to replace
