"""The review sheet: candidates as a CSV an analyst opens in a spreadsheet, and applying it back.

``review_sheet(extraction)`` gives the bytes (UTF-8 with a BOM so spreadsheets read the accents;
written by ``graph.store.formula_safe.spreadsheet_csv``, as every report is: text cells neutralised
against formula injection, quoted around ``;`` and tabs). ``read_review(raw, name)`` reads a sheet
back, as written or as a spreadsheet saved it (BOM or not, comma or semicolon separated, formula quotes
kept or dropped). ``apply_review(rows, accept_all)`` returns the ``compute`` function for
``graph.store.edit.apply_edit``: it adds the accepted rows and the new actors they need with the
same ``node_add``/``edge_add`` as ``actorgraph node add``/``edge add``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from graph.errors import ActorgraphError
from graph.store.dataset import NODES_FILE
from graph.store.edit import Change, Table, edge_add, node_add
from graph.store.formula_safe import restore, spreadsheet_csv
from graph.text.countries import load_countries
from graph.text.extract import Extraction

COLUMNS = ["accept", "source", "target", "type", "date", "note", "citation", "flags", "score", "polarity",
           "source_text", "target_text", "trigger", "date_text", "rule", "sentence", "file", "start", "end",
           "source_label", "source_kind", "source_affiliation", "target_label", "target_kind",
           "target_affiliation"]
REQUIRED = ("accept", "source", "target", "type")
YES = frozenset({"yes", "y", "x", "1", "true", "accept", "ok", "+"})
NO = frozenset({"no", "n", "0", "false", "reject", "drop", "-"})


def review_sheet(extraction: Extraction) -> bytes:
    """The candidates as review CSV bytes (``accept`` empty: the analyst fills it)."""
    new = {a.id: a for a in extraction.new_actors}
    rows = []
    for c in extraction.candidates:
        row = {**c.as_dict(), "accept": "", "flags": ";".join(c.flags)}
        for side in ("source", "target"):
            actor = new.get(row[side])
            if actor is not None:
                row.update({f"{side}_label": actor.label, f"{side}_kind": actor.kind,
                            f"{side}_affiliation": actor.affiliation})
        rows.append(["" if row.get(col) is None else str(row.get(col)) for col in COLUMNS])
    return b"\xef\xbb\xbf" + spreadsheet_csv(COLUMNS, rows, lineterminator="\r\n").encode("utf-8")


@dataclass
class ReviewRow:
    """One row of a review sheet and its physical line (for messages)."""

    line: int
    values: dict[str, str]

    def __getitem__(self, key: str) -> str:
        return self.values.get(key, "")


def read_review(raw: bytes, name: str) -> list[ReviewRow]:
    """Rows of a review sheet; raises ActorgraphError naming the file (and line) on bad input."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise ActorgraphError(f"{name}:{line}: not valid UTF-8; save the sheet as CSV UTF-8") from None
    if not text.strip():
        raise ActorgraphError(f"{name}: empty review sheet")
    first = text.splitlines()[0]
    delimiter = ";" if first.count(";") > first.count(",") else ("\t" if first.count("\t") > first.count(",") else ",")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [restore(h.strip()).lower() for h in next(reader)]
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise ActorgraphError(f"{name}:1: not a review sheet: no {', '.join(missing)} column "
                                  "(write one with 'actorgraph extract ... -o review.csv')")
        rows = []
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            cells = {col: restore(values[i]).strip() if i < len(values) else "" for i, col in enumerate(header)}
            rows.append(ReviewRow(reader.line_num, cells))
    except csv.Error as exc:
        raise ActorgraphError(f"{name}:{reader.line_num}: {exc}") from None
    return rows


def _decision(row: ReviewRow, name: str) -> str | None:
    value = row["accept"].strip().lower()
    if value in YES:
        return "yes"
    if value in NO:
        return "no"
    if value == "":
        return None
    raise ActorgraphError(f"{name}:{row.line}: accept '{row['accept']}' is neither yes nor no "
                          "(use yes/y/x/1 to accept, no/n/0 or empty to leave out)")


def chosen_rows(rows: list[ReviewRow], name: str, accept_all: bool = False) -> list[ReviewRow]:
    """Rows to add: accepted ones; with ``accept_all`` also unmarked ones not flagged duplicate or
    low_confidence."""
    out = []
    for row in rows:
        decision = _decision(row, name)
        held_back = {"duplicate", "low_confidence"} & set(row["flags"].split(";"))
        if decision == "yes" or (decision is None and accept_all and not held_back):
            out.append(row)
    return out


def apply_review(rows: list[ReviewRow], name: str):
    """``compute(raw) -> Change`` adding the given rows' new actors, then their events."""

    def compute(raw: dict[str, bytes]) -> Change:
        known = set(Table(NODES_FILE, raw[NODES_FILE]).get(i, "id") for i in Table(NODES_FILE, raw[NODES_FILE]).rows())
        plans: dict[str, dict[str, str]] = {}
        for row in rows:
            for side in ("source", "target"):
                actor = row[side].strip()
                if not actor:
                    raise ActorgraphError(f"{name}:{row.line}: the {side} is empty")
                if actor in known or actor in plans:
                    continue
                label, kind = row[f"{side}_label"], row[f"{side}_kind"]
                if not label or not kind:
                    raise ActorgraphError(f"{name}:{row.line}: {side} '{actor}' is not in nodes.csv and the row "
                                          f"gives no {side}_label and {side}_kind to add it")
                plans[actor] = {"label": label, "kind": kind, "affiliation": row[f"{side}_affiliation"]}
        states = {_slug(c.name): c for c in load_countries()} | {c.code.lower(): c for c in load_countries()}
        for actor in list(plans):
            parent = plans[actor]["affiliation"]
            if parent and parent not in known and parent not in plans:
                if parent not in states:
                    raise ActorgraphError(f"{name}: affiliation '{parent}' of '{actor}' is neither in nodes.csv "
                                          "nor proposed in the sheet; add it first or clear the affiliation")
                plans[parent] = {"label": states[parent].name, "kind": "state", "affiliation": ""}
        change = Change()
        current = dict(raw)
        for actor in _parents_first(plans):
            values = {k: v for k, v in plans[actor].items() if v}
            step = node_add(current, actor, values)
            current.update(step.files)
            change.messages += step.messages
        for row in rows:
            values = {"date": row["date"], "note": row["note"], "citation": row["citation"]}
            try:
                step = edge_add(current, row["source"], row["target"], row["type"], values)
            except ActorgraphError as exc:
                raise ActorgraphError(f"{name}:{row.line}: {exc}") from None
            current.update(step.files)
            change.messages += step.messages
        change.files = {n: b for n, b in current.items() if b != raw.get(n)}
        return change

    return compute


def _slug(text: str) -> str:
    from graph.text.actors import slug

    return slug(text)


def _parents_first(plans: dict[str, dict[str, str]]) -> list[str]:
    order: list[str] = []

    def visit(actor: str, depth: int = 0) -> None:
        if actor in order or depth > len(plans):
            return
        parent = plans[actor]["affiliation"]
        if parent in plans:
            visit(parent, depth + 1)
        order.append(actor)

    for actor in plans:
        visit(actor)
    return order
