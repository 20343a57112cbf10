"""The production entry point: each worker's start-up objects frozen out of the garbage
collector's way, and its youngest generation collected after more objects than a request
holds."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

#: Objects a collection still walks once the app is imported: the few made after the freeze.
#: Frozen before the app was built, the app's seventy thousand would be among them.
LEFT_AT_MOST = 5_000


def test_importing_the_app_freezes_what_building_it_made(tmp_path: Path) -> None:
    env = {"CPT_DATABASE_URL": f"sqlite:///{tmp_path / 'cpt.db'}",
           "CPT_INSTANCE_PATH": str(tmp_path / "instance"), "CPT_SECRET_KEY": "test",
           "PATH": "/usr/bin:/bin"}
    shown = subprocess.run(
        [sys.executable, "-c",
         "import gc, core.wsgi; print(gc.get_freeze_count(), len(gc.get_objects()), "
         "gc.get_threshold()[0], core.collector.YOUNG_OBJECTS)"],
        env=env, capture_output=True, text=True, check=True, cwd=Path(__file__).parents[2])
    frozen, left, young, wanted = map(int, shown.stdout.split())
    assert left <= LEFT_AT_MOST
    assert frozen > 20 * left
    assert young == wanted > 700  # Python's own threshold is 700
