"""The learned tagger's attributions, joined to the rules' where the rules found nothing.

    learned_found(doc, learned, found) -> list[Found]

The rules are precise (P 0.78 on PolNeAR train) but miss half of what PolNeAR counts
as attribution: beliefs, plans, praise and blame without a verb of saying. The tagger
(parallax.nlp.attribution.head) finds many of those. Each of its contents that shares
no character with a rule attribution (content, reported clause or cue) nor with a
quotation (the rules have decided what each is: speech, a scare quote or the title of a
work) becomes an indirect `Found`, so the rules keep the seed and table-driven cases and
a learned content never swallows a rule's cue.

Its speaker is found as the rules find theirs: the grammatical subject of its cue word
(the tagger's cue, else the verb the content hangs from), else the head word of the
tagger's source span, if that word is a noun, a name or a pronoun; `speakers.to_quotes`
then names it (entities, pronouns, roles) or leaves it unattributed, and never takes a
dateline or a party tag.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from spacy.tokens import Doc, Token

from parallax.model import BY_MODEL, Quote
from parallax.nlp.quotes.cues import subject_of
from parallax.nlp.quotes.found import Found
from parallax.nlp.quotes.tokens import SPEAKER_POS, strip_edges

# Words a content cannot end on: the tagger's run stopped mid-phrase ("to KXAN in June, a").
DANGLING_POS = frozenset(("DET", "ADP", "CCONJ", "SCONJ", "PUNCT"))


def trimmed(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """[start, end) without edge punctuation and the function words it ends on (a learned
    or ranked extent stopped mid-phrase: "to KXAN in June, a")."""
    start, end = strip_edges(doc, start, end)
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return start, start
    last = span.end
    while last > span.start and doc[last - 1].pos_ in DANGLING_POS:
        last -= 1
    if last == span.start:
        return start, start
    return strip_edges(doc, start, min(end, doc[last - 1].idx + len(doc[last - 1])))


def _taken(found: list[Found]) -> list[tuple[int, int]]:
    """Character ranges the rules hold: contents, reported clauses and cue words."""
    ranges = [(f.start, f.end) for f in found]
    ranges += [f.clause for f in found if f.clause is not None]
    ranges += [(f.cue.idx, f.cue.idx + len(f.cue)) for f in found if f.cue is not None]
    return ranges


def _root(doc: Doc, start: int, end: int) -> Token | None:
    span = doc.char_span(start, end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _cue_token(doc: Doc, quote: Quote) -> Token | None:
    """The tagger's cue word, else the word outside the content that its root hangs from
    ("... said [that the plan works]")."""
    if quote.cue is not None:
        return _root(doc, quote.cue.start, quote.cue.end)
    root = _root(doc, quote.start, quote.end)
    if root is None or root.head is root:
        return None
    head = root.head
    return None if quote.start <= head.idx < quote.end else head


def _names(token: Token | None) -> bool:
    """A word that can name a speaker: a noun, a name or a pronoun (the parse of a noun cue
    such as "the demonization of" gives "The" otherwise)."""
    return token is not None and token.pos_ in SPEAKER_POS


def _subject(doc: Doc, quote: Quote, cue: Token | None) -> Token | None:
    subject = subject_of(cue) if cue is not None else None
    if _names(subject) and not quote.start <= subject.idx < quote.end:
        return subject
    if quote.speaker is not None:
        source = _root(doc, quote.speaker.start, quote.speaker.end)
        return source if _names(source) else None
    return None


def learned_found(doc: Doc, learned: Sequence[Quote], found: list[Found],
                  quoted: Sequence[tuple[int, int]] = ()) -> list[Found]:
    """The `learned` attributions that share no character with the rules' `found`, nor
    with a quotation the rules read (`quoted`: attributed, scare quote or the title of a
    work, which is nobody's words), as indirect Found records with cue and subject tokens
    (either may be None)."""
    taken = _taken(found) + list(quoted)
    rule_cues = {f.cue.i for f in found if f.cue is not None}
    results = []
    for quote in learned:
        if any(start < quote.end and quote.start < end for start, end in taken):
            continue
        start, end = trimmed(doc, quote.start, quote.end)
        if start >= end:
            continue
        quote = replace(quote, start=start, end=end)
        cue = _cue_token(doc, quote)
        if cue is not None and cue.i in rule_cues:
            cue = None  # one cue, one statement: sharing it would make this a fragment of the rule's
        results.append(Found(start, end, "indirect", quote.score, cue, _subject(doc, quote, cue), found_by=BY_MODEL))
    return results


__all__ = ["learned_found", "trimmed"]
