"""Product test: the default `actorgraph clusters` on the bundled data reads as a reader of the article
would draw it (../shared/sources/russia-azerbaijan-2025-07.txt): Russia's camp and Azerbaijan's camp
apart, officials, agencies, outlets and diaspora groups with the state they belong to, few actors
standing apart and each explained, and Putin's regret to Azerbaijan among the tensions."""

from __future__ import annotations

import json

import pytest

from tests.conftest import BUNDLED

RUSSIA_SIDE = ["russia", "putin", "peskov", "ru_foreign_ministry", "ru_police", "ru_investigators",
               "ru_air_defense", "ru_ambassador_azerbaijan", "sputnik_az", "sputnik_az_staff",
               "ru_nationals_detained"]
AZERBAIJAN_SIDE = ["azerbaijan", "aliyev_ilham", "az_foreign_ministry", "az_ambassador_russia",
                   "az_prosecutor_general", "azal", "az_public", "az_diaspora_russia",
                   "yekaterinburg_azerbaijanis", "az_community_leaders", "huseyn_safarov", "ziyaddin_safarov",
                   "turkey", "ukraine", "zelenskyy", "usa", "us_state_dept", "us_embassy_baku"]


@pytest.fixture(scope="module")
def default(run_module):
    result = run_module("clusters", "--data", BUNDLED, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.fixture(scope="module")
def run_module():
    from click.testing import CliRunner

    from graph.cli import cli

    runner = CliRunner()
    return lambda *args: runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)


def bloc_of(out, actor):
    return next((c["name"] for c in out["clusters"] if actor in c["members"]), None)


def test_two_camps_named_after_their_states(default):
    assert default["method"] == "exact"
    assert [c["name"] for c in default["clusters"]] == ["Azerbaijan's bloc", "Russia's bloc"]
    assert {a: bloc_of(default, a) for a in RUSSIA_SIDE} == {a: "Russia's bloc" for a in RUSSIA_SIDE}
    assert {a: bloc_of(default, a) for a in AZERBAIJAN_SIDE} == {a: "Azerbaijan's bloc" for a in AZERBAIJAN_SIDE}


def test_few_stand_apart_and_each_only_by_hostility(default):
    # Israel's one tie is tension with Iran; the West's one tie is sanctions on Russia: no cooperative
    # tie holds either in a bloc, so neither is forced into the camp of its enemy's enemy.
    assert default["apart"] == ["israel", "the_west"]
    for actor in default["apart"]:
        assert default["support"][actor] and all(t["weight"] < 0 for t in default["support"][actor])
    # No signed tie and no affiliation: Kazakhstan (only the crash site), NATO (speculative), the corridor.
    assert default["unaligned"] == ["kazakhstan", "nato", "zangezur_corridor"]


def test_putins_regret_crosses_the_camps(default):
    crossing = {(t["source"], t["target"]) for t in default["frustrated_ties"]}
    assert ("azerbaijan", "putin") in crossing
    assert all(t["weight"] > 0 for t in default["frustrated_ties"])  # only cooperation across; no feud inside
    assert default["frustration"] <= default["free_frustration"] + default["tolerance"] * default["total_weight"]


def test_without_affiliation_the_free_optimum_is_the_old_picture(run_module):
    # The complaint, kept one flag away: Putin lands in Azerbaijan's cluster and Russia's
    # agencies each stand alone.
    out = json.loads(run_module("clusters", "--data", BUNDLED, "--format", "json", "--free",
                                "--affiliation-weight", "0").output)
    assert bloc_of(out, "putin") == bloc_of(out, "azerbaijan") != bloc_of(out, "russia")
    assert {"peskov", "ru_police", "ru_foreign_ministry", "sputnik_az"} <= set(out["apart"])


def test_show_export_and_map_agree_with_clusters(run_module, default, tmp_path):
    shown = json.loads(run_module("show", "putin", "--data", BUNDLED, "--format", "json").output)
    assert shown["bloc"] == "Russia's bloc"
    out = tmp_path / "g.json"
    assert run_module("export", "--data", BUNDLED, "--format", "json", "-o", out).exit_code == 0
    nodes = {n["id"]: n for n in json.loads(out.read_text())["nodes"]}
    assert nodes["ru_police"]["bloc"] == "Russia's bloc" and nodes["israel"]["bloc"] == "(apart)"
    assert nodes["az_public"]["cluster"] == next(c["id"] for c in default["clusters"] if "az_public" in c["members"])
