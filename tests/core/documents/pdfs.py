"""Reading PDF files back in tests: their text with poppler's pdftotext (as a reader would
copy it), their catalogue and metadata with pypdf."""

from __future__ import annotations

import io
import subprocess
from typing import Any


def pdf_text(body: bytes) -> str:
    """The PDF's text, as ``pdftotext -layout`` reads it (poppler-utils)."""
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=body,
                          capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def pdf_catalogue(body: bytes) -> tuple[dict[str, Any], dict[str, Any]]:
    """The PDF's catalogue (its root: ``/MarkInfo``, ``/StructTreeRoot``, ``/Lang``) and
    its document information (``/Title``, ``/Author``), as plain values."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(body))
    root = reader.trailer["/Root"]
    catalogue = {key: root[key] for key in root}
    catalogue["/MarkInfo"] = {key: getattr(value, "value", value)  # BooleanObject
                              for key, value in dict(catalogue.get("/MarkInfo", {})).items()}
    catalogue["/Lang"] = str(catalogue.get("/Lang", ""))
    info = {key: str(value) for key, value in (reader.metadata or {}).items()}
    return catalogue, info
