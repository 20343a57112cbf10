"""The corporate parenting toolkit's core.

The public face is small: :data:`hookimpl` and :class:`CouncilFile` for plugins,
:func:`create_app` for deployers and :data:`__version__`. Importing ``core`` for
``hookimpl`` pulls in neither Flask nor the database; :class:`CouncilFile` and
:func:`create_app` are imported on first use.
"""

from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

from core.hookspecs import hookimpl

try:
    __version__ = version("corporate-parenting-toolkit")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

if TYPE_CHECKING:
    from core.app import create_app
    from core.plugins.datafile import CouncilFile

__all__ = ["CouncilFile", "__version__", "create_app", "hookimpl"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from core.app import create_app

        return create_app
    if name == "CouncilFile":
        from core.plugins.datafile import CouncilFile

        return CouncilFile
    raise AttributeError(name)
