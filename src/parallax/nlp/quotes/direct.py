"""Stages 2-3 of quote extraction: the cue, speaker and kind of each quotation.

    attribute_run(doc, run) -> Found | None

The cue is found through the dependency parse (the quote hangs from a reporting verb)
or, failing that, beside the quote in its sentence ("..., Power said." / "Lavrov told
NTV: “...”"); the speaker is the cue's subject (see cues). The kind: direct (a whole
clause quoted), partial (a fragment inside the speaker's own sentence), scare (a short
quoted phrase nobody is cited for).

Titles of works in quotes (entitled “From Paradise to Hell: ...”, a short title-case
phrase such as “Meet the Press”, or a short quotation after "film", "song", "book" ...:
the film “1917”) are not quotes of anyone: None.
"""
from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from parallax.model import QuoteKind
from parallax.nlp.quotes.cues import introduces, is_cue, speaks_through_target, subject_of
from parallax.nlp.quotes.found import Found
from parallax.nlp.quotes.marks import QuoteRun, find_quote_runs
from parallax.nlp.quotes.tokens import SPEAKER_POS, line_bounds
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
# Lower-case words a title may hold ("Meet the Press").
TITLE_SMALL_WORDS = frozenset("a an the of and or nor but so yet as to in on for at by up with from into over via vs".split())
# Nouns right before a quotation that make it the title of a work: the film “1917”,
# the song “Imagine”, his book “The Art of the Deal”.
WORK_NOUNS = frozenset("""
film movie book novel song album series show documentary play memoir poem opera musical
episode single track painting sitcom miniseries podcast programme program biography
""".split())
# A quotation followed by "by" and a name is a work with its author: “Imagine” by John
# Lennon, a newsletter's `"Gallery opening across from Whitney," by DNAinfo's Danielle
# Tcholakian:` (the name must not be a date: “a decision” by Monday).
BYLINE = re.compile(r"[,\"“”'`\s]*by\s+", re.IGNORECASE)
# Words right before a quotation that announce a scare quote.
SCARE_CUES = frozenset("so-called called dubbed".split())
# The last token of a quoted full sentence (“He was very charming.”).
SENTENCE_ENDS = frozenset((".", "!", "?", ","))
# Token texts of quotation marks (spaCy keeps '' and `` of older texts as tokens).
MARK_TEXTS = frozenset(('"', "“", "”", "''", "``"))
MARK_CHARS = "\"“”'` "
# Words of the next sentence searched for the cue of a quotation ending in "!" or "?":
# "the former secretary of state Hillary Clinton said" is eight, "the presumptive GOP
# presidential nominee, Donald Trump, tweeted" ten (PolNeAR train).
NEXT_FRAME_TOKENS = 12
# Where a Doc keeps the indices of its quoted tokens (quoted_tokens).
QUOTED_KEY = "parallax.quoted"
# Confidence of each way of finding the speaker (used as Quote.score; an inherited
# speaker scores speakers.SCORE_INHERITED).
SCORE_PARSE = 0.9      # the quote hangs from the cue in the dependency parse
SCORE_ADJACENT = 0.8   # the cue sits beside the quote in the same sentence
SCORE_UNATTRIBUTED = 0.5
SCORE_SCARE = 0.7


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
        node, step, passive = token, 0, None
        while node.head.i != node.i and step < MAX_CUE_CLIMB:
            if node.dep_ not in COMPLEMENT_DEPS and step > 0 or node.dep_ in ("advcl", "relcl"):
                break
            node, step = node.head, step + 1
            if node.i not in inside and is_cue(node, for_quote=True) and introduces(node, inside) \
                    and lines[0] <= node.idx < lines[1]:
                if passive is None and speaks_through_target(node):
                    passive = node  # "the “hundreds” of buyers were charged, Levy said"
                    continue
                return node, False
        return passive, False
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
    before = [t for t in start_sent if line_start <= t.idx < run.start]
    while before and before[-1].text in MARK_TEXTS:  # the opening mark, one character or two ('')
        before.pop()
    if not [t for t in before if not t.is_punct and not t.is_space]:
        tail = _token_before(doc, first[0].idx, MARK_TEXTS)
        if tail is not None and tail.text in (",", ":"):
            tail_line = line_bounds(doc_text(doc), tail.idx)[0]
            before = [t for t in tail.sent if tail_line <= t.idx <= tail.idx]
    after_end = line_bounds(doc_text(doc), run.end)[1]
    after = [t for t in end_sent if run.end < t.idx < after_end]
    last = doc_text(doc)[run.start:run.end].rstrip(MARK_CHARS)[-1:]
    if not after and end_sent.end < len(doc) and last and last in "!?…":
        # "“... Donald J. Trump!” US Senator Jeff Sessions said": the parser ends the
        # sentence at the quotation's "!" or "?"; its frame is the start of the next one.
        after = [t for t in doc[end_sent.end:end_sent.end + NEXT_FRAME_TOKENS] if t.idx < after_end]
    return before, after


def _frame_cue(before: list[Token], after: list[Token], inside: set[int]) -> Token | None:
    """A reporting verb beside the quote: after it first ("...,” Power said), else the
    nearest one before it (Power said: “...”). Stops at another quotation mark."""
    passive = None  # a cue whose subject is its target, taken only if nothing else is there
    for side in (after, list(reversed(before))):
        for token in side:
            if token.text in MARK_TEXTS:
                break
            if token.i not in inside and is_cue(token, for_quote=True) and introduces(token, inside):
                if not speaks_through_target(token):
                    return token
                passive = passive or token
    return passive


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


def _kind(doc: Doc, run: QuoteRun, tokens: list[Token], cue: Token | None) -> QuoteKind:
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
    if _word_before(doc, run.start) is None or tokens[0].is_sent_start or _opens_speech(doc, tokens):
        return False  # a sentence start is capitalised anyway
    if _is_headline(doc, run):
        return False  # in a headline every word is capitalised
    return all(t.text[0].isupper() or t.lower_ in TITLE_SMALL_WORDS for t in words)


def _opens_speech(doc: Doc, tokens: list[Token]) -> bool:
    """A quotation opening its sentence and closing on a comma, "!" or "?" is the words a
    cue then reports ("“GROWING PARTY,” he declared in a tweet"), capitalised or not."""
    first = tokens[0]
    return tokens[-1].text in (",", "!", "?") and all(t.text in MARK_TEXTS for t in doc[first.sent.start:first.i])


def _names_a_work(doc: Doc, run: QuoteRun, tokens: list[Token]) -> bool:
    """A short quotation opening with a capital or a digit right after a noun such as
    "film" or "song" (a comma between allowed) is the work's title."""
    word = _token_before(doc, run.start, MARK_TEXTS | {","})
    if word is None or word.lower_ not in WORK_NOUNS:
        return False
    # "the Broadway show": the tagger may read the noun as a verb ("polls show" is one).
    before = doc[word.i - 1] if word.i > 0 else None
    if word.pos_ != "NOUN" and (before is None or before.pos_ not in ("DET", "PROPN", "ADJ")):
        return False
    words = [t for t in tokens if not t.is_punct]
    return 0 < len(words) <= TITLE_MAX_WORDS and (words[0].text[0].isupper() or words[0].text[0].isdigit())


def _has_byline(doc: Doc, run: QuoteRun) -> bool:
    """Is the quotation followed by "by" and its author's name (a work, see BYLINE)?"""
    match = BYLINE.match(doc_text(doc), run.end)
    if match is None:
        return False
    span = doc.char_span(match.end(), match.end() + 1, alignment_mode="expand")
    return span is not None and span[0].pos_ == "PROPN" and span[0].ent_type_ not in ("DATE", "TIME")


def _is_headline(doc: Doc, run: QuoteRun) -> bool:
    """Is the quote's line in title case ("US Accuses Russia of “War Crimes”")?"""
    start, end = line_bounds(doc_text(doc), run.start)
    words = [w for w in doc_text(doc)[start:end].replace("“", " ").replace("”", " ").split()
             if w[:1].isalpha()]
    capitalised = [w for w in words if w[0].isupper() or w.lower() in TITLE_SMALL_WORDS]
    return len(words) >= 3 and len(capitalised) == len(words)


def quoted_tokens(doc: Doc, runs: list[QuoteRun] | None = None) -> frozenset[int]:
    """The indices of the tokens inside any quotation, computed once per Doc; `runs`: the
    text's quotation runs when the caller has them (find_quote_runs otherwise)."""
    quoted = doc.user_data.get(QUOTED_KEY)
    if quoted is None:
        runs = find_quote_runs(doc_text(doc)) if runs is None else runs
        quoted = doc.user_data[QUOTED_KEY] = frozenset(t.i for run in runs for t in _quote_tokens(doc, run))
    return quoted


def attribute_run(doc: Doc, run: QuoteRun, quoted: frozenset[int] = frozenset()) -> Found | None:
    """The attribution of one quotation: its cue and speaker, kind and confidence; None
    for the title of a work or a run without tokens. `quoted`: the tokens of every
    quotation of the text (quoted_tokens), none of which is a speaker."""
    tokens = _quote_tokens(doc, run)
    if not tokens:
        return None
    inside = {t.i for t in tokens}
    word = _word_before(doc, run.start)
    if word is not None and word.lower_ in TITLE_CUES or _looks_like_title(doc, run, tokens) \
            or _names_a_work(doc, run, tokens) or _has_byline(doc, run):
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
    return Found(run.start, run.end, kind, score, cue, _speaker_outside(doc, cue, inside, quoted | inside))


def _speaker_outside(doc: Doc, cue: Token, inside: set[int], quoted: frozenset[int]) -> Token | None:
    """The cue's subject, which is never a word of the quotation itself: the parser may
    make "McCain" of "“... Sen. John McCain,” Trump said" the subject, or "We" of "“We
    were wrong,” Ramos, 58, told AFP". Then the speaker is the nearest noun, name or
    pronoun after the last quoted word before the cue, else right after the cue ("said
    Trumka")."""
    subject = subject_of(cue)
    if subject is None or subject.i not in quoted:
        return subject
    start = cue.i
    while start > cue.sent.start and start - 1 not in quoted:
        start -= 1
    between = [t for t in doc[start:cue.i] if t.pos_ in SPEAKER_POS]
    if between:
        return between[0]
    following = [t for t in doc[cue.i + 1:cue.sent.end] if t.i not in quoted][:NEXT_FRAME_TOKENS]
    for token in following:
        if token.text in MARK_TEXTS:
            break
        if token.pos_ in SPEAKER_POS:
            return token
    return None


__all__ = ["attribute_run"]
