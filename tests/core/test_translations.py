"""Templates' gettext keeps the request's catalogue while the locale stays the same."""

from __future__ import annotations

import pytest
from flask import Flask, g, render_template_string
from flask_babel import force_locale, get_locale, get_translations
from markupsafe import Markup

from core.translations import _KEPT, _markup_mod, fill, page_locale_name, page_translations


def test_the_catalogue_is_looked_up_once_per_locale(app: Flask) -> None:
    with app.test_request_context("/"):
        first = page_translations()
        assert first is get_translations()
        assert page_translations() is first
        assert g.get(_KEPT)[1] is first


def test_each_locales_catalogue_is_found_once_for_the_app(
        app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """Later requests in a locale take the catalogue the app found for it first, without
    asking Flask-Babel again; another locale's is found once as well."""
    with app.test_request_context("/"):
        english = page_translations()
    with app.test_request_context("/"), force_locale("cy"):
        welsh = page_translations()
    asked: list[object] = []

    def counted() -> object:
        asked.append(None)
        return get_translations()

    monkeypatch.setattr("core.translations.get_translations", counted)
    for _ in range(3):
        with app.test_request_context("/"):
            assert page_translations() is english is get_translations()
            assert page_locale_name() == "en_GB"
            with force_locale("cy"):
                assert page_translations() is welsh is get_translations()
    assert asked == []


def test_a_forced_locale_gets_its_own_catalogue(app: Flask) -> None:
    with app.test_request_context("/"):
        english = page_translations()
        with force_locale("cy"):
            welsh = page_translations()
            assert welsh is get_translations()
            assert welsh is not english
        assert page_translations() is get_translations()


def test_the_page_locale_is_flask_babels_before_during_and_after_a_forced_one(
        app: Flask) -> None:
    with app.test_request_context("/"):
        assert page_locale_name() == str(get_locale()) == "en_GB"
        with force_locale("cy"):
            assert page_locale_name() == str(get_locale()) == "cy"
            assert page_translations() is get_translations()
        assert page_locale_name() == "en_GB"
        assert page_translations() is get_translations()
    with app.app_context():  # no request: Flask-Babel's default
        assert page_locale_name() == str(get_locale())


def test_templates_translate_with_plurals_and_variables(app: Flask) -> None:
    with app.test_request_context("/"):
        html = render_template_string(
            '{{ _("Hello %(name)s", name="<b>") }} '
            '{{ ngettext("%(num)d seat", "%(num)d seats", 3) }}')
    assert html == "Hello &lt;b&gt; 3 seats"


def test_code_gettext_behaves_as_flask_babels(app: Flask) -> None:
    from flask_babel import gettext as babel_gettext
    from flask_babel import ngettext as babel_ngettext

    from core.translations import gettext, lazy_gettext, ngettext

    assert gettext("Hello %(name)s", name="Ann") == "Hello Ann"  # outside an app
    assert ngettext("%(num)d seat", "%(num)d seats", 1) == "1 seat"
    lazy = lazy_gettext("Present")
    with app.test_request_context("/"):
        assert gettext("Present") == babel_gettext("Present")
        assert ngettext("%(num)d seat", "%(num)d seats", 2, extra=1) == babel_ngettext(
            "%(num)d seat", "%(num)d seats", 2, extra=1) == "2 seats"
        assert str(lazy) == "Present"
        with force_locale("cy"):
            assert str(lazy) == babel_gettext("Present")


def test_templates_gettext_does_what_jinjas_newstyle_gettext_does(app: Flask) -> None:
    from jinja2 import Environment

    reference = Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    reference.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda message: page_translations().ugettext(message),
        ngettext=lambda singular, plural, n: page_translations().ungettext(singular, plural, n),
        newstyle=True)
    cases = ('{{ _("Hello %(name)s", name="<b>") }}|{{ _("A & B") }}|{{ _("100%% sure") }}|'
             '{{ ngettext("%(num)d seat", "%(num)d seats", 1) }}|{{ gettext("Present") }}|'
             '{{ ngettext("%(num)d paper", "%(num)d papers", 2, num=5) }}|'
             '{% trans n=2 %}{{ n }} seat{% pluralize %}{{ n }} seats{% endtrans %}|'
             '{{ _("Present") ~ "<" }}|{{ _("Present") | length }}')
    source = f"{cases}#{{% autoescape false %}}{cases}{{% endautoescape %}}"
    with app.test_request_context("/"):
        ours = render_template_string(source)
        assert ours == reference.from_string(source).render()
    assert ours.startswith(
        "Hello &lt;b&gt;|A & B|100% sure|1 seat|Present|5 papers|2 seats|Present&lt;|7#"
        "Hello <b>|A & B|100% sure|")


def test_fill_escapes_the_values_as_markup_would() -> None:
    pattern = Markup("Partner agency: %(partner)s, on behalf of %(body)s")
    values = {"partner": "NHS <ICB> & co", "body": Markup("<b>trusted</b>")}
    assert fill(pattern, **values) == pattern % values
    assert "&lt;ICB&gt; &amp; co" in fill(pattern, **values)


@pytest.mark.parametrize(("pattern", "variables"), [
    ("%(who)s presents", {"who": "<Ann> & Bo"}),
    ("%(num)d minutes for %(item)s", {"num": 15, "item": "Children's \"voice\""}),
    ("%(num)d", {"num": "4"}),  # text for a number: markupsafe turns it into one
    ("%(share).1f%% of %(total)s", {"share": 12.25, "total": 8}),
    ("%(kept)s", {"kept": Markup("<strong>kept</strong>")}),
    ("%(flag)s %(flag)d %(none)s", {"flag": True, "none": None}),
    ("%(shown)r", {"shown": "<script>"}),
    ("100%% %(word)s", {"word": "<em>"}),
])
def test_markup_formatting_is_markupsafes(pattern: str, variables: dict) -> None:
    made = _markup_mod(pattern, variables)
    assert type(made) is Markup
    assert made == Markup(pattern) % variables


def test_markup_formatting_refuses_what_markupsafe_refuses() -> None:
    with pytest.raises(KeyError):
        _markup_mod("%(missing)s", {"given": 1})
