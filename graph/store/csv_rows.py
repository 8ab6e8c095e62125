"""A CSV file as a list of raw records, so an edit can change some rows and keep every other byte.

``split_records(text)`` cuts the text into records exactly as ``csv.reader`` (strict, excel dialect,
the parser of ``graph.store.dataset``) reads it: a record may span several physical lines inside quotes, and
its raw text keeps the original quoting, spacing and line terminator. Joining the raw texts of all
records gives back the text unchanged. ``replace_fields`` rewrites single fields inside one record,
keeping the other fields' raw text and the quoting style of the replaced field; ``format_row`` writes
a new record with ``csv.writer`` (minimal quoting).
"""

from __future__ import annotations

import csv
import gc
import io
from dataclasses import dataclass

BOM_CHAR = "\ufeff"
_TERMINATORS = ("\r\n", "\n", "\r")


class CsvSyntaxError(ValueError):
    """The text is not CSV that ``csv.reader`` (strict) can read; ``line`` is where the record starts."""

    def __init__(self, line: int, message: str):
        super().__init__(f"line {line}: {message}")
        self.line = line


@dataclass
class Record:
    """One record: its raw text (terminator included), parsed fields and first physical line.

    ``fields`` is None for a blank line (what ``graph.store.dataset`` skips: no field, or one blank field).
    """

    text: str
    fields: list[str] | None
    line: int

    @property
    def terminator(self) -> str:
        """The record's line terminator ("" for a last record without one)."""
        for term in _TERMINATORS:
            if self.text.endswith(term):
                return term
        return ""

    @property
    def body(self) -> str:
        """The raw text without its terminator."""
        return self.text[: len(self.text) - len(self.terminator)]


def split_records(text: str) -> list[Record]:
    """Cut CSV text (BOM already removed) into records; ``"".join(r.text for r in records) == text``.

    Raises :class:`CsvSyntaxError` where ``csv.reader`` would fail.
    """
    # Physical lines as csv.reader sees them: split after \n, \r\n or a lone \r, nothing else.
    lines = list(io.StringIO(text, newline=""))
    reader = csv.reader(iter(lines), strict=True)
    records: list[Record] = []
    last = 0
    gc_was_enabled = gc.isenabled()
    gc.disable()  # many small objects and no cycles: the cyclic GC would only slow this down
    try:
        for row in reader:
            end = reader.line_num
            text = lines[last] if end == last + 1 else "".join(lines[last:end])
            blank = not row or (len(row) == 1 and not row[0].strip())
            records.append(Record(text, None if blank else row, last + 1))
            last = end
    except csv.Error as exc:
        raise CsvSyntaxError(last + 1, str(exc)) from None
    finally:
        if gc_was_enabled:
            gc.enable()
    return records


def field_spans(body: str) -> list[tuple[int, int, bool]]:
    """The ``(start, end, quoted)`` span of each field in a record's body (text without terminator)."""
    spans = []
    i, n = 0, len(body)
    while True:
        if i < n and body[i] == '"':
            j = i + 1
            while True:
                j = body.index('"', j)
                if j + 1 < n and body[j + 1] == '"':
                    j += 2
                    continue
                break
            end = j + 1
            spans.append((i, end, True))
        else:
            end = body.find(",", i)
            end = n if end < 0 else end
            spans.append((i, end, False))
        if end >= n:
            return spans
        if body[end] != ",":
            raise ValueError("field does not end at a comma")
        i = end + 1


def _quote(value: str, force: bool) -> str:
    if force:
        return '"' + value.replace('"', '""') + '"'
    if value == "":
        return ""  # csv.writer quotes a lone empty field; inside a record it is written as nothing
    return format_row([value], "")


def format_row(values: list[str], terminator: str) -> str:
    """One record in minimal quoting (csv.writer), ended by ``terminator``.

    csv.writer only quotes line breaks that occur in its own line terminator, so it writes with
    "\\r\\n" (quoting both \\r and \\n) and the terminator is swapped afterwards.
    """
    buf = io.StringIO()
    csv.writer(buf, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n").writerow(values)
    return buf.getvalue()[:-2] + terminator


def replace_fields(record: Record, changes: dict[int, str]) -> str:
    """The record's raw text with the fields at ``changes`` indexes replaced, all other bytes kept.

    A replaced field keeps its quoting style when the quotes were a choice (``"russia"`` stays quoted)
    and gets minimal quoting when they were needed, so that changing a value and changing it back
    restores the original bytes. Falls back to rewriting the whole record when its
    raw text cannot be split into fields that match the parsed ones.
    """
    body, term = record.body, record.terminator
    try:
        spans = field_spans(body)
        ok = len(spans) == len(record.fields or []) and all(
            _unquote(body[s:e], q) == f for (s, e, q), f in zip(spans, record.fields))
    except ValueError:
        ok = False
    if not ok:
        fields = list(record.fields or [])
        for index, value in changes.items():
            fields[index] = value
        return format_row(fields, term)
    parts, pos = [], 0
    for index in sorted(changes):
        start, end, quoted = spans[index]
        parts.append(body[pos:start])
        by_choice = quoted and _quote(record.fields[index], False) == record.fields[index]
        parts.append(_quote(changes[index], by_choice))
        pos = end
    parts.append(body[pos:])
    return "".join(parts) + term


def _unquote(raw: str, quoted: bool) -> str:
    return raw[1:-1].replace('""', '"') if quoted else raw


def parse_row(text: str) -> list[str]:
    """Parse one record's text with csv.reader (used to check a formatted record reads back)."""
    rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    return rows[0] if rows else []
