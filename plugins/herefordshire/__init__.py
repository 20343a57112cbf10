"""Herefordshire Council: corporate parenting responsibilities, the seven priorities set by
care experienced children and young people, and the corporate parenting panel's fourteen seats.

Source: Herefordshire Council's published text on corporate parenting: our responsibility,
the corporate parenting strategy's seven priorities and the corporate parenting panel (purpose,
meetings every two months, the "Your Voice Matters" slot and fourteen roles).
"""

from pathlib import Path

from core import CouncilFile

plugin = CouncilFile(Path(__file__).with_name("council.toml"))
