"""Who acts on whom: source and target of a trigger from the mentions around it, by word-order rules.

No parser: the rules read the tokens between mentions and triggers. In order of precedence:

- ``passive``: "... was arrested by X" -> X is the source, the subject before the verb the target;
- ``participle``: "Y, backed by X," -> X acts on Y;
- ``possessive``: "X's invasion of Y" -> X acts on Y;
- ``between``: "talks between X and Y"; for a mediating type "X offered to mediate between Y and Z"
  is X acting on each;
- ``gratitude``: "X thanked Y for its support" -> Y supports X;
- ``svo``: the nearest mention before the trigger that is not the object of a preposition (a mention
  just before "who"/"which" counts: "Zelenskyy, who expressed support ...", and so does one right
  before the trigger after a subordinator: "after the army shot down ...") acts on the first
  mention after it, before the next trigger and within the clause;
- ``conjunction``: "X and Y", "X, Y and Z" on either side makes one event per actor;
- ``joint subject``: "X and Y clashed", "X and Y, once allies": no object, two subjects; for a mutual
  (undirected) type also when the only object is a preposition's ("X and Y met in Z");
- ``under leader``: "Under X, Y did Z": X did Z too (X a person or official);
- ``event anaphora``: "Baku condemned the raids" -> the target is the actor who carried out the
  latest raid named earlier in the article; "decried these actions" -> whoever acted last (resolved
  by the caller, see ``anaphor_type``).

Clauses end at ``;``, "while", "but", "whereas", a dash, at ", with X -ing" (whose X is that
clause's subject: "with Russia brokering a ceasefire"), and, for objects, at ", -ing"; a reported
clause ("authorities alleged the plane was struck ...") starts after the reporting verb. A mention
after a locative preposition ("near X") is never a target, nor a topic ("in the Karabakh conflict"), nor one after "against" for a cooperative
type ("support against Russian bullying"); a mention already the object of an earlier trigger is
never a later one's subject; an actor never acts on its own affiliation chain (an official on its state).

Flags: ``negated`` (not, never, denied... in the three words before the trigger, after any earlier
trigger), ``modal`` (would, may, plans to, threatened to...), ``reported`` (after said, claimed...),
``speculative`` (a hedge after the trigger in its clause: could, may, suggests, signals...).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

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
                       "absence", "refused", "refuses", "failed", "fails", "rejected",
                       # ending something: "suspended all trade with India" is not trade
                       "suspended", "suspends", "suspend", "halted", "halts", "halt", "froze", "freezes",
                       "severed", "severs", "ended", "ends", "stopped", "stops", "cut", "cuts"})
MODALS = frozenset("""would could may might will should can shall plan plans planned planning threaten threatens
threatened threatening intend intends intended intending potential possible possibly proposed propose expected
likely seek seeks sought aim aims aimed ready vowed vow vows pledged pledge if considering consider considers
risk risks warned offered offers offer""".split())
#: Words after a trigger that make its clause commentary rather than a report of an act.
HEDGES = frozenset("""could might may would suggest suggests suggesting indicate indicates indicating signal signals
signaling signalling underscores underscore appears appear potentially""".split())
REPORTING = frozenset("""said says say told tell tells stated claimed claims claim alleged alleges allege reported
according announced insisted insists added noted suggested suggests believe believes believed""".split())
_DETERMINERS = frozenset({"the", "a", "an", "its", "their", "his", "her", "some", "all", "two", "three", "several"})
#: Words that are prepositions or open a subordinate clause: "after the army shot down X" -- a
#: mention right before the trigger is then its subject.
SUBORDINATORS = frozenset({"after", "before", "since", "until", "as", "when", "once"})
#: "X thanked Y for its support": Y is the source of the trigger after "for", X its target.
GRATITUDE = frozenset("""thank thanks thanked thanking praise praised praises hail hailed hails commend commended
commends credit credited credits""".split())
_POSSESSIVES = frozenset({"its", "their", "his", "her"})
#: Prepositions whose object may still be the actor when no better subject is found.
WEAK_GOVERNORS = frozenset({"in", "under", "from", "at", "since", "after", "during", "amid"})
#: Words before whoever is told to do something ("an advisory for / urging Americans to leave X").
_TELLING = frozenset("""for urging urged urge urges telling told tell asking asked ask ordering ordered order
    advising advised advise instructing instructed warning warned""".split())
_FUNCTION_WORDS = frozenset({"and", "or", "to", "of", "the", "a", "an", "in", "on", "at", "with", "for", "by", "from",
                             "as", "is", "are", "was", "were", "be", "has", "have", "had", "not", "will", "would"})
#: Nouns for what a party said happened ("a claim Moscow neither confirmed nor denied").
CLAIM_NOUNS = frozenset({"claim", "claims", "allegation", "allegations", "accusation", "accusations", "charge",
                         "charges", "assertion", "report", "reports"})
ANAPHORS = frozenset({"the", "these", "this", "those", "such"})
#: Words before a noun that names an event told earlier: determiners and possessive pronouns
#: ("attributing *their* deaths to ...").
EVENT_DETERMINERS = ANAPHORS | {"its", "their"}
#: Nouns that name whatever was just done ("condemned the move", "decried these actions").
GENERIC_EVENTS = frozenset({"move", "moves", "action", "actions", "measure", "measures", "step", "steps",
                            "incident", "incidents"})
ANY_EVENT = "*"
#: "backing in the Karabakh conflict": a mention right before one of these is the topic, not a target.
TOPIC_NOUNS = frozenset({"conflict", "conflicts", "war", "wars", "crisis", "dispute", "disputes", "standoff", "issue",
                         "question", "row", "rift", "feud"})
#: Types that are a feeling held by a people or a place ("outrage in Baku": Baku is outraged).
HELD_TYPES = frozenset({"outrage"})
_HOLDING = frozenset({"in", "among", "across"})
#: Types whose actor stands between two parties: with none named ("X offered to mediate", "X and Y
#: mediated the talks") the caller infers them from the paragraph and the article's main states.
MEDIATING_TYPES = frozenset({"mediation"})


@dataclass
class Pair:
    """A source and target mention for one trigger, the rule that paired them and the flags."""

    source: Mention
    target: Mention
    rule: str
    flags: list[str] = field(default_factory=list)


@dataclass
class Sentence:
    """A sentence's tokens, mentions and trigger spans, with the clause marks the rules share."""

    tokens: list[Token]
    mentions: list[Mention]
    triggers: list[tuple[int, int]]
    related: Callable[[str, str], bool] = lambda a, b: False
    absolute: dict[int, Mention] = field(init=False)   # token of ", with" -> the subject mention after it
    keys: list[str] = field(init=False)

    def __post_init__(self):
        self.keys = [t.key for t in self.tokens]
        by_first = {m.first: m for m in self.mentions}
        self.absolute = {}
        for i, key in enumerate(self.keys):
            if key == "with" and i > 0 and self.keys[i - 1] == ",":
                j = i + 1
                while j < len(self.keys) and self.keys[j] in _DETERMINERS:
                    j += 1
                m = by_first.get(j)
                if m is not None and m.last < len(self.keys) and self.keys[m.last].endswith("ing"):
                    self.absolute[i] = m

    # clause edges ----------------------------------------------------------------------------------
    def left_edge(self, first: int) -> int:
        for i in range(first - 1, -1, -1):
            key = self.keys[i]
            if key in CLAUSE_ENDS or i in self.absolute:
                return i + 1 if key in CLAUSE_ENDS else i
            if key in REPORTING:
                return i + 1  # the reported clause: "authorities alleged [the plane was struck by X]"
        return 0

    def clause_start(self, first: int) -> int:
        """Like ``left_edge`` but not stopping at a reporting verb."""
        for i in range(first - 1, -1, -1):
            if self.keys[i] in CLAUSE_ENDS or i in self.absolute:
                return i + 1 if self.keys[i] in CLAUSE_ENDS else i
        return 0

    def right_edge(self, last: int, strict: bool = True) -> int:
        """Where objects stop: the clause end and, if ``strict``, the next trigger; else the next comma."""
        nxt = min((f for f, _ in self.triggers if f >= last), default=len(self.keys)) if strict else len(self.keys)
        for i in range(last, nxt):
            if not strict and self.keys[i] == ",":
                return i
            key = self.keys[i]
            if key in CLAUSE_ENDS or key in _RELATIVE or i in self.absolute:
                return i
            if key == "," and i + 1 < len(self.keys) and self.keys[i + 1].endswith("ing") \
                    and not any(m.first == i + 1 for m in self.mentions):
                return i
        return nxt

    def governed(self, m: Mention, words: frozenset = PREPOSITIONS) -> bool:
        """True when a preposition governs the mention ("with Moscow", "of the Kremlin")."""
        i = m.first - 1
        while i >= 0 and self.keys[i] in _DETERMINERS:
            i -= 1
        if i in self.absolute and self.absolute[i] is m:
            return False
        return i >= 0 and self.keys[i] in words


def flags_for(tokens: list[Token], first: int, last: int, previous_end: int = 0, clause_start: int = 0) -> list[str]:
    """negated / modal / reported, read from the words before the trigger ``tokens[first:last]``.

    Negation reaches three words back (not past an earlier trigger); a modal or reporting word
    anywhere earlier in the clause counts ("the US may be positioning itself to ... support X");
    ``speculative``: a hedge after the trigger in its clause ("talks ... could stabilize relations",
    "X's pivot toward Y signals ...").
    """
    flags = []
    if any(t.key in NEGATIONS for t in tokens[max(previous_end, first - 3):first]):
        flags.append("negated")
    if any(t.key in MODALS for t in tokens[clause_start:first]):
        flags.append("modal")
    if any(t.key in REPORTING for t in tokens[clause_start:first]):
        flags.append("reported")
    end = next((i for i in range(last, len(tokens)) if tokens[i].key in CLAUSE_ENDS), len(tokens))
    if "modal" not in flags and any(t.key in HEDGES for t in tokens[last:end]):
        flags.append("speculative")  # "Direct talks between X and Y could stabilize relations"
    return flags


def conjuncts(s: Sentence, m: Mention, forward: bool) -> list[Mention]:
    """Mentions joined to ``m`` by "and" or by commas closed by "and" ("X, Y and Z"), on one side."""
    by_first = {x.first: x for x in s.mentions}
    by_last = {x.last: x for x in s.mentions}
    out, current = [], m
    while True:
        i = current.last if forward else current.first - 1
        step = 1 if forward else -1
        while not forward and i > 0 and s.keys[i] in _DETERMINERS:  # "X and the Y"
            i -= 1
        if not (0 <= i < len(s.keys)) or s.keys[i] not in (",", "and"):
            return out
        j = i + step
        if 0 <= j < len(s.keys) and s.keys[j] == "and":
            j += step
        while 0 <= j < len(s.keys) and s.keys[j] in _DETERMINERS:
            j += step
        nxt = by_first.get(j) if forward else by_last.get(j + 1)
        if nxt is None:
            return out
        span = s.keys[min(i, j):max(i, j) + 1]
        # backward, a comma before an "and" already crossed lists one more ("X, Y and Z")
        closes = "and" in span or (forward and nxt.last < len(s.keys) and s.keys[nxt.last] in (",", "and")) \
            or (not forward and bool(out))
        if not closes:
            return out
        out.append(nxt)
        current = nxt


def pairs_for(s: Sentence, first: int, last: int, directed: bool, polarity: str = "",
              objects: frozenset = frozenset(), strict: bool = True,
              third_party: bool = False, held: bool = False) -> tuple[list[Pair], int | None, Mention | None]:
    """The (source, target) pairs for the trigger at ``tokens[first:last]``.

    With ``third_party`` (a mediating type) "X mediates between Y and Z" is X acting on Y and on Z.
    With ``held`` (a feeling: ``HELD_TYPES``) "X fueled outrage *in Y*" is Y's outrage at X (rule
    ``feeling held``); with no X named, Y is returned alone (its target is then inferred).

    ``objects`` holds the first token of mentions already the object of another trigger; with
    ``strict`` False the object may lie past the next trigger, up to the next comma. Returns
    the pairs; the token from which later triggers belong to this one's complement ("accused X *of*
    stoking tensions"), or None; and the source when no target was found (for event anaphora).
    """
    tokens, keys = s.tokens, s.keys
    thanked = _gratitude(s, first)
    if thanked is not None:
        return [Pair(thanked[1], thanked[0], "gratitude")], None, None
    left, right = s.left_edge(first), s.right_edge(last, strict)
    holder = _holder(s, last) if held else None
    if holder is not None:
        cause = _subject(s, [m for m in s.mentions if left <= m.first and m.last <= first], first)
        if cause is not None and not _same_side(s, cause, holder):
            return [Pair(holder, cause, "feeling held")], None, None
        return [], None, holder
    if _in_relative(s, first):  # "Z, who expressed support ..., further inflamed Moscow": ends at the comma
        right = next((i for i in range(last, right) if keys[i] == ","), right)
    # an earlier trigger's object right before this trigger (or "to" + it) is its subject too: "pushed
    # Moscow to rely on", "alleged that Thailand shelled"
    before = [m for m in s.mentions if left <= m.first and m.last <= first
              and (m.first not in objects or _relative_after(s, m) or keys[m.last:first] in (["to"], []))]
    blocked = LOCATIVE | ({"against"} if polarity == "cooperative" else frozenset())
    after = [m for m in s.mentions if m.first >= last and m.last <= right and not s.governed(m, blocked)
             and not _topic(keys, m)]
    source, target, rule = None, None, "svo"

    # passive "was struck by X" / participle "backed by X"
    by = next((i for i in range(last, min(last + 3, len(tokens))) if keys[i] == "by"), None)
    agent = next((m for m in s.mentions if by is not None and m.first > by and m.first - by <= 2), None)
    if agent is not None:
        be = any(k in _BE for k in keys[max(0, first - 3):first])
        patient = _subject(s, before, first) if be else (before[-1] if before else None)
        if patient is not None:
            source, target, rule = agent, patient, "passive" if be else "participle"
        elif be:  # "the plane was struck by X": the patient is not an actor we know
            return [], None, None

    if source is None:
        owner = next((m for m in reversed(before) if m.last < len(tokens) and keys[m.last] == "'s"
                      and first - m.last <= 3), None) or _demonym_owner(s, first)
        if owner is not None:
            source, rule = owner, "possessive"
        else:
            source = _subject(s, before, first)
        if source is None and left > s.clause_start(first):  # "X said it would ...": the speaker acts
            wider = [m for m in s.mentions if s.clause_start(first) <= m.first and m.last <= left
                     and m.first not in objects]
            source = _subject(s, wider, left)
        if source is None:  # "fury in Azerbaijan, leading to the cancellation of ...": a weaker guess
            source = next((m for m in reversed(before) if s.governed(m, WEAK_GOVERNORS)), None)
            rule = "nearest" if source is not None else rule
        if keys[last:last + 1] == ["between"] and len(after) >= 2:
            if third_party and source is not None:  # "Turkey offered to mediate between X and Y"
                return [Pair(m, p, "between") for m in [source] + conjuncts(s, source, False)
                        for p in after[:2] if not _same_side(s, m, p)], None, None
            source, target, rule = after[0], after[1], "between"
        else:
            # "an advisory for Americans to leave Azerbaijan": who is told to act is not the one acted on
            told = [m for m in after if s.governed(m, _TELLING) and keys[m.last:m.last + 1] == ["to"]]
            if told and len(after) > len(told):
                after = [m for m in after if m not in told]
            target = next((m for m in after if source is None or not _same_side(s, source, m)), None)
            if target is not None and source is not None and not directed and s.governed(target) \
                    and not s.governed(target, frozenset({"with"})) and conjuncts(s, source, False):
                target = None  # "X and Y met in Z": a mutual act between the two subjects, Z is a place

    if source is not None and target is None:  # "X alleged ..., a claim Moscow denied": Moscow answers X
        target = _claimant(s, source)
        rule = "claim" if target is not None else rule

    pairs: list[Pair] = []
    if source is not None and target is not None:
        sources = [source] + ([] if rule in ("passive", "participle", "between") else
                              [m for m in conjuncts(s, source, False) if m.first >= left])
        targets = [target] + ([] if rule == "between" else conjuncts(s, target, True))
        if not directed and rule != "between":  # "would connect Azerbaijan to its Nakhchivan exclave"
            targets += _linked_to(s, target)
        for a in sources:
            for b in targets:
                if not _same_side(s, a, b):
                    pairs.append(Pair(a, b, rule if (a is source and b is target) else "conjunction"))
    elif source is not None:  # "X and Y clashed": one event between them
        for p in conjuncts(s, source, False):
            if not _same_side(s, p, source):
                pairs.append(Pair(p, source, "joint subject"))

    complement = None
    if target is not None and target.last < len(tokens) and keys[target.last] in ("of", "for"):
        complement = target.last
    alone = source if source is not None and not pairs else None
    return pairs, complement, alone


def _holder(s: Sentence, last: int) -> Mention | None:
    """The mention right after "in"/"among"/"across" behind a feeling noun: who holds the feeling."""
    if keys_at(s, last) not in _HOLDING:
        return None
    j = last + 1
    while j < len(s.keys) and s.keys[j] in _DETERMINERS:
        j += 1
    return next((m for m in s.mentions if m.first == j), None)


def keys_at(s: Sentence, i: int) -> str:
    return s.keys[i] if 0 <= i < len(s.keys) else ""


def under_leaders(s: Sentence) -> tuple[int, list[Mention]]:
    """ "Under Heydar Aliyev and his son Ilham, Azerbaijan maintained ...": the comma that closes a
    sentence-opening "Under ..." phrase and the people named in it (officials and persons), who act
    with the clause's subject. (-1, []) when the sentence does not open so."""
    if not s.keys or s.keys[0] != "under" or "," not in s.keys:
        return -1, []
    comma = s.keys.index(",")
    people = [m for m in s.mentions if m.last <= comma and m.actor.kind in ("official", "person")]
    return (comma, people) if people else (-1, [])


def anaphor_type(s: Sentence, last: int,
                 trigger_types: dict[int, tuple[str, str, int]]) -> tuple[tuple, int, int] | None:
    """ "condemned *the raids*", "attributing *their deaths*", "condemned *the deadly strikes*": what
    the words right after a determiner or possessive (and at most two lower-case modifiers) name, as
    the keys to look up, most specific first -- ``("kw", keyword)`` (the earlier event told with the
    same word: "the strikes" is India's "struck", not any shootdown), then its type -- and the token
    span; "decried *these actions*": ``(ANY_EVENT,)`` (whatever was done last); "condemned *the
    flights*" after "announced joint military flights": ``("head", "flight")``, the noun that followed
    an earlier trigger (see ``event_head``)."""
    if last >= len(s.keys) or s.keys[last] not in EVENT_DETERMINERS:
        return None
    heads = []
    for k in range(last + 1, min(last + 4, len(s.keys))):
        if k in trigger_types:
            type_, keyword, end = trigger_types[k]
            return (("kw", keyword), type_), last, end
        if s.keys[k] in GENERIC_EVENTS:
            return (ANY_EVENT,), last, k + 1
        if not (s.tokens[k].text.isalpha() and s.tokens[k].text.islower()) or s.keys[k] in _FUNCTION_WORDS:
            break
        heads.append(("head", stem(s.keys[k])))
    return (tuple(heads), last, last + 1 + len(heads)) if heads else None


def event_head(tokens: list[Token], last: int) -> str | None:
    """The noun right after a trigger ("joint military *flights*"), stemmed: a later "the flights"
    names that event."""
    if last < len(tokens) and tokens[last].text.isalpha() and tokens[last].text.islower() \
            and tokens[last].key not in _FUNCTION_WORDS:
        return stem(tokens[last].key)
    return None


def stem(word: str) -> str:
    """A crude singular: "flights" -> "flight" ("press" stays)."""
    return word[:-1] if word.endswith("s") and not word.endswith("ss") and len(word) > 3 else word


def _same_side(s: Sentence, a: Mention, b: Mention) -> bool:
    return a.actor.id == b.actor.id or s.related(a.actor.id, b.actor.id)


def _in_relative(s: Sentence, first: int) -> bool:
    """The trigger at ``first`` is in a relative clause opened by ", who"/", which" with no comma since."""
    for i in range(first - 1, 0, -1):
        if s.keys[i] == ",":
            return False
        if s.keys[i] in _RELATIVE:
            return s.keys[i - 1] == ","
    return False


def _relative_after(s: Sentence, m: Mention) -> bool:
    """The mention is followed by "who"/"which" (so it is the subject of what follows)."""
    nxt = s.keys[m.last:m.last + 2]
    return bool(nxt) and (nxt[0] in _RELATIVE or (len(nxt) > 1 and nxt[0] == "," and nxt[1] in _RELATIVE))


def _gratitude(s: Sentence, first: int) -> tuple[Mention, Mention] | None:
    """ "X thanked Y for its support": (X, Y) when the trigger at ``first`` follows "for [its]" after
    a mention Y that a gratitude verb governs, with X the subject before that verb."""
    i = first - 1
    if i >= 0 and s.keys[i] in _POSSESSIVES:
        i -= 1
    if i < 1 or s.keys[i] != "for":
        return None
    y = next((m for m in s.mentions if m.last == i), None)
    if y is None:
        return None
    v = y.first - 1
    while v >= 0 and s.keys[v] in _DETERMINERS:
        v -= 1
    if v < 1 or s.keys[v] not in GRATITUDE:
        return None
    x = _subject(s, [m for m in s.mentions if m.last <= v and m.first >= s.left_edge(v)], v)
    return (x, y) if x is not None and not _same_side(s, x, y) else None


def _subject(s: Sentence, before: list[Mention], first: int) -> Mention | None:
    """The acting mention before the trigger: nearest not governed by a preposition (or only by a
    subordinator, right before the trigger: "after the army shot down"); a mention just before
    "who"/"which" between it and the trigger wins."""
    for m in reversed(before):
        if m.last == first and s.governed(m, SUBORDINATORS):
            return m
        between = s.keys[m.last:first]
        if between and between[0] in _RELATIVE or (len(between) > 1 and between[0] == ","
                                                   and between[1] in _RELATIVE):
            return m
        if not s.governed(m) and not _in_apposition(s, m, first) and not _in_closed_relative(s, m, first):
            return m
    return None


def _in_closed_relative(s: Sentence, m: Mention, first: int) -> bool:
    """The mention sits inside a relative clause closed before the trigger: "Ruto, who chairs *the
    EAC*, called a summit" -- it is the clause's object, not the subject of what follows."""
    i = m.first - 1
    while i > 0 and s.keys[i] not in (",", *CLAUSE_ENDS):
        if s.keys[i] in _RELATIVE and s.keys[i - 1] == ",":
            return i + 1 < m.first and "," in s.keys[m.last:first]
        i -= 1
    return False


def _claimant(s: Sentence, answering: Mention) -> Mention | None:
    """Who made the claim named right before the answering mention ("a claim Moscow denied"): the
    subject of the nearest reporting verb or trigger before the claim noun."""
    k = answering.first - 1
    if k >= 0 and s.keys[k] in ("that", "which"):
        k -= 1
    if k < 1 or s.keys[k] not in CLAIM_NOUNS:
        return None
    said = [i for i in range(k - 1, -1, -1) if s.keys[i] in REPORTING] or \
        [i for i in range(k - 1, -1, -1) if any(f == i for f, _ in s.triggers)]
    if not said:
        return None
    claimant = _subject(s, [m for m in s.mentions if m.last <= said[0]], said[0])
    return claimant if claimant is not None and not _same_side(s, claimant, answering) else None


def _demonym_owner(s: Sentence, first: int) -> Mention | None:
    """ "Azerbaijani agricultural exports": a demonym before one or two adjectives of the trigger noun
    owns it, as "Azerbaijan's exports" would (even when it is also an earlier trigger's object)."""
    m = next((m for m in s.mentions if m.last < first <= m.last + 2), None)
    if m is None or m.rule != "demonym":
        return None
    between = s.tokens[m.last:first]
    return m if all(t.text.isalpha() and t.text.islower() and t.key not in _FUNCTION_WORDS for t in between) else None


def _linked_to(s: Sentence, target: Mention) -> list[Mention]:
    """The mention after "to" right behind an undirected trigger's object: both ends of a link."""
    i = target.last
    if s.keys[i:i + 1] != ["to"]:
        return []
    j = i + 1
    while j < len(s.keys) and j - i <= 3 and s.keys[j] in _DETERMINERS:
        j += 1
    return [m for m in s.mentions if m.first == j]


def _topic(keys: list[str], m: Mention) -> bool:
    """The mention names a topic, not a party: "the Karabakh conflict", "the Russia-Azerbaijan rift"."""
    i = m.last
    if keys[i:i + 1] == ["-"] and i + 2 < len(keys) and keys[i + 2] in TOPIC_NOUNS:
        return True  # "Russia-Azerbaijan rift": the first of a hyphened pair (one-word names)
    return i < len(keys) and keys[i] in TOPIC_NOUNS


def _in_apposition(s: Sentence, m: Mention, first: int) -> bool:
    """The mention sits in an indefinite apposition closed before the trigger: "Sputnik Azerbaijan,
    *a Kremlin-funded outlet*, and arresting" -- it describes the noun before it, it does not act."""
    i = m.first - 1
    while i >= 0 and s.keys[i] != ",":
        if s.keys[i] in CLAUSE_ENDS:
            return False
        i -= 1
    if i < 1 or s.keys[i + 1] not in ("a", "an"):
        return False
    return "," in s.keys[m.last:first]
