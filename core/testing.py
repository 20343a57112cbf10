"""Contract tests for council plugins, for a plugin's own test suite.

One line in a plugin package's tests runs every check as its own pytest test::

    from core.testing import contract_tests

    test_contract = contract_tests("newtown")

The checks are the core's own: the plugin is loaded by the same host the app uses
(:func:`core.plugins.make_plugin_host`), and each error the host reports falls under one rule
of the contract (:class:`core.plugins.Rule`). This module adds only what the app does not
check while serving: that the plugin registers the council it should, that its entry point is
installed, and that it answers ``None`` about councils it does not own. :func:`check_plugin`
returns every problem, one sentence each saying what to fix; :func:`assert_plugin_contract`
raises if there is any. The checks, in order (:data:`CHECKS`):

``hooks``
    every ``@hookimpl`` names a hook of :mod:`core.hookspecs`, with its parameters, and no
    method named like a hook lacks the marker;
``registers``
    ``register_councils`` registers exactly the council ``slug``;
``entry_point``
    the slug equals the entry-point name, and that entry point of the ``corporate_parenting``
    group is installed and loads this plugin;
``answers``
    every hook's answer for its own council fits its shape, strictly;
``keys``
    keys are unique and references resolve;
``other_councils``
    every definition hook returns ``None`` for councils that are not the plugin's (a made-up
    one and every installed council);
``core_serves_it``
    the core serves the council (run once the checks above pass).

Advice is not a failure: :func:`plugin_advice` lists text still holding the scaffold's
placeholders (:data:`PLACEHOLDER`); the pytest form shows it as :class:`PluginAdvice`
warnings.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from importlib.metadata import entry_points
from typing import Any

from core import hookspecs
from core.content import MembershipFinding
from core.content.validation import as_data
from core.plugins import DEFINITION_HOOKS, PluginError, PluginHost, Rule, make_plugin_host
from core.plugins.report import describe_exception

#: Text the scaffold (``cpt new-plugin``) puts where a council's own words belong.
PLACEHOLDER = "Replace with"


class PluginAdvice(UserWarning):
    """Something to finish in a plugin that does not break the contract."""


@dataclass
class Subject:
    """A plugin under test, the council it should register, and the core's host for it."""

    plugin: object
    slug: str
    entry_point: str | None = None

    @cached_property
    def host(self) -> PluginHost:
        """The core's host with only this plugin, named as its council."""
        return make_plugin_host({self.slug: self.plugin})

    def errors(self, *rules: Rule) -> list[str]:
        """The host's errors about this plugin under ``rules``, as the core prints them."""
        return [str(error) for error in self.host.infos[self.slug].errors
                if error.rule in rules]

    def problem(self, hook: str, message: str, path: str | None = None) -> str:
        """A problem written as the core reports it (``plugin 'x', hook y, field z: ...``)."""
        return str(PluginError(self.slug, hook, message, path))

    @cached_property
    def results(self) -> dict[str, list[str]]:
        """Each check's problems, by check name (computed once, in order)."""
        results: dict[str, list[str]] = {}
        for check in CHECKS:
            earlier = any(results.values())
            results[check.name] = [] if check.after_others and earlier else check.run(self)
        return results


@dataclass(frozen=True)
class Check:
    """One rule of the plugin contract."""

    name: str
    rule: str
    run: Callable[[Subject], list[str]]
    #: Run only when every check before it passed.
    after_others: bool = False


def _hooks(subject: Subject) -> list[str]:
    return subject.errors(Rule.HOOKS, Rule.LOADS)


def _registers(subject: Subject) -> list[str]:
    problems = subject.errors(Rule.REGISTERS)
    info = subject.host.infos[subject.slug]
    if problems or info.errors:
        return problems
    hook = "register_councils"
    if hook not in info.hooks:
        return [subject.problem(hook, f"not implemented, so the plugin defines no council: "
                                f"add a [council] table with slug = \"{subject.slug}\" to its "
                                "council.toml, or implement register_councils")]
    if info.councils != [subject.slug]:
        return [subject.problem(
            hook, f"registered {info.councils or 'no council'}; a plugin registers exactly "
            f"one council, with slug {subject.slug!r}: set slug = \"{subject.slug}\" in the "
            "[council] table", "slug")]
    return []


def _entry_point(subject: Subject) -> list[str]:
    name = subject.entry_point
    if name is None:
        return []
    if name != subject.slug:
        return [subject.problem(
            "register_councils", f"council slug {subject.slug!r} differs from the entry-point "
            f"name {name!r}; they must be equal: rename the entry point in pyproject.toml or "
            "the slug", "slug")]
    found = entry_points(group=hookspecs.PROJECT, name=name)
    if not found:
        return [f"no entry point {name!r} is installed in the group {hookspecs.PROJECT!r}: "
                f"declare it in pyproject.toml ([project.entry-points.{hookspecs.PROJECT}] "
                f"{name} = \"your_package:plugin\") and install the package (pip install -e .)"]
    if len(found) > 1:
        sources = sorted({f"{e.dist.metadata['Name']} ({e.value})" if e.dist else e.value
                          for e in found})
        return [f"the entry point {name!r} is installed by more than one distribution "
                f"({', '.join(sources)}): uninstall all but one"]
    (entry,) = found
    try:
        loaded = entry.load()
    except Exception as error:
        return [f"the entry point {name} = {entry.value!r} cannot be loaded: "
                f"{describe_exception(error)}"]
    if loaded is not subject.plugin:
        return [f"the entry point {name} = {entry.value!r} loads {loaded!r}, not the plugin "
                f"under test ({subject.plugin!r}): point it at the plugin object"]
    return []


def _answers(subject: Subject) -> list[str]:
    problems = subject.errors(Rule.ANSWERS)
    definition = subject.host.definitions.get(subject.slug)
    if definition is None:
        return problems
    info = subject.host.infos[subject.slug]
    for panel in definition.panels:  # behaviour hooks, asked as a panel's page would
        before = info.runtime_errors
        subject.host.behaviour("check_panel_membership", MembershipFinding,
                               council=subject.slug, panel=panel.key, seats=panel.seats,
                               memberships=[])
        if info.runtime_errors > before and info.last_runtime_error is not None:
            problems.append(str(info.last_runtime_error))
    return problems


def _keys(subject: Subject) -> list[str]:
    return subject.errors(Rule.KEYS)


def _other_councils(subject: Subject) -> list[str]:
    if subject.slug not in subject.host.definitions:
        return []
    others = [f"not_{subject.slug}", *sorted({entry.name for entry in entry_points(
        group=hookspecs.PROJECT)})]
    return [str(error) for error in subject.host.foreign_answers(subject.slug, others)]


def _core_serves_it(subject: Subject) -> list[str]:
    problems = [f"the core refuses the plugin: {error}"
                for error in subject.host.infos[subject.slug].errors]
    if not problems and subject.slug not in subject.host.definitions:
        problems.append(f"the core loads the plugin but serves no council {subject.slug!r}")
    return problems


#: The plugin contract, check by check, in the order they run.
CHECKS: tuple[Check, ...] = (
    Check("hooks", "every hook exists in core.hookspecs, with its parameters, and is marked",
          _hooks),
    Check("registers", "it registers exactly its own council", _registers),
    Check("entry_point", "the entry point is installed, named as the slug, and loads the "
          "plugin", _entry_point),
    Check("answers", "every answer for its own council fits its shape", _answers),
    Check("keys", "keys are unique and references resolve", _keys),
    Check("other_councils", "every hook returns None for other councils", _other_councils),
    Check("core_serves_it", "the core serves the council", _core_serves_it,
          after_others=True),
)


def check_plugin(plugin: object, *, slug: str, entry_point: str | None = None) -> list[str]:
    """Every way ``plugin`` breaks the plugin contract, one sentence each saying what to fix;
    an empty list if it keeps it.

    ``slug`` is the council the plugin should register. With ``entry_point``, the entry
    point of that name in the ``corporate_parenting`` group must be installed, load this
    plugin and equal the slug.
    """
    subject = Subject(plugin, slug, entry_point)
    return [problem for problems in subject.results.values() for problem in problems]


def assert_plugin_contract(plugin: object, *, slug: str, entry_point: str | None = None
                           ) -> None:
    """Raise :class:`AssertionError` listing every problem :func:`check_plugin` finds."""
    problems = check_plugin(plugin, slug=slug, entry_point=entry_point)
    if problems:
        raise AssertionError(f"plugin {slug!r} breaks the plugin contract:\n"
                             + "\n".join(f"- {problem}" for problem in problems))


def _placeholders(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        if PLACEHOLDER.lower() in value.lower():
            yield path or "(value)", value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _placeholders(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _placeholders(item, f"{path}[{index}]")


def plugin_advice(plugin: object, *, slug: str) -> list[str]:
    """Text in the plugin's answers still holding a scaffold placeholder (:data:`PLACEHOLDER`).

    Advice, not failures: a plugin fresh from ``cpt new-plugin`` keeps the contract.
    """
    return _advice(Subject(plugin, slug))


def _advice(subject: Subject) -> list[str]:
    definition = subject.host.definitions.get(subject.slug)
    if definition is None:
        return []
    return [subject.problem(hook.name, f"still holds placeholder text {text!r}", path)
            for hook in DEFINITION_HOOKS
            for path, text in _placeholders(as_data(getattr(definition, hook.part)))]


def contract_tests(slug: str, plugin: object | None = None, *, entry_point: bool = True
                   ) -> Callable[..., None]:
    """A pytest test function running each check of :data:`CHECKS` as its own test.

    Assign it in a test module: ``test_contract = contract_tests("newtown")``. Without
    ``plugin``, the plugin is loaded from the installed entry point named ``slug``; with
    ``entry_point=False`` (and a ``plugin``), the entry point is not checked. A last test,
    ``advice``, passes but warns (:class:`PluginAdvice`) about placeholder text left in.
    """
    import pytest

    subjects: list[Subject] = []

    def subject() -> Subject:
        if not subjects:
            found = plugin
            if found is None:
                found = _load_entry_point(slug)
            subjects.append(Subject(found, slug, slug if entry_point else None))
        return subjects[0]

    names = [check.name for check in CHECKS] + ["advice"]

    @pytest.mark.parametrize("check", names)
    def test_contract(check: str) -> None:
        current = subject()
        if check == "advice":
            if advice := _advice(current):
                warnings.warn(PluginAdvice(
                    f"{len(advice)} text(s) to replace with the council's own words:\n"
                    + "\n".join(f"- {item}" for item in advice)), stacklevel=1)
            return
        rule = next(c for c in CHECKS if c.name == check)
        if rule.after_others and any(current.results.values()):
            pytest.skip("fix the problems the other contract tests report first")
        problems = current.results[check]
        if problems:
            pytest.fail(f"contract rule broken ({rule.rule}):\n"
                        + "\n".join(f"- {p}" for p in problems), pytrace=False)

    return test_contract


def _load_entry_point(slug: str) -> object:
    import pytest

    found = entry_points(group=hookspecs.PROJECT, name=slug)
    if not found:
        pytest.fail(f"no entry point {slug!r} is installed in the group {hookspecs.PROJECT!r}: "
                    "install the plugin package first (pip install -e .), or pass the plugin "
                    "to contract_tests", pytrace=False)
    try:
        return next(iter(found)).load()
    except Exception as error:
        pytest.fail(f"the entry point {slug!r} cannot be loaded: {describe_exception(error)}",
                    pytrace=False)
