"""Editing the data files row by row without disturbing anything else.

Each ``node_*``, ``edge_*`` and ``type_*`` function takes the current bytes of the data files (a dict
keyed by file name, as ``graph.store.dataset.read_raw`` returns) and returns a :class:`Change`: the new bytes
of the files it changes and one message per thing changed. They never write. Untouched records keep
their bytes exactly (see ``graph.store.csv_rows``); a new record is written in the file's column order with
the file's line terminator; a changed field keeps its quoting style, so changing a value and changing
it back restores the file byte for byte.

``apply_edit(folder, compute)`` runs one of them safely: under the data folder's lock it validates the
data before the change, computes it, validates the whole data set after it, and only then writes the
changed files atomically.
"""

from __future__ import annotations

import contextlib
import difflib
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from graph.store.csv_rows import BOM_CHAR, CsvSyntaxError, Record, format_row, parse_row, replace_fields, split_records
from graph.store.dates import parse_span
from graph.errors import ActorgraphError, DataError, NotFound, Problem
from graph.store.safe_write import locked, recover, write_files
from graph.store.dataset import BOM, EDGES_FILE, FILES, NODES_FILE, TYPES_FILE, read_raw, suggest, validate_tables
from graph.store.event_store import refuse_store_edit

_MAX_LISTED = 10  # line numbers named in a refusal before "..."


@dataclass
class Change:
    """The outcome of an edit: new bytes per changed file (in write order) and what changed."""

    files: dict[str, bytes] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)
    before: dict[str, bytes] = field(default_factory=dict)


class Table:
    """One CSV file as raw records: read values, append, remove and change rows, give back bytes."""

    def __init__(self, name: str, raw: bytes):
        self.name = name
        self.bom = raw.startswith(BOM)
        try:
            text = raw[len(BOM):].decode("utf-8") if self.bom else raw.decode("utf-8")
            self.records = split_records(text)
        except (UnicodeDecodeError, CsvSyntaxError) as exc:  # validation runs first, so only on misuse
            raise DataError([Problem(name, getattr(exc, "line", 0), str(exc))]) from None
        first = next(i for i, r in enumerate(self.records) if r.fields is not None)
        self.header_index = first
        self.header = [h.strip() for h in self.records[first].fields]
        self.newline = self.records[first].terminator or "\n"
        self.ends_with_newline = self.records[-1].terminator != ""

    # reading -------------------------------------------------------------------------------------
    def has(self, column: str) -> bool:
        return column in self.header

    def rows(self) -> list[int]:
        """Indexes (into ``records``) of the data rows (a spreadsheet's rows of empty fields are not)."""
        return [i for i, r in enumerate(self.records) if r.fields is not None and i > self.header_index
                and any(r.fields)]

    def get(self, index: int, column: str) -> str:
        """A field's value with surrounding spaces removed ("" when the file has no such column)."""
        if column not in self.header:
            return ""
        return self.records[index].fields[self.header.index(column)].strip()

    def find(self, **where: str) -> list[int]:
        """Data rows whose (stripped) values equal every ``column=value`` given."""
        if any(c not in self.header for c in where):
            return [i for i in self.rows() if all(self.get(i, c) == v for c, v in where.items())]
        wanted = [(self.header.index(c), v) for c, v in where.items()]
        records = self.records
        return [i for i in self.rows() if all(records[i].fields[j].strip() == v for j, v in wanted)]

    def line(self, index: int) -> int:
        return self.records[index].line

    def require(self, columns) -> None:
        """Refuse to write a value into a column the file does not have."""
        for column in columns:
            if column not in self.header:
                raise ActorgraphError(f"{self.name} has no column '{column}'{suggest(column, self.header)}; "
                                      f"add it to the header row first")

    # changing ------------------------------------------------------------------------------------
    def append(self, values: dict[str, str]) -> int:
        """Insert a row after the last data row (or the header); return its physical line number."""
        self.require(v for v in values if values[v] != "")
        values = {c: v.strip() if c in _KEY_COLUMNS else v for c, v in values.items()}
        text = format_row([values.get(c, "") for c in self.header], self.newline)
        if parse_row(text) != [values.get(c, "") for c in self.header]:
            raise ActorgraphError(f"cannot write {values!r} as one CSV record")  # csv module guard
        rows = self.rows()
        after = rows[-1] if rows else self.header_index
        previous = self.records[after]
        if not previous.terminator:
            previous.text += self.newline
        new = Record(text, parse_row(text), previous.line + _physical_lines(previous.text))
        self.records.insert(after + 1, new)
        return new.line

    def remove(self, indexes) -> None:
        for index in sorted(indexes, reverse=True):
            del self.records[index]

    def set(self, index: int, values: dict[str, str]) -> bool:
        """Change some fields of one row; return False when every value was already so."""
        self.require(values)
        record = self.records[index]
        changes = {}
        for column, value in values.items():
            i = self.header.index(column)
            old = record.fields[i]
            if column in _KEY_COLUMNS:
                value = value.strip()  # spaces the user typed around an id or a code are not data
            if old.strip() == value and column in _KEY_COLUMNS:
                continue
            if old == value:
                continue
            if column in _KEY_COLUMNS and old.strip() and value:  # keep spaces a hand edit left around an id
                start = old.index(old.strip())
                value = old[:start] + value + old[start + len(old.strip()):]
            changes[i] = value
        if not changes:
            return False
        text = replace_fields(record, changes)
        fields = list(record.fields)
        for i, value in changes.items():
            fields[i] = value
        self.records[index] = Record(text, fields, record.line)
        return True

    def to_bytes(self) -> bytes:
        """The file's bytes; the file keeps ending with, or without, a line terminator as it did."""
        last = self.records[-1]
        if self.ends_with_newline and not last.terminator:
            last.text += self.newline
        elif not self.ends_with_newline and last.terminator:
            last.text = last.body
        text = "".join(r.text for r in self.records)
        return (BOM if self.bom else b"") + text.encode("utf-8")


_KEY_COLUMNS = {"id", "affiliation", "source", "target", "type", "date", "kind", "polarity", "directed",
                "weight", "cameo"}


def _physical_lines(text: str) -> int:
    return len(list(io.StringIO(text, newline="")))


def _lines(table: Table, indexes) -> str:
    lines = [str(table.line(i)) for i in indexes]
    shown = ", ".join(lines[:_MAX_LISTED]) + (", ..." if len(lines) > _MAX_LISTED else "")
    return f"{table.name} line{'s' if len(lines) != 1 else ''} {shown}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _tables(raw: dict[str, bytes], *names: str) -> list[Table]:
    return [Table(name, raw[name]) for name in names]


def _node(nodes: Table, node_id: str, role: str = "node") -> int:
    found = nodes.find(id=node_id)
    if not found:
        ids = [nodes.get(i, "id") for i in nodes.rows()]
        raise NotFound(f"unknown {role} '{node_id}'{suggest(node_id, ids)}; see {NODES_FILE}")
    return found[0]


def _type(types: Table, key: str) -> int:
    found = types.find(type=key)
    if not found:
        keys = [types.get(i, "type") for i in types.rows()]
        raise NotFound(f"unknown type '{key}'{suggest(key, keys)}; add it with 'actorgraph type add'")
    return found[0]


def _check_id(value: str, what: str) -> str:
    value = value.strip()
    if not value:
        raise ActorgraphError(f"{what} must not be empty")
    return value


def _check_date(date: str) -> str:
    date = date.strip()
    if date:
        try:
            parse_span(date)
        except ValueError as exc:
            raise ActorgraphError(f"bad date: {exc}") from None
    return date


def _done(change: Change, *tables: Table) -> Change:
    for table in tables:
        change.files[table.name] = table.to_bytes()
    return change


# nodes -------------------------------------------------------------------------------------------
def node_add(raw: dict[str, bytes], node_id: str, values: dict[str, str]) -> Change:
    """Add an actor; ``values`` maps column names (label, kind, extras...) to text."""
    nodes, = _tables(raw, NODES_FILE)
    node_id = _check_id(node_id, "the id")
    existing = nodes.find(id=node_id)
    if existing:
        raise ActorgraphError(f"node '{node_id}' already exists ({_lines(nodes, existing)}); "
                              f"use 'actorgraph node set' to change it")
    affiliation = values.get("affiliation", "").strip()
    if affiliation:
        _node(nodes, affiliation, "affiliation")
    line = nodes.append({**values, "id": node_id})
    return _done(Change(messages=[f"{NODES_FILE}:{line}: added node '{node_id}'"]), nodes)


def node_set(raw: dict[str, bytes], node_id: str, values: dict[str, str]) -> Change:
    """Change some columns of one actor (any column but ``id``: use ``node_rename``)."""
    nodes, = _tables(raw, NODES_FILE)
    if "id" in values:
        raise ActorgraphError("change an id with 'actorgraph node rename OLD NEW', which also updates "
                              "the edges and affiliations that point at it")
    if not values:
        raise ActorgraphError("nothing to set; give --label, --kind, ... or --column NAME=VALUE")
    index = _node(nodes, node_id.strip())
    if values.get("affiliation", "").strip():
        _node(nodes, values["affiliation"].strip(), "affiliation")
    changed = nodes.set(index, values)
    what = ", ".join(values)
    message = (f"{NODES_FILE}:{nodes.line(index)}: set {what} of node '{node_id}'" if changed
               else f"node '{node_id}' already has these values; nothing changed")
    return _done(Change(messages=[message]), nodes) if changed else Change(messages=[message])


def node_rename(raw: dict[str, bytes], old: str, new: str) -> Change:
    """Rename an actor and every edge end and affiliation that points at it."""
    nodes, edges = _tables(raw, NODES_FILE, EDGES_FILE)
    old, new = old.strip(), _check_id(new, "the new id")
    index = _node(nodes, old)
    if old == new:
        return Change(messages=[f"node '{old}' already has that id; nothing changed"])
    clash = nodes.find(id=new)
    if clash:
        raise ActorgraphError(f"node '{new}' already exists ({_lines(nodes, clash)}); choose another id")
    nodes.set(index, {"id": new})
    affiliated = nodes.find(affiliation=old)
    for i in affiliated:
        nodes.set(i, {"affiliation": new})
    ends = 0
    touched = set()
    for column in ("source", "target"):
        for i in edges.find(**{column: old}):
            edges.set(i, {column: new})
            touched.add(i)
            ends += 1
    change = Change(messages=[f"renamed node '{old}' to '{new}' ({NODES_FILE}:{nodes.line(index)}); "
                              f"updated {_plural(len(touched), 'edge')} and {_plural(len(affiliated), 'affiliation')}"])
    # edges first, then nodes: see graph.store.safe_write for how a kill between the two is recovered
    return _done(change, *([edges] if touched else []), nodes)


def node_rm(raw: dict[str, bytes], node_id: str, cascade: bool = False) -> Change:
    """Remove an actor; refuse while edges or affiliations point at it unless ``cascade``.

    ``cascade`` removes the actor's edges and clears the affiliation of actors that belonged to it
    (they become top-level actors rather than being deleted too).
    """
    nodes, edges = _tables(raw, NODES_FILE, EDGES_FILE)
    node_id = node_id.strip()
    index = _node(nodes, node_id)
    used = sorted(set(edges.find(source=node_id)) | set(edges.find(target=node_id)))
    members = nodes.find(affiliation=node_id)
    if (used or members) and not cascade:
        parts = ([f"{_plural(len(used), 'edge')} ({_lines(edges, used)})"] if used else []) + \
                ([f"{_plural(len(members), 'affiliation')} ({_lines(nodes, members)})"] if members else [])
        raise ActorgraphError(f"node '{node_id}' is still used by {' and '.join(parts)}; "
                              "remove those first or add --cascade")
    member_ids = [nodes.get(i, "id") for i in members]
    for i in members:
        nodes.set(i, {"affiliation": ""})
    line = nodes.line(index)
    nodes.remove([index])
    edges.remove(used)
    message = f"{NODES_FILE}:{line}: removed node '{node_id}'"
    if cascade:
        message += f"; removed {_plural(len(used), 'edge')}"
        if members:
            message += f" and cleared the affiliation of {', '.join(member_ids)}"
    return _done(Change(messages=[message]), *([edges] if used else []), nodes)


# edges -------------------------------------------------------------------------------------------
def edge_add(raw: dict[str, bytes], source: str, target: str, type_: str, values: dict[str, str]) -> Change:
    """Add one event; ``values`` holds date, weight, note, citation or extra columns."""
    nodes, edges, types = _tables(raw, NODES_FILE, EDGES_FILE, TYPES_FILE)
    source, target, type_ = source.strip(), target.strip(), type_.strip()
    _node(nodes, source, "source node")
    _node(nodes, target, "target node")
    _type(types, type_)
    values = {**values, "date": _check_date(values.get("date", ""))}
    line = edges.append({**values, "source": source, "target": target, "type": type_})
    when = f", {values['date']}" if values["date"] else ""
    return _done(Change(messages=[f"{EDGES_FILE}:{line}: added edge {source} -> {target} ({type_}{when})"]),
                 edges)


def edge_rm(raw: dict[str, bytes], source: str, target: str, type_: str, date: str | None = None,
            every: bool = False, line: int | None = None) -> Change:
    """Remove the event row matching source, target, type (and date, and physical line, if given).

    Refuses when several rows match unless ``every``; then removes them all.
    """
    edges, = _tables(raw, EDGES_FILE)
    where = {"source": source.strip(), "target": target.strip(), "type": type_.strip()}
    if date is not None:
        where["date"] = _check_date(date)
    found = edges.find(**where)
    if line is not None:
        found = [i for i in found if edges.line(i) == line]
    label = f"{where['source']} -> {where['target']} ({where['type']}" + (f", {date}" if date else "") + ")"
    if not found:
        where_line = f" on line {line}" if line else ""
        raise NotFound(f"no edge {label} in {EDGES_FILE}{where_line}; check the ids, type and date "
                       "(edges are matched as written: source first)")
    if len(found) > 1 and not every:
        dates = "; ".join(f"line {edges.line(i)}" + (f" dated {edges.get(i, 'date')}" if edges.get(i, "date") else
                                                     " undated") for i in found[:_MAX_LISTED])
        raise ActorgraphError(f"{len(found)} edges match {label}: {dates}"
                              f"{'; ...' if len(found) > _MAX_LISTED else ''}; "
                              "narrow it with --date or --line N, or remove them all with --all")
    lines = _lines(edges, found)
    edges.remove(found)
    return _done(Change(messages=[f"removed {_plural(len(found), 'edge')} {label} ({lines})"]), edges)


# types -------------------------------------------------------------------------------------------
def type_add(raw: dict[str, bytes], key: str, values: dict[str, str]) -> Change:
    """Add an edge type to the vocabulary (polarity, weight, directed, label, cameo, keywords...)."""
    types, = _tables(raw, TYPES_FILE)
    key = _check_id(key, "the type")
    existing = types.find(type=key)
    if existing:
        raise ActorgraphError(f"type '{key}' already exists ({_lines(types, existing)}); "
                              f"use 'actorgraph type set' to change it")
    line = types.append({**values, "type": key})
    return _done(Change(messages=[f"{TYPES_FILE}:{line}: added type '{key}'"]), types)


def type_set(raw: dict[str, bytes], key: str, values: dict[str, str]) -> Change:
    """Change some columns of one edge type (not its key)."""
    types, = _tables(raw, TYPES_FILE)
    if "type" in values:
        raise ActorgraphError("a type key cannot be changed here; add a new type, move the edges, remove the old")
    if not values:
        raise ActorgraphError("nothing to set; give --label, --polarity, ... or --column NAME=VALUE")
    index = _type(types, key.strip())
    if not types.set(index, values):
        return Change(messages=[f"type '{key}' already has these values; nothing changed"])
    return _done(Change(messages=[f"{TYPES_FILE}:{types.line(index)}: set {', '.join(values)} of type '{key}'"]),
                 types)


def type_rm(raw: dict[str, bytes], key: str) -> Change:
    """Remove an edge type; refuse while edges use it."""
    types, edges = _tables(raw, TYPES_FILE, EDGES_FILE)
    key = key.strip()
    index = _type(types, key)
    used = edges.find(type=key)
    if used:
        raise ActorgraphError(f"type '{key}' is still used by {_plural(len(used), 'edge')} "
                              f"({_lines(edges, used)}); remove or retype them first")
    line = types.line(index)
    types.remove([index])
    return _done(Change(messages=[f"{TYPES_FILE}:{line}: removed type '{key}'"]), types)


# running an edit safely --------------------------------------------------------------------------
def apply_edit(folder: Path | str, compute: Callable[[dict[str, bytes]], Change], *, dry_run: bool = False,
               lock_timeout: float = 10.0) -> Change:
    """Validate, compute, validate the result, write atomically; all under the folder's lock.

    Raises DataError (data invalid before or after the change; nothing written), NotFound or
    ActorgraphError (the edit is refused), LockTimeout (another writer held the lock too long).
    With ``dry_run`` nothing is written and no lock is taken.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise ActorgraphError(f"data folder '{folder}' not found; give the right one with --data DIR")
    refuse_store_edit(folder)
    with contextlib.nullcontext() if dry_run else locked(folder, lock_timeout):
        finished = [] if dry_run else recover(folder, FILES)
        raw = read_raw(folder)
        validate_tables(raw, folder)  # a broken data set is reported, never edited
        change = compute(raw)
        change.before = {name: raw[name] for name in change.files}
        change.files = {n: b for n, b in change.files.items() if b != raw[n]}
        if change.files:
            validate_tables({**raw, **change.files}, folder)
            if not dry_run:
                write_files(folder, change.files)
        if finished:
            change.messages.insert(0, f"finished an interrupted edit of {', '.join(finished)}")
    return change


def diff(change: Change) -> str:
    """The change as a unified diff of each changed file (what ``--dry-run`` prints)."""
    out = []
    for name, new in change.files.items():
        old_lines = list(io.StringIO(_text(change.before[name]), newline=""))
        new_lines = list(io.StringIO(_text(new), newline=""))
        for line in difflib.unified_diff(old_lines, new_lines, f"a/{name}", f"b/{name}"):
            out.append(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def _text(raw: bytes) -> str:
    return raw.decode("utf-8").removeprefix(BOM_CHAR)
