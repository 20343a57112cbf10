"""Email addresses as typed."""

from core.mail.addresses import is_address, parse_addresses


def test_an_address_has_one_at_and_a_dotted_domain() -> None:
    assert is_address("ann.chair+panel@herefordshire.gov.uk")
    for bad in ("ann", "ann@", "@council.example", "ann@council", "a b@council.example",
                "a@b@council.example", "<a@council.example>", "a@council.example." ,
                "x" * 320 + "@council.example"):
        assert not is_address(bad), bad


def test_several_typed_in_one_box() -> None:
    assert parse_addresses("a@b.example\nC@D.example; c@d.example,\tnope  nope") == (
        ["a@b.example", "C@D.example"], ["nope"])
    assert parse_addresses(None) == ([], [])
