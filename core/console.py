"""The ``cpt`` console script: the commands of :mod:`core.cli`, started with Python's cyclic
garbage collector paused.

Importing the commands and building the app make about 110,000 objects that live as long as
the process, and the collector would walk them again and again while they are made (about
0.05 s of each start of ``cpt run``). :func:`core.cli.command_app` resumes it, with those
objects frozen out of its way, as soon as the command's app is built; a command that builds
no app (``cpt new-plugin``, ``--help``) is over in moments.
"""

from __future__ import annotations

import gc


def main() -> None:
    """Run ``cpt`` with the arguments of the command line."""
    gc.disable()
    from core.cli import main as commands

    commands()
