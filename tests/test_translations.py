"""Every user-facing string is extractable for translation with the project's Babel config."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir

ROOT = Path(__file__).parent.parent
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None,
            "N_": None}


def extracted() -> set[str]:
    messages = set()
    method_map = [("core/**.py", "python"), ("core/**/templates/**.html", "jinja2"),
                  ("core/**/templates/**.txt", "jinja2")]
    options_map = {pattern: {"extensions": "jinja2.ext.do"}
                   for pattern in ("core/**/templates/**.html", "core/**/templates/**.txt")}
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map=method_map, options_map=options_map, keywords=KEYWORDS):
        messages.update([message] if isinstance(message, str) else message)
    return messages


def test_the_babel_config_names_the_sources_extracted_here() -> None:
    config = (ROOT / "babel.cfg").read_text()
    assert "[python: core/**.py]" in config
    assert "[jinja2: core/**/templates/**.html]" in config
    assert "extensions = jinja2.ext.do" in config  # else templates using {% do %} give none
    assert "[jinja2: core/**/templates/**.txt]" in config  # the text of emails


def test_page_strings_principles_and_plurals_are_extracted() -> None:
    messages = extracted()
    assert "Skip to main content" in messages
    assert "The published plan does not give this action's wording." in messages
    assert ("to prepare those children and young people for adulthood and independent "
            "living.") in messages
    assert "%(num)d actions have no wording of their own in the published plan." in messages
    assert "Open this link to accept, and to set your name and password if you have no " \
           "account yet:" in messages  # an email's text
    assert len(messages) > 100
    # templates that build tables with {% do %} (the desk, the attendance statistics)
    assert "Nothing on the agenda beyond the standing items." in messages
    assert "Attendance per seat, municipal year %(year)s" in messages
