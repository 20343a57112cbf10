"""Content checks' findings as the pages list them (core/findings_markup.py)."""

from __future__ import annotations

from flask import Flask

from core.checks import Finding
from core.findings_markup import findings_markup


def test_findings_are_listed_with_their_level_and_escaped(app: Flask) -> None:
    findings = [Finding("x", "plugin", "error", "Plugin <x> failed & stopped"),
                Finding("x", "overdue-review", "warning", "Review overdue: Health.")]
    with app.test_request_context("/"):
        written = str(findings_markup(findings))
        kept = findings_markup(list(findings))
        none = str(findings_markup([]))
        changed = str(findings_markup(findings[:1]))
    assert written == str(kept)
    with app.test_request_context("/"):
        assert findings_markup(list(findings)) is findings_markup(findings)  # kept
    assert written == (
        '<ul class="govuk-list">\n'
        '    <li><strong class="govuk-tag govuk-tag--red">Error</strong> Plugin &lt;x&gt; failed '
        "&amp; stopped</li>\n"
        '    <li><strong class="govuk-tag govuk-tag--yellow">Warning</strong> Review overdue: '
        "Health.</li>\n  </ul>")
    assert none == '<p class="govuk-body">No findings.</p>'
    assert "Warning" not in changed
