"""The plugin host: loading, validating, attributing failures and leaving plugins out."""

from __future__ import annotations

import datetime as dt
import json
from importlib.metadata import EntryPoint

import pytest

from core import hookimpl
from core import plugins as plugins_module
from core.content import MembershipFinding, MembershipView, Seat, StandingItem
from core.plugins import PluginError, make_plugin_host
from tests.core.fakes import (
    BadDataPlugin,
    DictCouncil,
    DuplicateSlugPlugin,
    ForeignAnswerPlugin,
    MisspeltHookPlugin,
    RaisingPlugin,
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


def test_a_plugin_that_raises_is_named_and_left_out() -> None:
    host = make_plugin_host({"raising": RaisingPlugin(), "testshire": DictCouncil(small_council())})
    error = only_error(host, "raising")
    assert error.hook == "strategy_for_council"
    assert "RuntimeError: the data server is down" in error.message
    assert host.infos["raising"].status == "disabled"
    assert set(host.councils) == {"testshire"}


def test_bad_data_is_reported_with_the_field_path() -> None:
    host = make_plugin_host({"baddata": BadDataPlugin(),
                             "testshire": DictCouncil(small_council())})
    error = only_error(host, "baddata")
    assert error.hook == "pledges_for_council"
    assert error.field == "items[1].actions[0].number"
    assert error.message == "Not a valid integer."
    assert str(error) == ("plugin 'baddata', hook pledges_for_council, field "
                          "items[1].actions[0].number: Not a valid integer.")
    assert set(host.councils) == {"testshire"}


def test_a_slug_already_taken_names_both_plugins() -> None:
    host = make_plugin_host({"first": DictCouncil(small_council("herefordshire")),
                             "second": DuplicateSlugPlugin("herefordshire")})
    error = only_error(host, "second")
    assert error.hook == "register_councils"
    assert error.field == "slug"
    assert "'herefordshire' is already registered by plugin 'first'" in error.message
    assert host.owners == {"herefordshire": "first"}


def test_an_unknown_hook_is_reported() -> None:
    host = make_plugin_host({"misspelt": MisspeltHookPlugin()})
    error = only_error(host, "misspelt")
    assert error.hook == "strategy_for_councill"
    assert "no such hook" in error.message
    assert host.councils == {}


def test_a_plugin_answering_for_another_council_is_left_out() -> None:
    host = make_plugin_host({"testshire": DictCouncil(small_council()),
                             "meddler": ForeignAnswerPlugin()})
    error = only_error(host, "meddler")
    assert error.hook == "priorities_for_council"
    assert error.message == ("answered for council 'testshire', which plugin 'testshire' "
                             "defines; return None for other councils")
    definition = host.definitions()["testshire"]
    assert [p.key for p in definition.priorities] == ["priority-1", "priority-2"]


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
    monkeypatch.setattr(plugins_module, "entry_points", lambda group: [broken, good])
    host = make_plugin_host()
    error = only_error(host, "broken")
    assert error.hook == "(import)"
    assert "ModuleNotFoundError" in error.message
    assert set(host.councils) == {"herefordshire"}


def test_an_entry_point_slug_must_equal_its_name(monkeypatch) -> None:
    misnamed = EntryPoint("hereford", "plugins.herefordshire:plugin", "corporate_parenting")
    monkeypatch.setattr(plugins_module, "entry_points", lambda group: [misnamed])
    host = make_plugin_host()
    error = only_error(host, "hereford")
    assert "differs from the entry-point name 'hereford'" in error.message
    assert host.councils == {}


def test_defaults_answer_when_a_council_says_nothing() -> None:
    host = make_plugin_host({"bare": DictCouncil({"council": {"slug": "bare", "name": "Bare"}})})
    definition = host.definitions()["bare"]
    assert definition.strategy is None
    assert definition.priorities == [] and definition.panels == []
    assert definition.pledges.items == [] and definition.pledges.declared is None
    assert definition.vocabulary.pledge == "pledge"
    assert definition.vocabulary.panel == "panel"


def test_definitions_are_validated_into_shapes() -> None:
    definition = make_plugin_host({"t": DictCouncil(small_council())}).definitions()["testshire"]
    action = definition.pledges.items[0].actions[1]
    assert action.wording is None
    assert action.timeline.every_months == 12
    assert definition.pledges.items[0].actions[0].timeline.due == dt.date(2025, 9, 30)
    assert definition.priorities[1].principles == ["b", "c"]


def test_standing_agenda_items_come_from_the_owning_plugin() -> None:
    host = make_plugin_host({"t": DictCouncil(small_council())})
    items = host.call_first_validated(
        "standing_agenda_items", StandingItem, many=True,
        council="testshire", panel="panel", meeting_date=dt.date(2026, 1, 1))
    assert [item.title for item in items] == ["Young people's voice"]
    assert host.call_first_validated(
        "standing_agenda_items", StandingItem, many=True,
        council="elsewhere", panel="panel", meeting_date=dt.date(2026, 1, 1)) == []


def test_default_membership_checks_warn_about_empty_chair_and_young_people_seats() -> None:
    host = make_plugin_host({"t": DictCouncil(small_council())})
    seats = [Seat(key="chair", role="Cabinet member", chair=True),
             Seat(key="yp", role="Children in care council", young_people=True, count=1)]
    answers = host.call_all("check_panel_membership", council="testshire", panel="panel",
                            seats=seats, memberships=[])
    messages = [f.message for _, findings in answers for f in findings]
    assert messages == ["The chair's seat (Cabinet member) is empty.",
                        "No one holds the young people's seat (Children in care council)."]
    full = [MembershipView(seat="chair", person="A"), MembershipView(seat="yp", person="B"),
            MembershipView(seat="yp", person="C")]
    answers = host.call_all("check_panel_membership", council="testshire", panel="panel",
                            seats=seats, memberships=full)
    messages = [f.message for _, findings in answers for f in findings]
    assert messages == ["Children in care council has 2 members for 1 places."]


def test_plugin_info_as_json_is_serialisable() -> None:
    host = make_plugin_host({"raising": RaisingPlugin()})
    host.definitions()
    data = json.loads(json.dumps([info.as_dict() for info in host.infos.values()]))
    raising = next(item for item in data if item["name"] == "raising")
    assert raising["status"] == "disabled"
    assert raising["errors"][0]["hook"] == "strategy_for_council"


@pytest.mark.parametrize("broken", [RaisingPlugin, BadDataPlugin, DuplicateSlugPlugin])
def test_the_reference_councils_keep_serving_beside_a_broken_plugin(make_app, broken) -> None:
    plugins = {ep.name: ep.load() for ep in plugins_module.entry_points(
        group="corporate_parenting")}
    plugins["broken"] = broken()
    app = make_app(plugins)
    client = app.test_client()
    for slug in REFERENCE:
        assert client.get(f"/{slug}/").status_code == 200
    home = client.get("/").get_data(as_text=True)
    assert all(app.extensions["cpt_plugins"].councils[s].name in home for s in REFERENCE)
    assert [e.plugin for e in app.extensions["cpt_plugins"].errors] == ["broken"]


def test_keys_starting_local_are_reserved_for_administrators() -> None:
    data = small_council()
    data["pledges"]["items"][0]["key"] = "local-1"
    host = make_plugin_host({"testshire": DictCouncil(data)})
    [error] = host.errors
    assert (error.hook, error.field) == ("pledges_for_council", "items[0].key")
    assert "reserved for items an administrator adds" in error.message


def test_a_valid_answer_for_a_council_another_plugin_owns_is_refused() -> None:
    class Usurper:
        @hookimpl(tryfirst=True)
        def priorities_for_council(self, council: str) -> list[dict]:
            return [{"key": "p", "number": 1, "title": "Not yours"}]

    host = make_plugin_host({"testshire": DictCouncil(small_council()), "usurper": Usurper()})
    error = only_error(host, "usurper")
    assert error.hook == "priorities_for_council"
    assert "answered for council 'testshire', which plugin 'testshire' defines" in error.message
    titles = [p.title for p in host.definitions()["testshire"].priorities]
    assert titles == ["Be safe", "Be heard"]


def test_a_slug_given_twice_in_one_answer_is_refused() -> None:
    class Twice:
        @hookimpl
        def register_councils(self) -> list[dict]:
            return [{"slug": "twice", "name": "One"}, {"slug": "twice", "name": "Two"}]

    host = make_plugin_host({"twice": Twice()})
    error = only_error(host, "twice")
    assert error.message == "council slug(s) twice given more than once"
    assert host.councils == {}


def test_a_behaviour_hook_answer_that_does_not_fit_is_reported() -> None:
    class Careless(DictCouncil):
        @hookimpl
        def check_panel_membership(self, council, panel, seats, memberships):
            return [{"level": "alarm", "message": "Too few"}] if council == "testshire" else None

    host = make_plugin_host({"testshire": Careless(small_council())})
    findings = host.call_all_validated("check_panel_membership", MembershipFinding,
                                       council="testshire", panel="panel", seats=[],
                                       memberships=[])
    assert findings == []  # the default has nothing to say about no seats
    error = only_error(host, "testshire")
    assert (error.hook, error.field) == ("check_panel_membership", "[0].level")
    assert error.message == "Must be one of: warning, error."
