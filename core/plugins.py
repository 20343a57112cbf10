"""Finding, checking and calling council plugins.

:func:`make_plugin_host` builds one :class:`PluginHost` per app: the core's defaults first,
then either the plugins passed in or every entry point of the ``corporate_parenting`` group.
The host registers the councils, validates every definition hook's answer, and leaves out a
plugin that fails (raises, answers with bad data, implements an unknown hook or claims a slug
already taken), recording one :class:`PluginError` that names the plugin, the hook, the field
and what is wrong. Every other council keeps working.

Only services call hooks, through the host's :meth:`PluginHost.definitions`,
:meth:`PluginHost.call_first_validated` and :meth:`PluginHost.call_all_validated`, so that
every failure is attributed to the plugin that caused it.
"""

from __future__ import annotations

import importlib
import traceback
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import Any, Literal

import pluggy

from core import hookspecs
from core.content import (
    ContentError,
    Council,
    Panel,
    PartnerBody,
    PledgeSet,
    Priority,
    Protocol,
    ReviewCycle,
    Strategy,
    Vocabulary,
    validate,
)

#: Built-in plugins, registered in this order before any other. ``core.defaults`` answers
#: last (``trylast``) for every council.
DEFAULT_PLUGINS: tuple[str, ...] = ("core.defaults",)

#: Keys of rows added locally by administrators start with this; plugins may not use it.
LOCAL_KEY_PREFIX = "local-"

#: Definition hooks: (hook name, shape, whether the answer is a list).
DEFINITION_HOOKS: tuple[tuple[str, type, bool], ...] = (
    ("vocabulary_for_council", Vocabulary, False),
    ("strategy_for_council", Strategy, False),
    ("priorities_for_council", Priority, True),
    ("pledges_for_council", PledgeSet, False),
    ("panels_for_council", Panel, True),
    ("review_cycles_for_council", ReviewCycle, True),
    ("partners_for_council", PartnerBody, True),
    ("protocols_for_council", Protocol, True),
)


@dataclass(frozen=True)
class PluginError:
    """One thing wrong with one plugin."""

    plugin: str
    hook: str
    message: str
    field: str | None = None

    def __str__(self) -> str:
        where = f", field {self.field}" if self.field else ""
        return f"plugin {self.plugin!r}, hook {self.hook}{where}: {self.message}"

    def as_dict(self) -> dict[str, str | None]:
        return {"plugin": self.plugin, "hook": self.hook, "field": self.field,
                "message": self.message}


@dataclass
class PluginInfo:
    """What ``cpt plugins`` shows about one plugin."""

    name: str
    version: str | None
    distribution: str | None
    councils: list[str] = field(default_factory=list)
    hooks: list[str] = field(default_factory=list)
    errors: list[PluginError] = field(default_factory=list)
    builtin: bool = False

    @property
    def status(self) -> Literal["active", "disabled"]:
        return "disabled" if self.errors else "active"

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
        }


@dataclass(frozen=True)
class CouncilDefinition:
    """Everything a council's plugin defines, validated."""

    council: Council
    plugin: str
    vocabulary: Vocabulary
    strategy: Strategy | None
    priorities: list[Priority]
    pledges: PledgeSet
    panels: list[Panel]
    review_cycles: list[ReviewCycle]
    partners: list[PartnerBody]
    protocols: list[Protocol]


class PluginFailed(Exception):
    """Raised inside the host when a plugin must be left out."""

    def __init__(self, error: PluginError) -> None:
        super().__init__(str(error))
        self.error = error


def _describe_exception(error: BaseException) -> str:
    frame = traceback.extract_tb(error.__traceback__)[-1:] if error.__traceback__ else []
    where = f" (at {frame[0].filename}:{frame[0].lineno})" if frame else ""
    return f"raised {type(error).__name__}: {error}{where}"


class PluginHost:
    """A pluggy manager plus what was learnt loading its plugins."""

    def __init__(self) -> None:
        self.pm = pluggy.PluginManager(hookspecs.PROJECT)
        self.pm.add_hookspecs(hookspecs)
        self.infos: dict[str, PluginInfo] = {}
        #: slug -> name of the plugin that registered it (active plugins only).
        self.owners: dict[str, str] = {}
        self._councils: dict[str, Council] = {}
        self._definitions: dict[str, CouncilDefinition] | None = None
        #: How many plugins were left out so far.
        self._disabled = 0

    # --- registration --------------------------------------------------------------------

    def add(self, name: str, plugin: object, *, version: str | None = None,
            distribution: str | None = None, builtin: bool = False,
            entry_point: bool = False) -> None:
        """Register ``plugin`` under ``name``; record an error instead if it cannot be."""
        info = PluginInfo(name=name, version=version, distribution=distribution, builtin=builtin)
        self.infos[name] = info
        try:
            self.pm.register(plugin, name=name)
        except (pluggy.PluginValidationError, ValueError) as error:
            info.errors.append(PluginError(name, "(registration)", str(error)))
            return
        info.hooks = sorted(
            caller.name for caller in self.pm.get_hookcallers(plugin) or []
        )
        unknown = [hook for hook in info.hooks if not hasattr(self.pm.hook, hook)
                   or getattr(self.pm.hook, hook).spec is None]
        if unknown:
            self._disable(PluginError(
                name, unknown[0],
                "no such hook; check the spelling against core.hookspecs"))
            return
        if not builtin:
            self._register_councils(name, entry_point=entry_point)

    def add_failed_import(self, name: str, error: BaseException,
                          distribution: str | None, version: str | None) -> None:
        """Record a plugin whose entry point could not be imported."""
        self.infos[name] = PluginInfo(
            name=name, version=version, distribution=distribution,
            errors=[PluginError(name, "(import)", _describe_exception(error))])

    def _register_councils(self, name: str, *, entry_point: bool) -> None:
        impls = [impl for impl in self.pm.hook.register_councils.get_hookimpls()
                 if impl.plugin_name == name]
        if not impls:
            return
        try:
            answer = impls[0].function()
            councils = validate(Council, list(answer or []), many=True)
            for council in councils:
                if entry_point and council.slug != name:
                    raise PluginFailed(PluginError(
                        name, "register_councils",
                        f"council slug {council.slug!r} differs from the entry-point name "
                        f"{name!r}; they must be equal", "slug"))
                if council.slug in self._councils:
                    raise PluginFailed(PluginError(
                        name, "register_councils",
                        f"council slug {council.slug!r} is already registered by plugin "
                        f"{self.owners[council.slug]!r}", "slug"))
            slugs = [council.slug for council in councils]
            repeated = sorted({slug for slug in slugs if slugs.count(slug) > 1})
            if repeated:
                raise PluginFailed(PluginError(
                    name, "register_councils",
                    f"council slug(s) {', '.join(repeated)} given more than once", "slug"))
        except PluginFailed as failure:
            self._disable(failure.error)
            return
        except ContentError as error:
            for path, message in error.problems.items():
                self.infos[name].errors.append(
                    PluginError(name, "register_councils", message, path))
            self._disable(None, name=name)
            return
        except Exception as error:
            self._disable(PluginError(name, "register_councils", _describe_exception(error)))
            return
        for council in councils:
            self._councils[council.slug] = council
            self.owners[council.slug] = name
        self.infos[name].councils = [council.slug for council in councils]

    def _disable(self, error: PluginError | None, *, name: str | None = None) -> None:
        name = error.plugin if error else name
        assert name is not None
        info = self.infos[name]
        if error:
            info.errors.append(error)
        if self.pm.has_plugin(name):
            self.pm.unregister(name=name)
            self._disabled += 1
        for slug in [slug for slug, owner in self.owners.items() if owner == name]:
            del self.owners[slug]
            del self._councils[slug]
        self._definitions = None

    # --- calling hooks -------------------------------------------------------------------

    def _call_first(self, hook: str, **kwargs: Any) -> tuple[Any, str | None]:
        """Call ``hook`` as pluggy's ``firstresult`` would, returning who answered.

        A plugin that raises is left out and the call goes on to the next implementation.
        """
        caller = getattr(self.pm.hook, hook)
        for impl in reversed(caller.get_hookimpls()):
            try:
                result = impl.function(*(kwargs[arg] for arg in impl.argnames))
            except Exception as error:
                self._disable(PluginError(impl.plugin_name, hook, _describe_exception(error)))
                continue
            if result is not None:
                return result, impl.plugin_name
        return None, None

    def call_all(self, hook: str, **kwargs: Any) -> list[tuple[str, Any]]:
        """Every active plugin's non-``None`` answer to ``hook``, with the plugin's name.

        A plugin that raises is left out, its error recorded, and the others still answer.
        """
        caller = getattr(self.pm.hook, hook)
        answers = []
        for impl in reversed(caller.get_hookimpls()):
            try:
                result = impl.function(*(kwargs[arg] for arg in impl.argnames))
            except Exception as error:
                self._disable(PluginError(impl.plugin_name, hook, _describe_exception(error)))
                continue
            if result is not None:
                answers.append((impl.plugin_name, result))
        return answers

    def call_first_validated(self, hook: str, shape: type, *, many: bool, council: str,
                             **kwargs: Any) -> Any:
        """The first answer to ``hook`` about ``council``, validated as ``shape``.

        Only the council's own plugin (or the core's defaults) may answer. An answer from
        another plugin, or one that does not fit, is reported against the plugin that gave
        it, that plugin is left out, and the next one (in the end, the default) is asked.
        """
        while True:
            answer, plugin = self._call_first(hook, council=council, **kwargs)
            if plugin is None:
                return [] if many else None
            if plugin not in (self.owners.get(council), *DEFAULT_PLUGINS):
                self._disable(PluginError(
                    plugin, hook, f"answered for council {council!r}, which plugin "
                    f"{self.owners.get(council)!r} defines; return None for other councils"))
                continue
            try:
                return validate(shape, answer, many=many)
            except ContentError as error:
                self._reject(plugin, hook, error)

    def call_all_validated(self, hook: str, shape: type, *, council: str, **kwargs: Any
                           ) -> list[Any]:
        """Every active plugin's answer to a behaviour ``hook`` about ``council``, validated
        as lists of ``shape`` and concatenated; a plugin whose answer does not fit is
        reported and left out, and the others' answers still count."""
        results: list[Any] = []
        for plugin, answer in self.call_all(hook, council=council, **kwargs):
            try:
                results.extend(validate(shape, answer, many=True))
            except ContentError as error:
                self._reject(plugin, hook, error)
        return results

    def _reject(self, plugin: str, hook: str, error: ContentError) -> None:
        for path, message in error.problems.items():
            self.infos[plugin].errors.append(PluginError(plugin, hook, message, path))
        self._disable(None, name=plugin)

    # --- definitions ---------------------------------------------------------------------

    @property
    def councils(self) -> dict[str, Council]:
        """Councils of active plugins, by slug (after every definition was checked)."""
        self.definitions()
        return dict(self._councils)

    def definitions(self) -> dict[str, CouncilDefinition]:
        """Every active council's validated definitions, by slug.

        A plugin disabled while loading may have answered for councils already loaded, so
        loading starts again until a whole pass disables nothing: the result never mixes in
        a failed plugin's answers.
        """
        while self._definitions is None:
            disabled_before = self._disabled
            loaded = {slug: self._load(slug) for slug in list(self._councils)}
            if self._disabled == disabled_before:
                self._definitions = {slug: d for slug, d in loaded.items() if d is not None}
        return self._definitions

    def _load(self, slug: str) -> CouncilDefinition | None:
        answers = {hook: self.call_first_validated(hook, shape, many=many, council=slug)
                   for hook, shape, many in DEFINITION_HOOKS}
        if slug not in self._councils:  # its plugin failed: this pass starts again
            return None
        definition = CouncilDefinition(
            council=self._councils[slug],
            plugin=self.owners[slug],
            vocabulary=answers["vocabulary_for_council"],
            strategy=answers["strategy_for_council"],
            priorities=answers["priorities_for_council"],
            pledges=answers["pledges_for_council"] or PledgeSet(),
            panels=answers["panels_for_council"],
            review_cycles=answers["review_cycles_for_council"],
            partners=answers["partners_for_council"],
            protocols=answers["protocols_for_council"],
        )
        problems = check_keys(definition)
        if problems:
            owner = definition.plugin
            for hook, path, message in problems:
                self.infos[owner].errors.append(PluginError(owner, hook, message, path))
            self._disable(None, name=owner)
        return definition

    @property
    def errors(self) -> list[PluginError]:
        """Every error recorded, in plugin order."""
        self.definitions()
        return [error for info in self.infos.values() for error in info.errors]


def check_keys(definition: CouncilDefinition) -> list[tuple[str, str, str]]:
    """Keys that repeat within a kind, or references to keys that do not exist."""
    problems: list[tuple[str, str, str]] = []

    def unique(hook: str, path: str, keys: Iterable[str]) -> set[str]:
        seen: set[str] = set()
        for index, key in enumerate(keys):
            if key in seen:
                problems.append((hook, f"{path}[{index}].key", f"key {key!r} is used twice"))
            if key.startswith(LOCAL_KEY_PREFIX):
                problems.append((hook, f"{path}[{index}].key",
                                 f"key {key!r}: keys starting with {LOCAL_KEY_PREFIX!r} are "
                                 "reserved for items an administrator adds"))
            seen.add(key)
        return seen

    unique("priorities_for_council", "", (p.key for p in definition.priorities))
    unique("pledges_for_council", "items", (p.key for p in definition.pledges.items))
    for i, pledge in enumerate(definition.pledges.items):
        unique("pledges_for_council", f"items[{i}].actions", (a.key for a in pledge.actions))
    all_actions = [a.key for p in definition.pledges.items for a in p.actions]
    if len(all_actions) != len(set(all_actions)):
        duplicates = sorted({k for k in all_actions if all_actions.count(k) > 1})
        problems.append(("pledges_for_council", "items.actions.key",
                         f"action key(s) {', '.join(duplicates)} used under two pledges"))
    panels = unique("panels_for_council", "", (p.key for p in definition.panels))
    for i, panel in enumerate(definition.panels):
        unique("panels_for_council", f"[{i}].seats", (s.key for s in panel.seats))
        unique("panels_for_council", f"[{i}].standing_items",
               (s.key for s in panel.standing_items))
    cycles = unique("review_cycles_for_council", "", (c.key for c in definition.review_cycles))
    partners = unique("partners_for_council", "", (p.key for p in definition.partners))
    unique("protocols_for_council", "", (p.key for p in definition.protocols))
    parties = panels | partners
    for i, protocol in enumerate(definition.protocols):
        hook = "protocols_for_council"
        for j, party in enumerate(protocol.parties):
            if party not in parties:
                problems.append((hook, f"[{i}].parties[{j}]",
                                 f"{party!r} is neither a panel nor a partner body key"))
        for j, line in enumerate(protocol.reporting_lines):
            for end in ("from_party", "to_party"):
                if getattr(line, end) is not None and getattr(line, end) not in parties:
                    problems.append((hook, f"[{i}].reporting_lines[{j}].{end}",
                                     f"{getattr(line, end)!r} is neither a panel nor a "
                                     "partner body key"))
        for j, role in enumerate(protocol.roles):
            if role.party not in parties:
                problems.append((hook, f"[{i}].roles[{j}].party",
                                 f"{role.party!r} is neither a panel nor a partner body key"))
        if protocol.review_cycle and protocol.review_cycle not in cycles:
            problems.append((hook, f"[{i}].review_cycle",
                             f"{protocol.review_cycle!r} is not a review cycle key"))
        unique(hook, f"[{i}].joint_areas", (a.key for a in protocol.joint_areas))
        unique(hook, f"[{i}].reporting_lines", (r.key for r in protocol.reporting_lines))
    return problems


def make_plugin_host(plugins: Mapping[str, object] | Iterable[object] | None = None
                     ) -> PluginHost:
    """A host with the core's defaults and ``plugins``, or every installed entry point.

    ``plugins`` may map names to plugin objects, or list objects (named by their
    ``__name__`` or type). Entry points are loaded one at a time, so one that fails to
    import is reported and the rest still load.
    """
    host = PluginHost()
    for module_name in DEFAULT_PLUGINS:
        host.add(module_name, importlib.import_module(module_name), builtin=True)
    if plugins is not None:
        named = plugins.items() if isinstance(plugins, Mapping) else (
            (getattr(p, "__name__", None) or type(p).__name__, p) for p in plugins)
        for name, plugin in named:
            host.add(name, plugin)
    else:
        for entry in sorted(entry_points(group=hookspecs.PROJECT), key=lambda e: e.name):
            dist = entry.dist
            dist_name = dist.metadata["Name"] if dist else None
            dist_version = dist.version if dist else None
            try:
                plugin = entry.load()
            except Exception as error:
                host.add_failed_import(entry.name, error, dist_name, dist_version)
                continue
            host.add(entry.name, plugin, version=dist_version, distribution=dist_name,
                     entry_point=True)
    host.pm.check_pending()
    return host
