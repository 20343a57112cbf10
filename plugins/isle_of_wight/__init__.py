"""Isle of Wight Council: the Caring together strategy, its six priorities and next steps, the
Corporate Parenting Board, the Safeguarding Children Partnership and the protocol between them.

Source: "Caring together - a parenting in partnership strategy 2025 to 2028", and the protocol
between the Isle of Wight Corporate Parenting Board and the Isle of Wight Safeguarding Children
Partnership (IOWSCP), approved by the IOWSCP Executive (date "TBC - September 2023").
"""

from pathlib import Path

from core import CouncilFile

plugin = CouncilFile(Path(__file__).with_name("council.toml"))
