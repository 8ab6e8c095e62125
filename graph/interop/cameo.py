"""The CAMEO event codes: name, GDELT quad class and the two intensity scales.

Read from ``graph/interop/data_files/cameo.tsv`` (shipped with the package; derived from GDELT's
CAMEO.eventcodes.txt and the ICEWS CAMEO code list). Two scales of the same −10..+10 kind exist:
GDELT's Goldstein values and ICEWS's Parus intensities; they differ on a few codes (016, 022, 164,
165) but never in sign, so a type's polarity is the same whichever scale a file uses.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

SCALES = ("goldstein", "parus")


@dataclass(frozen=True)
class Code:
    """One CAMEO event code."""

    code: str
    root: str
    name: str
    quad_class: int
    goldstein: float
    parus: float

    def weight(self, scale: str) -> float:
        """The default intensity on ``scale`` ('goldstein' for GDELT, 'parus' for ICEWS)."""
        return self.goldstein if scale == "goldstein" else self.parus

    @property
    def polarity(self) -> str:
        """hostile / cooperative / neutral from the sign of the intensity (both scales agree).

        The sign is used rather than GDELT's quad class because some verbal-cooperation codes carry
        negative values (012 pessimistic comment −0.4, 09x investigate −2) and the data model
        requires a hostile weight ≤ 0 and a cooperative one ≥ 0.
        """
        if self.goldstein < 0:
            return "hostile"
        if self.goldstein > 0:
            return "cooperative"
        return "neutral"

    @property
    def label(self) -> str:
        """The code's name in sentence case (root codes are upper case in the source table)."""
        return self.name[:1].upper() + self.name[1:].lower() if self.name.isupper() else self.name


@functools.lru_cache(maxsize=1)
def codes() -> dict[str, Code]:
    """Every CAMEO code in the shipped table, keyed by its code string (leading zeros kept)."""
    text = resources.files("graph.interop").joinpath("data_files/cameo.tsv").read_text(encoding="utf-8")
    table: dict[str, Code] = {}
    for line in text.splitlines()[1:]:
        if not line.strip():
            continue
        code, root, name, quad, goldstein, parus = line.split("\t")
        table[code] = Code(code, root, name, int(quad), float(goldstein), float(parus))
    return table


def lookup(code: str) -> Code | None:
    """The entry for ``code`` or, for a code missing from the table, its nearest listed parent
    (``1724`` → ``172``); None when not even the root is known."""
    table = codes()
    code = code.strip()
    while code:
        if code in table:
            return table[code]
        code = code[:-1]
    return None
