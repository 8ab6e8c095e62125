"""Words that refer back to an actor named earlier: definite descriptions and personal pronouns.

``Coreference`` reads an article's sentences in order, after ``Article.mentions``, and adds a mention
for each word it can resolve, explained by the earlier mention it refers to (``Mention.antecedent``):

- a **definite description**, "the plane" after "an Azerbaijan Airlines flight", "the rebels" after
  "the M23 rebels", "the ministry" after "Azerbaijan's foreign ministry": "the"/"this"/"these" (at
  most two lower-case modifiers) and a head noun an earlier mention was named with -- the word right
  after it ("Airlines *flight*"), its own last lower-case word ("M23 *rebels*"), an organisation
  word of its label ("Russian Foreign *Ministry*") or the noun closing an indefinite apposition
  ("Sputnik Azerbaijan, a Kremlin-funded media *outlet*,"); nouns of one class stand for each other
  ("plane" ~ "flight" ~ "aircraft"). The latest actor named with that head wins;
- a **personal pronoun** in subject position (opening a sentence: the previous sentence's subject, its
  first mention, when it fits) ("he", "she", "it", "they": at the start of a
  sentence or clause, after "said"/"that"/"and"...) or an object "him"/"her": the latest person or
  official for he/she/him/her (never the subject right before an object pronoun's verb: "Aliyev said
  Putin insulted *him*"), the latest state, body or group for "it", the latest group or plural-named
  body for "they". An "it" that a form of "be" (or "seems", "appears"...) follows is no actor.

A possessive pronoun before a noun for a state's own ground ("striking *their territory*", "its
soil") names the owner: the latest fitting actor that is not the subject right before the verb.
Other possessives ("its", "their") are left alone: they are part of keyword phrases ("recalled its
ambassador") and name events ("their deaths", see ``rules.anaphor_type``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from graph.text.actors import ORG_WORDS, ROLES, Mention
from graph.text.tokens import Token

#: Head nouns that stand for each other in a definite description.
HEAD_CLASSES = [frozenset({"plane", "aircraft", "airliner", "jet", "flight", "airplane"}),
                frozenset({"ship", "vessel", "boat", "frigate", "tanker"}),
                frozenset({"rebels", "rebel", "militants", "militant", "fighters", "insurgents", "militia"}),
                frozenset({"troops", "forces", "army", "military", "soldiers"}),
                frozenset({"outlet", "broadcaster", "newspaper", "channel", "agency"}),
                frozenset({"ministry", "department"})]
_DEFINITE = frozenset({"the", "this", "these"})
_PRONOUNS = frozenset({"he", "she", "him", "her", "it", "they", "its", "their"})
_FUNCTION = frozenset({"and", "or", "of", "to", "in", "on", "at", "for", "with", "by", "from", "as", "a", "an",
                       "the", "is", "was", "were", "are", "be", "has", "have", "had", "that", "which", "who"})
_PERSON_KINDS = frozenset({"person", "official"})
#: Actors whose name a common noun may follow as its head ("Azerbaijan Airlines flight"); a state's
#: ("Russian influence") is too often an adjective.
_ORGANISATIONS = frozenset({"institution", "media", "group"})
#: After these (or at the start of a sentence) a pronoun is a subject.
_SUBJECT_BEFORE = frozenset({",", "and", "but", "that", "because", "after", "when", "while", "since", "as", "if",
                             "so", "before", "once", "until", "though", "although", ";", ":", "—", "–", '"', "“",
                             "said", "says", "added", "stated", "told", "warned", "insisted", "claimed", "announced",
                             "noted", "argued", "believes", "believed"})
#: After "it" these make it no actor ("it is unclear", "it seems").
_EXPLETIVE_AFTER = frozenset({"is", "was", "'s", "seems", "seemed", "appears", "appeared", "remains", "remained",
                              "becomes", "became", "took", "takes", "happened"})
#: Nouns for a state's own ground after "its"/"their" ("striking their territory"). Not "border" or
#: "airspace": "closed its border" is a keyword phrase.
_OWN_PLACES = frozenset({"territory", "territories", "soil", "land", "lands", "waters"})
_MODALS = frozenset({"would", "will", "could", "may", "might", "should", "can", "must"})


def _stem(word: str) -> str:
    return word[:-1] if word.endswith("s") and len(word) > 3 and not word.endswith("ss") else word


@functools.lru_cache(maxsize=4096)
def _heads(word: str) -> frozenset[str]:
    stems = {word, _stem(word)}
    for cls in HEAD_CLASSES:
        if stems & cls:
            stems |= cls | {_stem(w) for w in cls}
    return frozenset(stems)


@dataclass
class Coreference:
    """One article's memory of who was named how, to resolve later references to them."""

    names_of: dict[str, list[str]]                          # actor id -> lower-case label and aliases
    heads: dict[str, Mention] = field(default_factory=dict)   # head noun -> latest mention named with it
    people: list[Mention] = field(default_factory=list)       # persons and officials, in text order
    things: list[Mention] = field(default_factory=list)       # states, bodies, groups, media
    groups: list[Mention] = field(default_factory=list)       # groups and bodies named in the plural
    subjects: list[Mention] = field(default_factory=list)     # the previous sentence's first mention

    def resolve(self, tokens: list[Token], text: str, mentions: list[Mention]) -> list[Mention]:
        """The sentence's mentions plus those of the words that refer back, in text order; then
        remember the sentence's mentions for the sentences after it."""
        taken = [False] * len(tokens)
        for m in mentions:
            taken[m.first:m.last] = [True] * (m.last - m.first)
        out = list(mentions)
        order = sorted(mentions, key=lambda m: m.first)
        i = 0
        while i < len(tokens):
            key = tokens[i].key
            found = None
            if not taken[i] and key in _DEFINITE:
                found = self._description(tokens, text, i, taken, order)
            elif not taken[i] and key in _PRONOUNS:
                found = self._pronoun(tokens, text, i, order)
            if found is not None:
                out.append(found)
                order = sorted(order + [found], key=lambda m: m.first)  # "It said it would ...": a chain
                taken[found.first:found.last] = [True] * (found.last - found.first)
                i = found.last
            else:
                i += 1
        out.sort(key=lambda m: m.first)
        for m in out:
            self._remember(tokens, m)
        self.subjects = [(out[0].antecedent_mention or out[0])] if out else []
        return out

    # definite descriptions -----------------------------------------------------------------------
    def _description(self, tokens, text, i, taken, order) -> Mention | None:
        """ "the plane", "the disputed rebels": the first of the (at most three) lower-case words after
        the determiner that an earlier mention was named with (no parser tells the head noun from a
        modifier or the verb after it, so each is tried, left to right)."""
        if tokens[i].key not in _DEFINITE:
            return None
        for j in range(i + 1, min(i + 4, len(tokens))):
            if taken[j] or not _lower_word(tokens[j]):
                return None
            if j + 1 < len(tokens) and tokens[j + 1].key == "of":  # "the ministry of X": named right there
                return None
            antecedent = self._latest_with_head(tokens[j].key, order, tokens[i].start)
            if antecedent is not None:
                return _refer(tokens, text, i, j + 1, antecedent, "definite description")
        return None

    def _latest_with_head(self, head: str, order: list[Mention], before: int) -> Mention | None:
        here = [m for m in order if m.end <= before and head in _own_heads(m, self.names_of)]
        if here:
            return here[-1]
        found = [self.heads[h] for h in _heads(head) if h in self.heads]
        return max(found, key=lambda m: m.start) if found else None

    # pronouns ----------------------------------------------------------------------------------------
    def _pronoun(self, tokens, text, i, order) -> Mention | None:
        key = tokens[i].key
        before = tokens[i - 1].key if i else ""
        subject = i == 0 or before in _SUBJECT_BEFORE
        nxt = tokens[i + 1].key if i + 1 < len(tokens) else ""
        here = [m for m in order if m.last <= i]
        if key in ("he", "she") and subject:
            pool = [m for m in here if m.actor.kind in _PERSON_KINDS] or self.people
        elif key in ("him",) or (key == "her" and not _lower_word_at(tokens, i + 1)):
            # never the subject right before the object pronoun's verb ("Putin insulted him")
            pool = [m for m in here if m.actor.kind in _PERSON_KINDS and not 0 < i - m.last <= 2] \
                or [m for m in self.people if not here or m.start < here[0].start]
        elif key in ("its", "their") and nxt in _OWN_PLACES:
            # "Thai jets were striking *their territory*": the owner, never the striking verb's subject
            fits = _plural if key == "their" else (lambda m: m.actor.kind not in _PERSON_KINDS)
            pool = [m for m in here if fits(m) and not 0 < i - m.last <= 4] or \
                [m for m in (self.groups if key == "their" else self.things) if not here or m.start < here[0].start]
            if pool:
                return _refer(tokens, text, i, i + 2, pool[-1], "possessive pronoun")
            return None
        elif key == "it" and subject and nxt not in _EXPLETIVE_AFTER and not (
                nxt in _MODALS and i + 2 < len(tokens) and tokens[i + 2].key == "be"):
            pool = [m for m in here if m.actor.kind not in _PERSON_KINDS] or self.things
        elif key == "they" and subject and nxt not in _EXPLETIVE_AFTER:
            pool = [m for m in here if _plural(m)] or self.groups
        else:
            return None
        if i == 0 and not here:  # a sentence opening with a pronoun continues the previous one's subject
            pool = [m for m in pool if m in self.subjects] or pool
        return _refer(tokens, text, i, i + 1, pool[-1], "pronoun") if pool else None

    def _remember(self, tokens, m: Mention) -> None:
        actor_mention = m.antecedent_mention or m
        for head in _own_heads(m, self.names_of):
            self.heads[head] = actor_mention
        if m.actor.kind in _ORGANISATIONS and m.last < len(tokens) and _lower_word(tokens[m.last]):
            for head in _heads(tokens[m.last].key):  # "an Azerbaijan Airlines *flight*"
                self.heads[head] = actor_mention
        for head in _apposition_heads(tokens, m):  # "Sputnik Azerbaijan, a Kremlin-funded media *outlet*,"
            self.heads[head] = actor_mention
        if m.rule == "pronoun":
            return
        (self.people if m.actor.kind in _PERSON_KINDS else self.things).append(actor_mention)
        if _plural(m):
            self.groups.append(actor_mention)


def _own_heads(m: Mention, names_of: dict[str, list[str]]) -> set[str]:
    """The head nouns a mention names its actor with: its own last lower-case word, and the
    organisation and role words of the actor's label and aliases."""
    words = m.text.split()
    own = _heads(words[-1]) if words and words[-1].isalpha() and words[-1].islower() else set()
    return own | _name_heads(tuple(names_of.get(m.actor.id, ())))


@functools.lru_cache(maxsize=4096)
def _name_heads(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(h for name in names for w in name.split() if w in ORG_WORDS or w in ROLES for h in _heads(w))


def _apposition_heads(tokens, m: Mention) -> set[str]:
    """The noun that closes an indefinite apposition right after the mention, with its class."""
    i = m.last
    if i + 2 >= len(tokens) or tokens[i].key != "," or tokens[i + 1].key not in ("a", "an"):
        return set()
    for j in range(i + 2, min(i + 8, len(tokens))):
        if tokens[j].key in (",", ".", ";"):
            return _heads(tokens[j - 1].key) if _lower_word(tokens[j - 1]) else set()
    return set()


def _plural(m: Mention) -> bool:
    last = m.text.split()[-1] if m.text.split() else ""
    return m.actor.kind == "group" or (last.islower() and last.endswith("s") and not last.endswith("ss"))


def _lower_word(token: Token) -> bool:
    return token.text.isalpha() and token.text.islower() and token.key not in _FUNCTION


def _lower_word_at(tokens, i) -> bool:
    return i < len(tokens) and _lower_word(tokens[i])


def _refer(tokens, text, first: int, last: int, antecedent: Mention, rule: str) -> Mention:
    start, end = tokens[first].start, tokens[last - 1].end
    target = antecedent.antecedent_mention or antecedent
    return Mention(first, last, start, end, text[start:end], target.actor, rule, antecedent_mention=target)

