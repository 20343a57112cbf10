"""The production entry point: each worker's start-up objects frozen out of the garbage
collector's way."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

#: Start-up makes over a hundred thousand objects; a frozen few would mean the freeze came
#: before the app was built.
FROZEN_AT_LEAST = 50_000


def test_importing_the_app_freezes_what_start_up_made(tmp_path: Path) -> None:
    env = {"CPT_DATABASE_URL": f"sqlite:///{tmp_path / 'cpt.db'}",
           "CPT_INSTANCE_PATH": str(tmp_path / "instance"), "CPT_SECRET_KEY": "test",
           "PATH": "/usr/bin:/bin"}
    shown = subprocess.run(
        [sys.executable, "-c", "import gc, core.wsgi; print(gc.get_freeze_count())"],
        env=env, capture_output=True, text=True, check=True, cwd=Path(__file__).parents[2])
    assert int(shown.stdout) >= FROZEN_AT_LEAST
