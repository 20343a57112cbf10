"""The seven corporate parenting principles: core content every council shares.

Quoted from the Children and Social Work Act 2017, section 1(1) (legislation.gov.uk,
Open Government Licence). Priorities and pledges are tagged with them by letter.
The texts are marked with ``N_`` for extraction and translated where they are shown, so
that importing this module does not import Flask.
"""

from dataclasses import dataclass


def N_(message: str) -> str:
    """Mark ``message`` for extraction; it is translated where it is shown."""
    return message


@dataclass(frozen=True)
class StatutoryPrinciple:
    """One principle of section 1(1): its paragraph letter and its words."""

    letter: str
    text: str


#: The preamble the seven principles complete.
PREAMBLE = N_(
    "A local authority in England must, in carrying out functions in relation to "
    "looked-after children, relevant children and former relevant children under 25, "
    "have regard to the need —"
)

STATUTORY_PRINCIPLES: tuple[StatutoryPrinciple, ...] = (
    StatutoryPrinciple(
        "a",
        N_(
            "to act in the best interests, and promote the physical and mental health and "
            "well-being, of those children and young people;"
        ),
    ),
    StatutoryPrinciple(
        "b",
        N_("to encourage those children and young people to express their views, wishes and "
           "feelings;"),
    ),
    StatutoryPrinciple(
        "c",
        N_("to take into account the views, wishes and feelings of those children and young "
           "people;"),
    ),
    StatutoryPrinciple(
        "d",
        N_(
            "to help those children and young people gain access to, and make the best use of, "
            "services provided by the local authority and its relevant partners;"
        ),
    ),
    StatutoryPrinciple(
        "e",
        N_("to promote high aspirations, and seek to secure the best outcomes, for those "
           "children and young people;"),
    ),
    StatutoryPrinciple(
        "f",
        N_(
            "for those children and young people to be safe, and for stability in their home "
            "lives, relationships and education or work;"
        ),
    ),
    StatutoryPrinciple(
        "g",
        N_("to prepare those children and young people for adulthood and independent living."),
    ),
)

PRINCIPLE_LETTERS = frozenset(p.letter for p in STATUTORY_PRINCIPLES)
