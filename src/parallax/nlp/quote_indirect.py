"""Stage 4 of quote extraction: reported speech without quotation marks.

  "Lavrov charged that no progress had been made"  cue + clausal complement
  "..., diplomats said."                           the complement before the cue
  "Russia and the US have accused each other of"   accuse/blame + object + "of ..."
  "According to the WSJ, Syria pressed ..."        "according to" + the main clause

The content is the reported clause (with its "that"), the speaker the cue's subject.
"""
from __future__ import annotations

import re
from dataclasses import replace

from spacy.tokens import Doc, Token

from parallax.model import Span
from parallax.nlp.quote_cues import BELIEF_LEMMAS, is_cue, line_bounds, subject_of
from parallax.nlp.quotes import Found

# A reported clause shorter than this ("he said so") carries no content worth a quote.
MIN_CLAUSE_TOKENS = 3
# Cues whose content is "object + of/for ...": "accused Russia of attacking".
ACCUSE_LEMMAS = frozenset("accuse blame criticize criticise condemn praise fault".split())
CLAUSE_DEPS = frozenset("nsubj nsubjpass expl csubj".split())
CLAUSE_MARKS = frozenset("that whether if".split())
# Cues whose reported content can be a noun phrase, not only a clause: "criticized
# Clinton's email use", "called Trump's charge “pathetic”" (PolNeAR counts them).
OBJECT_LEMMAS = frozenset("""
criticize criticise praise endorse support defend announce cite deny propose question
denounce condemn reject oppose blame accuse describe call mock attack slam decry dismiss
label dub brand mention discuss tout express back thank reject
""".split())
# Cues whose content is an intention in an infinitive: "wants to help", "refused to".
INTENT_LEMMAS = frozenset("""
want refuse agree hope promise vow plan pledge threaten decline seek urge ask intend
expect
""".split())
# Right siblings of the object that belong to what is said: "called X “Y”" (oprd),
# "slammed X as “barbarism”", "blamed X for Y", "urged X to Y".
OBJECT_TAIL_DEPS = frozenset("oprd prep xcomp ccomp".split())
SCORE_INDIRECT = 0.7
SCORE_ACCORDING = 0.75
# Trailing characters that are punctuation of the writer's sentence, not content.
EDGE_PUNCT = " ,.;:—–-\n\t\"“”"


def _is_indirect_cue(token: Token) -> bool:
    if token.pos_ not in ("VERB", "AUX"):
        return False
    lemma = token.lemma_.lower()
    return is_cue(token, for_quote=False) or lemma in BELIEF_LEMMAS \
        or lemma in OBJECT_LEMMAS or lemma in INTENT_LEMMAS


def _char_range(tokens: list[Token]) -> tuple[int, int]:
    start = min(t.idx for t in tokens)
    end = max(t.idx + len(t) for t in tokens)
    return start, end


def _strip(doc: Doc, start: int, end: int) -> tuple[int, int]:
    text = doc.text
    while start < end and text[start] in EDGE_PUNCT:
        start += 1
    while end > start and text[end - 1] in EDGE_PUNCT:
        end -= 1
    return start, end


def _in_sentence(tokens: list[Token], cue: Token) -> list[Token]:
    """The tokens within the cue's sentence and line (a parse can attach stray
    punctuation from the sentence before, and the parser's sentences can run across
    a line break)."""
    sent = cue.sent
    start, end = line_bounds(cue.doc.text, cue.idx)
    return [t for t in tokens if sent.start <= t.i < sent.end and not t.is_space
            and start <= t.idx < end]


def _own_subtree(head: Token) -> list[Token]:
    """The subtree of `head` without conjoined reporting verbs and what they report:
    "said X and said that Y" reports X once and Y once."""
    tokens, stack = [], [head]
    while stack:
        node = stack.pop()
        tokens.append(node)
        for child in node.children:
            if child.dep_ == "conj" and _is_indirect_cue(child):
                continue
            stack.append(child)
    conj_cues = {c.i for t in tokens for c in t.children if c.dep_ == "conj" and _is_indirect_cue(c)}
    # Drop the coordinator ("and") that joined a removed reporting verb.
    return sorted((t for t in tokens if not (t.dep_ == "cc" and t.i + 1 in conj_cues)),
                  key=lambda t: t.i)


def _is_clause(head: Token) -> bool:
    """A reported clause has its own subject or a "that"/"whether" ("claimed the
    lives of ..." has neither: it is not speech)."""
    return any(c.dep_ in CLAUSE_DEPS or (c.dep_ == "mark" and c.lower_ in CLAUSE_MARKS)
               for c in head.children)


def _complement(cue: Token) -> list[Token] | None:
    """Tokens of what `cue` reports (a clause, an object, an intention), or None."""
    lemma = cue.lemma_.lower()
    for child in cue.children:
        if child.dep_ == "ccomp" and _is_clause(child):
            return _in_sentence(_own_subtree(child), cue)
    if lemma in OBJECT_LEMMAS or lemma in ACCUSE_LEMMAS:
        objects = [c for c in cue.children if c.dep_ == "dobj"]
        if objects:
            tail = [c for c in cue.children if c.i > objects[0].i and c.dep_ in OBJECT_TAIL_DEPS]
            tokens = list(objects[0].subtree)
            for child in tail:
                tokens += list(child.subtree)
            return _in_sentence(tokens, cue)
    if lemma in INTENT_LEMMAS:
        intents = [c for c in cue.children if c.dep_ == "xcomp" and c.i > cue.i]
        if intents:
            objects = [c for c in cue.children if c.dep_ == "dobj" and c.i < intents[0].i]
            tokens = list(intents[0].subtree) + (list(objects[0].subtree) if objects else [])
            return _in_sentence(tokens, cue)
    return None


def _according_to(doc: Doc) -> list[Found]:
    """"according to X, <clause>": X is the speaker, the rest of the sentence the content."""
    found = []
    for token in doc:
        if token.lower_ != "according":
            continue
        to = next((c for c in token.children if c.lower_ == "to"), None)
        source = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
        if source is None:
            continue
        sent = token.sent
        phrase_start, phrase_end = _char_range(list(token.subtree))
        left = _strip(doc, sent.start_char, phrase_start)
        right = _strip(doc, phrase_end, sent.end_char)
        start, end = max(left, right, key=lambda r: r[1] - r[0])
        if end - start > 0:
            found.append(Found(start, end, "indirect", SCORE_ACCORDING, token, source))
    return found


def _overlapping(found: list[Found], start: int, end: int) -> list[Found]:
    return [f for f in found if f.start < end and start < f.end]


def with_clauses(doc: Doc, quoted: list[Found]) -> list[Found]:
    """Give each quotation its reported clause when the cue reports more than the
    quoted words: `said the war “is almost impossible now”` -> "the war “is ...”"."""
    result = []
    for item in quoted:
        extent = _complement(item.cue) if item.cue is not None and item.kind != "scare" else None
        if extent:
            start, end = _strip(doc, *_char_range(extent))
            # The clause holds the quotation (its edge punctuation may have been
            # stripped, so it is stretched to cover the quotation's end).
            end = max(end, item.end)
            others = [f for f in _overlapping(quoted, start, end)
                      if f.kind == "direct" and f.start != item.start]
            if start <= item.start < end and (end - start) > (item.end - item.start) + 2 \
                    and not others:
                item = replace(item, clause=(start, end))
        result.append(item)
    return result


def indirect_spans(doc: Doc, quoted: list[Found]) -> list[Found]:
    """Indirect quotes of `doc`: reported content that is not inside a quotation."""
    real_quotes = [f for f in quoted if f.kind != "scare"]
    results: list[Found] = []
    for token in doc:
        if not _is_indirect_cue(token):
            continue
        clause = _complement(token)
        if clause is None or len([t for t in clause if not t.is_punct]) < MIN_CLAUSE_TOKENS:
            continue
        subject = subject_of(token)
        if subject is None or subject.i in {t.i for t in clause}:
            continue
        start, end = _strip(doc, *_char_range(clause))
        if _overlapping(real_quotes, start, end):
            continue
        results.append(Found(start, end, "indirect", SCORE_INDIRECT, token, subject))
    # "According to the poll, most voters say ...": attributions nest, so the
    # according-to content may hold an indirect quote of its own.
    for item in _according_to(doc):
        if not _overlapping(real_quotes, item.start, item.end):
            results.append(item)
    return results


# "Roger Stone: Don't Trust the Voting Machines" (a headline) and "MATTHEWS: Well,
# ..." (a transcript): a name, a colon, then what that person says.
LABELLED_LINE = re.compile(r"^[ \t]*([A-Z][^:\n]{1,60}?)[ \t]*:[ \t]+(\S[^\n]*)$", re.MULTILINE)
# A speaker label is a short name, not a sentence that happens to end in a colon.
LABEL_MAX_WORDS = 6
# Entity types that can speak.
SPEAKER_TYPES = frozenset(("PERSON", "ORG", "GPE", "NORP"))
# Page furniture that looks like a label ("Region: Middle East", "UPDATE: ...").
NOT_SPEAKERS = frozenset("""
region theme update note photo video watch read related source sources editor
editor's copyright disclaimer tags tag category posted filed subject correction
""".split())
SCORE_LABELLED = 0.6


def _is_speaker_label(label: str, start: int, entities: list[Span]) -> bool:
    words = label.split()
    if len(words) > LABEL_MAX_WORDS or words[0].lower().strip("'’") in NOT_SPEAKERS:
        return False
    letters = [c for c in label if c.isalpha()]
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return True  # a transcript speaker label: "MATTHEWS", "FALLIN"
    end = start + len(label)
    return any(e.label in SPEAKER_TYPES and e.start < end and start < e.end and e.end <= end + 1
               for e in entities)


def labelled_lines(doc: Doc, entities: list[Span]) -> list[Found]:
    """Lines of the form "Speaker: what they said"."""
    found = []
    for match in LABELLED_LINE.finditer(doc.text):
        label_start = match.start(1)
        if not _is_speaker_label(match.group(1), label_start, entities):
            continue
        start, end = _strip(doc, match.start(2), match.end(2))
        colon = doc.char_span(match.end(1), match.start(2), alignment_mode="expand")
        speaker = doc.char_span(label_start, match.end(1), alignment_mode="expand")
        if colon is None or speaker is None or end - start <= 0:
            continue
        cue = next((t for t in colon if t.text == ":"), None)
        if cue is None:
            continue
        found.append(Found(start, end, "direct", SCORE_LABELLED, cue, speaker[-1]))
    return found
