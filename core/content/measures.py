"""The core's default set of indicators: measures the Department for Education publishes
for every council each year from the SSDA903 return.

A council adopts any of them by key (``[[indicators.adopt]]`` in its ``council.toml``),
drops them by leaving them out, and extends the set with its own indicators. Each carries
its definition in words and the release it is published in. Personal education plans and
other local measures are a council's own.
"""

from __future__ import annotations

from core.content.indicators import Indicator

#: The release with the numbers of children looked after, their placements, missing
#: episodes and care leavers.
CLA_RELEASE = ("Department for Education, “Children looked after in England including "
               "adoptions” (annual release, from the SSDA903 return)")
#: The release with the health and education outcomes of children looked after.
OUTCOMES_RELEASE = ("Department for Education, “Outcomes for children looked after by local "
                    "authorities” (annual release, from the SSDA903 return)")

#: Every measure of the default set, in the order the pages list them.
MEASURES: tuple[Indicator, ...] = (
    Indicator(
        key="cla-rate", title="Children looked after per 10,000 children",
        definition="Children looked after by the council on 31 March, per 10,000 children "
                   "under 18 living in its area.",
        unit="rate_per_10000", higher_is_better=None, period="year", source=CLA_RELEASE),
    Indicator(
        key="placement-stability-moves",
        title="Children looked after with three or more placements in the year",
        definition="Children looked after on 31 March who had three or more placements "
                   "during the year to 31 March, as a percentage of all children looked "
                   "after on 31 March.",
        unit="percentage", higher_is_better=False, period="year", source=CLA_RELEASE),
    Indicator(
        key="placement-stability-long-term", title="Long-term placement stability",
        definition="Children under 16 on 31 March who had been looked after for two and a "
                   "half years or more and had lived in the same placement for at least two "
                   "years (or were placed for adoption), as a percentage of all children "
                   "under 16 looked after for two and a half years or more.",
        unit="percentage", higher_is_better=True, period="year", source=CLA_RELEASE),
    Indicator(
        key="care-leavers-eet",
        title="Care leavers aged 19 to 21 in education, employment or training",
        definition="Care leavers aged 19, 20 and 21 who were in education, employment or "
                   "training around their birthday in the year to 31 March, as a percentage "
                   "of all care leavers of those ages.",
        unit="percentage", higher_is_better=True, period="year", source=CLA_RELEASE),
    Indicator(
        key="care-leavers-accommodation",
        title="Care leavers aged 19 to 21 in suitable accommodation",
        definition="Care leavers aged 19, 20 and 21 whose accommodation around their birthday "
                   "in the year to 31 March was judged suitable, as a percentage of all care "
                   "leavers of those ages.",
        unit="percentage", higher_is_better=True, period="year", source=CLA_RELEASE),
    Indicator(
        key="missing", title="Children looked after who went missing",
        definition="Children looked after during the year to 31 March who went missing from "
                   "their placement at least once, as a percentage of all children looked "
                   "after during the year.",
        unit="percentage", higher_is_better=False, period="year", source=CLA_RELEASE),
    Indicator(
        key="health-assessments", title="Health assessments up to date",
        definition="Children looked after continuously for at least 12 months on 31 March "
                   "whose health assessment was up to date, as a percentage of all those "
                   "children.",
        unit="percentage", higher_is_better=True, period="year", source=OUTCOMES_RELEASE),
    Indicator(
        key="dental-checks", title="Dental checks up to date",
        definition="Children looked after continuously for at least 12 months on 31 March "
                   "whose teeth had been checked by a dentist in the year, as a percentage "
                   "of all those children.",
        unit="percentage", higher_is_better=True, period="year", source=OUTCOMES_RELEASE),
    Indicator(
        key="immunisations", title="Immunisations up to date",
        definition="Children looked after continuously for at least 12 months on 31 March "
                   "whose immunisations were up to date, as a percentage of all those "
                   "children.",
        unit="percentage", higher_is_better=True, period="year", source=OUTCOMES_RELEASE),
)

#: The default set by key.
BY_KEY: dict[str, Indicator] = {measure.key: measure for measure in MEASURES}
