"""Admin pages for indicator figures: enter or change one, import a file, get the template.

Contributors and above may enter figures (:attr:`~core.auth.permissions.Permission.
ENTER_FIGURES`); everyone with a role in the council may see them as entered.
"""

from __future__ import annotations

from flask import Response, flash, g, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

from core.admin.scoping import admin_blueprint
from core.audit import last_change, who_and_when
from core.auth.permissions import Permission, can, require
from core.forms import EditConflict
from core.indicators.forms import FigureForm, ImportForm
from core.indicators.importing import (
    ImportRefused,
    Problem,
    check_rows,
    read_rows,
    template_csv,
    template_xlsx,
)
from core.indicators.models import Indicator, IndicatorFigure
from core.indicators.operations import (
    FigureError,
    add_figure,
    change_figure,
    figure_history,
    figure_or_404,
    figures_of,
    import_figures,
    indicator_or_404,
)
from core.indicators.reads import report_card
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
        may_enter=can(current_user, Permission.ENTER_FIGURES, g.council.id)), status


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
    found = indicator_or_404(g.council, key)
    return render_template(
        "indicators/admin_indicator.html", council=g.council, indicator=found,
        figures=figures_of(found),
        may_enter=can(current_user, Permission.ENTER_FIGURES, g.council.id),
        history=figure_history(found))


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
