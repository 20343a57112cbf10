"""GOV.UK form widgets and components whose markup is kept once made, keyed by everything it
depends on.

govuk-frontend-wtf renders each field through a GOV.UK Frontend macro, a pure function of
its ``params`` (label, hint, items, value, errors…); a group of radios or a select takes
about a millisecond of Jinja, and an admin form page has dozens. The widgets here are the
library's own, with one change: the markup is kept in a bounded, per-app memo keyed by the
template and a frozen copy of ``params``, so a field rendered again with the same label,
choices, value and errors (the same form on the next request, or the same select on
another row) costs a dictionary lookup. Nothing else feeds the macros (they read no
request, session or global), so a kept copy is always what rendering would make. Labels
given lazily are resolved in the request's locale before the key is made, so each
language keeps its own copy.

Building ``params`` costs more than rendering from the memo: the library walks a group's
choices as subfields, merges dictionaries deeply and the memo's key is a frozen copy of the
result. So each field is first looked up by what the library reads of it (its id, name,
label, hint, errors, value, data, choices and whether each is selected, and the keyword
arguments the template gave), with the widget, its template and the locale, before any
``params`` are built (:meth:`KeptMarkup.__call__`); ``params`` are built, and the memo
above consulted, only when that misses. A field whose data is not plain (an upload, an
object) is not looked up that way.

Use these classes wherever a form would use ``govuk_frontend_wtf.wtforms_widgets``'s, and
:func:`kept_component` (a template global) for a component every page repeats.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import functools
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from flask import current_app
from flask_babel.speaklater import LazyString
from govuk_frontend_wtf import wtforms_widgets as gov
from markupsafe import Markup

from core.govuk_table import table_markup
from core.translations import page_locale_name

#: Where an app keeps its memo, in ``app.extensions``.
EXTENSION = "cpt_widget_markup"
#: How many rendered fields each worker keeps (a few hundred bytes to a few KB each).
DEFAULT_ENTRIES = 8192
#: Where an app keeps its memo of components whose markup grows with the data (tables).
LARGE_EXTENSION = "cpt_large_markup"
#: How many of those each worker keeps (most tables are 2–12 KB: at most about 6 MB). Most
#: tables never reach it: :func:`core.govuk_table.table_markup` writes them faster than
#: the memo's key is made. It keeps those the library's macro still renders: tables with
#: attributes other than text, and those of a council whose plugin has its own copy of
#: the macro.
DEFAULT_LARGE_ENTRIES = 1024
#: The components kept in that memo.
LARGE_COMPONENTS = frozenset({"table"})
#: Where an app keeps its memo of fields' markup by what the library reads of each field.
FIELD_EXTENSION = "cpt_field_markup"
#: The types of a field's data that memo keys on (anything else is rendered without it).
PLAIN_DATA = (str, int, float, bool, decimal.Decimal, dt.date, dt.time, type(None))

# Tags of the frozen form, which :func:`_thaw` turns back into what was given.
_DICT, _LIST, _MARKUP, _BOOL = "d", "l", "m", "b"


class Unfrozen(TypeError):
    """A value the memo cannot key on; the field is rendered without it."""


def _freeze(value: Any) -> Hashable:
    """A hashable, reversible copy of ``params``: Markup stays distinct from plain text
    (they render differently), lazy strings become their text in the current locale."""
    kind = type(value)
    if kind is str or value is None or kind is int:
        return value
    if kind is bool:  # True == 1 as a key, but the two print differently
        return (_BOOL, value)
    if kind is dict:
        return (_DICT, tuple([(key, _freeze(item)) for key, item in value.items()]))
    if kind is list or kind is tuple:
        return (_LIST, tuple([_freeze(item) for item in value]))
    if isinstance(value, Markup):
        return (_MARKUP, str(value))
    if isinstance(value, LazyString):
        return str(value)
    if isinstance(value, str) or kind is float:
        return value
    raise Unfrozen(kind.__name__)


def _thaw(value: Hashable) -> Any:
    if isinstance(value, tuple):
        tag, body = value
        if tag == _DICT:
            return {key: _thaw(item) for key, item in body}
        if tag == _LIST:
            return [_thaw(item) for item in body]
        if tag == _BOOL:
            return body
        return Markup(body)
    return value


def _memo(large: bool = False) -> Callable[[str, str | None, Hashable], Markup]:
    """The current app's memo of rendered fields and components (made on first use); with
    ``large``, its memo of the components in :data:`LARGE_COMPONENTS`."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    extension = LARGE_EXTENSION if large else EXTENSION
    memo = app.extensions.get(extension)
    if memo is None:
        env = app.jinja_env

        def render(template: str, macro: str | None, frozen: Hashable) -> Markup:
            if macro is None:  # a widget's template, given ``params``
                return Markup(env.get_template(template).render(params=_thaw(frozen)))
            return Markup(getattr(env.get_template(template).module, macro)(_thaw(frozen)))

        size = (app.config.get("LARGE_MARKUP_ENTRIES", DEFAULT_LARGE_ENTRIES) if large
                else app.config.get("WIDGET_MARKUP_ENTRIES", DEFAULT_ENTRIES))
        memo = app.extensions[extension] = functools.lru_cache(maxsize=size)(render)
    return memo


#: What a :class:`KeyedMemo` keeps: markup, or words made once (a chart's).
Kept = TypeVar("Kept")


class KeyedMemo(Generic[Kept]):
    """A bounded memo of markup (or of other words made once, never changed by their
    readers) kept by a key its caller makes (fields' markup by what the library reads of
    them, charts' tables by their figures, action cards by what they show, an indicator's
    trend in words by what it says); when full, the entry used least recently goes.
    ``hits`` and ``misses`` count lookups. Not ``functools.lru_cache``, as the params memo
    is: a miss renders from what the caller has (the field, the table, the action), which
    must not be part of the key."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: OrderedDict[Hashable, Kept] = OrderedDict()
        self.hits = self.misses = 0

    def get(self, key: Hashable, make: Callable[[], Kept]) -> Kept:
        """What is kept for ``key``, or ``make()``'s, kept."""
        found = self.entries.get(key)
        if found is not None:
            self.hits += 1
            # try, not contextlib.suppress: a page of pledges looks up eighty cards, and the
            # context manager cost eight times the move (0.25 µs against 0.03)
            try:  # noqa: SIM105
                self.entries.move_to_end(key)
            except KeyError:  # another thread may have dropped it
                pass
            return found
        self.misses += 1
        made = make()
        if self.size <= 0:  # a memo of no entries keeps nothing (the benchmark's "cold")
            return made
        self.entries[key] = made
        while len(self.entries) > self.size:
            with contextlib.suppress(KeyError):  # another thread may have taken it first
                self.entries.popitem(last=False)
        return made


def keyed_memo(extension: str, setting: str = "WIDGET_MARKUP_ENTRIES",
               default: int = DEFAULT_ENTRIES) -> KeyedMemo[Any]:
    """The current app's :class:`KeyedMemo` kept in ``app.extensions[extension]``, for
    markup kept by a key its caller makes; made on first use, of ``app.config[setting]``
    entries (``default`` when not set; none when 0, as the benchmark's "cold" renders)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    memo = app.extensions.get(extension)
    if memo is None:
        memo = app.extensions[extension] = KeyedMemo(app.config.get(setting, default))
    return memo


def _field_memo() -> KeyedMemo[Markup]:
    """The current app's :class:`KeyedMemo` of fields' markup (made on first use)."""
    return keyed_memo(FIELD_EXTENSION)


def _plain(data: Any) -> Hashable:
    """A field's data as a key: plain values as they are, a list of them as a tuple."""
    if isinstance(data, PLAIN_DATA):
        return (type(data), data)  # 1, 1.0 and True are equal keys but print differently
    if isinstance(data, list | tuple) and all(isinstance(one, PLAIN_DATA) for one in data):
        return tuple((type(one), one) for one in data)
    raise Unfrozen(type(data).__name__)


def _choices(field: Any) -> Hashable:
    """A choice field's options as its widget reads them (value, label, whether selected,
    attributes), or ``None`` for a field without options."""
    iter_choices = getattr(field, "iter_choices", None)
    if iter_choices is None:
        return None
    return tuple([(_plain(value), _freeze(label), selected, _freeze(render_kw or None))
                  for value, label, selected, render_kw in iter_choices()])


def field_key(widget: Any, field: Any, kwargs: dict[str, Any]) -> Hashable:
    """Everything of ``field`` that ``widget`` (a library widget) reads when it renders it
    with ``kwargs``, and the widget's template and the locale it is rendered in; raises
    :class:`Unfrozen` for a field it cannot key on."""
    value = field._value() if hasattr(field, "_value") else None
    raw = field.raw_data
    # The widget by its class and settings (``multiple``…), not its identity: a form built
    # per request (the attendance register's) makes new widgets for the same fields.
    return (type(field), type(widget), _freeze(vars(widget)),
            current_app.jinja_env.council_name(widget.template, None),
            page_locale_name(), field.id, field.name, _freeze(field.label.text),
            _freeze(field.description), tuple([_freeze(error) for error in field.errors]),
            "required" in field.flags, _freeze(value), _plain(field.data),
            None if raw is None else _plain(raw), _choices(field), _freeze(kwargs))


class KeptMarkup(gov.GovFormBase):
    """Render through the app's memos (see the module's docstring)."""

    #: Whether a field is looked up by what it holds before its params are built (not for
    #: secrets: the key would keep what was typed, though the markup never shows it).
    keyed_by_field: ClassVar[bool] = True

    def __call__(self, field: Any, **kwargs: Any) -> Markup:
        """``field``'s markup, kept by what the library reads of it (see
        :func:`field_key`)."""
        if not self.keyed_by_field:
            return super().__call__(field, **kwargs)
        try:
            key = field_key(self, field, kwargs)
        except Unfrozen:
            return super().__call__(field, **kwargs)
        return _field_memo().get(key, lambda: super(KeptMarkup, self).__call__(field, **kwargs))

    def render(self, params: dict[str, Any]) -> Markup:
        try:
            frozen = _freeze(params)
        except Unfrozen:
            return super().render(params)
        # A council's plugin may provide its own copy of a widget's template.
        template = current_app.jinja_env.council_name(self.template, None)
        return _memo()(template, None, frozen)


def kept_component(component: str, macro: str, params: dict[str, Any]) -> Markup:
    """GOV.UK Frontend's ``component`` macro (e.g. ``service-navigation``,
    ``govukServiceNavigation``) called with ``params``, through the same memo: for the
    pieces every page repeats, such as the header's navigation, and for those that cost
    much to render. A table (``table``, ``govukTable``) is written by
    :func:`core.govuk_table.table_markup` when its parameters are of the shapes it writes
    and no council's plugin has its own copy of the macro; any other is the library's
    macro, kept in a smaller memo of its own (:data:`LARGE_COMPONENTS`). A template's
    global."""
    library = f"govuk_frontend_jinja/components/{component}/macro.html"
    template = current_app.jinja_env.council_name(library, None)
    if component == "table" and template == library:
        written = table_markup(params)
        if written is not None:
            return written
    try:
        frozen = _freeze(params)
    except Unfrozen:
        return Markup(getattr(current_app.jinja_env.get_template(template).module,
                              macro)(params))
    return _memo(component in LARGE_COMPONENTS)(template, macro, frozen)


#: Where an app keeps its memo of charts' tables of figures.
FIGURES_EXTENSION = "cpt_figures_markup"
#: The library's table macro (a council's plugin may have its own copy).
TABLE_MACRO = "govuk_frontend_jinja/components/table/macro.html"


class Figures(Protocol):
    """A table that gives its GOV.UK table's parameters and a key that settles them
    (:class:`core.charts.service.Table`)."""

    def key(self) -> Hashable:
        """Everything the parameters are made from."""

    def govuk(self) -> dict[str, Any]:
        """The GOV.UK table's parameters."""


def kept_figures(table: Figures) -> Markup:
    """``kept_component("table", "govukTable", table.govuk())``, kept by the table's own
    key (its caption, headings and figures, as words already in the page's language) and
    the table macro the council uses: a chart's table of figures is the same for the same
    figures, and its key is made from a dozen short tuples where its parameters are a
    dictionary for each cell (100–180 µs a table written afresh, a lookup kept). A
    template's global; kept in a memo of :data:`DEFAULT_ENTRIES` (none with
    ``WIDGET_MARKUP_ENTRIES`` 0, as the benchmark's "cold" renders)."""
    template = current_app.jinja_env.council_name(TABLE_MACRO, None)
    return keyed_memo(FIGURES_EXTENSION).get(
        (template, table.key()), lambda: kept_component("table", "govukTable", table.govuk()))


class GovTextInput(KeptMarkup, gov.GovTextInput):
    """GOV.UK text input."""


class GovPasswordInput(KeptMarkup, gov.GovPasswordInput):
    """GOV.UK password input (its params hold no value, so only they are kept)."""

    keyed_by_field = False


class GovCheckboxInput(KeptMarkup, gov.GovCheckboxInput):
    """GOV.UK single checkbox."""


class GovCheckboxesInput(KeptMarkup, gov.GovCheckboxesInput):
    """GOV.UK checkboxes."""


class GovRadioInput(KeptMarkup, gov.GovRadioInput):
    """GOV.UK radios."""


class GovDateInput(KeptMarkup, gov.GovDateInput):
    """GOV.UK date input (day, month, year)."""


class GovSubmitInput(KeptMarkup, gov.GovSubmitInput):
    """GOV.UK button."""


class GovTextArea(KeptMarkup, gov.GovTextArea):
    """GOV.UK textarea."""


class GovSelect(KeptMarkup, gov.GovSelect):
    """GOV.UK select."""


class GovFileInput(KeptMarkup, gov.GovFileInput):
    """GOV.UK file upload."""
