"""Documents: HTML pages rendered from Jinja templates, printed to accessible PDF files.

A document is a template that extends ``documents/base.html`` (print CSS: A4, margins, the
page number in each page's footer, page breaks before major sections; the council's name
and colour on the page), rendered as any page is, then printed by WeasyPrint
(:mod:`core.documents.pdf`) as a tagged PDF (PDF/UA-1) with real text, the document's
language (``<html lang>``, from the council's locale), and a title and author in its
metadata. Fonts are the ones installed (DejaVu); nothing is fetched over the network: the
only files a document may load are the app's own static files, read from disk
(:mod:`core.documents.fetcher`).

- :func:`core.documents.render.render_pdf` renders a document;
- :func:`core.documents.cache.kept_pdf` keeps the bytes in the page cache's store, keyed by
  the council's revision like pages, so a kept PDF is served without printing it again and
  any change to the council's rows gives a fresh one;
- :func:`core.documents.render.pdf_response` answers with it.

WeasyPrint is heavy (about 0.7 s to import): only :mod:`core.documents.pdf` and
:mod:`core.documents.fetcher` import it, inside the functions that print, so the app
starts without it.
"""
