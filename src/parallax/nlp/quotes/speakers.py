"""Stage 5 of quote extraction: inherited speakers, speaker names, and the Quote spans.

    inherit_speakers(doc, found) -> list[Found]
    to_quotes(doc, found, entities) -> list[Quote]

A quote-only sentence right after an attribution keeps that cue and speaker. The mention
is found by `mentions` (datelines, party tags and share buttons are never the speaker),
the name by `coref`: the entity layer's canonical name, or what a pronoun, role or
document stands for in the article, or "" (unattributed) when the article does not say;
"who" keeps the pronoun as its mention and takes the name of the noun it stands for.
"""
from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc, Token

from parallax.model import Entity, Phrase, Quote, Speaker
from parallax.nlp.entities import name_at
from parallax.nlp.quotes.coref import speaker_name
from parallax.nlp.quotes.scene import Scene
from parallax.nlp.quotes.cues import across_paragraphs, cue_of, is_cue, subject_of
from parallax.nlp.quotes.direct import quoted_tokens
from parallax.nlp.quotes.found import Found
from parallax.nlp.quotes.mentions import mention_of, speaker_head
from parallax.nlp.quotes.tokens import line_bounds
from parallax.nlp.spacy_model import doc_text
from parallax.text import paragraph_bounds

# Confidence of a quote whose speaker carries over from the previous attribution.
SCORE_INHERITED = 0.6
# An inherited speaker must have spoken within this many paragraphs.
INHERIT_MAX_PARAGRAPHS = 1
# Characters that end the text before a quotation that opens a new sentence.
SENTENCE_STOPS = frozenset(".!?”\"'")
# Longest attribution clause between the halves of a split quotation ("A," said the
# senator from Ohio, "B."): longer, it is the writer's own sentence.
SPLIT_CLAUSE_CHARS = 120
# What a cue reports in its own sentence: with none of these, "X said in a statement."
# introduces the quotation after it.
REPORTED_DEPS = frozenset(("ccomp", "xcomp", "dobj", "parataxis"))


# ----- inherited speakers -------------------------------------------------------------

def _paragraph_index(bounds: list[tuple[int, int]], offset: int) -> int:
    for index, (start, end) in enumerate(bounds):
        if offset < end:
            return index
    return len(bounds) - 1


def _continues_split(text: str, last: Found, start: int) -> bool:
    """Is the quotation starting at `start` the second half of `last`, split by its own
    attribution clause: "A," Mr. Bush said, "B." (one statement, as PolNeAR annotates)."""
    if last.kind != "direct" or last.cue is None or not last.end <= last.cue.idx < start:
        return False
    between = text[last.end:start]
    clause = between.strip().strip("\"“”'’").strip()
    return len(clause) <= SPLIT_CLAUSE_CHARS and clause.endswith(",") and "\n" not in between


def _aside_of(item: Found, last: Found | None) -> bool:
    """An indirect attribution in the sentence of the quotation just attributed is an
    aside of it: after `"A," said Belcher, referring to Kerry. "B."` the second quotation
    is still Belcher's "said", not his "referring"."""
    return item.kind == "indirect" and last is not None and last.kind != "indirect" \
        and item.cue is not None and last.cue is not None and item.cue.sent == last.cue.sent


def _bare_cue_before(doc: Doc, start: int) -> Token | None:
    """"Sam Lau, the party's spokesman, said in a statement. “There are no ballots.”": the
    sentence right before a quotation on its line, when it is only a cue and its speaker,
    introduces the quotation (PolNeAR train: it went to the last speaker, a paragraph up)."""
    line_start = line_bounds(doc_text(doc), start)[0]
    span = doc.char_span(line_start, start, alignment_mode="contract")
    words = [t for t in span or [] if not t.is_space and t.sent.end_char <= start]  # not the opening mark
    if not words or words[-1].text != ".":
        return None
    sent = words[-1].sent
    root = sent.root
    if sent.start_char < line_start or not is_cue(root, for_quote=True) \
            or any(c.dep_ in REPORTED_DEPS for c in root.children):
        return None
    subject = subject_of(root)  # never a quotation's own word ("“Happy Cinco de Mayo!,” he tweeted.")
    return root if subject is not None and subject.i not in quoted_tokens(doc) else None


def _opens_sentence(text: str, start: int) -> bool:
    """Does the quotation starting at `start` open its sentence? A quotation inside
    the writer's sentence ("his act—“My tax plan will be great!”—is wearing thin") is
    not a continuation of the previous speaker."""
    before = text[line_bounds(text, start)[0]:start].rstrip().rstrip("\"“'").rstrip()
    return not before or before[-1] in SENTENCE_STOPS


def inherit_speakers(doc: Doc, found: list[Found]) -> list[Found]:
    """A direct quote with no cue takes the cue and speaker of the attribution just
    before it (same or previous paragraph): `"...," Rycroft told the council. "..."`."""
    text = doc_text(doc)
    bounds = paragraph_bounds(text)
    result: list[Found] = []
    last: Found | None = None
    for item in sorted(found, key=lambda f: f.start):
        bare = _bare_cue_before(doc, item.start) if item.kind == "direct" and item.cue is None \
            and _opens_sentence(text, item.start) else None
        if bare is not None:
            item = replace(item, cue=bare, subject=subject_of(bare), score=SCORE_INHERITED)
        elif item.kind == "direct" and item.cue is None and last is not None:
            gap = _paragraph_index(bounds, item.start) - _paragraph_index(bounds, last.end)
            if gap <= INHERIT_MAX_PARAGRAPHS and (_opens_sentence(text, item.start)
                                                  or _continues_split(text, last, item.start)):
                item = replace(item, cue=last.cue, subject=last.subject, score=SCORE_INHERITED)
            elif gap <= INHERIT_MAX_PARAGRAPHS:
                # Inside the writer's sentence: likely the same speaker, but a statement
                # of its own, so it does not join the previous one's cue.
                item = replace(item, subject=last.subject, score=SCORE_INHERITED)
        if item.subject is not None and item.cue is not None and not _aside_of(item, last):
            last = item
        result.append(item)
    return result


# ----- speaker names --------------------------------------------------------------------

def _speaker(item: Found, scene: Scene) -> Speaker | None:
    """Who `item` is credited to: the canonical name ("" when the article does not say:
    the quote counts as unattributed) and the mention in the text."""
    if item.subject is None or item.cue is not None and across_paragraphs(item.subject, item.cue):
        return None
    entities = scene.entities
    if item.label is not None:
        start, end = item.label
        return Speaker(name_at(entities, start, end) or doc_text(item.subject.doc)[start:end],
                       start, end)
    head = speaker_head(item.subject, entities)
    if head is None:  # only a dateline or a party tag: never a speaker
        return None
    mention = mention_of(head, entities)
    name = speaker_name(head, mention, scene)
    scene.remember(head, name, mention.start)
    return Speaker(name, mention.start, mention.end)


def to_quotes(doc: Doc, found: list[Found], entities: list[Entity]) -> list[Quote]:
    """The Quote spans of the attributions `found`, in text order, speakers named."""
    text = doc_text(doc)
    scene = Scene(doc, entities, [(f.start, f.end) for f in found if f.kind != "indirect"])
    quotes: list[Quote] = []
    for item in sorted(found, key=lambda f: f.start):
        speaker = _speaker(item, scene)
        clause = None if item.clause is None else Phrase(*item.clause, text[slice(*item.clause)])
        quotes.append(Quote(item.start, item.end, item.kind, item.score, speaker=speaker,
                            cue=cue_of(item.cue) if item.cue is not None else None, clause=clause,
                            found_by=item.found_by))
    return quotes


__all__ = ["inherit_speakers", "to_quotes"]
