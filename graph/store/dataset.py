"""Reading and validating the three CSV files of a data folder.

``load_dataset(folder)`` returns a :class:`Dataset` of three pandas frames or raises
:class:`graph.errors.DataError` listing every problem found, each as ``FILE:LINE: what is wrong``.

The CSV text is parsed with the standard ``csv`` module rather than ``pandas.read_csv`` because
validation needs what pandas hides: the physical line each record starts on (records may span lines
inside quotes), rows with too few or too many fields, and where an unclosed quote begins.
"""

from __future__ import annotations

import csv
import difflib
import gc
import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from graph.store.dates import DATE_FORMAT_HINT, spans
from graph.store.sniff import delimiter_problem, encoding_problem, utf16_problem
from graph.errors import DataError, Problem

NODES_FILE = "nodes.csv"
EDGES_FILE = "edges.csv"
TYPES_FILE = "edge_types.csv"
FILES = (NODES_FILE, EDGES_FILE, TYPES_FILE)

KINDS = ("state", "official", "institution", "media", "group", "person", "region")
POLARITIES = ("hostile", "cooperative", "neutral")
WEIGHT_MIN, WEIGHT_MAX = -10.0, 10.0
TRUE_WORDS, FALSE_WORDS = ("true",), ("false",)

REQUIRED = {
    NODES_FILE: ("id", "label", "kind"),
    EDGES_FILE: ("source", "target", "type"),
    TYPES_FILE: ("type", "polarity", "weight", "directed"),
}
OPTIONAL = {
    NODES_FILE: ("affiliation", "aliases", "description"),
    EDGES_FILE: ("date", "weight", "note", "citation"),
    TYPES_FILE: ("label", "cameo", "keywords"),
}
#: Columns whose values are identifiers or codes: surrounding spaces are ignored.
_STRIPPED = {
    NODES_FILE: ("id", "kind", "affiliation"),
    EDGES_FILE: ("source", "target", "type", "date", "weight"),
    TYPES_FILE: ("type", "polarity", "weight", "directed", "cameo"),
}
#: Names of the computed columns a Dataset adds; a file's own extra column may not use them.
RESERVED = {
    NODES_FILE: ("line",),
    EDGES_FILE: ("line", "start", "end", "polarity", "directed", "weight_override"),
    TYPES_FILE: ("line",),
}
_BAD_KEY = r"[,\x00-\x1f\x7f]"  # a comma would split --types lists; control characters break messages
BOM = b"\xef\xbb\xbf"
_MAX_SUGGESTIONS = 500  # unknown values to look up close matches for; more would be slow, not useful


@dataclass
class Dataset:
    """A validated data set.

    ``nodes`` is indexed by actor id; ``types`` by type key; ``edges`` has one row per event. Every frame
    keeps the file's columns (extra ones included) as strings, plus ``line`` (the physical line of the
    row in its file). ``edges`` also has the resolved ``weight`` (float: the row's override, else its
    type's default), ``polarity``, ``directed`` (bool) and the date span ``start``/``end``
    (datetime64, NaT when undated). ``types`` has ``weight`` as float and ``directed`` as bool.
    """

    folder: Path
    nodes: pd.DataFrame
    edges: pd.DataFrame
    types: pd.DataFrame
    extra_columns: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Table:
    """One parsed CSV file: string columns plus the physical line of each row."""

    name: str
    header: list[str]
    frame: pd.DataFrame


def suggest(value: str, candidates, cache: dict | None = None) -> str:
    """Return ``" (did you mean 'x'?)"`` for the closest candidate, or ``""`` when none is close."""
    if cache is not None and value in cache:
        return cache[value]
    if cache is not None and len(cache) >= _MAX_SUGGESTIONS:
        return ""
    match = difflib.get_close_matches(value, candidates, n=1, cutoff=0.6)
    hint = f" (did you mean '{match[0]}'?)" if match else ""
    if cache is not None:
        cache[value] = hint
    return hint


def _parse_fast(data: bytes):
    """Parse well-formed CSV with pandas' C parser; None when anything is unusual.

    Used only when a cheap check over the bytes proves the result equals the csv module's: every
    record sits on one physical line (so a row's line is its line number), every line without a
    quote has exactly as many commas as the header needs, and every line with a quote parses, on
    its own, with the strict csv module into one record of the right width. Anything else (ragged
    rows, quotes spanning lines, bare CR line ends, NUL bytes) returns None and the exact parser
    runs, so problems are still found and located the same way. Returns
    ``(header, columns, lines, bad)`` like :func:`_parse_exact`.
    """
    if b"\x00" in data:
        return None
    if b"\r" in data:
        data = data.replace(b"\r\n", b"\n")
        if b"\r" in data:
            return None
    a = np.frombuffer(data, dtype=np.uint8)
    newlines = np.flatnonzero(a == 10)
    starts = np.concatenate(([0], newlines + 1))
    ends = np.concatenate((newlines, [len(data)]))
    if starts[-1] == len(data):  # the file ends with a newline: no last line after it
        starts, ends = starts[:-1], ends[:-1]
    commas = np.flatnonzero(a == 44)
    n_commas = np.searchsorted(commas, ends) - np.searchsorted(commas, starts)
    quoted = np.zeros(len(starts), dtype=bool)
    quotes = np.flatnonzero(a == 34)
    if len(quotes):
        quoted[np.searchsorted(newlines, quotes)] = True
    # Lines with no comma and no quote: blank (skipped, as the csv module does) or a ragged row.
    blank = np.zeros(len(starts), dtype=bool)
    for i in np.flatnonzero((n_commas == 0) & ~quoted):
        if data[starts[i]:ends[i]].decode("utf-8").strip():
            return None
        blank[i] = True
    content = np.flatnonzero(~blank)
    if not len(content):
        return None

    def parse_line(i: int) -> list[str] | None:
        try:
            rows = list(csv.reader([data[starts[i]:ends[i]].decode("utf-8")], strict=True))
        except csv.Error:
            return None
        if len(rows) != 1 or len(rows[0]) < 2:  # blank-looking or single-field rows: rare, go exact
            return None
        return rows[0]

    head = content[0]
    header_row = parse_line(head)
    if header_row is None:
        return None
    header = [h.strip() for h in header_row]
    width = len(header)
    body = content[1:]
    # Rows of nothing but commas (a spreadsheet's blank rows) hold no data: skipped, like blank lines.
    empty = ~quoted[body] & ((ends[body] - starts[body]) == n_commas[body])
    blank[body[empty]] = True
    body = body[~empty]
    plain = body[~quoted[body]]
    if (n_commas[plain] != width - 1).any():
        return None
    # Lines with quotes, parsed together: each must come out as exactly one record of the right
    # width (a quote left open would swallow the next line and the count would not match).
    with_quotes = body[quoted[body]]
    special = {}
    if len(with_quotes):
        text = "\n".join(data[starts[i]:ends[i]].decode("utf-8") for i in with_quotes)
        try:
            rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
        except csv.Error:
            return None
        if len(rows) != len(with_quotes) or any(len(row) != width for row in rows):
            return None
        special = {i: row for i, row in zip(with_quotes.tolist(), rows) if any(row)}
        blank[[i for i in with_quotes.tolist() if i not in special]] = True
    skip = set(np.flatnonzero(blank).tolist()) | set(special) | {int(head)}
    if len(plain):
        frame = pd.read_csv(io.BytesIO(data), header=None, names=list(range(width)), skiprows=skip,
                            dtype=object, na_filter=False, quoting=csv.QUOTE_NONE, skip_blank_lines=False,
                            encoding="utf-8", engine="c")
        if len(frame) != len(plain):
            return None
        columns = [frame[j].to_numpy(dtype=object) for j in range(width)]
    else:
        columns = [np.array([], dtype=object) for _ in range(width)]
    lines = plain + 1
    if special:
        order = np.argsort(np.concatenate((plain, list(special))), kind="stable")
        extra = list(zip(*special.values()))
        columns = [np.concatenate((c, np.array(e, dtype=object)))[order] for c, e in zip(columns, extra)]
        lines = np.concatenate((lines, np.array(list(special), dtype=np.int64) + 1))[order]
    return header, columns, lines, False


def _parse_exact(name: str, text: str, problems: list[Problem]):
    """Parse with the csv module, recording every ragged row with its physical line.

    Returns ``(header, columns, lines, bad)`` or None after an unrecoverable quoting error.
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    rows: list[list[str]] = []
    lines: list[int] = []
    bad = False
    gc_was_enabled = gc.isenabled()
    gc.disable()  # millions of small lists: the cyclic GC would triple parse time and finds nothing
    try:
        last = 0
        while True:
            start = last + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                if "end of data" in str(exc) or "EOF" in str(exc):
                    msg = "unclosed quote: a field opened with \" runs to the end of the file; close it"
                else:
                    msg = f"badly quoted field ({exc}); put the whole field in double quotes and double any \" inside"
                problems.append(Problem(name, start, msg))
                return None
            last = reader.line_num
            if not row or (len(row) == 1 and not row[0].strip()):
                continue  # blank line
            if header is None:
                header = [h.strip() for h in row]
                named = len(header) - _unnamed_tail(header)
                continue
            if not any(row):
                continue  # a row of empty fields (a spreadsheet's blank row)
            if len(row) != len(header):
                if named <= len(row) < len(header):
                    row = row + [""] * (len(header) - len(row))  # short only in unnamed trailing columns
                else:
                    problems.append(Problem(name, start, f"row has {len(row)} fields but the header has "
                                                         f"{len(header)}; quote fields that contain commas"))
                    bad = True
                    continue
            rows.append(row)
            lines.append(start)
    finally:
        if gc_was_enabled:
            gc.enable()
    if header is None:  # only blank lines, such as a lone '""'
        problems.append(Problem(name, 0, f"file has no header row; it needs at least '{','.join(REQUIRED[name])}'"))
        return None
    columns = list(zip(*rows)) if rows else [()] * len(header)
    return header, columns, lines, bad


def _unnamed_tail(header: list[str]) -> int:
    """How many columns at the end of the header have no name."""
    n = 0
    while n < len(header) and header[-1 - n] == "":
        n += 1
    return n


def _first_content_line(text: str) -> int:
    """The line number of the first non-blank line (the header row)."""
    return next((i for i, ln in enumerate(text[:65536].splitlines(), 1) if ln.strip()), 1)


def read_table(name: str, raw: bytes | None, problems: list[Problem]) -> Table | None:
    """Decode and parse one CSV file's bytes; append structural problems and return None on failure.

    Accepts a UTF-8 BOM and any of LF / CRLF line endings; blank lines are ignored.
    """
    if raw is None:
        header = ",".join(REQUIRED[name] + OPTIONAL[name])
        problems.append(Problem(name, 0, f"file not found; create it with the header row '{header}'"))
        return None
    # A spreadsheet's other "Save as" formats get one line saying what to choose instead (sniff.py).
    utf16 = utf16_problem(raw)
    if utf16:
        problems.append(Problem(name, 1, utf16))
        return None
    if raw.startswith(BOM):
        raw = raw[len(BOM):]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        problems.append(Problem(name, line, encoding_problem(raw, exc, REQUIRED[name])))
        return None
    if not text.strip():
        header = ",".join(REQUIRED[name])
        problems.append(Problem(name, 0, f"file is empty; it needs at least the header row '{header}'"))
        return None
    separated = delimiter_problem(text, REQUIRED[name])
    if separated:
        problems.append(Problem(name, _first_content_line(text), separated))
        return None

    parsed = _parse_fast(raw)
    if parsed is None:  # something unusual: let the csv module find and locate it
        parsed = _parse_exact(name, text, problems)
    if parsed is None:
        return None
    return table_of_columns(name, *parsed, problems)


def table_of_columns(name: str, header: list[str], columns, lines, bad: bool,
                     problems: list[Problem]) -> Table | None:
    """Check a parsed file's header (names, required columns) and build its :class:`Table`: string
    columns (``OPTIONAL`` ones added empty, codes stripped) and ``line``. ``bad`` says rows were
    already found ragged. Used for CSV files and for an event store's Parquet rows alike."""
    unnamed = _unnamed_tail(header)
    if unnamed and unnamed < len(header):  # a spreadsheet's trailing empty column(s): dropped when empty
        filled = [(i, v) for c in columns[-unnamed:] for i, v in enumerate(c) if v != ""]
        if filled:
            row, value = min(filled)
            problems.append(Problem(name, int(lines[row]), f"value '{value}' in a column with no name in the "
                                                           "header; name the column or remove the value"))
            return None
        header, columns = header[:-unnamed], columns[:-unnamed]
    seen: dict[str, int] = {}
    for column in header:
        if column == "":
            problems.append(Problem(name, 1, "header has an empty column name; name it or remove it"))
            bad = True
        elif column in seen:
            problems.append(Problem(name, 1, f"column '{column}' appears twice in the header; rename one"))
            bad = True
        elif column in RESERVED[name]:
            problems.append(Problem(name, 1, f"column name '{column}' is reserved for a computed value; "
                                             "rename that column"))
            bad = True
        seen[column] = 1
    missing = [c for c in REQUIRED[name] if c not in header]
    for column in missing:
        problems.append(Problem(name, 1, f"missing required column '{column}'"
                                         f"{suggest(column, header)}; the header needs "
                                         f"{', '.join(REQUIRED[name])}"))
    if bad or missing:
        return None
    frame = pd.DataFrame({h: pd.Series(c, dtype=object) if isinstance(c, np.ndarray)
                          else pd.Series(np.array(c, dtype=object), dtype=object)
                          for h, c in zip(header, columns)})
    for column in OPTIONAL[name]:
        if column not in frame.columns:
            frame[column] = ""
    for column in _STRIPPED[name]:
        frame[column] = frame[column].str.strip()
    frame["line"] = np.array(lines, dtype=np.int64)
    return Table(name, header, frame)


def _require_values(table: Table, problems: list[Problem]) -> None:
    for column in REQUIRED[table.name]:
        values = table.frame[column]
        # Columns in _STRIPPED were stripped by read_table already.
        empty = (values if column in _STRIPPED[table.name] else values.str.strip()) == ""
        for line in table.frame.loc[empty, "line"]:
            problems.append(Problem(table.name, int(line), f"missing value for required column '{column}'"))


def _check_key_characters(table: Table, key: str, problems: list[Problem]) -> None:
    values = table.frame[key]
    wrong = values.str.contains(_BAD_KEY, regex=True)
    for value, line in zip(values[wrong], table.frame.loc[wrong, "line"]):
        problems.append(Problem(table.name, int(line), f"{key} {value!r} contains a comma or a control "
                                                       "character; use letters, digits, '_' or '-'"))


def _check_unique(table: Table, key: str, problems: list[Problem]) -> None:
    frame = table.frame
    dup = frame[key].duplicated(keep=False) & (frame[key] != "")
    if dup.any():
        first = frame[dup].groupby(key)["line"].transform("min")
        for value, line, first_line in zip(frame.loc[dup, key], frame.loc[dup, "line"], first):
            if line != first_line:
                problems.append(Problem(table.name, int(line), f"duplicate {key} '{value}' (first defined on "
                                                               f"line {first_line}); use a different {key}"))


def _check_choice(table: Table, column: str, allowed, problems: list[Problem], what: str) -> None:
    values = table.frame[column]
    wrong = ~values.isin(allowed) & (values != "")
    for value, line in zip(values[wrong], table.frame.loc[wrong, "line"]):
        problems.append(Problem(table.name, int(line), f"{what} '{value}' is not one of "
                                                       f"{', '.join(allowed)}{suggest(value.lower(), allowed)}"))


def _check_weights(table: Table, column: str, problems: list[Problem]) -> pd.Series:
    """Parse a weight column to floats (NaN where empty) and report non-numbers and out-of-range values."""
    text = table.frame[column]
    number = pd.to_numeric(text.where(text != ""), errors="coerce")
    not_number = (text != "") & number.isna()
    for value, line in zip(text[not_number], table.frame.loc[not_number, "line"]):
        problems.append(Problem(table.name, int(line), f"weight '{value}' is not a number; use a number "
                                                       f"from {WEIGHT_MIN:g} to {WEIGHT_MAX:g}"))
    outside = number.notna() & ((number < WEIGHT_MIN) | (number > WEIGHT_MAX))
    for value, line in zip(text[outside], table.frame.loc[outside, "line"]):
        problems.append(Problem(table.name, int(line), f"weight {value} is outside {WEIGHT_MIN:g}..{WEIGHT_MAX:g}"))
    return number.where(~outside)


def _check_sign(table: Table, weight: pd.Series, polarity: pd.Series, problems: list[Problem], what: str):
    wrong = ((polarity == "hostile") & (weight > 0)) | ((polarity == "cooperative") & (weight < 0))
    for w, p, line in zip(weight[wrong], polarity[wrong], table.frame.loc[wrong, "line"]):
        sign = "zero or negative" if p == "hostile" else "zero or positive"
        problems.append(Problem(table.name, int(line), f"{what} {w:g} contradicts polarity '{p}'; "
                                                       f"a {p} weight must be {sign}"))


def _validate_types(table: Table, problems: list[Problem]) -> pd.DataFrame:
    _require_values(table, problems)
    _check_key_characters(table, "type", problems)
    _check_unique(table, "type", problems)
    frame = table.frame
    frame["polarity"] = frame["polarity"].str.strip().str.lower()
    _check_choice(table, "polarity", POLARITIES, problems, "polarity")
    directed = frame["directed"].str.lower()
    _check_choice(Table(table.name, table.header, frame.assign(directed=directed)), "directed",
                  TRUE_WORDS + FALSE_WORDS, problems, "directed value")
    weight = _check_weights(table, "weight", problems)
    _check_sign(table, weight, frame["polarity"], problems, "default weight")
    frame["weight"] = weight
    frame["directed"] = directed.isin(TRUE_WORDS)
    frame["label"] = frame["label"].where(frame["label"].str.strip() != "", frame["type"])
    return frame.drop_duplicates("type").set_index("type", drop=False)


def _affiliation_loops(parent: dict[str, str]) -> list[list[str]]:
    """Return each affiliation cycle once, as the list of ids around it."""
    state: dict[str, int] = {}  # 1 = on the current chain, 2 = done
    loops = []
    for start in parent:
        chain = []
        node = start
        while node in parent and state.get(node) is None:
            state[node] = 1
            chain.append(node)
            node = parent[node]
        if state.get(node) == 1:  # came back onto the current chain: a loop
            loops.append(chain[chain.index(node):])
        for n in chain:
            state[n] = 2
    return loops


def _validate_nodes(table: Table, problems: list[Problem]) -> pd.DataFrame:
    _require_values(table, problems)
    _check_key_characters(table, "id", problems)
    _check_unique(table, "id", problems)
    frame = table.frame
    frame["kind"] = frame["kind"].str.lower()
    _check_choice(table, "kind", KINDS, problems, "kind")
    ids = set(frame["id"])
    aff = frame["affiliation"]
    unknown = (aff != "") & ~aff.isin(ids)
    cache: dict = {}
    for value, line in zip(aff[unknown], frame.loc[unknown, "line"]):
        problems.append(Problem(table.name, int(line), f"affiliation '{value}' is not a known id"
                                                       f"{suggest(value, ids, cache)}"))
    linked = frame[(aff != "") & ~unknown].drop_duplicates("id")
    parent = dict(zip(linked["id"], linked["affiliation"]))
    line_of = dict(zip(frame["id"], frame["line"]))
    for loop in _affiliation_loops(parent):
        path = " -> ".join(loop + [loop[0]])
        problems.append(Problem(table.name, int(line_of[loop[0]]),
                                f"affiliation loop {path}; clear the affiliation of one of them"))
    return frame.drop_duplicates("id").set_index("id", drop=False)


def _validate_edges(table: Table, nodes: pd.DataFrame | None, types: pd.DataFrame | None,
                    problems: list[Problem]) -> pd.DataFrame:
    _require_values(table, problems)
    frame = table.frame
    if nodes is not None:
        ids = set(nodes.index)
        cache: dict = {}
        for column in ("source", "target"):
            values = frame[column]
            unknown = (values != "") & ~values.isin(ids)
            for value, line in zip(values[unknown], frame.loc[unknown, "line"]):
                problems.append(Problem(table.name, int(line), f"unknown {column} node '{value}'"
                                                               f"{suggest(value, ids, cache)}"))
    if types is not None:
        known = set(types.index)
        values = frame["type"]
        unknown = (values != "") & ~values.isin(known)
        cache = {}
        for value, line in zip(values[unknown], frame.loc[unknown, "line"]):
            problems.append(Problem(table.name, int(line), f"unknown type '{value}'"
                                                           f"{suggest(value, known, cache)}; add it to "
                                                           f"{TYPES_FILE} or use a known type"))
    # Dates repeat a lot (a million events span a few thousand days): parse each distinct text once.
    codes, distinct = pd.factorize(frame["date"], use_na_sentinel=False)
    d_start, d_end, d_bad = spans(pd.Series(distinct, dtype=object))
    start = pd.Series(d_start.to_numpy()[codes], index=frame.index)
    end = pd.Series(d_end.to_numpy()[codes], index=frame.index)
    bad = pd.Series(d_bad.to_numpy()[codes], index=frame.index)
    for value, line in zip(frame.loc[bad, "date"], frame.loc[bad, "line"]):
        problems.append(Problem(table.name, int(line), f"bad date '{value}'; {DATE_FORMAT_HINT} "
                                                       "with a real month and day"))
    override = _check_weights(table, "weight", problems)
    frame["start"], frame["end"] = start, end
    if types is not None:
        typed = frame["type"].map(types["polarity"])
        _check_sign(table, override, typed, problems, "weight")
        frame["polarity"] = typed
        frame["directed"] = frame["type"].map(types["directed"])
        frame["weight_override"] = override
        frame["weight"] = override.fillna(frame["type"].map(types["weight"]))
    return frame


def validate_tables(raw: dict[str, bytes | None], folder: Path | str = ".") -> Dataset:
    """Validate the bytes of the three files (keyed by file name); return a Dataset or raise DataError."""
    problems: list[Problem] = []
    tables = {name: read_table(name, raw.get(name), problems) for name in FILES}
    return validate_parsed(tables, problems, folder)


def validate_parsed(tables: dict[str, Table | None], problems: list[Problem], folder: Path | str = ".") -> Dataset:
    """Validate parsed tables (None for a file that could not be read, its problems already in
    ``problems``); return a Dataset or raise DataError with every problem, prefixed with ``folder``."""
    types = _validate_types(tables[TYPES_FILE], problems) if tables[TYPES_FILE] else None
    nodes = _validate_nodes(tables[NODES_FILE], problems) if tables[NODES_FILE] else None
    edges = _validate_edges(tables[EDGES_FILE], nodes, types, problems) if tables[EDGES_FILE] else None
    if problems:
        raise DataError([Problem(str(Path(folder) / p.file), p.line, p.message) for p in problems])
    extra = {name: [c for c in t.header if c not in REQUIRED[name] + OPTIONAL[name]]
             for name, t in tables.items()}
    return Dataset(Path(folder), nodes, edges, types, extra)


def read_raw(folder: Path | str) -> dict[str, bytes | None]:
    """The bytes of each data file in ``folder`` (None for a missing file)."""
    folder = Path(folder)
    raw: dict[str, bytes | None] = {}
    for name in FILES:
        try:
            raw[name] = (folder / name).read_bytes()
        except FileNotFoundError:
            raw[name] = None
    return raw


def load_dataset(folder: Path | str, overrides: dict[str, bytes] | None = None) -> Dataset:
    """Read and validate the data folder; raise DataError listing every problem found.

    ``overrides`` replaces the bytes of some files (used to validate an edit before writing it).
    A missing folder is reported as three missing files.
    """
    raw = read_raw(folder)
    raw.update(overrides or {})
    return validate_tables(raw, folder)


def summary(ds: Dataset) -> dict:
    """Counts for a quick look: actors by kind, events by polarity and type, the date range."""
    has_dates = bool(ds.edges["start"].notna().any())  # idxmin/idxmax skip NaT; no filtered copy needed
    first = ds.edges.at[ds.edges["start"].idxmin(), "date"] if has_dates else None
    last = ds.edges.at[ds.edges["end"].idxmax(), "date"] if has_dates else None
    return {
        "actors": len(ds.nodes),
        "actors_by_kind": {k: int(n) for k, n in ds.nodes["kind"].value_counts().items()},
        "events": len(ds.edges),
        "events_by_polarity": {p: int(n) for p, n in ds.edges["polarity"].value_counts().items()},
        "types": len(ds.types),
        "types_used": int(ds.edges["type"].nunique()),
        "undated": int(ds.edges["start"].isna().sum()),
        "first_date": first,
        "last_date": last,
    }
