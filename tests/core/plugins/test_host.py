"""The plugin host: loading once, validating strictly, refusing what fails, and clashes."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import json
from importlib.metadata import EntryPoint
from typing import Any

import pytest

from core import hookimpl
from core.content import MembershipFinding, MembershipView, Seat
from core.plugins import PluginError, Rule, make_plugin_host
from core.plugins import host as host_module
from tests.core.fakes import (
    BadDataPlugin,
    DictCouncil,
    DuplicateSlugPlugin,
    ForeignAnswerPlugin,
    MisspeltHookPlugin,
    RaisingPlugin,
    entry_point,
    small_council,
)

REFERENCE = {"bracknell_forest", "herefordshire", "isle_of_wight", "staffordshire"}


def only_error(host, plugin: str) -> PluginError:
    errors = [error for error in host.errors if error.plugin == plugin]
    assert len(errors) == 1, errors
    return errors[0]


def test_the_four_reference_councils_load_from_entry_points() -> None:
    host = make_plugin_host()
    assert set(host.councils) == REFERENCE
    assert host.errors == []
    for slug in REFERENCE:
        info = host.infos[slug]
        assert info.status == "active"
        assert info.councils == [slug]
        assert info.version
        assert "register_councils" in info.hooks
    assert host.infos["core.defaults"].builtin


def test_a_plugin_that_raises_is_named_and_refused() -> None:
    host = make_plugin_host({"raising": RaisingPlugin(), "testshire": DictCouncil(small_council())})
    error = only_error(host, "raising")
    assert error.hook == "strategy_for_council"
    assert "RuntimeError: the data server is down" in error.message
    assert host.infos["raising"].status == "refused"
    assert set(host.councils) == {"testshire"}
    assert host.failed == {"raising": [error]}


def test_bad_data_is_reported_with_the_field_path() -> None:
    host = make_plugin_host({"baddata": BadDataPlugin(),
                             "testshire": DictCouncil(small_council())})
    error = only_error(host, "baddata")
    assert error.hook == "pledges_for_council"
    assert error.field == "items[1].actions[0].number"
    assert error.message == ("Not a valid integer: got the text 'first'; write a whole number "
                             "without quotes.")
    assert str(error) == ("plugin 'baddata', hook pledges_for_council, field "
                          f"items[1].actions[0].number: {error.message}")
    assert set(host.councils) == {"testshire"}


@pytest.mark.parametrize(("field", "value", "message"), [
    ("count", "8", "Not a valid integer: got the text '8'; write a whole number without "
     "quotes."),
    ("count", True, "Not a valid integer: got the boolean true; write a whole number without "
     "quotes."),
    ("chair", "yes", "Not a valid boolean: got the text 'yes'; write true or false without "
     "quotes."),
    ("chair", 1, "Not a valid boolean: got the number 1; write true or false without quotes."),
])
def test_a_value_of_the_wrong_type_is_refused_not_coerced(field, value, message) -> None:
    data = small_council()
    data["panels"][0]["seats"][0][field] = value
    error = only_error(make_plugin_host({"testshire": DictCouncil(data)}), "testshire")
    assert (error.hook, error.field, error.message) == (
        "panels_for_council", f"[0].seats[0].{field}", message)


def test_an_unknown_field_names_the_fields_expected_and_the_nearest() -> None:
    data = small_council()
    data["panels"][0]["seats"][0]["cuont"] = 2
    error = only_error(make_plugin_host({"testshire": DictCouncil(data)}), "testshire")
    assert error.field == "[0].seats[0].cuont"
    assert error.message == ("Unknown field. Did you mean 'count'? Expected some of: chair, "
                             "count, key, partner, role, voting, young_people.")


def test_two_plugins_claiming_one_slug_are_both_refused() -> None:
    host = make_plugin_host({"first": DictCouncil(small_council("herefordshire")),
                             "second": DuplicateSlugPlugin("herefordshire")})
    first, second = only_error(host, "first"), only_error(host, "second")
    assert first.message == second.message == (
        "council 'herefordshire' is claimed by first and second; both are refused and the "
        "council keeps its last definitions: uninstall one of them")
    assert (first.hook, first.field, first.rule) == ("register_councils", "slug", "registers")
    assert host.owners == {} and host.councils == {}
    assert host.failed == {"herefordshire": [first, second]}


def test_two_distributions_installing_one_entry_point_name_are_both_refused(monkeypatch
                                                                             ) -> None:
    reference = entry_point("herefordshire", "plugins.herefordshire:plugin",
                            "corporate-parenting-toolkit", "0.1.0")
    rival = entry_point("herefordshire", "tests.core.fakes:HEREFORDSHIRE_RIVAL",
                        "rival-plugin", "2.0")
    other = entry_point("staffordshire", "plugins.staffordshire:plugin")
    monkeypatch.setattr(host_module, "entry_points",
                        lambda group: [reference, rival, other])
    host = make_plugin_host()
    refused = [info for info in host.infos.values() if info.errors]
    assert [info.label for info in refused] == [
        "herefordshire (corporate-parenting-toolkit)", "herefordshire (rival-plugin)"]
    [error] = host.failed["herefordshire"]
    assert error.message == (
        "the entry point 'herefordshire' is installed by corporate-parenting-toolkit 0.1.0 and "
        "rival-plugin 2.0; both are refused and the council keeps its last definitions: "
        "uninstall one of them")
    assert set(host.councils) == {"staffordshire"}


def test_an_unknown_hook_is_reported_with_the_nearest_name() -> None:
    host = make_plugin_host({"misspelt": MisspeltHookPlugin()})
    error = only_error(host, "misspelt")
    assert error.hook == "strategy_for_councill"
    assert error.message == ("no such hook in core.hookspecs; did you mean strategy_for_council? "
                             "rename it to one of the hooks listed in docs/plugins.md")
    assert host.councils == {}


def test_only_the_owner_is_asked_about_its_council() -> None:
    host = make_plugin_host({"testshire": DictCouncil(small_council()),
                             "meddler": ForeignAnswerPlugin()})
    assert host.errors == []
    definition = host.definitions["testshire"]
    assert [p.key for p in definition.priorities] == ["priority-1", "priority-2"]
    [error] = host.foreign_answers("meddler", ["testshire"])
    assert error.rule == Rule.OTHER_COUNCILS
    assert error.message.startswith("(council='testshire') returned list; a plugin must return "
                                    "None for councils it does not own")


def test_duplicate_keys_and_dangling_references_are_errors() -> None:
    data = small_council("dupes")
    data["priorities"][1]["key"] = "priority-1"
    data["protocols"] = [{"key": "p", "title": "Protocol", "parties": ["panel", "nobody"],
                          "review_cycle": "no-such-cycle"}]
    host = make_plugin_host({"dupes": DictCouncil(data)})
    messages = {(e.hook, e.field): e.message for e in host.errors}
    assert messages[("priorities_for_council", "[1].key")] == "key 'priority-1' is used twice"
    assert "'nobody' is neither a panel nor a partner body key" in messages[
        ("protocols_for_council", "[0].parties[1]")]
    assert "not a review cycle key" in messages[("protocols_for_council", "[0].review_cycle")]
    assert host.councils == {}


def test_an_entry_point_that_fails_to_import_is_reported(monkeypatch) -> None:
    broken = EntryPoint("broken", "tests.core.no_such_module:plugin", "corporate_parenting")
    good = EntryPoint("herefordshire", "plugins.herefordshire:plugin", "corporate_parenting")
    monkeypatch.setattr(host_module, "entry_points", lambda group: [broken, good])
    host = make_plugin_host()
    error = only_error(host, "broken")
    assert error.hook == "(import)"
    assert "ModuleNotFoundError" in error.message
    assert set(host.councils) == {"herefordshire"}
    assert set(host.failed) == {"broken"}


def test_an_entry_point_slug_must_equal_its_name(monkeypatch) -> None:
    misnamed = EntryPoint("hereford", "plugins.herefordshire:plugin", "corporate_parenting")
    monkeypatch.setattr(host_module, "entry_points", lambda group: [misnamed])
    host = make_plugin_host()
    error = only_error(host, "hereford")
    assert "differs from the entry-point name 'hereford'" in error.message
    assert host.councils == {}


def test_defaults_answer_when_a_council_says_nothing() -> None:
    host = make_plugin_host({"bare": DictCouncil({"council": {"slug": "bare", "name": "Bare"}})})
    definition = host.definitions["bare"]
    assert definition.strategy is None
    assert definition.priorities == [] and definition.panels == []
    assert definition.pledges.items == [] and definition.pledges.declared is None
    assert definition.vocabulary.pledge == "pledge"
    assert definition.vocabulary.panel == "panel"


def test_definitions_are_loaded_once_and_validated_into_shapes() -> None:
    calls: list[str] = []

    class Counting(DictCouncil):
        @hookimpl
        def priorities_for_council(self, council: str) -> Any:
            calls.append(council)
            return super().priorities_for_council(council=council)

    host = make_plugin_host({"t": Counting(small_council())})
    definition = host.definitions["testshire"]
    assert host.definitions["testshire"] is definition and calls == ["testshire"]
    action = definition.pledges.items[0].actions[1]
    assert action.wording is None
    assert action.timeline.every_months == 12
    assert definition.pledges.items[0].actions[0].timeline.due == dt.date(2025, 9, 30)
    assert definition.priorities[1].principles == ["b", "c"]


def test_default_membership_checks_warn_about_empty_chair_and_young_people_seats() -> None:
    host = make_plugin_host({"t": DictCouncil(small_council())})
    seats = [Seat(key="chair", role="Cabinet member", chair=True),
             Seat(key="yp", role="Children in care council", young_people=True, count=1)]
    findings = host.behaviour("check_panel_membership", MembershipFinding, council="testshire",
                              panel="panel", seats=seats, memberships=[])
    assert [f.message for f in findings] == [
        "The chair's seat (Cabinet member) is empty.",
        "No one holds the young people's seat (Children in care council)."]
    full = [MembershipView(seat="chair", person="A"), MembershipView(seat="yp", person="B"),
            MembershipView(seat="yp", person="C")]
    findings = host.behaviour("check_panel_membership", MembershipFinding, council="testshire",
                              panel="panel", seats=seats, memberships=full)
    assert [f.message for f in findings] == [
        "Children in care council has 2 members for 1 places."]


def test_plugin_info_as_json_is_serialisable() -> None:
    host = make_plugin_host({"raising": RaisingPlugin()})
    data = json.loads(json.dumps([info.as_dict() for info in host.infos.values()]))
    raising = next(item for item in data if item["name"] == "raising")
    assert raising["status"] == "refused"
    assert raising["errors"][0]["hook"] == "strategy_for_council"


@pytest.mark.parametrize("broken", [RaisingPlugin, BadDataPlugin, DuplicateSlugPlugin])
def test_the_reference_councils_keep_serving_beside_a_broken_plugin(make_app, broken) -> None:
    plugins = {ep.name: ep.load() for ep in host_module.entry_points(
        group="corporate_parenting")}
    plugins["broken"] = broken()
    app = make_app(plugins)
    client = app.test_client()
    host = app.extensions["cpt_plugins"]
    serving = REFERENCE - set(host.failed)
    for slug in serving:
        assert client.get(f"/{slug}/").status_code == 200
    home = client.get("/").get_data(as_text=True)
    assert all(host.councils[s].name in home for s in serving)
    assert {e.plugin for e in host.errors} == (
        {"broken", "herefordshire"} if broken is DuplicateSlugPlugin else {"broken"})


def test_keys_starting_local_are_reserved_for_administrators() -> None:
    data = small_council()
    data["pledges"]["items"][0]["key"] = "local-1"
    host = make_plugin_host({"testshire": DictCouncil(data)})
    [error] = host.errors
    assert (error.hook, error.field) == ("pledges_for_council", "items[0].key")
    assert "reserved for items an administrator adds" in error.message


def test_a_slug_given_twice_in_one_answer_is_refused() -> None:
    class Twice:
        @hookimpl
        def register_councils(self) -> list[dict]:
            return [{"slug": "twice", "name": "One"}, {"slug": "twice", "name": "Two"}]

    host = make_plugin_host({"twice": Twice()})
    error = only_error(host, "twice")
    assert error.message == "council slug(s) twice given more than once"
    assert host.councils == {}


def test_a_behaviour_hook_that_fails_while_serving_is_counted_not_refused() -> None:
    class Careless(DictCouncil):
        @hookimpl
        def check_panel_membership(self, council, panel, seats, memberships):
            if panel == "raises":
                raise KeyError(panel)
            return [{"level": "alarm", "message": "Too few"}]

    host = make_plugin_host({"testshire": Careless(small_council())})
    findings = host.behaviour("check_panel_membership", MembershipFinding,
                              council="testshire", panel="panel", seats=[], memberships=[])
    assert findings == []  # the default has nothing to say about no seats
    info = host.infos["testshire"]
    assert (info.status, info.runtime_errors) == ("active", 1)
    error = info.last_runtime_error
    assert (error.hook, error.field, error.rule) == ("check_panel_membership", "[0].level",
                                                     "runtime")
    assert error.message == "Must be one of: warning, error."
    host.behaviour("check_panel_membership", MembershipFinding, council="testshire",
                   panel="raises", seats=[], memberships=[])
    assert info.runtime_errors == 2 and "KeyError" in info.last_runtime_error.message
    assert "testshire" in host.definitions


def test_every_hook_of_the_specs_is_a_definition_hook_or_called_by_the_host() -> None:
    from core.plugins import DEFINITION_HOOKS, SPECS

    assert set(SPECS) == {"register_councils", "check_panel_membership",
                          *(hook.name for hook in DEFINITION_HOOKS)}
    assert importlib.metadata  # the module the entry points come from
