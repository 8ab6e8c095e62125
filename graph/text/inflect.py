"""English word forms for trigger keywords: every inflection of a verb or noun, by rule plus a table.

Generous on purpose: a form that is not an English word never matches anything, so generating
``"expeled"`` beside ``"expelled"`` costs nothing. Irregular verbs come from a table (base, past,
participle). Written for actorgraph instead of a lemmatiser so that it loads in microseconds.
"""

from __future__ import annotations

import functools

_IRREGULAR = """
arise arose arisen; awake awoke awoken; bear bore borne; beat beat beaten; become became become;
begin began begun; bend bent bent; bid bid bid; bind bound bound; bite bit bitten; bleed bled bled;
blow blew blown; break broke broken; bring brought brought; build built built; burn burnt burnt;
buy bought bought; catch caught caught; choose chose chosen; come came come; cut cut cut;
deal dealt dealt; dig dug dug; do did done; draw drew drawn; drive drove driven; eat ate eaten;
fall fell fallen; feed fed fed; feel felt felt; fight fought fought; find found found; flee fled fled;
fly flew flown; forbid forbade forbidden; foresee foresaw foreseen; forget forgot forgotten;
forgive forgave forgiven; freeze froze frozen; get got gotten; give gave given; go went gone;
grind ground ground; hang hung hung; have had had; hear heard heard; hide hid hidden; hit hit hit;
hold held held; hurt hurt hurt; keep kept kept; know knew known; lay laid laid; lead led led;
leave left left; lend lent lent; let let let; lie lay lain; light lit lit; lose lost lost;
make made made; mean meant meant; meet met met; mislead misled misled; overrun overran overrun;
oversee oversaw overseen; overtake overtook overtaken; overthrow overthrew overthrown; pay paid paid;
put put put; quit quit quit; read read read; rebuild rebuilt rebuilt; retake retook retaken;
ride rode ridden; ring rang rung; rise rose risen; run ran run; say said said; see saw seen;
seek sought sought; sell sold sold; send sent sent; set set set; shake shook shaken; shed shed shed;
shoot shot shot; shut shut shut; sink sank sunk; sit sat sat; slay slew slain; speak spoke spoken;
spend spent spent; split split split; spread spread spread; stand stood stood; steal stole stolen;
stick stuck stuck; strike struck struck; strive strove striven; swear swore sworn; sweep swept swept;
take took taken; teach taught taught; tear tore torn; tell told told; think thought thought;
throw threw thrown; undertake undertook undertaken; understand understood understood;
uphold upheld upheld; upset upset upset; wage waged waged; wake woke woken; wear wore worn;
weep wept wept; win won won; withdraw withdrew withdrawn; withhold withheld withheld;
write wrote written; shoot down shot down shot down
"""


def _irregular_table() -> dict[str, tuple[str, ...]]:
    table: dict[str, tuple[str, ...]] = {}
    for entry in _IRREGULAR.replace("\n", " ").split(";"):
        words = entry.split()
        if len(words) == 3:
            forms = tuple(dict.fromkeys(words))
            for word in words:
                table[word] = tuple(dict.fromkeys(table.get(word, ()) + forms))
    return table


_TABLE = _irregular_table()
_VOWELS = set("aeiou")


def _bases(word: str) -> set[str]:
    """Possible base forms of a word that may already be inflected (``accused`` -> ``accuse``...)."""
    bases = {word}
    if word.endswith("ied") and len(word) > 4:
        bases.add(word[:-3] + "y")
    elif word.endswith("ed") and len(word) > 4:
        bases.update({word[:-2], word[:-1]})
        if word[-3] == word[-4]:
            bases.add(word[:-3])
    if word.endswith("ing") and len(word) > 5:
        bases.update({word[:-3], word[:-3] + "e"})
        if word[-4] == word[-5]:
            bases.add(word[:-4])
    if word.endswith("ies") and len(word) > 4:
        bases.add(word[:-3] + "y")
    elif word.endswith("es") and len(word) > 4:
        bases.update({word[:-2], word[:-1]})
    elif word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        bases.add(word[:-1])
    return bases


def _regular(base: str) -> set[str]:
    forms = {base}
    if base.endswith("y") and len(base) > 2 and base[-2] not in _VOWELS:
        forms.update({base[:-1] + "ies", base[:-1] + "ied", base + "ing"})
    elif base.endswith(("s", "sh", "ch", "x", "z", "o")):
        forms.update({base + "es", base + "ed", base + "ing"})
    else:
        forms.add(base + "s")
    if base.endswith("e"):
        forms.update({base + "d", base[:-1] + "ing", base + "s"})
    elif not base.endswith("y") or base[-2] in _VOWELS:
        forms.update({base + "ed", base + "ing"})
    if len(base) >= 3 and base[-1] not in _VOWELS | set("wxy") and base[-2] in _VOWELS and base[-3] not in _VOWELS:
        forms.update({base + base[-1] + "ed", base + base[-1] + "ing"})  # stop -> stopped, expel -> expelled
    return forms


@functools.lru_cache(maxsize=4096)
def word_forms(word: str) -> frozenset[str]:
    """Every inflection of ``word`` (lower case), whichever form it is given in."""
    word = word.lower()
    if not word.isalpha():
        return frozenset({word})
    forms: set[str] = {word}
    for base in _bases(word) | {word}:
        if base in _TABLE:
            forms |= set(_TABLE[base]) | _regular(_TABLE[base][0])  # [0] is the base verb
    for base in _bases(word):
        forms |= _regular(base)
    return frozenset(forms)


def phrase_forms(phrase: str) -> set[tuple[str, ...]]:
    """Inflections of a keyword phrase as token tuples: the first and the last word vary, one at a time."""
    tokens = tuple(phrase.lower().split())
    if not tokens:
        return set()
    out = {tokens}
    for form in word_forms(tokens[0]):
        out.add((form,) + tokens[1:])
    if len(tokens) > 1:
        for form in word_forms(tokens[-1]):
            out.add(tokens[:-1] + (form,))
    return out
