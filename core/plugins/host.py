"""The plugin host: loads council plugins once, eagerly, and refuses the ones that fail.

:func:`~core.plugins.make_plugin_host` builds one :class:`PluginHost` per app. Building it
does all the work, in this order, so that nothing happens later when a page asks for a
definition:

1. the core's built-in plugins (:data:`BUILTIN_PLUGINS`) are registered;
2. each plugin is registered: one whose entry point fails to import, whose entry-point name
   another distribution also installs, that implements an unknown hook, or that has a method
   named like a hook but not marked ``@hookimpl``, is refused;
3. each plugin is asked ``register_councils``; a slug claimed by two plugins refuses both;
4. each council's plugin is asked every definition hook
   (:data:`~core.plugins.definitions.DEFINITION_HOOKS`) about its own council, and the
   answers are validated and their keys checked; a plugin that raises or answers badly is
   refused.

A refused plugin serves nothing: its councils are listed in :attr:`PluginHost.failed` with
the errors, so that ``cpt sync`` leaves their rows exactly as they were and their pages say
that the definitions could not be loaded. Every other council keeps working.

Every hook is called in one place, :meth:`PluginHost._call`. About a council, only its own
plugin is asked (and the core's built-in defaults, for behaviour hooks).
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
from collections.abc import Callable, Iterable, Mapping
from importlib.metadata import EntryPoint, entry_points
from typing import Any

import pluggy

from core import hookspecs
from core.content import ContentError, Council, validate
from core.plugins.definitions import DEFINITION_HOOKS, CouncilDefinition, check_keys
from core.plugins.report import (
    PluginError,
    PluginFailed,
    PluginInfo,
    Rule,
    describe_exception,
    did_you_mean,
)

#: The core's own plugins, registered first: behaviour hooks' defaults (``trylast``).
BUILTIN_PLUGINS: tuple[str, ...] = ("core.defaults",)

#: Every hook of :mod:`core.hookspecs`, with the names of its parameters.
SPECS: dict[str, tuple[str, ...]] = {
    name: tuple(inspect.signature(function).parameters)
    for name, function in inspect.getmembers(hookspecs, inspect.isfunction)
    if hasattr(function, f"{hookspecs.PROJECT}_spec")
}


def content_errors(plugin: str, hook: str, error: ContentError, rule: Rule = Rule.ANSWERS
                   ) -> list[PluginError]:
    """One :class:`PluginError` per field a :class:`ContentError` names."""
    return [PluginError(plugin, hook, message, path, rule)
            for path, message in error.problems.items()]


def hook_problems(name: str, plugin: object, manager: pluggy.PluginManager
                  ) -> list[PluginError]:
    """What is wrong with ``plugin``'s hook implementations before it is registered: hooks
    that do not exist, parameters the hook does not have, and methods or functions named
    like a hook but not marked ``@hookimpl`` (pluggy would silently leave them out, e.g. an
    override in a ``CouncilFile`` subclass)."""
    problems = []
    marked = False
    for attribute in dir(plugin):
        options = manager.parse_hookimpl_opts(plugin, attribute)
        if options is None:
            if attribute in SPECS and callable(getattr(plugin, attribute, None)):
                problems.append(PluginError(
                    name, attribute, "named like a hook but not marked @hookimpl, so it "
                    "would be ignored: add @hookimpl (from core import hookimpl) above it",
                    rule=Rule.HOOKS))
            continue
        marked = True
        hook = options.get("specname") or attribute
        if hook not in SPECS:
            problems.append(PluginError(
                name, hook, f"no such hook in core.hookspecs; {did_you_mean(hook, SPECS)}"
                "rename it to one of the hooks listed in docs/plugins.md", rule=Rule.HOOKS))
            continue
        taken = inspect.signature(getattr(plugin, attribute)).parameters
        if unknown := [parameter for parameter in taken if parameter not in SPECS[hook]]:
            problems.append(PluginError(
                name, hook, f"parameter(s) {', '.join(unknown)} are not the hook's; it takes "
                f"{', '.join(SPECS[hook]) or 'no parameters'}: spell them as core.hookspecs "
                "does", rule=Rule.HOOKS))
    if not marked and not problems:
        problems.append(PluginError(
            name, "(none)", "the plugin implements no hooks: mark each hook function or "
            "method with @hookimpl (from core import hookimpl), or use core.CouncilFile",
            rule=Rule.HOOKS))
    return problems


class PluginHost:
    """The plugins of one app: what they define and what went wrong loading them."""

    def __init__(self) -> None:
        self.pm = pluggy.PluginManager(hookspecs.PROJECT)
        self.pm.add_hookspecs(hookspecs)
        #: Every plugin tried, by name (``name [distribution]`` when a name is installed twice).
        self.infos: dict[str, PluginInfo] = {}
        #: slug -> the name of the active plugin that defines it.
        self.owners: dict[str, str] = {}
        #: slug -> every active council's validated definitions.
        self.definitions: dict[str, CouncilDefinition] = {}
        #: slug -> the errors of the plugin(s) that claim a council and were refused.
        self.failed: dict[str, list[PluginError]] = {}
        #: slug -> names of the plugins claiming it (while loading).
        self._claims: dict[str, list[str]] = {}
        #: plugin name -> the councils it registered (while loading).
        self._registered: dict[str, list[Council]] = {}

    # --- loading ---------------------------------------------------------------------------

    def add(self, name: str, plugin: object, *, version: str | None = None,
            distribution: str | None = None, builtin: bool = False,
            entry_point: bool = False) -> None:
        """Register ``plugin`` under ``name`` and ask for its councils, or refuse it."""
        info = PluginInfo(name=name, version=version, distribution=distribution,
                          builtin=builtin)
        self.infos[name] = info
        # An entry point's name is its council's slug, so a failure before the plugin says
        # which councils it defines still names the council; a plugin given in code is
        # found through the ``plugin`` its councils' rows name (see :meth:`failing`).
        claimed = [name] if entry_point else []
        try:
            self._register(name, plugin, builtin=builtin)
            if not builtin:
                self._register_councils(name, entry_point=entry_point)
        except PluginFailed as failure:
            self.refuse(name, *failure.errors, slugs=claimed)
        except Exception as error:  # e.g. a CouncilFile whose data file cannot be read
            self.refuse(name, PluginError(name, "(registration)", describe_exception(error),
                                          rule=Rule.LOADS), slugs=claimed)

    def add_failed(self, name: str, error: PluginError, *, distribution: str | None,
                   version: str | None, key: str | None = None) -> None:
        """Record a plugin that could not even be loaded, under ``key`` (default ``name``);
        its entry-point name, which is its council's slug, is listed as failed."""
        key = key or name
        self.infos[key] = PluginInfo(name=name, version=version, distribution=distribution)
        self.refuse(key, error, slugs=[name])

    def _register(self, name: str, plugin: object, *, builtin: bool) -> None:
        problems = [] if builtin else hook_problems(name, plugin, self.pm)
        if problems:
            raise PluginFailed(*problems)
        try:
            self.pm.register(plugin, name=name)
        except (pluggy.PluginValidationError, ValueError) as error:
            raise PluginFailed(PluginError(name, "(registration)", str(error),
                                           rule=Rule.HOOKS)) from None
        callers = self.pm.get_hookcallers(plugin) or []
        self.infos[name].hooks = sorted(caller.name for caller in callers)
        wrappers = [impl for caller in callers for impl in caller.get_hookimpls()
                    if impl.plugin_name == name and (impl.wrapper or impl.hookwrapper)]
        if wrappers:
            raise PluginFailed(*(PluginError(
                name, impl.function.__name__, "hook wrappers are not supported: the core "
                "asks each council's own plugin directly", rule=Rule.HOOKS)
                for impl in wrappers))

    def _register_councils(self, name: str, *, entry_point: bool) -> None:
        hook = "register_councils"
        answers = self._call(hook, [name], {}, on_error=lambda error: _raise(
            dataclasses.replace(error, rule=Rule.REGISTERS)))
        if not answers:
            return
        try:
            councils = validate(Council, list(answers[0][1] or []), many=True)
        except ContentError as error:
            raise PluginFailed(*content_errors(name, hook, error, Rule.REGISTERS)) from None
        slugs = [council.slug for council in councils]
        repeated = sorted({slug for slug in slugs if slugs.count(slug) > 1})
        if repeated:
            raise PluginFailed(PluginError(
                name, hook, f"council slug(s) {', '.join(repeated)} given more than once",
                "slug", Rule.REGISTERS))
        for slug in slugs:
            if entry_point and slug != name:
                raise PluginFailed(PluginError(
                    name, hook, f"council slug {slug!r} differs from the entry-point name "
                    f"{name!r}; they must be equal: rename the entry point in pyproject.toml "
                    "or the slug", "slug", Rule.REGISTERS))
        self._registered[name] = councils
        for slug in slugs:
            self._claims.setdefault(slug, []).append(name)

    def finish(self) -> None:
        """Refuse both sides of every clash, then load every council's definitions."""
        for name, councils in self._registered.items():
            self.infos[name].councils = [council.slug for council in councils]
        for slug, names in self._claims.items():
            if len(names) > 1:
                labels = " and ".join(self.infos[name].label for name in names)
                for name in names:
                    self.refuse(name, PluginError(
                        name, "register_councils", f"council {slug!r} is claimed by {labels}; "
                        "both are refused and the council keeps its last definitions: "
                        "uninstall one of them", "slug", Rule.REGISTERS), slugs=[slug])
        for name, councils in self._registered.items():
            if self.infos[name].errors:
                continue
            for council in councils:
                self.owners[council.slug] = name
        for slug, name in list(self.owners.items()):
            if self.infos[name].errors:
                continue
            try:
                self.definitions[slug] = self._load(slug, name)
            except PluginFailed as failure:
                self.refuse(name, *failure.errors)
        self._claims.clear()
        self._registered.clear()
        self.pm.check_pending()

    def _load(self, slug: str, name: str) -> CouncilDefinition:
        answers: dict[str, Any] = {}
        errors: list[PluginError] = []
        for hook in DEFINITION_HOOKS:
            found = self._call(hook.name, [name], {"council": slug}, on_error=_raise)
            if not found:
                continue
            try:
                answers[hook.name] = validate(hook.shape, found[0][1], many=hook.many)
            except ContentError as error:
                errors.extend(content_errors(name, hook.name, error))
        if errors:
            raise PluginFailed(*errors)
        council = next(c for c in self._registered[name] if c.slug == slug)
        definition = CouncilDefinition.build(council, name, answers)
        problems = check_keys(definition)
        if problems:
            raise PluginFailed(*(PluginError(name, hook, message, path, Rule.KEYS)
                                 for hook, path, message in problems))
        return definition

    def refuse(self, name: str, *errors: PluginError, slugs: Iterable[str] = ()) -> None:
        """Refuse plugin ``name``: it serves nothing, and its councils (and ``slugs``) are
        listed as failed with ``errors``."""
        info = self.infos[name]
        info.errors.extend(error for error in errors if error not in info.errors)
        if self.pm.has_plugin(name):
            self.pm.unregister(name=name)
        owned = [slug for slug, owner in self.owners.items() if owner == name]
        registered = [council.slug for council in self._registered.get(name, [])]
        for slug in {*owned, *registered, *slugs}:
            self.owners.pop(slug, None)
            self.definitions.pop(slug, None)
            failed = self.failed.setdefault(slug, [])
            failed.extend(error for error in info.errors if error not in failed)

    # --- calling hooks ---------------------------------------------------------------------

    def _call(self, hook: str, plugins: Iterable[str], arguments: Mapping[str, Any], *,
              on_error: Callable[[PluginError], None]) -> list[tuple[str, Any]]:
        """Every non-``None`` answer to ``hook`` from ``plugins``, in pluggy's order.

        The one place hooks are called: each implementation gets the arguments it names.
        A plugin that raises is reported to ``on_error`` and the others still answer.
        """
        wanted = set(plugins)
        answers = []
        for impl in reversed(getattr(self.pm.hook, hook).get_hookimpls()):
            if impl.plugin_name not in wanted:
                continue
            try:
                result = impl.function(*(arguments[arg] for arg in impl.argnames))
            except Exception as error:
                on_error(PluginError(impl.plugin_name, hook, describe_exception(error)))
                continue
            if result is not None:
                answers.append((impl.plugin_name, result))
        return answers

    def behaviour(self, hook: str, shape: type, *, council: str, **arguments: Any
                  ) -> list[Any]:
        """The answers of the council's plugin and the core's defaults to a behaviour
        ``hook``, validated as lists of ``shape`` and concatenated.

        Called while serving: a plugin that raises or answers badly is counted on its
        :class:`PluginInfo` (``cpt plugins`` and the plugins page show it) and its answer is
        left out; it keeps serving.
        """
        plugins = [*BUILTIN_PLUGINS, *([self.owners[council]] if council in self.owners
                                       else [])]
        results: list[Any] = []
        for plugin, answer in self._call(hook, plugins, {"council": council, **arguments},
                                         on_error=self._count):
            try:
                results.extend(validate(shape, answer, many=True))
            except ContentError as error:
                for problem in content_errors(plugin, hook, error, Rule.RUNTIME):
                    self._count(problem)
        return results

    def _count(self, error: PluginError) -> None:
        info = self.infos[error.plugin]
        info.runtime_errors += 1
        info.last_runtime_error = PluginError(error.plugin, error.hook, error.message,
                                              error.field, Rule.RUNTIME)

    def foreign_answers(self, name: str, slugs: Iterable[str]) -> list[PluginError]:
        """What plugin ``name`` answers about councils it does not own (it must answer
        ``None``), asking about ``slugs`` in order: one error per hook, naming the first
        council it answered for. The contract tests ask this."""
        own = set(self.infos[name].councils)
        problems: list[PluginError] = []

        def raised(error: PluginError) -> None:
            problems.append(PluginError(
                name, error.hook, f"(council={slug!r}) {error.message}; return None for "
                "councils the plugin does not own instead", rule=Rule.OTHER_COUNCILS))

        mine = sorted(own)[0] if own else name
        for hook in DEFINITION_HOOKS:
            for slug in [slug for slug in slugs if slug not in own]:
                before = len(problems)
                for _, result in self._call(hook.name, [name], {"council": slug},
                                            on_error=raised):
                    problems.append(PluginError(
                        name, hook.name, f"(council={slug!r}) returned "
                        f"{type(result).__name__}; a plugin must return None for councils "
                        f"it does not own: check `council == {mine!r}` first (CouncilFile "
                        "does this for you)", rule=Rule.OTHER_COUNCILS))
                if len(problems) > before:
                    break  # one problem per hook is enough to say what to fix
        return problems

    # --- what was learnt -------------------------------------------------------------------

    @property
    def councils(self) -> dict[str, Council]:
        """Councils served, by slug."""
        return {slug: definition.council for slug, definition in self.definitions.items()}

    @property
    def errors(self) -> list[PluginError]:
        """Every error that refused a plugin, in plugin order."""
        return [error for info in self.infos.values() for error in info.errors]

    def failing(self, slug: str, plugin: str | None = None) -> list[PluginError]:
        """Why the council ``slug`` (whose rows name ``plugin``) has no definitions now:
        the errors of the plugin that claims it or that loaded it last; ``[]`` when none."""
        if slug in self.failed:
            return self.failed[slug]
        info = self.infos.get(plugin or "")
        return list(info.errors) if info is not None and slug not in self.definitions else []


def _raise(error: PluginError) -> None:
    raise PluginFailed(error)


def _installed() -> dict[str, list[EntryPoint]]:
    """The ``corporate_parenting`` entry points, by name."""
    found: dict[str, list[EntryPoint]] = {}
    for entry in entry_points(group=hookspecs.PROJECT):
        found.setdefault(entry.name, []).append(entry)
    return dict(sorted(found.items()))


def _dist(entry: EntryPoint) -> tuple[str | None, str | None]:
    dist = entry.dist
    return (dist.metadata["Name"], dist.version) if dist else (None, None)


def make_plugin_host(plugins: Mapping[str, object] | Iterable[object] | None = None
                     ) -> PluginHost:
    """A host with the core's built-ins and ``plugins``, or every installed entry point.

    ``plugins`` may map names to plugin objects, or list objects (named by their
    ``__name__`` or type). Entry points are loaded one at a time, so one that fails to
    import is reported and the rest still load; a name two distributions install is refused
    for both.
    """
    host = PluginHost()
    for module_name in BUILTIN_PLUGINS:
        host.add(module_name, importlib.import_module(module_name), builtin=True)
    if plugins is not None:
        named = plugins.items() if isinstance(plugins, Mapping) else (
            (getattr(p, "__name__", None) or type(p).__name__, p) for p in plugins)
        for name, plugin in named:
            host.add(name, plugin)
    else:
        for name, entries in _installed().items():
            if len(entries) > 1:
                labels = " and ".join(
                    f"{dist or entry.value} {version or ''}".rstrip()
                    for entry in entries for dist, version in [_dist(entry)])
                for entry in entries:
                    dist, version = _dist(entry)
                    host.add_failed(name, PluginError(
                        name, "(entry point)", f"the entry point {name!r} is installed by "
                        f"{labels}; both are refused and the council keeps its last "
                        "definitions: uninstall one of them", rule=Rule.LOADS),
                        distribution=dist, version=version,
                        key=f"{name} [{dist or entry.value}]")
                continue
            (entry,) = entries
            dist, version = _dist(entry)
            try:
                plugin = entry.load()
            except Exception as error:
                host.add_failed(name, PluginError(name, "(import)", describe_exception(error),
                                                  rule=Rule.LOADS),
                                distribution=dist, version=version)
                continue
            host.add(name, plugin, version=version, distribution=dist, entry_point=True)
    host.finish()
    return host
