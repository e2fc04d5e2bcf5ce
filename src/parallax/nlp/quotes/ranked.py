"""Stage 5 with the ranker: the attribution contents chosen among every candidate.

    ranked_found(doc, found, learned, not_speech) -> list[Found]

When the attribution head ships its ranker (nlp.attribution.ranker), the contents are
not the rules' plus the head's leftovers (nlp.quotes.learned) but the best of all
candidates (nlp.quotes.candidates): the ranker predicts each candidate's Jaccard with
what an annotator would mark, and candidates are taken best first, each sharing no
character with one taken before, while the prediction reaches the ranker's threshold.
On PolNeAR train (5-fold CV) this lifts content F1 from 0.676 to 0.702 over rules + head.

What each chosen content becomes:
- a rule's own content: the rule's attribution, unchanged;
- a span overlapping a rule's content: the rule's attribution (cue, speaker, kind) with
  the ranker's extent, e.g. the whole reported clause around a partial quotation
  ("called Valeant's chief executive ''incredibly driven''") or a content cut before a
  writer's aside;
- anything else: a learned attribution whose cue is found as nlp.quotes.learned finds it,
  and its speaker too, or by the ranker's speaker trees when it ships them
  (nlp.quotes.speaker_rank).
The rules' scare quotes stay as they are, and so does an attributed quotation no chosen
content of another statement holds: the ranker decides what was said, and never hides a
quotation.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np
from spacy.tokens import Doc

from parallax.model import Quote
from parallax.nlp.attribution.head import Learned
from parallax.nlp.quotes.candidates import Candidate, content_candidates, content_features, with_pieces
from parallax.nlp.quotes.found import Found
from parallax.nlp.quotes.learned import learned_found, trimmed
from parallax.nlp.quotes.speaker_rank import ranked_speakers
from parallax.nlp.spacy_model import doc_text

# A content no rule holds needs this many words: a lone noun the parse offers ("Power") is
# a mention, not what someone said (3 words cost 0.004 CV F1: "the issue" can be what a
# stance is about).
MIN_LEARNED_WORDS = 2
# A chosen extent's last sentence of at most this many words is cut off.
STUB_WORDS = 2


def _chosen(candidates: list[Candidate], scores: np.ndarray, threshold: float) -> list[int]:
    """Indices of the candidates taken best first, none overlapping another, while the
    score reaches `threshold`."""
    taken: list[int] = []
    for index in np.argsort(-scores, kind="stable").tolist():
        if scores[index] < threshold:
            break
        candidate = candidates[index]
        if not any(candidate.start < candidates[t].end and candidates[t].start < candidate.end for t in taken):
            taken.append(index)
    return taken


def _is_quotation(item: Found) -> bool:
    """An attributed quotation: it stays unless a chosen content of another statement
    holds it (keeping those no chosen content overlaps leaves CV F1 unchanged at 0.708,
    and a reader keeps seeing the quotations the rules read; one that shares the cue of
    a kept attribution is part of that statement)."""
    return item.kind in ("direct", "partial") and item.cue is not None


def _without_stub(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """[start, end) without a last sentence of at most STUB_WORDS words: a head span that
    ran on past the sentence end ("he's thankful. However")."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return start, end
    last = span[-1].sent.start
    if last <= span.start or len([t for t in doc[last:span.end] if not t.is_punct]) > STUB_WORDS:
        return start, end
    return trimmed(doc, start, doc[last - 1].idx + len(doc[last - 1]))


def _with_extent(rule: Found, start: int, end: int) -> Found:
    """The rule's attribution over the ranker's extent: an indirect content is the extent;
    a quotation keeps its quoted words and takes the extent as its reported clause when
    the extent holds them and not their cue (a span inside a quotation is no clause of it,
    nor is "“...,” Delgado said")."""
    if rule.kind == "indirect":
        return replace(rule, start=start, end=end, clause=None)
    holds_cue = rule.cue is not None and start <= rule.cue.idx < end
    return replace(rule, clause=(start, end)) if start <= rule.start and rule.end <= end and not holds_cue else rule


def _lends(rule: Found, lent: bool, start: int, end: int) -> bool:
    """May `rule` lend its attribution to the extent [start, end)? A quotation lends once
    (`lent`: it did already); an indirect attribution lends to each part of it chosen (they
    share its cue, so they are scored and shown as one statement), but
    not when the extent holds its cue: then it is a statement inside the extent ("Devine
    made it clear that his boss wanted ..." is not his boss's)."""
    if rule.kind != "indirect":
        return not lent
    return rule.cue is None or not start <= rule.cue.idx < end


def _whole_statement(rule: Found, start: int, end: int) -> bool:
    """Does [start, end) hold all of the sentence's own statement `rule` ("Axelrod said the
    fading attention helped Clinton"): its speaker, its cue (the sentence's main verb) and
    its content? Then the rule's content is what was said, and the rule names who said it
    (as a learned content, its speaker came from the speaker trees: "the CIA base")."""
    return rule.kind == "indirect" and rule.cue is not None and rule.subject is not None \
        and rule.cue.dep_ == "ROOT" and start <= rule.subject.idx and rule.cue.idx < end \
        and start <= rule.start and rule.end <= end


def _attributions(doc: Doc, chosen: list[Candidate], scores: list[float], found: list[Found],
                  not_speech: list[tuple[int, int]]) -> list[Found]:
    """What the chosen candidates become (see the module docstring); `not_speech`: the
    quotation runs the rules read as titles or scare quotes, which no learned content covers."""
    spans = {(c.start, c.end) for c in chosen if c.rule is not None}
    kept = [f for f in found if f.kind == "scare" or f.extent in spans]
    others = [f for f in found if f.kind != "scare" and f.extent not in spans]
    used: set[int] = set()
    new: list[Quote] = []
    for candidate, score in zip(chosen, scores):
        if candidate.rule is not None:
            continue
        start, end = _without_stub(doc, *trimmed(doc, candidate.start, candidate.end))
        if start >= end:
            continue
        whole = [k for k, f in enumerate(others) if k not in used and _whole_statement(f, start, end)]
        if whole:  # "Axelrod said X" chosen whole: the rule's "X", by Axelrod
            used.add(whole[0])
            kept.append(others[whole[0]])
            continue
        overlaps = [(min(candidate.end, f.extent[1]) - max(candidate.start, f.extent[0]), k)
                    for k, f in enumerate(others) if _lends(f, k in used, start, end)]
        overlaps = [o for o in overlaps if o[0] > 0]
        if overlaps:
            lender = max(overlaps)[1]
            used.add(lender)
            kept.append(_with_extent(others[lender], start, end))
        elif len(doc_text(doc)[start:end].split()) >= MIN_LEARNED_WORDS:
            new.append(candidate.head or Quote(candidate.start, candidate.end, "indirect", round(score, 4)))
    chosen_spans = [(c.start, c.end) for c in chosen]
    kept_cues = {f.cue.i for f in kept if f.cue is not None}
    kept += [f for k, f in enumerate(others) if k not in used and _is_quotation(f) and (
        f.cue.i in kept_cues or not any(s <= f.start and f.end <= e for s, e in chosen_spans))]
    return kept + learned_found(doc, new, kept, not_speech)


def ranked_candidates(doc: Doc, found: list[Found], learned: Learned) -> list[Candidate]:
    """The candidates the ranker scores (nlp.quotes.candidates), each over a word piece."""
    return with_pieces(content_candidates(doc, found, learned.low, learned.decoding.min_score), learned.tags)


def ranked_found(doc: Doc, found: list[Found], learned: Learned,
                 not_speech: list[tuple[int, int]] = ()) -> list[Found]:
    """The attributions of `doc` chosen by `learned.ranker` among the candidates of the
    rules' `found` (after nesting and inheritance), the head's contents and the parse;
    `not_speech`: quotation runs that are titles or scare quotes."""
    ranker = learned.ranker
    if ranker is None:
        raise ValueError("ranked_found needs the head's ranker (learned.ranker is None)")
    candidates = ranked_candidates(doc, found, learned)
    if not candidates:
        return [f for f in found if f.kind == "scare"]
    scores = ranker.content.predict(content_features(doc, candidates, found, learned.tags))
    chosen = _chosen(candidates, scores, ranker.threshold)
    result = _attributions(doc, [candidates[i] for i in chosen], [float(scores[i]) for i in chosen],
                           found, list(not_speech))
    if ranker.speaker is not None:
        result = ranked_speakers(doc, result, learned.tags, ranker.speaker, ranker.speaker_threshold)
    return result


__all__ = ["ranked_candidates", "ranked_found"]
