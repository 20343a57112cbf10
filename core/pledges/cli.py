"""`cpt import-plan`: a council's action plan spreadsheet as the pledges part of its
plugin's ``council.toml``."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("import-plan")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the TOML to this file rather than to standard output.")
@click.option("--sheet", help="The workbook's sheet to read (default: the first).")
def import_plan_command(file: Path, output: Path | None, sheet: str | None) -> None:
    """Read an action plan (FILE.xlsx or FILE.csv) and write the [pledges] part of a
    council.toml: a pledge or promise column and columns for the actions (action,
    responsible officer, timescale, expected outcome, links), found by their headers.
    Every problem is listed and nothing is written (exit status 1) if any is found."""
    from core.pledges.plan_import import PlanImportError, plan_toml, read_plan

    try:
        text = plan_toml(read_plan(file, sheet), file.name)
    except PlanImportError as error:
        for problem in error.problems:
            click.echo(problem, err=True)
        raise SystemExit(1) from None
    if output is None:
        click.echo(text, nl=False)
        return
    output.write_text(text, encoding="utf-8")
    click.echo(f"Wrote the pledges and actions of {file.name} to {output}.", err=True)
