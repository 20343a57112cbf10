"""Indicators: the report card a council's board reviews (aggregate figures only).

Definitions come from the council's plugin (``indicators_for_council``, loaded by
``cpt sync``); figures per period are entered or imported in the admin
(:mod:`core.indicators.operations`, :mod:`core.indicators.importing`). Public pages show
them through one suppression rule (:mod:`core.indicators.suppression`) and one
red/amber/green rule (:mod:`core.indicators.rag`).
"""
