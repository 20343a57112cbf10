"""A meeting's agenda and the actions it carries forward, as the public meeting page shows
them, written by Python: the template globals ``agenda_list_markup`` (the numbered agenda,
each item with its facts and papers), ``papers_list_markup`` and ``item_facts_markup``
(behind ``meetings/_papers.html``'s ``papers_list`` and ``item_facts``, which the admin's
pages use too), ``carried_rows`` (the rows of the table of actions carried forward) and
``meeting_list_markup`` (behind ``meetings/_macros.html``'s ``meeting_list``: the links to
a panel's meetings on its page) and ``work_programme_markup`` (a panel's forward work
programme on its page, kept by what it shows).

Drawn by Jinja, a meeting's ten items took about a third of its page: a macro call per
item for its facts, another per paper list, ``url_for`` per paper. This writes the same
elements, classes and words; the links are made by one ``url_for`` per list
(:func:`core.url_makers.url_maker`). What the items hold is the council's data, escaped; the
project's words are trusted, as a template's ``_()`` gives them. A council wanting another
public agenda replaces ``meetings/show.html``; a copy of ``meetings/_papers.html`` of its
own changes only the pages that import its macros (the admin's).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from flask import current_app
from jinja2.filters import do_filesizeformat
from markupsafe import Markup, escape, soft_str

from core.dates import day_words, format_date, moment_words, zone_name
from core.meetings.cards import arising_status
from core.meetings.work_programme import PlannedLine
from core.pledges.words import missing, tag
from core.translations import fill, ngettext, page_locale_name
from core.translations import trusted_gettext as _
from core.url_makers import url_maker
from core.widgets import TABLE_MACRO, kept_component, keyed_memo

#: The endpoint of a paper on the public pages.
PUBLIC_PAPER = "meeting_papers.download"


def item_facts_markup(item: Any) -> Markup:
    """An agenda item's presenter and expected time, when recorded (nothing otherwise)."""
    presenter, minutes = item.presenter, item.duration_minutes
    if not (presenter or minutes):
        return Markup()
    parts = []
    if presenter:
        parts.append(fill(_("Presented by %(who)s"), who=presenter))
    if minutes:
        parts.append(escape(ngettext("%(num)d minute", "%(num)d minutes", minutes)))
    return Markup(f'<p class="govuk-body-s">{" &middot; ".join(parts)}</p>')


def papers_list_markup(papers: Sequence[Any], endpoint: str, meeting_id: int,
                       exemptions: Mapping[str, str] | None = None,
                       external: bool = False) -> Markup:
    """An agenda item's papers, each a download link at ``endpoint`` with its type and size
    (public: ``meeting_papers.download``; staff: ``meeting_admin.paper``, an exempt paper
    marked, with its exemption's words from ``exemptions``); ``external`` gives full
    addresses. Nothing for no papers."""
    if not papers:
        return Markup()
    link = url_maker(endpoint, "paper_id", meeting_id=meeting_id, _external=external)
    lines = []
    for paper in papers:
        line = (f'<li id="paper-{escape(paper.id)}"><a class="govuk-link" '
                f'href="{escape(link(paper.id))}">{escape(paper.title)}</a> '
                f"({escape(soft_str(paper.file_type).upper())}, "
                f"{escape(do_filesizeformat(paper.size))})")
        if paper.exempt:
            line += f" {tag(_('Exempt'), 'orange')}"
            if exemptions:
                line += f" {escape(exemptions.get(paper.exemption, paper.exemption))}"
        lines.append(line + "</li>")
    return Markup(f'<ul class="govuk-list">{"".join(lines)}</ul>')


def agenda_list_markup(items: Iterable[Any], papers: Mapping[int, Sequence[Any]],
                       meeting_id: int) -> Markup:
    """The public page's numbered agenda: each item's title, a tag for a standing item, its
    description, facts and public papers (``papers`` by item id), and for the item of
    actions arising a link to the table of those carried forward."""
    standing = tag(_("Standing item"), "grey")
    carried = _("Actions carried forward from earlier meetings")
    lines = []
    for item in items:
        line = f'<li id="item-{escape(item.id)}"><strong>{escape(item.title)}</strong>'
        if item.standing:
            line += f" {standing}"
        if item.description:
            line += f'<p class="govuk-body">{escape(item.description)}</p>'
        line += str(item_facts_markup(item))
        if item.kind == "actions_arising":
            line += f'<p class="govuk-body"><a class="govuk-link" href="#carried">{carried}</a></p>'
        if item.id in papers:
            line += str(papers_list_markup(papers[item.id], PUBLIC_PAPER, meeting_id))
        lines.append(line + "</li>")
    return Markup('<ol class="govuk-list govuk-list--number govuk-list--spaced">'
                  f'{"".join(lines)}</ol>')


#: Where an app keeps its memo of panels' lists of meetings, in ``app.extensions``.
MEETING_LISTS_EXTENSION = "cpt_meeting_lists"


def meeting_list_markup(meetings: Sequence[Any], empty: str) -> Markup:
    """Links to ``meetings`` by their day and time, a cancelled one tagged; ``empty``
    marked as missing when there are none (``meetings/_macros.html``'s ``meeting_list``: a
    panel's coming and recent meetings). Kept by what it shows
    (:func:`core.widgets.keyed_memo`): the locale and timezone, the meetings' links, the
    words for none, and each meeting's id, start and whether it was cancelled (written
    afresh, a panel's dozen meetings' days and times were a tenth of its page)."""
    link = url_maker("meetings.show", "meeting_id")
    key = (page_locale_name(), zone_name(), link(0), empty,
           tuple([(meeting.id, meeting.starts_at, meeting.cancelled) for meeting in meetings]))
    return keyed_memo(MEETING_LISTS_EXTENSION).get(
        key, lambda: _meeting_list(meetings, empty, link))


def _meeting_list(meetings: Sequence[Any], empty: str, link: Any) -> Markup:
    """The list of meetings, written afresh (what :func:`meeting_list_markup` keeps)."""
    if not meetings:
        return Markup(f'<p class="govuk-body">{missing(empty)}</p>')
    cancelled = f" {tag(_('Cancelled'), 'red')}"
    lines = [f'<li><a class="govuk-link" href="{escape(link(meeting.id))}">'
             f'{escape(moment_words(meeting.starts_at))}</a>'
             f'{cancelled if meeting.cancelled else ""}</li>' for meeting in meetings]
    return Markup(f'<ul class="govuk-list">{"".join(lines)}</ul>')


#: Where an app keeps its memo of panels' work programmes, in ``app.extensions``.
WORK_PROGRAMMES_EXTENSION = "cpt_work_programmes"


def work_programme_markup(planned: Sequence[PlannedLine]) -> Markup:
    """A panel's forward work programme (``planned``, as
    :func:`core.meetings.work_programme.planned_ahead` reads it) as GOV.UK's table: each
    item (tagged once on a meeting's agenda), who brings it, and when (its meeting's day
    and time, linking to it, or its month, or "Not yet planned"). Kept by what it shows
    (:func:`core.widgets.keyed_memo`): the locale and timezone, the meetings' links, the
    table macro a council's plugin may have, and the items."""
    link = url_maker("meetings.show", "meeting_id")
    key = (page_locale_name(), zone_name(), link(0),
           current_app.jinja_env.council_name(TABLE_MACRO, None), tuple(planned))
    return keyed_memo(WORK_PROGRAMMES_EXTENSION).get(key, lambda: _work_programme(planned,
                                                                                  link))


def _work_programme(planned: Sequence[PlannedLine], link: Any) -> Markup:
    """The work programme's table, written afresh (what :func:`work_programme_markup`
    keeps)."""
    on_the_agenda = f' {tag(_("On the agenda"), "green")}'
    not_stated, not_planned = missing(_("Not stated")), missing(_("Not yet planned"))
    rows = []
    for item in planned:
        meeting = item.planned_meeting
        if meeting is not None:
            when = (f'<a class="govuk-link" href="{escape(link(meeting.id))}">'
                    f'{escape(moment_words(meeting.starts_at))}</a>')
        elif item.planned_month:
            when = str(escape(format_date(item.planned_month, "MMMM yyyy")))
        else:
            when = not_planned
        rows.append([
            {"html": Markup(f'{escape(item.title)}{on_the_agenda if item.scheduled else ""}')},
            {"html": escape(item.brought_by) if item.brought_by else not_stated},
            {"html": Markup(when)}])
    return kept_component("table", "govukTable", {
        "caption": _("Items planned for the panel's future meetings"),
        "captionClasses": "govuk-visually-hidden",
        "head": [{"text": _("Item")}, {"text": _("Who brings it")}, {"text": _("When")}],
        "rows": rows})


def carried_rows(carried: Iterable[Any], today: dt.date, meeting_id: int
                 ) -> list[list[dict[str, Any]]]:
    """The GOV.UK table's rows of the actions carried forward to meeting ``meeting_id``:
    each action's text, who has it, its due date (or "No due date") and its status on
    ``today``, with "closed at this meeting" when it was."""
    no_due_date = missing(_("No due date"))
    closed_here = _("closed at this meeting")
    rows = []
    for action in carried:
        status = arising_status(action, today)
        if action.closed_at_meeting_id == meeting_id:
            status = Markup(f"{status} {closed_here}")
        rows.append([{"text": action.text}, {"text": action.owner},
                     {"html": escape(day_words(action.due)) if action.due else no_due_date},
                     {"html": status}])
    return rows
