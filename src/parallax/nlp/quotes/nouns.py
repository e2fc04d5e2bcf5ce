"""Stage 4b of quote extraction: attributions whose cue is a noun.

    noun_cue_spans(doc, found) -> list[Found]        "Trump's claim that ..."
    opening_frame_spans(doc, found) -> list[Found]   "In a CNN poll, ..."

  "Republican calls for a special prosecutor"      noun + its preposition's object
  "Trump's claim that the election is rigged"      noun + "that" clause
  "his pledge to cut taxes"                        noun + infinitive
  "she issued a statement saying ..."              (the verb path handles "saying")

The content is the object, clause or infinitive; the source is the noun's possessor
("Trump's"), a name compounded with it ("Republican calls"), a "by X" phrase, or the
subject of the verb the noun is the object of ("Sanders renewed his call for ...").
PolNeAR annotates these; the cue span is the noun (with its preposition in the
guidelines; the noun alone here).
"""
from __future__ import annotations

from spacy.tokens import Doc, Token

from parallax.nlp.quotes.cues import subject_of
from parallax.nlp.quotes.found import Found, overlapping
from parallax.nlp.quotes.tokens import char_range, in_sentence, strip_edges
from parallax.nlp.spacy_model import lemma

# Nouns of saying, believing and wanting, with the preposition that introduces their
# content (None: only a "that" clause or an infinitive does). "support for X",
# "opposition to X", "criticism of X".
NOUN_CUES: dict[str, str | None] = {
    "call": "for", "demand": "for", "support": "for", "push": "for", "plea": "for",
    "criticism": "of", "praise": "for", "endorsement": "of",
    "claim": None, "statement": None, "belief": None, "view": None, "hope": None,
    "fear": None, "concern": None, "argument": None, "assertion": None,
    "allegation": None, "promise": None, "pledge": None, "warning": None,
    "suggestion": None, "insistence": None, "vow": None, "announcement": None,
    "assurance": None, "contention": None, "notion": None, "conviction": None,
    "plan": None, "proposal": None, "threat": None, "desire": None, "decision": None,
}
# A noun cue's content must have at least this many words ("calls for action" is
# thin, but "support for Trump" is the whole of it: 1 for prepositional content).
MIN_CLAUSE_WORDS = 3
MIN_OBJECT_WORDS = 1
SCORE_NOUN = 0.55
# "In a CNN poll, Clinton held a lead", "In Mr. Connolly's view, ...": a sentence opening
# with "in" + one of these nouns attributes the rest of the sentence to it.
SOURCE_NOUNS = frozenset("""
poll survey study report statement interview letter view opinion eyes words estimate
analysis memo speech op-ed column editorial tweet post
""".split())
# "In an interview with NPR, Obama castigated Trump": what a person says or writes; with
# no owner named, its speaker is the subject of the clause after it (PolNeAR train).
SPOKEN_NOUNS = frozenset("statement interview letter speech op-ed column tweet post".split())
# "For most Democrats, the Clinton years remain the good old days": "for" + people.
PEOPLE_NOUNS = frozenset("""
voter democrat republican american supporter critic people anyone many most conservative
liberal advocate believer observer analyst expert economist activist official
""".split())
PEOPLE_TYPES = frozenset(("PERSON", "NORP"))
# Modifier names that are the source of a compounded noun cue ("Republican calls").
SOURCE_COMPOUND_POS = frozenset(("PROPN", "ADJ"))


def _content(noun: Token) -> tuple[list[Token], int] | None:
    """The tokens the noun reports and the least number of words they need."""
    wanted = NOUN_CUES[lemma(noun)]
    for child in noun.children:
        if child.i < noun.i:
            continue
        if child.dep_ == "prep" and wanted is not None and child.lower_ == wanted:
            objects = [c for c in child.children if c.dep_ in ("pobj", "pcomp")]
            if objects:
                return list(objects[0].subtree), MIN_OBJECT_WORDS
        if child.dep_ in ("acl", "ccomp") and (
                any(c.dep_ == "mark" and c.lower_ == "that" for c in child.children)
                or any(c.dep_ == "aux" and c.lower_ == "to" for c in child.children)):
            return list(child.subtree), MIN_CLAUSE_WORDS
    return None


def _source(noun: Token) -> Token | None:
    """Who holds the claim, call or support the noun names."""
    for child in noun.children:
        if child.dep_ == "poss":
            return child
    for child in noun.children:
        if child.dep_ in ("compound", "amod") and child.pos_ in SOURCE_COMPOUND_POS \
                and child.text[:1].isupper():
            return child
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ == "by":
            objects = [c for c in child.children if c.dep_ == "pobj"]
            if objects:
                return objects[0]
    if noun.dep_ == "dobj" and noun.head.pos_ in ("VERB", "AUX"):
        return subject_of(noun.head)
    return None


def _opening_source(prep: Token) -> Token | None:
    """The source named by a sentence-opening "In a poll," / "For most Democrats,"."""
    objects = [c for c in prep.children if c.dep_ == "pobj"]
    if not objects or prep.i != prep.sent.start:
        return None
    noun = objects[0]
    if prep.lower_ == "in" and lemma(noun) in SOURCE_NOUNS:
        owner = next((c for c in noun.children if c.dep_ == "poss"), None)
        if owner is None and lemma(noun) in SPOKEN_NOUNS and prep.head.pos_ in ("VERB", "AUX"):
            owner = subject_of(prep.head)
            if owner is not None and owner.lower_ in ("it", "there"):  # "In the interview, it was clear"
                owner = None
        return owner or noun
    if prep.lower_ == "for" and (noun.ent_type_ in PEOPLE_TYPES or lemma(noun) in PEOPLE_NOUNS):
        return noun
    return None


def opening_frame_spans(doc: Doc, found: list[Found]) -> list[Found]:
    """"In a CNN poll, <clause>", "For most Democrats, <clause>": the clause after the
    opening phrase's comma is attributed to the poll or the people."""
    results: list[Found] = []
    for token in doc:
        if token.lower_ not in ("in", "for") or token.dep_ != "prep":
            continue
        source = _opening_source(token)
        comma = token.right_edge.i + 1
        if source is None or comma >= len(doc) or doc[comma].text != ",":
            continue
        sent = token.sent
        start, end = strip_edges(doc, doc[comma].idx + 1, sent.end_char)
        if end - start <= 0 or overlapping(found, start, end):
            continue
        results.append(Found(start, end, "indirect", SCORE_NOUN, token, source))
    return results


def _covered(found: list[Found], offset: int) -> bool:
    return any(f.start <= offset < f.end for f in found)


def noun_cue_spans(doc: Doc, found: list[Found]) -> list[Found]:
    """Attributions cued by a noun, outside every attribution already `found` (a noun
    inside reported content is nested and PolNeAR annotates only the outer one)."""
    results: list[Found] = []
    for token in doc:
        if token.pos_ != "NOUN" or lemma(token) not in NOUN_CUES:
            continue
        if _covered(found, token.idx):
            continue
        content = _content(token)
        if content is None:
            continue
        tokens, least = content
        tokens = in_sentence(tokens, token)
        if len([t for t in tokens if not t.is_punct]) < least:
            continue
        start, end = strip_edges(doc, *char_range(tokens))
        if end <= start or overlapping(found, start, end):
            continue
        results.append(Found(start, end, "indirect", SCORE_NOUN, token, _source(token)))
    return results


__all__ = ["noun_cue_spans", "opening_frame_spans"]
