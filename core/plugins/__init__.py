"""Everything about loading and calling council plugins, in one package.

- :mod:`core.plugins.host`: :class:`PluginHost` and :func:`make_plugin_host`, which load
  every plugin once, eagerly, and refuse the ones that fail;
- :mod:`core.plugins.definitions`: :data:`DEFINITION_HOOKS`, the one list of what a council's
  plugin defines, and :class:`CouncilDefinition`;
- :mod:`core.plugins.report`: :class:`PluginError` and the advice shared by the host, the
  commands and the contract tests (:mod:`core.testing`);
- :mod:`core.plugins.datafile`: :class:`CouncilFile`, a plugin from a TOML data file.

Importing this package pulls in neither Flask nor the database; :func:`plugin_host` (the
app's host) imports Flask when called.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.plugins.datafile import CouncilFile, CouncilFileError
from core.plugins.definitions import (
    DEFINITION_HOOKS,
    LOCAL_KEY_PREFIX,
    CouncilDefinition,
    DefinitionHook,
    check_keys,
)
from core.plugins.host import BUILTIN_PLUGINS, SPECS, PluginHost, make_plugin_host
from core.plugins.report import PluginError, PluginInfo, Rule

if TYPE_CHECKING:
    from flask import Flask

__all__ = [
    "BUILTIN_PLUGINS",
    "DEFINITION_HOOKS",
    "LOCAL_KEY_PREFIX",
    "SPECS",
    "CouncilDefinition",
    "CouncilFile",
    "CouncilFileError",
    "DefinitionHook",
    "PluginError",
    "PluginHost",
    "PluginInfo",
    "Rule",
    "check_keys",
    "make_plugin_host",
    "plugin_host",
]

#: Where an app keeps its host (``app.extensions[EXTENSION]``).
EXTENSION = "cpt_plugins"


def plugin_host(app: Flask | None = None) -> PluginHost:
    """The plugin host of ``app``, by default the current app (inside an app context)."""
    if app is None:
        from flask import current_app

        app = current_app
    return app.extensions[EXTENSION]
