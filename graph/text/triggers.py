"""Action triggers: the keywords of ``edge_types.csv`` in all their inflections, as one dictionary."""

from __future__ import annotations

from dataclasses import dataclass

from graph.text.inflect import phrase_forms
from graph.text.tokens import PhraseIndex, phrase_key


@dataclass(frozen=True)
class TypeInfo:
    """What a candidate needs to know about an edge type."""

    type: str
    polarity: str
    directed: bool
    keyword: str = ""   # the vocabulary keyword a trigger phrase was generated from


def trigger_index(types) -> PhraseIndex:
    """A phrase index from every keyword form to its type (``types``: the edge types table, ``type`` index).

    A form shared by two types goes to the first type in file order; an exact keyword beats a
    generated inflection of another keyword.
    """
    index: PhraseIndex = PhraseIndex()
    rows = []
    for key, row in types.iterrows():
        keywords = [k.strip() for k in str(row.get("keywords", "") or "").split(";") if k.strip()]
        directed = str(row.get("directed", "true")).strip().lower() != "false"
        rows.append((str(key), str(row.get("polarity", "")), directed, keywords))
    for key, polarity, directed, keywords in rows:
        for keyword in keywords:
            index.add(phrase_key(keyword), TypeInfo(key, polarity, directed, keyword))
    for key, polarity, directed, keywords in rows:
        for keyword in keywords:
            for form in phrase_forms(" ".join(phrase_key(keyword))):
                index.add(form, TypeInfo(key, polarity, directed, keyword))
    return index
