"""How young people who sit on a panel are recorded: by first name, by initials, or either,
as the council's policy says (``Council.young_people_names``, from its plugin's council
shape; ``either`` by default). Never a full name: the toolkit holds no personal data about
children beyond what the council chooses to show of its own representatives.
"""

from __future__ import annotations

import re
from enum import StrEnum

from core.translations import gettext as _


class NamePolicy(StrEnum):
    """What a young people's representative is recorded by."""

    FIRST_NAME = "first_name"
    INITIALS = "initials"
    EITHER = "either"


#: One word of letters, with inner hyphens or apostrophes: "Jo", "Mary-Jane", "D'Arcy".
_FIRST_NAME = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


def is_initials(name: str) -> bool:
    """Initials: single letters, each with or without a full stop ("J.B.", "J B", "JB" in
    capitals)."""
    text = name.strip()
    if " " in text or "." in text:
        parts = [part for part in re.split(r"[.\s]+", text) if part]
        return 1 <= len(parts) <= 4 and all(len(p) == 1 and p.isalpha() for p in parts)
    return 1 <= len(text) <= 4 and text.isalpha() and text.isupper()


def is_first_name(name: str) -> bool:
    """A single name, no surname: one word of letters."""
    return bool(_FIRST_NAME.fullmatch(name.strip()))


def name_allowed(policy: str, name: str) -> bool:
    """Whether ``name`` may record a young person under ``policy``."""
    match NamePolicy(policy):
        case NamePolicy.FIRST_NAME:
            return is_first_name(name) and not is_initials(name)
        case NamePolicy.INITIALS:
            return is_initials(name)
        case _:
            return is_first_name(name) or is_initials(name)


def name_hint(policy: str) -> str:
    """What to type for a young person, under ``policy``."""
    match NamePolicy(policy):
        case NamePolicy.FIRST_NAME:
            return _("Young people are recorded by their first name only, for example Jo.")
        case NamePolicy.INITIALS:
            return _("Young people are recorded by their initials only, for example J.B.")
        case _:
            return _("Young people are recorded by their first name or initials only, for "
                     "example Jo or J.B.")


def name_refusal(policy: str, name: str) -> str:
    """The field error for ``name``, saying what is allowed under ``policy``."""
    match NamePolicy(policy):
        case NamePolicy.FIRST_NAME:
            return _("“%(name)s” holds a young people's seat, which this council records by "
                     "first name only: enter one name, for example Jo, not a full name or "
                     "initials.", name=name)
        case NamePolicy.INITIALS:
            return _("“%(name)s” holds a young people's seat, which this council records by "
                     "initials only: enter initials, for example J.B., not a name.", name=name)
        case _:
            return _("“%(name)s” holds a young people's seat, which this council records by "
                     "first name or initials only: enter one name or initials, for example "
                     "Jo or J.B., not a full name.", name=name)
