"""Papers on agenda items: reports uploaded as PDF, Word, spreadsheet or OpenDocument files.

A file is accepted when its extension is one of :data:`FILE_TYPES` **and** its content is
of that kind (its first bytes, and for the zipped formats the parts inside), and when it is
no larger than ``PAPER_MAX_MB`` megabytes (env ``CPT_PAPER_MAX_MB``, default 20). It is
kept outside the web root, under ``PAPERS_PATH`` (env ``CPT_PAPERS_PATH``, default
``<instance folder>/papers``), under a generated name; the name it was uploaded with is
kept only to be given back on download. Public papers download from the public meeting
page; exempt ones (Schedule 12A to the Local Government Act 1972, with the paragraph
noted) only from the admin.
"""

from __future__ import annotations

import io
import os
import uuid
import zipfile
from collections.abc import Iterable
from pathlib import Path, PurePath
from typing import IO

from flask import Response, abort, current_app, send_file
from sqlalchemy import bindparam, select

from core import row_reads
from core.extensions import db
from core.forms import FieldError
from core.meetings.models import AgendaItem, Meeting
from core.meetings.record_models import Paper, PaperFacts
from core.translations import gettext as _
from core.translations import lazy_gettext as _l

#: Accepted extensions, each with its media type and a description for the page.
FILE_TYPES: dict[str, tuple[str, str]] = {
    "pdf": ("application/pdf", "PDF"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             "Word"),
    "doc": ("application/msword", "Word"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel"),
    "xls": ("application/vnd.ms-excel", "Excel"),
    "csv": ("text/csv", "CSV"),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", "OpenDocument spreadsheet"),
    "odt": ("application/vnd.oasis.opendocument.text", "OpenDocument text"),
}
DEFAULT_MAX_MB = 20

#: The exempt categories: the paragraphs of Schedule 12A to the Local Government Act 1972.
EXEMPTIONS = {
    "para-1": _l("Paragraph 1: information about an individual"),
    "para-2": _l("Paragraph 2: information likely to identify an individual"),
    "para-3": _l("Paragraph 3: financial or business affairs"),
    "para-4": _l("Paragraph 4: labour relations consultations or negotiations"),
    "para-5": _l("Paragraph 5: legal professional privilege"),
    "para-6": _l("Paragraph 6: notices, orders or directions under an enactment"),
    "para-7": _l("Paragraph 7: prevention, investigation or prosecution of crime"),
}

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: The first bytes of the other kinds: a file starting so is not plain text (CSV).
_SIGNATURES = (b"%PDF-", b"PK\x03\x04", _OLE2)


def papers_path() -> Path:
    """Where paper files are kept (created on first use)."""
    path = Path(current_app.config["PAPERS_PATH"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def max_bytes() -> int:
    """The largest paper accepted, in bytes."""
    return int(current_app.config.get("PAPER_MAX_MB", DEFAULT_MAX_MB)) * 1024 * 1024


def extension_of(filename: str) -> str:
    """The lower-case extension of ``filename``, without the dot ('' if none)."""
    return PurePath(filename).suffix.lower().lstrip(".")


def _zip_names(data: bytes) -> set[str] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, ValueError):
        return None


def _open_document_type(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.read("mimetype").decode("ascii", "replace").strip()
    except (zipfile.BadZipFile, KeyError, ValueError):
        return None


def _looks_like_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    for encoding in ("utf-8", "cp1252"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False


def content_is(file_type: str, data: bytes) -> bool:
    """Whether ``data`` is a file of ``file_type`` (one of :data:`FILE_TYPES`) by its
    content: a PDF's header, the Office 97-2003 compound file signature with its Word or
    Excel stream, the parts of an
    Office Open XML package, an OpenDocument's ``mimetype``, or plain text (UTF-8 or
    Windows-1252, without the other kinds' first bytes) for CSV."""
    match file_type:
        case "pdf":
            return data.startswith(b"%PDF-")
        case "doc":
            return data.startswith(_OLE2) and "WordDocument".encode("utf-16-le") in data
        case "xls":
            return data.startswith(_OLE2) and any(
                name.encode("utf-16-le") in data for name in ("Workbook", "Book"))
        case "docx" | "xlsx":
            names = _zip_names(data) if data.startswith(b"PK\x03\x04") else None
            part = "word/document.xml" if file_type == "docx" else "xl/workbook.xml"
            return bool(names) and "[Content_Types].xml" in names and part in names
        case "odt" | "ods":
            return (data.startswith(b"PK\x03\x04")
                    and _open_document_type(data) == FILE_TYPES[file_type][0])
        case "csv":
            return (bool(data.strip()) and not data.startswith(_SIGNATURES)
                    and _looks_like_text(data))
    return False


def read_upload(stream: IO[bytes], filename: str) -> tuple[str, bytes]:
    """Check an uploaded file and give (its type, its bytes); refuses with a
    :class:`~core.forms.FieldError` on ``paper_file`` saying what is wrong."""
    file_type = extension_of(filename)
    if file_type not in FILE_TYPES:
        raise FieldError("paper_file", _(
            "The selected file must be a PDF, Word document (.docx or .doc), spreadsheet "
            "(.xlsx, .xls, .csv or .ods) or OpenDocument text (.odt)"))
    limit = max_bytes()
    data = stream.read(limit + 1)
    if not data:
        raise FieldError("paper_file", _("The selected file is empty"))
    if len(data) > limit:
        raise FieldError("paper_file", _("The selected file must be smaller than %(mb)d MB",
                                         mb=limit // (1024 * 1024)))
    if not content_is(file_type, data):
        raise FieldError("paper_file", _(
            "The selected file is not a real %(kind)s file: its content does not match its "
            "name (.%(ext)s)", kind=FILE_TYPES[file_type][1], ext=file_type))
    return file_type, data


def store(data: bytes, file_type: str) -> str:
    """Write ``data`` under a new generated name and give the name."""
    name = f"{uuid.uuid4().hex}.{file_type}"
    folder = papers_path()
    partial = folder / f".{name}.part"
    partial.write_bytes(data)
    os.replace(partial, folder / name)
    return name


def _clean_filename(filename: str) -> str:
    """The uploaded name without any folder, for the download only."""
    return PurePath(filename.replace("\\", "/")).name[-255:] or "paper"


def add_paper(meeting: Meeting, item: AgendaItem, *, title: str, stream: IO[bytes],
              filename: str, public: bool, exemption: str | None) -> Paper:
    """Check, keep and record a paper on ``item``; refuses with a
    :class:`~core.forms.FieldError` naming the field at fault."""
    if not public and exemption not in EXEMPTIONS:
        raise FieldError("paper_exemption", _("Choose why the paper is exempt"))
    file_type, data = read_upload(stream, filename)
    stored = store(data, file_type)
    paper = Paper(council_id=meeting.council_id, meeting_id=meeting.id,
                  agenda_item_id=item.id, title=title, filename=_clean_filename(filename),
                  stored_name=stored, file_type=file_type, size=len(data), public=public,
                  exemption=None if public else exemption)
    db.session.add(paper)
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        (papers_path() / stored).unlink(missing_ok=True)
        raise
    return paper


def remove_papers(papers: Iterable[Paper]) -> list[str]:
    """Delete paper rows (the caller commits) and give the stored names no other paper
    uses, to delete with :func:`delete_files` after the commit."""
    names = set()
    for paper in papers:
        names.add(paper.stored_name)
        db.session.delete(paper)
    db.session.flush()
    if not names:
        return []
    # Across councils, not within one: the storage path is the deployment's, and the demo's
    # councils all share one file.
    used = set(db.session.scalars(select(Paper.stored_name).where(
        Paper.stored_name.in_(names)).group_by(Paper.stored_name)))
    return sorted(names - used)


def delete_files(names: Iterable[str]) -> None:
    """Delete stored files no paper points at any more."""
    for name in names:
        (papers_path() / name).unlink(missing_ok=True)


def remove_paper(paper: Paper) -> None:
    """Remove one paper, and its file if no other paper shares it."""
    unused = remove_papers([paper])
    db.session.commit()
    delete_files(unused)


class PaperRow(row_reads.row_class(Paper, PaperFacts)):  # type: ignore[misc]
    """A paper as a meeting's pages and agenda pack list it: its columns by attribute, and
    whether it is exempt (:class:`~core.meetings.record_models.PaperFacts`). Read only: a
    paper is replaced or removed through :func:`paper_or_404`'s model."""

    __slots__ = ()


_OF_MEETING = (select(*row_reads.record_columns(Paper))
               .where(Paper.council_id == bindparam("council_id"),
                      Paper.meeting_id == bindparam("meeting_id"))
               .order_by(Paper.agenda_item_id, Paper.id))
_PUBLIC_OF_MEETING = _OF_MEETING.where(Paper.public.is_(True))


def papers_by_item_read(council_id: int, meeting_id: int, *, public_only: bool
                        ) -> row_reads.Read:
    """The statement :func:`papers_by_item` runs, for a page to send with others (with
    the meeting's own read: it needs only the meeting's id)."""
    return row_reads.Read(_PUBLIC_OF_MEETING if public_only else _OF_MEETING,
                          {"council_id": council_id, "meeting_id": meeting_id})


def papers_by_item(meeting: Meeting, *, public_only: bool) -> dict[int, list[PaperRow]]:
    """The meeting's papers by agenda item id (one statement); only public ones for the
    public."""
    found: dict[int, list[PaperRow]] = {}
    for row in row_reads.rows(*papers_by_item_read(meeting.council_id, meeting.id,
                                                   public_only=public_only)):
        paper = PaperRow._make(row)
        found.setdefault(paper.agenda_item_id, []).append(paper)
    return found


def paper_or_404(meeting: Meeting, paper_id: int, *, public_only: bool) -> Paper:
    """One paper of the meeting (a public one only, for the public), or a 404."""
    query = select(Paper).where(Paper.id == paper_id, Paper.council_id == meeting.council_id,
                                Paper.meeting_id == meeting.id)
    if public_only:
        query = query.where(Paper.public.is_(True))
    paper = db.session.scalar(query)
    if paper is None:
        abort(404)
    return paper


def send_paper(paper: Paper) -> Response:
    """The paper's file as a download under the name it was uploaded with; a 404 if the
    file has gone from the storage path."""
    path = papers_path() / paper.stored_name
    if not path.is_file():
        abort(404)
    # Read whole (papers are at most PAPER_MAX_MB): no file handle is left to the server
    # to close, and a file replaced meanwhile is sent whole or not at all.
    response = send_file(io.BytesIO(path.read_bytes()),
                         mimetype=FILE_TYPES[paper.file_type][0], as_attachment=True,
                         download_name=paper.filename, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response

