"""What went wrong with a plugin, said once, the same way everywhere.

:class:`PluginError` names the plugin, the hook, the field and what is wrong; the host, the
``cpt plugins`` command, the plugins page and the contract tests (:mod:`core.testing`) all
print it. :func:`did_you_mean` and :func:`describe_exception` give the advice they share.
"""

from __future__ import annotations

import difflib
import traceback
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal


class Rule(StrEnum):
    """The rule of the plugin contract an error breaks (one contract test each)."""

    #: Loading: the entry point imports, its name is not claimed twice.
    LOADS = "loads"
    #: Every hook implementation names a hook, with its parameters, and is marked.
    HOOKS = "hooks"
    #: ``register_councils`` registers the plugin's own council, under a slug no one else has.
    REGISTERS = "registers"
    #: Every answer about its own council fits its shape.
    ANSWERS = "answers"
    #: Keys are unique and references resolve.
    KEYS = "keys"
    #: Hooks answer ``None`` about councils the plugin does not own.
    OTHER_COUNCILS = "other_councils"
    #: A behaviour hook raised or answered badly while serving a request.
    RUNTIME = "runtime"


@dataclass(frozen=True)
class PluginError:
    """One thing wrong with one plugin."""

    plugin: str
    hook: str
    message: str
    field: str | None = None
    rule: Rule = Rule.ANSWERS

    def __str__(self) -> str:
        where = f", field {self.field}" if self.field else ""
        return f"plugin {self.plugin!r}, hook {self.hook}{where}: {self.message}"

    def as_dict(self) -> dict[str, str | None]:
        return {"plugin": self.plugin, "hook": self.hook, "field": self.field,
                "message": self.message, "rule": str(self.rule)}


@dataclass
class PluginInfo:
    """What ``cpt plugins`` and the plugins page show about one plugin."""

    name: str
    version: str | None
    distribution: str | None
    councils: list[str] = field(default_factory=list)
    hooks: list[str] = field(default_factory=list)
    errors: list[PluginError] = field(default_factory=list)
    builtin: bool = False
    #: Errors raised by behaviour hooks while serving (counted; the plugin keeps serving).
    runtime_errors: int = 0
    last_runtime_error: PluginError | None = None

    @property
    def status(self) -> Literal["active", "refused"]:
        return "refused" if self.errors else "active"

    @property
    def label(self) -> str:
        """The name, with the distribution that installed it when it has one."""
        return f"{self.name} ({self.distribution})" if self.distribution else self.name

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "distribution": self.distribution,
            "builtin": self.builtin,
            "councils": self.councils,
            "hooks": self.hooks,
            "status": self.status,
            "errors": [error.as_dict() for error in self.errors],
            "runtime_errors": self.runtime_errors,
            "last_runtime_error": (self.last_runtime_error.as_dict()
                                   if self.last_runtime_error else None),
        }


class PluginFailed(Exception):
    """Raised inside the host when a plugin must be refused."""

    def __init__(self, *errors: PluginError) -> None:
        super().__init__("; ".join(str(error) for error in errors))
        self.errors = list(errors)


def describe_exception(error: BaseException) -> str:
    """``raised KeyError: 'x' (at file.py:12)``: the exception and the line that raised it."""
    frame = traceback.extract_tb(error.__traceback__)[-1:] if error.__traceback__ else []
    where = f" (at {frame[0].filename}:{frame[0].lineno})" if frame else ""
    return f"raised {type(error).__name__}: {error}{where}"


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """``"did you mean X? "`` for the nearest of ``choices``, or ``""`` when none is near."""
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f"did you mean {close[0]}? " if close else ""
