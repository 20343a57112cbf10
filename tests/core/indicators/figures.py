"""Figures for the Isle of Wight's indicators, added as a signed-in user would (audited)."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from sqlalchemy import select

from core.audit import acting_as
from core.extensions import db
from core.indicators.figures import check_figure
from core.indicators.models import Indicator
from core.indicators.operations import add_figure
from core.models import Council

WIGHT = "isle_of_wight"


def add(app: Flask, key: str, period_end: dt.date, slug: str = WIGHT, **raw: object) -> None:
    """Add one figure (checked by the form's rule) to the council's indicator ``key``."""
    with app.app_context(), acting_as(None, "Test"):
        council = db.session.scalar(select(Council).where(Council.slug == slug))
        indicator = db.session.scalar(select(Indicator).where(
            Indicator.council_id == council.id, Indicator.key == key))
        values, problems = check_figure(indicator.unit, {"period_end": period_end, **raw})
        assert not problems, problems
        add_figure(indicator, values)


def report_card(app: Flask) -> None:
    """Three years of health assessments (the last of a base of 4 children), placement
    moves with comparators, and the local PEP indicator with a count below 5."""
    for year, (numerator, denominator) in zip((2023, 2024, 2025), ((70, 100), (90, 100),
                                                                    (3, 4)), strict=True):
        add(app, "health-assessments", dt.date(year, 3, 31), numerator=numerator,
            denominator=denominator, target=88, england=89, region=87, neighbours=86)
    for year, (numerator, denominator) in zip((2024, 2025), ((12, 120), (18, 120)),
                                              strict=True):
        add(app, "placement-stability-moves", dt.date(year, 3, 31), numerator=numerator,
            denominator=denominator, target=10, england=10.5)
    add(app, "personal-education-plans", dt.date(2025, 3, 31), value=3)
    add(app, "personal-education-plans", dt.date(2025, 6, 30), value=42)
