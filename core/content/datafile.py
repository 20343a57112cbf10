"""A council plugin whose content lives in a TOML data file beside its module.

A plugin package needs only::

    from pathlib import Path
    from core.content import CouncilFile

    plugin = CouncilFile(Path(__file__).with_name("council.toml"))

and an entry point ``<slug> = "<package>:plugin"`` in the ``corporate_parenting`` group.
Subclass :class:`CouncilFile` and override a method (keeping its ``@hookimpl``) where a
council differs in rules rather than data.

The file's tables mirror the hooks: ``[council]``, ``[vocabulary]``, ``[strategy]``,
``[[priorities]]``, ``[pledges]`` with ``[[pledges.items]]``, ``[[panels]]``,
``[[review_cycles]]``, ``[[partners]]`` and ``[[protocols]]``. A table left out means the
council says nothing about it, and the core's default answers. The core validates every
answer, so a typo in a key is reported with its path, not silently ignored.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from functools import cached_property
from pathlib import Path
from typing import Any

from core.hookspecs import hookimpl

#: Top-level tables a data file may hold.
TABLES = frozenset(
    {"council", "vocabulary", "strategy", "priorities", "pledges", "panels", "review_cycles",
     "partners", "protocols"}
)


class CouncilFileError(ValueError):
    """The data file cannot be read, or holds a table no hook reads."""


class CouncilFile:
    """Hook implementations answering for one council from a TOML data file."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def __repr__(self) -> str:
        return f"CouncilFile({str(self.path)!r})"

    @cached_property
    def data(self) -> dict[str, Any]:
        """The parsed file (read once, on first use, so errors surface in a hook call)."""
        try:
            with self.path.open("rb") as handle:
                data = tomllib.load(handle)
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise CouncilFileError(f"{self.path}: {error}") from error
        unknown = sorted(set(data) - TABLES)
        if unknown:
            raise CouncilFileError(
                f"{self.path}: unknown table(s) {', '.join(unknown)}; "
                f"expected some of {', '.join(sorted(TABLES))}"
            )
        return data

    @property
    def slug(self) -> str | None:
        """The slug of the council the file defines."""
        return self.data.get("council", {}).get("slug")

    def _own(self, council: str, table: str) -> Any:
        return self.data.get(table) if council == self.slug else None

    @hookimpl
    def register_councils(self) -> list[Any]:
        return [self.data["council"]] if "council" in self.data else []

    @hookimpl
    def vocabulary_for_council(self, council: str) -> Any:
        return self._own(council, "vocabulary")

    @hookimpl
    def strategy_for_council(self, council: str) -> Any:
        return self._own(council, "strategy")

    @hookimpl
    def priorities_for_council(self, council: str) -> Any:
        return self._own(council, "priorities")

    @hookimpl
    def pledges_for_council(self, council: str) -> Any:
        return self._own(council, "pledges")

    @hookimpl
    def panels_for_council(self, council: str) -> Any:
        return self._own(council, "panels")

    @hookimpl
    def review_cycles_for_council(self, council: str) -> Any:
        return self._own(council, "review_cycles")

    @hookimpl
    def partners_for_council(self, council: str) -> Any:
        return self._own(council, "partners")

    @hookimpl
    def protocols_for_council(self, council: str) -> Any:
        return self._own(council, "protocols")

    @hookimpl
    def standing_agenda_items(self, council: str, panel: str, meeting_date: dt.date) -> Any:
        for definition in self._own(council, "panels") or []:
            if definition.get("key") == panel:
                return definition.get("standing_items", [])
        return None
