"""Email addresses as people type them: one checked, or several in one box."""

from __future__ import annotations

import re

#: Something like name@example.org: no spaces, one @, a dot in the domain.
ADDRESS = re.compile(r"^[^@\s<>,;\"'()]+@[^@\s<>,;\"'()]+\.[^@\s<>,;\"'().]+$")
#: The longest address SMTP allows.
LONGEST = 320


def is_address(text: str) -> bool:
    """Whether ``text`` (already stripped) reads as an email address."""
    return len(text) <= LONGEST and bool(ADDRESS.match(text))


def parse_addresses(text: str | None) -> tuple[list[str], list[str]]:
    """(addresses, what is not an address) typed one per line or separated by commas or
    semicolons; each address once (ignoring case), in the order typed."""
    good: dict[str, str] = {}
    bad: list[str] = []
    for part in re.split(r"[\s,;]+", text or ""):
        if not part:
            continue
        if is_address(part):
            good.setdefault(part.lower(), part)
        elif part not in bad:
            bad.append(part)
    return list(good.values()), bad
