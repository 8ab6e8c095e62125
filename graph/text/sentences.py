"""Splitting an article into sentences with their character offsets (no model: punctuation rules).

A sentence ends at ``.``, ``!`` or ``?`` (with closing quotes or brackets) followed by space and an
upper-case letter, a digit or an opening quote, unless the word before the dot is a known
abbreviation or a single initial. A blank line always ends a sentence (headlines
stand alone); a single line break ends one after end punctuation.
"""

from __future__ import annotations

import re

ABBREVIATIONS = frozenset("""
mr mrs ms dr prof gen lt col maj capt sgt cmdr adm gov sen rep rev st jr sr no vs etc inc ltd corp co
jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.g i.e approx dept est fig al
""".split())

_END = re.compile(r"""[.!?]+["'”’)\]]*(?=\s+["'“‘(\[]?[A-Z0-9])""")
_BREAK = re.compile(r"[ \t]*\n\s*")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")


def _is_abbreviation(text: str, dot: int) -> bool:
    line_start = text.rfind("\n", 0, dot) + 1
    if text[line_start:dot].strip().isdigit():  # "1." numbering a list item
        return True
    match = _WORD_BEFORE.search(text, max(0, dot - 12), dot + 1)
    if not match:
        return False
    word = match.group(1).lower().rstrip(".")
    return word in ABBREVIATIONS or (len(word) == 1 and match.group(1).isupper())


def _line_breaks(text: str, start: int, end: int):
    """``(end, next start)`` pairs where a line break ends a sentence.

    A blank line always does; a single line break does after end punctuation or before a list item
    (a hard-wrapped line that runs on is joined).
    """
    for match in _BREAK.finditer(text, start, end):
        blank = match.group().count("\n") > 1
        before = text[start:match.start()].rstrip()
        after = text[match.end():match.end() + 4]
        if blank or before.endswith((".", "!", "?", ":", '"', "”", "’")) or re.match(r"\d+\.|[-*•]\s", after):
            yield match.start(), match.end()


def split_sentences(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` offsets of each sentence of ``text``, stripped of surrounding white space."""
    cuts: list[tuple[int, int]] = []  # (end of one sentence, start of the next)
    for match in _END.finditer(text):
        if text[match.start()] == "." and match.end() - match.start() == 1 and _is_abbreviation(text, match.start()):
            continue
        cuts.append((match.end(), match.end()))
    cuts.extend(_line_breaks(text, 0, len(text)))
    cuts.sort()
    spans = []
    start = 0
    for end, next_start in cuts + [(len(text), len(text))]:
        if end < start:
            continue
        s, e = start, end
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            spans.append((s, e))
        start = next_start
    return spans


def paragraph_starts(text: str) -> list[int]:
    """Offsets where a paragraph (text after a blank line) starts."""
    return [0] + [m.end() for m in re.finditer(r"\n[ \t]*\n\s*", text)]
