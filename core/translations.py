"""gettext for templates and code, with the request's translations found once per locale.

Flask-Babel's template callables look up the context, the domain, the locale and the
catalogue cache on every call; a page of a pledge's actions makes hundreds of calls, and
that lookup was a third of its render time. The callables installed here keep the
translations found for the request's current locale on ``g`` and reuse them while the
locale stays the same object: :func:`flask_babel.force_locale` makes a new one, so a page
or mail rendered in another language inside a request still gets its own catalogue.
Messages and plural forms are Flask-Babel's own; only the lookup is kept. ``gettext``,
``ngettext`` and ``lazy_gettext`` here behave as Flask-Babel's (outside an app, no
translation) and are what the code imports; Babel extracts them by their usual names.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable, Hashable, Iterator, Mapping
from typing import Any, TypeVar

from babel import Locale
from babel.support import NullTranslations
from flask import Flask, current_app, g
from flask_babel import get_locale, get_translations
from flask_babel.speaklater import LazyString
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup, escape

T = TypeVar("T")

#: Where the request keeps (locale, translations, the locale's name), on ``g``.
_KEPT = "_cpt_translations"


def _kept() -> tuple[Locale | None, NullTranslations, str] | None:
    """The request's (locale, translations, locale name), looked up once per request and
    locale; ``None`` outside an app context.

    A page asks hundreds of times, so the kept answer is found with one lookup of ``g``:
    the locale Flask-Babel has chosen is on ``g._flask_babel.babel_locale`` (where
    :func:`flask_babel.get_locale` keeps it and :func:`flask_babel.force_locale` changes
    it), and what is kept is reused while that is still the same object. Each locale's
    catalogue and name are found once for the app (kept in its extensions)."""
    try:
        here = vars(g._get_current_object())  # type: ignore[attr-defined]
    except RuntimeError:  # outside an app context
        return None
    kept = here.get(_KEPT)
    if kept is not None and kept[0] is getattr(here.get("_flask_babel"), "babel_locale", None):
        return kept
    locale = get_locale()
    # the app's catalogue and name of each locale, found once (Flask-Babel looks the
    # domain, its cache and the locale's name up again: about 20 µs a request)
    by_locale = current_app.extensions.setdefault(_KEPT, {})
    found = by_locale.get(locale)
    if found is None:
        found = by_locale[locale] = (get_translations(), str(locale))
    kept = here[_KEPT] = (locale, *found)
    return kept


def page_translations() -> NullTranslations:
    """The translations of the current locale, looked up once per request and locale."""
    kept = _kept()
    return NullTranslations() if kept is None else kept[1]


def page_locale_name() -> str:
    """The name of the current locale (``str(flask_babel.get_locale())``, e.g. ``en_GB``),
    looked up once per request and locale."""
    kept = _kept()
    return str(get_locale()) if kept is None else kept[2]


def gettext(string: str, **variables: Any) -> str:
    """``string`` translated, with ``variables`` put in (as Flask-Babel's ``gettext``)."""
    translated = page_translations().ugettext(string)
    return translated % variables if variables else translated


def trusted_gettext(string: str) -> Markup:
    """``string`` translated, as markup: the project's own words are trusted, as a
    template's ``_()`` gives them (an apostrophe stays an apostrophe). For the words that
    Python writing markup repeats; the council's data put in them is escaped
    (:func:`fill`)."""
    return Markup(gettext(string))


def fill(pattern: str, /, **values: Any) -> str:
    """``pattern % values`` with the values escaped, for a pattern whose placeholders are
    all ``%(name)s``: what ``Markup(pattern) % values`` gives, at about a third of its cost
    (for markup written by Python, row after row). A number's placeholder (``%(num)d``)
    would meet an escaped string: use :func:`ngettext` or ``Markup.__mod__`` for those."""
    return str.__mod__(pattern, {name: escape(value) for name, value in values.items()})


def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str:
    """The form for ``num`` translated, with ``num`` and ``variables`` put in (as
    Flask-Babel's ``ngettext``)."""
    variables.setdefault("num", num)
    return page_translations().ungettext(singular, plural, num) % variables


def once_per_locale(build: Callable[[], T]) -> Callable[[], T]:
    """``build`` (which translates with :func:`gettext`) called once per catalogue, its
    answer kept: for the words a template repeats on every row. Kept by the catalogue
    gettext answers from (Flask-Babel keeps one per locale), weakly: words always come
    from the catalogue in use, and none outlives its catalogue. Not a template's top-level
    ``{% set %}``: an imported template's module is made once per process, in whichever
    locale came first, and kept for every later page."""
    kept: weakref.WeakKeyDictionary[NullTranslations, T] = weakref.WeakKeyDictionary()

    @functools.wraps(build)
    def in_this_locale() -> T:
        translations = page_translations()
        found = kept.get(translations)
        if found is None:
            found = kept[translations] = build()
        return found

    return in_this_locale


class WordsPerLocale(Mapping[Hashable, tuple[str, ...]]):
    """A fixed mapping whose values are tuples of words given lazily (and other strings),
    answered with the words translated in the current locale, once per locale: for the
    labels templates look up on every row (a status and its tag colour), where a lazy
    string would be translated again at each use."""

    def __init__(self, lazy: Mapping[Hashable, tuple[Any, ...]]) -> None:
        """``lazy``: each key's tuple of lazy strings and plain strings (a ``Markup``, being
        a string, is kept as it is)."""
        self._lazy = dict(lazy)
        self._translated = once_per_locale(
            lambda: {key: tuple(part if isinstance(part, str) else str(part)
                                for part in value)
                     for key, value in self._lazy.items()})

    def __getitem__(self, key: Hashable) -> tuple[str, ...]:
        return self._translated()[key]

    def __iter__(self) -> Iterator[Hashable]:
        return iter(self._lazy)

    def __len__(self) -> int:
        return len(self._lazy)


def lazy_gettext(string: str, **variables: Any) -> LazyString:
    """:func:`gettext` when the text is used, in the locale of that moment."""
    return LazyString(gettext, string, **variables)


def install_page_gettext(app: Flask) -> None:
    """Give ``app``'s templates the kept-lookup gettext (after Flask-Babel's ``init_app``,
    whose own callables these replace)."""
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda message: page_translations().ugettext(message),
        ngettext=lambda singular, plural, n: page_translations().ungettext(singular, plural,
                                                                            n),
        pgettext=lambda context, message: page_translations().upgettext(context, message),
        npgettext=lambda context, singular, plural, n: page_translations().unpgettext(
            context, singular, plural, n),
        newstyle=True,
    )
    # The extension's newstyle ``_`` goes through three template calls (its alias, the
    # wrapper, the callable: about 5 us); these do the wrapper's work in one.
    app.jinja_env.globals.update(_=_template_gettext, gettext=_template_gettext,
                                 ngettext=_template_ngettext)


#: The types a message's variables are put in as they are (a number's placeholder may be
#: ``%(num)d``); any other value is escaped first.
_NUMBERS = (int, float, bool)


def _markup_mod(pattern: str, variables: dict[str, Any]) -> Markup:
    """``Markup(pattern) % variables`` at about a third of its cost: the values escaped
    (numbers left as they are, for ``%d``), then put in by ``str``'s own formatting.
    Anything that formatting refuses (text for a number's placeholder, which markupsafe
    turns into a number) is left to markupsafe, and so is a ``%r`` placeholder."""
    if ")r" not in pattern:
        try:
            return Markup(str.__mod__(pattern, {
                name: value if type(value) in _NUMBERS else escape(value)
                for name, value in variables.items()}))
        except (TypeError, ValueError):
            pass
    return Markup(pattern) % variables


@pass_eval_context
def _template_gettext(eval_ctx: EvalContext, string: str, /, **variables: Any) -> str:
    """A template's ``_()`` and ``gettext()``: as Jinja's newstyle gettext, the message
    (escaped when the template autoescapes) always formatted with ``variables``."""
    translated = page_translations().ugettext(string)
    if not variables and "%" not in translated:
        # what formatting would give, without its cost
        return Markup(translated) if eval_ctx.autoescape else translated
    if eval_ctx.autoescape:
        return _markup_mod(translated, variables)
    return translated % variables


@pass_eval_context
def _template_ngettext(eval_ctx: EvalContext, singular: str, plural: str, num: int, /,
                       **variables: Any) -> str:
    """A template's ``ngettext()``: as Jinja's newstyle ngettext (``num`` is a variable)."""
    variables.setdefault("num", num)
    translated = page_translations().ungettext(singular, plural, num)
    if eval_ctx.autoescape:
        return _markup_mod(translated, variables)
    return translated % variables
