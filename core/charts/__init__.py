"""Charts: SVG drawn on the server by a maintained charting library (pygal).

Every chart is an image with its words beside it: :mod:`core.charts.service` draws the SVG
(pygal imported on first use, never at start-up) and :class:`~core.charts.service.ChartText`
carries the short text alternative, a summary in words and the figures as a table, which
the page shows next to the image (WCAG 2.2 non-text content; lines and bars are told apart
by pattern and by label as well as by colour). Pages link to the SVG (``<img>``) from a
route cached like the page itself, so the charts need no JavaScript and print as drawn.
"""
