"""Reading across sentences, on hand-worked examples: event anaphora by the word that told the event,
coreference of pronouns and definite descriptions, inferred targets, and each one's explanation."""

from __future__ import annotations

import datetime as dt

from tests.test_extract_parts import _extract


def _events(got):
    return [(c.source, c.target, c.type) for c in got if "low_confidence" not in c.flags]


def test_an_event_named_again_is_the_one_told_with_the_same_word(tmp_path):
    # by type, "the strikes" (a shootdown keyword's form) would be Cambodia's shootdown, the latest one;
    # by the word, it is Thailand's "struck"
    got = _extract(tmp_path, "Thailand struck Cambodia on Monday. Later Cambodia shot down a jet of Thailand. "
                             "Russia condemned the strikes.")
    assert ("russia", "thailand", "condemnation") in _events(got)
    assert ("russia", "cambodia", "condemnation") not in _events(got)
    # a possessive and a modifier before the event noun: still the event
    got = _extract(tmp_path, "Russia raided Azerbaijan on Monday. Thailand condemned its brutal raids.")
    assert ("thailand", "russia", "condemnation") in _events(got)


def _found(got, source, target, type_):
    return next((c for c in got if (c.source, c.target, c.type) == (source, target, type_)), None)


def test_a_hostile_statement_with_no_addressee_is_aimed_at_the_adversary_in_play(tmp_path):
    text = ("Russia raided Azerbaijan on Monday. Azerbaijan condemned Russia. Later Azerbaijan demanded "
            "accountability. Thailand demanded restraint.")
    got = _extract(tmp_path, text)
    c = _found(got, "azerbaijan", "russia", "demand")
    assert c is not None and c.rule == "adversary in play" and "inferred_target" in c.flags
    # the target's words are those that named Russia last, in an earlier sentence: the explanation
    assert c.target_text == "Russia" and text[c.target_span[0]:c.target_span[1]] == "Russia"
    assert c.target_span[0] < c.start
    # a bystander's statement has no adversary
    assert not [c for c in got if c.source == "thailand"]


def test_a_physical_act_with_no_patient_named_gets_none(tmp_path):
    got = _extract(tmp_path, "Russia raided Azerbaijan on Monday. Azerbaijan condemned Russia. "
                             "The Azerbaijani army killed two.")
    assert not [c for c in got if c.type == "killing"]


def test_an_act_aimed_at_a_territory_takes_the_region_in_play(tmp_path):
    got = _extract(tmp_path, "When Azerbaijan recaptured Nagorno-Karabakh in 2023, Russian police did not intervene.")
    c = _found(got, "ru_police", "karabakh", "non_intervention")
    assert c is not None and c.rule == "place in play" and c.target_text == "Nagorno-Karabakh"


def test_also_carries_the_target_of_the_latest_act_of_that_type(tmp_path):
    got = _extract(tmp_path, "Russia condemned Azerbaijan on Monday. Thailand also voiced condemnation.")
    c = _found(got, "thailand", "azerbaijan", "condemnation")
    assert c is not None and c.rule == "also" and "inferred_target" in c.flags
