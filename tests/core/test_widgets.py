"""GOV.UK widgets rendered once and kept: the same markup as the library's, keyed right."""

from __future__ import annotations

from flask import Flask
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf import wtforms_widgets as library
from markupsafe import Markup
from wtforms import RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice

from core import widgets
from core.widgets import EXTENSION, GovRadioInput, GovSelect, GovTextInput, _freeze, _thaw


class Form(FlaskForm):
    class Meta:
        csrf = False

    name = StringField(_l("Name"), widget=GovTextInput())
    colour = SelectField("Colour", choices=[SelectChoice("", "Choose"),
                                                  SelectChoice("red", "Red & pink")],
                         widget=GovSelect())
    status = RadioField("Status", choices=[SelectChoice("yes", "Yes"), SelectChoice("no", "No")],
                        widget=GovRadioInput())


def library_markup(field: object, widget: library.GovFormBase, **kwargs: object) -> str:
    return str(widget(field, **kwargs))


def test_kept_markup_is_the_librarys_markup(app: Flask) -> None:
    with app.test_request_context("/", method="POST",
                                  data={"name": "Ann <b>", "colour": "red", "status": "no"}):
        form = Form()
        form.validate()
        form.name.errors = ["Enter a shorter name"]
        for field, widget in ((form.name, library.GovTextInput()),
                              (form.colour, library.GovSelect()),
                              (form.status, library.GovRadioInput())):
            first, again = str(field()), str(field())
            assert first == again == library_markup(field, widget)
        assert "Ann &lt;b&gt;" in str(form.name())
        assert "Red &amp; pink" in str(form.colour())


def test_each_difference_is_its_own_entry(app: Flask) -> None:
    with app.test_request_context("/"):
        form = Form(name="one")
        str(form.name())
        memo = app.extensions[EXTENSION]
        before = memo.cache_info()
        str(form.name())  # same params: a hit
        assert memo.cache_info().hits == before.hits + 1
        form.name.data = "two"
        assert 'value="two"' in str(form.name())  # another value: a miss, rendered afresh
        assert memo.cache_info().misses == before.misses + 1
        form.name.errors = ["Wrong"]
        assert "Wrong" in str(form.name())


def test_lazy_labels_are_kept_per_locale(app: Flask) -> None:
    with app.test_request_context("/"):
        form = Form()
        english = str(form.name())
        with force_locale("cy"):
            str(form.name())
        assert str(form.name()) == english


def test_markup_and_text_and_bools_and_numbers_stay_distinct() -> None:
    assert _freeze(Markup("a &amp; b")) != _freeze("a &amp; b")
    assert _freeze({"x": True}) != _freeze({"x": 1})
    params = {"label": {"html": Markup("<b>x</b>"), "text": "x"}, "items": [
        {"value": "1", "checked": True}, {"value": 2, "checked": False}], "hint": None}
    thawed = _thaw(_freeze(params))
    assert thawed == params
    assert isinstance(thawed["label"]["html"], Markup)
    assert thawed["items"][0]["checked"] is True


def test_a_value_it_cannot_key_on_is_rendered_without_the_memo(app: Flask) -> None:
    with app.test_request_context("/"):
        form = Form()
        rendered = str(form.name(params={"attributes": {"data-x": object.__new__(Unmarked)}}))
        assert "data-x" in rendered


class Unmarked:
    def __str__(self) -> str:
        return "unmarked"


def test_the_memo_is_bounded(app: Flask) -> None:
    app.config["WIDGET_MARKUP_ENTRIES"] = 3
    app.extensions.pop(EXTENSION, None)  # made again, with this size, on first use
    with app.test_request_context("/"):
        form = Form()
        for value in range(10):
            form.name.data = str(value)
            str(form.name())
        assert app.extensions[EXTENSION].cache_info().currsize == 3
    assert widgets.DEFAULT_ENTRIES >= 1000


def test_a_kept_component_is_the_macros_markup(app: Flask) -> None:
    from core.widgets import kept_component

    params = {"serviceName": "Herefordshire", "serviceUrl": "/herefordshire/",
              "navigation": [{"href": "/a", "text": _l("Overview"), "active": True},
                             {"href": "/b", "text": "Pledges & promises", "active": False}]}
    with app.test_request_context("/"):
        macro = app.jinja_env.get_template(
            "govuk_frontend_jinja/components/service-navigation/macro.html"
        ).module.govukServiceNavigation
        direct = str(macro(params))
        first = str(kept_component("service-navigation", "govukServiceNavigation", params))
        again = str(kept_component("service-navigation", "govukServiceNavigation", params))
    assert first == again == direct
    assert "Pledges &amp; promises" in first and "Overview" in first
    assert app.extensions[EXTENSION].cache_info().hits >= 1


def test_a_kept_table_is_the_macros_markup_in_a_smaller_memo_of_its_own(app: Flask) -> None:
    """A table the Python writer leaves to the library (here: a cell with attributes) is the
    macro's markup, kept in the memo of large components."""
    from core.widgets import LARGE_EXTENSION, kept_component

    app.config["LARGE_MARKUP_ENTRIES"] = 2
    app.extensions.pop(LARGE_EXTENSION, None)
    with app.test_request_context("/"):
        macro = app.jinja_env.get_template(
            "govuk_frontend_jinja/components/table/macro.html").module.govukTable
        tables = [{"caption": f"Attendance {n}", "head": [{"text": "Member"},
                                                          {"text": "Present", "format": "numeric"}],
                   "rows": [[{"text": "Ann <Lee>", "attributes": {"id": f"member-{n}"}},
                             {"text": str(n), "format": "numeric"}]]}
                  for n in range(3)]
        for params in tables:
            assert str(kept_component("table", "govukTable", params)) == str(macro(params))
        assert str(kept_component("table", "govukTable", tables[2])) == str(macro(tables[2]))
        assert "Ann &lt;Lee&gt;" in str(macro(tables[0]))
    large = app.extensions[LARGE_EXTENSION].cache_info()
    assert (large.currsize, large.hits) == (2, 1)
    widgets_memo = app.extensions.get(EXTENSION)  # tables never fill the widgets' memo
    assert widgets_memo is None or widgets_memo.cache_info().currsize == 0
