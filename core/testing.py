"""Contract tests for council plugins, for a plugin's own test suite.

One line in a plugin package's tests runs every check as its own pytest test::

    from core.testing import contract_tests

    test_contract = contract_tests("newtown")

:func:`check_plugin` runs the same checks as a function and returns what is wrong, one
sentence each, saying what to fix; :func:`assert_plugin_contract` raises if anything is.
The checks (:data:`CHECKS`, in order):

``hooks``
    every ``@hookimpl`` names a hook of :mod:`core.hookspecs`, with its parameters;
``registers``
    ``register_councils`` registers exactly the council ``slug``;
``entry_point``
    the slug equals the entry-point name, and that entry point of the ``corporate_parenting``
    group is installed and loads this plugin;
``answers``
    every hook's answer for its own council fits its shape (:func:`core.content.validate`);
``keys``
    keys are unique and references resolve (:func:`core.plugins.check_keys`);
``other_councils``
    every hook returns ``None`` for a council that is not the plugin's;
``core_loads_it``
    the core's own plugin host (:func:`core.plugins.make_plugin_host`) loads it without
    errors (run once the checks above pass, since it stops at the first problem).

Advice is not a failure: :func:`plugin_advice` lists text still holding the scaffold's
placeholders (:data:`PLACEHOLDER`); the pytest form shows it as :class:`PluginAdvice`
warnings.
"""

from __future__ import annotations

import datetime as dt
import difflib
import inspect
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from importlib.metadata import entry_points
from typing import Any

import pluggy

import core.defaults
from core import hookspecs
from core.content import (
    ContentError,
    Council,
    MembershipFinding,
    Panel,
    PledgeSet,
    StandingItem,
    validate,
)
from core.content.validation import as_data
from core.plugins import (
    DEFINITION_HOOKS,
    CouncilDefinition,
    PluginError,
    _describe_exception,
    check_keys,
    make_plugin_host,
)

#: Text the scaffold (``cpt new-plugin``) puts where a council's own words belong.
PLACEHOLDER = "Replace with"

#: Every hook of :mod:`core.hookspecs`, with the names of its parameters.
SPECS: dict[str, tuple[str, ...]] = {
    name: tuple(inspect.signature(function).parameters)
    for name, function in inspect.getmembers(hookspecs, inspect.isfunction)
    if hasattr(function, f"{hookspecs.PROJECT}_spec")
}


class PluginAdvice(UserWarning):
    """Something to finish in a plugin that does not break the contract."""


@dataclass
class Subject:
    """A plugin under test, the council it should register, and what its hooks answered."""

    plugin: object
    slug: str
    entry_point: str | None = None
    #: Answers that fitted their shape, by hook (definition hooks and register_councils).
    answers: dict[str, Any] = field(default_factory=dict)
    #: Hooks that raised or answered with data that does not fit.
    failed: set[str] = field(default_factory=set)

    @cached_property
    def hooks(self) -> dict[str, Callable[..., Any]]:
        """The plugin's hook implementations by hook name, found the way pluggy finds them."""
        manager = pluggy.PluginManager(hookspecs.PROJECT)
        found = {}
        for attribute in dir(self.plugin):
            options = manager.parse_hookimpl_opts(self.plugin, attribute)
            if options is not None:
                found[options.get("specname") or attribute] = getattr(self.plugin, attribute)
        return found

    def callable_hooks(self) -> Iterator[tuple[str, Callable[..., Any]]]:
        """Hooks that exist and whose parameters the hook has, so they can be called."""
        for name, function in self.hooks.items():
            if name in SPECS and not _unknown_parameters(name, function):
                yield name, function

    def call(self, hook: str, **arguments: Any) -> Any:
        """Call one hook implementation by keyword, as the core does (only the parameters it
        takes)."""
        function = self.hooks[hook]
        taken = inspect.signature(function).parameters
        return function(**{name: value for name, value in arguments.items() if name in taken})

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


def _unknown_parameters(hook: str, function: Callable[..., Any]) -> list[str]:
    return [name for name in inspect.signature(function).parameters if name not in SPECS[hook]]


def _hooks_exist(subject: Subject) -> list[str]:
    if not subject.hooks:
        return ["the plugin implements no hooks: mark each hook function or method with "
                "@hookimpl (from core import hookimpl), or use core.content.CouncilFile"]
    problems = []
    for name, function in subject.hooks.items():
        if name not in SPECS:
            close = difflib.get_close_matches(name, SPECS, n=1)
            hint = f"did you mean {close[0]}? " if close else ""
            problems.append(subject.problem(
                name, f"no such hook in core.hookspecs; {hint}rename it to one of the hooks "
                "listed in docs/plugins.md"))
        elif unknown := _unknown_parameters(name, function):
            problems.append(subject.problem(
                name, f"parameter(s) {', '.join(unknown)} are not the hook's; it takes "
                f"{', '.join(SPECS[name]) or 'no parameters'}: spell them as core.hookspecs "
                "does"))
    return problems


def _registers(subject: Subject) -> list[str]:
    hook = "register_councils"
    if hook in subject.hooks and hook not in dict(subject.callable_hooks()):
        return []  # its parameters are wrong: the check "hooks" says so
    if hook not in subject.hooks:
        return [subject.problem(hook, f"not implemented, so the plugin defines no council: "
                                f"add a [council] table with slug = \"{subject.slug}\" to its "
                                "council.toml, or implement register_councils")]
    try:
        councils = validate(Council, list(subject.call(hook) or []), many=True)
    except ContentError as error:
        return [subject.problem(hook, message, path) for path, message in error.problems.items()]
    except Exception as error:
        return [subject.problem(hook, _describe_exception(error))]
    slugs = [council.slug for council in councils]
    if slugs != [subject.slug]:
        return [subject.problem(
            hook, f"registered {slugs or 'no council'}; a plugin registers exactly one "
            f"council, with slug {subject.slug!r}: set slug = \"{subject.slug}\" in the "
            "[council] table", "slug")]
    subject.answers[hook] = councils
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
        return [f"the entry point {name!r} is installed by more than one distribution "
                f"({', '.join(sorted({e.value for e in found}))}): uninstall all but one"]
    (entry,) = found
    try:
        loaded = entry.load()
    except Exception as error:
        return [f"the entry point {name} = {entry.value!r} cannot be loaded: "
                f"{_describe_exception(error)}"]
    if loaded is not subject.plugin:
        return [f"the entry point {name} = {entry.value!r} loads {loaded!r}, not the plugin "
                f"under test ({subject.plugin!r}): point it at the plugin object"]
    return []


def _answers(subject: Subject) -> list[str]:
    problems: list[str] = []

    def answer(hook: str, shape: type, many: bool, **arguments: Any) -> Any:
        """The hook's answer, validated; ``None`` if it gave none or one that does not fit."""
        try:
            result = subject.call(hook, **arguments)
            return None if result is None else validate(shape, result, many=many)
        except ContentError as error:
            problems.extend(subject.problem(hook, message, path)
                            for path, message in error.problems.items())
        except Exception as error:
            problems.append(subject.problem(hook, _describe_exception(error)))
        subject.failed.add(hook)
        return None

    hooks = dict(subject.callable_hooks())
    for hook, shape, many in DEFINITION_HOOKS:
        if hook in hooks:
            value = answer(hook, shape, many, council=subject.slug)
            if value is not None:
                subject.answers[hook] = value
    for panel in subject.answers.get("panels_for_council", []):
        arguments = {"council": subject.slug, "panel": panel.key, "seats": panel.seats,
                     "memberships": [], "meeting_date": dt.date.today()}
        for hook, shape in (("standing_agenda_items", StandingItem),
                            ("check_panel_membership", MembershipFinding)):
            if hook in hooks:
                answer(hook, shape, True, **arguments)
    return problems


def _definition(subject: Subject) -> CouncilDefinition | None:
    """The council's definition as the core builds it: the plugin's answers, or the core's
    defaults where it gives none; ``None`` while the council or an answer does not fit."""
    if "register_councils" not in subject.answers or subject.failed & {
            hook for hook, _, _ in DEFINITION_HOOKS}:
        return None
    parts = {hook.removesuffix("_for_council"): subject.answers[hook] if hook in subject.answers
             else _default(hook, shape, many, subject.slug)
             for hook, shape, many in DEFINITION_HOOKS}
    parts["pledges"] = parts["pledges"] or PledgeSet()
    return CouncilDefinition(council=subject.answers["register_councils"][0],
                             plugin=subject.slug, **parts)


def _default(hook: str, shape: type, many: bool, slug: str) -> Any:
    """What the core's defaults (:mod:`core.defaults`) answer for ``slug``, validated."""
    answer = getattr(core.defaults, hook)(council=slug)
    if answer is None:
        return [] if many else None
    return validate(shape, answer, many=many)


def _keys(subject: Subject) -> list[str]:
    definition = _definition(subject)
    if definition is None:
        return []
    return [subject.problem(hook, message, path) for hook, path, message in check_keys(definition)]


def _other_councils(subject: Subject) -> list[str]:
    other = f"not_{subject.slug}"
    panels = subject.answers.get("panels_for_council") or []
    panel = panels[0] if panels else Panel(key="panel", name="Panel")
    arguments = {"council": other, "panel": panel.key, "seats": panel.seats, "memberships": [],
                 "meeting_date": dt.date.today()}
    problems = []
    for hook, _function in subject.callable_hooks():
        if hook == "register_councils":
            continue
        try:
            result = subject.call(hook, **arguments)
        except Exception as error:
            problems.append(subject.problem(
                hook, f"(council={other!r}) {_describe_exception(error)}; return None for "
                "councils the plugin does not own instead"))
            continue
        if result is not None:
            problems.append(subject.problem(
                hook, f"(council={other!r}) returned {type(result).__name__}; a plugin must "
                "return None for councils it does not own: check "
                f"`council == {subject.slug!r}` first (CouncilFile does this for you)"))
    return problems


def _core_loads_it(subject: Subject) -> list[str]:
    host = make_plugin_host({subject.slug: subject.plugin})
    problems = [f"the core leaves the plugin out: {error}" for error in host.errors]
    if not problems and subject.slug not in host.definitions():
        problems.append(f"the core loads the plugin but serves no council {subject.slug!r}")
    return problems


#: The plugin contract, check by check, in the order they run.
CHECKS: tuple[Check, ...] = (
    Check("hooks", "every hook exists in core.hookspecs, with its parameters", _hooks_exist),
    Check("registers", "it registers exactly its own council", _registers),
    Check("entry_point", "the entry point is installed, named as the slug, and loads the "
          "plugin", _entry_point),
    Check("answers", "every answer for its own council fits its shape", _answers),
    Check("keys", "keys are unique and references resolve", _keys),
    Check("other_councils", "every hook returns None for other councils", _other_councils),
    Check("core_loads_it", "the core loads it without errors", _core_loads_it,
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
    _ = subject.results  # calls every hook once
    return [subject.problem(hook, f"still holds placeholder text {text!r}", path)
            for hook, answer in subject.answers.items()
            for path, text in _placeholders(as_data(answer))]


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
        pytest.fail(f"the entry point {slug!r} cannot be loaded: {_describe_exception(error)}",
                    pytrace=False)
