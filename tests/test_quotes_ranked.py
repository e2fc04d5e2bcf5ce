"""The ranker's stage (nlp.quotes.ranked, nlp.quotes.candidates): candidates from the parse,
the rules and the head; hand-built trees that score one feature stand in for the trained
ranker, so each case says which candidate wins and what it becomes."""
from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pytest

from parallax.nlp.attribution.head import learned_from_tags
from parallax.nlp.attribution.ranker import CONTENT_FEATURES, Ranker
from parallax.nlp.attribution.tags import Decoding, TagProbs, TAG_NAMES
from parallax.nlp.attribution.trees import Trees
from parallax.nlp.entities import entity_spans
from parallax.nlp.quotes import quote_spans
from parallax.nlp.quotes.candidates import content_candidates, content_features, with_pieces
from parallax.nlp.quotes.extract import rule_found
from parallax.nlp.spacy_model import load_nlp


def tags_of(text: str) -> TagProbs:
    """One word piece per word, every piece tagged O with certainty."""
    offsets = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    probs = np.zeros((len(offsets), len(TAG_NAMES)))
    probs[:, 0] = 1.0
    return TagProbs(offsets, probs)


def scoring(feature: str) -> Trees:
    """Trees giving 1.0 to candidates with `feature` set, 0.0 to the others."""
    index = CONTENT_FEATURES.index(feature)
    return Trees(feature=np.array([[index, 0, 0]]), threshold=np.array([[0.5, 0, 0]]),
                 left=np.array([[1, 0, 0]]), right=np.array([[2, 0, 0]]),
                 value=np.array([[0.0, 0.0, 1.0]]), leaf=np.array([[False, True, True]]),
                 baseline=0.0, link="identity", n_features=len(CONTENT_FEATURES))


def ranked(text: str, feature: str) -> list[tuple[str, str, str | None, str]]:
    doc = load_nlp()(text)
    ranker = Ranker(scoring(feature), 0.5, 0.3, {})
    learned = learned_from_tags(text, tags_of(text), Decoding(min_score=0.65), ranker, 0.3)
    quotes = quote_spans(doc, entity_spans(doc), learned)
    return [(text[q.clause.start:q.clause.end] if q.clause else text[q.start:q.end], q.label,
             q.speaker.name if q.speaker else None, q.found_by) for q in quotes]


def test_candidates_hold_the_reported_clause_with_its_cue_and_every_sentence():
    text = "Lavrov charged that no progress had been made. The talks went on."
    doc = load_nlp()(text)
    found, _ = rule_found(doc, entity_spans(doc))
    candidates = with_pieces(content_candidates(doc, found, [], 0.65), tags_of(text))
    by_text = {text[c.start:c.end]: c for c in candidates}
    clause = by_text["that no progress had been made"]
    assert "ccomp" in clause.deps and clause.rule is not None and clause.governor.text == "charged"
    assert "sent" in by_text["The talks went on"].deps
    features = content_features(doc, candidates, found, tags_of(text))
    assert features.shape == (len(candidates), len(CONTENT_FEATURES)) and np.isfinite(features).all()


def test_trees_that_keep_the_rules_contents_give_the_rules_quotes():
    text = "“We will not give up,” Kerry said. Lavrov charged that no progress had been made."
    doc = load_nlp()(text)
    rules = [(text[q.start:q.end], q.label, q.speaker.name if q.speaker else None, q.found_by)
             for q in quote_spans(doc, entity_spans(doc))]
    assert ranked(text, "rule") == rules


def test_a_chosen_clause_over_a_rule_content_keeps_the_rule_attribution_and_speaker():
    # PolNeAR marks the whole reported clause; the rules cut it before "and tell him".
    text = "Kasich says he’d sit Putin down and tell him “no more nonsense” in the first week."
    assert ranked(text, "dep_ccomp") == [
        ("he’d sit Putin down and tell him “no more nonsense” in the first week", "indirect", "Kasich", "rules")]


def test_a_chosen_clause_around_a_quotation_becomes_its_clause():
    text = "Mr. Trump said the way the party treated women “would be all but disqualifying” now."
    shown = ranked(text, "dep_ccomp")
    assert [(label, speaker) for _, label, speaker, _ in shown] == [("partial", "Trump")]
    assert shown[0][0].startswith("the way the party treated women")


def test_a_quotation_no_chosen_content_overlaps_stays():
    text = "“We will not give up,” Kerry said. Lavrov charged that no progress had been made."
    shown = ranked(text, "dep_ccomp")
    assert [(label, speaker) for _, label, speaker, _ in shown] == [("direct", "Kerry"), ("indirect", "Lavrov")]
    assert shown[0][0].startswith("We will not give up") and shown[1][0] == "that no progress had been made"


def test_a_chosen_content_no_rule_holds_is_a_model_quote_with_its_speaker_named():
    text = "Senator Elizabeth Warren rebuffed an offer to join the ticket."
    assert ("an offer to join the ticket", "indirect", "Elizabeth Warren", "model") in ranked(text, "dep_dobj")


def test_nothing_reaches_the_threshold_so_only_scare_quotes_and_quotations_stay():
    text = "Diplomats spoke of a “ceasefire”. Lavrov charged that no progress had been made."
    assert [label for _, label, _, _ in ranked(text, "kind_scare")] == ["scare"]


def ranked_with_speakers(text: str, speaker_feature: str, threshold: float) -> list[tuple[str, str | None, str]]:
    """(content, speaker mention, found_by) of each quote, speaker trees scoring one feature."""
    from parallax.nlp.attribution.ranker import SPEAKER_FEATURES

    index = SPEAKER_FEATURES.index(speaker_feature)
    speaker = replace(scoring("dep_dobj"), feature=np.array([[index, 0, 0]]), n_features=len(SPEAKER_FEATURES))
    doc = load_nlp()(text)
    ranker = Ranker(scoring("dep_dobj"), 0.5, 0.3, {}, speaker, threshold)
    learned = learned_from_tags(text, tags_of(text), Decoding(min_score=0.65), ranker, 0.3)
    return [(text[q.start:q.end], text[q.speaker.start:q.speaker.end] if q.speaker else None, q.found_by)
            for q in quote_spans(doc, entity_spans(doc), learned)]


SPEAKER_CASES = [
    # Trees that score the subject the rules' way keep it.
    ("is_subject", 0.5, "Elizabeth Warren"),
    # Another word wins when the trees say so (the mention shown is the words naming it).
    ("dep_pobj", 0.5, "the rally"),
    # No word reaches the threshold: unattributed rather than a guess.
    ("dep_poss", 0.5, None),
]


@pytest.mark.parametrize("feature, threshold, speaker", SPEAKER_CASES)
def test_the_speaker_trees_choose_the_word_that_names_a_learned_contents_speaker(feature, threshold, speaker):
    text = "At the rally, Senator Elizabeth Warren rebuffed an offer to join the ticket."
    assert ("an offer to join the ticket", speaker, "model") in ranked_with_speakers(text, feature, threshold)


def test_regression_a_quotation_two_chosen_contents_overlap_is_shown_once():
    # Dask batch rows came out duplicated: each overlapping content took the same quotation.
    from parallax.nlp.quotes.candidates import Candidate
    from parallax.nlp.quotes.ranked import _attributions

    text = "Kerry said the talks “will go on whatever happens in Aleppo this week” and left."
    doc = load_nlp()(text)
    found, _ = rule_found(doc, entity_spans(doc))
    quotation = next(f for f in found if f.kind == "partial")
    middle = (quotation.start + quotation.end) // 2
    chosen = [Candidate(text.index("the talks"), middle), Candidate(middle + 1, len(text) - 1)]
    result = _attributions(doc, chosen, [0.9, 0.8], found, [])
    assert sum(1 for f in result if (f.start, f.end) == (quotation.start, quotation.end)) == 1


def test_regression_an_extent_holding_the_rules_cue_leaves_the_quotation_as_it_is():
    # A Gothamist page: the chosen sentence made "..., Delgado said" the quotation's clause.
    text = "“I’m not against development, but it can’t be at the expense of the community,” Delgado said."
    doc = load_nlp()(text)
    [quote] = quote_spans(doc, entity_spans(doc))
    assert ranked(text, "dep_sent") == [(text[quote.start:quote.end], "direct", "Delgado", "rules")]


def test_regression_a_chosen_speaker_word_inside_a_name_is_shown_as_the_whole_name():
    # ZeroHedge seed: the parser splits "al-Assad"; the trees' word "al" was shown as the mention.
    from parallax.nlp.quotes.speaker_rank import _name_end

    doc = load_nlp()("Syrian President Bashar al-Assad has said that he aims to win the war militarily.")
    al = next(t for t in doc if t.text == "al")
    assert al.ent_iob_ != "O" and _name_end(al).text == "Assad"
    war = next(t for t in doc if t.text == "war")
    assert _name_end(war).i == war.i  # a word outside any name stays itself


def test_regression_an_extent_holding_an_indirect_cue_is_not_that_statements():
    # PolNeAR train: the chosen "that his boss wanted to see something firmer" took the
    # attribution of "his boss wanted" inside it, and his boss became its speaker.
    from parallax.nlp.quotes.candidates import Candidate
    from parallax.nlp.quotes.ranked import _attributions

    text = "Devine made it clear that his boss wanted to see something firmer."
    doc = load_nlp()(text)
    found, _ = rule_found(doc, entity_spans(doc))
    assert any(f.kind == "indirect" and f.cue is not None and f.cue.text == "wanted" for f in found)
    start = text.index("that his boss")
    result = _attributions(doc, [Candidate(start, len(text) - 1)], [0.9], found, [])
    [outer] = [f for f in result if f.extent[0] == start]
    assert outer.subject is None or outer.subject.text != "boss"


def test_regression_a_chosen_extent_holding_the_whole_statement_is_the_rules():
    # PolNeAR train (Washington Post): "Axelrod said the fading attention ... helped Clinton"
    # chosen whole became a learned content, and the speaker trees named "the CIA base" or
    # nobody; the rule's content and speaker stand instead.
    from parallax.nlp.quotes.candidates import Candidate
    from parallax.nlp.quotes.ranked import _attributions

    text = "Axelrod said the fading attention on the Democratic race this time helped Clinton."
    doc = load_nlp()(text)
    found, _ = rule_found(doc, entity_spans(doc))
    [rule] = [f for f in found if f.kind == "indirect"]
    result = _attributions(doc, [Candidate(0, len(text) - 1)], [0.9], found, [])
    assert [(f.start, f.end, f.subject.text) for f in result] == [(rule.start, rule.end, "Axelrod")]
