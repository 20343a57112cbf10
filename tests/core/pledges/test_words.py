"""An action card's words are those of the page's locale, whichever locale drew a card
first (an imported template's top-level words would be kept from the first)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from babel.support import NullTranslations
from flask import Flask, render_template_string
from flask_babel import force_locale, get_locale

import core.translations
from core.pledges.words import card_words, status_tag


class Marked(NullTranslations):
    """A stand-in catalogue for Welsh (none is shipped yet): every message marked."""

    def ugettext(self, message: str) -> str:
        return f"[cy] {message}"


@pytest.fixture
def welsh_marked(monkeypatch: pytest.MonkeyPatch) -> None:
    real = core.translations.get_translations
    monkeypatch.setattr(core.translations, "get_translations",
                        lambda: Marked() if str(get_locale()) == "cy" else real())


CARD = "{{ action_card(action, 1, today) }}"


@pytest.mark.usefixtures("welsh_marked")
def test_each_locale_gets_the_card_words_of_its_own(app: Flask) -> None:
    action = SimpleNamespace(key="a-1", number=1, status="on_track", wording="Do it",
                             officer=None, timeline_text="2025", links=[], outcomes=[],
                             overdue_on=lambda day: False)
    with app.test_request_context("/"):
        english = render_template_string(CARD, action=action, today=dt.date(2026, 1, 1))
        with force_locale("cy"):
            welsh = render_template_string(CARD, action=action, today=dt.date(2026, 1, 1))
            assert card_words().officer == "[cy] Responsible officer"
        assert card_words().officer == "Responsible officer"
        again = render_template_string(CARD, action=action, today=dt.date(2026, 1, 1))
    assert "Responsible officer" in english and "[cy]" not in english
    assert "[cy] Responsible officer" in welsh
    # the status tag's label too, and the heading (core.pledges.words)
    assert ">On track</strong>" in english and ">[cy] On track</strong>" in welsh
    assert ">[cy] Action 1.1</h3>" in welsh and ">[cy] Not stated</span>" in welsh
    assert again == english


@pytest.mark.usefixtures("welsh_marked")
def test_words_per_locale_are_translated_once_in_each(app: Flask) -> None:
    from core.translations import WordsPerLocale, lazy_gettext

    words = WordsPerLocale({"late": (lazy_gettext("Late"), "red")})
    with app.test_request_context("/"):
        assert words["late"] == ("Late", "red") and words["late"] is words["late"]
        with force_locale("cy"):
            assert words["late"] == ("[cy] Late", "red")
        assert list(words) == ["late"] and len(words) == 1
        with pytest.raises(KeyError):
            words["early"]


def _action(**changes: object) -> SimpleNamespace:
    values: dict[str, object] = dict(
        key="a-1", number=1, status="on_track", wording=None, officer="<b>Head</b>",
        timeline_text="<i>2025</i>", links=[], outcomes=[], overdue_on=lambda day: True)
    values.update(changes)
    return SimpleNamespace(**values)


def test_the_projects_words_are_trusted_and_the_councils_data_escaped(app: Flask) -> None:
    """An apostrophe in a translation reaches the page as it is (as ``_()`` in a template
    gives it); markup in an action's fields is escaped."""
    with app.test_request_context("/"):
        card = render_template_string(CARD, action=_action(), today=dt.date(2026, 1, 1))
        plain = render_template_string(
            '{% from "macros.html" import action_wording, timeline %}'
            '{{ action_wording(action) }}|{{ timeline(action, today) }}',
            action=_action(wording="Meet <them>"), today=dt.date(2026, 1, 1))
    assert "does not give this action's wording." in card and "&#39;" not in card
    assert "&lt;b&gt;Head&lt;/b&gt;" in card and "<b>" not in card
    assert "&lt;i&gt;2025&lt;/i&gt;<br>" in card and ">Due date passed</strong>" in card
    assert plain == ('Meet &lt;them&gt;|&lt;i&gt;2025&lt;/i&gt;<br><strong class="govuk-tag '
                     'govuk-tag--red">Due date passed</strong>')


def test_a_status_this_version_does_not_know_is_shown_grey_as_it_is(app: Flask) -> None:
    with app.test_request_context("/"):
        assert status_tag("paused <now>") == (
            '<strong class="govuk-tag govuk-tag--grey">paused &lt;now&gt;</strong>')
        assert status_tag(None) == '<span class="app-missing">No actions</span>'
        assert status_tag("complete") == (
            '<strong class="govuk-tag govuk-tag--blue">Complete</strong>')


def test_words_are_kept_per_catalogue_and_follow_a_new_one(
        app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """Words are made once for the catalogue gettext gives, and afresh for another one of
    the same locale's name (a catalogue changed, or a test's stand-in)."""
    with app.test_request_context("/"):
        kept = card_words()
    with app.test_request_context("/"):
        assert card_words() is kept
    other = Marked()
    monkeypatch.setattr(core.translations, "get_translations", lambda: other)
    # the app finds each locale's catalogue once: forgotten, it is found again (the other)
    found = app.extensions.pop(core.translations._KEPT)
    with app.test_request_context("/"):
        assert card_words().officer == "[cy] Responsible officer"
        assert str(get_locale()) == "en_GB"
    monkeypatch.undo()
    app.extensions[core.translations._KEPT] = found
    with app.test_request_context("/"):
        assert card_words() is kept
