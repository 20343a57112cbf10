"""Plugins for tests: a council defined from a dict, and plugins broken in each way."""

from __future__ import annotations

import copy
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from typing import Any

from core import CouncilFile, hookimpl


class DictCouncil(CouncilFile):
    """A council plugin whose data file is a dict (the same tables as council.toml)."""

    def __init__(self, data: dict[str, Any]) -> None:
        super().__init__("<dict>")
        self.__dict__["data"] = copy.deepcopy(data)


def small_council(slug: str = "testshire", **tables: Any) -> dict[str, Any]:
    """A minimal valid council: a strategy, two priorities, two pledges, a panel, a review."""
    data: dict[str, Any] = {
        "council": {"slug": slug, "name": f"{slug.title()} Council"},
        "vocabulary": {"pledge": "promise", "pledges": "promises"},
        "strategy": {"key": "strategy", "title": "Our strategy", "vision": "A vision."},
        "priorities": [
            {"key": "priority-1", "number": 1, "title": "Be safe", "principles": ["f"]},
            {"key": "priority-2", "number": 2, "title": "Be heard", "principles": ["b", "c"]},
        ],
        "pledges": {"declared": 2, "items": [
            {"key": "pledge-1", "number": 1, "title": "Listen", "actions": [
                {"key": "action-1.1", "number": 1, "wording": "Hold a forum",
                 "officer": "Participation lead", "timeline": "September 2025",
                 "outcomes": ["Young people are heard."]},
                {"key": "action-1.2", "number": 2, "officer": "Head of service",
                 "timeline": "Reviewed annually"},
            ]},
            {"key": "pledge-2", "number": 2, "title": "Help", "actions": [
                {"key": "action-2.1", "number": 1, "wording": "Offer help",
                 "officer": "Virtual school head", "timeline": "April 2026"},
            ]},
        ]},
        "panels": [{"key": "panel", "name": "Corporate parenting panel",
                    "cycle": {"text": "Every two months", "every_months": 2},
                    "seats": [
                        {"key": "chair", "role": "Cabinet member", "chair": True},
                        {"key": "young-people", "role": "Children in care council",
                         "young_people": True, "count": 2},
                    ],
                    "standing_items": [{"key": "voice", "title": "Young people's voice"}]}],
        "review_cycles": [{"key": "review-strategy", "subject": "The strategy",
                           "interval_text": "annually", "every_months": 12,
                           "next_due": "2026-04-30"}],
    }
    data.update(tables)
    return data


class RaisingPlugin:
    """Registers a council, then raises when asked for its strategy."""

    @hookimpl
    def register_councils(self) -> list[dict[str, str]]:
        return [{"slug": "raising", "name": "Raising Council"}]

    @hookimpl
    def strategy_for_council(self, council: str) -> None:
        if council == "raising":
            raise RuntimeError("the data server is down")


class BadDataPlugin(DictCouncil):
    """A council whose third action has a number that is not a number."""

    def __init__(self) -> None:
        data = small_council("baddata")
        data["pledges"]["items"][1]["actions"][0]["number"] = "first"
        super().__init__(data)


class DuplicateSlugPlugin(DictCouncil):
    """Claims a slug that a reference plugin already registered."""

    def __init__(self, slug: str = "herefordshire") -> None:
        super().__init__(small_council(slug))


class MisspeltHookPlugin:
    """Implements a hook that does not exist."""

    @hookimpl
    def register_councils(self) -> list[dict[str, str]]:
        return [{"slug": "misspelt", "name": "Misspelt Council"}]

    @hookimpl
    def strategy_for_councill(self, council: str) -> None:
        return None


class ForeignAnswerPlugin:
    """Answers another council's hook (only a council's own plugin may)."""

    @hookimpl(tryfirst=True)
    def priorities_for_council(self, council: str) -> list[dict[str, Any]]:
        return [{"key": "x"}]


#: A second plugin claiming Herefordshire, as a rival distribution's entry point would load.
HEREFORDSHIRE_RIVAL = DuplicateSlugPlugin("herefordshire")


class WithoutPanels(CouncilFile):
    """A council file whose plugin has stopped answering for its panels (a bad release)."""

    @hookimpl
    def panels_for_council(self, council: str) -> None:
        return None


#: Herefordshire's own data file, read by a plugin that no longer gives its panel.
HEREFORDSHIRE_WITHOUT_PANELS = WithoutPanels(
    Path(__file__).resolve().parents[2] / "plugins" / "herefordshire" / "council.toml")


class _Distribution:
    """Enough of an installed distribution for an entry point to name it."""

    def __init__(self, name: str, version: str) -> None:
        self.metadata = {"Name": name}
        self.version = version


def entry_point(name: str, value: str, distribution: str | None = None,
                version: str = "1.0") -> EntryPoint:
    """An entry point of the ``corporate_parenting`` group, as ``distribution`` installs it."""
    entry = EntryPoint(name, value, "corporate_parenting")
    return entry._for(_Distribution(distribution, version)) if distribution else entry


def reference_entry_points() -> list[EntryPoint]:
    """The four reference councils' entry points, as installed."""
    return sorted((entry for entry in entry_points(group="corporate_parenting")
                   if entry.value.startswith("plugins.")), key=lambda entry: entry.name)
