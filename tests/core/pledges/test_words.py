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
from core.pledges.words import card_words


class Marked(NullTranslations):
    """A stand-in catalogue for Welsh (none is shipped yet): every message marked."""

    def ugettext(self, message: str) -> str:
        return f"[cy] {message}"


@pytest.fixture
def welsh_marked(monkeypatch: pytest.MonkeyPatch) -> None:
    real = core.translations.get_translations
    monkeypatch.setattr(core.translations, "get_translations",
                        lambda: Marked() if str(get_locale()) == "cy" else real())


CARD = ('{% from "pledges/_action.html" import action_card %}'
        '{{ action_card(action, 1, today) }}')


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
