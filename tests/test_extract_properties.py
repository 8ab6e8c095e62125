"""Random text never crashes the extractor, and every candidate it returns points into the text."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.store.dataset import load_dataset
from graph.text.extract import Extractor, Source
from tests.conftest import BUNDLED

EXTRACTOR = Extractor(load_dataset(BUNDLED))
WORDS = ["Russia", "Azerbaijan", "Baku", "Thai", "the", "and", "by", "was", "arrested", "accused", "of", "not",
         "would", "President", "Aliyev", "'s", "’s", ",", ".", ";", "\n\n", "on", "Monday", "July", "4", "2025",
         "last", "week", "Ms.", "Anna", "Kowalska", "who", "between", "ceasefire", "talks", "Ukrainian", "police",
         # words that refer back: pronouns, definite descriptions, event nouns, feelings, "also"
         "he", "him", "it", "they", "their", "territory", "The", "plane", "ministry", "raids", "also", "outrage",
         "in", "demanded", "mediate", "peacekeepers"]


def _check(text: str) -> None:
    result = EXTRACTOR.extract([Source("t.txt", text)], dt.date(2025, 7, 9))
    for c in result.candidates:
        assert text[c.start:c.end] == c.sentence
        assert text[slice(*c.source_span)] == c.source_text
        assert text[slice(*c.target_span)] == c.target_text
        assert c.source != c.target
        for ref in (c.source_refers_to, c.target_refers_to):  # the earlier words a party refers back to
            assert ref is None or (text[ref[0]:ref[1]] == ref[2] and ref[1] <= c.end)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_any_text_never_crashes(text):
    _check(text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(WORDS), max_size=60))
def test_news_like_word_salad_never_crashes(words):
    _check(" ".join(words))
