"""Stage 4 of quote extraction: reported speech without quotation marks.

  "Lavrov charged that no progress had been made"  cue + clausal complement
  "..., diplomats said."                           the complement before the cue
  "Russia and the US have accused each other of"   accuse/blame + object + "of ..."
  "According to the WSJ, Syria pressed ..."        "according to" + the main clause

The content is the reported clause (with its "that"), the speaker the cue's subject.
"""
from __future__ import annotations

from spacy.tokens import Doc, Token

from parallax.nlp.quote_cues import BELIEF_LEMMAS, SPEECH_LEMMAS, is_cue, subject_of
from parallax.nlp.quotes import Found

# A reported clause shorter than this ("he said so") carries no content worth a quote.
MIN_CLAUSE_TOKENS = 3
# Cues whose content is "object + of/for ...": "accused Russia of attacking".
ACCUSE_LEMMAS = frozenset("accuse blame criticize criticise condemn praise fault".split())
CLAUSE_DEPS = frozenset("nsubj nsubjpass expl csubj".split())
CLAUSE_MARKS = frozenset("that whether if".split())
SCORE_INDIRECT = 0.7
SCORE_ACCORDING = 0.75
# Trailing characters that are punctuation of the writer's sentence, not content.
EDGE_PUNCT = " ,.;:—–-\n\t\"“”"


def _is_indirect_cue(token: Token) -> bool:
    if token.pos_ not in ("VERB", "AUX"):
        return False
    lemma = token.lemma_.lower()
    return is_cue(token, for_quote=False) or lemma in BELIEF_LEMMAS


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
    """The tokens within the cue's sentence (a parse can attach stray punctuation and
    whitespace from the sentence before)."""
    sent = cue.sent
    return [t for t in tokens if sent.start <= t.i < sent.end and not t.is_space]


def _is_clause(head: Token) -> bool:
    """A reported clause has its own subject or a "that"/"whether" ("claimed the
    lives of ..." has neither: it is not speech)."""
    return any(c.dep_ in CLAUSE_DEPS or (c.dep_ == "mark" and c.lower_ in CLAUSE_MARKS)
               for c in head.children)


def _complement(cue: Token) -> list[Token] | None:
    """Tokens of the reported clause of `cue`, or None when it reports no clause."""
    for child in cue.children:
        if child.dep_ == "ccomp" and _is_clause(child):
            return _in_sentence(list(child.subtree), cue)
    if cue.lemma_.lower() in ACCUSE_LEMMAS:
        objects = [c for c in cue.children if c.dep_ == "dobj"]
        preps = [c for c in cue.children if c.dep_ == "prep" and c.lower_ in ("of", "for")]
        if objects and preps:
            return _in_sentence(list(objects[0].subtree) + list(preps[0].subtree), cue)
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


def indirect_spans(doc: Doc, quoted: list[Found]) -> list[Found]:
    """Indirect quotes of `doc`; partial quotes in `quoted` whose cue reports a
    clause get that clause (the quoted list is updated in place)."""
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
        inner = [f for f in _overlapping(quoted, start, end) if f.kind != "scare"]
        if inner:
            _attach_clause(quoted, inner, token, start, end)
            continue
        results.append(Found(start, end, "indirect", SCORE_INDIRECT, token, subject))
    for item in _according_to(doc):
        real_quotes = [f for f in quoted if f.kind != "scare"]
        if not _overlapping(real_quotes, item.start, item.end) \
                and not _overlapping(results, item.start, item.end):
            results.append(item)
    return results


def _attach_clause(quoted: list[Found], inner: list[Found], cue: Token, start: int, end: int) -> None:
    """Give the partial quotes of `cue` inside the clause their reported clause."""
    from dataclasses import replace

    for item in inner:
        if item.kind == "partial" and item.cue is not None and item.cue.i == cue.i:
            quoted[quoted.index(item)] = replace(item, clause=(start, end))
