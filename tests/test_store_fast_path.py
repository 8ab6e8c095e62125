"""graph.store.dataset's fast CSV path (pyarrow's CSV reader) must give exactly what the csv-module path gives.

Whenever ``_parse_fast`` returns a result it must equal ``_parse_exact``'s (same header, values and
physical line numbers); on anything unusual it returns None and the exact parser reports the problem.
"""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.store.dataset import _parse_exact, _parse_fast, load_dataset


def both(text: str):
    fast = _parse_fast(text.encode("utf-8"))
    problems = []
    exact = _parse_exact("edges.csv", text, problems)
    return fast, exact, problems


def same(fast, exact):
    assert fast[0] == exact[0]
    assert [list(c) for c in fast[1]] == [list(c) for c in exact[1]]
    assert list(fast[2]) == list(exact[2])
    assert fast[3] is False and exact[3] is False


@pytest.mark.parametrize("text", [
    "a,b,c\n1,2,3\n",
    "a,b,c\r\n1,2,3\r\n4,5,6",
    "a,b,c\n\n1,2,3\n   \n4,5,6\n\n",
    '\n\n"a","b",c\n"x, y","say ""hi""",3\n4,,\n',
    "a,b,c\n 1 , 2 ,3\n",
    'a,b,c\nab"c,2,3\n',
    "a,b,c\né,ü,日本\n",
    # plain lines around lines the reader must pass over or leave out: a row of commas, a quoted
    # line with as many commas as a plain one, a quoted line with more, whitespace-only lines
    "a,b,c\n1,2,3\n,,\n4,5,6\n",
    '\n \na,b,c\n1,2,3\n"x",y,z\n4,5,6\n"p,q",r,s\n\t\n7,8,9',
    'a,b,c\n"",,\n1,2,3\n',
])
def test_fast_path_equals_exact_path(text):
    fast, exact, problems = both(text)
    assert fast is not None, "expected the fast path to apply"
    same(fast, exact)
    assert problems == []


@pytest.mark.parametrize("text", [
    'a,b,c\n1,"two\nlines",3\n',  # a record spanning lines
    "a,b,c\n1,2\n",  # too few fields
    "a,b,c\n1,2,3,4\n",  # too many
    'a,b,c\n"ab"c,2,3\n',  # strict quoting error
    'a,b,c\n1,"open,3\n',  # unclosed quote
    "a,b,c\r1,2,3\r",  # bare CR line ends
    "a,b,c\nzzz\n",  # a one-field row
])
def test_unusual_input_falls_back(text):
    assert _parse_fast(text.encode("utf-8")) is None


fields = st.text(alphabet=st.sampled_from(list('ab ,"\n\r\té')), max_size=6)


@settings(max_examples=300, deadline=None)
@given(width=st.integers(2, 4), rows=st.lists(st.lists(fields, min_size=4, max_size=4), max_size=6),
       terminator=st.sampled_from(["\n", "\r\n"]), quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]),
       blank=st.booleans())
def test_property_fast_equals_exact(width, rows, terminator, quoting, blank):
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator=terminator, quoting=quoting)
    writer.writerow([f"col{i}" for i in range(width)])
    for row in rows:
        writer.writerow(row[:width])
        if blank:
            buf.write(terminator)
    text = buf.getvalue()
    fast, exact, _ = both(text)
    if fast is not None:
        same(fast, exact)


def test_problems_are_still_located_on_big_clean_files(tmp_path):
    """A ragged row far down a large file is reported on its physical line, as before."""
    rows = ["source,target,type"] + ["a,b,arrest"] * 5000
    rows[4321] = "a,b"
    (tmp_path / "edges.csv").write_text("\n".join(rows) + "\n")
    (tmp_path / "nodes.csv").write_text("id,label,kind\na,A,state\nb,B,state\n")
    (tmp_path / "edge_types.csv").write_text("type,polarity,weight,directed\narrest,hostile,-5,true\n")
    with pytest.raises(Exception) as info:
        load_dataset(tmp_path)
    assert [str(p) for p in info.value.problems] == [
        f"{tmp_path / 'edges.csv'}:4322: row has 2 fields but the header has 3; quote fields that contain commas"]
