"""Where the documents' own templates are found: ``documents/base.html`` (the printed
page) and ``documents/print.css`` (its stylesheet)."""

from __future__ import annotations

from flask import Blueprint

#: Registered on the app for its templates only: it has no routes and no static files.
document_templates = Blueprint("documents", __name__, template_folder="templates")
