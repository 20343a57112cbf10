"""A council plugin whose content lives in a TOML data file beside its module.

A plugin package needs only::

    from pathlib import Path
    from core import CouncilFile

    plugin = CouncilFile(Path(__file__).with_name("council.toml"))

and an entry point ``<slug> = "<package>:plugin"`` in the ``corporate_parenting`` group.
Subclass :class:`CouncilFile` and override a method (keeping its ``@hookimpl``: the core
refuses an override named like a hook without it) where a council differs in rules rather
than data.

The file has a ``[council]`` table and one table per definition hook, named as the part of
the definition it holds (:data:`~core.plugins.definitions.DEFINITION_HOOKS`):
``[vocabulary]``, ``[strategy]``, ``[[priorities]]``, ``[pledges]`` with
``[[pledges.items]]``, ``[[panels]]``, ``[[review_cycles]]``, ``[[partners]]`` and
``[[protocols]]``. A table left out means the council says nothing about it, and the core's
default answers. The core validates every answer, so a typo in a key is reported with its
path, not silently ignored.
"""

from __future__ import annotations

import re
import tomllib
from functools import cached_property
from pathlib import Path
from typing import Any

from core.hookspecs import hookimpl
from core.plugins.definitions import DEFINITION_HOOKS, DefinitionHook
from core.plugins.report import did_you_mean

#: Top-level tables a data file may hold.
TABLES = frozenset({"council", *(hook.part for hook in DEFINITION_HOOKS)})

#: A TOML key (bare or quoted, possibly dotted) at the start of a ``key = value`` line.
_KEY = r"""(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')"""
_ASSIGNMENT = re.compile(rf"^\s*({_KEY}(?:\s*\.\s*{_KEY})*)\s*=")


class CouncilFileError(ValueError):
    """The data file cannot be read, or holds a table no hook reads."""


def repeated_key(text: str) -> tuple[int, str] | None:
    """The first key given twice in one table of TOML ``text``: its line and the key.

    Python's TOML reader refuses such a file without saying which key ("Cannot overwrite a
    value"), so this finds it, line by line.
    """
    seen: set[tuple[str, str]] = set()
    scope = ""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("[["):
            scope = f"{stripped}#{number}"  # each element of an array of tables is new
        elif stripped.startswith("["):
            scope = stripped
        elif match := _ASSIGNMENT.match(line):
            key = re.sub(r"\s+", "", match[1])
            if (scope, key) in seen:
                return number, key
            seen.add((scope, key))
    return None


def _read(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise CouncilFileError(f"{path}: {error.strerror or error}") from error
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = repeated_key(text) if "overwrite" in str(error) else None
        if found:
            line, key = found
            raise CouncilFileError(f"{path}, line {line}: the key {key!r} is given twice in "
                                   "the same table; keep one") from None
        raise CouncilFileError(f"{path}: {error}") from None


class CouncilFile:
    """Hook implementations answering for one council from a TOML data file."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def __repr__(self) -> str:
        return f"CouncilFile({str(self.path)!r})"

    @cached_property
    def data(self) -> dict[str, Any]:
        """The parsed file (read once, on first use)."""
        data = _read(self.path)
        unknown = sorted(set(data) - TABLES)
        if unknown:
            hints = "".join(did_you_mean(table, TABLES) for table in unknown)
            raise CouncilFileError(
                f"{self.path}: unknown table(s) {', '.join(unknown)}; {hints}"
                f"expected some of {', '.join(sorted(TABLES))}")
        return data

    @property
    def slug(self) -> str | None:
        """The slug of the council the file defines."""
        return self.data.get("council", {}).get("slug")

    def table(self, council: str, name: str) -> Any:
        """The file's table ``name`` when ``council`` is its own council, else ``None``."""
        return self.data.get(name) if council == self.slug else None

    @hookimpl
    def register_councils(self) -> list[Any]:
        """The ``[council]`` table."""
        return [self.data["council"]] if "council" in self.data else []


def _answer_from_table(hook: DefinitionHook) -> Any:
    def answer(self: CouncilFile, council: str) -> Any:
        return self.table(council, hook.part)

    answer.__name__ = answer.__qualname__ = hook.name
    answer.__doc__ = f"The ``{hook.part}`` table, for the file's own council."
    return hookimpl(answer)


for _hook in DEFINITION_HOOKS:
    setattr(CouncilFile, _hook.name, _answer_from_table(_hook))
