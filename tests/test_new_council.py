"""A developer can add a council in an afternoon: measured.

In a temporary folder, ``cpt new-plugin`` starts a new council's package and its
``council.toml`` is filled in with a strategy, three priorities, five pledges with two
actions each, a panel with eight seats and a review cycle. The test counts its lines of
plugin code and data, pip-installs it into this virtualenv (and uninstalls it, whatever
happens), loads it with ``cpt db upgrade`` and ``cpt sync`` on a database of its own, serves
it with ``cpt run`` and reads its pages over HTTP. Nothing under ``core/`` changes.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from core.cli import main

ROOT = Path(__file__).parent.parent
SLUG = "afternoon"
DISTRIBUTION = "cpt-afternoon"
MAX_LINES = 150

COUNCIL_TOML = """\
# Afternoon Borough Council: an invented council, written in an afternoon.

[council]
slug = "afternoon"
name = "Afternoon Borough Council"
colour = "#00703c"

[vocabulary]
pledge = "promise"
pledges = "promises"

[strategy]
key = "strategy"
title = "Afternoon corporate parenting strategy 2026 to 2029"
period_start = 2026
period_end = 2029
vision = "Every child we look after grows up safe, heard and ready for adult life."

[[priorities]]
key = "priority-1"
number = 1
title = "Safe and stable homes"
principles = ["f"]

[[priorities]]
key = "priority-2"
number = 2
title = "Heard in every decision"
principles = ["b", "c"]

[[priorities]]
key = "priority-3"
number = 3
title = "Ready for adult life"
principles = ["g"]

[pledges]
declared = 5

[[pledges.items]]
key = "promise-1"
number = 1
title = "We will listen to you"
actions = [
  { key = "action-1.1", number = 1, wording = "Hold a children in care council monthly" },
  { key = "action-1.2", number = 2, wording = "Answer every complaint within ten days" },
]

[[pledges.items]]
key = "promise-2"
number = 2
title = "We will find you a home that lasts"
actions = [
  { key = "action-2.1", number = 1, wording = "Recruit twenty new foster carers" },
  { key = "action-2.2", number = 2, wording = "Keep brothers and sisters together" },
]

[[pledges.items]]
key = "promise-3"
number = 3
title = "We will back you at school"
actions = [
  { key = "action-3.1", number = 1, wording = "Give every child a personal education plan" },
  { key = "action-3.2", number = 2, wording = "Pay for tutoring when it is asked for" },
]

[[pledges.items]]
key = "promise-4"
number = 4
title = "We will look after your health"
actions = [
  { key = "action-4.1", number = 1, wording = "Offer a health check within a month" },
  { key = "action-4.2", number = 2, wording = "Open a drop-in for emotional wellbeing" },
]

[[pledges.items]]
key = "promise-5"
number = 5
title = "We will stand by you after eighteen"
actions = [
  { key = "action-5.1", number = 1, wording = "Keep a personal adviser until twenty-five" },
  { key = "action-5.2", number = 2, wording = "Exempt care leavers from council tax" },
]

[[panels]]
key = "panel"
name = "Afternoon corporate parenting panel"
cycle = { text = "Meets every two months", every_months = 2 }
seats = [
  { key = "chair", role = "Cabinet member for children", chair = true },
  { key = "vice-chair", role = "Shadow cabinet member for children" },
  { key = "councillors", role = "Elected members", count = 3 },
  { key = "young-people", role = "Children in care council", young_people = true },
  { key = "care-leavers", role = "Care leavers' forum", young_people = true },
  { key = "dcs", role = "Director of children's services", voting = false },
  { key = "virtual-school", role = "Virtual school head", voting = false },
  { key = "health", role = "Designated nurse for children in care", partner = "NHS" },
]

[[review_cycles]]
key = "strategy-review"
subject = "The corporate parenting strategy"
interval_text = "annually"
every_months = 12
next_due = 2027-03-31
"""


def plugin_lines(package: Path) -> int:
    """Non-blank lines of the package's Python and TOML files, leaving out its tests."""
    return sum(1 for path in package.rglob("*") if path.suffix in {".py", ".toml"}
               and "tests" not in path.relative_to(package).parts
               for line in path.read_text().splitlines() if line.strip())


def core_status() -> str | None:
    """``git status`` of core/, or None where git or the repository is not there."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        return None
    return subprocess.run(["git", "status", "--porcelain", "--", "core/"], cwd=ROOT,
                          capture_output=True, text=True, check=True).stdout


def pip(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pip", *args, "--quiet", "--no-input"],
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def installed(tmp_path: Path) -> Iterator[Path]:
    """The new council's package, written, counted and installed; uninstalled afterwards."""
    assert CliRunner().invoke(main, ["new-plugin", SLUG, "--dir", str(tmp_path)]).exit_code == 0
    package = tmp_path / DISTRIBUTION
    (package / "cpt_afternoon" / "council.toml").write_text(COUNCIL_TOML)
    lines = plugin_lines(package)
    print(f"\n{DISTRIBUTION}: {lines} lines of plugin code and data (at most {MAX_LINES})")
    assert lines <= MAX_LINES
    pip("uninstall", "-y", DISTRIBUTION)  # left over from a run that was killed
    try:
        result = pip("install", "--no-deps", "--no-build-isolation", str(package))
        assert result.returncode == 0, result.stderr
        yield package
    finally:
        pip("uninstall", "-y", DISTRIBUTION)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str, deadline: float) -> str:
    """The page at ``url``, waiting for the server to start until ``deadline``."""
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode()
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def text_of(html: str) -> str:
    """The page's text, tags dropped and entities for quotes undone."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#39;", "'")


def test_a_new_council_is_served_with_no_change_to_the_core(installed: Path,
                                                            tmp_path: Path) -> None:
    before = core_status()
    cpt = str(Path(sys.executable).with_name("cpt"))
    env = {**os.environ, "CPT_INSTANCE_PATH": str(tmp_path / "instance"),
           "CPT_DATABASE_URL": f"sqlite:///{tmp_path / 'afternoon.sqlite3'}"}
    for command in (["db", "upgrade"], ["sync"]):
        result = subprocess.run([cpt, *command], env=env, capture_output=True, text=True,
                                timeout=60)
        assert result.returncode == 0, result.stdout + result.stderr
    assert "afternoon: council added" in result.stdout.splitlines()

    port = free_port()
    server = subprocess.Popen([cpt, "run", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base, deadline = f"http://127.0.0.1:{port}/{SLUG}", time.monotonic() + 30
        overview = text_of(fetch(f"{base}/", deadline))
        pledges = text_of(fetch(f"{base}/pledges", deadline))
        panel = text_of(fetch(f"{base}/panels/panel", deadline))
        strategy = text_of(fetch(f"{base}/strategy", deadline))
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

    data = tomllib.loads(COUNCIL_TOML)
    assert "Afternoon Borough Council" in overview
    assert data["strategy"]["title"] in strategy and data["strategy"]["vision"] in strategy
    for priority in data["priorities"]:
        assert priority["title"] in overview and priority["title"] in strategy
    for pledge in data["pledges"]["items"]:
        assert pledge["title"] in overview and pledge["title"] in pledges
        for action in pledge["actions"]:
            assert action["wording"] in pledges
    assert "8 seats" in panel
    for seat in data["panels"][0]["seats"]:
        assert seat["role"] in panel
    assert core_status() == before
