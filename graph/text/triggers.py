"""Action triggers: the keywords of ``edge_types.csv`` in all their inflections, as one dictionary."""

from __future__ import annotations

from dataclasses import dataclass

from graph.text.inflect import phrase_forms
from graph.text.tokens import PhraseIndex, phrase_key

#: In a keyword phrase any of these stands for any other, or for none ("recall its ambassador" also
#: reads "recalled their ambassadors", "recalled the ambassador", "recalled ambassadors").
DETERMINERS = ("the", "its", "their", "his", "her", "a", "an", "all")


def _determiner_variants(tokens: tuple[str, ...]) -> set[tuple[str, ...]]:
    out = {tokens}
    for i, token in enumerate(tokens):
        if token in DETERMINERS and 0 < i < len(tokens) - 1:
            for variant in list(out):
                out |= {variant[:i] + (d,) + variant[i + 1:] for d in DETERMINERS}
                out.add(variant[:i] + variant[i + 1:])
    return {v for v in out if len(v) > 0}


@dataclass(frozen=True)
class TypeInfo:
    """What a candidate needs to know about an edge type."""

    type: str
    polarity: str
    directed: bool
    keyword: str = ""   # the vocabulary keyword a trigger phrase was generated from
    acts_through: str = ""  # the role through which a state usually acts ("foreign ministry" for summons)
    cameo: str = ""         # the type's CAMEO code, when the vocabulary gives one

    @property
    def verbal(self) -> bool:
        """A statement or a diplomatic act (CAMEO 01-16), not a physical one (17-20: coerce, assault,
        fight, mass violence): its addressee often goes unsaid, a physical act's patient rarely does."""
        return self.cameo[:2].isdigit() and int(self.cameo[:2]) < 17


def trigger_index(types) -> PhraseIndex:
    """A phrase index from every keyword form to its type (``types``: the edge types table, ``type`` index).

    The optional ``acts_through`` column names the role through which a state usually takes that
    action; ``extract`` then credits the state's actor of that role when the data has one.

    A form shared by two types goes to the first type in file order; an exact keyword beats a
    generated inflection of another keyword.
    """
    index: PhraseIndex = PhraseIndex()
    rows = []
    for key, row in types.iterrows():
        keywords = [k.strip() for k in str(row.get("keywords", "") or "").split(";") if k.strip()]
        directed = str(row.get("directed", "true")).strip().lower() != "false"
        role = str(row.get("acts_through", "") or "").strip().lower()
        cameo = str(row.get("cameo", "") or "").strip()
        rows.append((str(key), str(row.get("polarity", "")), directed, keywords, role, cameo))
    for key, polarity, directed, keywords, role, cameo in rows:
        for keyword in keywords:
            index.add(phrase_key(keyword), TypeInfo(key, polarity, directed, keyword, role, cameo))
    for key, polarity, directed, keywords, role, cameo in rows:
        for keyword in keywords:
            for form in phrase_forms(" ".join(phrase_key(keyword))):
                for variant in _determiner_variants(form):
                    index.add(variant, TypeInfo(key, polarity, directed, keyword, role, cameo))
    return index
