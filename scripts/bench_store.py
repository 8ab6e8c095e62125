"""scripts/bench --store: an event store at GDELT scale, and what each engine does with it.

Writes scripts/bench's synthetic crisis (the same generator: types, camps, heavy-tailed activity, dates,
sign flips; the same seed gives the same events) as an event store, streamed in batches so memory stays
bounded: ``STORE/nodes.csv``, ``STORE/edge_types.csv`` and ``STORE/events/year=YYYY/month=MM/*.parquet``
(edges.csv's columns, all strings). Then measures, each as its own process with its peak RSS (the
summed RSS of its process tree sampled every 0.2 s, at least getrusage's peak of its largest process; a
command whose processes pass --cap MB together is killed and reported failed, the machine being shared):

  generate     the store: seconds, size on disk, files
  validate     actorgraph validate on the store (DuckDB)                          peak RSS <= 4 GiB
  centrality   actorgraph centrality --metric degree,pagerank,eigenvector,hostility_received
                                                                                  peak RSS <= 4 GiB
  clusters     actorgraph clusters (and its ARI against the planted camps)        peak RSS <= 4 GiB
  timeline     actorgraph timeline                                                peak RSS <= 4 GiB
  aggregation  the DuckDB engine's pair table vs a bare DuckDB GROUP BY computing the same sums over the
               same files, in the same run                                         ratio <= 1.5
  spark        the pair table, centrality and validate with --engine spark (local[2])  reported
  pandas       the CSV path's peak RSS at a few sizes (CSV folders from the same generator), the largest
               size it handles within 20 GB extrapolated linearly from them        reported

Example:
  scripts/bench --store                                      # 100,000,000 events, 20,000 actors
  scripts/bench --store --events 2000000 --keep /tmp/store2m # a quick look, the store kept for next time
  scripts/bench --store --keep /tmp/store2m --only aggregation --only validate
"""

from __future__ import annotations

import argparse
import importlib.machinery
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

SCRIPTS = Path(__file__).resolve().parent
GiB = 1024  # MB (MiB) per GiB: peak RSS is reported in MiB, as scripts/bench does
SECTIONS = ["generate", "validate", "centrality", "clusters", "timeline", "aggregation", "spark", "pandas"]
CENTRALITY_METRICS = "degree,pagerank,eigenvector,hostility_received"
PANDAS_LIMIT_GB = 20
#: Written beside the store: the generator's settings, so ``--keep`` reuses only a store made with them.
SETTINGS_FILE = "bench-store.json"


def load_bench():
    """scripts/bench as a module (it has no .py suffix): the generator and the measuring helpers."""
    if "actorgraph_bench" in sys.modules:
        return sys.modules["actorgraph_bench"]
    loader = importlib.machinery.SourceFileLoader("actorgraph_bench", str(SCRIPTS / "bench"))
    spec = importlib.util.spec_from_loader("actorgraph_bench", loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules["actorgraph_bench"] = module
    loader.exec_module(module)
    return module


bench = load_bench()
SCHEMA = pa.schema([(c, pa.string()) for c in bench.EDGE_COLUMNS])


def partitions(date: pa.Array) -> tuple[pa.Array, pa.Array]:
    """The store's ``year`` and ``month`` partition of each date text: ``2024-03-09`` and ``2024-03`` in
    ``2024``/``03``, ``2024`` in ``2024``/``0``, undated in ``0``/``0``."""
    length = pc.utf8_length(date)
    year = pc.if_else(pc.greater_equal(length, 4), pc.utf8_slice_codeunits(date, 0, 4), "0")
    month = pc.if_else(pc.greater_equal(length, 7), pc.utf8_slice_codeunits(date, 5, 7), "0")
    return year, month


def write_store(folder: Path, actors: int, events: int, camps: int = 4, flip: float = 0.10, seed: int = 1,
                chunk: int = bench.CHUNK, progress=None) -> dict:
    """Write scripts/bench's synthetic crisis as an event store in ``folder``; returns the planted camps
    and the store's size. One Parquet file per partition, a row group per batch, so memory holds one
    batch whatever ``events`` is."""
    folder.mkdir(parents=True, exist_ok=True)
    nodes, types, camp, batches = bench.synthetic_crisis(actors, events, camps, flip, seed=seed, chunk=chunk)
    nodes.to_csv(folder / "nodes.csv", index=False)
    types.to_csv(folder / "edge_types.csv", index=False)
    (folder / "events").mkdir(exist_ok=True)
    writers: dict[str, pq.ParquetWriter] = {}
    done = 0
    try:
        for batch in batches:
            year, month = partitions(batch["date"])
            keys = pc.binary_join_element_wise(year, month, "/").combine_chunks().dictionary_encode()
            codes = np.asarray(keys.indices)
            order = np.argsort(codes, kind="stable")  # rows keep their order inside a partition
            bounds = np.concatenate([[0], np.cumsum(np.bincount(codes, minlength=len(keys.dictionary)))])
            for code, key in enumerate(keys.dictionary.to_pylist()):
                writer = writers.get(key)
                if writer is None:
                    y, m = key.split("/")
                    part = folder / "events" / f"year={y}" / f"month={m}"
                    part.mkdir(parents=True, exist_ok=True)
                    writer = writers[key] = pq.ParquetWriter(part / "part-00000.parquet", SCHEMA, compression="zstd")
                writer.write_table(batch.take(order[bounds[code]:bounds[code + 1]]))
            done += batch.num_rows
            if progress:
                progress(done, events)
    finally:
        for writer in writers.values():
            writer.close()
    files = sorted((folder / "events").rglob("*.parquet"))
    return {"camp": camp, "files": len(files), "bytes": sum(f.stat().st_size for f in files)}


#: The floor of the aggregation step: the pair table's sums (``graph.view.pairs.Pairs``: per source,
#: target and directedness, undirected pairs ordered by position) in one DuckDB query over the same
#: files, actor ids mapped to positions by a join, the result fetched as NumPy arrays; the connection
#: set as the engine sets its own (memory limit, spill folder, no insertion order). Prints
#: "SECONDS PAIRS EVENTS", timed from the connection on.
BARE_GROUP_BY = """
import sys, time, duckdb, pandas as pd
store, memory_limit, temp = sys.argv[1:4]
t = time.perf_counter()
con = duckdb.connect()
con.execute("PRAGMA disable_progress_bar")
con.execute(f"SET memory_limit = '{memory_limit}'")  # as the engine sets its connection
con.execute(f"SET temp_directory = '{temp}'")
con.execute("SET preserve_insertion_order = false")
ids = pd.read_csv(store + "/nodes.csv", dtype=str, keep_default_na=False, usecols=["id"])
con.register("ids", ids.assign(pos=range(len(ids))))
con.execute("CREATE TEMP TABLE types AS SELECT type, polarity, CAST(weight AS DOUBLE) AS w, "
            "lower(directed) = 'true' AS directed FROM read_csv(?, all_varchar = true)",
            [store + "/edge_types.csv"])
pairs = con.execute('''
    WITH e AS (
        SELECT a.pos AS s, b.pos AS d, t.directed, t.polarity <> 'neutral' AS signed,
               CASE WHEN t.polarity = 'neutral' THEN 0.0
                    ELSE coalesce(CAST(nullif(e.weight, '') AS DOUBLE), t.w) END AS w
        FROM read_parquet(?, hive_partitioning = false) e JOIN types t USING (type)
             JOIN ids a ON a.id = e.source JOIN ids b ON b.id = e.target)
    SELECT CASE WHEN directed OR s <= d THEN s ELSE d END AS source,
           CASE WHEN directed OR s <= d THEN d ELSE s END AS target, directed,
           count(*) AS events, count(*) FILTER (WHERE signed) AS signed_events,
           sum(w) AS weight, sum(least(w, 0)) AS hostile, sum(greatest(w, 0)) AS cooperative
    FROM e GROUP BY ALL''', [store + "/events/**/*.parquet"]).fetchnumpy()
print(f"{time.perf_counter() - t:.3f} {len(pairs['events'])} {pairs['events'].sum()}")
"""


#: The aggregation step: an engine's pair table of every event of the store (``open_data``, then
#: ``pair_table`` of the unfiltered view). Prints "SECONDS PAIRS EVENTS OPEN_SECONDS": the pair table
#: timed alone, opening the store (Spark: starting its JVM) apart.
AGGREGATION = """
import sys, time
from graph.view.engines import close_data, open_data
from graph.view.pairs import pair_table
from graph.view.select import select
store, options = sys.argv[1], dict(zip(sys.argv[2::2], sys.argv[3::2]))  # the CLI's engine options
t = time.perf_counter()
data = open_data(store, options["--engine"], memory_limit=options.get("--memory-limit"),
                 spark_master=options.get("--spark-master"))
opened = time.perf_counter() - t
t = time.perf_counter()
pairs = pair_table(select(data))
print(f"{time.perf_counter() - t:.3f} {len(pairs)} {pairs.events_total()} {opened:.3f}")
close_data(data)
"""


#: Like scripts/bench's wrapper, also for commands that start processes of their own (Spark's JVM):
#: the peak of the whole process tree's summed RSS, sampled every 0.2 s, next to getrusage's peak of
#: the largest single process. The first argument is a cap in MB: a tree that passes it is killed
#: (the machine is shared) and reported with exit code -9.
TREE_WRAPPER = """
import json, os, resource, signal, subprocess, sys, threading, time
PAGE = os.sysconf("SC_PAGE_SIZE")
def tree_rss(root):
    parent, rss = {}, {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            parent[int(pid)], rss[int(pid)] = int(fields[1]), int(fields[21]) * PAGE
        except (OSError, IndexError, ValueError):
            pass
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += [c for c, p in parent.items() if p == pid]
    return total
cap = float(sys.argv[1]) * 2**20
t = time.perf_counter()
p = subprocess.Popen(sys.argv[2:], stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
peak, killed = [0], [False]
def watch():
    while p.poll() is None:
        peak[0] = max(peak[0], tree_rss(p.pid))
        if peak[0] > cap:
            killed[0] = True
            os.killpg(p.pid, signal.SIGKILL)
            return
        time.sleep(0.2)
threading.Thread(target=watch, daemon=True).start()
out, err = p.communicate()
wall = time.perf_counter() - t
single = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
sys.stdout.write(json.dumps({"wall": wall, "peak_kb": max(peak[0] // 1024, single), "single_kb": single,
                             "rc": -9 if killed[0] else p.returncode, "killed": killed[0],
                             "out": out.decode("utf-8", "replace"),
                             "err": err.decode("utf-8", "replace")[-2000:]}))
"""


def measure_tree(cmd: list[str], env: dict | None = None, cap_mb: float = 5800) -> dict:
    """Run ``cmd`` in a fresh wrapper process: wall time (s), peak RSS of its process tree (MB; at least
    the largest single process's getrusage peak), exit code and output. Killed above ``cap_mb``."""
    res = subprocess.run([sys.executable, "-c", TREE_WRAPPER, str(cap_mb), *cmd], stdout=subprocess.PIPE, env=env,
                         check=True)
    info = json.loads(res.stdout)
    info["peak_mb"] = info.pop("peak_kb") / 1024
    if info["killed"]:
        info["err"] = f"killed: its processes passed {cap_mb:,.0f} MB together (the cap of this benchmark)"
    return info


def linear_fit(sizes: list[int], peaks: list[float]) -> tuple[float, float]:
    """Least-squares ``peak = a + b * size`` through the measured points: ``(a, b)``."""
    b, a = np.polyfit(np.asarray(sizes, dtype=float), np.asarray(peaks, dtype=float), 1)
    return float(a), float(b)


def size_within(limit_mb: float, a: float, b: float) -> float:
    """The size at which ``a + b * size`` reaches ``limit_mb`` (inf when the peak does not grow)."""
    return (limit_mb - a) / b if b > 0 else float("inf")


def printed(got: dict, what: str, say) -> list[str] | None:
    """The figures a measuring script printed on its last line, or None (and why) when it failed."""
    lines = got["out"].strip().splitlines()
    if got["rc"] != 0 or not lines:
        say(f"  {what} failed: {got['err'].strip()[-800:]}")
        return None
    return lines[-1].split()


def stored_settings(folder: Path) -> dict | None:
    """What ``prepare_store`` wrote beside a store: its generator settings and how long writing took."""
    try:
        return json.loads((folder / SETTINGS_FILE).read_text())
    except (OSError, ValueError):
        return None


def prepare_store(store: Path, args, settings: dict, parser, say) -> tuple[np.ndarray, dict]:
    """Write the store (or reuse the one kept in ``store`` with the same settings): the planted camps
    and the figures of writing it."""
    kept = stored_settings(store)
    if kept and kept.get("settings") == settings:
        say(f"reusing the store in {store}")
        camp = bench.synthetic_crisis(args.actors, 0, args.camps, args.flip, seed=args.seed)[2]
        return camp, {**kept["made"], "command": f"store written earlier ({store})"}
    if store.exists() and any(store.iterdir()):
        if kept is None:
            parser.error(f"{store} is not empty and holds no store of this benchmark; give an empty folder")
        shutil.rmtree(store)
    say(f"writing {args.events:,} events, {args.actors:,} actors into {store} ...")
    t = last = time.perf_counter()

    def progress(done, total):
        nonlocal last
        if time.perf_counter() - last > 30:
            last = time.perf_counter()
            say(f"  {done:,} of {total:,} events, {last - t:.0f} s")

    written = write_store(store, args.actors, args.events, args.camps, args.flip, args.seed, args.chunk, progress)
    made = {"seconds": round(time.perf_counter() - t, 1), "files": written["files"],
            "size_GB": round(written["bytes"] / 1e9, 2)}
    (store / SETTINGS_FILE).write_text(json.dumps({"settings": settings, "made": made}))
    return written["camp"], {**made, "command": "write the store"}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/bench --store", description=__doc__.split("\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--events", type=int, default=100_000_000)
    parser.add_argument("--actors", type=int, default=20_000)
    parser.add_argument("--camps", type=int, default=4)
    parser.add_argument("--flip", type=float, default=0.10, help="share of events flipped in sign")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--chunk", type=int, default=bench.CHUNK, help="events generated and written per batch")
    parser.add_argument("--only", action="append", choices=SECTIONS,
                        help="run only these sections (repeatable; generate: only write the store)")
    parser.add_argument("--keep", type=Path,
                        help="write the store here and keep it; a store already there made with the same "
                             "settings is reused")
    parser.add_argument("--memory-limit", default="2GB",
                        help="DuckDB's memory limit in every DuckDB command and in the floor (default 2GB: room "
                             "under the 4 GiB target for the arrays the analyses hold; the engine's own default "
                             "is half the RAM)")
    parser.add_argument("--spark-master", default="local[2]")
    parser.add_argument("--pandas-sizes", default="1000000,2000000,4000000",
                        help="event counts at which the CSV/pandas path is measured (comma-separated)")
    parser.add_argument("--pandas-commands", default=",".join(PANDAS_COMMANDS),
                        help="the commands measured on the CSV path (comma-separated; default all four)")
    parser.add_argument("--pandas-cap", type=float, default=5500,
                        help="skip a pandas size whose peak, extrapolated from the smaller ones, would pass "
                             "this many MB (the machine is shared)")
    parser.add_argument("--cap", type=float, default=5800,
                        help="kill a measured command whose processes pass this many MB together (default 5800: "
                             "the machine is shared); it is reported failed")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    sections = args.only or SECTIONS
    settings = {"events": args.events, "actors": args.actors, "camps": args.camps, "flip": args.flip,
                "seed": args.seed, "chunk": args.chunk}
    env = dict(os.environ, OMP_NUM_THREADS="1", PYTHONPATH=os.pathsep.join([str(bench.ROOT), str(SCRIPTS)]))
    work = Path(tempfile.mkdtemp(prefix="actorgraph-bench-store-"))
    store = args.keep or work / "store"
    rows: list[dict] = []

    def row(section, command, target="", ok=None, **figures):
        rows.append({"section": section, "command": command, **figures, "target": target,
                     "pass": "" if ok is None else ("yes" if ok else "NO")})
        say(f"  {json.dumps(rows[-1])}")  # each figure as soon as it is measured
        return rows[-1]

    def say(text):
        print(text, file=sys.stderr, flush=True)

    try:
        camp = None
        if set(sections) - {"pandas"}:
            camp, made = prepare_store(store, args, settings, parser, say)
            row("generate", made.pop("command"), **made, value=f"{args.events:,} events")

        duck = ["--engine", "duckdb", "--memory-limit", args.memory_limit]

        def command(section, what, cmd, target_mb=4 * GiB):
            say(f"running {what} ...")
            got = measure_tree(cmd, env, args.cap)
            if got["rc"] != 0:
                say(f"  {what} failed: {got['err'].strip()[-800:]}")
            ok = None if target_mb is None else got["rc"] == 0 and got["peak_mb"] <= target_mb
            return got, row(section, what, f"peak <= {target_mb / GiB:g} GiB" if target_mb else "reported", ok,
                            seconds=round(got["wall"], 1), peak_MB=round(got["peak_mb"]), exit=got["rc"])

        data = ["--data", str(store)]
        if "validate" in sections:
            command("validate", "actorgraph validate", [*bench.ACTORGRAPH, "validate", *data, *duck])
        if "centrality" in sections:
            command("centrality", f"actorgraph centrality --metric {CENTRALITY_METRICS}",
                    [*bench.ACTORGRAPH, "centrality", "--metric", CENTRALITY_METRICS, *data, *duck, "--format", "csv"])
        if "clusters" in sections:
            got, r = command("clusters", "actorgraph clusters",
                             [*bench.ACTORGRAPH, "clusters", *data, *duck, "--format", "json"])
            if got["rc"] == 0:
                r["value"] = f"ARI {bench.clusters_ari(got['out'], camp):.3f}"
        if "timeline" in sections:
            command("timeline", "actorgraph timeline",
                    [*bench.ACTORGRAPH, "timeline", *data, *duck, "--format", "csv"])
        if "aggregation" in sections:
            say("running the aggregation step and the bare DuckDB GROUP BY ...")
            mine = measure_tree([bench.PYTHON, "-c", AGGREGATION, str(store), *duck], env, args.cap)
            spill = work / "floor-spill"
            floor = measure_tree([bench.PYTHON, "-c", BARE_GROUP_BY, str(store), args.memory_limit, str(spill)], env,
                                 args.cap)
            shutil.rmtree(spill, ignore_errors=True)
            step, bare = printed(mine, "the DuckDB engine's pair table", say), printed(floor, "the floor", say)
            ok = bool(step and bare)
            if ok and step[1:3] != bare[1:3]:
                say(f"  the pair table and the floor disagree (pairs, events): {step[1:3]} vs {bare[1:3]}")
                ok = False
            seconds, floor_seconds = (float(step[0]), float(bare[0])) if ok else (float("nan"), float("nan"))
            row("aggregation", "pair table, DuckDB engine vs bare DuckDB GROUP BY", "ratio <= 1.5",
                ok and seconds / floor_seconds <= 1.5, seconds=round(seconds, 2), floor_seconds=round(floor_seconds, 2),
                ratio=round(seconds / floor_seconds, 2), peak_MB=round(mine["peak_mb"]),
                floor_peak_MB=round(floor["peak_mb"]), value=f"{int(step[1]):,} pairs" if ok else "",
                exit=max(mine["rc"], floor["rc"], 0 if ok else 1))
        if "spark" in sections:
            spark = ["--engine", "spark", "--spark-master", args.spark_master]
            say(f"running the pair table with Spark ({args.spark_master}) ...")
            got = measure_tree([bench.PYTHON, "-c", AGGREGATION, str(store), *spark], env, args.cap)
            step = printed(got, "Spark's pair table", say)
            row("spark", f"pair table, Spark {args.spark_master} (JVM start apart)", "reported", None,
                seconds=round(float(step[0]), 1) if step else "", peak_MB=round(got["peak_mb"]),
                exit=got["rc"] if step else 1,
                value=f"{int(step[1]):,} pairs; Spark started in {float(step[3]):.0f} s" if step else "")
            command("spark", f"actorgraph centrality (Spark {args.spark_master})",
                    [*bench.ACTORGRAPH, "centrality", "--metric", CENTRALITY_METRICS, *data, *spark, "--format",
                     "csv"], target_mb=None)
            command("spark", f"actorgraph validate (Spark {args.spark_master})",
                    [*bench.ACTORGRAPH, "validate", *data, *spark], target_mb=None)
        if "pandas" in sections:
            pandas_path(args, env, work, rows, say)
    finally:
        shutil.rmtree(work, ignore_errors=True)  # the store too, unless it is kept elsewhere (--keep)

    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        from tabulate import tabulate

        columns = ["command", "seconds", "floor_seconds", "ratio", "peak_MB", "floor_peak_MB", "size_GB", "files",
                   "value", "exit", "target", "pass"]
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        data = (f"event store: {args.events:,} events" if camp is not None
                else f"CSV folders of {args.pandas_sizes} events")
        print(f"{data}, {args.actors:,} actors, {args.camps} camps, {args.flip:.0%} "
              f"flipped, seed {args.seed}; {os.cpu_count()} cores, load average at the end {load}; "
              f"DuckDB memory limit {args.memory_limit}; peak_MB is each process's peak RSS in MiB (Spark: its "
              "process tree's, sampled)")
        print(tabulate([[r.get(c, "") for c in columns] for r in rows], headers=columns, tablefmt="github"))
        for r in rows:
            if r.get("note"):
                print(r["note"])
    return 0 if all(r.get("exit", 0) == 0 and r["pass"] != "NO" for r in rows) else 1


PANDAS_COMMANDS = {"validate": ["validate"],
                   "centrality": ["centrality", "--metric", CENTRALITY_METRICS, "--format", "csv"],
                   "clusters": ["clusters", "--format", "json"],
                   "timeline": ["timeline", "--format", "csv"]}


def pandas_path(args, env: dict, work: Path, rows: list[dict], say) -> None:
    """Peak RSS of the CSV/pandas path at ``--pandas-sizes``, and the size at which it would reach 20 GB,
    extrapolated linearly (per command; the path stops at the first command to reach it)."""
    sizes = sorted(int(s) for s in args.pandas_sizes.split(",") if s.strip())
    commands = {name: cmd for name, cmd in PANDAS_COMMANDS.items() if name in args.pandas_commands.split(",")}
    peaks: dict[str, list[tuple[int, float]]] = {name: [] for name in commands}
    for size in sizes:
        worst = 0.0
        for name, points in peaks.items():  # the peak expected at this size, from the smaller ones
            if len(points) >= 2:
                worst = max(worst, linear_fit(*zip(*points))[0] + linear_fit(*zip(*points))[1] * size)
            elif points:
                worst = max(worst, points[0][1] * size / points[0][0])
        if worst > args.pandas_cap:
            say(f"skipping the pandas path at {size:,} events: its peak would be about {worst:,.0f} MB "
                f"(cap {args.pandas_cap:,.0f} MB)")
            continue
        folder = work / f"csv-{size}"
        say(f"writing a CSV folder of {size:,} events ...")
        bench.generate(folder, args.actors, size, args.camps, args.flip, seed=args.seed, chunk=args.chunk)
        for name, cmd in commands.items():
            say(f"running {name} on the CSV folder of {size:,} events ...")
            got = measure_tree([*bench.ACTORGRAPH, cmd[0], "--data", str(folder), *cmd[1:]], env, args.cap)
            if got["rc"] != 0:
                say(f"  failed: {got['err'].strip()[-800:]}")
            else:
                peaks[name].append((size, got["peak_mb"]))
            rows.append({"section": "pandas", "command": f"pandas: actorgraph {name}, {size / 1e6:g}M events (CSV)",
                         "seconds": round(got["wall"], 1), "peak_MB": round(got["peak_mb"]), "exit": got["rc"],
                         "target": "", "pass": ""})
            say(f"  {json.dumps(rows[-1])}")
        shutil.rmtree(folder, ignore_errors=True)
    fits = {name: linear_fit(*zip(*points)) for name, points in peaks.items() if len(points) >= 2}
    if not fits:
        rows.append({"section": "pandas", "command": "pandas path: largest size within 20 GB", "value": "",
                     "target": "reported", "pass": "", "exit": 1,
                     "note": "the pandas path needs at least two sizes measured to extrapolate"})
        return
    limit = PANDAS_LIMIT_GB * GiB
    reach = {name: size_within(limit, a, b) for name, (a, b) in fits.items()}
    stop = min(reach, key=reach.get)
    a, b = fits[stop]
    measured = ", ".join(f"{s / 1e6:g}M: {p:,.0f} MB" for s, p in peaks[stop])
    rows.append({"section": "pandas", "command": "pandas path: largest size within 20 GB (extrapolated)",
                 "value": f"{reach[stop] / 1e6:,.0f}M events", "target": "reported", "pass": "", "exit": 0,
                 "extrapolated_from": {name: peaks[name] for name in fits},
                 "note": f"pandas path: about {reach[stop] / 1e6:,.0f} million events fit in {PANDAS_LIMIT_GB} GB ({limit:,} MiB) "
                         f"({stop} reaches it first), EXTRAPOLATED linearly (peak = {a:,.0f} MB + "
                         f"{b * 1e6:,.0f} MB per million events) from its peak RSS measured at {measured}; "
                         "not measured at that size"})
