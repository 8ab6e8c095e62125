"""The parts of text extraction, on hand-worked examples: sentences, word forms, dates, actors, rules."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from graph.text.actors import ActorDictionary, Article
from graph.text.countries import load_countries
from graph.text.dates import find_dateline, find_dates
from graph.text.extract import _related
from graph.text.inflect import word_forms
from graph.text.rules import Sentence, flags_for, pairs_for
from graph.text.sentences import split_sentences
from graph.text.tokens import tokenize
from graph.text.vocabulary import bundled_vocabulary
from tests.conftest import BUNDLED


def test_sentences_respect_abbreviations_headlines_and_list_numbers():
    text = "Big News Today\n\nMr. Smith met Gen. Lee in the U.S. capital. They talked.\n1. First point here."
    got = [text[s:e] for s, e in split_sentences(text)]
    assert got == ["Big News Today", "Mr. Smith met Gen. Lee in the U.S. capital.", "They talked.",
                   "1. First point here."]


@pytest.mark.parametrize("word, forms", [
    ("accused", {"accuse", "accuses", "accusing", "accused"}),
    ("strike", {"strikes", "struck", "striking"}),
    ("expel", {"expels", "expelled", "expelling"}),
    ("deny", {"denies", "denied", "denying"}),
    ("held", {"hold", "holds", "holding"}),
])
def test_word_forms_cover_every_inflection(word, forms):
    assert forms <= word_forms(word)


PUB = dt.date(2025, 7, 9)  # a Wednesday


@pytest.mark.parametrize("text, value", [
    ("on July 1", "2025-07-01"),
    ("June 27, 2025", "2025-06-27"),
    ("4 July 2024", "2024-07-04"),
    ("on Monday", "2025-07-07"),
    ("on Wednesday", "2025-07-09"),
    ("yesterday", "2025-07-08"),
    ("three days ago", "2025-07-06"),
    ("last week", "2025-07"),
    ("last month", "2025-06"),
    ("in December of last year", "2024-12"),
    ("in December", "2024-12"),
    ("in March", "2025-03"),
    ("December 2024", "2024-12"),
    ("in 2020", "2020"),
    ("last year", "2024"),
])
def test_dates_resolve_against_the_publication_date(text, value):
    found = find_dates(text, 0, len(text), PUB)
    assert [d.value for d in found] == [value]


def test_the_day_before_counts_from_the_date_named_earlier():
    text = "the day before"
    assert find_dates(text, 0, len(text), PUB, previous=dt.date(2025, 7, 1))[0].value == "2025-06-30"


def test_dateline_found_only_at_the_top():
    assert find_dateline("BANGKOK, July 25, 2025 (Wire) — Thai troops ...").value == "2025-07-25"
    assert find_dateline("Title\n\nPublished: 12 March 2024\n\nBody.").value == "2024-03-12"
    assert find_dateline("Title\n\nOn July 4, 2025, the embassy issued an advisory to everyone in town today.") is None


def test_country_table_has_unique_alpha3_codes_and_names():
    countries = load_countries()
    codes = [c.code for c in countries]
    assert len(codes) == len(set(codes)) >= 193
    assert all(len(c) == 3 and c.isupper() for c in codes)
    thai = next(c for c in countries if c.code == "THA")
    assert thai.name == "Thailand" and "Thai" in thai.demonyms and "Bangkok" in thai.capitals


def test_shipped_vocabulary_is_the_bundled_data_vocabulary():
    assert bundled_vocabulary() == (BUNDLED / "edge_types.csv").read_bytes()


NODES = pd.DataFrame([
    {"id": "russia", "label": "Russia", "kind": "state", "affiliation": "", "aliases": "Moscow"},
    {"id": "azerbaijan", "label": "Azerbaijan", "kind": "state", "affiliation": "", "aliases": ""},
    {"id": "ru_police", "label": "Russian police force", "kind": "institution", "affiliation": "russia", "aliases": ""},
    {"id": "az_mfa", "label": "Foreign Ministry of Azerbaijan", "kind": "institution", "affiliation": "azerbaijan",
     "aliases": ""},
    {"id": "aliyev", "label": "Ilham Aliyev", "kind": "official", "affiliation": "azerbaijan", "aliases": ""},
    {"id": "karabakh", "label": "Nagorno-Karabakh", "kind": "region", "affiliation": "", "aliases": ""},
    {"id": "h_safarov", "label": "Huseyn Safarov", "kind": "person", "affiliation": "", "aliases": ""},
    {"id": "z_safarov", "label": "Ziyaddin Safarov", "kind": "person", "affiliation": "", "aliases": ""},
]).set_index("id", drop=False)


def _mentions(sentences):
    article = Article(ActorDictionary.from_nodes(NODES))
    out = []
    for text in sentences:
        out.append([(m.text, m.actor.id, m.actor.new) for m in article.mentions(tokenize(text), text)])
    return out


def test_actor_variants_countries_roles_and_new_names():
    got = _mentions([
        "Russian police detained Azerbaijan's foreign ministry staff in Moscow.",
        "Thai officials met the Cambodian ambassador in Bangkok.",
        "President Aliyev spoke to Defence Minister Anna Kowalska of Poland.",
        "Later Kowalska left.",
    ])
    assert got[0] == [("Russian police", "ru_police", False), ("Azerbaijan's foreign ministry", "az_mfa", False),
                      ("Moscow", "russia", False)]
    assert got[1] == [("Thai officials", "thailand", True), ("Cambodian ambassador", "cambodia_ambassador", True),
                      ("Bangkok", "thailand", True)]
    assert got[2][0] == ("President Aliyev", "aliyev", False)
    assert got[2][1][:2] == ("Anna Kowalska", "anna_kowalska") and got[2][2][1] == "poland"
    assert got[3] == [("Kowalska", "anna_kowalska", True)]


def _pairs(text):
    d = ActorDictionary.from_nodes(NODES)
    tokens = tokenize(text)
    mentions = Article(d).mentions(tokens, text)
    keys = [t.key for t in tokens]
    return tokens, mentions, keys


@pytest.mark.parametrize("text, trigger, expected, rule", [
    ("Azerbaijan was condemned by Russia.", "condemned", [("russia", "azerbaijan")], "passive"),
    ("Azerbaijan, backed by Thailand, protested.", "backed", [("thailand", "azerbaijan")], "participle"),
    ("Russia condemned Azerbaijan and Thailand.", "condemned", [("russia", "azerbaijan"), ("russia", "thailand")],
     "svo"),
    ("Russia's condemnation of Azerbaijan surprised many.", "condemnation", [("russia", "azerbaijan")],
     "possessive"),
    ("Talks between Russia and Azerbaijan resumed.", "talks", [("russia", "azerbaijan")], "between"),
    ("Russia and Thailand clashed.", "clashed", [("russia", "thailand")], "joint subject"),
    ("Thailand, with Russia condemning Azerbaijan, left.", "condemning", [("russia", "azerbaijan")], "svo"),
    ("Officials alleged Azerbaijan was condemned by Russia.", "condemned", [("russia", "azerbaijan")], "passive"),
    ("President Aliyev condemned Azerbaijan and Russia.", "condemned", [("aliyev", "russia")], "svo"),
    ("Russia and Azerbaijan held talks in Thailand.", "talks", [("russia", "azerbaijan")], "joint subject"),
    # a comma list closed by "and" gives one event per subject
    ("Thailand, Russia and Azerbaijan condemned Cambodia.", "condemned",
     [("azerbaijan", "cambodia"), ("russia", "cambodia"), ("thailand", "cambodia")], "svo"),
    # "after" opens a clause: the mention right before the verb is its subject, not "Russia"
    ("Russia left, after Thailand condemned Azerbaijan.", "condemned", [("thailand", "azerbaijan")], "svo"),
    ("Azerbaijan thanked Russia for its support.", "support", [("russia", "azerbaijan")], "gratitude"),
])
def test_source_and_target_rules(text, trigger, expected, rule):
    tokens, mentions, keys = _pairs(text)
    i = keys.index(trigger)
    parents = {"aliyev": "azerbaijan", "ru_police": "russia", "az_mfa": "azerbaijan"}
    sentence = Sentence(tokens, mentions, [(i, i + 1)], related=lambda a, b: _related(parents, a, b))
    directed = trigger not in ("talks", "clashed")
    pairs, _, _ = pairs_for(sentence, i, i + 1, directed)
    assert [(p.source.actor.id, p.target.actor.id) for p in pairs] == expected
    assert pairs[0].rule == rule


@pytest.mark.parametrize("text, trigger, flags", [
    ("Russia did not condemn Azerbaijan.", "condemn", ["negated"]),
    ("Russia threatened to sanction Azerbaijan.", "sanction", ["modal"]),
    ("Russia would condemn Azerbaijan.", "condemn", ["modal"]),
    ("Russia may be positioning itself to counter Thailand and condemn Azerbaijan.", "condemn", ["modal"]),
    ("Russia may say so; Thailand condemned Azerbaijan.", "condemned", []),
    ("Officials said Russia condemned Azerbaijan.", "condemned", ["reported"]),
    ("Russia condemned Azerbaijan.", "condemned", []),
    ("Talks between Russia and Azerbaijan could ease tensions.", "talks", ["speculative"]),
    ("Talks between Russia and Azerbaijan resumed; tensions could ease.", "talks", []),
])
def test_negation_modality_and_reported_speech_are_flags(text, trigger, flags):
    tokens = tokenize(text)
    i = [t.key for t in tokens].index(trigger)
    clause = max((k + 1 for k, t in enumerate(tokens[:i]) if t.key == ";"), default=0)
    assert flags_for(tokens, i, i + 1, clause_start=clause) == flags


def _extract(tmp_path, text, pub=dt.date(2025, 7, 9)):
    from graph.store.dataset import load_dataset
    from graph.text.extract import Extractor, Source
    from tests.conftest import write_dataset

    nodes = "id,label,kind,affiliation,aliases\n" + "\n".join(
        f"{r['id']},{r['label']},{r['kind']},{r['affiliation']},{r['aliases']}" for r in NODES.to_dict("records"))
    folder = write_dataset(tmp_path / "d", nodes + "\n", "source,target,type,date\n",
                           bundled_vocabulary().decode("utf-8"))
    return Extractor(load_dataset(folder)).extract([Source("t.txt", text)], pub).candidates


def test_accused_x_of_y_is_one_accusation(tmp_path):
    got = _extract(tmp_path, "Russia accused Azerbaijan of attacking Thailand on Monday.")
    assert [(c.source, c.target, c.type, c.date, c.date_text) for c in got] == [
        ("russia", "azerbaijan", "accusation", "2025-07-07", "on Monday")]


def test_event_anaphora_and_publication_date_flag(tmp_path):
    got = _extract(tmp_path, "Russian police raided homes of Azerbaijanis in Moscow.\n\n"
                             "Azerbaijan condemned the raids.")
    condemnation = [c for c in got if c.type == "condemnation"]
    assert [(c.source, c.target, c.rule, c.target_text) for c in condemnation] == [
        ("azerbaijan", "ru_police", "event anaphora", "the raids")]
    assert condemnation[0].date == "2025-07-09" and "date_from_publication" in condemnation[0].flags


def test_negated_and_modal_events_are_kept_with_flags(tmp_path):
    got = _extract(tmp_path, "Russia did not condemn Azerbaijan. Thailand threatened to sanction Azerbaijan. "
                             "Russia may expel Thai diplomats.")
    flags = {c.type: c.flags for c in got}
    assert "negated" in flags["condemnation"]
    assert "modal" in flags["expulsion_of_diplomats"]
    # "threatened to sanction": one threat, not also sanctions
    assert [(c.source, c.target, c.type, c.trigger) for c in got if c.source == "thailand"] == [
        ("thailand", "azerbaijan", "threat", "threatened")]


def test_mediation_without_named_parties_takes_the_paragraphs_states(tmp_path):
    # worked by hand: the parties are the states the paragraph named before (Aliyev counts as
    # Azerbaijan; Minsk is where they met, not a party), not the co-mediators, flagged inferred_target
    got = _extract(tmp_path, "Russia and President Aliyev met in Minsk on Monday.\n"
                             "Thailand and Cambodia mediated the talks.")
    mediation = sorted((c.source, c.target, c.rule) for c in got if c.type == "mediation")
    assert mediation == [("cambodia", "azerbaijan", "inferred parties"), ("cambodia", "russia", "inferred parties"),
                         ("thailand", "azerbaijan", "inferred parties"), ("thailand", "russia", "inferred parties")]
    assert all("inferred_target" in c.flags for c in got if c.type == "mediation")


def test_a_later_telling_is_a_low_confidence_repeat(tmp_path):
    got = _extract(tmp_path, "Russia condemns Azerbaijan over raids\n\nRussia condemned Azerbaijan on Monday. "
                             "Thailand stayed silent. Russia condemned Azerbaijan again.")
    cond = [c for c in got if c.type == "condemnation"]
    assert [("headline" in c.flags, "repeat" in c.flags, "low_confidence" in c.flags) for c in cond] == [
        (True, True, True), (False, False, False), (False, True, True)]


def test_generic_anaphora_and_leaders_under_whom_a_state_acts(tmp_path):
    got = _extract(tmp_path, "Russia sanctioned Azerbaijan. Thailand decried these actions.\n\n"
                             "Under President Aliyev, Azerbaijan sanctioned Thailand. "
                             "Thailand's backing in the Cambodia conflict grew.")
    found = {(c.source, c.target, c.type, c.rule) for c in got}
    assert ("thailand", "russia", "accusation", "event anaphora") in found
    assert {("azerbaijan", "thailand", "sanctions", "svo"), ("aliyev", "thailand", "sanctions", "under leader")} <= found
    # "in the Cambodia conflict" is the topic of the backing, not its target
    assert not any(c.type == "military_support" and c.target == "cambodia" for c in got)


def test_military_as_a_role_and_a_determiner_between_conjoined_subjects(tmp_path):
    got = _extract(tmp_path, "Azerbaijan protested after the Russian military shot down a Thai drone. "
                             "Thailand and the Foreign Ministry of Azerbaijan condemned Cambodia.")
    found = {(c.source, c.target, c.type) for c in got}
    # "Russian military" is one mention, a role of Russia; the data has no Russian army (police is
    # not one), so it is proposed as a new actor
    assert ("russia_military", "thailand", "shootdown") in found
    assert {("thailand", "cambodia", "condemnation"), ("az_mfa", "cambodia", "condemnation")} <= found


def test_a_trigger_naming_the_object_of_another_is_no_event_of_its_own(tmp_path):
    got = _extract(tmp_path, "Russia and Azerbaijan met in Minsk.\n\nThailand and Cambodia mediated the talks.")
    assert not any(c.type == "meeting" and {c.source, c.target} == {"thailand", "cambodia"} for c in got)


def test_victims_of_an_earlier_event_and_a_shared_surname(tmp_path):
    got = _extract(tmp_path, "Russian police raided homes of Azerbaijanis in Moscow.\n\n"
                             "Two brothers, Huseyn and Ziyaddin Safarov, died during the raids.")
    assert sorted((c.source, c.target, c.type, c.rule) for c in got if c.type != "raid") == [
        ("ru_police", "h_safarov", "killing", "victim of event"), ("ru_police", "z_safarov", "killing", "victim of event")]


def test_a_relative_clause_ends_at_its_comma():
    text = "Thailand, which condemned the decision, angered Russia."
    tokens, mentions, keys = _pairs(text)
    i = keys.index("condemned")
    pairs, _, alone = pairs_for(Sentence(tokens, mentions, [(i, i + 1)]), i, i + 1, True, "hostile")
    assert pairs == [] and alone.actor.id == "thailand"  # Russia is the main clause's object


def test_an_agentless_passive_marked_also_takes_the_last_agent(tmp_path):
    got = _extract(tmp_path, "Russia sanctioned Thailand on Monday. Azerbaijan was also sanctioned. "
                             "Cambodia was sanctioned.")
    found = [(c.source, c.target, c.rule) for c in got]
    assert ("russia", "azerbaijan", "agent from context") in found
    assert not any(t == "cambodia" for _, t, _ in found)  # without "also" nobody is credited


def test_the_region_named_last_and_the_subject_of_a_participle_phrase(tmp_path):
    got = _extract(tmp_path, "The Nagorno-Karabakh conflict flared.\n\n"
                             "Azerbaijan, backed by Thailand, invaded the disputed region.")
    found = {(c.source, c.target, c.type, c.target_text) for c in got}
    assert ("azerbaijan", "karabakh", "invasion", "the disputed region") in found


def test_a_mediator_between_two_named_parties(tmp_path):
    got = _extract(tmp_path, "Thailand offered to mediate between Russia and Azerbaijan.")
    assert sorted((c.source, c.target, c.rule) for c in got if c.type == "mediation") == [
        ("thailand", "azerbaijan", "between"), ("thailand", "russia", "between")]


GROUP_NODES = pd.DataFrame([
    {"id": "russia", "label": "Russia", "kind": "state", "affiliation": "", "aliases": "Moscow"},
    {"id": "the_west", "label": "The West", "kind": "group", "affiliation": "", "aliases": "Western states"},
    {"id": "outlet", "label": "Radio Nord", "kind": "media", "affiliation": "russia", "aliases": ""},
    {"id": "outlet_staff", "label": "Radio Nord employees", "kind": "group", "affiliation": "outlet", "aliases": ""},
]).set_index("id", drop=False)


def test_counted_members_are_the_group_of_the_actor_named_before():
    article = Article(ActorDictionary.from_nodes(GROUP_NODES))
    text = "Police raided Radio Nord, a Moscow-funded outlet, and arrested seven employees."
    got = [(m.text, m.actor.id) for m in article.mentions(tokenize(text), text)]
    assert got[-1] == ("seven employees", "outlet_staff")
    # no group of that kind in the data: the words stay unresolved
    text = "Police raided Radio Nord and arrested seven journalists."
    assert "seven journalists" not in [m.text for m in article.mentions(tokenize(text), text)]


def test_the_adjective_of_a_group_of_states_names_the_group():
    article = Article(ActorDictionary.from_nodes(GROUP_NODES))
    text = "Western sanctions pushed Moscow to seek partners."
    assert [(m.text, m.actor.id) for m in article.mentions(tokenize(text), text)] == [
        ("Western", "the_west"), ("Moscow", "russia")]


def _group_pairs(text, trigger, earlier=()):
    tokens = tokenize(text)
    mentions = Article(ActorDictionary.from_nodes(GROUP_NODES)).mentions(tokens, text)
    keys = [t.key for t in tokens]
    i = keys.index(trigger)
    objects = frozenset(m.first for m in mentions if m.text in earlier)
    pairs, _, _ = pairs_for(Sentence(tokens, mentions, [(i, i + 1)]), i, i + 1, True, objects=objects)
    return [(p.source.text, p.target.text) for p in pairs]


def test_an_object_before_to_is_the_subject_of_the_infinitive():
    # "Moscow" is the object of "sanctions" and the one that condemns
    assert _group_pairs("Western sanctions pushed Moscow to condemn Radio Nord.", "condemn",
                        earlier=("Moscow",)) == [("Moscow", "Radio Nord")]


def test_a_mention_in_an_indefinite_apposition_does_not_act():
    text = "Moscow raided Radio Nord, a Western-funded outlet, and arrested Western diplomats."
    assert _group_pairs(text, "arrested", earlier=("Radio Nord",)) == [("Moscow", "Western")]


def test_a_hidden_first_telling_does_not_hide_a_later_one(tmp_path):
    from dataclasses import replace

    from graph.text.extract import _mark_repeats
    first, second = _extract(tmp_path, "Russia condemned Azerbaijan. Russia condemned Azerbaijan again.")
    assert "repeat" in second.flags
    fresh = replace(second, flags=[], score=0.8)
    hidden_first = replace(first, flags=["low_confidence"])
    assert "repeat" not in _mark_repeats([hidden_first, fresh])[1].flags
    assert "repeat" in _mark_repeats([replace(first, flags=[]), replace(second, flags=[])])[1].flags


def test_counterparts_are_the_other_states_body_of_the_same_role():
    nodes = pd.concat([NODES, pd.DataFrame([
        {"id": "ru_inv", "label": "Russia's investigators", "kind": "institution", "affiliation": "russia",
         "aliases": ""},
        {"id": "az_pg", "label": "Azerbaijan's Prosecutor General", "kind": "institution",
         "affiliation": "azerbaijan", "aliases": ""}]).set_index("id", drop=False)])
    article = Article(ActorDictionary.from_nodes(nodes))
    text = "Russia's investigators met Azerbaijani counterparts."
    got = [(m.text, m.actor.id) for m in article.mentions(tokenize(text), text)]
    assert got == [("Russia's investigators", "ru_inv"), ("Azerbaijani counterparts", "az_pg")]
    # Thailand has no such body in the data: a proposed body of that role
    text = "Russia's investigators met Thai counterparts."
    assert [m.actor.id for m in article.mentions(tokenize(text), text)] == ["ru_inv", "thailand_investigators"]
    text = "Azerbaijani counterparts met."  # nobody named before: the state itself
    assert [m.actor.id for m in article.mentions(tokenize(text), text)] == ["azerbaijan"]


def test_an_accusations_complement_ends_with_its_clause(tmp_path):
    got = _extract(tmp_path, "Russia accused Azerbaijan of stoking tensions, while Thailand condemned Cambodia.")
    assert [(c.source, c.target, c.type) for c in got] == [("russia", "azerbaijan", "accusation"),
                                                          ("thailand", "cambodia", "condemnation")]


def test_who_answers_a_claim_acts_on_the_claimant(tmp_path):
    got = _extract(tmp_path, "Azerbaijan alleged that Thailand shelled Cambodia, a claim Moscow neither confirmed "
                             "nor denied.")
    assert ("russia", "azerbaijan", "decline_comment") in [(c.source, c.target, c.type) for c in got]
    # the claimant keeps its own act: the answer does not take its subject away
    assert ("azerbaijan", "russia", "decline_comment") not in [(c.source, c.target, c.type) for c in got]
    assert any(c.source == "azerbaijan" and c.type == "accusation" for c in got)
    # the object of "alleged" right before the next verb is that verb's subject
    assert ("thailand", "cambodia", "armed_clash") in [(c.source, c.target, c.type) for c in got]


@pytest.mark.parametrize("text", [
    "Russia issued an advisory for Thai citizens to leave Azerbaijan.",
    "Russia issued an advisory urging Thai citizens to leave Azerbaijan.",
])
def test_who_is_told_to_act_is_not_the_one_acted_on(text):
    tokens, mentions, keys = _pairs(text)
    i = keys.index("advisory")
    pairs, _, _ = pairs_for(Sentence(tokens, mentions, [(i, i + 1)]), i, i + 1, True)
    assert [(p.source.actor.id, p.target.actor.id) for p in pairs] == [("russia", "azerbaijan")]


def test_a_relative_named_by_given_name_takes_the_surname_of_the_person_before():
    nodes = pd.concat([NODES, pd.DataFrame([
        {"id": "heydar", "label": "Heydar Aliyev", "kind": "official", "affiliation": "azerbaijan", "aliases": ""},
    ]).set_index("id", drop=False)])
    article = Article(ActorDictionary.from_nodes(nodes))
    text = "Under Heydar Aliyev and his son Ilham, ties grew."
    assert [(m.text, m.actor.id) for m in article.mentions(tokenize(text), text)] == [
        ("Heydar Aliyev", "heydar"), ("Ilham", "aliyev")]
    text = "Huseyn Safarov and his son Ilham left."  # no Ilham Safarov in the data
    assert "aliyev" not in [m.actor.id for m in article.mentions(tokenize(text), text)]


def test_a_mutual_act_goes_both_ways_between_the_two_states_in_play(tmp_path):
    got = _extract(tmp_path, "Russia condemned Azerbaijan on Monday. The row grew with mutual ambassador summons "
                             "and protest notes.")
    later = sorted((c.source, c.target, c.type) for c in got if "mutual" in c.rule)
    # Azerbaijan acts through the foreign ministry the data has for it
    assert later == [("az_mfa", "russia", "protest_note"), ("az_mfa", "russia", "summons"),
                     ("russia", "azerbaijan", "protest_note"), ("russia", "azerbaijan", "summons")]
    # one state in play: nobody to infer
    assert not [c for c in _extract(tmp_path / "b", "Russia left. Mutual summons followed.") if "mutual" in c.rule]


@pytest.mark.parametrize("text, trigger, expected", [
    ("Russia criticised Thai aerial strikes on Cambodia.", "strikes", [("thailand", "cambodia")]),
    # a function word between: the demonym does not own the trigger
    ("Russia criticised Thai and then strikes on Cambodia.", "strikes", [("russia", "cambodia")]),
])
def test_a_demonym_before_the_trigger_nouns_adjectives_owns_it(text, trigger, expected):
    tokens, mentions, keys = _pairs(text)
    i = keys.index(trigger)
    objects = frozenset(m.first for m in mentions if m.text == "Thai")
    pairs, _, _ = pairs_for(Sentence(tokens, mentions, [(i, i + 1)]), i, i + 1, True, objects=objects)
    assert [(p.source.actor.id, p.target.actor.id) for p in pairs][:1] == expected


def test_a_state_retelling_its_bodys_act_is_a_repeat_but_not_the_other_way(tmp_path):
    got = _extract(tmp_path, "Russian police condemned Azerbaijan on Monday. Russia's condemnation of Azerbaijan "
                             "angered many.")
    assert [(c.source, "repeat" in c.flags) for c in got if c.type == "condemnation"] == [
        ("ru_police", False), ("russia", True)]
    got = _extract(tmp_path / "b", "Russia condemned Azerbaijan on Monday. Later Russian police condemned Azerbaijan.")
    assert [(c.source, "repeat" in c.flags) for c in got if c.type == "condemnation"] == [
        ("russia", False), ("ru_police", False)]


def test_a_hyphened_pair_before_a_topic_noun_is_no_target():
    tokens, mentions, keys = _pairs("Thailand condemned the Russia-Azerbaijan rift.")
    i = keys.index("condemned")
    pairs, _, _ = pairs_for(Sentence(tokens, mentions, [(i, i + 1)]), i, i + 1, True)
    assert pairs == []
    tokens, mentions, keys = _pairs("Thailand condemned Russia-Azerbaijan talks.")  # "talks" is no topic noun
    i = keys.index("condemned")
    pairs, _, _ = pairs_for(Sentence(tokens, mentions, [(i, i + 1)]), i, i + 1, True)
    assert [p.target.actor.id for p in pairs][:1] == ["russia"]


def test_a_count_of_a_states_people_in_another_state_is_the_datas_group_there():
    nodes = pd.concat([NODES, pd.DataFrame([
        {"id": "az_diaspora", "label": "Azerbaijani diaspora in Russia", "kind": "group", "affiliation": "azerbaijan",
         "aliases": ""}]).set_index("id", drop=False)])
    article = Article(ActorDictionary.from_nodes(nodes))
    text = "About 2 million Azerbaijanis live in Russia."
    assert [(m.text, m.actor.id) for m in article.mentions(tokenize(text), text)] == [
        ("2 million Azerbaijanis", "az_diaspora"), ("Russia", "russia")]
    text = "About 2 million Azerbaijanis live in Thailand."  # no such group in the data
    assert [(m.text, m.actor.id) for m in article.mentions(tokenize(text), text)] == [
        ("Azerbaijanis", "azerbaijan"), ("Thailand", "thailand")]


def test_an_undirected_link_to_a_second_party_reaches_both():
    tokens, mentions, keys = _pairs("Russia linked Thailand to its Cambodia ally.")
    i = keys.index("linked")
    pairs, _, _ = pairs_for(Sentence(tokens, mentions, [(i, i + 1)]), i, i + 1, False)
    assert [(p.source.actor.id, p.target.actor.id) for p in pairs] == [("russia", "thailand"), ("russia", "cambodia")]
    pairs, _, _ = pairs_for(Sentence(tokens, mentions, [(i, i + 1)]), i, i + 1, True)  # directed: the object only
    assert [(p.source.actor.id, p.target.actor.id) for p in pairs] == [("russia", "thailand")]
