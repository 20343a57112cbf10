"""Registering the pages, the API, template helpers and error pages on an app."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, g, make_response, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, ServiceUnavailable

from core.auth.permissions import ROLE_NAMES, Permission, can
from core.concurrency import RETRY_AFTER_SECONDS, is_busy
from core.extensions import db
from core.meetings.cards import arising_cards, arising_status
from core.meetings.register_cells import register_rows
from core.panels.seat_cells import admin_seat_rows, membership_period, public_seat_rows
from core.pledges.cards import action_card, action_cards
from core.pledges.tables import pledge_table
from core.pledges.words import action_wording, missing, status_tag, tag, timeline
from core.plugins import plugin_host
from core.reviews.models import ReviewState
from core.translations import WordsPerLocale, page_locale_name
from core.translations import gettext as _
from core.translations import lazy_gettext as _l
from core.url_makers import text_url_maker, url_maker
from core.widgets import kept_component, kept_figures, keyed_memo

#: Label and GOV.UK tag colour of each review state.
REVIEW_STATE = {
    ReviewState.OVERDUE: (_l("Overdue"), "red"),
    ReviewState.DUE_SOON: (_l("Due soon"), "yellow"),
    ReviewState.SCHEDULED: (_l("Scheduled"), "green"),
    ReviewState.NOT_SCHEDULED: (_l("No date set"), "grey"),
}


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


def service_navigation() -> Markup:
    """The header's GOV.UK service navigation for the current page (a template global).

    Kept by what settles it: the locale, the script root, the page's endpoint (which item
    is current), the council's slug, name and words for its pledges and panels, and on an
    admin page which pages the user may open. Every page has one: building its parameters
    (a dozen translated words, links and flags) and freezing them as the key of the
    components' memo (:func:`core.widgets.kept_component`) cost about a tenth of a
    millisecond a page, this key a few microseconds. A miss renders through that memo, so
    a council's own copy of the component's template still draws it."""
    council = getattr(g, "council", None)
    admin = council is not None and in_admin()
    key = (page_locale_name(), request.script_root, request.endpoint,
           council and (council.slug, council.name, council.word("pledges"),
                        council.word("panels")),
           admin and tuple(name for name, _text in _admin_pages_shown(council)))
    return keyed_memo(_NAVIGATION_MARKUP).get(
        key, lambda: kept_component("service-navigation", "govukServiceNavigation",
                                    _navigation_parameters(council, admin)))


def _navigation_parameters(council: Any, admin: bool) -> dict[str, Any]:
    if council is None:
        return {"serviceName": _("Corporate parenting"),
                "serviceUrl": _layout_links()["home"],
                "navigation": [], "navigationLabel": _("Menu"), "menuButtonText": _("Menu")}
    label = (_("Admin pages for %(council)s", council=council.name) if admin
             else _("Pages about %(council)s", council=council.name))
    return {"serviceName": council.name, "serviceUrl": _layout_links(council)["overview"],
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


def _layout_links(council: Any = None) -> dict[str, str]:
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


def register_web(app: Flask) -> None:
    """Attach every area's pages and the API to ``app``."""
    from govuk_frontend_wtf.main import WTFormsHelpers

    from core.admin.views import admin, council_admin
    from core.api import handle_api_error, register_api
    from core.attendance import admin_views as _in_attendance  # noqa: F401  (its routes)
    from core.auth.admin_views import account_admin, user_admin
    from core.auth.views import register_auth
    from core.councils.views import council_pages, home
    from core.desk.views import desk_admin, my_actions_admin
    from core.documents.layout import document_templates
    from core.indicators.admin_views import indicator_admin
    from core.indicators.tables import latest_figures_table, rag_tag
    from core.indicators.views import indicator_pages
    from core.indicators.words import template_helpers
    from core.meetings import admin_arising as _arising  # noqa: F401  (its routes)
    from core.meetings.admin_views import meeting_admin
    from core.meetings.paper_views import paper_files
    from core.meetings.records_admin_views import minutes_page  # noqa: F401  (its routes)
    from core.meetings.views import meeting_feeds, meeting_pages
    from core.panels import admin_corrections as _corrections  # noqa: F401  (its routes)
    from core.panels.admin_views import membership_admin
    from core.panels.views import panel_pages
    from core.partners.views import partner_pages
    from core.pledges.admin_views import pledge_admin
    from core.pledges.views import pledge_pages
    from core.reviews.admin_views import review_admin
    from core.reviews.views import review_pages
    from core.strategy.views import strategy_pages

    app.register_blueprint(home)
    app.register_blueprint(document_templates)
    register_api(app)
    register_auth(app)
    WTFormsHelpers(app)
    blueprints = (
        admin,
        council_admin,
        pledge_admin,
        indicator_admin,
        review_admin,
        membership_admin,
        meeting_admin,
        desk_admin,
        my_actions_admin,
        user_admin,
        account_admin,
        council_pages,
        strategy_pages,
        pledge_pages,
        indicator_pages,
        panel_pages,
        review_pages,
        partner_pages,
        meeting_feeds,
        meeting_pages,
        paper_files,
    )
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    app.jinja_env.globals.update(template_helpers())

    @app.context_processor
    def current_council() -> dict[str, Any]:
        """The council of the URL, for every template (error pages included), and why its
        plugin's definitions could not be loaded, if they could not."""
        council = getattr(g, "council", None)
        failing = plugin_host().failing(council.slug, council.plugin) if council else []
        return {"council": council, "council_failing": failing}

    app.jinja_env.add_extension("jinja2.ext.do")  # {% do rows.append(...) %} for tables
    app.jinja_env.globals.update(
        review_state=WordsPerLocale(REVIEW_STATE),
        service_navigation=service_navigation,
        html_lang=lambda: str(get_locale() or "en_GB").replace("_", "-"),
        in_admin=in_admin,
        role_names=ROLE_NAMES,
        kept_component=kept_component,
        kept_figures=kept_figures,
        action_card=action_card,
        action_cards=action_cards,
        status_tag_markup=status_tag,
        tag_markup=tag,
        missing_markup=missing,
        action_wording_markup=action_wording,
        timeline_markup=timeline,
        url_maker=url_maker,
        text_url_maker=text_url_maker,
        layout_links=_layout_links,
        admin_seat_rows=admin_seat_rows,
        public_seat_rows=public_seat_rows,
        arising_cards=arising_cards,
        register_rows=register_rows,
        arising_status=arising_status,
        membership_period=membership_period,
        latest_figures_table=latest_figures_table,
        rag_tag_markup=rag_tag,
        pledge_table_markup=pledge_table,
    )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Any:
        if error.response is not None:  # already made for this error (e.g. a sign-in limit)
            return error.response
        if request.path.startswith("/api/"):
            response = make_response(handle_api_error(app, error))
        else:
            response = make_response(render_template("error.html", error=error), error.code)
        for name, value in error.get_headers():  # e.g. a 405's Allow, a 503's Retry-After
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    @app.errorhandler(OperationalError)
    def database_busy(error: OperationalError) -> Any:
        """A write that could not get the database in time (another long write held it):
        a 503 asking to try again shortly, with ``Retry-After``, never a 500. Nothing of
        the request was saved: its transaction is undone."""
        if not is_busy(error):
            raise error
        db.session.rollback()
        busy = ServiceUnavailable(description=_l(
            "The service is busy saving other changes. Nothing you sent has been saved: "
            "wait a few seconds, then try again."))
        response = http_error(busy)
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
