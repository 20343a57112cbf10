"""Rendering a document: its template to HTML, the HTML to a PDF, and the answer."""

from __future__ import annotations

import re
from typing import Any

from flask import Response, current_app, render_template, url_for
from markupsafe import Markup

from core.councils.models import Council
from core.documents.pdf import html_to_pdf
from core.translations import gettext as _

#: The ``Creator`` in every document's metadata.
GENERATOR = "Corporate parenting toolkit"


def document_language(council: Council) -> str:
    """The language of the council's documents, as ``<html lang>`` wants it (``en-GB``)."""
    return (council.locale or "en_GB").replace("_", "-")


def css_string(text: str) -> Markup:
    """``text`` as a quoted CSS string, safe inside a ``<style>`` element (the footer of
    each page is written in CSS): quotes, backslashes, ``<``, ``>``, ``&`` and control
    characters are escaped the CSS way."""
    escaped = "".join(f"\\{ord(ch):x} " if ch in '"\\<>&' or ord(ch) < 32 else ch
                      for ch in str(text))
    return Markup(f'"{escaped}"')


def page_numbers() -> Markup:
    """CSS ``content`` for "Page 2 of 5" in the council's language (one message, so that
    a translation may order the words as its language does)."""
    text = _("Page %(page)s of %(pages)s", page="{page}", pages="{pages}")
    parts = [part for part in re.split(r"(\{pages?\})", text) if part]
    return Markup(" ".join(f"counter({part[1:-1]})" if part in ("{page}", "{pages}")
                           else css_string(part) for part in parts))


def render_html(template: str, *, council: Council, title: str, **context: Any) -> str:
    """The document's HTML: ``template`` (which extends ``documents/base.html``) with the
    council (its name is the author, its colour on the page), the ``title`` (the PDF's
    title too) and the language of the council's locale."""
    return render_template(template, council=council, document_title=title,
                           author=council.name, lang=document_language(council),
                           generator=GENERATOR, css_string=css_string, page_numbers=page_numbers,
                           **context)


def render_pdf(template: str, *, council: Council, title: str, **context: Any) -> bytes:
    """The document as a tagged PDF (see :func:`render_html` for its arguments). Needs a
    request (or ``SERVER_NAME``): the app's address is the base of relative links."""
    root = url_for("home.index", _external=True)
    static = root.rstrip("/") + (current_app.static_url_path or "/static") + "/"
    return html_to_pdf(render_html(template, council=council, title=title, **context),
                       base_url=root, static_folder=current_app.static_folder or "",
                       static_url=static)


def pdf_response(body: bytes, filename: str) -> Response:
    """A PDF document as the answer to a request, shown in the browser and saved under
    ``filename`` (the page cache keeps that header with the document)."""
    return Response(body, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{filename}"'})
