"""Cells that are safe to open in a spreadsheet (CSV injection, OWASP).

A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula to
Excel and LibreOffice. ``neutralise`` prefixes such a cell with a single quote, as OWASP recommends;
real numbers (``-2.5``) stay numbers. ``restore`` undoes it when the tool reads its own sheet back.
"""

from __future__ import annotations

import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def neutralise(value) -> str:
    """``value`` as a cell no spreadsheet evaluates: ``'`` before a formula-like text."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def restore(text: str) -> str:
    """Undo ``neutralise``: drop the ``'`` it put before a formula-like text."""
    if text.startswith("'") and text[1:].startswith(FORMULA_START) and not _NUMBER.fullmatch(text[1:]):
        return text[1:]
    return text
