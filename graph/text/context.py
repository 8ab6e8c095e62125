"""What an article has said so far, and the inferences drawn from it for a trigger the sentence alone
leaves short of a party: event anaphora ("condemned the raids", by the word that told the event
first), a mediator's parties, the victims of an earlier event, the agent of an act done "also", and
the target of an act whose sentence names only its actor (``inferred_target``: "also", the region in
play, the adversary in play, the partner of a relative clause's antecedent).

Every pair built here carries its rule and, where an actor comes from earlier sentences, an
``inferred_*`` flag; the mention that explains such an actor may lie in an earlier sentence.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from graph.text.actors import ActorRef, Mention
from graph.text.rules import (ANY_EVENT, LOCATIVE, MEDIATING_TYPES, Pair, Sentence, _relative_after, _same_side, _topic,
                              anaphor_type, conjuncts)

#: A state after one of these is a place ("met in Minsk"), not a party in play.
PLACES = LOCATIVE | {"in", "at"}
#: Verbs whose subject suffers the act ("X died during the raids").
DEATH_WORDS = frozenset({"died", "dies", "die", "perished", "perish"})
#: Words that say an act was done again, by the same hand ("were also detained").
AGAIN = frozenset({"also", "likewise", "similarly", "too"})
#: Types whose target is a territory: with none named, the region named last is the one in play.
PLACE_TYPES = frozenset({"peacekeeping_deployment", "non_intervention", "military_offensive", "invasion"})
#: Words that make an act go both ways between the two states in play.
MUTUAL = frozenset({"mutual", "reciprocal"})
_BE = frozenset({"was", "were", "been", "being", "is", "are", "be"})


@dataclass
class Memory:
    """One article's memory: acts by type, affiliations, and the states in play."""

    refs: dict[str, ActorRef]                  # the dictionary's actors by id
    parents: dict[str, str]                    # actor id -> affiliation (grows with proposed actors)
    latest: dict[str, Mention] = field(default_factory=dict)   # type (or ANY_EVENT) -> its latest actor
    known: dict[str, ActorRef] = field(default_factory=dict)   # actors named in the article
    state_counts: Counter = field(default_factory=Counter)     # states named so far, officials to theirs
    state_mention: dict[str, Mention] = field(default_factory=dict)  # state -> the words that last named it
    paragraph_states: list[str] = field(default_factory=list)
    latest_target: dict[str, Mention] = field(default_factory=dict)  # type -> the target of its latest act
    hostile: Counter = field(default_factory=Counter)          # frozenset of two states -> hostile acts
    last_region: Mention | None = None                         # the region named last, before this sentence

    def read(self, mentions: list[Mention]) -> None:
        """Learn the actors of a sentence before its triggers are read."""
        for m in mentions:
            self.known.setdefault(m.actor.id, m.actor)
            if m.actor.affiliation:
                self.parents.setdefault(m.actor.id, m.actor.affiliation)

    def after(self, sent: Sentence) -> None:
        """Count the sentence's states in play, once its triggers are read."""
        for m in sent.mentions:
            if m.actor.kind == "region":
                self.last_region = m
            state = self.state_of(m.actor.id)
            if state and not sent.governed(m, PLACES):
                self.state_counts[state] += 1
                if m.actor.id == state or state not in self.state_mention \
                        or self.state_mention[state].actor.id != state:  # the state's own name explains best
                    self.state_mention[state] = m
                self.paragraph_states.append(state)

    def acted(self, type_: str, source: Mention, keyword: str = "", target: Mention | None = None,
              polarity: str = "") -> None:
        """Remember who acted, by type, by the keyword that told it, and as the latest act; on whom;
        and, for a hostile act, that the two states are at odds."""
        self.latest[type_] = self.latest[ANY_EVENT] = source
        if keyword:
            self.latest[("kw", keyword)] = source
        if target is not None:
            self.latest_target[type_] = target
            a, b = self.state_of(source.actor.id), self.state_of(target.actor.id)
            if polarity == "hostile" and a and b and a != b:
                self.hostile[frozenset((a, b))] += 1

    def main_party(self, state: str) -> bool:
        """One of the two states the article has named most so far (a party, not a bystander)."""
        return state in [x for x, _ in self.state_counts.most_common(2)]

    def most_named(self, exclude: str, at_least: int = 2) -> str:
        """The state named most often in the article so far (at least ``at_least`` times), other than
        ``exclude``, or ''."""
        return next((x for x, n in self.state_counts.most_common() if x != exclude and n >= at_least), "")

    def saw(self, type_: str, keyword: str, pairs: list[Pair], head: str | None = None) -> None:
        """Note a trigger's pairs at once, so that a later trigger of the same sentence (or a later
        sentence) can name its event: by type, keyword, and the noun after it (``head``: "joint
        military *flights*" ... "condemned the flights")."""
        for p in pairs:
            self.latest[type_] = self.latest[ANY_EVENT] = self.latest[("kw", keyword)] = p.source
            if head:
                self.latest[("head", head)] = p.source

    def adversary(self, state: str) -> str:
        """The state ``state`` has been most at odds with in the article so far (hostile acts either
        way; on a tie the one named most recently), or ''."""
        counts = {next(iter(pair - {state})): n for pair, n in self.hostile.items() if state in pair}
        if not counts:
            return ""
        recent = {x: i for i, x in enumerate(self.paragraph_states)}
        return max(counts, key=lambda x: (counts[x], recent.get(x, -1), self.state_counts[x]))

    def state_of(self, actor_id: str) -> str:
        """The state an actor is or belongs to (up its affiliation chain), or ''."""
        node, seen = actor_id, set()
        while node and node not in seen:
            seen.add(node)
            ref = self.known.get(node) or self.refs.get(node)
            if ref is not None and ref.kind == "state":
                self.known.setdefault(node, ref)
                return node
            node = self.parents.get(node, ref.affiliation if ref is not None else "")
        return ""

    def parties(self, mediators: list[Mention], n: int = 2) -> list[str]:
        """The states in play, the paragraph's latest first, then the article's most named; never a
        mediator or a mediator's state."""
        exclude = {self.state_of(m.actor.id) for m in mediators} | {m.actor.id for m in mediators}
        ranked = list(reversed(self.paragraph_states)) + [k for k, _ in self.state_counts.most_common()]
        return [x for x in dict.fromkeys(ranked) if x not in exclude][:n]


def from_context(sent: Sentence, first: int, last: int, type_: str, pairs: list[Pair], alone: Mention | None,
                 events: dict[int, str], memory: Memory, text: str) -> list[Pair]:
    """The pairs of the trigger at ``[first, last)``, completed from the article so far when the
    sentence names too few parties (``alone``: its source when it found no target)."""
    keys = sent.keys
    if type_ in MEDIATING_TYPES and _subjects(sent, pairs, alone):
        mediators = _subjects(sent, pairs, alone)
        return [Pair(m, _party(memory.state_mention[x], memory.known[x], first, last), "inferred parties",
                     ["inferred_target"]) for m in mediators for x in memory.parties(mediators)]
    if keys[first] in DEATH_WORDS and keys[last:last + 1] in (["during"], ["in"]) and _subjects(sent, pairs, alone):
        # "X and Y died during the raids": whoever carried out the raids acts on each
        return [Pair(p.target, v, "victim of event") for v in _subjects(sent, pairs, alone)
                for p in anaphora(sent, last + 1, events, v, memory.latest, text)]
    if alone is not None and _agentless_again(sent, first, alone):
        # "Eight Russian nationals were also detained": by whoever acted last
        agent = memory.latest.get(type_) or memory.latest.get(ANY_EVENT)
        if agent is not None and agent.actor.id != alone.actor.id and not sent.related(agent.actor.id, alone.actor.id):
            return [Pair(agent, alone, "agent from context", ["inferred_source"])]
    if alone is not None:
        return anaphora(sent, last, events, alone, memory.latest, text)
    if not pairs and _mutual(keys, first):
        # "mutual ambassador summons and protest notes": each of the two states in play acts on the other
        parties = memory.parties([])
        if len(parties) == 2:
            a, b = (_party(memory.state_mention[x], memory.known[x], first, last) for x in parties)
            return [Pair(a, b, "mutual", ["inferred_source", "inferred_target"]),
                    Pair(b, a, "mutual", ["inferred_source", "inferred_target"])]
    return pairs


def inferred_target(sent: Sentence, first: int, last: int, type_: str, polarity: str, source: Mention,
                    memory: Memory, verbal: bool = True, earlier: list[Pair] = ()) -> list[Pair]:
    """A target for a directed act whose sentence names only its actor, from what the article said
    before, each flagged ``inferred_target``:

    - ``partner in the sentence``: a statement or diplomatic act in a relative clause ("Y, who
      expressed support") about an actor an earlier trigger of the sentence acted on (``earlier``:
      "X's call with Y, who ...") -- the one who acted on it;
    - ``also``: "Japan also condemned ..." -- whoever the latest act of that type was aimed at;
    - ``place in play``: an act aimed at a territory (``PLACE_TYPES``: "deploying peacekeepers",
      "did not intervene") -- the region named last, in the sentence before the trigger or earlier;
    - ``adversary in play``: a hostile statement or diplomatic act (``verbal``: "demanded
      accountability", "asserted greater autonomy"; not a killing or a strike, whose unnamed patient
      is somebody else) -- the state the actor's state has been most at odds with in the article so far,
      else, for one of the article's two most named states, the other state named most (twice at least).
    """
    keys = sent.keys
    if verbal and _relative_after(sent, source):
        partner = next((p.source for p in reversed(earlier)
                        if p.target.actor.id == source.actor.id and not _same_side(sent, source, p.source)), None)
        if partner is not None:
            return [Pair(source, partner, "partner in the sentence", ["inferred_target"])]
    start = sent.clause_start(first)
    if any(k in AGAIN for k in keys[max(start, source.last):first]) and type_ in memory.latest_target:
        target = memory.latest_target[type_]
        if not _same_side(sent, source, target):
            return [Pair(source, _party(target, target.actor, first, last), "also", ["inferred_target"])]
    if type_ in PLACE_TYPES:
        here = [m for m in sent.mentions if m.actor.kind == "region" and m.last <= first]
        region = here[-1] if here else memory.last_region
        if region is not None and not _same_side(sent, source, region):
            return [Pair(source, region if here else _party(region, region.actor, first, last), "place in play",
                         ["inferred_target"])]
        return []
    state = memory.state_of(source.actor.id)
    if polarity != "hostile" or not verbal or not state or _topic(keys, source):
        return []
    other = memory.adversary(state) or (memory.most_named(exclude=state) if memory.main_party(state) else "")
    if not other or other not in memory.state_mention:
        return []
    return [Pair(source, _party(memory.state_mention[other], memory.known[other], first, last), "adversary in play",
                 ["inferred_target"])]


def anaphora(sent: Sentence, last: int, events: dict[int, tuple[str, str, int]], source: Mention,
             latest: dict, text: str) -> list[Pair]:
    """ "Baku condemned the raids": the target is whoever carried out the latest raid (the latest
    event told with the same word first: "condemned the strikes" after "X struck ... Y shot down")."""
    found = anaphor_type(sent, last, events)
    if found is None:
        return []
    actor = next((latest[k].actor for k in found[0] if k in latest), None)
    if actor is None or actor.id == source.actor.id:
        return []
    a, b = sent.tokens[found[1]].start, sent.tokens[found[2] - 1].end
    return [Pair(source, Mention(found[1], found[2], a, b, text[a:b], actor, "event anaphora"), "event anaphora")]


def _subjects(sent: Sentence, pairs: list[Pair], alone: Mention | None) -> list[Mention]:
    """The subjects of a trigger that found no other party: "X and Y offered to mediate" (read as a
    joint subject) or "X mediated the talks" (no target)."""
    if pairs and all(p.rule == "joint subject" for p in pairs):
        found = {id(m): m for p in pairs for m in (p.source, p.target)}
        return sorted(found.values(), key=lambda m: m.first)
    if not pairs and alone is not None:
        return conjuncts(sent, alone, False)[::-1] + [alone]
    return []


def _agentless_again(sent: Sentence, first: int, subject: Mention) -> bool:
    """ "X were also detained": a passive trigger with no agent, marked as a repeat of an act."""
    before = sent.keys[subject.last:first]
    return bool(before) and any(k in _BE for k in before[-3:]) and any(k in AGAIN for k in before) \
        and sent.keys[first:first + 1] != ["by"]


def _mutual(keys: list[str], first: int) -> bool:
    """ "mutual" or "reciprocal" qualifies the trigger at ``first``: at most four words before it, in
    one phrase (no comma between)."""
    for i in range(first - 1, max(-1, first - 5), -1):
        if keys[i] in MUTUAL:
            return True
        if not keys[i].isalpha():
            return False
    return False


def _party(seen: Mention, state: ActorRef, first: int, last: int) -> Mention:
    """A party inferred from earlier words: the state, explained by the words that last named it
    (their character span may lie in an earlier sentence)."""
    return Mention(first, last, seen.start, seen.end, seen.text, state, "inferred party")
