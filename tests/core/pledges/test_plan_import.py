"""`cpt import-plan`: a council's action plan spreadsheet becomes the pledges part of its
plugin's council.toml, with every problem reported and nothing half written."""

from __future__ import annotations

import csv
import tomllib
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient

from core.cli import main
from core.content import PledgeSet, validate
from tests.core.growth import pledge_set

BRACKNELL = "bracknell_forest"


def bracknell_rows(header: list[str], *, merged: bool, numbers: str) -> list[list[Any]]:
    """Bracknell Forest's published plan as a council's spreadsheet would hold it, made from
    its plugin's definitions: a title row, the header, then one row per action. With
    ``merged``, a pledge is written only on its first action's row (merged cells);
    ``numbers`` is ``"full"`` (3.2) or ``"short"`` (2) action numbers."""
    rows: list[list[Any]] = [["Corporate Parenting Strategy action plan 2025 to 2028"], header]
    for pledge in pledge_set(BRACKNELL).items:
        for index, action in enumerate(pledge.actions):
            first = index == 0 or not merged
            cells = {
                "pledge": f"{pledge.number}. {pledge.title}" if first else None,
                "statement": pledge.statement if first else None,
                "number": (f"{pledge.number}.{action.number}" if numbers == "full"
                           else action.number),
                "officer": action.officer,
                "timeline": action.timeline.text if action.timeline else None,
                "links": "\n".join(action.links) or None,
                "outcomes": "\n".join(f"• {o}" for o in action.outcomes) or None,
            }
            rows.append(list(cells.values()))
    return rows


def run(*args: str) -> Any:
    return CliRunner().invoke(main, ["import-plan", *args])


def imported(text: str) -> PledgeSet:
    """The TOML written, read back as a plugin's council.toml would be."""
    return validate(PledgeSet, tomllib.loads(text)["pledges"])


def test_bracknell_forests_workbook_gives_its_pledges_and_actions(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    header = ["Pledge", "Pledge statement", "Action ref", "Lead officer", "Timescale",
              "Link to other action plans or strategy initiatives", "Expected outcome(s)"]
    for row in bracknell_rows(header, merged=True, numbers="full"):
        sheet.append(row)
    path = tmp_path / "bracknell-action-plan.xlsx"
    book.save(path)

    result = run(str(path))
    assert result.exit_code == 0, result.output
    plan = imported(result.stdout)
    assert plan.items == pledge_set(BRACKNELL).items
    assert sum(len(p.actions) for p in plan.items) == 45
    assert all(action.wording is None for p in plan.items for action in p.actions)


def test_a_csv_with_other_header_words_gives_the_same(tmp_path: Path) -> None:
    header = ["Promise", "Statement", "No", "Responsible officer", "By when", "Links",
              "Outcome"]
    path = tmp_path / "plan.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        csv.writer(out).writerows(bracknell_rows(header, merged=False, numbers="short"))
    target = tmp_path / "council.toml"
    result = run(str(path), "--output", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert imported(target.read_text(encoding="utf-8")).items == pledge_set(BRACKNELL).items


def test_the_plan_downloaded_from_the_toolkit_reads_back(client: FlaskClient,
                                                          tmp_path: Path) -> None:
    path = tmp_path / "downloaded.csv"
    path.write_bytes(client.get(f"/{BRACKNELL}/pledges/action-plan.csv").get_data())
    result = run(str(path))
    assert result.exit_code == 0, result.output
    assert imported(result.stdout).items == pledge_set(BRACKNELL).items


def write_csv(path: Path, rows: list[list[Any]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(rows)
    return path


def test_missing_columns_are_named(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "plan.csv", [["Theme", "Notes"], ["Health", "Something"]])
    target = tmp_path / "council.toml"
    result = run(str(path), "-o", str(target))
    assert result.exit_code == 1
    assert "No Pledge column" in result.stderr and "“Promise”" in result.stderr
    assert "No column describing the actions" in result.stderr
    assert "Responsible officer" in result.stderr and "Timescale" in result.stderr
    assert not target.exists()


def test_every_bad_row_is_reported_by_row_and_column(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "plan.csv", [
        ["Pledge number", "Pledge", "Action number", "Action", "Lead officer"],
        ["", "", "1", "Orphan action", "Someone"],
        ["1", "Keep you safe", "1.1", "Train carers", "Head of Service"],
        ["", "", "1.x", "Bad number", "Someone"],
        ["", "", "2.1", "Under the wrong pledge", "Someone"],
        ["", "", "1.1", "Again", "Someone"],
        ["one", "Listen to you", "1", "Hold forums", "Participation lead"],
    ])
    result = run(str(path))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "Row 2, column B (Pledge): an action with no pledge above it or beside it.",
        "Row 4, column C (Action number): “1.x” is not an action number such as 1.2 or 2.",
        "Row 5, column C (Action number): action 2.1 is not of pledge 1, which this row is "
        "under.",
        "Row 6, column C (Action number): action 1.1 is there twice.",
        "Row 7, column A (Pledge number): “one” is not a whole number.",
    ]


@pytest.mark.parametrize(("name", "message"), [
    ("plan.pdf", "give an Excel workbook (.xlsx) or a CSV file (.csv)"),
])
def test_other_files_are_refused(tmp_path: Path, name: str, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"%PDF-1.7")
    result = run(str(path))
    assert result.exit_code == 1 and message in result.stderr
