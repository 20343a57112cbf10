"""docs/plugins.md keeps up with the code: every hook documented, tested and quoted faithfully."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest

from core import hookspecs

ROOT = Path(__file__).parent.parent
DOCS = ROOT / "docs" / "plugins.md"
GUIDE = DOCS.read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")

#: Every hookspec in core/hookspecs.py, by name (functions carrying pluggy's spec marker).
HOOKS: dict[str, Callable[..., object]] = {
    name: function
    for name, function in inspect.getmembers(hookspecs, inspect.isfunction)
    if hasattr(function, f"{hookspecs.PROJECT}_spec")
}

#: A fenced code block: its language and its text.
CODE_BLOCK = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)

#: A TOML excerpt quoted from a reference plugin: the file named by its first line, the rest.
EXCERPT = re.compile(r"^```toml\n# (plugins/\w+/council\.toml)\n(.*?)^```", re.S | re.M)


def signature_line(name: str, function: Callable[..., object]) -> str:
    """``def name(args) -> ret:`` as written in hookspecs.py, on one line.

    The module uses ``from __future__ import annotations``, so annotations are strings.
    """
    signature = inspect.signature(function)
    params = ", ".join(
        parameter.name if parameter.annotation is inspect.Parameter.empty
        else f"{parameter.name}: {parameter.annotation}"
        for parameter in signature.parameters.values()
    )
    return f"def {name}({params}) -> {signature.return_annotation}:"


def hook_section(name: str) -> str | None:
    """The text under ``### `name` `` up to the next heading of level 2 or 3."""
    match = re.search(rf"^### `{re.escape(name)}`[ \t]*\n(.*?)(?=^#{{2,3}} |\Z)", GUIDE,
                      re.S | re.M)
    return match[1] if match else None


def test_hookspecs_are_found() -> None:
    assert "register_councils" in HOOKS and "strategy_for_council" in HOOKS


@pytest.mark.parametrize("name", sorted(HOOKS))
def test_every_hook_is_documented_with_its_exact_signature(name: str) -> None:
    expected = signature_line(name, HOOKS[name])
    section = hook_section(name)
    assert section is not None, (
        f"docs/plugins.md has no section for hook {name!r}: add a heading '### `{name}`' "
        f"under '## 4. Hook reference', with its signature in a code block:\n{expected}")
    code_lines = {line.strip() for _, block in CODE_BLOCK.findall(section)
                  for line in block.splitlines()}
    assert expected in code_lines, (
        f"the section '### `{name}`' of docs/plugins.md does not give the hook's signature as "
        f"in core/hookspecs.py: add (or correct) this line in a code block:\n{expected}")


@cache
def _test_files() -> dict[Path, str]:
    return {path: path.read_text(encoding="utf-8")
            for path in sorted((ROOT / "tests").rglob("test_*.py"))
            if path.resolve() != Path(__file__).resolve()}


@pytest.mark.parametrize("name", sorted(HOOKS))
def test_every_hook_has_a_test(name: str) -> None:
    files = _test_files()
    named = [path for path, text in files.items()
             if re.search(rf"^def test_(?:\w+_)?{name}(?:_\w+)?\(", text, re.M)]
    assert named, (
        f"no test is named for hook {name!r}: write a test function called "
        f"test_{name}_... (in tests/core/plugins/test_hooks.py, say) that calls it")


def _normalised_lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines()]


def _contains(lines: list[str], excerpt: list[str]) -> bool:
    return any(lines[i:i + len(excerpt)] == excerpt for i in range(len(lines) - len(excerpt) + 1))


EXCERPTS = EXCERPT.findall(GUIDE)


def test_the_guide_quotes_the_reference_plugins() -> None:
    assert EXCERPTS, ("docs/plugins.md quotes no reference plugin: start a ```toml block with "
                      "a comment naming the file, e.g. '# plugins/herefordshire/council.toml'")


@pytest.mark.parametrize(("path", "excerpt"), EXCERPTS,
                         ids=[f"{path}:{text.splitlines()[0] if text.strip() else ''}"
                              for path, text in EXCERPTS])
def test_every_quoted_excerpt_is_in_the_file_it_names(path: str, excerpt: str) -> None:
    source = ROOT / path
    assert source.is_file(), f"docs/plugins.md quotes {path}, which does not exist"
    quoted = _normalised_lines(excerpt)
    while quoted and not quoted[-1]:
        quoted.pop()
    assert quoted, f"docs/plugins.md has an empty excerpt of {path}"
    assert _contains(_normalised_lines(source.read_text(encoding="utf-8")), quoted), (
        f"docs/plugins.md quotes lines that are not (or no longer) in {path}: copy them again "
        "from the file:\n" + "\n".join(quoted))


def test_the_readme_links_the_plugin_guide() -> None:
    assert re.search(r"\]\(docs/plugins\.md(#[^)]*)?\)", README), (
        "README.md does not link docs/plugins.md: add a link such as "
        "[docs/plugins.md](docs/plugins.md)")


# --- what issue 4 added: the contract tests, cpt new-plugin, a plugin's own assets -------------


def test_every_contract_test_is_documented() -> None:
    from core.testing import CHECKS

    for name in [check.name for check in CHECKS] + ["advice"]:
        assert f"| `test_contract[{name}]` |" in GUIDE, (
            f"docs/plugins.md does not describe the contract test {name!r}: add a row "
            f"'| `test_contract[{name}]` | ... |' to the table in section 6")


def test_the_documented_scaffold_is_what_cpt_new_plugin_writes(tmp_path: Path) -> None:
    from core.scaffold import write_plugin

    target = write_plugin("newtown", tmp_path)
    match = re.search(r"```python\n# tests/test_contract\.py\n(.*?)```", GUIDE, re.S)
    assert match, "docs/plugins.md does not show tests/test_contract.py"
    assert match[1] in (target / "tests" / "test_contract.py").read_text()
    files = sorted(str(path.relative_to(target)) for path in target.rglob("*")
                   if path.is_file())
    listing = GUIDE.split("$ cpt new-plugin newtown\n", 1)[1].split("```", 1)[0]
    assert [line.strip() for line in listing.splitlines()[1:]] == files
    assert "`cpt new-plugin SLUG [--dir DIR]`" in GUIDE


def test_the_guide_names_the_urls_and_template_names_of_plugin_assets() -> None:
    from core.plugins.assets import PREFIX, STATIC_URL

    assert f"`{STATIC_URL.replace('<path:filename>', '<path>')}`" in GUIDE
    assert f"`{PREFIX}/<slug>/<name>`" in GUIDE
    assert "## 8. Templates, static files and translations" in GUIDE


def test_the_readme_points_at_new_plugin_and_the_contract_tests() -> None:
    section = README.split("## Writing a council plugin", 1)[1]
    assert "`cpt new-plugin newtown`" in section and "`core.testing`" in section
    assert "| `cpt new-plugin SLUG [--dir DIR]` |" in README
