"""The README's promises: its commands exist and its plugin example loads."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from core.plugins import make_plugin_host
from tests.core.fakes import DictCouncil

README = (Path(__file__).parent.parent / "README.md").read_text()


def test_the_first_lines_give_the_run_and_test_commands() -> None:
    block = README.split("```bash\n", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.splitlines()]
    assert commands == ["scripts/dev run", "scripts/dev test"]
    assert README.index("```bash") < README.index("\n## ")
    ci = (Path(__file__).parent.parent / ".ci" / "run").read_text()
    assert "scripts/dev test" in ci


def test_the_plugin_example_loads_without_errors() -> None:
    blocks = re.findall(r"```toml\n(# newtown_cpt/council.toml\n.*?)```", README, re.S)
    assert len(blocks) == 1
    data = tomllib.loads(blocks[0])
    host = make_plugin_host({"newtown": DictCouncil(data)})
    assert host.errors == []
    definition = host.definitions["newtown"]
    assert definition.pledges.items[0].actions[0].timeline.text == "September 2026"
    assert definition.panels[0].seats[0].chair
