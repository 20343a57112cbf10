"""CouncilFile: a council plugin from a TOML data file."""

from __future__ import annotations

import datetime as dt

import pytest

from core.content import CouncilFile
from core.content.datafile import CouncilFileError
from core.plugins import make_plugin_host


def test_a_data_file_answers_only_for_its_own_council(tmp_path) -> None:
    path = tmp_path / "council.toml"
    path.write_text('[council]\nslug = "newtown"\nname = "Newtown Council"\n'
                    '[[priorities]]\nkey = "p1"\nnumber = 1\ntitle = "Safe homes"\n'
                    '[[panels]]\nkey = "panel"\nname = "Panel"\n'
                    '[[panels.standing_items]]\nkey = "voice"\ntitle = "Voice"\n')
    plugin = CouncilFile(path)
    assert plugin.register_councils() == [{"slug": "newtown", "name": "Newtown Council"}]
    assert plugin.priorities_for_council(council="newtown")[0]["title"] == "Safe homes"
    assert plugin.priorities_for_council(council="elsewhere") is None
    assert plugin.strategy_for_council(council="newtown") is None
    when = dt.date(2026, 1, 1)
    assert plugin.standing_agenda_items(council="newtown", panel="panel", meeting_date=when) == [
        {"key": "voice", "title": "Voice"}]
    assert plugin.standing_agenda_items(council="newtown", panel="other",
                                        meeting_date=when) is None


def test_an_unreadable_file_is_reported_against_the_plugin(tmp_path) -> None:
    path = tmp_path / "council.toml"
    path.write_text('[council\nslug = "broken"')
    host = make_plugin_host({"broken": CouncilFile(path)})
    [error] = host.errors
    assert error.plugin == "broken" and error.hook == "register_councils"
    assert "CouncilFileError" in error.message and "council.toml" in error.message


def test_an_unknown_table_is_refused(tmp_path) -> None:
    path = tmp_path / "council.toml"
    path.write_text('[council]\nslug = "x"\nname = "X"\n[[pledge]]\nkey = "p"\n')
    with pytest.raises(CouncilFileError, match="unknown table\\(s\\) pledge"):
        CouncilFile(path).register_councils()
