"""Admin pages for indicators: enter or change a figure, import a file, get the template;
add, change and archive the council's own (local) indicators.

Contributors and above may enter figures (:attr:`~core.auth.permissions.Permission.
ENTER_FIGURES`); council administrators may add, change and archive local indicators
(:attr:`~core.auth.permissions.Permission.MANAGE_CONTENT`, as for pledges recorded
locally); everyone with a role in the council may see them as entered.
"""

from __future__ import annotations

from flask import Response, flash, g, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

from core import row_reads
from core.admin.scoping import admin_blueprint
from core.audit import last_change, who_and_when
from core.auth.permissions import Permission, can, require
from core.forms import EditConflict
from core.indicators.evidence import evidence_choices
from core.indicators.forms import FigureForm, ImportForm
from core.indicators.importing import (
    ImportRefused,
    Problem,
    check_rows,
    read_rows,
    template_csv,
    template_xlsx,
)
from core.indicators.local import (
    LocalIndicatorError,
    add_local_indicator,
    archive_local_indicator,
    change_local_indicator,
    local_indicator_or_404,
)
from core.indicators.local_forms import ArchiveForm, LocalIndicatorForm
from core.indicators.models import Indicator, IndicatorFigure
from core.indicators.operations import (
    FigureError,
    add_figure,
    change_figure,
    figure_count,
    figure_or_404,
    import_figures,
    indicator_or_404,
)
from core.indicators.reads import (
    indicator_history,
    indicator_history_read,
    report_card,
    series_or_404,
    series_read,
)
from core.translations import gettext as _

indicator_admin = admin_blueprint("indicator_admin", __name__, "/indicators")

Page = tuple[str, int]

#: The largest file an import takes.
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _index_page(form: ImportForm | None = None, problems: list[Problem] | None = None,
                status: int = 200) -> Page:
    return render_template(
        "indicators/admin_index.html", council=g.council, lines=report_card(g.council),
        form=form or ImportForm(), problems=problems or [],
        problem_items=[{"text": str(problem), "href": "#problems"} for problem in problems or []],
        may_enter=can(current_user, Permission.ENTER_FIGURES, g.council.id),
        may_manage=can(current_user, Permission.MANAGE_CONTENT, g.council.id)), status


@indicator_admin.get("")
def index() -> Page:
    return _index_page()


@indicator_admin.post("/import")
@require(Permission.ENTER_FIGURES)
def import_file() -> Page | WerkzeugResponse:
    form = ImportForm()
    upload = form.upload.data
    if not form.validate_on_submit() or upload is None or not getattr(upload, "filename", ""):
        form.upload.errors = [*form.upload.errors, _("Choose a CSV or Excel file to import")]
        return _index_page(form, status=400)
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    try:
        if len(data) > MAX_UPLOAD_BYTES:
            raise ImportRefused([Problem(0, None, _("The file is bigger than 2 MB: split "
                                                    "it."))])
        rows = check_rows(g.council, read_rows(upload.filename, data))
    except ImportRefused as refused:
        form.upload.errors = [_("The file was not imported: nothing has been saved. Correct "
                                "the problems listed and import it again.")]
        return _index_page(form, refused.problems, 400)
    count = import_figures(g.council, rows)
    flash(_("Imported %(count)d figures.", count=count))
    return redirect(url_for(".index"))


def _keys() -> list[str]:
    return [line.key for line in report_card(g.council)]


@indicator_admin.get("/template.csv")
def template_as_csv() -> Response:
    return Response(template_csv(_keys()), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{g.council.slug}-indicators.csv"'})


@indicator_admin.get("/template.xlsx")
def template_as_xlsx() -> Response:
    return Response(template_xlsx(_keys()), mimetype=XLSX, headers={
        "Content-Disposition": f'attachment; filename="{g.council.slug}-indicators.xlsx"'})


@indicator_admin.get("/<key>")
def indicator(key: str) -> str:
    """One live indicator with its figures as entered, newest period first, and the history
    of changes to it and them (read together, as rows)."""
    council = g.council
    with row_reads.together(series_read(council, key), indicator_history_read(council, key)):
        found, changes = series_or_404(council, key), indicator_history(council, key)
    return render_template(
        "indicators/admin_indicator.html", council=council, indicator=found,
        figures=found.figures[::-1],
        may_enter=can(current_user, Permission.ENTER_FIGURES, council.id),
        may_manage=found.added_locally and can(current_user, Permission.MANAGE_CONTENT,
                                               council.id),
        history=changes)


def _form_page(indicator: Indicator, form: FigureForm, figure: IndicatorFigure | None = None,
               status: int = 200, conflict: str | None = None) -> Page:
    return render_template("indicators/admin_figure.html", council=g.council,
                           indicator=indicator, form=form, figure=figure,
                           conflict=conflict), status


@indicator_admin.get("/<key>/figures/new")
@require(Permission.ENTER_FIGURES)
def new_figure(key: str) -> Page:
    return _form_page(indicator_or_404(g.council, key), FigureForm())


@indicator_admin.post("/<key>/figures/new")
@require(Permission.ENTER_FIGURES)
def create_figure(key: str) -> Page | WerkzeugResponse:
    found = indicator_or_404(g.council, key)
    form = FigureForm()
    values = form.checked(found.unit)
    if values is None:
        return _form_page(found, form, status=400)
    try:
        add_figure(found, values)
    except FigureError as error:
        getattr(form, error.field).errors = [str(error)]
        return _form_page(indicator_or_404(g.council, key), form, status=400)
    except EditConflict:
        form.period_end.errors = [_("Someone else has just saved a figure for this period: "
                                    "change that one instead")]
        return _form_page(indicator_or_404(g.council, key), form, status=409)
    flash(_("Figure saved."))
    return redirect(url_for(".indicator", key=key))


@indicator_admin.get("/<key>/figures/<int:figure_id>/edit")
@require(Permission.ENTER_FIGURES)
def edit_figure(key: str, figure_id: int) -> Page:
    found = indicator_or_404(g.council, key)
    figure = figure_or_404(found, figure_id)
    form = FigureForm(data={
        "period_end": figure.period_end, "version": str(figure.version),
        "note": figure.note or "",
        **{name: "" if getattr(figure, name) is None else f"{getattr(figure, name):g}"
           for name in ("value", "numerator", "denominator", "target", "england", "region",
                        "neighbours")}})
    return _form_page(found, form, figure)


@indicator_admin.post("/<key>/figures/<int:figure_id>/edit")
@require(Permission.ENTER_FIGURES)
def update_figure(key: str, figure_id: int) -> Page | WerkzeugResponse:
    found = indicator_or_404(g.council, key)
    figure = figure_or_404(found, figure_id)
    form = FigureForm()
    values = form.checked(found.unit)
    if values is None:
        return _form_page(found, form, figure, 400)
    try:
        change_figure(found, figure, values, form.version.data)
    except FigureError as error:
        getattr(form, error.field).errors = [str(error)]
        return _form_page(found, form, figure, 400)
    except EditConflict:
        found = indicator_or_404(g.council, key)
        figure = figure_or_404(found, figure_id)
        form.version.data = str(figure.version)
        return _form_page(found, form, figure, 409, conflict=_(
            "%(who)s saved a change to this figure on %(when)s, after you opened it. Your "
            "changes are below but have not been saved: check the figure as it is now, then "
            "save again to replace it.",
            **who_and_when(last_change("indicator_figure", figure.id, g.council.id))))
    flash(_("Figure saved."))
    return redirect(url_for(".indicator", key=key))


# --- the council's own indicators, added locally -----------------------------------------


def _offered(form: LocalIndicatorForm) -> LocalIndicatorForm:
    """``form`` offering the council's live priorities and pledges to tick."""
    priorities, pledges = evidence_choices(g.council)
    return form.offer(priorities, pledges, g.council.word("pledges"))


def _local_form_page(form: LocalIndicatorForm, indicator: Indicator | None = None,
                     status: int = 200, conflict: str | None = None) -> Page:
    return render_template("indicators/admin_local_form.html", council=g.council, form=form,
                           indicator=indicator, conflict=conflict), status


@indicator_admin.get("/new")
@require(Permission.MANAGE_CONTENT)
def new_indicator() -> Page:
    return _local_form_page(_offered(LocalIndicatorForm()))


@indicator_admin.post("/new")
@require(Permission.MANAGE_CONTENT)
def create_indicator() -> Page | WerkzeugResponse:
    form = _offered(LocalIndicatorForm())
    if not form.validate_on_submit():
        return _local_form_page(form, status=400)
    try:
        created = add_local_indicator(g.council, form.values())
    except LocalIndicatorError as error:
        getattr(form, error.field).errors = [str(error)]
        return _local_form_page(form, status=400)
    except EditConflict:  # added at the same instant under the same key
        form.title.errors = [_("Someone else has just added an indicator with this title: "
                               "choose a different title")]
        return _local_form_page(form, status=409)
    flash(_("Indicator added. Its key is %(key)s.", key=created.key))
    return redirect(url_for(".indicator", key=created.key))


def _conflict_message(indicator: Indicator) -> str:
    return _("%(who)s saved a change to this indicator on %(when)s, after you opened it. "
             "Your changes are below but have not been saved: check the indicator as it is "
             "now, then save again to replace it.",
             **who_and_when(last_change("indicator", indicator.id, g.council.id)))


@indicator_admin.get("/<key>/edit")
@require(Permission.MANAGE_CONTENT)
def edit_indicator(key: str) -> Page:
    found = local_indicator_or_404(g.council, key)
    return _local_form_page(_offered(LocalIndicatorForm.filled_from(found)), found)


@indicator_admin.post("/<key>/edit")
@require(Permission.MANAGE_CONTENT)
def update_indicator(key: str) -> Page | WerkzeugResponse:
    found = local_indicator_or_404(g.council, key)
    form = _offered(LocalIndicatorForm())
    if not form.validate_on_submit():
        return _local_form_page(form, found, 400)
    try:
        change_local_indicator(found, form.values(), form.version.data)
    except LocalIndicatorError as error:
        getattr(form, error.field).errors = [str(error)]
        return _local_form_page(form, found, 400)
    except EditConflict:
        found = local_indicator_or_404(g.council, key)
        form.version.data = str(found.version)
        return _local_form_page(form, found, 409, conflict=_conflict_message(found))
    flash(_("Indicator saved."))
    return redirect(url_for(".indicator", key=key))


def _archive_page(indicator: Indicator, form: ArchiveForm, status: int = 200,
                  conflict: str | None = None) -> Page:
    return render_template("indicators/admin_archive.html", council=g.council,
                           indicator=indicator, form=form, figures=figure_count(indicator),
                           conflict=conflict), status


@indicator_admin.get("/<key>/archive")
@require(Permission.MANAGE_CONTENT)
def confirm_archive(key: str) -> Page:
    """Ask before archiving a local indicator (a page of its own: works without
    JavaScript)."""
    found = local_indicator_or_404(g.council, key)
    return _archive_page(found, ArchiveForm(formdata=None, version=str(found.version)))


@indicator_admin.post("/<key>/archive")
@require(Permission.MANAGE_CONTENT)
def archive_indicator(key: str) -> Page | WerkzeugResponse:
    found = local_indicator_or_404(g.council, key)
    form = ArchiveForm()
    if not form.validate_on_submit():
        return _archive_page(found, form, 400)
    try:
        archive_local_indicator(found, form.version.data)
    except EditConflict:
        found = local_indicator_or_404(g.council, key)
        return _archive_page(found, ArchiveForm(formdata=None, version=str(found.version)),
                             409, conflict=_(
            "%(who)s changed this indicator on %(when)s, after you opened this page. It has "
            "not been archived: check it as it is now, then archive it if it is still to go.",
            **who_and_when(last_change("indicator", found.id, g.council.id))))
    flash(_("“%(title)s” is archived: it is no longer on the report card. Its figures are "
            "kept.", title=found.title))
    return redirect(url_for(".index"))
