"""A council plugin's own templates, static files and translations, found without configuration.

A plugin's *folder* is the folder of its data file for a :class:`core.CouncilFile`
(or subclass), otherwise the package of the module that defines it (the module itself for a
module plugin). Three sub-folders count:

``templates/``
    A template there replaces the core's template of the same name on the pages of the
    plugin's own councils only (while ``g.council`` is one of them). It is loaded under the
    name ``council/<slug>/<name>``, so each council's template is cached apart; from inside
    it, the core's template of the same name is reached by that name (``{% extends
    "councils/overview.html" %}`` in ``templates/councils/overview.html``).
``static/``
    Served at ``/plugins/<slug>/static/<path>`` (endpoint ``plugin_assets.static``).
``translations/``
    gettext catalogues (``<locale>/LC_MESSAGES/messages.mo``) merged after the core's.

Folders are looked at once, when the app is built.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from flask import Blueprint, Flask, abort, g, has_app_context, send_from_directory
from flask.templating import Environment
from flask_babel import get_babel
from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader, Template

from core.plugins.datafile import CouncilFile
from core.plugins.host import PluginHost

#: Template names starting with this (then ``<slug>/``) are a plugin's own templates.
PREFIX = "council"

#: Where a plugin's ``static/`` folder is served (endpoint ``plugin_assets.static``).
STATIC_URL = "/plugins/<slug>/static/<path:filename>"

#: The core's own package folder: never a plugin's folder.
CORE = Path(__file__).resolve().parent.parent


@dataclass
class PluginAssets:
    """What plugins bring besides hooks, by council slug; kept in ``app.extensions``."""

    #: slug -> the plugin's templates folder, and the template names it holds.
    templates: dict[str, Path] = field(default_factory=dict)
    template_names: dict[str, frozenset[str]] = field(default_factory=dict)
    #: slug -> the plugin's static folder.
    static: dict[str, Path] = field(default_factory=dict)
    #: The plugins' translations folders, in plugin order.
    translations: list[Path] = field(default_factory=list)


def plugin_folder(plugin: object) -> Path | None:
    """The folder a plugin's templates, static files and translations live in, if any."""
    if isinstance(plugin, CouncilFile):
        folder = plugin.path.resolve().parent if plugin.path.is_file() else None
    else:
        module = plugin if isinstance(plugin, ModuleType) else sys.modules.get(
            type(plugin).__module__)
        folder = _package_folder(module) if module is not None else None
    if folder is None or not folder.is_dir() or folder.is_relative_to(CORE):
        return None
    return folder


def _package_folder(module: ModuleType) -> Path | None:
    """A package's folder; for a plain module, the folder of the package holding it (never
    a top-level folder such as site-packages)."""
    if getattr(module, "__path__", None) and getattr(module, "__file__", None):
        return Path(module.__file__).resolve().parent
    package = sys.modules.get(module.__package__ or "")
    return _package_folder(package) if package is not None else None


def _council_folders(host: PluginHost) -> Iterator[tuple[list[str], Path]]:
    """Each active plugin owning councils, with a folder: its councils and its folder."""
    owned: dict[str, list[str]] = {}
    for slug, name in host.owners.items():
        owned.setdefault(name, []).append(slug)
    for name, slugs in owned.items():
        folder = plugin_folder(host.pm.get_plugin(name))
        if folder is not None:
            yield sorted(slugs), folder


def find_plugin_assets(host: PluginHost) -> PluginAssets:
    """The templates, static and translations folders of every active council plugin."""
    assets = PluginAssets()
    for slugs, folder in _council_folders(host):
        templates, static, translations = (folder / "templates", folder / "static",
                                           folder / "translations")
        for slug in slugs:
            if templates.is_dir():
                assets.templates[slug] = templates
                assets.template_names[slug] = frozenset(
                    FileSystemLoader(templates).list_templates())
            if static.is_dir():
                assets.static[slug] = static
        if translations.is_dir():
            assets.translations.append(translations)
    return assets


#: Library templates the core's own stand in front of: each answers the cheap cases itself
#: and imports the library's for the rest (its own import of the library's name is not
#: redirected), with the same output.
IN_FRONT = {"govuk_frontend_jinja/macros/attributes.html": "govuk_attributes.html"}


class CouncilTemplates(Environment):
    """Flask's Jinja environment, preferring the council's own template of a name.

    While ``g.council`` is set, a template name its plugin provides is loaded as
    ``council/<slug>/<name>`` instead; every other name, and every name outside a council's
    pages, loads as usual. Selection is by name, so Jinja's cache (by name) stays right.
    """

    #: slug -> the template names its plugin provides (set by :func:`register_plugin_assets`).
    council_templates: dict[str, frozenset[str]]

    def council_name(self, name: str | Template, parent: str | None) -> str | Template:
        """The name to load for ``name`` on the current council's page (or for a library
        template the core answers in part, :data:`IN_FRONT`)."""
        if not isinstance(name, str):
            return name
        front = IN_FRONT.get(name)
        if front is not None and parent != front:
            return front
        if not has_app_context():
            return name
        council = getattr(g, "council", None)
        slug = getattr(council, "slug", None)
        if slug is None or name not in getattr(self, "council_templates", {}).get(slug, ()):
            return name
        own = f"{PREFIX}/{slug}/{name}"
        return name if parent == own else own  # the plugin's template reaches the core's

    def make_globals(self, d: Any = None) -> Any:
        """A template's globals as one plain dict (Jinja's own is a ChainMap over the
        environment's globals). Every ``{% from … import … %}`` compares the importing
        context's globals with the imported template's, key by key; over a ChainMap that
        costs a Python call per key and import (about a tenth of a small page's render),
        over a dict it is one C set operation. The environment's globals are all set while
        the app is made, before any template loads."""
        return {**self.globals, **(d or {})}

    def get_template(self, name: str | Template, parent: str | None = None,
                     globals: Any = None) -> Template:
        return super().get_template(self.council_name(name, parent), parent, globals)

    def select_template(self, names: Any, parent: str | None = None,
                        globals: Any = None) -> Template:
        if isinstance(names, list | tuple):
            names = [self.council_name(name, parent) for name in names]
        return super().select_template(names, parent, globals)


def _use_council_templates(app: Flask, names: dict[str, frozenset[str]]) -> None:
    """Tell the app's :class:`CouncilTemplates` environment which councils override what."""
    env = app.jinja_env
    if not isinstance(env, CouncilTemplates):
        raise TypeError(f"the app's Jinja environment is a {type(env).__name__}; plugin "
                        "templates need an app whose jinja_environment is CouncilTemplates "
                        "(core.app.CorporateParentingApp)")
    env.council_templates = names


def _static_blueprint(folders: dict[str, Path]) -> Blueprint:
    blueprint = Blueprint("plugin_assets", __name__)

    @blueprint.route(STATIC_URL, endpoint="static")
    def static(slug: str, filename: str) -> Any:
        """A file from a council plugin's ``static/`` folder."""
        if slug not in folders:
            abort(404)
        return send_from_directory(folders[slug], filename)

    return blueprint


def register_plugin_assets(app: Flask, host: PluginHost) -> None:
    """Use the active council plugins' templates, static files and translations in ``app``.

    Call once, after the app's Jinja environment and Flask-Babel are set up.
    """
    assets = find_plugin_assets(host)
    app.extensions["cpt_plugin_assets"] = assets
    _use_council_templates(app, assets.template_names)
    if assets.templates:
        app.jinja_loader = ChoiceLoader([
            *([app.jinja_loader] if app.jinja_loader else []),
            PrefixLoader({PREFIX: PrefixLoader({
                slug: FileSystemLoader(folder) for slug, folder in assets.templates.items()})}),
        ])
    if assets.static:
        app.register_blueprint(_static_blueprint(assets.static))
    babel = get_babel(app)
    if assets.translations:
        babel.translation_directories.extend(
            str(folder) for folder in assets.translations
            if str(folder) not in babel.translation_directories)
        app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(babel.translation_directories)
    # Flask-Babel caches catalogues by locale on the Babel object all apps share; a new app
    # with other directories must not reuse catalogues another app loaded.
    domain = vars(babel.instance).get("domain_instance")  # made on first use
    if domain is not None:
        domain.cache.clear()
