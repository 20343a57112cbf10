"""Bracknell Forest Council: the corporate parenting strategy action plan, its ten pledges and
forty-five actions (responsible officer, timeline, linked initiatives, expected outcomes).

Source: Corporate Parenting Strategy action plan 2025 to 2028, published on the Bracknell
Forest Council website. The plan lost its action column: no action carries wording of its own.
"""

from pathlib import Path

from core import CouncilFile

plugin = CouncilFile(Path(__file__).with_name("council.toml"))
