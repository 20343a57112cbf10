"""The words every action card repeats, translated once per locale (a page of a council's
pledges shows about eighty cards)."""

from __future__ import annotations

from core.translations import gettext as _
from core.translations import once_per_locale


@once_per_locale
def card_words() -> dict[str, str]:
    """The labels of an action card's rows, and its words for what is missing."""
    return {"action": _("Action"), "officer": _("Responsible officer"),
            "timeline": _("Timeline"),
            "links": _("Link to other action plans or strategy initiatives"),
            "outcome": _("Expected outcome"), "progress": _("Latest progress"),
            "not_stated": _("Not stated"), "not_applicable": _("Not applicable"),
            "no_progress": _("No progress reported yet")}
