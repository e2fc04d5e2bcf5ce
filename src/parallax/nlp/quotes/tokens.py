"""Character-range helpers the quote stages share: lines, token ranges, edge trimming.

Everything here maps spaCy tokens to plain character offsets of the document text.
"""
from __future__ import annotations

from spacy.tokens import Doc, Token

from parallax.nlp.spacy_model import doc_text

# Characters at the edges of a content span that are punctuation of the writer's
# sentence, not content.
EDGE_PUNCT = " ,.;:—–-\n\t\"“”"
# Parts of speech of a word that may name a speaker.
SPEAKER_POS = frozenset(("NOUN", "PROPN", "PRON"))
# A reported clause shorter than this ("he said so") carries no content worth a quote.
MIN_CLAUSE_TOKENS = 3


def after_comma(token: Token) -> bool:
    """Is the token right before `token` a comma (", saying ...", ", said the chief")?"""
    return token.i > 0 and token.doc[token.i - 1].text == ","


def line_bounds(text: str, offset: int) -> tuple[int, int]:
    """[start, end) of the line holding `offset`: a line break ends a sentence even
    when the parser runs on across it."""
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return start, len(text) if end < 0 else end


def char_range(tokens: list[Token]) -> tuple[int, int]:
    """[start, end) covering every token of `tokens` (not empty)."""
    start = min(t.idx for t in tokens)
    end = max(t.idx + len(t) for t in tokens)
    return start, end


def strip_edges(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """[start, end) without the EDGE_PUNCT characters at either end."""
    text = doc_text(doc)
    while start < end and text[start] in EDGE_PUNCT:
        start += 1
    while end > start and text[end - 1] in EDGE_PUNCT:
        end -= 1
    return start, end


def in_sentence(tokens: list[Token], cue: Token) -> list[Token]:
    """The tokens within the cue's sentence and line (a parse can attach stray
    punctuation from the sentence before, and the parser's sentences can run across
    a line break)."""
    sent = cue.sent
    start, end = line_bounds(doc_text(cue.doc), cue.idx)
    return [t for t in tokens if sent.start <= t.i < sent.end and not t.is_space
            and start <= t.idx < end]


__all__ = ["EDGE_PUNCT", "MIN_CLAUSE_TOKENS", "SPEAKER_POS", "after_comma", "char_range", "in_sentence", "line_bounds",
           "strip_edges"]
