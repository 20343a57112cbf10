"""CouncilFile: a council plugin from a TOML data file, one table per definition hook."""

from __future__ import annotations

from pathlib import Path

import pytest

from core import CouncilFile, hookimpl
from core.plugins import DEFINITION_HOOKS, make_plugin_host
from core.plugins.datafile import TABLES, CouncilFileError, repeated_key
from tests.core.fakes import DictCouncil, small_council


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "council.toml"
    path.write_text(text)
    return path


def test_a_data_file_answers_only_for_its_own_council(tmp_path) -> None:
    plugin = CouncilFile(write(
        tmp_path, '[council]\nslug = "newtown"\nname = "Newtown Council"\n'
        '[[priorities]]\nkey = "p1"\nnumber = 1\ntitle = "Safe homes"\n'))
    assert plugin.register_councils() == [{"slug": "newtown", "name": "Newtown Council"}]
    assert plugin.priorities_for_council(council="newtown")[0]["title"] == "Safe homes"
    assert plugin.priorities_for_council(council="elsewhere") is None
    assert plugin.strategy_for_council(council="newtown") is None


def test_every_definition_hook_reads_the_table_named_for_it() -> None:
    assert {"council", *(hook.part for hook in DEFINITION_HOOKS)} == TABLES
    data = small_council()
    plugin = DictCouncil(data)
    for hook in DEFINITION_HOOKS:
        assert getattr(plugin, hook.name)(council="testshire") == data.get(hook.part)
        assert getattr(plugin, hook.name)(council="elsewhere") is None


def test_an_unreadable_file_is_reported_against_the_plugin(tmp_path) -> None:
    host = make_plugin_host({"broken": CouncilFile(write(tmp_path, '[council\nslug = "x"'))})
    [error] = host.errors
    assert error.plugin == "broken" and error.hook == "register_councils"
    assert "CouncilFileError" in error.message and "council.toml" in error.message


def test_a_key_given_twice_is_named_once(tmp_path) -> None:
    path = write(tmp_path, '[council]\nslug = "x"\nname = "X"\n[[panels]]\nkey = "a"\n'
                 'name = "A"\nname = "B"\n')
    with pytest.raises(CouncilFileError) as error:
        CouncilFile(path).register_councils()
    assert str(error.value) == (f"{path}, line 7: the key 'name' is given twice in the same "
                                "table; keep one")


def test_repeated_keys_are_found_per_table() -> None:
    assert repeated_key('[[p]]\nkey = 1\n[[p]]\nkey = 2\n') is None
    assert repeated_key('[a]\nx = 1\n[b]\nx = 1\n') is None
    assert repeated_key('[a]\nx.y = 1\nx . y = 2\n') == (3, "x.y")


def test_an_unknown_table_is_refused_with_the_nearest_name(tmp_path) -> None:
    path = write(tmp_path, '[council]\nslug = "x"\nname = "X"\n[[pledge]]\nkey = "p"\n')
    with pytest.raises(CouncilFileError, match=r"unknown table\(s\) pledge; did you mean "
                       r"pledges\? expected some of council, indicators, panels"):
        CouncilFile(path).register_councils()


def test_an_override_without_hookimpl_is_reported_not_dropped() -> None:
    class Forgetful(DictCouncil):
        def panels_for_council(self, council: str) -> list:  # no @hookimpl
            return []

    host = make_plugin_host({"testshire": Forgetful(small_council())})
    [error] = host.errors
    assert (error.hook, error.rule) == ("panels_for_council", "hooks")
    assert error.message.startswith("named like a hook but not marked @hookimpl")
    assert host.failing("testshire", plugin="testshire") == [error]


def test_an_override_with_hookimpl_is_used() -> None:
    class Quieter(DictCouncil):
        @hookimpl
        def panels_for_council(self, council: str) -> list:
            return []

    host = make_plugin_host({"testshire": Quieter(small_council())})
    assert host.errors == [] and host.definitions["testshire"].panels == []
