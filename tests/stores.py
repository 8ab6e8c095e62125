"""Writing small event stores for tests, with pyarrow, exactly as the layout says, and the same events
as a CSV folder (in the store's data order) for the pandas reference."""

from __future__ import annotations

import csv
import io
import random
import textwrap
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

COLUMNS = ["source", "target", "type", "date", "weight", "note", "citation"]

NODES = """\
id,label,kind,affiliation
rus,Russia,state,
aze,Azerbaijan,state,
arm,Armenia,state,
tur,Turkey,state,
putin,Vladimir Putin,official,rus
lavrov,Sergei Lavrov,official,rus
tass,TASS,media,rus
aliyev,Ilham Aliyev,official,aze
baku_court,Baku court,institution,aze
pashinyan,Nikol Pashinyan,official,arm
erdogan,Erdogan,official,tur
ngo,Helsinki Group,group,
"""

TYPES = """\
type,label,polarity,weight,directed
arrest,Arrest,hostile,-5,true
accusation,Accusation,hostile,-2,true
sanction,Sanction,hostile,-3,false
support,Support,cooperative,3,false
meeting,Meeting,cooperative,1,false
aid,Aid,cooperative,2,true
appointment,Appointment,neutral,0,true
talks,Talks,neutral,0,false
"""

IDS = ["rus", "aze", "arm", "tur", "putin", "lavrov", "tass", "aliyev", "baku_court", "pashinyan", "erdogan", "ngo"]
WEIGHTS = {"arrest": (-10, 0), "accusation": (-10, 0), "sanction": (-10, 0), "support": (0, 10),
           "meeting": (0, 10), "aid": (0, 10), "appointment": (-3, 3), "talks": (-3, 3)}


def partition(date: str) -> tuple[int, int]:
    """The partition of a (stripped, valid or empty) date text."""
    date = date.strip()
    if not date:
        return 0, 0
    return int(date[:4]), int(date[5:7]) if len(date) >= 7 else 0


def random_rows(n: int, seed: int = 0, extra: bool = True) -> list[dict]:
    """``n`` events over ``IDS`` and ``TYPES``: partial and full dates, undated rows, overrides, padding."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        s, t = rng.sample(IDS, 2)
        typ = rng.choice(list(WEIGHTS))
        kind = rng.random()
        year = rng.choice([2019, 2020, 2023, 2024, 2025])
        if kind < 0.15:
            date = ""
        elif kind < 0.3:
            date = f"{year}"
        elif kind < 0.5:
            date = f"{year}-{rng.randint(1, 12):02d}"
        else:
            date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        weight = ""
        if rng.random() < 0.35:
            lo, hi = WEIGHTS[typ]
            weight = rng.choice([f"{rng.uniform(lo, hi):.2f}", str(rng.randint(lo, hi))])
        if rng.random() < 0.1:  # cells as a spreadsheet leaves them: padded ids, types and dates
            s, t, typ, date = f" {s}", f"{t} ", f"{typ} ", f" {date}"
        row = {"source": s, "target": t, "type": typ, "date": date, "weight": weight,
               "note": f"event {i}, with \"quotes\"" if i % 7 == 0 else f"event {i}", "citation": f"src {i % 5}"}
        if extra:
            row["event_id"] = f"e{i}"
        rows.append(row)
    return rows


def write_store(folder: Path, rows: list[dict], nodes: str = NODES, types: str = TYPES,
                files_per_partition: int = 2, where=None) -> list[dict]:
    """Write ``rows`` as an event store (each partition split over up to ``files_per_partition``
    files); ``where(row)`` may override a row's ``(year, month)``. Returns the rows in the store's
    data order (partition folders sorted as paths, then files, then rows)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "nodes.csv").write_text(textwrap.dedent(nodes), encoding="utf-8")
    (folder / "edge_types.csv").write_text(textwrap.dedent(types), encoding="utf-8")
    columns = list(rows[0]) if rows else COLUMNS
    parts: dict[tuple[int, int], list[dict]] = {}
    for row in rows:
        parts.setdefault(where(row) if where else partition(row["date"]), []).append(row)
    written = {}
    for (year, month), members in parts.items():
        target = folder / "events" / f"year={year}" / (f"month={month:02d}" if month else "month=0")
        target.mkdir(parents=True, exist_ok=True)
        chunks = [members[i::files_per_partition] for i in range(files_per_partition)]
        for k, chunk in enumerate(c for c in chunks if c):
            path = target / f"part-{k}.parquet"
            pq.write_table(pa.table({c: pa.array([r.get(c, "") for r in chunk], pa.string()) for c in columns}),
                           path)
            written[path] = chunk
    (folder / "events").mkdir(exist_ok=True)
    return [row for path in sorted(written) for row in written[path]]


def write_csv(folder: Path, rows: list[dict], nodes: str = NODES, types: str = TYPES) -> Path:
    """The same data as a CSV folder (rows in the given order)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "nodes.csv").write_text(textwrap.dedent(nodes), encoding="utf-8")
    (folder / "edge_types.csv").write_text(textwrap.dedent(types), encoding="utf-8")
    columns = list(rows[0]) if rows else COLUMNS
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (folder / "edges.csv").write_text(out.getvalue(), encoding="utf-8")
    return folder
