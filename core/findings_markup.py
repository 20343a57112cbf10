"""Content checks' findings as the pages list them, written by Python: the template global
behind ``macros.html``'s ``findings_list`` (the council's overview and its checks page),
each finding's level as a GOV.UK tag and its message; "No findings." without any. Kept by
what it shows (:func:`core.widgets.keyed_memo`): the locale and each finding's level and
message."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from core.pledges.words import tag
from core.translations import page_locale_name
from core.translations import trusted_gettext as _
from core.widgets import keyed_memo

if TYPE_CHECKING:
    from core.checks import Finding

#: Where an app keeps its memo of findings' lists, in ``app.extensions``.
FINDINGS_EXTENSION = "cpt_findings_lists"


def findings_markup(findings: Iterable[Finding]) -> Markup:
    """``findings`` as a GOV.UK list (see the module)."""
    lines = tuple([(finding.level, finding.message) for finding in findings])
    return keyed_memo(FINDINGS_EXTENSION).get((page_locale_name(), lines),
                                              lambda: _findings(lines))


def _findings(lines: tuple[tuple[str, str], ...]) -> Markup:
    """The list of each finding's (level, message), written afresh."""
    if not lines:
        return Markup(f'<p class="govuk-body">{_("No findings.")}</p>')
    error, warning = tag(_("Error"), "red"), tag(_("Warning"), "yellow")
    items = [f"<li>{error if level == 'error' else warning} {escape(message)}</li>"
             for level, message in lines]
    return Markup('<ul class="govuk-list">\n    ' + "\n    ".join(items) + "\n  </ul>")
