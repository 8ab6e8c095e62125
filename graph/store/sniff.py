"""Recognising the files a spreadsheet writes when "Save as" picks another format than UTF-8 CSV.

Excel and LibreOffice offer several "CSV" formats; only one is what actorgraph reads. The others are
recognised from their first bytes or header line, so the loader can say in one line what the file is
and what to choose in the save dialog, instead of one error per row:

- "Unicode Text": UTF-16 with tabs between fields;
- legacy "CSV (Comma delimited)": Windows-1252 (or another 8-bit code page), not UTF-8;
- fields separated by ``;`` (Excel's "CSV" in locales whose decimal mark is a comma) or by tabs.
"""

from __future__ import annotations

import csv

SAVE_AS = ('in the save dialog choose "CSV UTF-8 (Comma delimited)" (Excel) or "Text CSV" with '
           'character set "Unicode (UTF-8)" and field delimiter "," (LibreOffice)')
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_DELIMITERS = {";": "semicolons (';')", "\t": "tabs"}


def utf16_problem(raw: bytes) -> str | None:
    """The message for UTF-16 text (a byte-order mark, or NUL bytes between ASCII letters), else None."""
    head = raw[:400]
    looks_utf16 = head.startswith(_UTF16_BOMS) or (
        len(head) >= 4 and head.count(b"\x00") * 3 >= len(head) and b"\x00\x00" not in head)
    if not looks_utf16:
        return None
    return f'this is UTF-16 text (a spreadsheet\'s "Unicode Text"), not UTF-8 CSV; {SAVE_AS}'


def encoding_problem(raw: bytes, error: UnicodeDecodeError, required: tuple[str, ...]) -> str:
    """The message for bytes that are not UTF-8: names the character a spreadsheet's legacy "CSV"
    (Windows-1252) meant, when that reading makes sense, and a ``;`` or tab separator if there is one."""
    byte = raw[error.start]
    try:
        meant = bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        meant = None
    if meant is not None and meant.isprintable():
        what = (f"invalid UTF-8 (byte 0x{byte:02x}, '{meant}' in Windows-1252: a spreadsheet's legacy "
                f'"CSV" format)')
    else:
        what = f"invalid UTF-8 (byte 0x{byte:02x})"
    separated = _separator(raw[:65536].decode("cp1252", errors="replace"), required)
    return f"{what}{', and fields separated by ' + _DELIMITERS[separated] if separated else ''}; {SAVE_AS}"


def delimiter_problem(text: str, required: tuple[str, ...]) -> str | None:
    """The message when the header row is separated by ``;`` or tabs rather than commas, else None."""
    separated = _separator(text, required)
    return f"fields are separated by {_DELIMITERS[separated]}, not commas; {SAVE_AS}" if separated else None


def _separator(text: str, required: tuple[str, ...]) -> str | None:
    """``;`` or tab when the header row is separated by it rather than by commas, else None.

    It is when the comma reading of the first non-blank line finds fewer than two columns, or misses
    a required column, while the other separator finds two or more (all the required ones, if the
    comma reading found two or more).
    """
    line = next((ln for ln in text[:65536].splitlines() if ln.strip()), "")

    def columns(delimiter: str) -> list[str]:
        try:
            return [c.strip() for c in next(csv.reader([line], delimiter=delimiter), [])]
        except csv.Error:
            return []

    commas = columns(",")
    if len(commas) >= 2 and all(c in commas for c in required):
        return None
    for delimiter in _DELIMITERS:
        other = columns(delimiter)
        if len(other) >= 2 and (len(commas) < 2 or all(c in other for c in required)):
            return delimiter
    return None
