"""Actor mentions: the data's actors, states from the country table, role nouns, unknown names.

``ActorDictionary.from_nodes(nodes)`` builds one longest-match dictionary from ``nodes.csv`` labels
and aliases (plus variants: without a leading "the", title + surname) and from the shipped country
table (names, demonyms, capitals) for states the data does not have. ``Article`` then finds the
mentions sentence by sentence, remembering who was named in full so that a bare surname resolves
once it is unambiguous in the article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from graph.text.countries import load_countries
from graph.text.tokens import PhraseIndex, Token, normal, phrase_key

TITLES = ("president", "prime minister", "premier", "chancellor", "king", "queen", "prince", "emir", "sheikh",
          "foreign minister", "defence minister", "defense minister", "interior minister", "minister",
          "secretary of state", "secretary", "spokesperson", "spokesman", "spokeswoman", "ambassador", "envoy",
          "general", "gen.", "colonel", "commander", "governor", "mayor", "senator", "judge", "prosecutor",
          "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "leader", "chief", "head", "deputy", "vice president",
          "opposition leader", "pope", "patriarch", "ayatollah")
OFFICIAL_TITLES = frozenset(t for t in TITLES if t not in ("mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.",
                                                           "pope", "patriarch", "leader", "opposition leader"))

#: Role nouns after a state ("Russian police", "Thailand's ambassador"): head word -> kind of actor.
ROLES = {
    "police": "institution", "ministry": "institution", "foreign ministry": "institution",
    "defence ministry": "institution", "defense ministry": "institution", "interior ministry": "institution",
    "army": "institution", "military": "institution", "armed forces": "institution", "forces": "institution",
    "troops": "institution", "navy": "institution", "air force": "institution", "air defenses": "institution",
    "air defences": "institution", "border guards": "institution", "coast guard": "institution",
    "security services": "institution", "intelligence": "institution", "investigators": "institution",
    "prosecutors": "institution", "prosecutor general": "institution", "prosecutor": "institution",
    "court": "institution", "supreme court": "institution", "parliament": "institution",
    "embassy": "institution", "central bank": "institution", "peacekeepers": "institution",
    "state media": "media", "state television": "media",
    "ambassador": "official", "envoy": "official", "president": "official", "prime minister": "official",
    "foreign minister": "official", "defence minister": "official", "defense minister": "official",
    "spokesperson": "official", "spokesman": "official", "diplomats": "group", "nationals": "group",
    "citizens": "group", "community leaders": "group", "community": "group", "soldiers": "institution",
}
#: One-word role nouns: a name holding one is a body of that role.
_ROLE_HEADS = frozenset(role for role in ROLES if " " not in role)
#: Counts before a member noun ("seven employees", "12 journalists").
NUMBER_WORDS = frozenset("""two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
    twenty thirty forty fifty hundred hundreds dozen dozens several some many""".split())
#: Nouns for the people belonging to an organisation or community.
MEMBER_NOUNS = frozenset({"employees", "staff", "staffers", "workers", "journalists", "members", "reporters",
                          "crew", "activists", "leaders", "officers", "students", "residents"})
#: Kinship nouns of an apposition that names a relative ("his son Ilham").
KIN = frozenset({"son", "daughter", "brother", "sister", "father", "mother", "wife", "husband", "nephew", "niece",
                 "cousin", "uncle", "aunt", "grandson", "granddaughter"})
#: Plural nouns after an adjective that name a group of states ("Western states", "Arab nations").
_GROUP_OF_STATES = frozenset({"states", "countries", "nations", "powers", "governments"})
#: Role nouns that stand for the state itself ("Thai authorities").
STATE_ITSELF = frozenset({"government", "authorities", "officials", "leadership", "administration", "leaders",
                          "counterpart", "counterparts"})
COUNTERPARTS = frozenset({"counterpart", "counterparts"})
#: Role words that name the same body: "Cambodian troops" finds a node called "... Armed Forces".
ROLE_SYNONYMS = [frozenset({"troops", "forces", "army", "military", "soldiers", "armed"}),
                 frozenset({"ministry", "mfa"}), frozenset({"envoy", "ambassador"}),
                 frozenset({"spokesperson", "spokesman", "spokeswoman"}),
                 frozenset({"investigators", "investigative", "prosecutor", "prosecutors"})]
_ROLE_ADJECTIVES = frozenset({"top", "senior", "chief", "new", "former", "acting", "local", "federal", "national",
                              "special", "riot", "military", "foreign", "own"})

ORG_WORDS = {
    "ministry": "institution", "agency": "institution", "committee": "institution", "council": "institution",
    "commission": "institution", "court": "institution", "parliament": "institution", "assembly": "institution",
    "office": "institution", "service": "institution", "embassy": "institution", "police": "institution",
    "guard": "institution", "army": "institution", "forces": "institution", "navy": "institution",
    "bank": "institution", "department": "institution", "directorate": "institution", "airlines": "institution",
    "airways": "institution", "company": "institution", "corporation": "institution", "university": "institution",
    "institute": "institution", "authority": "institution", "organization": "group", "organisation": "group",
    "union": "group", "party": "group", "movement": "group", "front": "group", "alliance": "group",
    "brigade": "group", "brigades": "group", "federation": "group", "coalition": "group", "group": "group",
    "association": "group", "network": "group", "news": "media", "times": "media", "post": "media",
    "tv": "media", "television": "media", "radio": "media", "press": "media", "gazette": "media",
    "region": "region", "province": "region", "caucasus": "region", "sea": "region", "gulf": "region",
    "strait": "region", "island": "region", "islands": "region", "valley": "region", "mountains": "region",
    "corridor": "region", "peninsula": "region", "desert": "region", "river": "region", "border": "region",
}
_CONNECTORS = frozenset({"of", "for", "de", "al", "al-", "bin", "van", "von", "der", "la", "le", "and"})
_NOT_NAMES = frozenset(normal(w) for w in """
The A An In On At By For From To Of And Or But However Meanwhile Also Although While When After Before Since
Under Over This That These Those It Its He She They We I You His Her Their Our Monday Tuesday Wednesday
Thursday Friday Saturday Sunday January February March April May June July August September October November
December Background Potential Further Regional Direct Additionally Western Eastern Northern Southern
Continued Shifting Catalysts Retaliatory Diplomatic Geopolitical Strategic Crisis Analysis Read Exit Mobile
Version Next New Two Three Four Five Six Seven Eight Nine Ten One Many Some Several Both Each Other Such Yet
Once Still Even Despite Amid Against Following According Earlier Later Today Yesterday Tomorrow Last If As
Officials Authorities Government Police Ministry Talks Sanctions Tensions Reuters AP AFP Mr Mrs Ms Dr
""".split())
_STATE_KINDS = frozenset({"state"})


@dataclass(frozen=True)
class ActorRef:
    """What a dictionary phrase names: an actor id (existing or proposed), its kind and how it is known."""

    id: str
    kind: str
    how: str                    # label, alias, variant, country, surname...
    label: str = ""
    affiliation: str = ""
    new: bool = False           # proposed: not in nodes.csv yet


@dataclass
class Mention:
    """An actor named in a sentence: token span, character span, the words, and the rule that found it."""

    first: int
    last: int
    start: int
    end: int
    text: str
    actor: ActorRef
    rule: str
    #: for a word that refers back ("the plane", "he"): the earlier mention that named the actor
    antecedent_mention: "Mention | None" = None


def slug(text: str) -> str:
    """An id from a label: lower case ASCII words joined by ``_``."""
    import unicodedata

    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", plain.lower()).strip("_") or "actor"


def _label_variants(label: str) -> list[str]:
    out = [label]
    if label.lower().startswith("the "):
        out.append(label[4:])
    return out


@dataclass
class ActorDictionary:
    """Every phrase that names an actor, and what the rules need to know about the actors."""

    phrases: PhraseIndex = field(default_factory=PhraseIndex)
    surnames: dict[str, list[ActorRef]] = field(default_factory=dict)
    refs: dict[str, ActorRef] = field(default_factory=dict)
    parent: dict[str, str] = field(default_factory=dict)
    names_of: dict[str, list[str]] = field(default_factory=dict)   # id -> lower-case label and aliases
    titles: PhraseIndex = field(default_factory=PhraseIndex)
    _roles: dict = field(default_factory=dict)   # (state, role, words) -> ActorRef, memoised

    @classmethod
    def from_nodes(cls, nodes) -> "ActorDictionary":
        """Build from a nodes table (``id`` index, columns label, kind, affiliation, aliases)."""
        self = cls()
        for title in TITLES:
            self.titles.add(phrase_key(title), title)
        rows = []
        for node_id, row in nodes.iterrows():
            label = str(row.get("label", "") or node_id)
            aliases = [a.strip() for a in str(row.get("aliases", "") or "").split(";") if a.strip()]
            ref = ActorRef(str(node_id), str(row.get("kind", "")), "label", label, str(row.get("affiliation", "") or ""))
            self.refs[ref.id] = ref
            if ref.affiliation:
                self.parent[ref.id] = ref.affiliation
            self.names_of[ref.id] = [label.lower()] + [a.lower() for a in aliases]
            rows.append((ref, label, aliases))
        # labels and aliases first: they win over generated variants and the country table
        for ref, label, aliases in rows:
            for variant in _label_variants(label):
                self.phrases.add(phrase_key(variant), ref)
            for alias in aliases:
                for variant in _label_variants(alias):
                    self.phrases.add(phrase_key(variant), ActorRef(ref.id, ref.kind, "alias", ref.label, ref.affiliation))
        for ref, label, aliases in rows:
            for name in (label, *aliases):
                # "Western states" -> "Western sanctions": the adjective names the group, as a demonym does
                words = name.split()
                if ref.kind == "group" and len(words) == 2 and words[1].lower() in _GROUP_OF_STATES:
                    self.phrases.add(phrase_key(words[0]), ActorRef(ref.id, ref.kind, "demonym", ref.label,
                                                                    ref.affiliation))
        for ref, label, aliases in rows:
            if ref.kind in ("person", "official") and len(label.split()) >= 2:
                surname = label.split()[-1]
                self.surnames.setdefault(normal(surname), []).append(ref)
        self._add_countries()
        for key, refs in self.surnames.items():
            if len(refs) == 1:  # title + surname: "President Aliyev" only when one actor has the surname
                for title in TITLES:
                    self.phrases.add(phrase_key(title) + (key,),
                                     ActorRef(refs[0].id, refs[0].kind, "title+surname", refs[0].label,
                                              refs[0].affiliation))
        return self

    def _add_countries(self) -> None:
        for country in load_countries():
            names = [n.lower() for n in country.names]
            known = next((ref for ref in self.refs.values() if ref.kind in _STATE_KINDS
                          and set(self.names_of.get(ref.id, ())) & set(names)), None)
            if known is None:
                new_id = slug(country.name)
                if new_id in self.refs:
                    new_id = country.code.lower()
                ref = ActorRef(new_id, "state", "country", country.name, "", new=True)
            else:
                ref = known
            self.refs.setdefault(ref.id, ref)
            for name, how in ([(n, "country") for n in (country.name, *country.aliases)]
                              + [(n, "demonym") for n in country.demonyms]
                              + [(n, "capital") for n in country.capitals]):
                for variant in _label_variants(name):
                    self.phrases.add(phrase_key(variant), ActorRef(ref.id, "state", how, ref.label, "", ref.new))

    def root(self, actor_id: str) -> str:
        """The top of an actor's affiliation chain (itself when it has none)."""
        seen = {actor_id}
        while actor_id in self.parent and self.parent[actor_id] not in seen:
            actor_id = self.parent[actor_id]
            seen.add(actor_id)
        return actor_id

    def member_group(self, actor_id: str, noun: str) -> ActorRef | None:
        """The data's group belonging directly to ``actor_id`` whose name has the member ``noun``."""
        stems = {noun, noun.rstrip("s")}
        for ref in self.refs.values():
            if ref.kind == "group" and self.parent.get(ref.id) == actor_id and any(
                    stems & set(re.findall(r"[a-z]+", name)) for name in self.names_of.get(ref.id, ())):
                return ActorRef(ref.id, ref.kind, "counted members", ref.label, ref.affiliation)
        return None

    def role_actor(self, state: ActorRef, role: str, words: str) -> ActorRef:
        """The actor a role noun next to a state stands for: an existing one of that state, or a new one."""
        key = (state.id, role, words.lower())
        if key not in self._roles:
            self._roles[key] = self._role_actor(state, role, words)
        return self._roles[key]

    def _role_actor(self, state: ActorRef, role: str, words: str) -> ActorRef:
        if role in STATE_ITSELF:
            return ActorRef(state.id, state.kind, "state body", state.label, "", state.new)
        head = role.split()[-1]
        stems = {head, head.rstrip("s"), head[:-1] if head.endswith("s") else head + "s"}
        for group in ROLE_SYNONYMS:
            if stems & group:
                stems |= group
        best, best_score = None, 0
        for ref in self.refs.values():
            if ref.new or ref.id == state.id or self.root(ref.id) != state.id:
                continue
            for name in self.names_of.get(ref.id, ()):
                # "Rwandan troops" ~ "Rwanda Defence Force": a name's words in the plural and singular too
                name_words = set(re.findall(r"[a-z]+", name))
                if name and not name_words & _ROLE_HEADS:  # "Rwanda Defence Force" ~ "Rwandan forces", but
                    last = re.findall(r"[a-z]+", name)[-1:]  # a "police force" is no army
                    name_words |= {f for w in last for f in (w + "s", w[:-1] if w.endswith("s") else w)}
                if not stems & name_words:
                    continue
                score = len(name_words & set(re.findall(r"[a-z]+", words.lower()))) + 1
                if score > best_score:
                    best, best_score = ref, score
        if best is not None:
            return ActorRef(best.id, best.kind, "role", best.label, best.affiliation)
        label = f"{state.label} {role}".strip()
        return ActorRef(slug(f"{state.id}_{role}"), ROLES.get(role, "institution"), "role", label, state.id, new=True)


#: Head nouns of a definite description that refers to the region named last ("the disputed region").
REGION_NOUNS = frozenset({"region", "territory", "enclave", "exclave", "province"})


@dataclass
class Article:
    """Per-article memory: actors named in full (for bare surnames) and new names seen so far."""

    dictionary: ActorDictionary
    named: dict[str, ActorRef] = field(default_factory=dict)      # surname key -> actor last named in full
    new_names: dict[str, ActorRef] = field(default_factory=dict)  # surname/label key -> proposed actor
    last_region: ActorRef | None = None                           # for "the disputed region"

    def mentions(self, tokens: list[Token], text: str, headline: bool = False) -> list[Mention]:
        """Actor mentions among a sentence's tokens, left to right, not overlapping.

        In a ``headline`` (title case) capitalised words are not taken for new names.
        """
        d = self.dictionary
        found: list[Mention] = []
        for match in d.phrases.find(tokens, accept=lambda i, j, ref: _looks_like_a_name(tokens, i, j)):
            found.append(_mention(tokens, text, match.first, match.last, match.value, match.value.how))
        found = self._roles(tokens, text, found)
        if not headline:
            found = self._names(tokens, text, found)
        found = self._merge_titles(tokens, text, sorted(found, key=lambda m: m.first))
        found += self._described_regions(tokens, text, found)
        counted = self._counted_members(tokens, text, found)
        covered = {i for m in counted for i in range(m.first, m.last)}
        found = [m for m in found if not covered & set(range(m.first, m.last))] + counted
        for m in found:
            if m.actor.kind in ("person", "official") and len(m.text.split()) >= 2:
                self.named[normal(m.actor.label.split()[-1])] = m.actor
        for m in sorted(found, key=lambda m: m.first):
            if m.actor.kind == "region":
                self.last_region = m.actor
        return sorted(found, key=lambda m: m.first)

    def _described_regions(self, tokens, text, found: list[Mention]) -> list[Mention]:
        """ "the disputed region": the region the article named last (before this sentence)."""
        if self.last_region is None:
            return []
        taken = {i for m in found for i in range(m.first, m.last)}
        out = []
        for i, token in enumerate(tokens):
            if token.key != "the" or i in taken:
                continue
            for j in range(i + 1, min(i + 4, len(tokens))):
                if tokens[j].key in REGION_NOUNS and not taken & set(range(i, j + 1)):
                    out.append(_mention(tokens, text, i, j + 1, self.last_region, "definite description"))
                    break
                if tokens[j].capitalised or not tokens[j].text.isalpha():
                    break
        return out

    def _counted_members(self, tokens, text, found: list[Mention]) -> list[Mention]:
        """ "Sputnik Azerbaijan ... arresting seven employees": a number and a member noun name the
        data's group of that kind belonging to the nearest actor named before them in the sentence."""
        d = self.dictionary
        taken = {i for m in found for i in range(m.first, m.last)}
        out = []
        for i in range(len(tokens) - 1):
            if i in taken or not (tokens[i].key in NUMBER_WORDS or tokens[i].text.isdigit()):
                continue
            people = self._counted_people(tokens, text, i, found)
            if people is not None:
                out.append(people)
                continue
            j = i + 1
            while j < len(tokens) - 1 and tokens[j].key in _ROLE_ADJECTIVES:
                j += 1
            noun = tokens[j].key
            if noun not in MEMBER_NOUNS or j in taken:
                continue
            for m in sorted((m for m in found if m.last <= i), key=lambda m: -m.last):
                group = d.member_group(m.actor.id, noun)
                if group is not None:
                    out.append(_mention(tokens, text, i, j + 1, group, "counted members"))
                    break
        return out

    def _counted_people(self, tokens, text, i: int, found: list[Mention]) -> Mention | None:
        """ "2 million Azerbaijanis live in Russia": a count of a state's people (a plural demonym)
        with another state named in the sentence is the data's group of that state's people there."""
        j = i + 1
        while j < len(tokens) and tokens[j].key in ("million", "thousand", "hundred", "estimated"):
            j += 1
        people = next((m for m in found if m.first == j and m.rule == "demonym" and m.text.endswith("s")), None)
        if people is None:
            return None
        d = self.dictionary
        for place in found:
            if place.actor.kind != "state" or place.actor.id == people.actor.id:
                continue
            where = set(d.names_of.get(place.actor.id, ())) | {place.actor.label.lower()}
            group = next((ref for ref in d.refs.values() if ref.kind == "group"
                          and d.parent.get(ref.id) == people.actor.id
                          and any(w in name for name in d.names_of.get(ref.id, ()) for w in where)), None)
            if group is not None:
                return _mention(tokens, text, i, people.last, ActorRef(group.id, group.kind, "counted people",
                                                                       group.label, group.affiliation),
                                "counted people")
        return None

    def _roles(self, tokens, text, found: list[Mention]) -> list[Mention]:
        """Extend a state mention by a following role noun: "Russian police", "Thailand's ambassador"."""
        d = self.dictionary
        out = []
        taken = {i for m in found for i in range(m.first, m.last)}
        for m in found:
            if m.actor.kind != "state" or m.rule == "state body":
                out.append(m)
                continue
            j = m.last
            if j < len(tokens) and tokens[j].key in ("'s", "’s"):
                j += 1
            k = j
            while k < len(tokens) and tokens[k].key in _ROLE_ADJECTIVES and k - j < 2:
                k += 1
            role = None
            # "the Algerian military shot": an adjective-like role word is the role itself when no
            # role noun follows it ("military police")
            for at, length in ((k, 2), (k, 1), (j, 2), (j, 1)):
                words = " ".join(t.key for t in tokens[at:at + length])
                if len(tokens[at:at + length]) == length and (words in ROLES or words in STATE_ITSELF) \
                        and not taken & set(range(at, at + length)):
                    role, end = words, at + length
                    break
            if role is None or (end < len(tokens) and tokens[end].capitalised and tokens[end].key not in _NOT_NAMES
                                and tokens[end].text.isalpha() and role in OFFICIAL_TITLES):
                out.append(m)  # no role, or a title before a name ("Ukrainian President Zelenskyy")
                continue
            words = text[tokens[m.first].start:tokens[end - 1].end]
            if role in COUNTERPARTS:  # "Russia's investigators ... Azerbaijani counterparts": its investigators
                role, words = self._counterpart_role(m, out, role, words)
            ref = d.role_actor(m.actor, role, words)
            out.append(_mention(tokens, text, m.first, end, ref, "role noun" if ref.id != m.actor.id else "state body"))
            taken |= set(range(m.first, end))
        return out

    def _counterpart_role(self, m: Mention, earlier: list[Mention], role: str, words: str) -> tuple[str, str]:
        """The role of the nearest earlier body of another state, for "counterparts" (else unchanged)."""
        d = self.dictionary
        for other in reversed(earlier):
            if other.actor.kind == "state" or d.root(other.actor.id) in ("", m.actor.id, other.actor.id):
                continue
            name = other.actor.label.lower()
            found = next((r for r in sorted(ROLES, key=len, reverse=True) if re.search(rf"\b{r}\b", name)), None)
            if found is not None:
                return found, found
        return role, words

    def _merge_titles(self, tokens, text, found: list[Mention]) -> list[Mention]:
        """ "Ukrainian President Volodymyr Zelenskyy": one mention of the person, not also of Ukraine."""
        out: list[Mention] = []
        for m in found:
            prev = out[-1] if out else None
            if prev is not None and prev.actor.kind == "state" and m.actor.kind in ("official", "person") \
                    and 0 < m.first - prev.last <= 3 \
                    and self.dictionary.titles.get(tuple(t.key for t in tokens[prev.last:m.first])):
                out[-1] = _mention(tokens, text, prev.first, m.last, m.actor, m.rule)
                continue
            out.append(m)
        return out

    def _shared_surname(self, tokens, start: int, end: int, found: list[Mention]) -> ActorRef | None:
        """ "Huseyn and Ziyaddin Safarov": a lone given name before "and" and a known person's full
        name shares that person's surname, when the data knows the combined name."""
        if end - start != 1 or end >= len(tokens) or tokens[end].key != "and":
            return None
        other = next((m for m in found if m.first == end + 1), None)
        if other is None or other.actor.kind not in ("person", "official") or other.last - other.first < 2:
            return None
        return self.dictionary.phrases.get((tokens[start].key, tokens[other.last - 1].key))

    def _kin(self, tokens, start: int, end: int, found: list[Mention]) -> ActorRef | None:
        """ "Heydar Aliyev and his son Ilham": a given name after "his/her" + a kinship noun is the
        person of that name with the surname of the person named last, when the data knows them."""
        if end - start != 1 or start < 2 or tokens[start - 1].key not in KIN or tokens[start - 2].key not in ("his", "her"):
            return None
        person = next((m for m in reversed(found) if m.last <= start - 2 and m.actor.kind in ("person", "official")
                       and len(m.actor.label.split()) >= 2), None)
        if person is None:
            return None
        return self.dictionary.phrases.get((tokens[start].key, normal(person.actor.label.split()[-1])))

    def _names(self, tokens, text, found: list[Mention]) -> list[Mention]:
        """Bare surnames of known people, and capitalised names nobody knows yet (proposed actors)."""
        taken = [False] * len(tokens)
        for m in found:
            for i in range(m.first, m.last):
                taken[i] = True
        out = list(found)
        i = 0
        while i < len(tokens):
            if taken[i] or not _name_word(tokens[i]):
                i += 1
                continue
            j = i + 1
            while j < len(tokens) and not taken[j] and (
                    _name_word(tokens[j]) or (tokens[j].key in _CONNECTORS and j + 1 < len(tokens) and not taken[j + 1]
                                              and _name_word(tokens[j + 1]) and tokens[j].key != "and")):
                j += 1
            start = i
            for length in (3, 2, 1):  # "Defence Minister Anna Kowalska": the title is not part of the name
                if j - start > length and self.dictionary.titles.get(tuple(t.key for t in tokens[start:start + length])):
                    start += length
                    break
            ref = self._shared_surname(tokens, start, j, found) or self._kin(tokens, start, j, found) \
                or self._resolve_name(tokens, start, j, found)
            if ref is not None:
                out.append(_mention(tokens, text, start, j, ref, ref.how))
            i = j
        return out

    def _resolve_name(self, tokens, i, j, found) -> ActorRef | None:
        d = self.dictionary
        words = [t.text for t in tokens[i:j]]
        key = normal(words[-1])
        title = _title_before(d, tokens, i)
        if len(words) == 1:
            if key in self.named:  # bare surname of someone named in full earlier
                ref = self.named[key]
                return ActorRef(ref.id, ref.kind, "surname", ref.label, ref.affiliation, ref.new)
            if key in d.surnames and len(d.surnames[key]) == 1:
                ref = d.surnames[key][0]
                return ActorRef(ref.id, ref.kind, "surname", ref.label, ref.affiliation)
            if key in self.new_names:
                return self.new_names[key]
            if title is None or i == 0:
                return None  # a lone capitalised word: too often not a name
        if i == 0 and len(words) == 1:
            return None
        label = " ".join(words)
        kind = ORG_WORDS.get(key)
        if kind is None:
            if any(normal(w) in ORG_WORDS for w in words[:-1]):
                kind = "institution"
            elif title is not None or 2 <= len(words) <= 3:
                kind = "official" if title in OFFICIAL_TITLES else "person"
            else:
                return None
        affiliation = _affiliation(tokens, i, j, found, d)
        if label.lower() in self.new_names:
            return self.new_names[label.lower()]
        ref = ActorRef(_new_id(d, label), kind, "new name", label, affiliation, new=True)
        self.new_names[label.lower()] = ref
        if kind in ("person", "official"):
            self.new_names.setdefault(key, ref)
        return ref


def _new_id(d: ActorDictionary, label: str) -> str:
    base = slug(label)
    candidate, n = base, 2
    while candidate in d.refs and not d.refs[candidate].new:
        candidate, n = f"{base}_{n}", n + 1
    return candidate


def _title_before(d: ActorDictionary, tokens, i) -> str | None:
    for length in (3, 2, 1):
        if i - length >= 0:
            title = d.titles.get(tuple(t.key for t in tokens[i - length:i]))
            if title is not None:
                return title
    return None


def _affiliation(tokens, i, j, found: list[Mention], d: ActorDictionary) -> str:
    """The state named just before a new name ("Thai Prime Minister X") or in an apposition after it."""
    for m in found:
        if m.actor.kind == "state" and 0 <= i - m.last <= 3:
            return m.actor.id
        if m.actor.kind == "state" and 0 < m.first - j <= 2 and tokens[j].key in (",", "of", "from"):
            return m.actor.id
    return ""


def _name_word(token: Token) -> bool:
    return token.capitalised and token.text[0].isalpha() and token.key not in _NOT_NAMES and not token.text.isupper() \
        or (token.text.isupper() and len(token.text) >= 2 and token.text.isalpha() and token.key not in _NOT_NAMES)


def _looks_like_a_name(tokens: list[Token], i: int, j: int) -> bool:
    """A one-word dictionary match must be capitalised ("Turkey", not "turkey"); all-capital aliases exact."""
    words = tokens[i:j]
    if not any(t.text[:1].isupper() for t in words):
        return False
    return True


def _mention(tokens, text, first, last, ref: ActorRef, rule: str) -> Mention:
    start, end = tokens[first].start, tokens[last - 1].end
    return Mention(first, last, start, end, text[start:end], ref, rule)
