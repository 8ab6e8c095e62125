"""Reading across sentences, on hand-worked examples: event anaphora by the word that told the event,
coreference of pronouns and definite descriptions, inferred targets, and each one's explanation."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from graph.text.vocabulary import bundled_vocabulary
from tests.test_extract_parts import NODES

#: The parts tests' actors and an airline.
COREF_NODES = pd.concat([NODES, pd.DataFrame([
    {"id": "azal", "label": "Azerbaijan Airlines", "kind": "institution", "affiliation": "azerbaijan",
     "aliases": ""}]).set_index("id", drop=False)])


def _extract(tmp_path, text, pub=dt.date(2025, 7, 9)):
    from graph.store.dataset import load_dataset
    from graph.text.extract import Extractor, Source
    from tests.conftest import write_dataset

    nodes = "id,label,kind,affiliation,aliases\n" + "\n".join(
        f"{r['id']},{r['label']},{r['kind']},{r['affiliation']},{r['aliases']}" for r in COREF_NODES.to_dict("records"))
    folder = write_dataset(tmp_path / "d", nodes + "\n", "source,target,type,date\n",
                           bundled_vocabulary().decode("utf-8"))
    return Extractor(load_dataset(folder)).extract([Source("t.txt", text)], pub).candidates


def _events(got):
    return [(c.source, c.target, c.type) for c in got if "low_confidence" not in c.flags]


def test_an_event_named_again_is_the_one_told_with_the_same_word(tmp_path):
    # by type, "the strikes" (a shootdown keyword's form) would be Cambodia's shootdown, the latest one;
    # by the word, it is Thailand's "struck"
    got = _extract(tmp_path, "Thailand struck Cambodia on Monday. Later Cambodia shot down a jet of Thailand. "
                             "Russia condemned the strikes.")
    assert ("russia", "thailand", "condemnation") in _events(got)
    assert ("russia", "cambodia", "condemnation") not in _events(got)
    # a possessive and a modifier before the event noun: still the event
    got = _extract(tmp_path, "Russia raided Azerbaijan on Monday. Thailand condemned its brutal raids.")
    assert ("thailand", "russia", "condemnation") in _events(got)


def _found(got, source, target, type_):
    return next((c for c in got if (c.source, c.target, c.type) == (source, target, type_)), None)


def test_a_hostile_statement_with_no_addressee_is_aimed_at_the_adversary_in_play(tmp_path):
    text = ("Russia raided Azerbaijan on Monday. Azerbaijan condemned Russia. Later Azerbaijan demanded "
            "accountability. Thailand demanded restraint.")
    got = _extract(tmp_path, text)
    c = _found(got, "azerbaijan", "russia", "demand")
    assert c is not None and c.rule == "adversary in play" and "inferred_target" in c.flags
    # the target's words are those that named Russia last, in an earlier sentence: the explanation
    assert c.target_text == "Russia" and text[c.target_span[0]:c.target_span[1]] == "Russia"
    assert c.target_span[0] < c.start
    # a bystander's statement has no adversary
    assert not [c for c in got if c.source == "thailand"]


def test_a_physical_act_with_no_patient_named_gets_none(tmp_path):
    got = _extract(tmp_path, "Russia raided Azerbaijan on Monday. Azerbaijan condemned Russia. "
                             "The Azerbaijani army killed two.")
    assert not [c for c in got if c.type == "killing"]


def test_an_act_aimed_at_a_territory_takes_the_region_in_play(tmp_path):
    got = _extract(tmp_path, "When Azerbaijan recaptured Nagorno-Karabakh in 2023, Russian police did not intervene.")
    c = _found(got, "ru_police", "karabakh", "non_intervention")
    assert c is not None and c.rule == "place in play" and c.target_text == "Nagorno-Karabakh"


def test_also_carries_the_target_of_the_latest_act_of_that_type(tmp_path):
    got = _extract(tmp_path, "Russia condemned Azerbaijan on Monday. Thailand also voiced condemnation.")
    c = _found(got, "thailand", "azerbaijan", "condemnation")
    assert c is not None and c.rule == "also" and "inferred_target" in c.flags


def _resolved(sentences, nodes=None):
    from graph.text.actors import ActorDictionary, Article
    from graph.text.coreference import Coreference
    from graph.text.tokens import tokenize
    d = ActorDictionary.from_nodes(COREF_NODES if nodes is None else nodes)
    article, coref = Article(d), Coreference(d.names_of)
    out = []
    for text in sentences:
        tokens = tokenize(text)
        out.append([(m.text, m.actor.id, m.antecedent_mention.text if m.antecedent_mention else None)
                    for m in coref.resolve(tokens, text, article.mentions(tokens, text))
                    if m.antecedent_mention is not None])
    return out


def test_definite_descriptions_refer_to_the_actor_last_named_with_that_head_noun():
    got = _resolved(["Thailand said Russian police raided a Cambodian ministry.",
                     "The police denied it.",
                     "Azerbaijan Airlines flight 8243 crashed.",
                     "The plane was struck by Russia.",   # plane ~ flight
                     "The ship sank."])                   # nobody was named with a ship
    assert got[1] == [("The police", "ru_police", "Russian police")]
    assert got[3] == [("The plane", "azal", "Azerbaijan Airlines")]
    assert got[4] == []


def test_pronouns_refer_to_the_latest_fitting_actor_and_not_to_their_verbs_subject():
    got = _resolved(["President Aliyev met Thai officials.",
                     "He said they would not negotiate.",           # he: a person; they: a plural body
                     "Russia said it would respond.",              # it: the latest state or body
                     "It is unclear.",                             # expletive: no actor
                     "Azerbaijan said Aliyev had insulted him."])   # him: not the subject of 'insulted'
    assert got[1] == [("He", "aliyev", "President Aliyev"), ("they", "thailand", "Thai officials")]
    assert got[2] == [("it", "russia", "Russia")]
    assert got[3] == []
    assert got[4] == []  # the only person before 'him' is the verb's own subject


def test_a_resolved_party_is_explained_in_the_candidate(tmp_path):
    got = _extract(tmp_path, "Azerbaijan Airlines flight 8243 crashed on Monday. Azerbaijan said the plane "
                             "was struck by Russian police.")
    c = next(c for c in got if c.type == "shootdown")
    assert (c.source, c.target) == ("ru_police", "azal")
    assert c.target_text == "the plane" and c.target_refers_to[2] == "Azerbaijan Airlines"
    assert "target 'the plane' = 'Azerbaijan Airlines'" in c.rule
    assert c.as_dict()["target_refers_to"]["text"] == "Azerbaijan Airlines"


def test_a_relative_clause_acts_back_on_who_acted_on_its_antecedent(tmp_path):
    got = _extract(tmp_path, "Russia's call with Ilham Aliyev, who expressed support, angered Thailand.")
    c = _found(got, "aliyev", "russia", "statement_of_support")
    assert c is not None and c.rule == "partner in the sentence" and "inferred_target" in c.flags


def test_a_feeling_in_a_place_is_held_by_it_at_the_cause(tmp_path):
    got = _extract(tmp_path, "Russia's refusal fueled outrage in Azerbaijan.")
    c = _found(got, "azerbaijan", "russia", "outrage")
    assert c is not None and c.rule == "feeling held" and c.source_text == "Azerbaijan"
    assert _found(got, "russia", "azerbaijan", "outrage") is None


def test_the_public_of_a_state_is_the_datas_group_when_it_has_one(tmp_path):
    from graph.store.dataset import load_dataset
    from graph.text.extract import Extractor, Source
    from tests.conftest import write_dataset

    nodes = ("id,label,kind,affiliation,aliases\nrussia,Russia,state,,\nazerbaijan,Azerbaijan,state,,\n"
             "az_public,Azerbaijani public,group,azerbaijan,\n")
    folder = write_dataset(tmp_path / "p", nodes, "source,target,type,date\n", bundled_vocabulary().decode("utf-8"))
    text = ("Russia raided Azerbaijan on Monday. Azerbaijan condemned Russia. "
            "The raid sparked public fury in Azerbaijan.")
    got = Extractor(load_dataset(folder)).extract([Source("t.txt", text)], dt.date(2025, 7, 9)).candidates
    c = _found(got, "az_public", "russia", "outrage")  # no cause named: the adversary in play
    assert c is not None and c.rule == "adversary in play"


def test_a_later_trigger_of_the_same_sentence_can_name_an_earlier_ones_event(tmp_path):
    got = _extract(tmp_path, "Russian police raided Azerbaijan's embassy on Monday. Huseyn Safarov and Ziyaddin "
                             "Safarov died during the raids, with Azerbaijan attributing their deaths to beatings.")
    assert _found(got, "ru_police", "h_safarov", "killing") is not None
    c = _found(got, "azerbaijan", "ru_police", "accusation")
    assert c is not None and c.rule == "event anaphora"


def test_a_mention_inside_a_closed_relative_clause_is_not_the_next_verbs_subject(tmp_path):
    got = _extract(tmp_path, "Ilham Aliyev, who chairs the Foreign Ministry of Azerbaijan, condemned Russia.")
    assert ("aliyev", "russia", "condemnation") in _events(got)
    assert not [c for c in got if c.source == "az_mfa"]


def test_a_role_noun_finds_the_body_named_in_the_singular():
    from graph.text.actors import ActorDictionary, Article
    from graph.text.tokens import tokenize

    nodes = pd.DataFrame([
        {"id": "rwanda", "label": "Rwanda", "kind": "state", "affiliation": "", "aliases": ""},
        {"id": "rdf", "label": "Rwanda Defence Force", "kind": "institution", "affiliation": "rwanda", "aliases": ""},
    ]).set_index("id", drop=False)
    text = "Rwandan forces crossed."
    got = Article(ActorDictionary.from_nodes(nodes)).mentions(tokenize(text), text)
    assert [(m.text, m.actor.id) for m in got] == [("Rwandan forces", "rdf")]


def test_no_target_is_inferred_on_top_of_a_guessed_actor(tmp_path):
    # "in Russia" is only the nearest name before "backlash", not its actor: no second guess on top
    got = _extract(tmp_path, "Russia raided Azerbaijan on Monday. Azerbaijan condemned Russia. "
                             "The arrests of Thai citizens in Russia and the subsequent backlash surprised many.")
    assert not [c for c in got if c.type == "outrage" and "inferred_target" in c.flags]


def test_a_possessive_before_a_states_ground_names_its_owner_not_the_verbs_subject(tmp_path):
    got = _resolved(["Thai officials said they would not talk while Russian jets were striking their territory."])
    assert ("their territory", "thailand", "Thai officials") in got[0]
    got = _extract(tmp_path, "Thai officials said they would not talk while Russian jets were striking their territory.")
    c = _found(got, "russia", "thailand", "shootdown")  # "striking" is a form of the shootdown keyword "struck"
    assert c is not None and c.target_text == "their territory" and c.target_refers_to[2] == "Thai officials"


def test_the_noun_after_a_trigger_names_its_event_later(tmp_path):
    got = _extract(tmp_path, "Russia announced joint military flights with Azerbaijan on Monday, and Thailand "
                             "condemned the flights as a provocation.")
    assert ("russia", "azerbaijan", "military_support") in _events(got)
    c = _found(got, "thailand", "russia", "condemnation")
    assert c is not None and c.rule == "event anaphora" and c.target_text == "the flights"
