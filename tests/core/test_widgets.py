"""GOV.UK widgets rendered once and kept: the same markup as the library's, keyed right."""

from __future__ import annotations

import pytest
from flask import Flask
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf import wtforms_widgets as library
from markupsafe import Markup
from wtforms import (
    BooleanField,
    FileField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice

from core import widgets
from core.forms import GovDateField
from core.widgets import (
    EXTENSION,
    FIELD_EXTENSION,
    GovCheckboxesInput,
    GovCheckboxInput,
    GovFileInput,
    GovPasswordInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
    KeptMarkup,
    _freeze,
    _thaw,
)


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
        memo = app.extensions[FIELD_EXTENSION]
        hits, misses = memo.hits, memo.misses
        str(form.name())  # the same field: a hit, before any params are built
        assert (memo.hits, memo.misses) == (hits + 1, misses)
        form.name.data = "two"
        assert 'value="two"' in str(form.name())  # another value: a miss, rendered afresh
        assert memo.misses == misses + 1
        form.name.errors = ["Wrong"]
        assert "Wrong" in str(form.name())
        assert 'class="govuk-input x' in str(form.name(params={"classes": "x"}))


class Everything(FlaskForm):
    """A field of each kind the project's forms use, each through the kept widget."""

    class Meta:
        csrf = False

    text = StringField(_l("Name"), description=_l("As it appears on their badge"),
                       widget=GovTextInput())
    words = TextAreaField("Words", widget=GovTextArea())
    secret = PasswordField("Password", widget=GovPasswordInput())
    agree = BooleanField("I agree", widget=GovCheckboxInput())
    days = SelectMultipleField("Days", choices=[SelectChoice("mon", "Monday"),
                                                SelectChoice("tue", "Tuesday")],
                               widget=GovCheckboxesInput())
    status = RadioField("Status", choices=[SelectChoice("yes", _l("Yes")),
                                           SelectChoice("no", "No & maybe")],
                        widget=GovRadioInput())
    person = SelectField("Person", coerce=int,
                         choices=[SelectChoice(1, "Ann"), SelectChoice(2, "Bo")],
                         widget=GovSelect())
    due = GovDateField("Due")
    upload = FileField("Paper", widget=GovFileInput())
    send = SubmitField("Save", widget=GovSubmitInput())


LIBRARY_WIDGETS = {"text": library.GovTextInput(), "words": library.GovTextArea(),
                   "secret": library.GovPasswordInput(), "agree": library.GovCheckboxInput(),
                   "days": library.GovCheckboxesInput(), "status": library.GovRadioInput(),
                   "person": library.GovSelect(), "upload": library.GovFileInput(),
                   "send": library.GovSubmitInput()}


@pytest.mark.parametrize("data", [
    {},
    {"text": "Ann <b>", "words": "a\nb", "agree": "y", "days": ["tue"], "status": "no",
     "person": "2", "due": ["3", "12", "2026"]},
    {"text": "", "status": "maybe", "person": "9", "due": ["31", "2", "2026"]},
])
def test_every_kind_of_field_is_the_librarys_markup_each_time(app: Flask,
                                                              data: dict[str, object]) -> None:
    """Rendered twice (the second from the memo), in English and in Welsh, with and without
    errors and params, each field is what the library's own widget makes of it."""
    with app.test_request_context("/", method="POST", data=data):
        form = Everything()
        form.validate()
        for locale in ("en_GB", "cy"):
            with force_locale(locale):
                for field in form:
                    for params in ({}, {"params": {"classes": "extra"}}):
                        first, again = str(field(**params)), str(field(**params))
                        # the project's own date input (translated labels) has no library
                        # twin: it is compared with its markup made without the field memo
                        made = (super(KeptMarkup, field.widget).__call__(field, **params)
                                if field.name == "due"
                                else LIBRARY_WIDGETS[field.name](field, **params))
                        assert first == again == str(made), (field.name, locale)


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
        assert len(app.extensions[FIELD_EXTENSION].entries) == 3


def test_a_memo_of_no_entries_keeps_nothing(app: Flask) -> None:
    app.config["WIDGET_MARKUP_ENTRIES"] = 0  # as the benchmark's cold renders
    app.extensions.pop(EXTENSION, None)
    app.extensions.pop(FIELD_EXTENSION, None)
    with app.test_request_context("/"):
        form = Form(name="one")
        str(form.name()), str(form.name())
        memo = app.extensions[FIELD_EXTENSION]
        assert (memo.hits, memo.misses, len(memo.entries)) == (0, 2, 0)
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
    """A table the Python writer leaves to the library (here: a cell with an attribute that
    is a number) is the macro's markup, kept in the memo of large components."""
    from core.widgets import LARGE_EXTENSION, kept_component

    app.config["LARGE_MARKUP_ENTRIES"] = 2
    app.extensions.pop(LARGE_EXTENSION, None)
    with app.test_request_context("/"):
        macro = app.jinja_env.get_template(
            "govuk_frontend_jinja/components/table/macro.html").module.govukTable
        tables = [{"caption": f"Attendance {n}", "head": [{"text": "Member"},
                                                          {"text": "Present", "format": "numeric"}],
                   "rows": [[{"text": "Ann <Lee>", "attributes": {"data-member": n}},
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


def test_what_changes_between_renders_is_rendered_afresh(app: Flask) -> None:
    """One form, changed between renders as a view would change it: each render is still
    the library's markup (the memo never answers with another state's)."""
    with app.test_request_context("/"):
        form = Everything()
        changes = [
            lambda: setattr(form.status, "data", "yes"),
            lambda: setattr(form.status, "data", "no"),
            lambda: setattr(form.person, "data", 2),
            lambda: setattr(form.person, "choices", [SelectChoice(2, "Bo"), SelectChoice(3, "Cy")]),
            lambda: setattr(form.days, "data", ["mon", "tue"]),
            lambda: setattr(form.agree, "data", True),
            lambda: setattr(form.due, "raw_data", ["1", "2", "2027"]),
            lambda: setattr(form.text, "description", "Another hint"),
            lambda: setattr(form.status, "errors", ["Choose one"]),
        ]
        for change in changes:
            change()
            for field in form:
                made = (super(KeptMarkup, field.widget).__call__(field) if field.name == "due"
                        else LIBRARY_WIDGETS[field.name](field))
                assert str(field()) == str(made), field.name


def test_a_field_whose_data_is_not_plain_is_rendered_without_the_field_memo(app: Flask) -> None:
    with app.test_request_context("/"):
        form = Everything()
        form.upload.data = Unmarked()  # as an upload's FileStorage would be
        str(form.upload())
        assert not app.extensions.get(FIELD_EXTENSION) or not any(
            key[0] is FileField for key in app.extensions[FIELD_EXTENSION].entries)
        assert str(form.upload()) == str(LIBRARY_WIDGETS["upload"](form.upload))


def test_a_typed_password_is_not_kept(app: Flask) -> None:
    """A password field's params hold no value; the field memo, whose key would hold what
    was typed, is not used for it."""
    with app.test_request_context("/", method="POST", data={"secret": "Correct-Horse-7"}):
        form = Everything()
        form.validate()
        rendered = str(form.secret())
        assert "Correct-Horse-7" not in rendered
        assert rendered == str(LIBRARY_WIDGETS["secret"](form.secret))
        kept = app.extensions.get(FIELD_EXTENSION)
        assert kept is None or "Correct-Horse-7" not in repr(list(kept.entries))


def test_a_form_built_per_request_shares_the_entries_of_its_fields(app: Flask) -> None:
    """Widgets made anew for each form (as the attendance register's) are keyed by their
    class and settings, so the next request's form finds the first one's fields."""
    def built() -> FlaskForm:
        class Register(FlaskForm):
            class Meta:
                csrf = False

            status = RadioField("Ann", choices=[SelectChoice("present", "Present")],
                                widget=GovRadioInput())
        return Register()

    with app.test_request_context("/"):
        first = str(built().status())
        memo = app.extensions[FIELD_EXTENSION]
        hits = memo.hits
        assert str(built().status()) == first
        assert memo.hits == hits + 1


def test_the_field_memo_drops_the_entry_used_least_recently(app: Flask) -> None:
    app.config["WIDGET_MARKUP_ENTRIES"] = 2
    app.extensions.pop(FIELD_EXTENSION, None)
    with app.test_request_context("/"):
        form = Form()

        def render(value: str) -> tuple[int, int]:
            memo = app.extensions.get(FIELD_EXTENSION)
            before = (memo.hits, memo.misses) if memo else (0, 0)
            form.name.data = value
            str(form.name())
            memo = app.extensions[FIELD_EXTENSION]
            return memo.hits - before[0], memo.misses - before[1]

        for value in ("a", "b", "a", "c"):  # "a" used again before "c" arrives
            render(value)
        assert render("a") == (1, 0)  # kept
        assert render("b") == (0, 1)  # dropped when "c" came


def test_a_charts_table_of_figures_is_kept_by_its_figures(app: Flask) -> None:
    """The same figures give the table the component writes, made once; other figures,
    another caption or other columns aligned as numbers are entries of their own; with no
    entries (the benchmark's cold renders) nothing is kept."""
    from core.charts.service import Table
    from core.widgets import FIGURES_EXTENSION, kept_component, kept_figures

    app.extensions.pop(FIGURES_EXTENSION, None)
    tables = [Table("Actions <by month>", ["Month", "Done"], [["Jan 2026", "3"]]),
              Table("Actions <by month>", ["Month", "Done"], [["Jan 2026", "4"]]),
              Table("Other", ["Month", "Done"], [["Jan 2026", "3"]]),
              Table("Other", ["Month", "Done"], [["Jan 2026", "3"]], numeric=())]
    with app.test_request_context("/"):
        for table in tables:
            written = str(kept_component("table", "govukTable", table.govuk()))
            assert str(kept_figures(table)) == written
            assert str(kept_figures(Table(table.caption, list(table.head),
                                          [list(row) for row in table.rows],
                                          table.numeric))) == written
        assert "Actions &lt;by month&gt;" in str(kept_figures(tables[0]))
    memo = app.extensions[FIGURES_EXTENSION]
    assert (memo.hits, memo.misses, len(memo.entries)) == (5, 4, 4)

    app.config["WIDGET_MARKUP_ENTRIES"] = 0
    app.extensions.pop(FIGURES_EXTENSION)
    with app.test_request_context("/"):
        kept_figures(tables[0]), kept_figures(tables[0])
    assert len(app.extensions[FIGURES_EXTENSION].entries) == 0
