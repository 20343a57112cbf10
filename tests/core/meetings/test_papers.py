"""Papers' files: the type by content, not only the name, and storage under generated
names outside the web root."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from flask import Flask

from core.forms import FieldError
from core.meetings.papers import FILE_TYPES, content_is, papers_path, read_upload, store
from tests.conftest import SMALL_PDF

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def compound(stream: str) -> bytes:
    """An Office 97-2003 compound file's signature and a directory entry naming
    ``stream`` (UTF-16), as Word ("WordDocument") and Excel ("Workbook") write them."""
    return OLE2 + stream.encode("utf-16-le") + b"\x00" * 64


def package(*names: str, mimetype: str | None = None) -> bytes:
    """A zip holding ``names`` (and an OpenDocument ``mimetype`` first, if given)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if mimetype:
            archive.writestr("mimetype", mimetype)
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


REAL = {
    "pdf": SMALL_PDF,
    "doc": compound("WordDocument"),
    "xls": compound("Workbook"),
    "docx": package("[Content_Types].xml", "word/document.xml"),
    "xlsx": package("[Content_Types].xml", "xl/workbook.xml"),
    "odt": package("content.xml", mimetype=FILE_TYPES["odt"][0]),
    "ods": package("content.xml", mimetype=FILE_TYPES["ods"][0]),
    "csv": "Measure,Value\nPlacement moves,12\nCafé visits,3\n".encode(),
}


@pytest.mark.parametrize("file_type", sorted(FILE_TYPES))
def test_each_type_is_recognised_by_its_content_and_no_other(file_type: str) -> None:
    assert content_is(file_type, REAL[file_type])
    others = {kind: data for kind, data in REAL.items() if data != REAL[file_type]}
    for other, data in others.items():
        assert not content_is(file_type, data), (file_type, other)
    assert not content_is(file_type, b"MZ\x90\x00 an executable")
    assert not content_is(file_type, OLE2)  # a compound file of neither Word nor Excel


def test_a_refused_file_names_the_field_and_says_why(app: Flask) -> None:
    with app.app_context():
        for name, data, words in [
                ("r.pdf", b"<html>", "not a real PDF file"),
                ("r.xlsx", REAL["docx"], "not a real Excel file"),
                ("r.odt", REAL["ods"], "not a real OpenDocument text file"),
                ("r.exe", SMALL_PDF, "must be a PDF"),
                ("r.pdf", b"", "is empty")]:
            with pytest.raises(FieldError) as refused:
                read_upload(io.BytesIO(data), name)
            assert refused.value.field == "paper_file"
            assert words in str(refused.value), name
        assert read_upload(io.BytesIO(REAL["docx"]), "Budget 2026.DOCX")[0] == "docx"


def test_files_are_kept_under_generated_names_in_the_papers_path(app: Flask,
                                                                  tmp_path: Path) -> None:
    app.config["PAPERS_PATH"] = str(tmp_path / "kept")
    with app.app_context():
        first, second = store(SMALL_PDF, "pdf"), store(SMALL_PDF, "pdf")
        assert first != second and first.endswith(".pdf") and len(first) == 36
        assert (papers_path() / first).read_bytes() == SMALL_PDF
        assert sorted(p.name for p in papers_path().iterdir()) == sorted([first, second])
