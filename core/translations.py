"""Page templates' gettext, with the request's translations found once per locale.

Flask-Babel's template callables look up the context, the domain, the locale and the
catalogue cache on every call; a page of a pledge's actions makes hundreds of calls, and
that lookup was a third of its render time. The callables installed here keep the
translations found for the request's current locale on ``g`` and reuse them while the
locale stays the same object: :func:`flask_babel.force_locale` makes a new one, so a page
or mail rendered in another language inside a request still gets its own catalogue.
Messages and plural forms are Flask-Babel's own; only the lookup is kept.
"""

from __future__ import annotations

from babel.support import NullTranslations
from flask import Flask, g
from flask_babel import get_locale, get_translations

#: Where the request keeps (locale, translations), on ``g``.
_KEPT = "_cpt_translations"


def page_translations() -> NullTranslations:
    """The translations of the current locale, looked up once per request and locale."""
    locale = get_locale()
    kept = g.get(_KEPT)
    if kept is not None and kept[0] is locale:
        return kept[1]
    translations = get_translations()
    setattr(g, _KEPT, (locale, translations))
    return translations


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
