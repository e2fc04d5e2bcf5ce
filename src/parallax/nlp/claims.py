"""Claims: sentences that state check-worthy facts.

A sentence is a claim when it has at least one of
  * a counted figure ("hundreds of civilians", "between 26 and 43 civilians") -> "numeric";
  * a causal link ("triggered by", "because", "due to", "led to", "blamed X for Y", a
    collapse/breakdown "when"/"after" something happened) -> "causal", with the cause and
    effect phrases located in the text;
  * an action attributed to a named actor ("US aircraft bombed ...", "Power ... walked
    out", "at the request of the United States") -> "event".
The kind is the strongest one found (causal > numeric > event). `score` (0..1) adds up
the evidence: counts of people killed or hurt weigh most, then causes, then actions, with
small bonuses for a date and for named actors.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from parallax.model import Causal, Claim, ClaimKind, Entity, Event, Phrase, Quantity, Span
from parallax.nlp.entities import name_at
from parallax.nlp.quantities import find_quantities
from parallax.nlp.spacy_model import doc_text, lemma

# Units that count durations or sizes rather than people or things: a figure in them
# ("three weeks", "15-member council") is context, not a fact worth checking on its own.
CONTEXT_UNITS = frozenset("second minute hour day week month year decade century "
                          "member time percent".split())

# Nouns and verbs of harm to people: a figure near them is a casualty count.
CASUALTY_WORDS = re.compile(
    r"\b(kill\w*|dead|death\w*|die[ds]?|dying|injur\w*|wound\w*|casualt\w*|lives|"
    r"displac\w*|fled|flee\w*|refugee\w*|arrest\w*|detain\w*|massacre\w*|victim\w*)\b",
    re.IGNORECASE)

# Verbs whose subject (or "by" agent) performs a checkable action.
EVENT_VERBS = frozenset("""
bomb kill attack strike shell shoot fire launch seize capture retake invade occupy destroy
injure wound arrest detain execute block veto sanction deploy withdraw request sign violate
hit raid target besiege massacre torture arm supply fund back pound storm ambush convene
call walk leave meet vote expel reject announce impose order protect shield accuse press
perpetrate evacuate recapture surround demolish poison gas
""".split())

# Subjects that name no one: an action by "they" or "who" is attributed by context only.
VAGUE_SUBJECTS = frozenset("i you he she it we they who that which this these those one "
                           "someone something everyone".split())

# Nouns naming an action whose actor is given by "by X" ("the bombing ... by US aircraft").
EVENT_NOUNS = frozenset("bombing attack strike airstrike shelling killing invasion incursion "
                        "request raid offensive assault".split())
# Of these, the ones whose "of X" is the actor, not the target ("the request of the United
# States" vs "the bombing of Syrian army positions").
AGENT_OF_NOUNS = frozenset("request demand order offensive".split())

# Causal cues. In "effect CUE cause" the effect comes first ("X was triggered by Y");
# in "cause CUE effect" the cause does ("Y led to X").
EFFECT_FIRST = re.compile(
    r"\b(?:was|were|is|are|been|being)?\s*(?:triggered|caused|sparked|prompted|provoked|"
    r"driven|fu?elled|brought about)\s+by\b|\bdue\s+to\b|\bbecause(?:\s+of)?\b|"
    r"\bas\s+a\s+(?:direct\s+)?result\s+of\b|\bowing\s+to\b|\bin\s+retaliation\s+for\b|"
    r"\bin\s+response\s+to\b", re.IGNORECASE)
CAUSE_FIRST = re.compile(
    r"\b(?:triggered|caused|sparked|provoked|enabled|led\s+to|leads?\s+to|resulted\s+in|"
    r"results\s+in|brought\s+about)\b", re.IGNORECASE)
BLAME = re.compile(r"\bblam(?:e|ed|es|ing)\s+(?P<cause>[^.;]+?)\s+for\s+(?P<effect>[^.;]+)",
                   re.IGNORECASE)
# "X collapsed ... when Y": a breakdown explained by the event in the "when"/"after" clause.
BREAKDOWN = re.compile(r"\b(?:collaps\w*|fell\s+apart|broke\s+down|ended|failed|"
                       r"erupted|began|started|escalated|resumed)\b", re.IGNORECASE)
TEMPORAL_CAUSE = re.compile(r"\b(?:when|after|following)\b", re.IGNORECASE)

# A phrase ends at a dash, semicolon or a relative clause set off by a comma.
# (A closing quote after punctuation ends a quoted sentence: `... because of this," X said`.)
PHRASE_END = re.compile(r"\s*(?:[—–;:]|\s-\s|,\s+(?:which|who|whose|where|while)\b|[,.!?][\"”’])")
# A short opening phrase set off by a comma ("In truth,", "As reported previously,").
OPENER = re.compile(r"^\W*(?:\w+\W+){0,2}\w+,\s+")
# A reported-speech prefix ("X said that ...") is not part of the effect.
REPORTING = re.compile(r"\b(?:said|says|stated|claimed|told\s+\w+|argued|insisted|noted|"
                       r"declared|added|warned)\s+(?:that\s+)?", re.IGNORECASE)
TRAILING_AUX = re.compile(r"(?:\s+(?:was|were|is|are|been|being|has|have|had|be))+$",
                          re.IGNORECASE)

# Score weights: each names one kind of evidence; the sum is capped at 1.
WEIGHT_CASUALTY_COUNT = 0.6   # figures of people killed/hurt are the most checked facts
WEIGHT_COUNT = 0.45           # any other counted figure
WEIGHT_CAUSAL = 0.45          # causal attributions drive the story's framing
WEIGHT_EVENT = 0.35           # an action attributed to a named actor
WEIGHT_DATE = 0.1             # a date makes the claim more specific
WEIGHT_ACTORS = 0.1           # named actors make it attributable

# Sentences shorter than this (in words) are headings or fragments, not claims.
MIN_WORDS = 5


# ---------------------------------------------------------------- causal phrases

def _phrase(text: str, start: int, end: int) -> Phrase | None:
    """text[start:end] trimmed of spaces, quotes and commas; None when under 3 characters."""
    strip = " \t\n,\"'“”‘’"
    while start < end and text[start] in strip:
        start += 1
    while end > start and text[end - 1] in strip + ".":
        end -= 1
    if end - start < 3:
        return None
    return Phrase(start, end, text[start:end])


def _before(text: str, sent_start: int, cue_start: int) -> tuple[int, int]:
    """The clause before a cue: after a reporting verb or the last dash/semicolon."""
    start = sent_start
    opener = OPENER.match(text[start:cue_start])
    if opener:
        start += opener.end()
    for match in REPORTING.finditer(text, start, cue_start):
        start = match.end()
    for match in re.finditer(r"[—–;]", text[start:cue_start]):
        start = start + match.end()
    end = cue_start
    aux = TRAILING_AUX.search(text[start:end].rstrip())
    if aux:
        end = start + aux.start()
    return start, end


def _after(text: str, cue_end: int, sent_end: int) -> tuple[int, int]:
    """The phrase after a cue, up to a dash, semicolon or comma-relative clause."""
    stop = PHRASE_END.search(text, cue_end, sent_end)
    return cue_end, stop.start() if stop else sent_end


def find_causal(text: str, start: int, end: int) -> Causal | None:
    """The first causal link in text[start:end] (its cue, cause and effect), or None."""
    sentence = text[start:end]
    blame = BLAME.search(sentence)
    if blame:
        cause = _phrase(text, start + blame.start("cause"), start + blame.end("cause"))
        effect = _phrase(text, *_after(text, start + blame.start("effect"), end))
        if cause and effect:
            return Causal("blamed", cause, effect)
    match = EFFECT_FIRST.search(sentence)
    cue_first = False
    if match is None:
        match = CAUSE_FIRST.search(sentence)
        cue_first = match is not None
    if match is None and BREAKDOWN.search(sentence):
        temporal = TEMPORAL_CAUSE.search(sentence, BREAKDOWN.search(sentence).end())
        match = temporal
    if match is None:
        return None
    cue_start, cue_end = start + match.start(), start + match.end()
    if cue_start - start <= 1 and not cue_first:
        # "Because X, Y": the cause runs to the first comma.
        comma = text.find(",", cue_end, end)
        if comma < 0:
            return None
        cause, effect = _phrase(text, cue_end, comma), _phrase(text, comma + 1, end)
    else:
        first, second = _phrase(text, *_before(text, start, cue_start)), \
            _phrase(text, *_after(text, cue_end, end))
        cause, effect = (first, second) if cue_first else (second, first)
    if not cause or not effect:
        return None
    return Causal(match.group().strip(), cause, effect)


# ---------------------------------------------------------------- events and actors

def _actor_in(token, entities: list[Entity]) -> str | None:
    """Canonical name of an entity inside the subtree of `token`."""
    sub = list(token.subtree)
    return name_at(entities, sub[0].idx, sub[-1].idx + len(sub[-1]))


def find_event(sent, entities: list[Entity], dated: bool = False) -> Event | None:
    """The first action attributed to a named actor in `sent`: its verb and actor.

    With `dated`, an action by an unnamed but definite subject ("the army on Saturday
    seized control of ...") counts too: the date makes it checkable; its actor is then the
    subject phrase itself.
    """
    for token in sent:
        if token.pos_ in ("VERB", "AUX") and lemma(token) in EVENT_VERBS:
            for child in token.children:
                if child.dep_ in ("nsubj", "agent") and child.lower_ not in VAGUE_SUBJECTS:
                    actor = _actor_in(child, entities)
                    if actor:
                        return Event(token.text, actor)
                    if dated and child.dep_ == "nsubj" and child.pos_ in ("NOUN", "PROPN"):
                        return Event(token.text, _subtree_text(child))
        if token.pos_ == "NOUN" and lemma(token) in EVENT_NOUNS:
            agent_preps = ("by", "of") if lemma(token) in AGENT_OF_NOUNS else ("by",)
            for child in token.children:
                if child.dep_ == "prep" and child.lower_ in agent_preps:
                    actor = _actor_in(child, entities)
                    if actor:
                        return Event(token.text, actor)
    return None


def _subtree_text(token) -> str:
    """The noun phrase up to its head ("the army", not "the army on Saturday")."""
    return token.doc[token.left_edge.i:token.i + 1].text


def _actors(entities: list[Entity], starts: list[int], start: int, end: int) -> list[str]:
    """Canonical names of the entities inside [start, end); `starts` are their sorted starts."""
    first = bisect_left(starts, start)
    names = []
    for entity in entities[first:]:
        if entity.start >= end:
            break
        if entity.end <= end and entity.name:
            names.append(entity.name)
    return list(dict.fromkeys(names))


def _has_date(sent) -> bool:
    # Token entity types, not sent.ents: that rebuilds all of doc.ents on every call.
    return any(token.ent_type_ in ("DATE", "TIME") for token in sent)


# ---------------------------------------------------------------- claims

def _score(counted: list[Quantity], casualty: bool, causal: bool, event: bool,
           dated: bool, actors: bool) -> float:
    score = 0.0
    if counted:
        score += WEIGHT_CASUALTY_COUNT if casualty else WEIGHT_COUNT
    score += WEIGHT_CAUSAL if causal else 0.0
    score += WEIGHT_EVENT if event else 0.0
    if score:
        score += (WEIGHT_DATE if dated else 0.0) + (WEIGHT_ACTORS if actors else 0.0)
    return round(min(score, 1.0), 3)


def claim_spans(doc, sentences: list[Span], entities: list[Entity]) -> list[Claim]:
    """Sentences of `doc` that state check-worthy facts, as Claims labelled "claim"."""
    text = doc_text(doc)
    entities = sorted(entities, key=lambda e: (e.start, e.end))
    starts = [e.start for e in entities]
    token_starts = [token.idx for token in doc]
    claims = []
    for sentence in sentences:
        start, end = sentence.start, sentence.end
        if len(text[start:end].split()) < MIN_WORDS:
            continue
        # Tokens by bisection: doc.char_span scans the whole doc on each call.
        sent = doc[max(bisect_right(token_starts, start) - 1, 0):
                   bisect_left(token_starts, end)]
        if not len(sent):
            continue
        quantities = find_quantities(text[start:end], offset=start)
        counted = [q for q in quantities if q.unit and q.unit not in CONTEXT_UNITS]
        casualty = bool(counted) and CASUALTY_WORDS.search(text[start:end]) is not None
        causal = find_causal(text, start, end)
        dated = _has_date(sent)
        event = find_event(sent, entities, dated)
        if not (counted or causal or event):
            continue
        actors = _actors(entities, starts, start, end)
        kind: ClaimKind = "causal" if causal else "numeric" if counted else "event"
        score = _score(counted, casualty, bool(causal), bool(event), dated, bool(actors))
        claims.append(Claim(start, end, "claim", score, kind=kind, quantities=quantities,
                            actors=actors, causal=causal, event=event))
    return claims


__all__ = ["claim_spans", "find_causal", "find_event"]
