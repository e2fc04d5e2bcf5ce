"""sentence_spans: spaCy sentences repaired at paragraph breaks, torn quotes, abbreviations."""
import pytest

from parallax.nlp.sentences import sentence_spans
from parallax.nlp.spacy_model import load_nlp
from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def _sentences(nlp, text):
    return [text[s.start:s.end] for s in sentence_spans(nlp(text))]


@pytest.mark.parametrize("text, expected", [
    # A headline never runs into the body.
    ("Moscow Responds Peace \"Almost Impossible Now\"\n\nJust three weeks after the deal.",
     ["Moscow Responds Peace \"Almost Impossible Now\"", "Just three weeks after the deal."]),
    # A closing quote stays with its sentence, not the next paragraph.
    ("Power said: \"Russia is abusing this privilege.\"\n\nAs Syria's envoy began, they left.",
     ["Power said: \"Russia is abusing this privilege.\"", "As Syria's envoy began, they left."]),
    # Separators are not sentences.
    ("The war goes on.\n\n* * *\n\nEarlier today, Lavrov spoke.",
     ["The war goes on.", "Earlier today, Lavrov spoke."]),
])
def test_sentences(nlp, text, expected):
    assert _sentences(nlp, text) == expected


@pytest.mark.parametrize("seed, sentence", [
    ("zerohedge.txt", "Russia holds a permanent seat on the U.N. Security Council."),
    ("zerohedge.txt", '"The regime and Russia have instead plunged to new depths and unleashed a '
                      'new hell on Aleppo," Rycroft told the council.'),
    ("zerohedge.txt", "Yet in Syria and in Aleppo, Russia is abusing this historic privilege.\""),
    ("globalresearch.md", "Between 26 and 43 civilians were reported killed in bombing raids on "
                          "eastern Aleppo, which is controlled by anti-Assad forces dominated by "
                          "al-Nusra."),
    ("globalresearch.md", "Global Research, September 26, 2016"),
])
def test_seed_sentences(nlp, seed, sentence):
    text = (SEEDS / seed).read_text(encoding="utf-8")
    assert sentence in _sentences(nlp, text)


def test_seed_sentences_are_trimmed_and_never_cross_paragraphs(nlp):
    for seed in ("zerohedge.txt", "globalresearch.md"):
        text = (SEEDS / seed).read_text(encoding="utf-8")
        spans = sentence_spans(nlp(text))
        assert len(spans) > 40
        for span in spans:
            piece = text[span.start:span.end]
            assert piece == piece.strip()
            assert "\n\n" not in piece
            assert span.label == "sentence"
        assert all(a.end <= b.start for a, b in zip(spans, spans[1:]))


def _doc_split_before(nlp, text, first_words):
    """A Doc whose sentences start exactly at the given words (a stand-in for a bad parse)."""
    doc = nlp.make_doc(text)
    for token in doc:
        token.is_sent_start = token.i == 0 or token.text in first_words
    return doc


@pytest.mark.parametrize("text, first_words, expected", [
    # A split after an initialism is undone when the next piece starts in lower case.
    ("He served in the U.S. army in Syria.", {"army"}, ["He served in the U.S. army in Syria."]),
    ("They met Gen. smith there.", {"smith"}, ["They met Gen. smith there."]),
    # A lower-case start after a real sentence end stays a sentence of its own.
    ("The troops arrived. the rest stayed home.", {"the"},
     ["The troops arrived.", "the rest stayed home."]),
    # A closing quote torn off onto the next piece goes back to its sentence.
    ('"We left." They said so.', {'"'}, ['"We left."', "They said so."]),
])
def test_repairs_of_bad_splits(nlp, text, first_words, expected):
    doc = _doc_split_before(nlp, text, first_words)
    assert [text[s.start:s.end] for s in sentence_spans(doc)] == expected
