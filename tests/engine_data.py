"""One synthetic crisis written twice: as a CSV folder and as an event store (Parquet, hive-partitioned).

Written independently of actorgraph's own converters (pyarrow and the csv module only), so the
engines are compared on data no engine code produced. It has what the engines must agree on: partial
dates (month-only, year-only), undated rows, weight overrides (decimals whose sums leave float noise),
neutral and undirected types, affiliation chains two levels deep for the state roll-up, self-loops,
values padded with spaces and tabs (the CSV path strips them), quoted notes and an extra column.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

TYPES = [  # type, label, polarity, default weight, directed
    ("arrest", "Arrest", "hostile", "-5", "true"),
    ("accuse", "Accuse", "hostile", "-2", "true"),
    ("clash", "Armed clash", "hostile", "-6", "false"),
    ("sanction", "Sanction", "hostile", "-8", "true"),
    ("support", "Support", "cooperative", "3", "false"),
    ("meet", "Meeting", "cooperative", "1", "false"),
    ("aid", "Aid", "cooperative", "7", "true"),
    ("praise", "Praise", "cooperative", "2.5", "true"),
    ("statement", "Statement", "neutral", "0", "true"),
    ("talks", "Talks", "neutral", "0", "false"),
]
EDGE_COLUMNS = ["source", "target", "type", "date", "weight", "note", "citation", "event_id"]


def _actors(rng, n_actors: int, camps: int):
    """Rows of nodes.csv and each actor's camp: states, officials and institutions under them (two
    levels), media, groups with persons under them, regions."""
    states = [f"s{i:02d}" for i in range(4 * camps)]
    rows, camp = [], {}
    for i, s in enumerate(states):
        rows.append((s, f"State {i}", "state", ""))
        camp[s] = i % camps
    officials = []
    n_rest = n_actors - len(states)
    kinds = rng.choice(["official", "institution", "media", "group", "person", "region"], size=n_rest,
                       p=[0.25, 0.2, 0.1, 0.15, 0.2, 0.1])
    groups = []
    for i, kind in enumerate(kinds):
        a = f"{kind[0]}{i:03d}"
        if kind == "official" or (kind == "media" and rng.random() < 0.7):
            parent = states[rng.integers(len(states))]
        elif kind == "institution":
            parent = officials[rng.integers(len(officials))] if officials else states[0]
        elif kind == "person" and groups and rng.random() < 0.6:
            parent = groups[rng.integers(len(groups))]
        else:
            parent = ""
        camp[a] = camp[_root(parent, rows)] if parent else int(rng.integers(camps))
        rows.append((a, f"Actor {kind} {i}", kind, parent))
        if kind == "official":
            officials.append(a)
        if kind == "group":
            groups.append(a)
    return rows, camp


def _root(a: str, rows) -> str:
    parent = {r[0]: r[3] for r in rows}
    while parent.get(a):
        a = parent[a]
    return a


def _events(rng, ids: list[str], camp: dict, n_events: int):
    by_camp = {}
    for a in ids:
        by_camp.setdefault(camp[a], []).append(a)
    activity = rng.pareto(1.5, len(ids)) + 1.0
    p = activity / activity.sum()
    hostile = [t for t in TYPES if t[2] == "hostile"]
    cooperative = [t for t in TYPES if t[2] == "cooperative"]
    neutral = [t for t in TYPES if t[2] == "neutral"]
    day0 = np.datetime64("2022-01-01")
    rows = []
    for k in range(n_events):
        s = ids[rng.choice(len(ids), p=p)]
        if rng.random() < 0.5:
            members = by_camp[camp[s]]
            t = members[rng.integers(len(members))]
        else:
            t = ids[rng.choice(len(ids), p=p)]
        if rng.random() < 0.005:
            t = s  # an actor acting on itself
        friendly = (camp[s] == camp[t]) ^ (rng.random() < 0.1)
        pool = neutral if rng.random() < 0.12 else (cooperative if friendly else hostile)
        typ, _, polarity, default, _ = pool[rng.integers(len(pool))]
        weight = ""
        if rng.random() < 0.2:  # an override: decimals (0.1 + 0.2 - 0.3 style noise), sign kept
            magnitude = rng.choice([0.1, 0.2, 0.3, 0.7, 1.5, 2.25, 4, 9.9, 10])
            sign = -1 if polarity == "hostile" else 1
            weight = f"{sign * magnitude:g}"
        day = str(day0 + np.timedelta64(int(rng.integers(0, 1277)), "D"))
        r = rng.random()
        date = "" if r < 0.07 else day[:4] if r < 0.11 else day[:7] if r < 0.19 else day
        row = [s, t, typ, date, weight, f'Synthetic {typ}, "event" {k}', f"https://example.org/{k}", f"ev{k:05d}"]
        if rng.random() < 0.02:  # padded cells: the CSV path strips identifiers, types, dates, weights
            col = int(rng.integers(5))
            if row[col]:
                row[col] = rng.choice([" ", "\t", "  "]) + row[col] + rng.choice(["", " ", "\t"])
        rows.append(row)
    return rows


def _partition(date: str) -> tuple[int, int]:
    date = date.strip()
    if not date:
        return 0, 0
    return int(date[:4]), int(date[5:7]) if len(date) >= 7 else 0


def write_crisis(root: Path, n_actors: int = 300, n_events: int = 4000, camps: int = 3, seed: int = 7):
    """Write ``root/csv`` (a CSV folder) and ``root/store`` (an event store) holding the same data;
    the CSV rows are in the store's data order (partition, file, row). Returns ``(csv, store)``."""
    rng = np.random.default_rng(seed)
    actors, camp = _actors(rng, n_actors, camps)
    events = _events(rng, [a[0] for a in actors], camp, n_events)
    folders = root / "csv", root / "store"
    for folder in folders:
        folder.mkdir(parents=True)
        _write_csv(folder / "nodes.csv", ["id", "label", "kind", "affiliation"], actors)
        _write_csv(folder / "edge_types.csv", ["type", "label", "polarity", "weight", "directed"], TYPES)
    by_partition: dict[tuple[int, int], list] = {}
    for row in events:
        by_partition.setdefault(_partition(row[3]), []).append(row)
    ordered = []
    files = []
    for (year, month), rows in by_partition.items():
        folder = folders[1] / "events" / f"year={year}" / f"month={month}"
        folder.mkdir(parents=True)
        halves = [rows] if len(rows) < 40 else [rows[: len(rows) // 2], rows[len(rows) // 2:]]
        for i, part in enumerate(halves):  # some partitions hold two files
            path = folder / f"part-{i}.parquet"
            table = pa.table({c: pa.array([r[j] for r in part], pa.string()) for j, c in enumerate(EDGE_COLUMNS)})
            pq.write_table(table, path, row_group_size=64)
            files.append((path, part))
    for path, part in sorted(files, key=lambda f: f[0]):
        ordered.extend(part)
    _write_csv(folders[0] / "edges.csv", EDGE_COLUMNS, ordered)
    return folders


def _write_csv(path: Path, header, rows) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
