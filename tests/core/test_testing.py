"""core.testing: the plugin contract passes the reference plugins and says what to fix."""

from __future__ import annotations

from importlib.metadata import entry_points
from typing import Any

import pytest

from core import hookimpl
from core.testing import (
    CHECKS,
    PluginAdvice,
    assert_plugin_contract,
    check_plugin,
    contract_tests,
    plugin_advice,
)
from tests.core.fakes import DictCouncil, RaisingPlugin, small_council

REFERENCE = sorted(entry.name for entry in entry_points(group="corporate_parenting")
                   if entry.value.startswith("plugins."))


class BrokenPlugin(DictCouncil):
    """Wrong in every way a developer might get wrong first."""

    def __init__(self) -> None:
        data = small_council("brokenshire")
        data["pledges"]["items"][0]["actions"][0]["number"] = "first"
        super().__init__(data)

    @hookimpl
    def strategy_for_councill(self, council: str) -> None:
        return None

    @hookimpl
    def partners_for_council(self, council: str) -> list[dict[str, Any]]:
        return [{"key": "partnership", "name": "The partnership"}]

    @hookimpl
    def review_cycles_for_council(self, councl: str) -> list[dict[str, Any]]:
        return []


def test_the_four_reference_plugins_keep_the_contract() -> None:
    assert REFERENCE == ["bracknell_forest", "herefordshire", "isle_of_wight", "staffordshire"]
    for entry in entry_points(group="corporate_parenting"):
        if entry.name in REFERENCE:
            assert check_plugin(entry.load(), slug=entry.name, entry_point=entry.name) == []
            assert plugin_advice(entry.load(), slug=entry.name) == []


def test_a_broken_plugin_is_told_what_to_fix() -> None:
    problems = check_plugin(BrokenPlugin(), slug="brokenshire", entry_point="broken")
    assert problems == [
        "plugin 'brokenshire', hook review_cycles_for_council: parameter(s) councl are not the "
        "hook's; it takes council: spell them as core.hookspecs does",
        "plugin 'brokenshire', hook strategy_for_councill: no such hook in core.hookspecs; "
        "did you mean strategy_for_council? rename it to one of the hooks listed in "
        "docs/plugins.md",
        "plugin 'brokenshire', hook register_councils, field slug: council slug 'brokenshire' "
        "differs from the entry-point name 'broken'; they must be equal: rename the entry "
        "point in pyproject.toml or the slug",
    ]
    # Once its hooks are right, the core reads its answers and asks about other councils.
    fixed = Greedy(small_council("brokenshire"))
    fixed.data["pledges"]["items"][0]["actions"][0]["number"] = "first"
    assert check_plugin(fixed, slug="brokenshire") == [
        "plugin 'brokenshire', hook pledges_for_council, field items[0].actions[0].number: "
        "Not a valid integer: got the text 'first'; write a whole number without quotes."]
    fixed.data["pledges"]["items"][0]["actions"][0]["number"] = 1
    assert check_plugin(fixed, slug="brokenshire") == [
        "plugin 'brokenshire', hook partners_for_council: (council='not_brokenshire') returned "
        "list; a plugin must return None for councils it does not own: check "
        "`council == 'brokenshire'` first (CouncilFile does this for you)"]


def test_a_plugin_answering_only_for_another_council_is_caught() -> None:
    class CopiedFromHerefordshire(DictCouncil):
        @hookimpl
        def priorities_for_council(self, council: str) -> list[dict[str, Any]] | None:
            return self.data["priorities"] if council == "herefordshire" else None

    assert check_plugin(CopiedFromHerefordshire(small_council("newtown")), slug="newtown") == [
        "plugin 'newtown', hook priorities_for_council: (council='herefordshire') returned "
        "list; a plugin must return None for councils it does not own: check "
        "`council == 'newtown'` first (CouncilFile does this for you)"]


def test_assert_plugin_contract_lists_every_problem() -> None:
    with pytest.raises(AssertionError) as error:
        assert_plugin_contract(BrokenPlugin(), slug="brokenshire")
    message = str(error.value)
    assert message.startswith("plugin 'brokenshire' breaks the plugin contract:\n- ")
    assert message.count("\n- ") == 2
    assert_plugin_contract(DictCouncil(small_council("fine")), slug="fine")


def test_a_plugin_registering_another_council_is_told_which_slug() -> None:
    assert check_plugin(DictCouncil(small_council("newtown")), slug="oldtown") == [
        "plugin 'oldtown', hook register_councils, field slug: registered ['newtown']; a "
        "plugin registers exactly one council, with slug 'oldtown': set slug = \"oldtown\" "
        "in the [council] table"]
    data = small_council()
    del data["council"]
    assert check_plugin(DictCouncil(data), slug="testshire") == [
        "plugin 'testshire', hook register_councils, field slug: registered no council; a "
        "plugin registers exactly one council, with slug 'testshire': set slug = "
        "\"testshire\" in the [council] table"]


def test_invalid_council_data_names_the_field() -> None:
    data = small_council(council={"slug": "testshire", "name": "T", "colour": "red"})
    assert check_plugin(DictCouncil(data), slug="testshire") == [
        "plugin 'testshire', hook register_councils, field [0].colour: Give the colour as "
        "#rrggbb."]


def test_keys_are_checked_as_the_core_checks_them() -> None:
    data = small_council(priorities=[{"key": "priority-1", "number": 1, "title": "A"},
                                     {"key": "priority-1", "number": 2, "title": "B"}])
    assert check_plugin(DictCouncil(data), slug="testshire") == [
        "plugin 'testshire', hook priorities_for_council, field [1].key: key 'priority-1' is "
        "used twice"]


def test_a_hook_that_raises_is_reported_where_it_raised() -> None:
    (problem,) = check_plugin(RaisingPlugin(), slug="raising")
    assert problem.startswith("plugin 'raising', hook strategy_for_council: raised "
                              "RuntimeError: the data server is down (at ")
    assert "tests/core/fakes.py:" in problem


def test_the_entry_point_must_be_installed_and_load_the_plugin() -> None:
    assert check_plugin(DictCouncil(small_council("newtown")), slug="newtown",
                        entry_point="newtown") == [
        "no entry point 'newtown' is installed in the group 'corporate_parenting': declare it "
        "in pyproject.toml ([project.entry-points.corporate_parenting] newtown = "
        "\"your_package:plugin\") and install the package (pip install -e .)"]
    (problem,) = check_plugin(DictCouncil(small_council("herefordshire")), slug="herefordshire",
                              entry_point="herefordshire")
    assert problem.startswith("the entry point herefordshire = 'plugins.herefordshire:plugin' "
                              "loads CouncilFile(")
    assert problem.endswith("not the plugin under test (CouncilFile('<dict>')): point it at "
                            "the plugin object")


def test_a_plugin_with_no_hooks_is_told_how_to_mark_them() -> None:
    class Unmarked:
        def register_councils(self) -> list[dict[str, str]]:
            return [{"slug": "unmarked", "name": "Unmarked Council"}]

    assert check_plugin(Unmarked(), slug="unmarked")[0] == (
        "plugin 'unmarked', hook register_councils: named like a hook but not marked "
        "@hookimpl, so it would be ignored: add @hookimpl (from core import hookimpl) above it")
    assert check_plugin(object(), slug="empty")[0] == (
        "plugin 'empty', hook (none): the plugin implements no hooks: mark each hook function "
        "or method with @hookimpl (from core import hookimpl), or use core.CouncilFile")


def test_what_pluggy_refuses_is_a_hook_problem() -> None:
    class Wrapper(DictCouncil):
        @hookimpl(wrapper=True)
        def strategy_for_council(self, council: str) -> Any:  # not a generator
            return None

    (problem,) = check_plugin(Wrapper(small_council()), slug="testshire")
    assert problem.startswith("plugin 'testshire', hook (registration): ")
    assert "not a generator function" in problem


def test_placeholder_text_is_advice_not_a_failure() -> None:
    data = small_council(strategy={"key": "strategy", "title": "Replace with the title"})
    plugin = DictCouncil(data)
    assert check_plugin(plugin, slug="testshire") == []
    assert plugin_advice(plugin, slug="testshire") == [
        "plugin 'testshire', hook strategy_for_council, field title: still holds placeholder "
        "text 'Replace with the title'"]


# --- the pytest form -----------------------------------------------------------------------

#: The one line a plugin's own test suite needs, here for a reference plugin.
test_contract = contract_tests("isle_of_wight")


def _checks(test: Any) -> list[str]:
    (mark,) = test.pytestmark
    return list(mark.args[1])


def test_the_pytest_form_has_one_test_per_check() -> None:
    assert _checks(test_contract) == [check.name for check in CHECKS] + ["advice"]


class Greedy(DictCouncil):
    """Answers for every council."""

    @hookimpl
    def partners_for_council(self, council: str) -> list[dict[str, Any]]:
        return [{"key": "partnership", "name": "The partnership"}]


def test_the_pytest_form_fails_with_what_to_fix() -> None:
    test = contract_tests("testshire", Greedy(small_council()), entry_point=False)
    for check in ("hooks", "registers", "entry_point", "answers", "keys"):
        test(check=check)
    with pytest.raises(pytest.fail.Exception) as failure:
        test(check="other_councils")
    assert str(failure.value) == (
        "contract rule broken (every hook returns None for other councils):\n"
        "- plugin 'testshire', hook partners_for_council: (council='not_testshire') "
        "returned list; a plugin must return None for councils it does not own: check "
        "`council == 'testshire'` first (CouncilFile does this for you)")
    with pytest.raises(pytest.skip.Exception, match="fix the problems the other contract tests "
                       "report first"):
        test(check="core_serves_it")


def test_the_pytest_form_warns_of_placeholders() -> None:
    plugin = DictCouncil(small_council(strategy={"key": "s", "title": "Replace with it"}))
    test = contract_tests("testshire", plugin, entry_point=False)
    with pytest.warns(PluginAdvice, match=r"1 text\(s\) to replace with the council's own "
                      r"words:\n- plugin 'testshire', hook strategy_for_council, field title"):
        test(check="advice")
    test(check="core_serves_it")


def test_the_pytest_form_asks_for_the_package_to_be_installed() -> None:
    test = contract_tests("newtown")
    with pytest.raises(pytest.fail.Exception, match=r"no entry point 'newtown' is installed in "
                       r"the group 'corporate_parenting': install the plugin package first "
                       r"\(pip install -e \.\)"):
        test(check="answers")
