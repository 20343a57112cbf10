"""The layout every page shares: its links, its header's navigation, and the layout itself
kept as markup around what each page writes.

``layout.html`` is GOV.UK Frontend's template with the council's header and footer, and a
slot (:func:`frame_slot`) wherever a page writes something of its own: its title, the
header's navigation (which marks the current page, and on the admin shows the pages the
user may open: kept for each page by :func:`service_navigation`), the account bar of who
is signed in, its breadcrumbs, and the page itself with any banner and flashed message.
:func:`page_frame` renders it once for each council and language (:func:`layout_key`) and
keeps the pieces between the slots; ``base.html`` writes them around the request's own
parts. Rendered on every page, the layout cost about 0.12 ms (GOV.UK's template and its
blocks, the skip link, the footer's words and links), a tenth of a light page; kept, a
lookup (measured in docs/performance.md). A council's plugin replacing ``base.html`` (see
docs/plugins.md) replaces all of this.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any, NamedTuple

from flask import current_app, g, request, url_for
from flask_login import current_user
from markupsafe import Markup

from core.auth.permissions import Permission, can
from core.translations import gettext as _
from core.translations import lazy_gettext as _l
from core.translations import page_locale_name
from core.widgets import kept_component, keyed_memo

#: Admin pages of a council, in menu order, each with the permission it needs beyond
#: seeing the admin (``None``: none); blueprints named ``*_admin`` are admin pages.
ADMIN_NAVIGATION = (
    ("council_admin.home", _l("Admin home"), None),
    ("desk_admin.show", _l("Desk"), None),
    ("my_actions_admin.show", _l("My actions"), None),
    ("membership_admin.index", _l("Membership"), None),
    ("pledge_admin.index", _l("Action plan"), None),
    ("indicator_admin.index", _l("Indicators"), None),
    ("review_admin.index", _l("Reviews"), None),
    ("meeting_admin.index", _l("Meetings"), None),
    ("user_admin.index", _l("Users"), Permission.MANAGE_COUNCIL_USERS),
)


def in_admin() -> bool:
    """Whether the current page belongs to the admin."""
    return (request.blueprint or "").endswith("_admin") or request.blueprint == "admin"


def _admin_pages_shown(council: Any) -> tuple[tuple[str, Any], ...]:
    """The admin pages of ``council`` the user may open, as (endpoint, words), in menu
    order."""
    return tuple((name, text) for name, text, needed in ADMIN_NAVIGATION
                 if needed is None or can(current_user, needed, council.id))


def _council_navigation() -> list[dict[str, Any]]:
    council = getattr(g, "council", None)
    if council is None:
        return []
    endpoint = request.endpoint or ""
    if in_admin():
        shown = _admin_pages_shown(council)
        return [{"href": href, "text": text,
                 "active": endpoint.split(".")[0] == name.split(".")[0]}
                for (name, text), href in zip(shown, _hrefs(tuple(n for n, _t in shown)),
                                              strict=True)]
    items = [
        ("councils.overview", _l("Overview")),
        ("strategy.show", _l("Strategy")),
        ("pledges.index", council.word("pledges").capitalize()),
        ("indicators.index", _l("Indicators")),
        ("panels.index", council.word("panels").capitalize()),
        ("reviews.index", _l("Reviews")),
        ("partners.index", _l("Partners")),
        ("councils.checks", _l("Checks")),
    ]
    return [{"href": href, "text": text,
             "active": endpoint.split(".")[0] == name.split(".")[0]
             and (endpoint == name or not name.startswith("councils."))}
            for (name, text), href in zip(items, _hrefs(tuple(n for n, _t in items)),
                                          strict=True)]


#: Where an app keeps its memo of the header's service navigation, in ``app.extensions``.
_NAVIGATION_MARKUP = "cpt_navigation_markup"


def navigation_key() -> Hashable:
    """What settles the header's navigation on the current page: the locale, the script
    root, the page's endpoint (which item is current), the council's slug, name and words
    for its pledges and panels, and on an admin page which pages the user may open."""
    council = getattr(g, "council", None)
    admin = council is not None and in_admin()
    return (page_locale_name(), request.script_root, request.endpoint,
            council and (council.slug, council.name, council.word("pledges"),
                         council.word("panels")),
            admin and tuple(name for name, _text in _admin_pages_shown(council)))


def service_navigation() -> Markup:
    """The header's GOV.UK service navigation for the current page (a template global).

    Kept by what settles it (:func:`navigation_key`). Every page has one: building its
    parameters (a dozen translated words, links and flags) and freezing them as the key of
    the components' memo (:func:`core.widgets.kept_component`) cost about a tenth of a
    millisecond a page, this key a few microseconds. A miss renders through that memo, so
    a council's own copy of the component's template still draws it."""
    council = getattr(g, "council", None)
    return keyed_memo(_NAVIGATION_MARKUP).get(
        navigation_key(), lambda: kept_component(
            "service-navigation", "govukServiceNavigation",
            _navigation_parameters(council, council is not None and in_admin())))


def _navigation_parameters(council: Any, admin: bool) -> dict[str, Any]:
    if council is None:
        return {"serviceName": _("Corporate parenting"),
                "serviceUrl": layout_links()["home"],
                "navigation": [], "navigationLabel": _("Menu"), "menuButtonText": _("Menu")}
    label = (_("Admin pages for %(council)s", council=council.name) if admin
             else _("Pages about %(council)s", council=council.name))
    return {"serviceName": council.name, "serviceUrl": layout_links(council)["overview"],
            "navigation": _council_navigation(), "navigationLabel": label,
            "menuButtonText": _("Menu")}


#: Where an app keeps its navigation links, in ``app.extensions``.
_NAVIGATION_LINKS = "cpt_navigation_links"


def _hrefs(endpoints: tuple[str, ...]) -> tuple[str, ...]:
    """The current council's links to ``endpoints``, built once per council and script
    root (each ``url_for`` costs about 15 µs, and every page's header has eight to twelve)."""
    links = current_app.extensions.setdefault(_NAVIGATION_LINKS, {})
    key = (g.council.slug, request.script_root, endpoints)
    hrefs = links.get(key)
    if hrefs is None:
        hrefs = links[key] = tuple(url_for(name) for name in endpoints)
    return hrefs


#: Where an app keeps the links of its pages' layout, in ``app.extensions``.
_LAYOUT_LINKS = "cpt_layout_links"


def layout_links(council: Any = None) -> dict[str, str]:
    """The links every page's layout writes (its stylesheet and script, the home page, the
    API's description and, on the pages of ``council``, its colours and overview), built
    once per council, colour and script root: six ``url_for`` calls a page otherwise. A
    template global."""
    slug, colour = (council.slug, council.colour) if council is not None else (None, None)
    links = current_app.extensions.setdefault(_LAYOUT_LINKS, {})
    key = (slug, colour, request.script_root)
    found = links.get(key)
    if found is None:
        found = {"stylesheet": url_for("static", filename="build/app.css"),
                 "script": url_for("static", filename="app.js"),
                 "home": url_for("home.index"), "api": url_for("api-docs.openapi_json")}
        if council is not None:
            found["colours"] = url_for("councils.colour", council=slug, v=colour[1:])
            found["overview"] = url_for("councils.overview", council=slug)
        links[key] = found
    return found


class Frame(NamedTuple):
    """The layout's markup between its slots, in order."""

    #: Up to the page's title (inside ``<title>``).
    start: Markup
    #: From the title to the header's navigation (the rest of the head, the skip link, the
    #: header's start).
    after_title: Markup
    #: From the navigation to the account bar.
    after_navigation: Markup
    #: From the account bar to the breadcrumbs (the header's end, the container's start).
    after_account: Markup
    #: From the breadcrumbs to the page (``<main>``'s start).
    before_main: Markup
    #: After the page (``<main>``'s end, the footer, the script).
    end: Markup


#: The slots of ``layout.html``, in order: a :class:`Frame`'s pieces lie between them.
SLOTS = ("title", "navigation", "account", "before_content", "main")
#: What a slot writes while the layout is rendered: a mark no page's markup holds.
_MARK = "\x00cpt-layout-slot:{}\x00"
#: Where an app keeps its memo of layouts, in ``app.extensions``.
FRAMES_EXTENSION = "cpt_layout_frames"


def frame_slot(name: str) -> Markup:
    """Where ``layout.html`` leaves slot ``name`` (one of :data:`SLOTS`) to the page (a
    template global)."""
    return Markup(_MARK.format(name))


def layout_key(council: Any) -> Hashable:
    """What settles the layout for ``council`` (the template's, or ``None``): the locale,
    the script root, the council's slug, name and colour (its links, the footer's words,
    the stylesheet of its colour), and the slug of the council whose plugin's templates the
    request uses (``g.council``'s)."""
    own = getattr(g, "council", None)
    return (page_locale_name(), request.script_root,
            council and (council.slug, council.name, council.colour),
            own and own.slug)


def page_frame(council: Any) -> Frame:
    """The layout for ``council`` (the template's), rendered once for each
    :func:`layout_key` and kept (a template global)."""
    return keyed_memo(FRAMES_EXTENSION).get(layout_key(council), lambda: _rendered(council))


def _rendered(council: Any) -> Frame:
    markup = current_app.jinja_env.get_template("layout.html").render(council=council)
    pieces = []
    for name in SLOTS:
        before, found, markup = markup.partition(_MARK.format(name))
        if not found:
            raise RuntimeError(f"layout.html leaves no slot {name!r}, or leaves it out of "
                               f"order (core.layout.SLOTS: {', '.join(SLOTS)})")
        pieces.append(Markup(before))
    pieces.append(Markup(markup))
    for piece, name in zip(pieces, ("", *SLOTS), strict=True):
        if _MARK.partition("{")[0] in piece:
            raise RuntimeError(f"layout.html writes a slot twice (after {name or 'its start'!r};"
                               f" each of {', '.join(SLOTS)} once, in that order)")
    return Frame(*pieces)
