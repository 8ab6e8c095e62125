"""Cells that are safe to open in a spreadsheet (CSV injection, OWASP).

A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula to
Excel and LibreOffice. ``neutralise`` prefixes such a cell with a single quote, as OWASP recommends;
real numbers (``-2.5``) stay numbers. A spreadsheet in another locale may split the line on ``;`` or
tabs (and a line break may end a row), so the same is done after each ``;``, tab, CR or LF inside
the text. ``restore`` undoes it exactly when the tool reads its own sheet back (a text that already
starts with such a quote gets one more, so nothing is ambiguous). ``spreadsheet_csv`` writes whole
reports that way.
"""

from __future__ import annotations

import csv
import io
import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")  # ASCII digits only
_NEEDS_QUOTES = re.compile(r'[,;"\t\r\n]')


def is_number(text: str) -> bool:
    """True for a plain decimal number (``-2.5``, ``1e-05``): a spreadsheet reads it as a number."""
    return _NUMBER.fullmatch(text) is not None


def _guarded(text: str) -> bool:
    """Whether ``neutralise`` puts a quote before the whole ``text``: formula-like and not a plain
    number, or already starting with quotes that a formula-like text follows."""
    rest = text.lstrip("'")
    return rest.startswith(FORMULA_START) and not is_number(rest)


# After a break a formula start is always quoted (cheaper than proving which cell the rest ends up in),
# also behind quote marks: a CSV reader splitting there unescapes '""=' to '"=' and may drop the '"'.
_AFTER_BREAK = re.compile(r"""([;\t\r\n])(?=['"]*[=+\-@\t\r])""")
_PUT_AFTER_BREAK = re.compile(r"""([;\t\r\n])'(?=['"]*[=+\-@\t\r])""")


def neutralise(value) -> str:
    """``value`` as a cell no spreadsheet evaluates: ``'`` before a formula-like text, and after each
    ``;``, tab or line break inside it that a formula start follows."""
    text = "" if value is None else str(value)
    return ("'" if _guarded(text) else "") + _AFTER_BREAK.sub(r"\1'", text)


def restore(text: str) -> str:
    """Undo ``neutralise``: drop each ``'`` it put in."""
    if text.startswith("'") and _guarded(text[1:]):
        text = text[1:]
    return _PUT_AFTER_BREAK.sub(r"\1", text)


def spreadsheet_csv(columns: list[str], rows: list[list[str]], lineterminator: str = "\n") -> str:
    """CSV text for people to open in a spreadsheet, from cells already formatted as text.

    Every text cell is neutralised, and put in double quotes when it holds a comma, a quote, a line
    break, a ``;`` or a tab: a spreadsheet in another locale splits on ``;`` or tabs, and an unquoted
    one would start a new cell that could begin with a formula. Numbers are written as they are, so
    they stay numbers (negative ones included). (The one case left: a spreadsheet that splits on
    ``;`` reads a row that begins with a signed number as one cell starting with ``-``; reports begin
    rows with an id, a date or a count.) ``read_spreadsheet_csv`` reads it back.
    """
    out = io.StringIO()
    for row in [columns, *rows]:
        cells = []
        for value in row:
            text = neutralise(value)
            cells.append('"' + text.replace('"', '""') + '"' if _NEEDS_QUOTES.search(text) else text)
        out.write(",".join(cells) + lineterminator)
    return out.getvalue()


def read_spreadsheet_csv(text: str) -> list[list[str]]:
    """The cells of a CSV ``spreadsheet_csv`` wrote (or a person saved from it), neutralising undone."""
    return [[restore(cell) for cell in row] for row in csv.reader(io.StringIO(text, newline=""))]
