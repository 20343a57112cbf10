"""The attendance table of the clerk's meeting page, as Python writes its rows: each
member's name and seat, what is recorded of them in each of the four ways or nothing yet,
and the council's data escaped where it goes into markup."""

from __future__ import annotations

from flask import Flask

from core.meetings.register_cells import register_rows
from core.meetings.services import Recorded, RegisterLine, SeatFacts
from core.panels.membership import Named
from core.widgets import kept_component


def _line(membership_id: int, name: str, role: str) -> RegisterLine:
    return RegisterLine(membership_id, Named(membership_id * 10, name),
                        SeatFacts(role, True, False))


def test_each_member_has_a_row_saying_what_is_recorded(app: Flask) -> None:
    register = [_line(1, "Ann <Chair>", "Chair & lead member"), _line(2, "Ben", "Member"),
                _line(3, "Cath", "Member"), _line(4, "Dev", "Member"),
                _line(5, "Eve", "Member"), _line(6, "Fay", "Member")]
    attendance = {1: Recorded("present", None), 2: Recorded("apologies", None),
                  3: Recorded("absent", None),
                  4: Recorded("substitute", Named(99, "Sam <O'Neil>")),
                  5: Recorded("substitute", None)}
    with app.test_request_context("/"):
        rows = register_rows(register, attendance)
        table = str(kept_component("table", "govukTable", {
            "head": [{"text": "Member"}, {"text": "Seat"}, {"text": "Attendance"}],
            "rows": rows}))
    assert [[cell.get("text") for cell in row[:2]] for row in rows] == [
        ["Ann <Chair>", "Chair & lead member"], ["Ben", "Member"], ["Cath", "Member"],
        ["Dev", "Member"], ["Eve", "Member"], ["Fay", "Member"]]
    assert [str(row[2]["html"]) for row in rows] == [
        "Present", "Apologies", "Absent", "Substitute: Sam &lt;O&#39;Neil&gt;",
        "Substitute: –", '<span class="app-missing">Not recorded</span>']
    assert "Ann &lt;Chair&gt;" in table and "Chair &amp; lead member" in table
    assert "<Chair>" not in table and "Sam <O" not in table
