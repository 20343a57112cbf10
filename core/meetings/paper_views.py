"""Public downloads of a meeting's public papers (exempt papers are a 404 here: they are
downloaded only from the admin). Not page-cached: files are sent from the storage path."""

from __future__ import annotations

from flask import g
from werkzeug.wrappers import Response

from core.councils.scoping import council_blueprint
from core.meetings.papers import paper_or_404, send_paper
from core.meetings.services import meeting_or_404

paper_files = council_blueprint("meeting_papers", __name__, "/meetings")


@paper_files.get("/<int:meeting_id>/papers/<int:paper_id>")
def download(meeting_id: int, paper_id: int) -> Response:
    """A public paper of the meeting, under the name it was uploaded with."""
    meeting = meeting_or_404(g.council, meeting_id, agenda=False)
    return send_paper(paper_or_404(meeting, paper_id, public_only=True))
