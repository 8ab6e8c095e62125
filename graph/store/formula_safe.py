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
BREAKS = ";\t\r\n"  # where a spreadsheet splitting on ; or tabs (or a line break) starts a new cell
_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")  # ASCII digits only
_NEEDS_QUOTES = re.compile(r'[,;"\t\r\n]')


def is_number(text: str) -> bool:
    """True for a plain decimal number (``-2.5``, ``1e-05``): a spreadsheet reads it as a number."""
    return _NUMBER.fullmatch(text) is not None


def _guarded(text: str, after_break: bool = False) -> bool:
    """Whether ``neutralise`` puts a quote before ``text``: formula-like (a plain number is not, except
    after a break, where it is cheaper to quote than to prove what cell it ends up in), or already
    starting with a quote that would be taken for one."""
    if text.startswith("'"):
        return _guarded(text[1:], after_break)
    return text.startswith(FORMULA_START) and (after_break or not is_number(text))


def neutralise(value) -> str:
    """``value`` as a cell no spreadsheet evaluates: ``'`` before a formula-like text, and after each
    ``;``, tab or line break inside it that a formula-like rest follows."""
    text = "" if value is None else str(value)
    out = []
    for i, char in enumerate(text):
        out.append(char)
        if char in BREAKS and _guarded(text[i + 1:], after_break=True):
            out.append("'")
    return ("'" if _guarded(text) else "") + "".join(out)


def restore(text: str) -> str:
    """Undo ``neutralise``: drop each ``'`` it put in."""
    if text.startswith("'") and _guarded(text[1:]):
        text = text[1:]
    out, i = [], 0
    while i < len(text):
        out.append(text[i])
        i += 1
        if out[-1] in BREAKS and text.startswith("'", i) and _guarded(text[i + 1:], after_break=True):
            i += 1  # the quote neutralise put after this break
    return "".join(out)


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
