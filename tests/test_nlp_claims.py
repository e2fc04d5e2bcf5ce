"""Claims: check-worthy sentences, their kind, quantities, causes and actors."""
import json

import pytest

from parallax.model import Causal, Claim, Quantity, to_data
from parallax.nlp.claims import claim_spans, find_causal
from parallax.nlp.entities import entity_spans
from parallax.nlp.sentences import sentence_spans
from parallax.nlp.spacy_model import load_nlp
from tests.conftest import SEEDS


@pytest.mark.parametrize("text, cause, effect", [
    ("In truth, the collapse of the weeklong ceasefire early last week was triggered by the "
     "deliberate bombing of Syrian army positions by US aircraft—positions that were well known.",
     "the deliberate bombing of Syrian army positions by US aircraft",
     "the collapse of the weeklong ceasefire early last week"),
    ("As reported previously, the ceasefire deal effectively collapsed last Monday when an aid "
     "convoy was bombed.",
     "an aid convoy was bombed", "the ceasefire deal effectively collapsed last Monday"),
    ("Rebels and opposition leaders blamed Russia, Syria's key ally, for the bunker-buster bombs.",
     "Russia, Syria's key ally", "the bunker-buster bombs"),
    ("Churkin stated that reaching a peace deal was impossible due to Washington's support "
     "for al-Nusra.",
     "Washington's support for al-Nusra", "reaching a peace deal was impossible"),
    ("The shelling led to the evacuation of the hospital.",
     "The shelling", "the evacuation of the hospital"),
    ("The attack enabled Islamic State fighters to assume control of the area.",
     "The attack", "Islamic State fighters to assume control of the area"),
    ("Because the road was closed, the convoy turned back.",
     "the road was closed", "the convoy turned back"),
    ('"Peace is impossible now because of this," Churkin told the council.',
     "this", "Peace is impossible now"),
])
def test_find_causal(text, cause, effect):
    found = find_causal(text, 0, len(text))
    assert isinstance(found, Causal)
    assert (found.cause.text, found.effect.text) == (cause, effect)
    for part in (found.cause, found.effect):
        assert text[part.start:part.end] == part.text


@pytest.mark.parametrize("text", [
    "The talks ended on Friday.",  # a breakdown verb with no explanation
    "Power told the council it was barbarism.",
])
def test_no_causal_link(text):
    assert find_causal(text, 0, len(text)) is None


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def _claims(nlp, text):
    doc = nlp(text)
    return claim_spans(doc, sentence_spans(doc), entity_spans(doc))


@pytest.mark.parametrize("text, kind, actors", [
    ("Residents said hundreds of civilians have been killed since the truce fell apart.",
     "numeric", []),
    ("US aircraft bombed Syrian army positions near Deir ez-Zor on Saturday.",
     "event", ["United States", "Syrian", "Deir ez-Zor"]),
    ("Samantha Power and Matthew Rycroft walked out of the chamber as the envoy spoke.",
     "event", ["Samantha Power", "Matthew Rycroft"]),
    ("The Security Council met on Sunday at the request of the United States.",
     "event", ["Security Council", "United States"]),
    ("The collapse of the truce was triggered by the bombing of an aid convoy.", "causal", []),
    # An unnamed subject counts when a date makes the action checkable.
    ("State media reported that the army on Saturday seized control of the camp.", "event", []),
])
def test_claim_kinds(nlp, text, kind, actors):
    [claim] = _claims(nlp, text)
    assert isinstance(claim, Claim)
    assert (claim.kind, claim.actors) == (kind, actors)
    assert 0 < claim.score <= 1


@pytest.mark.parametrize("text", [
    "It is time to say who is carrying out those air strikes.",
    "This is a privilege and it is a responsibility.",
    "The talks lasted three weeks.",  # a duration alone is context, not a checkable figure
    "Global Research, September 26, 2016",
    "The army seized control of the camp.",  # no named actor, no date
    "On Saturday they seized control of the camp.",  # a pronoun names no one
])
def test_not_claims(nlp, text):
    assert _claims(nlp, text) == []


def test_casualty_counts_outrank_other_figures(nlp):
    [killed] = _claims(nlp, "Between 26 and 43 civilians were reported killed in raids.")
    [units] = _claims(nlp, "They have dozens and dozens of units, including heavy weaponry.")
    assert killed.score > units.score


@pytest.fixture(scope="module")
def seed_claims(nlp):
    result = {}
    for name in ("zerohedge.txt", "globalresearch.md"):
        text = (SEEDS / name).read_text(encoding="utf-8")
        result[name] = (text, _claims(nlp, text))
    return result


def _claim_with(seed_claims, seed, phrase):
    text, claims = seed_claims[seed]
    at = text.index(phrase)
    matches = [c for c in claims if c.start <= at < c.end]
    assert matches, f"no claim covers {phrase!r}"
    return text, matches[0]


@pytest.mark.parametrize("seed, phrase, kind, quantity", [
    ("zerohedge.txt", "hundreds of civilians have been killed", "numeric",
     {"low": 200, "high": 999, "unit": "civilian", "approximate": True}),
    ("globalresearch.md", "Between 26 and 43 civilians were reported killed", "numeric",
     {"low": 26, "high": 43, "unit": "civilian", "approximate": False}),
    ("globalresearch.md", "killed over 60 soldiers and injured over 100 more", "numeric",
     {"low": 61, "high": None, "unit": "soldier", "approximate": False}),
    ("globalresearch.md", "close to half a million people", "numeric",
     {"low": 500_000, "high": 500_000, "unit": "people", "approximate": True}),
    ("globalresearch.md", "the collapse of the weeklong ceasefire early last week was triggered",
     "causal", None),
    ("zerohedge.txt", "effectively collapsed in what may be a record short period", "causal",
     None),
])
def test_seed_claims(seed_claims, seed, phrase, kind, quantity):
    text, claim = _claim_with(seed_claims, seed, phrase)
    assert claim.kind == kind
    if quantity:
        found = [{k: getattr(q, k) for k in quantity} for q in claim.quantities]
        assert quantity in found
        for q in claim.quantities:
            assert isinstance(q, Quantity) and text[q.start:q.end] == q.text


@pytest.mark.parametrize("seed, phrase, cause, effect", [
    ("globalresearch.md", "was triggered by the deliberate bombing",
     "the deliberate bombing of Syrian army positions by US aircraft",
     "the collapse of the weeklong ceasefire early last week"),
    ("zerohedge.txt", "when an aid convoy was bombed", "an aid convoy was bombed",
     "the September 9 ceasefire deal between U.S. Secretary of State John Kerry and Russian "
     "Foreign Minister Sergei Lavrov aimed at putting Syria's peace process back on track "
     "effectively collapsed in what may be a record short period of time last Monday"),
])
def test_seed_causes(seed_claims, seed, phrase, cause, effect):
    _, claim = _claim_with(seed_claims, seed, phrase)
    assert (claim.causal.cause.text, claim.causal.effect.text) == (cause, effect)


def test_seed_claim_actors_are_canonical_names(seed_claims):
    _, claim = _claim_with(seed_claims, "zerohedge.txt", "walked out of the chamber")
    assert {"Samantha Power", "Matthew Rycroft", "Francois Delattre"} <= set(claim.actors)


def test_seed_claims_are_json_ready_sentences(seed_claims):
    for text, claims in seed_claims.values():
        assert claims
        for claim in claims:
            assert claim.label == "claim"
            assert claim.kind in ("numeric", "causal", "event")
            assert (claim.kind == "causal") == (claim.causal is not None)
            json.dumps(to_data(claim), allow_nan=False)
