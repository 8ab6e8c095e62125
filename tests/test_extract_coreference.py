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
