"""The review sheet survives a spreadsheet: any cell text comes back as written, whatever the format."""

from __future__ import annotations

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from graph.text.extract import Candidate, Extraction, NewActor
from graph.text.review import COLUMNS, chosen_rows, read_review, review_sheet

CELL = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30)


def _candidate(note: str, source_text: str) -> Candidate:
    return Candidate(source="a", target="new_one", source_text=source_text, target_text="B", type="t",
                     polarity="hostile", date="2025-07-01", date_text="", sentence=note, file="f.txt", start=0,
                     end=len(note), trigger="x", flags=["new_actor"], score=0.5, note=note, rule="svo")


@settings(max_examples=200, deadline=None)
@given(CELL, CELL, st.sampled_from([",", ";", "\t"]), st.booleans(), st.booleans())
def test_cells_round_trip_through_a_resaved_sheet(note, source_text, delimiter, bom, keep_quote):
    sheet = review_sheet(Extraction([_candidate(note, source_text)],
                                    [NewActor("new_one", "=Label", "group", "", [], 1)]))
    rows = list(csv.reader(io.StringIO(sheet.decode("utf-8-sig"), newline="")))
    assert rows[0] == COLUMNS
    # a spreadsheet may drop the formula quote it displays, change the separator and the BOM
    if not keep_quote:
        rows = [[c[1:] if c.startswith("'") and c[1:2] in "=+-@\t\r" and c[1:] else c for c in r] for r in rows]
    rows[1][0] = "yes"
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    raw = (b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode("utf-8")
    got = read_review(raw, "r.csv")
    assert len(got) == 1
    row = got[0]
    assert row["note"] == note.strip() and row["source_text"] == source_text.strip()
    assert row["target_label"] == "=Label"
    assert chosen_rows(got, "r.csv") == got


def test_sheet_is_written_like_every_report_quoted_around_other_locales_separators():
    # a spreadsheet in a locale that splits on ';' or tabs must not see a new cell starting with '='
    note = "Baku said;=HYPERLINK(1)\tx"
    sheet = review_sheet(Extraction([_candidate(note, "-Moscow")], [])).decode("utf-8-sig")
    line = sheet.splitlines()[1]
    assert '"Baku said;\'=HYPERLINK(1)\tx"' in line  # quoted: one cell, the formula start after ';' quoted
    assert ",'-Moscow," in line
    assert ",0.5," in line                                  # numbers stay numbers
    row = read_review(sheet.encode("utf-8"), "r.csv")[0]
    assert row["note"] == note and row["source_text"] == "-Moscow" and row["score"] == "0.5"
