"""Documents printed from templates: the council's language, name and colour, the
metadata, the page numbers; and the app starting without WeasyPrint."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from flask import Flask
from PIL import Image

from core.councils.models import Council
from core.documents.render import css_string, page_numbers, render_html, render_pdf
from tests.core.documents.pdfs import pdf_catalogue, pdf_text

ROOT = Path(__file__).resolve().parents[3]


def _council(**values: object) -> Council:
    return Council(**{"slug": "ynys", "name": "Cyngor Sir Ynys Môn", "locale": "cy",
                      "colour": "#c8102e", **values})


def test_the_app_starts_without_importing_weasyprint(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from core.app import create_app\n"
        f"app = create_app({{'SQLALCHEMY_DATABASE_URI': 'sqlite:///{tmp_path}/x.db', "
        "'SECRET_KEY': 'x', 'TESTING': True})\n"
        "assert 'core.documents.render' in sys.modules, 'the documents routes are loaded'\n"
        "print('weasyprint' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                          text=True, env={"CPT_INSTANCE_PATH": str(tmp_path), "PATH": ""},
                          check=True)
    assert done.stdout.strip() == "False", done.stderr


def test_a_document_is_in_the_councils_language_name_and_colour(app: Flask,
                                                                tmp_path: Path) -> None:
    council = _council()
    with app.test_request_context("/"):
        html = render_html("documents/base.html", council=council, title="Pecyn agenda",
                           document_kind="Pecyn agenda")
        body = render_pdf("documents/base.html", council=council, title="Pecyn agenda",
                          document_kind="Pecyn agenda")
    assert '<html lang="cy">' in html
    assert "--council-colour: #c8102e;" in html
    catalogue, info = pdf_catalogue(body)
    assert catalogue["/Lang"] == "cy"
    assert catalogue["/MarkInfo"]["/Marked"] is True and "/StructTreeRoot" in catalogue
    assert info["/Title"] == "Pecyn agenda"
    assert info["/Author"] == "Cyngor Sir Ynys Môn"
    assert "Cyngor Sir Ynys Môn" in pdf_text(body)
    # the front sheet's band is in the council's colour
    (tmp_path / "doc.pdf").write_bytes(body)
    subprocess.run(["pdftoppm", "-r", "30", "-f", "1", "-l", "1", "-singlefile", "-png",
                    str(tmp_path / "doc.pdf"), str(tmp_path / "page")], check=True)
    with Image.open(tmp_path / "page.png") as image:
        band = image.convert("RGB").getpixel((image.width // 2, 27))
    assert band == (0xc8, 0x10, 0x2e), band


def test_page_numbers_are_one_message_in_css() -> None:
    assert str(page_numbers()) == '"Page " counter(page) " of " counter(pages)'


def test_css_strings_cannot_leave_the_style_element() -> None:
    assert str(css_string('A "B" \\ </style><script>')) == (
        '"A \\22 B\\22  \\5c  \\3c /style\\3e \\3c script\\3e "')

