"""``cpt new-plugin``: a new council plugin package, ready to fill in, test and install.

:func:`write_plugin` copies the files under ``templates/`` beside this module, filling in
their ``$slug``-style placeholders (:class:`string.Template`): ``package/`` becomes the
plugin's import package and ``.tmpl`` is dropped from each name.
"""

from __future__ import annotations

from pathlib import Path
from string import Template

import click

from core.content import ContentError, Council, validate

#: The files a new plugin starts from.
TEMPLATES = Path(__file__).with_name("templates")


def slug_problem(slug: str) -> str | None:
    """Why ``slug`` cannot be a council's slug (the rule of :class:`core.content.Council`),
    or ``None`` if it can."""
    try:
        validate(Council, {"slug": slug, "name": slug})
    except ContentError as error:
        return error.problems.get("slug", str(error))
    return None


def plugin_names(slug: str) -> dict[str, str]:
    """The names a plugin for ``slug`` goes by: its folder and distribution
    (``cpt-new-town``), its import package (``cpt_new_town``) and the slug itself."""
    return {"slug": slug, "distribution": f"cpt-{slug.replace('_', '-')}",
            "package": f"cpt_{slug}"}


def write_plugin(slug: str, directory: Path) -> Path:
    """Write a new plugin package for ``slug`` in ``directory``; return its folder.

    Raises :class:`ValueError` for an invalid slug and :class:`FileExistsError` if the
    folder exists, before writing anything.
    """
    if problem := slug_problem(slug):
        raise ValueError(f"{slug!r} is not a valid council slug: {problem}")
    names = plugin_names(slug)
    target = directory / names["distribution"]
    if target.exists():
        raise FileExistsError(f"{target} already exists: choose another --dir, or remove it")
    for source in sorted(TEMPLATES.rglob("*.tmpl")):
        relative = source.relative_to(TEMPLATES).with_suffix("")
        parts = [names["package"] if part == "package" else part for part in relative.parts]
        path = target.joinpath(*parts)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(Template(source.read_text(encoding="utf-8")).substitute(names),
                        encoding="utf-8")
    return target


@click.command("new-plugin")
@click.argument("slug")
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path),
              default=".", show_default=True, help="Where to write the plugin's folder.")
def new_plugin_command(slug: str, directory: Path) -> None:
    """Write a new council plugin package for SLUG, ready to fill in, test and install."""
    if problem := slug_problem(slug):
        raise click.BadParameter(
            f"{slug!r} is not a valid council slug: {problem} For example: newtown, "
            "isle_of_wight.", param_hint="SLUG")
    try:
        target = write_plugin(slug, directory)
    except FileExistsError as error:
        raise click.UsageError(str(error)) from None
    names = plugin_names(slug)
    click.echo(f"Wrote the {slug} council plugin in {target}:")
    for path in sorted(p for p in target.rglob("*") if p.is_file()):
        click.echo(f"  {path.relative_to(target)}")
    click.echo(
        "Next:\n"
        f"  1. Fill in {names['package']}/council.toml with the council's published words.\n"
        f"  2. cd {target} && pip install -e . && pytest\n"
        f"  3. cpt db upgrade && cpt sync && cpt run, then open /{slug}/\n"
        "See README.md in the new folder.")
