"""Stage 5 of quote extraction: inherited speakers, speaker names, and the Quote spans.

    inherit_speakers(doc, found) -> list[Found]
    to_quotes(doc, found, entities) -> list[Quote]

A quote-only sentence right after an attribution keeps that cue and speaker. Names come
from the entity layer (`entities.name_at`); "he"/"she" get the nearest preceding PERSON
subject, "the minister" the latest named speaker, "who" the noun it stands for (the
mention stays the pronoun).
"""
from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc

from parallax.model import Entity, Phrase, Quote, Speaker
from parallax.nlp.entities import name_at
from parallax.nlp.quotes.cues import PERSON_PRONOUNS, RELATIVE_TAGS, antecedent_of, cue_of, mention_of
from parallax.nlp.quotes.found import Found
from parallax.nlp.quotes.tokens import line_bounds
from parallax.nlp.spacy_model import doc_text
from parallax.text import paragraph_bounds

# Confidence of a quote whose speaker carries over from the previous attribution.
SCORE_INHERITED = 0.6
# An inherited speaker must have spoken within this many paragraphs.
INHERIT_MAX_PARAGRAPHS = 1
# Characters that end the text before a quotation that opens a new sentence.
SENTENCE_STOPS = frozenset(".!?”\"'")
# A pronoun's antecedent is looked for this many characters back (about two
# paragraphs); further back, the latest named speaker is a better guess.
PRONOUN_MAX_DISTANCE = 600
# Words naming a role ("the minister said"): resolved to the latest named speaker.
ROLE_WORDS = frozenset("""
minister fm ambassador envoy spokesman spokeswoman spokesperson president senator
secretary official diplomat governor candidate chairman chief general
""".split())


# ----- inherited speakers -------------------------------------------------------------

def _paragraph_index(bounds: list[tuple[int, int]], offset: int) -> int:
    for index, (start, end) in enumerate(bounds):
        if offset < end:
            return index
    return len(bounds) - 1


def _opens_sentence(text: str, start: int) -> bool:
    """Does the quotation starting at `start` open its sentence? A quotation inside
    the writer's sentence ("his act—“My tax plan will be great!”—is wearing thin") is
    not a continuation of the previous speaker."""
    before = text[line_bounds(text, start)[0]:start].rstrip().rstrip("\"“'").rstrip()
    return not before or before[-1] in SENTENCE_STOPS


def inherit_speakers(doc: Doc, found: list[Found]) -> list[Found]:
    """A direct quote with no cue takes the cue and speaker of the attribution just
    before it (same or previous paragraph): `"...," Rycroft told the council. "..."`."""
    bounds = paragraph_bounds(doc_text(doc))
    result: list[Found] = []
    last: Found | None = None
    for item in sorted(found, key=lambda f: f.start):
        if item.kind == "direct" and item.cue is None and last is not None:
            gap = _paragraph_index(bounds, item.start) - _paragraph_index(bounds, last.end)
            if gap <= INHERIT_MAX_PARAGRAPHS and _opens_sentence(doc_text(doc), item.start):
                item = replace(item, cue=last.cue, subject=last.subject, score=SCORE_INHERITED)
            elif gap <= INHERIT_MAX_PARAGRAPHS:
                # Inside the writer's sentence: likely the same speaker, but a statement
                # of its own, so it does not join the previous one's cue.
                item = replace(item, subject=last.subject, score=SCORE_INHERITED)
        if item.subject is not None and item.cue is not None:
            last = item
        result.append(item)
    return result


# ----- speaker names --------------------------------------------------------------------

def _is_role(mention: Phrase) -> bool:
    words = mention.text.lower().split()
    return len(words) >= 2 and words[0] == "the" and words[-1] in ROLE_WORDS


def _is_subject_mention(doc: Doc, entity: Entity) -> bool:
    tokens = doc.char_span(entity.start, entity.end, alignment_mode="expand")
    if tokens is None:
        return False
    node = tokens[-1]
    while node.dep_ in ("compound", "flat", "appos") and node.head.i != node.i:
        node = node.head
    return node.dep_ in ("nsubj", "nsubjpass")


def _antecedent(item: Found, entities: list[Entity], quoted: list[Found]) -> str | None:
    """The nearest PERSON named as a subject before the pronoun, outside quotations
    (the "he" in “...,” he said is the speaker, not a person he talks about); the
    nearest PERSON at all when no subject is near."""
    doc = item.subject.doc
    pronoun_at = item.subject.idx
    inside = [(f.start, f.end) for f in quoted if f.kind != "indirect"]
    candidates = [
        entity for entity in sorted(entities, key=lambda e: e.start, reverse=True)
        if entity.label == "PERSON" and entity.end <= pronoun_at
        and pronoun_at - entity.end <= PRONOUN_MAX_DISTANCE
        and not any(start <= entity.start < end for start, end in inside)]
    subjects = [entity for entity in candidates if _is_subject_mention(doc, entity)]
    best = (subjects or candidates or [None])[0]
    return None if best is None else best.name or best.text(doc_text(doc))


def _speaker(item: Found, entities: list[Entity], quoted: list[Found],
             last_named: str | None) -> Speaker | None:
    """Who `item` is credited to: the canonical name and the mention in the text."""
    if item.subject is None:
        return None
    if item.label is not None:
        start, end = item.label
        return Speaker(name_at(entities, start, end) or doc_text(item.subject.doc)[start:end],
                       start, end)
    mention = mention_of(item.subject, entities)
    name = None
    antecedent = antecedent_of(item.subject) if item.subject.tag_ in RELATIVE_TAGS else None
    if antecedent is not None:  # "who said": the mention is "who", the name its noun
        named = mention_of(antecedent, entities)
        name = name_at(entities, named.end - 1, named.end) or named.text
    elif item.subject.lower_ in PERSON_PRONOUNS:
        name = _antecedent(item, entities, quoted) or last_named
    elif _is_role(mention):
        name = last_named
    if name is None:  # the entity naming the head word, else the words themselves
        name = name_at(entities, mention.end - 1, mention.end) or mention.text
    return Speaker(name, mention.start, mention.end)


def to_quotes(doc: Doc, found: list[Found], entities: list[Entity]) -> list[Quote]:
    """The Quote spans of the attributions `found`, in text order, speakers named."""
    text = doc_text(doc)
    quotes: list[Quote] = []
    last_named: str | None = None
    for item in sorted(found, key=lambda f: f.start):
        speaker = _speaker(item, entities, found, last_named)
        if speaker and item.subject is not None and item.subject.pos_ == "PROPN":
            last_named = speaker.name
        clause = None if item.clause is None else Phrase(*item.clause, text[slice(*item.clause)])
        quotes.append(Quote(item.start, item.end, item.kind, item.score, speaker=speaker,
                            cue=cue_of(item.cue) if item.cue is not None else None, clause=clause))
    return quotes


__all__ = ["inherit_speakers", "to_quotes"]
