"""HTML to PDF with WeasyPrint, imported on first use."""

from __future__ import annotations

from core.documents.fetcher import local_fetcher

#: Tagged PDF for accessibility: structure (headings, lists, tables), reading order,
#: the document's language and title (WeasyPrint's ``pdf_variant``).
PDF_VARIANT = "pdf/ua-1"


def html_to_pdf(html: str, *, base_url: str, static_folder: str, static_url: str) -> bytes:
    """Print ``html`` as a tagged PDF. Relative addresses in it are read against
    ``base_url``; of them, only the files of ``static_folder`` (at ``static_url``) are
    loaded, from disk (:mod:`core.documents.fetcher`)."""
    from weasyprint import HTML

    fetcher = local_fetcher(static_folder, static_url)
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf(
        pdf_variant=PDF_VARIANT)
