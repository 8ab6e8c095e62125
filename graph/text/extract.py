"""Candidate events from articles: sentences -> mentions, triggers, dates -> rules -> scored candidates.

``Extractor(dataset)`` builds the actor and trigger dictionaries once; ``extractor.extract(sources)``
reads any number of articles. Nothing here prints or writes.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass, field

from graph.errors import ActorgraphError
from graph.store.dates import parse_span
from graph.text.actors import ROLES, ActorDictionary, ActorRef, Article, Mention
from graph.text.dates import DateMention, as_date, find_dateline, find_dates
from graph.text.coreference import Coreference
from graph.text.context import MUTUAL, Memory, from_context, inferred_target
from graph.text.rules import (CLAUSE_ENDS, EVENT_DETERMINERS, HELD_TYPES, MEDIATING_TYPES, WEAK_GOVERNORS, Pair,
                              Sentence, event_head, flags_for, pairs_for, under_leaders)
from graph.text.sentences import paragraph_starts, split_sentences
from graph.text.tokens import tokenize
from graph.text.triggers import trigger_index

#: How much each rule is trusted (the score starts here).
RULE_SCORE = {"passive": 0.9, "participle": 0.85, "possessive": 0.75, "between": 0.8, "svo": 0.8,
              "conjunction": 0.7, "joint subject": 0.6, "event anaphora": 0.6, "nearest": 0.5,
              "inferred parties": 0.6, "under leader": 0.5, "victim of event": 0.6, "agent from context": 0.5, "gratitude": 0.8,
              "claim": 0.7, "mutual": 0.6, "also": 0.6, "place in play": 0.6, "adversary in play": 0.55,
              "partner in the sentence": 0.6, "feeling held": 0.7}
#: What each flag does to the score.
FLAG_FACTOR = {"negated": 0.4, "modal": 0.7, "reported": 0.85, "new_actor": 0.85, "duplicate": 1.0,
               "headline": 0.6, "date_from_context": 0.95, "date_from_publication": 0.9,
               "inferred_target": 0.9, "inferred_source": 0.9, "repeat": 0.5,
               "speculative": 0.6}
#: Candidates scored below this, and every ``repeat``, are flagged ``low_confidence``: kept in the
#: review sheet (accept empty), left out of the table and JSON unless ``--min-score 0`` asks for them.
LOW_CONFIDENCE = 0.25
NOTE_LENGTH = 240


@dataclass
class Source:
    """One article: a name to cite (file name or ``-``) and its text."""

    name: str
    text: str


@dataclass
class Candidate:
    """A proposed event, with everything that explains it."""

    source: str
    target: str
    source_text: str
    target_text: str
    type: str
    polarity: str
    date: str
    date_text: str
    sentence: str
    file: str
    start: int
    end: int
    trigger: str
    flags: list[str]
    score: float
    note: str
    rule: str
    citation: str = ""
    source_span: tuple[int, int] = (0, 0)
    target_span: tuple[int, int] = (0, 0)
    trigger_span: tuple[int, int] = (0, 0)
    date_span: tuple[int, int] | None = None
    keyword: str = ""
    #: for a party named by a word that refers back ("the plane", "he"): the earlier words it refers to
    source_refers_to: tuple[int, int, str] | None = None
    target_refers_to: tuple[int, int, str] | None = None

    def as_dict(self) -> dict:
        """The JSON record: the spec's fields plus the spans and the rule that explain it."""
        return {
            "source": self.source, "target": self.target, "source_text": self.source_text,
            "target_text": self.target_text, "type": self.type, "polarity": self.polarity, "date": self.date,
            "date_text": self.date_text, "sentence": self.sentence, "file": self.file, "start": self.start,
            "end": self.end, "trigger": self.trigger, "flags": list(self.flags), "score": self.score,
            "note": self.note, "citation": self.citation, "rule": self.rule, "keyword": self.keyword,
            "source_span": list(self.source_span), "target_span": list(self.target_span),
            "trigger_span": list(self.trigger_span),
            "date_span": list(self.date_span) if self.date_span else None,
            "source_refers_to": _refers_dict(self.source_refers_to),
            "target_refers_to": _refers_dict(self.target_refers_to),
        }


def _refers_dict(ref: tuple[int, int, str] | None) -> dict | None:
    return None if ref is None else {"text": ref[2], "span": [ref[0], ref[1]]}


def _antecedent(m: Mention) -> tuple[int, int, str] | None:
    a = m.antecedent_mention
    return None if a is None else (a.start, a.end, a.text)


def _explain_references(pair) -> str:
    """ "; target 'the plane' = 'Azerbaijan Airlines' (1402-1421)": which earlier words a party's
    words refer back to, for the rule column."""
    out = ""
    for side, m in (("source", pair.source), ("target", pair.target)):
        a = m.antecedent_mention
        if a is not None:
            out += f"; {side} '{m.text}' = '{a.text}' ({a.start}-{a.end}, {m.rule})"
    return out


@dataclass
class NewActor:
    """An actor the text names that the data does not have yet."""

    id: str
    label: str
    kind: str
    affiliation: str
    aliases: list[str] = field(default_factory=list)
    mentions: int = 0

    def as_dict(self) -> dict:
        return {"id": self.id, "label": self.label, "kind": self.kind, "affiliation": self.affiliation,
                "aliases": list(self.aliases), "mentions": self.mentions}


@dataclass
class Extraction:
    """Everything ``extract`` found: candidates in text order and the new actors they use."""

    candidates: list[Candidate]
    new_actors: list[NewActor]

    def as_dict(self) -> dict:
        return {"candidates": [c.as_dict() for c in self.candidates],
                "new_actors": [a.as_dict() for a in self.new_actors]}


def _headline(text: str) -> bool:
    """A line in title case without end punctuation."""
    words = re.findall(r"[A-Za-z][\w'’-]*", text)
    if not words or text.rstrip().endswith((".", "!", "?", '"', "”")):
        return False
    capitalised = sum(w[0].isupper() for w in words if len(w) > 3)
    return capitalised >= max(1, len([w for w in words if len(w) > 3])) * 0.6


def make_note(sentence: str) -> str:
    """The sentence, white space collapsed, cut at a word boundary if very long."""
    note = " ".join(sentence.split())
    if len(note) > NOTE_LENGTH:
        note = note[:NOTE_LENGTH].rsplit(" ", 1)[0].rstrip(",;:") + " …"
    return note


def default_citation(source: Source, pub: dt.date) -> str:
    """The article's first line when it reads like a title, else its file name; with the date."""
    first = next((ln.strip() for ln in source.text.splitlines() if ln.strip()), "")
    title = first if 0 < len(first) <= 160 and not first.endswith(".") else source.name
    return f"{title} ({pub.isoformat()})"


def _overlap(a: str, b: str) -> bool:
    if not a or not b:
        return True  # an undated event may be any of them
    (s1, e1), (s2, e2) = parse_span(a), parse_span(b)
    return s1 <= e2 and s2 <= e1


class Extractor:
    """Dictionaries built once from a data set; ``extract`` runs them over articles."""

    def __init__(self, dataset):
        self.dataset = dataset
        self.dictionary = ActorDictionary.from_nodes(dataset.nodes)
        self.triggers = trigger_index(dataset.types)
        self._existing: dict[tuple, list[str]] = {}
        edges = dataset.edges
        for s, t, typ, date in zip(edges["source"], edges["target"], edges["type"], edges["date"]):
            self._existing.setdefault((frozenset((s, t)), typ), []).append(str(date or ""))

    def extract(self, sources: list[Source], pub_date: dt.date | None = None, citation: str | None = None) -> Extraction:
        """Candidates from every article; ``pub_date`` (else each article's dateline) resolves dates.

        Raises ActorgraphError when an article has no publication date to resolve against.
        """
        candidates: list[Candidate] = []
        new: dict[str, NewActor] = {}
        seen: dict[tuple, str] = {}
        for source in sources:
            pub = pub_date
            if pub is None:
                dateline = find_dateline(source.text)
                if dateline is None:
                    raise ActorgraphError(f"{source.name}: no publication date: the text has no dateline; "
                                          "give one with --date YYYY-MM-DD")
                pub = dt.date.fromisoformat(dateline.value)
            cite = citation or default_citation(source, pub)
            found = self._article(source, pub, cite, new)
            for c in found:
                key = (frozenset((c.source, c.target)), c.type)
                earlier = self._existing.get(key, [])
                if any(_overlap(c.date, d) for d in earlier):
                    c.flags.append("duplicate")
                elif seen.get((key, c.date), c.file) != c.file:  # the same event from another article
                    c.flags.append("duplicate")
                seen.setdefault((key, c.date), c.file)
            candidates.extend(found)
        used = {c.source for c in candidates} | {c.target for c in candidates}
        actors = [a for a in new.values() if a.id in used]
        for a in actors:  # a proposed role actor or person may hang on a proposed state
            if a.affiliation and a.affiliation in new and a.affiliation not in used:
                used.add(a.affiliation)
        return Extraction(candidates, [a for a in new.values() if a.id in used])

    # one article ---------------------------------------------------------------------------------
    def _article(self, source: Source, pub: dt.date, citation: str, new: dict[str, NewActor]) -> list[Candidate]:
        text = source.text
        article = Article(self.dictionary)
        coreference = Coreference(self.dictionary.names_of)
        paragraphs = paragraph_starts(text)
        out: list[Candidate] = []
        context: DateMention | None = None
        memory = Memory(self.dictionary.refs, dict(self.dictionary.parent))
        paragraph = -1
        last_full: dt.date | None = None
        seen_body = False
        for start, end in split_sentences(text):
            p = bisect.bisect_right(paragraphs, start)
            if p != paragraph:
                paragraph, context = p, None
                memory.paragraph_states = []
            sentence = text[start:end]
            headline = _headline(sentence) or (not out and not seen_body and _title_line(sentence))
            seen_body = seen_body or not headline
            tokens = tokenize(text, start, end)
            mentions = coreference.resolve(tokens, text, article.mentions(tokens, text, headline))
            for m in mentions:
                if m.antecedent_mention is None:
                    self._count(m.actor, m.text, new)
            dates = find_dates(text, start, end, pub, last_full)
            for d in dates:
                if as_date(d.value):
                    last_full = as_date(d.value)
            if not mentions and not MUTUAL & {t.key for t in tokens}:
                if dates:
                    context = dates[-1]
                continue
            taken = [False] * len(tokens)
            for m in mentions:
                taken[m.first:m.last] = [True] * (m.last - m.first)
            triggers = list(self.triggers.find(tokens, accept=lambda i, j, v: not any(taken[i:j])))
            # "threatened to sanction X": the infinitive belongs to the trigger that governs it
            triggers = [t for k, t in enumerate(triggers)
                        if not (k and [tok.key for tok in tokens[triggers[k - 1].last:t.first]] == ["to"])]
            # "mediated the talks", "died during the raids": the second names an earlier event (see
            # _anaphora), not a new act by the same subject
            named_events = {t.first: (t.value.type, t.value.keyword, t.last) for t in triggers}
            triggers = [t for k, t in enumerate(triggers) if not (k and _names_event(tokens, triggers[k - 1].last, t.first))]
            memory.read(mentions)
            sent = Sentence(tokens, mentions, [(t.first, t.last) for t in triggers],
                            related=lambda a, b: _related(memory.parents, a, b))
            absorbed_from = None
            objects: set[int] = set()
            previous_end = 0
            found_pairs, lone = {}, {}
            for strict in (True, False):  # objects before the next trigger first; then further, if free
                for match in triggers:
                    if not strict and found_pairs[match.first][0]:
                        continue
                    info = match.value
                    pairs, complement, alone = pairs_for(sent, match.first, match.last, info.directed,
                                                         info.polarity, frozenset(objects), strict,
                                                         info.type in MEDIATING_TYPES, info.type in HELD_TYPES)
                    if info.type in HELD_TYPES:  # "public fury in Azerbaijan": the data's Azerbaijani public
                        alone, pairs = self._public(alone, tokens, match.first), [
                            Pair(self._public(p.source, tokens, match.first), p.target, p.rule, p.flags) for p in pairs]
                    if strict:
                        pairs = from_context(sent, match.first, match.last, info.type, pairs, alone, named_events,
                                             memory, text)
                        if not {"negated", "modal"} & set(flags_for(tokens, match.first, match.last, 0,
                                                                    sent.clause_start(match.first))):
                            memory.saw(info.type, info.keyword, pairs, event_head(tokens, match.last))
                    found_pairs[match.first] = (pairs, complement)
                    lone[match.first] = alone
                    objects.update(p.target.first for p in pairs  # "Y, backed by X, reclaimed": Y still acts
                                   if p.rule not in ("joint subject", "inferred parties", "participle", "claim",
                                                     "feeling held"))
            _infer_targets(sent, triggers, found_pairs, lone, memory)
            comma, leaders = under_leaders(sent)
            for match in triggers:
                if absorbed_from is not None and match.first > absorbed_from:
                    if not any(k in CLAUSE_ENDS for k in sent.keys[absorbed_from:match.first]):
                        continue
                    absorbed_from = None  # "accused X of stoking tensions, while Y reached out": a new clause
                info = match.value
                pairs, complement = found_pairs[match.first]
                if leaders:  # the subject right after "Under X," is the clause's: X acts with it
                    subject = next((m for m in mentions if m.first > comma), None)
                    pairs = pairs + [Pair(x, p.target, "under leader") for p in pairs if p.source is subject
                                     for x in leaders if not sent.related(x.actor.id, p.target.actor.id)
                                     and x.actor.id != p.target.actor.id]
                if info.type == "accusation" and complement is not None:
                    absorbed_from = complement
                flags = flags_for(tokens, match.first, match.last, previous_end, sent.clause_start(match.first))
                previous_end = match.last
                trig_start, trig_end = tokens[match.first].start, tokens[match.last - 1].end
                for pair in pairs:
                    if pair.rule == "mutual":
                        pair = self._mutual_role(pair, tokens, match.first)
                    source_actor, rule = self._acting_body(pair.source.actor, info.acts_through), pair.rule
                    if source_actor is not pair.source.actor:
                        rule = f"{rule}; acts through its {info.acts_through}"
                    rule += _explain_references(pair)
                    date, date_flag = self._date(dates, context, trig_start, pub)
                    cflags = list(dict.fromkeys(flags + pair.flags + ([date_flag] if date_flag else [])
                                                + (["headline"] if headline else [])))
                    if pair.source.actor.new or pair.target.actor.new:
                        cflags.append("new_actor")
                    score = RULE_SCORE.get(pair.rule, 0.6)
                    for f in cflags:
                        score *= FLAG_FACTOR.get(f, 1.0)
                    if score < LOW_CONFIDENCE:
                        cflags.append("low_confidence")
                    candidate = Candidate(
                        source=source_actor.id, target=pair.target.actor.id,
                        source_text=pair.source.text, target_text=pair.target.text, type=info.type,
                        polarity=info.polarity, date=date.value if date else pub.isoformat(),
                        date_text=date.text if date else "", sentence=sentence, file=source.name, start=start,
                        end=end, trigger=text[trig_start:trig_end], flags=cflags, score=round(score, 3),
                        note=make_note(sentence), rule=rule, citation=citation,
                        source_span=(pair.source.start, pair.source.end),
                        target_span=(pair.target.start, pair.target.end), trigger_span=(trig_start, trig_end),
                        date_span=(date.start, date.end) if date else None, keyword=info.keyword,
                        source_refers_to=_antecedent(pair.source), target_refers_to=_antecedent(pair.target))
                    out.append(candidate)
                    if "negated" not in cflags and "modal" not in cflags:
                        memory.acted(info.type, pair.source, info.keyword, pair.target, info.polarity)
            if dates:
                context = dates[-1]
            memory.after(sent)
        return _mark_repeats(_dedup_sentence(out), lambda earlier, later: _covers(memory.parents, later, earlier))

    def _acting_body(self, actor: ActorRef, role: str) -> ActorRef:
        """A state's actor for the type's ``acts_through`` role ("Russia summoned" -> its foreign
        ministry), when the data has one; else the state itself."""
        if not role or actor.kind != "state" or actor.new:
            return actor
        body = self.dictionary.role_actor(actor, role, role)
        return actor if body.new or body.id == actor.id else body

    def _public(self, holder: Mention | None, tokens, first: int) -> Mention | None:
        """ "*public* fury in Azerbaijan": a state holding a feeling that "public" qualifies is the
        data's group of that state named as its public, when the data has one."""
        if holder is None or holder.actor.kind != "state" or first < 1 or tokens[first - 1].key != "public":
            return holder
        body = self.dictionary.member_group(holder.actor.id, "public")
        if body is None:
            return holder
        return Mention(holder.first, holder.last, holder.start, holder.end, holder.text, body, "public of a state")

    def _mutual_role(self, pair: Pair, tokens, first: int) -> Pair:
        """ "mutual ambassador summons": the role noun before the trigger names the target's body."""
        role = next((t.key for t in tokens[max(0, first - 2):first] if t.key in ROLES), None)
        if role is None or pair.target.actor.kind != "state":
            return pair
        body = self.dictionary.role_actor(pair.target.actor, role, role)
        if body.new:
            return pair
        target = Mention(pair.target.first, pair.target.last, pair.target.start, pair.target.end, pair.target.text,
                         body, pair.target.rule)
        return Pair(pair.source, target, pair.rule, pair.flags)

    @staticmethod
    def _date(dates: list[DateMention], context: DateMention | None, at: int, pub: dt.date):
        if dates:
            return min(dates, key=lambda d: abs(d.start - at)), ""
        if context is not None:
            return context, "date_from_context"
        return None, "date_from_publication"

    def _count(self, ref: ActorRef, text: str, new: dict[str, NewActor]) -> None:
        if not ref.new:
            return
        actor = new.get(ref.id)
        if actor is None:
            actor = new[ref.id] = NewActor(ref.id, ref.label, ref.kind, ref.affiliation)
            if ref.affiliation and ref.affiliation not in new:
                parent = self.dictionary.refs.get(ref.affiliation)
                if parent is not None and parent.new:
                    new[parent.id] = NewActor(parent.id, parent.label, parent.kind, parent.affiliation)
        actor.mentions += 1
        if actor.label.lower() not in text.lower() and text not in actor.aliases:
            actor.aliases.append(text)


def _infer_targets(sent: Sentence, triggers, found_pairs: dict, lone: dict, memory: Memory) -> None:
    """Give each directed trigger whose whole clause named only its actor (``lone``) a target from the
    article (``context.inferred_target``), in ``found_pairs``; not on top of a guessed actor ("the
    arrests of Azerbaijanis in Russia and the subsequent backlash": Russia is only the nearest name),
    though a feeling's holder after "in" is no guess."""
    for match in triggers:
        pairs, complement = found_pairs[match.first]
        source, info = lone[match.first], match.value
        if pairs or source is None or not info.directed or (
                source.first < match.last and sent.governed(source, WEAK_GOVERNORS)):
            continue
        earlier = [p for t in triggers if t.first < match.first for p in found_pairs[t.first][0]]
        found_pairs[match.first] = (inferred_target(sent, match.first, match.last, info.type, info.polarity,
                                                    source, memory, info.verbal, earlier), complement)


def _related(parents: dict[str, str], a: str, b: str) -> bool:
    """True when one actor is on the other's affiliation chain (an official and its state)."""
    for x, y in ((a, b), (b, a)):
        seen, node = set(), x
        while node in parents and node not in seen:
            seen.add(node)
            node = parents[node]
            if node == y:
                return True
    return False


def _title_line(sentence: str) -> bool:
    """A single line without end punctuation (the article's title)."""
    line = sentence.strip()
    return bool(line) and "\n" not in line and not line.endswith((".", "!", "?", '"', "”", ":"))


def _names_event(tokens, after: int, first: int) -> bool:
    """The words between two triggers make the second a reference to an event: "mediated *the*
    talks", "died *during the* raids"."""
    between = [t.key for t in tokens[after:first]]
    return (len(between) == 1 and between[0] in EVENT_DETERMINERS) or (
        len(between) == 2 and between[0] in ("during", "in", "over", "after") and between[1] in EVENT_DETERMINERS)


def _mark_repeats(candidates: list[Candidate], same=lambda a, b: a == b) -> list[Candidate]:
    """Flag ``repeat`` a candidate whose pair and type an earlier body sentence of the article already
    gave (with an overlapping date, or no date words of its own); a headline's candidate is a
    repeat when any body sentence gives it. The first telling is the one an analyst codes, so only
    a proposed telling counts: one hidden as ``low_confidence`` does not hide a later, clearer one.

    ``same(earlier, later)`` says a later party names an earlier one ("Russia's outreach" retells
    its investigators'): a later candidate whose source and target each name an earlier one's is a repeat."""
    body: dict[tuple, list[Candidate]] = {}
    by_type: dict[str, list[Candidate]] = {}
    for c in candidates:
        if "headline" in c.flags or "negated" in c.flags:
            continue
        key = (frozenset((c.source, c.target)), c.type)
        if any(e.start < c.start and (not c.date_text or _overlap(c.date, e.date))
               and _same_pair(same, e, c) for e in by_type.get(c.type, [])):
            _flag(c, "repeat")
        if "low_confidence" not in c.flags:
            body.setdefault(key, []).append(c)
            by_type.setdefault(c.type, []).append(c)
    for c in candidates:
        if "headline" in c.flags and (frozenset((c.source, c.target)), c.type) in body:
            _flag(c, "repeat")
    return candidates


def _same_pair(same, earlier: Candidate, later: Candidate) -> bool:
    """The same two actors either way round, or the same direction with each party named again."""
    return {earlier.source, earlier.target} == {later.source, later.target} or \
        (same(earlier.source, later.source) and same(earlier.target, later.target))


def _covers(parents: dict[str, str], general: str, specific: str) -> bool:
    """True when ``general`` is ``specific`` or up its affiliation chain (a state covers its bodies)."""
    seen, node = set(), specific
    while node not in seen:
        if node == general:
            return True
        seen.add(node)
        if node not in parents:
            return False
        node = parents[node]
    return False


def _flag(c: Candidate, flag: str) -> None:
    c.flags.append(flag)
    c.score = round(c.score * FLAG_FACTOR[flag], 3)
    if "low_confidence" not in c.flags:  # a repeat is never shown twice by default
        c.flags.append("low_confidence")


def _dedup_sentence(candidates: list[Candidate]) -> list[Candidate]:
    """One candidate per sentence, pair and type (the best scored)."""
    best: dict[tuple, Candidate] = {}
    for c in candidates:
        key = (c.start, frozenset((c.source, c.target)), c.type)
        if key not in best or c.score > best[key].score:
            best[key] = c
    keep = set(map(id, best.values()))
    return [c for c in candidates if id(c) in keep]
