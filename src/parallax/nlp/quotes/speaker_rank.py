"""The ranker's speakers for learned contents: which word of the context names the speaker.

    ranked_speakers(doc, found, tags, trees, threshold) -> list[Found]

A content the rules did not find has no rule to say who speaks; nlp.quotes.learned takes
the subject of the verb it hangs from, right for 0.71 of PolNeAR train's matched learned
contents. Here every noun, name and pronoun of the content's sentence and the sentence
before it is a candidate, scored by trees (nlp.attribution.trees) over the head's source
and cue probabilities at the word, its grammatical link to the cue and to the content,
its distance and its kind; the best one becomes the subject when it scores at least
`threshold`, else the content is unattributed. The rules' own attributions keep theirs.
"""
from __future__ import annotations

import bisect
from dataclasses import replace

import numpy as np
from spacy.tokens import Doc, Token

from parallax.model import BY_MODEL
from parallax.nlp.attribution.ranker import SPEAKER_DEPS as DEPS
from parallax.nlp.attribution.ranker import SPEAKER_FEATURES
from parallax.nlp.attribution.ranker import SPEAKER_ENTITY_TYPES as ENTITY_TYPES
from parallax.nlp.attribution.tags import TagProbs
from parallax.nlp.attribution.trees import Trees
from parallax.nlp.quotes.direct import quoted_tokens
from parallax.nlp.quotes.found import Found
from parallax.nlp.quotes.tokens import SPEAKER_POS

# Steps up the tree a path search climbs (a longer path is "unrelated").
MAX_PATH = 8


def _ancestors(token: Token) -> dict[int, int]:
    """{index of each ancestor of `token` (itself included): its distance}, MAX_PATH up."""
    ancestors, depth = {token.i: 0}, 0
    while token.head.i != token.i and depth < MAX_PATH:
        token, depth = token.head, depth + 1
        ancestors[token.i] = depth
    return ancestors


def _path(token: Token, ancestors: dict[int, int]) -> int:
    """Dependency-path length from `token` to the word whose `ancestors` these are
    (2 * MAX_PATH + 2 when they meet no lower than MAX_PATH steps up from either)."""
    for depth in range(MAX_PATH + 1):
        if token.i in ancestors:
            return ancestors[token.i] + depth
        if token.head.i == token.i:
            break
        token = token.head
    return 2 * MAX_PATH + 2


def content_tokens(doc: Doc, item: Found) -> tuple[Token, Token] | None:
    span = doc.char_span(*item.extent, alignment_mode="expand")
    return (span[0], span[-1]) if span is not None and len(span) else None


def speaker_candidates(doc: Doc, item: Found) -> list[Token]:
    """Nouns, names and pronouns outside the content, in its sentences and the one before."""
    edges = content_tokens(doc, item)
    if edges is None:
        return []
    first, last = edges
    low = first.sent.start
    low = doc[low - 1].sent.start if low > 0 else low
    return [t for t in doc[low:last.sent.end] if t.pos_ in SPEAKER_POS and not first.i <= t.i <= last.i
            and t.tag_ != "POS" and any(c.isalpha() for c in t.text)]  # never "’s" nor "--"


def speaker_features(doc: Doc, item: Found, tokens: list[Token], tags: TagProbs) -> np.ndarray:
    """One row of SPEAKER_FEATURES per candidate token."""
    quoted = quoted_tokens(doc)  # a word inside a quotation rarely names its speaker
    first, last = content_tokens(doc, item)  # type: ignore[misc]  (tokens is empty otherwise)
    root = doc[first.i:last.i + 1].root
    probs = np.asarray(tags.probs)
    source, cue_p = probs[:, 3] + probs[:, 4], probs[:, 5] + probs[:, 6]
    starts = [s for s, _ in tags.offsets]
    subject, cue = item.subject, item.cue
    to_cue = _ancestors(cue) if cue is not None else {}
    to_root = _ancestors(root)
    rows = []
    for token in tokens:
        piece = bisect.bisect_right(starts, token.idx) - 1
        after = token.i > last.i
        distance = token.i - last.i if after else first.i - token.i
        dep = token.dep_ if token.dep_ in DEPS else "other"
        entity = token.ent_type_ if token.ent_type_ in ENTITY_TYPES else ("other" if token.ent_type_ else "none")
        rows.append([
            1.0 if after else -1.0, np.log1p(distance), token.sent.start == first.sent.start,
            subject is not None and subject.i == token.i, subject is not None and token.head.i == subject.i,
            cue is not None and token.head.i == cue.i, _path(token, to_cue) if cue is not None else 0,
            _path(token, to_root), token.head.i == root.head.i,
            source[max(0, piece - 1):piece + 2].max() if piece >= 0 else 0.0,
            cue_p[max(0, piece - 3):piece + 4].max() if piece >= 0 else 0.0,
            item.found_by == BY_MODEL, subject is None,
            token.pos_ == "PROPN", token.pos_ == "PRON", token.pos_ == "NOUN", token.is_title,
            token.dep_ in ("nsubj", "nsubjpass") and token.head.pos_ in ("VERB", "AUX"),
            token.i in quoted, token.dep_ == "pobj" and token.head.dep_ == "agent",
            *(dep == d for d in DEPS), *(entity == e for e in ENTITY_TYPES)])
    return np.array(rows, dtype=np.float64).reshape(len(tokens), len(SPEAKER_FEATURES))


def _name_end(token: Token) -> Token:
    """The last word of the name `token` is part of ("al" of "Bashar al-Assad", which the
    parser splits): the word the rules take as a name's head. A title before a name
    stands for it ("Mr." of "Mr. Sanders")."""
    while token.dep_ == "compound" and token.head.i > token.i and token.head.pos_ == "PROPN" \
            and token.head.sent.start == token.sent.start:
        token = token.head
    if token.ent_iob_ == "O":
        return token
    end = token.i
    while end + 1 < len(token.doc) and token.doc[end + 1].ent_iob_ == "I":
        end += 1
    while end > token.i and token.doc[end].is_punct:
        end -= 1
    return token.doc[end]


def ranked_speakers(doc: Doc, found: list[Found], tags: TagProbs, trees: Trees, threshold: float) -> list[Found]:
    """`found` with each learned attribution's subject chosen by `trees` (None below
    `threshold`); one tree pass scores the candidates of every learned attribution."""
    learned = [k for k, item in enumerate(found) if item.found_by == BY_MODEL and item.kind != "scare"]
    tokens = {k: speaker_candidates(doc, found[k]) for k in learned}
    rows = [speaker_features(doc, found[k], tokens[k], tags) for k in learned if tokens[k]]
    scores = trees.predict(np.vstack(rows)) if rows else np.zeros(0)
    result, offset = list(found), 0
    for k in learned:
        mine = scores[offset:offset + len(tokens[k])]
        offset += len(tokens[k])
        best = int(mine.argmax()) if len(mine) else -1
        result[k] = replace(found[k], subject=_name_end(tokens[k][best]) if best >= 0 and mine[best] >= threshold else None)
    return result


__all__ = ["ranked_speakers", "speaker_candidates", "speaker_features"]
