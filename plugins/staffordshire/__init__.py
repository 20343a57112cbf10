"""Staffordshire County Council: the corporate parenting strategy's vision, principles and
Corporate Parenting Panel, with its four promises declared but not published.

Source: the foreword of Staffordshire's corporate parenting strategy (vision, Children in Care
Council, who corporate parents are, the panel's role, corporate parenting principles, "Making it
happen" and its "four promises").
"""

from pathlib import Path

from core import CouncilFile

plugin = CouncilFile(Path(__file__).with_name("council.toml"))
