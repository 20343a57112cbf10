"""Registering the pages, the API, template helpers and error pages on an app."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, g, make_response, render_template, request
from flask_babel import get_locale
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import BadRequest, HTTPException, SecurityError, ServiceUnavailable

from core.auth.permissions import ROLE_NAMES
from core.charts.figure_markup import chart_markup
from core.concurrency import RETRY_AFTER_SECONDS, is_busy
from core.extensions import db
from core.findings_markup import findings_markup
from core.layout import frame_slot, in_admin, layout_links, page_frame, service_navigation
from core.meetings.agenda_markup import (
    agenda_list_markup,
    carried_rows,
    item_facts_markup,
    meeting_list_markup,
    papers_list_markup,
    work_programme_markup,
)
from core.meetings.cards import arising_cards, arising_status
from core.meetings.register_cells import register_rows
from core.panels.seat_cells import (
    admin_seat_rows,
    membership_period,
    public_seat_rows,
    public_seats_table,
)
from core.pledges.cards import action_card, action_cards
from core.pledges.sections import pledge_sections
from core.pledges.tables import pledge_table
from core.pledges.words import action_wording, missing, status_tag, tag, timeline
from core.plugins import plugin_host
from core.reviews.markup import REVIEW_STATE_WORDS, review_list_markup
from core.translations import gettext
from core.translations import lazy_gettext as _l
from core.url_makers import text_url_maker, url_maker
from core.widgets import kept_component, kept_figures


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
        review_state=REVIEW_STATE_WORDS,
        review_list_markup=review_list_markup,
        findings_markup=findings_markup,
        service_navigation=service_navigation,
        html_lang=lambda: str(get_locale() or "en_GB").replace("_", "-"),
        in_admin=in_admin,
        role_names=ROLE_NAMES,
        kept_component=kept_component,
        kept_figures=kept_figures,
        chart_markup=chart_markup,
        action_card=action_card,
        action_cards=action_cards,
        pledge_sections=pledge_sections,
        status_tag_markup=status_tag,
        tag_markup=tag,
        missing_markup=missing,
        action_wording_markup=action_wording,
        timeline_markup=timeline,
        url_maker=url_maker,
        text_url_maker=text_url_maker,
        layout_links=layout_links,
        page_frame=page_frame,
        frame_slot=frame_slot,
        admin_seat_rows=admin_seat_rows,
        public_seat_rows=public_seat_rows,
        public_seats_table=public_seats_table,
        arising_cards=arising_cards,
        register_rows=register_rows,
        arising_status=arising_status,
        membership_period=membership_period,
        latest_figures_table=latest_figures_table,
        agenda_list_markup=agenda_list_markup,
        papers_list_markup=papers_list_markup,
        item_facts_markup=item_facts_markup,
        carried_rows=carried_rows,
        meeting_list_markup=meeting_list_markup,
        work_programme_markup=work_programme_markup,
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

    @app.errorhandler(SecurityError)
    def untrusted_host(_error: SecurityError) -> Any:
        """A request for a host the app does not answer to (``CPT_TRUSTED_HOSTS``): a 400
        saying so, the host not repeated. Not the error page: no link can be made for a
        host the app refuses (Flask made no URL adapter for it)."""
        said = gettext("This site does not answer to that host name.")
        if request.path.startswith("/api/"):
            refused = BadRequest(description=said)
            refused.data = {"message": said}  # what the API's JSON body says
            return http_error(refused)
        return Response(said, 400, mimetype="text/plain")

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
