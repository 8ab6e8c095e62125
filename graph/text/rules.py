"""Who acts on whom: source and target of a trigger from the mentions around it, by word-order rules.

No parser: the rules read the tokens between mentions and trigger. In order of precedence:

- ``passive``: "... was arrested by X" -> X is the source, the subject before the verb the target;
- ``participle``: "Y, backed by X," -> X acts on Y;
- ``possessive``: "X's invasion of Y" -> X acts on Y;
- ``between``: "talks between X and Y";
- ``svo``: the nearest mention before the trigger that is not the object of a preposition (a mention
  just before "who"/"which" counts: "Zelenskyy, who expressed support ...") acts on the first
  mention after it, within the clause (``;``, "while", "but", "whereas" end a clause);
- ``conjunction``: "X and Y" on either side makes one event per actor;
- ``joint subject``: "X and Y clashed", "X and Y, once allies": no object, two subjects.

A mention after a locative preposition ("near X", "along X") is never the target; a mention already
the object of an earlier trigger in the sentence is never a later trigger's subject.

Flags: ``negated`` (not, never, denied... just before the trigger), ``modal`` (would, may, plans to,
threatened to...), ``reported`` (after said, claimed, alleged... earlier in the sentence).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graph.text.actors import Mention
from graph.text.tokens import Token

PREPOSITIONS = frozenset("""in of with to from for by under against toward towards into at on over via like between
among including through across after before during amid amidst without than as about upon within near""".split())
CLAUSE_ENDS = frozenset({";", "while", "whereas", "but", "although", "though", "however", ":", "—", "–"})
_RELATIVE = frozenset({"who", "which"})
#: A mention after one of these is a place, not the one acted upon ("clashed near the temple").
LOCATIVE = frozenset({"near", "inside", "outside", "along", "around", "beside"})
_BE = frozenset({"was", "were", "been", "being", "is", "are", "be", "get", "got", "gets"})
NEGATIONS = frozenset({"not", "n't", "never", "no", "neither", "nor", "without", "denied", "deny", "denies",
                       "absence", "refused", "refuses", "failed", "fails", "rejected"})
MODALS = frozenset("""would could may might will should can shall plan plans planned planning threaten threatens
threatened threatening intend intends intended intending potential possible possibly proposed propose expected
likely seek seeks sought aim aims aimed ready vowed vow vows pledged pledge if considering consider considers
risk risks warned offered offers offer""".split())
REPORTING = frozenset("""said says say told tell tells stated claimed claims claim alleged alleges allege reported
according announced insisted insists added noted suggested suggests believe believes believed""".split())
_DETERMINERS = frozenset({"the", "a", "an", "its", "their", "his", "her", "some", "all", "two", "three", "several"})
_WINDOW_FLAG = 4


@dataclass
class Pair:
    """A source and target mention for one trigger, the rule that paired them and the flags."""

    source: Mention
    target: Mention
    rule: str
    flags: list[str] = field(default_factory=list)


def _governed(tokens: list[Token], m: Mention, words: frozenset = PREPOSITIONS) -> bool:
    """True when a preposition governs the mention ("with Moscow", "of the Kremlin")."""
    i = m.first - 1
    while i >= 0 and tokens[i].key in _DETERMINERS:
        i -= 1
    return i >= 0 and tokens[i].key in words


def _boundary_left(tokens, index: int) -> int:
    for i in range(index - 1, -1, -1):
        if tokens[i].key in CLAUSE_ENDS:
            return i + 1
    return 0


def _boundary_right(tokens, index: int) -> int:
    for i in range(index, len(tokens)):
        if tokens[i].key in CLAUSE_ENDS or tokens[i].key in _RELATIVE:
            return i
    return len(tokens)


def _window(tokens, first: int, words: frozenset, size: int = _WINDOW_FLAG) -> bool:
    return any(t.key in words for t in tokens[max(0, first - size):first])


def flags_for(tokens: list[Token], first: int, last: int) -> list[str]:
    """negated / modal / reported, read from the words before the trigger ``tokens[first:last]``."""
    flags = []
    if _window(tokens, first, NEGATIONS):
        flags.append("negated")
    if _window(tokens, first, MODALS, 5):
        flags.append("modal")
    if any(t.key in REPORTING for t in tokens[:first]):
        flags.append("reported")
    return flags


def _conjuncts(tokens, mentions: list[Mention], m: Mention, forward: bool) -> list[Mention]:
    """Mentions joined to ``m`` by "and" or commas ("X, Y and Z"), on the side given."""
    by_first = {x.first: x for x in mentions}
    by_last = {x.last: x for x in mentions}
    out, current = [], m
    while True:
        i = current.last if forward else current.first - 1
        step = 1 if forward else -1
        j = i
        if 0 <= j < len(tokens) and tokens[j].key in (",", "and"):
            j += step
            if 0 <= j < len(tokens) and tokens[j].key == "and":
                j += step
            while 0 <= j < len(tokens) and tokens[j].key in _DETERMINERS:
                j += step
            nxt = by_first.get(j) if forward else by_last.get(j + 1)
            if nxt is not None and (tokens[i].key == "and" or any(t.key == "and" for t in tokens[min(i, j):max(i, j) + 1])
                                    or _has_and_later(tokens, nxt, forward, by_first)):
                out.append(nxt)
                current = nxt
                continue
        return out


def _has_and_later(tokens, m, forward, by_first) -> bool:
    # "X, Y and Z": a comma joins only when an "and" closes the list
    if not forward:
        return False
    i = m.last
    return i < len(tokens) and tokens[i].key in (",", "and")


def pairs_for(tokens: list[Token], mentions: list[Mention], first: int, last: int, directed: bool,
              objects: frozenset = frozenset()) -> tuple[list[Pair], int | None]:
    """The (source, target) pairs for the trigger at ``tokens[first:last]``.

    ``objects`` holds the first token of mentions already taken as the object of an earlier trigger:
    they are not subjects ("summoning X and detaining Y": X does not detain).

    Also returns the token index from which later triggers belong to this one's complement
    ("accused X *of* stoking tensions"), or None.
    """
    left_edge, right_edge = _boundary_left(tokens, first), _boundary_right(tokens, last)
    before = [m for m in mentions if left_edge <= m.first and m.last <= first and m.first not in objects]
    after = [m for m in mentions if m.first >= last and m.last <= right_edge and not _governed(tokens, m, LOCATIVE)]
    source, target, rule = None, None, "svo"

    # passive "was struck by X" / participle "backed by X"
    by = next((i for i in range(last, min(last + 3, len(tokens))) if tokens[i].key == "by"), None)
    agent = next((m for m in after if by is not None and m.first > by and m.first - by <= 2), None)
    if agent is not None:
        be = any(t.key in _BE for t in tokens[max(0, first - 3):first])
        patient = _subject(tokens, before, first) if be else (before[-1] if before else None)
        if patient is not None:
            source, target, rule = agent, patient, "passive" if be else "participle"

    if source is None:
        owner = next((m for m in reversed(before) if m.last < len(tokens) and tokens[m.last].key == "'s"
                      and first - m.last <= 3), None)
        if owner is not None:
            source, rule = owner, "possessive"
        else:
            source = _subject(tokens, before, first)
        if tokens[last:last + 1] and tokens[last].key == "between" and len(after) >= 2:
            source, target, rule = after[0], after[1], "between"
        else:
            target = next((m for m in after if source is None or m.actor.id != source.actor.id), None)

    pairs: list[Pair] = []
    if source is not None and target is not None:
        sources = [source] + ([] if rule in ("passive", "participle", "between") else
                              [m for m in _conjuncts(tokens, mentions, source, False) if m.first >= left_edge])
        targets = [target] + ([] if rule == "between" else _conjuncts(tokens, mentions, target, True))
        for s in sources:
            for t in targets:
                if s.actor.id != t.actor.id:
                    pairs.append(Pair(s, t, rule if (s is source and t is target) else "conjunction"))
    elif source is not None:  # "X and Y clashed": one event between them
        partners = _conjuncts(tokens, mentions, source, False)
        for p in partners:
            if p.actor.id != source.actor.id:
                pairs.append(Pair(p, source, "joint subject"))

    complement = None
    if target is not None and target.last < len(tokens) and tokens[target.last].key in ("of", "for"):
        complement = target.last
    return pairs, complement


def _subject(tokens, before: list[Mention], first: int) -> Mention | None:
    """The acting mention before the trigger: nearest not governed by a preposition; a mention just
    before "who"/"which" between it and the trigger wins."""
    for m in reversed(before):
        between = tokens[m.last:first]
        if between and between[0].key in _RELATIVE or (len(between) > 1 and between[0].key == ","
                                                        and between[1].key in _RELATIVE):
            return m
        if not _governed(tokens, m):
            return m
    return None
