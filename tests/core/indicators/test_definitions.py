"""indicators_for_council: what the core makes of a council's indicators, and its errors."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from core.content import IndicatorSet, RagRule
from core.content.measures import BY_KEY, CLA_RELEASE, MEASURES, OUTCOMES_RELEASE
from core.extensions import db
from core.indicators.models import Indicator
from core.models import Council
from core.plugins import make_plugin_host
from tests.core.fakes import DictCouncil, small_council

OWN = {"key": "pep", "title": "Personal education plans on time", "unit": "percentage",
       "higher_is_better": True, "period": "quarter", "priorities": ["priority-1"],
       "pledges": ["pledge-2"], "source": "Virtual school"}
INDICATORS = {"adopt": [{"measure": "health-assessments", "pledges": ["pledge-1"],
                         "named_in": "Our plan, action 1.1"}],
              "items": [OWN], "rag": {"amber_within_percent": 5}}


def errors_of(indicators: dict[str, Any]) -> list[tuple[str, str, str | None, str]]:
    host = make_plugin_host({"testshire": DictCouncil(small_council(indicators=indicators))})
    return [(e.plugin, e.hook, e.field, e.message) for e in host.errors]


def test_indicators_for_council_adopts_drops_and_extends_the_default_set(make_app) -> None:
    host = make_plugin_host({"testshire": DictCouncil(small_council(indicators=INDICATORS))})
    assert host.errors == []
    indicators = host.definitions["testshire"].indicators
    assert [a.measure for a in indicators.adopt] == ["health-assessments"]
    assert indicators.items[0].unit == "percentage"
    assert indicators.rag == RagRule(amber_within_percent=5)
    silent = make_plugin_host({"testshire": DictCouncil(small_council())})
    assert silent.definitions["testshire"].indicators == IndicatorSet()  # none adopted

    app = make_app({"testshire": DictCouncil(small_council(indicators=INDICATORS)),
                    "elsewhere": DictCouncil(small_council("elsewhere"))})
    with app.app_context():
        rows = db.session.execute(
            select(Indicator.key, Indicator.title, Indicator.unit, Indicator.pledges,
                   Indicator.measure, Indicator.source, Indicator.named_in)
            .join(Council, Council.id == Indicator.council_id)
            .where(Council.slug == "testshire").order_by(Indicator.position)).all()
        assert [tuple(row) for row in rows] == [
            ("health-assessments", "Health assessments up to date", "percentage",
             ["pledge-1"], "health-assessments", OUTCOMES_RELEASE, "Our plan, action 1.1"),
            ("pep", OWN["title"], "percentage", ["pledge-2"], None, "Virtual school", None)]
        stored = dict(db.session.execute(select(Council.slug, Council.rag_rule)).all())
        assert stored == {"testshire": {"amber_within_percent": 5}, "elsewhere": None}


def test_errors_name_the_plugin_the_hook_and_the_field() -> None:
    hook = "indicators_for_council"
    assert errors_of({"adopt": [{"measure": "health-assesments"}]}) == [(
        "testshire", hook, "adopt[0].measure",
        "'health-assesments' is not a measure of the default set; did you mean "
        f"health-assessments? use one of {', '.join(BY_KEY)}")]
    assert errors_of({"items": [dict(OWN, unit="percent")]})[0][:3] == (
        "testshire", hook, "items[0].unit")
    assert errors_of({"items": [dict(OWN, higher_is_better="yes")]})[0][:3] == (
        "testshire", hook, "items[0].higher_is_better")
    assert errors_of({"items": [dict(OWN, pledges=["pledge-9"])]}) == [
        ("testshire", hook, "items[0].pledges[0]", "'pledge-9' is not a pledge key")]
    assert errors_of({"adopt": [{"measure": "missing", "priorities": ["nope"]}]}) == [
        ("testshire", hook, "adopt[0].priorities[0]", "'nope' is not a priority key")]
    assert errors_of({"adopt": [{"measure": "missing"}],
                      "items": [dict(OWN, key="missing")]}) == [
        ("testshire", hook, "items[0].key", "key 'missing' is an adopted measure's")]
    assert errors_of({"items": [OWN, OWN]}) == [
        ("testshire", hook, "items[1].key", "key 'pep' is used twice")]
    assert errors_of({"rag": {"amber_within_percent": 101}})[0][2] == "rag.amber_within_percent"


def test_every_measure_of_the_default_set_has_its_definition_and_release() -> None:
    assert len(MEASURES) == len(BY_KEY) == 9
    for measure in MEASURES:
        assert measure.definition and measure.unit and measure.period == "year", measure.key
        assert measure.source in (CLA_RELEASE, OUTCOMES_RELEASE), measure.key
    outcomes = {m.key for m in MEASURES if m.source == OUTCOMES_RELEASE}
    assert outcomes == {"health-assessments", "dental-checks", "immunisations"}
