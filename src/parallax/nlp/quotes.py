"""Quotes and attributions: who said what, with which verb.

    quote_spans(doc, entities) -> list[Span]

Staged, each stage a small function:
  1. `quote_marks.find_quote_runs`: pair the quotation marks (content offsets).
  2. `_attribute_run`: find the cue verb and its subject for each quotation, through
     the dependency parse (the quote hangs from a reporting verb) and the text beside
     the quote ("..., Power said." / "Lavrov told NTV: “...”").
  3. `_kind`: direct (a whole clause quoted), partial (a fragment inside the
     speaker's own sentence), scare (a short quoted phrase nobody is cited for).
  4. `quote_labels`: "Speaker: text" lines (headlines, transcripts; cue ":");
     `quote_indirect`: the reported clause around each quotation, and reported
     speech without marks ("Lavrov charged that ...", "according to X, ...", "wants
     to ...", "seemed to", "is expected to", "referring to X", "..., Barden says,
     ..."); `quote_nouns`: noun cues ("Republican calls for X", "Trump's claim that
     ...", "In a CNN poll, ..."). Attributions nested in another's content are
     dropped (`_outermost`).
  5. `_inherit_speakers`: a quote-only sentence right after an attribution keeps
     that cue and speaker; `_speaker_dict`: names come from the entity layer
     (`entities.name_at`); "he"/"she" get the nearest preceding PERSON subject,
     "the minister" the latest named speaker, "who" the noun it stands for (the
     mention stays the pronoun).

Each Span: start/end = the quote content (inside the marks; the reported clause for
indirect speech), label = kind, score = confidence, attrs = {"speaker": {"name",
"start", "end"} | None, "cue": {"text", "start", "end", "lemma"} | None}; partial
and direct quotes also carry "clause": {"start", "end"} when the cue reports more than
the quoted words (`called Trump's charge “pathetic”` -> "Trump's charge “pathetic”").
Several spans sharing one cue are one statement (“A,” he said. “B.”).

Decisions: titles of works in quotes (entitled “From Paradise to Hell: ...”, or a
short title-case phrase such as “Meet the Press”) are not quotes of anyone and are
skipped. Single quotes are ignored (see quote_marks).
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from spacy.tokens import Doc, Token

from parallax.model import Span
from parallax.nlp.quote_cues import (
    PERSON_PRONOUNS, RELATIVE_TAGS, Mention, antecedent_of, cue_dict, is_cue, line_bounds,
    mention_of, subject_of,
)
from parallax.nlp.quote_marks import QuoteRun, find_quote_runs, paragraph_bounds
from parallax.nlp.spacy_model import doc_text

# A quotation of at most this many words with no speaker is a scare quote
# ("landmark", “rebels”); longer unattributed quotations are real quotes whose
# speaker the text gives elsewhere.
SCARE_MAX_WORDS = 4
# Climbing more levels than this from a quote to a reporting verb links fragments
# to verbs of unrelated clauses.
MAX_CUE_CLIMB = 6
# Dependency relations through which a quotation can be the said thing of a cue;
# subjects, adverbials and subordinate clauses are not what the verb reports.
COMPLEMENT_DEPS = frozenset(
    "ccomp xcomp dobj oprd attr acomp parataxis dep prep pobj pcomp conj appos npadvmod".split())
# The first step from the quote may not be one of these: the quote then describes a
# noun ("“landmark” deal") or is the subject, not the thing said.
MODIFIER_DEPS = frozenset("amod compound nmod nsubj nsubjpass".split())
# Words right before a quotation that announce a title, not a quote.
TITLE_CUES = frozenset("entitled titled headlined headline".split())
# A quotation of at most this many words, all capitalised, is a title (of a show,
# book, slogan); longer capitalised runs are headlines quoted whole.
TITLE_MAX_WORDS = 8
TITLE_SMALL_WORDS = frozenset("a an the of and or nor but so yet as to in on for at by up with from into over via vs".split())
# Words right before a quotation that announce a scare quote.
SCARE_CUES = frozenset("so-called called dubbed".split())
SENTENCE_ENDS = frozenset((".", "!", "?", ","))
# Characters that end the text before a quotation that opens a new sentence.
SENTENCE_STOPS = frozenset(".!?”\"'")
MARK_TEXTS = frozenset(('"', "“", "”", "''", "``"))
# Confidence of each way of finding the speaker (used as Span.score).
SCORE_PARSE = 0.9      # the quote hangs from the cue in the dependency parse
SCORE_ADJACENT = 0.8   # the cue sits beside the quote in the same sentence
SCORE_INHERITED = 0.6  # the speaker of the previous attribution carries over
SCORE_UNATTRIBUTED = 0.5
SCORE_SCARE = 0.7
# An inherited speaker must have spoken within this many paragraphs.
INHERIT_MAX_PARAGRAPHS = 1
# A pronoun's antecedent is looked for this many characters back (about two
# paragraphs); further back, the latest named speaker is a better guess.
PRONOUN_MAX_DISTANCE = 600
# Words naming a role ("the minister said"): resolved to the latest named speaker.
ROLE_WORDS = frozenset("""
minister fm ambassador envoy spokesman spokeswoman spokesperson president senator
secretary official diplomat governor candidate chairman chief general
""".split())


@dataclass(frozen=True)
class Found:
    """An attribution before names are resolved."""

    start: int
    end: int
    kind: str
    score: float
    cue: Token | None = None
    subject: Token | None = None
    clause: tuple[int, int] | None = None
    # The speaker's exact character range when a label gives it ("Roger Stone: ..."),
    # so the parse of the line cannot stretch it.
    label: tuple[int, int] | None = None


def quote_spans(doc: Doc, entities: list[Span]) -> list[Span]:
    """Direct, partial, indirect and scare quotes of `doc` (see module docstring)."""
    from parallax.nlp.quote_indirect import indirect_spans, with_clauses
    from parallax.nlp.quote_labels import labelled_lines
    from parallax.nlp.quote_nouns import noun_cue_spans, opening_frame_spans

    runs = find_quote_runs(doc_text(doc))
    quoted = [found for found in (_attribute_run(doc, run) for run in runs) if found]
    quoted = _merge_labelled(quoted, labelled_lines(doc, entities))
    quoted = with_clauses(doc, quoted)
    quoted = quoted + indirect_spans(doc, quoted)
    said = [f for f in quoted if f.kind != "scare"]
    quoted += noun_cue_spans(doc, said) + opening_frame_spans(doc, said)
    quoted = _inherit_speakers(doc, _outermost(quoted))
    return _to_spans(doc, quoted, entities)


# ----- stage 2: cue and speaker of a quotation -------------------------------------

def _quote_tokens(doc: Doc, run: QuoteRun) -> list[Token]:
    span = doc.char_span(run.start, run.end, alignment_mode="expand")
    return list(span) if span is not None else []


def _token_before(doc: Doc, offset: int, skip: frozenset[str]) -> Token | None:
    """The last token ending before `offset` that is not whitespace or in `skip`."""
    span = doc.char_span(offset, offset, alignment_mode="expand") if offset < len(doc_text(doc)) else None
    index = span.start if span is not None else len(doc)
    for i in range(min(index, len(doc)) - 1, -1, -1):
        token = doc[i]
        if token.idx + len(token) <= offset and not token.is_space and token.text not in skip:
            return token
    return None


def _word_before(doc: Doc, offset: int) -> Token | None:
    """The last token before `offset`, quotation marks and whitespace aside."""
    return _token_before(doc, offset, MARK_TEXTS)


def _parse_cue(tokens: list[Token], inside: set[int],
               lines: tuple[int, int]) -> tuple[Token | None, bool]:
    """The reporting verb the quotation hangs from, and whether the quote modifies a
    noun (a scare quote). Climbs from each token whose head is outside the quote. The
    verb must be on the quote's own lines: a parse running across a paragraph break
    hangs a quote from the "said" of the next paragraph's quote."""
    for token in tokens:
        if token.head.i in inside or token.head.i == token.i or token.is_punct:
            continue
        if token.dep_ in MODIFIER_DEPS:
            return None, token.dep_ in ("amod", "compound", "nmod")
        node, step = token, 0
        while node.head.i != node.i and step < MAX_CUE_CLIMB:
            if node.dep_ not in COMPLEMENT_DEPS and step > 0 or node.dep_ in ("advcl", "relcl"):
                break
            node, step = node.head, step + 1
            if node.i not in inside and is_cue(node, for_quote=True) \
                    and lines[0] <= node.idx < lines[1]:
                return node, False
        return None, False
    return None, False


def _sentence_frame(doc: Doc, run: QuoteRun) -> tuple[list[Token], list[Token]]:
    """Tokens before the opening mark and after the closing mark, within the
    sentence(s) and line(s) of the quote. A quote opening its line after a line that
    ends in "," or ":" ("the foreign minister continued,") takes that line's last
    sentence as the frame before it."""
    first = doc.char_span(run.start, run.end, alignment_mode="expand")
    if first is None:
        return [], []
    start_sent, end_sent = first[0].sent, first[-1].sent
    line_start = line_bounds(doc_text(doc), run.start)[0]
    before = [t for t in start_sent if line_start <= t.idx < run.start - 1]
    if not [t for t in before if not t.is_punct and not t.is_space]:
        tail = _token_before(doc, first[0].idx, MARK_TEXTS)
        if tail is not None and tail.text in (",", ":"):
            tail_line = line_bounds(doc_text(doc), tail.idx)[0]
            before = [t for t in tail.sent if tail_line <= t.idx <= tail.idx]
    after_end = line_bounds(doc_text(doc), run.end)[1]
    after = [t for t in end_sent if run.end < t.idx < after_end]
    return before, after


def _frame_cue(before: list[Token], after: list[Token], inside: set[int]) -> Token | None:
    """A reporting verb beside the quote: after it first ("...,” Power said), else the
    nearest one before it (Power said: “...”). Stops at another quotation mark."""
    for token in after:
        if token.text in MARK_TEXTS:
            break
        if token.i not in inside and is_cue(token, for_quote=True):
            return token
    for token in reversed(before):
        if token.text in MARK_TEXTS:
            break
        if token.i not in inside and is_cue(token, for_quote=True):
            return token
    return None


def _starts_clause(doc: Doc, run: QuoteRun, cue: Token | None) -> bool:
    """Does the quotation begin a clause of its own (direct) rather than continue the
    writer's sentence (partial)?"""
    word = _word_before(doc, run.start)
    if word is None or word.sent.start != doc.char_span(run.start, run.end, alignment_mode="expand")[0].sent.start:
        return True
    # "said that “It is time...”" opens a clause; "the only one that “has beaten”"
    # (a relative pronoun) does not.
    return word.text in (",", ":", ";", "—", "-", "–", "...", "…") \
        or (word.lower_ == "that" and word.dep_ == "mark") \
        or (cue is not None and word.i == cue.i)


def _is_sentence(tokens: list[Token]) -> bool:
    """A quoted full sentence (“He was very charming.”) is speech, however short:
    capitalised, ending in sentence punctuation, with a verb."""
    words = [t for t in tokens if not t.is_punct]
    return bool(words) and words[0].text[:1].isupper() and tokens[-1].text in SENTENCE_ENDS \
        and any(t.pos_ in ("VERB", "AUX") for t in words)


def _kind(doc: Doc, run: QuoteRun, tokens: list[Token], cue: Token | None) -> str:
    words = [t for t in tokens if not t.is_punct]
    multi_sentence = len({t.sent.start for t in tokens}) > 1
    if cue is None:
        short = len(words) <= SCARE_MAX_WORDS and not multi_sentence
        return "scare" if short and not _is_sentence(tokens) else "direct"
    if multi_sentence or _starts_clause(doc, run, cue):
        return "direct"
    return "partial"


def _looks_like_title(doc: Doc, run: QuoteRun, tokens: list[Token]) -> bool:
    """A short quotation in title case inside a sentence names a work, show or
    slogan (“Meet the Press”, “Make America Great Again”), not something said."""
    words = [t for t in tokens if t.is_alpha]
    if not words or len(words) > TITLE_MAX_WORDS or len(words) < 2:
        return False
    if _word_before(doc, run.start) is None or tokens[0].is_sent_start:
        return False  # a sentence start is capitalised anyway
    if _is_headline(doc, run):
        return False  # in a headline every word is capitalised
    return all(t.text[0].isupper() or t.lower_ in TITLE_SMALL_WORDS for t in words)


def _is_headline(doc: Doc, run: QuoteRun) -> bool:
    """Is the quote's line in title case ("US Accuses Russia of “War Crimes”")?"""
    start, end = line_bounds(doc_text(doc), run.start)
    words = [w for w in doc_text(doc)[start:end].replace("“", " ").replace("”", " ").split()
             if w[:1].isalpha()]
    capitalised = [w for w in words if w[0].isupper() or w.lower() in TITLE_SMALL_WORDS]
    return len(words) >= 3 and len(capitalised) == len(words)


def _attribute_run(doc: Doc, run: QuoteRun) -> Found | None:
    tokens = _quote_tokens(doc, run)
    if not tokens:
        return None
    inside = {t.i for t in tokens}
    word = _word_before(doc, run.start)
    if word is not None and word.lower_ in TITLE_CUES or _looks_like_title(doc, run, tokens):
        return None  # the title of a work, not a quotation
    lines = (line_bounds(doc_text(doc), run.start)[0], line_bounds(doc_text(doc), run.end)[1])
    cue, modifies_noun = _parse_cue(tokens, inside, lines)
    scare_word = word is not None and word.lower_ in SCARE_CUES
    if modifies_noun or scare_word:
        return Found(run.start, run.end, "scare", SCORE_SCARE)
    score = SCORE_PARSE
    if cue is None:
        before, after = _sentence_frame(doc, run)
        cue, score = _frame_cue(before, after, inside), SCORE_ADJACENT
    kind = _kind(doc, run, tokens, cue)
    if kind == "scare":
        return Found(run.start, run.end, "scare", SCORE_SCARE)
    if cue is None:
        return Found(run.start, run.end, kind, SCORE_UNATTRIBUTED)
    return Found(run.start, run.end, kind, score, cue, subject_of(cue))


def _merge_labelled(quoted: list[Found], labelled: list[Found]) -> list[Found]:
    """A "Speaker: text" line replaces the unattributed quotations inside it and
    gives way to attributed ones."""
    kept_lines = [line for line in labelled if not any(
        q.cue is not None and q.start < line.end and line.start < q.end for q in quoted)]
    kept_quotes = [q for q in quoted if q.cue is not None or not any(
        line.start <= q.start and q.end <= line.end + 1 for line in kept_lines)]
    return kept_quotes + kept_lines


def _outermost(found: list[Found]) -> list[Found]:
    """Without the indirect attributions nested in another's content ("Reardon
    criticized Lamport for saying that ...": only Reardon's), as PolNeAR annotates."""
    outer = [(f.clause or (f.start, f.end), f.cue.i) for f in found
             if f.kind != "scare" and f.cue is not None]
    return [f for f in found if f.kind != "indirect" or f.cue is None or not any(
        start <= f.cue.idx < end and cue != f.cue.i for (start, end), cue in outer)]


# ----- stage 5: inherited speakers and names ---------------------------------------

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


def _inherit_speakers(doc: Doc, found: list[Found]) -> list[Found]:
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


def _name_at(entities: list[Span], start: int, end: int) -> str | None:
    try:
        from parallax.nlp.entities import name_at
    except ImportError:  # the entity layer is optional: fall back to the mention text
        return None
    return name_at(entities, start, end)


def _is_role(mention: Mention) -> bool:
    words = mention.text.lower().split()
    return len(words) >= 2 and words[0] == "the" and words[-1] in ROLE_WORDS


def _is_subject_mention(doc: Doc, span: Span) -> bool:
    token = doc.char_span(span.start, span.end, alignment_mode="expand")
    if token is None:
        return False
    node = token[-1]
    while node.dep_ in ("compound", "flat", "appos") and node.head.i != node.i:
        node = node.head
    return node.dep_ in ("nsubj", "nsubjpass")


def _antecedent(item: Found, entities: list[Span], quoted: list[Found]) -> str | None:
    """The nearest PERSON named as a subject before the pronoun, outside quotations
    (the "he" in “...,” he said is the speaker, not a person he talks about); the
    nearest PERSON at all when no subject is near."""
    doc = item.subject.doc
    pronoun_at = item.subject.idx
    inside = [(f.start, f.end) for f in quoted if f.kind != "indirect"]
    candidates = [
        span for span in sorted(entities, key=lambda e: e.start, reverse=True)
        if span.label == "PERSON" and span.end <= pronoun_at
        and pronoun_at - span.end <= PRONOUN_MAX_DISTANCE
        and not any(start <= span.start < end for start, end in inside)]
    subjects = [span for span in candidates if _is_subject_mention(doc, span)]
    best = (subjects or candidates or [None])[0]
    return None if best is None else best.attrs.get("name") or best.text(doc_text(doc))


def _speaker_dict(item: Found, entities: list[Span], quoted: list[Found],
                  last_named: str | None) -> dict | None:
    if item.subject is None:
        return None
    if item.label is not None:
        start, end = item.label
        return {"name": _name_at(entities, start, end) or doc_text(item.subject.doc)[start:end],
                "start": start, "end": end}
    mention = mention_of(item.subject, entities)
    name = None
    antecedent = antecedent_of(item.subject) if item.subject.tag_ in RELATIVE_TAGS else None
    if antecedent is not None:  # "who said": the mention is "who", the name its noun
        named = mention_of(antecedent, entities)
        name = _name_at(entities, named.end - 1, named.end) or named.text
    elif item.subject.lower_ in PERSON_PRONOUNS:
        name = _antecedent(item, entities, quoted) or last_named
    elif _is_role(mention):
        name = last_named
    if name is None:  # the entity naming the head word, else the words themselves
        name = _name_at(entities, mention.end - 1, mention.end) or mention.text
    return {"name": name, "start": mention.start, "end": mention.end}


def _to_spans(doc: Doc, found: list[Found], entities: list[Span]) -> list[Span]:
    spans: list[Span] = []
    last_named: str | None = None
    for item in sorted(found, key=lambda f: f.start):
        speaker = _speaker_dict(item, entities, found, last_named)
        if speaker and item.subject is not None and item.subject.pos_ == "PROPN":
            last_named = speaker["name"]
        attrs = {"speaker": speaker, "cue": cue_dict(item.cue) if item.cue is not None else None}
        if item.clause is not None:
            attrs["clause"] = {"start": item.clause[0], "end": item.clause[1]}
        spans.append(Span(item.start, item.end, item.kind, item.score, attrs))
    return spans
