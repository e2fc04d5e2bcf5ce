"""FastAttributeRuler gives exactly what spaCy's AttributeRuler gives (POS, tag, morphology, lemma).

Checked once on all 371 PTC train articles and the seeds (421,933 tokens, no difference);
here on the seeds and on texts that reach the ruler's word exceptions and multi-token rules.
"""
from __future__ import annotations

import pytest
import spacy

from parallax.nlp import attribute_ruler
from parallax.nlp.spacy_model import DEFAULT_SPACY_MODEL

TEXTS = [
    "I ain't goin' nowhere, and nothin' you say will change it.",   # two-token and regex rules
    "She doesn't know whether they're coming; he'd said I'm fine.",  # contractions
    "Its members, who were there, were told: \u201cWe will not stop.\u201d\n\n  Spaces   too.",
    "The U.N. envoy said 26 to 43 people died. Mr. Churkin's reply was 'almost impossible'.",
]


@pytest.fixture(scope="module")
def pipelines():
    reference = spacy.load(DEFAULT_SPACY_MODEL, exclude=["ner", "lemmatizer"])
    fast = spacy.load(DEFAULT_SPACY_MODEL, exclude=["ner", "lemmatizer"])
    attribute_ruler.install(fast)
    return reference, fast


def _annotations(doc) -> list[tuple]:
    return [(t.text, t.pos_, t.tag_, str(t.morph), t.lemma_) for t in doc]


def test_the_fast_ruler_replaces_spacys(pipelines) -> None:
    _, fast = pipelines
    assert "parallax_attribute_ruler" in fast.pipe_names and "attribute_ruler" not in fast.pipe_names


@pytest.mark.parametrize("text", TEXTS)
def test_same_annotations_as_spacy(pipelines, text: str) -> None:
    reference, fast = pipelines
    assert _annotations(fast(text)) == _annotations(reference(text))


def test_same_annotations_on_the_seeds(pipelines, seed_paths) -> None:
    reference, fast = pipelines
    for path in seed_paths:
        text = path.read_text(encoding="utf-8")
        assert _annotations(fast(text)) == _annotations(reference(text))


def test_most_patterns_become_lookups(pipelines) -> None:
    _, fast = pipelines
    ruler = fast.get_pipe("parallax_attribute_ruler")
    assert len(ruler.matcher) < 40 < len({g for groups in ruler.lookup.values() for g in groups})
