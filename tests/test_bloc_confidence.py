"""Bootstrap confidence (``clusters --confidence``): a planted example with a known answer, the core rule,
seeding, and the column in every output format."""

from __future__ import annotations

import itertools
import json
import math
import random

import pytest

from graph.analysis.alignment.confidence import bloc_confidence, stays_with_core
from graph.errors import ActorgraphError
from graph.store.dataset import load_dataset
from graph.view.select import select
from tests.conftest import write_dataset

CAMP_A, CAMP_B = ["a1", "a2", "a3", "a4"], ["b1", "b2", "b3", "b4"]
NODES = "id,label,kind\n" + "".join(f"{x},{x.upper()},state\n" for x in CAMP_A + CAMP_B + ["x"])


def planted_edges() -> list[str]:
    """Two camps, each pair inside tied by 3 support events (+3 each), every pair across by an arrest
    (-5). x is held in camp A by ONE support event with a1 (+3) against two meetings with b1 (+1.4 each)."""
    rows = []
    for camp in (CAMP_A, CAMP_B):
        rows += [f"{u},{v},support," for u, v in itertools.combinations(camp, 2) for _ in range(3)]
    rows += [f"{u},{v},arrest," for u in CAMP_A for v in CAMP_B]
    rows += ["x,a1,support,", "x,b1,meeting,1.4", "x,b1,meeting,1.4"]
    return rows


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    folder = write_dataset(tmp_path_factory.mktemp("planted"), NODES,
                           "source,target,type,weight\n" + "\n".join(planted_edges()) + "\n")
    return select(load_dataset(folder))


def x_stays_probability(n: int) -> tuple[float, float]:
    """Worked out independently of the code: in n draws from n events, let S be the draws of x's
    support event and M of its two meetings ((S, M, rest) is multinomial with p = 1/n, 2/n). x is with
    camp A when 3S > 1.4M and with B when 1.4M > 3S (equal only at S = 7, M = 15). Returns P(3S > 1.4M)."""
    strict = 0.0
    for s in range(n + 1):
        for m in range(n - s + 1):
            p = (math.comb(n, s) * math.comb(n - s, m) * (1 / n) ** s * (2 / n) ** m * ((n - 3) / n) ** (n - s - m))
            if 3 * s > 1.4 * m:
                strict += p
    return strict


def test_planted_example_has_the_known_answer(planted):
    scores = bloc_confidence(planted, resamples=300, seed=1)
    n = len(planted.events)
    assert n == 2 * 18 + 16 + 3
    expected = x_stays_probability(n)
    assert 0.45 < expected < 0.55  # the arithmetic: a coin toss, give or take
    assert abs(scores["x"] - expected) < 0.1  # 300 resamples: standard error about 0.03
    for firm in CAMP_A + CAMP_B:
        assert scores[firm] >= 0.97, (firm, scores[firm])
    assert set(scores) == set(CAMP_A + CAMP_B + ["x"])


def test_same_seed_same_answer_and_seeds_matter(planted):
    one = bloc_confidence(planted, resamples=40, seed=7)
    assert bloc_confidence(planted, resamples=40, seed=7) == one
    assert any(bloc_confidence(planted, resamples=40, seed=s)["x"] != one["x"] for s in (8, 9, 10))


def test_an_actor_held_by_one_event_alone_is_missing_from_a_third_of_resamples(tmp_path):
    # y's only tie is one support event with a1: it stays exactly when that event is drawn,
    # which has probability 1 - (1 - 1/n)^n.
    edges = [r for r in planted_edges() if not r.startswith("x,")] + ["y,a1,support,"]
    folder = write_dataset(tmp_path / "y", NODES + "y,Y,state\n", "source,target,type,weight\n" + "\n".join(edges) + "\n")
    view = select(load_dataset(folder))
    n = len(view.events)
    expected = 1 - (1 - 1 / n) ** n
    score = bloc_confidence(view, resamples=300, seed=3)["y"]
    assert abs(score - expected) < 0.09, (score, expected)


def test_core_rule_is_at_least_half_of_the_other_members():
    # Brute force over random partitions: "in the resample bloc holding more than half of the bloc"
    # equals "in the same bloc as at least half of the bloc's other members".
    rng = random.Random(5)
    for _ in range(2000):
        members = [f"m{i}" for i in range(rng.randint(2, 7))]
        bloc_of = {m: rng.randint(1, 3) for m in members if rng.random() < 0.85}
        by_hand = {m for m in members if m in bloc_of
                   and 2 * sum(1 for o in members if o != m and bloc_of.get(o) == bloc_of[m]) >= len(members) - 1}
        assert stays_with_core(members, bloc_of) == by_hand


def test_resamples_must_be_positive(planted):
    with pytest.raises(ActorgraphError):
        bloc_confidence(planted, resamples=0)


@pytest.fixture(scope="module")
def planted_folder(tmp_path_factory):
    return write_dataset(tmp_path_factory.mktemp("planted_cli"), NODES,
                         "source,target,type,weight\n" + "\n".join(planted_edges()) + "\n")


def test_confidence_in_table_json_and_csv(run, planted_folder):
    common = ["clusters", "--data", planted_folder, "--confidence", "--resamples", "30", "--seed", "2"]
    out = json.loads(run(*common, "--format", "json").output)
    assert set(out["confidence"]) == set(CAMP_A + CAMP_B + ["x"])
    assert all(0 <= v <= 1 for v in out["confidence"].values())
    csv = run(*common, "--format", "csv").output.splitlines()
    assert csv[0] == "id,label,cluster,bloc,held_by,confidence"
    row = next(line for line in csv if line.startswith("x,"))
    assert float(row.split(",")[-1]) == pytest.approx(out["confidence"]["x"])
    table = run(*common).output
    header = next(line for line in table.splitlines() if line.startswith("cluster "))
    assert header.split() == ["cluster", "bloc", "id", "label", "held_by", "confidence"]
    plain = run("clusters", "--data", planted_folder, "--format", "json").output
    assert "confidence" not in json.loads(plain)
