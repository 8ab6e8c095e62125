"""The bundled data codes the article: its actors, its dated events, all valid and cited.

Expected facts are read off ../shared/sources/russia-azerbaijan-2025-07.txt by hand.
"""

from __future__ import annotations

import pytest

from graph.store.dataset import load_dataset
from tests.conftest import BUNDLED

ARTICLE = "Russia vs Azerbaijan: US warns its citizens to leave Baku immediately"


@pytest.fixture(scope="module")
def ds():
    return load_dataset(BUNDLED)


def test_bundled_data_is_valid_and_every_event_type_is_in_the_vocabulary(ds):
    # the vocabulary also ships types for other crises (apology, ceasefire...): not all are used here
    assert set(ds.edges["type"]) <= set(ds.types.index)
    assert len(set(ds.edges["type"])) == 37


def test_article_actors_are_present(ds):
    labels = " | ".join(ds.nodes["label"]).lower()
    for name in ("russia", "azerbaijan", "united states", "ukraine", "turkey", "kazakhstan", "iran", "israel",
                 "armenia", "putin", "ilham aliyev", "heydar aliyev", "zelenskyy", "peskov", "amy carlon",
                 "embassy in baku", "state department", "sputnik azerbaijan", "azerbaijan airlines", "police",
                 "investigators", "prosecutor general", "nato", "safarov", "nagorno-karabakh", "nakhchivan",
                 "zangezur", "community leaders", "diaspora", "russian nationals"):
        assert name in labels, name


def test_every_official_institution_and_outlet_has_an_affiliation(ds):
    bound = ds.nodes[ds.nodes["kind"].isin(["official", "institution", "media"])]
    assert (bound["affiliation"] != "").all(), list(bound.index[bound["affiliation"] == ""])


def test_every_event_has_a_note_and_cites_the_article(ds):
    assert (ds.edges["note"].str.len() > 10).all()
    assert ds.edges["citation"].str.contains(ARTICLE, regex=False).all()


@pytest.mark.parametrize("source, target, type_, date", [
    ("ru_police", "yekaterinburg_azerbaijanis", "raid", "2025-06-27"),   # Yekaterinburg raids
    ("azerbaijan", "sputnik_az", "raid", "2025-07-01"),                  # Sputnik office raid
    ("azerbaijan", "sputnik_az_staff", "arrest", "2025-07-01"),          # seven employees
    ("us_embassy_baku", "azerbaijan", "travel_advisory", "2025-07-04"),  # leave immediately
    ("us_state_dept", "carlon_amy", "appointment", "2025-06-23"),        # Deputy Chief of Mission
    ("aliyev_ilham", "usa", "intent_to_cooperate", "2025-07-04"),        # elevate US relations
    ("ru_air_defense", "azal", "shootdown", "2024-12"),                  # the crash
    ("russia", "azerbaijan", "mediation", "2020"),                       # 2020 ceasefire
    ("turkey", "azerbaijan", "military_support", "2020"),                # Turkey's backing
    ("azerbaijan", "nagorno_karabakh", "military_offensive", "2023"),    # recapture
    ("zelenskyy", "azerbaijan", "statement_of_support", "2025-07"),      # the Zelenskyy call
    ("ru_investigators", "az_prosecutor_general", "judicial_outreach", "2025-07"),
    ("peskov", "ukraine", "accusation", "2025-07"),
])
def test_article_event_is_coded_with_its_date(ds, source, target, type_, date):
    e = ds.edges
    hit = e[(e["source"] == source) & (e["target"] == target) & (e["type"] == type_)]
    assert date in set(hit["date"]), hit[["source", "target", "type", "date"]]


def test_reciprocal_summons_and_protest_notes(ds):
    e = ds.edges
    for type_ in ("summons", "protest_note"):
        rows = e[e["type"] == type_]
        assert len(rows) >= 2
        sides = {("ru" if s.startswith("ru") else "az") for s in rows["source"]}
        assert sides == {"ru", "az"}, type_
