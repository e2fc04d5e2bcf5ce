"""Conflicts: two articles give incompatible figures or causes for the same thing.

Numbers: two claims count the same thing (same counted noun, similar sentence, a shared
event word such as "killed") and their ranges do not overlap ("hundreds of civilians"
= 200..999 vs "between 26 and 43 civilians").
Causes: two causal claims explain the same event (similar effect phrases, e.g. the
ceasefire's collapse) with dissimilar causes. Besides the claims layer's causal claims,
causes an article reports others giving ("reports cite X as the cause of Y") are
compared too, and listed under `also` beside a conflict about the same event.

Each side of a number conflict carries its sentence, its time, place and population
qualifiers (comparison.qualifiers) and who gives the figure (comparison.attribution); each
number conflict gets a verdict (comparison.verdicts): a real conflict, a different scope or
a different source. `pairs` limits the article pairs compared (compare_analyses passes the
pairs of one story).
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from parallax.comparison.attribution import attribution
from parallax.comparison.conflict_text import credit
from parallax.comparison.qualifiers import qualifiers
from parallax.comparison.units import content_stems, masked, stem
from parallax.comparison.verdicts import verdict
from parallax.model import (
    BY_OUTLET, CAUSE, CONFLICT, NUMBER, PLACE_TYPES, QUALIFIER_TIME, AlsoCause, Analysis, Causal, Claim, Conflict,
    ConflictSide, Evidence, Link, Phrase, Quantity, Ref, Span,
)

Vector = Callable[[str], np.ndarray]
Pairs = Iterable[tuple[int, int]]

# Units that measure time or size: "three weeks" or "a 15-member council" differ
# between articles without contradicting each other.
CONTEXT_UNITS = frozenset("second minute hour day week month year decade century member time percent ago".split())
# Two figures count the same thing when their sentences are on one topic (cosine at
# least this; the seeds' two Aleppo casualty sentences: 0.75) and the words around the
# figures share the event ("killed"): "picked up six seats" and "lost nearly 60 seats"
# are the same noun but different counts.
NUMBER_TOPIC_COSINE = 0.45
# An approximate figure ("nearly 60", "an estimated 800,000") is widened by this share on
# both sides before the ranges are compared: "an estimated 800,000" and "more than 800,000"
# employees agree (BASIL shutdown triplet). Chosen on the tuning triplets of
# bench/conflicts_basil.py.
APPROXIMATE_TOLERANCE = 0.1
# Stems that occur near any figure and say nothing about what it counts: time words
# ("over the past six years") and number words.
CONTEXT_IGNORED = frozenset(stem(w) for w in """
year month week day hour time past next last since ago early late earlier later now today
one two three four five six seven eight nine ten dozen hundred thousand million billion
about nearly almost least more less than over under some several
""".split())
# Words before and after a figure that describe what it counts.
CONTEXT_WORDS_BEFORE = 4
EVENT_WINDOW_WORDS = 8
# Two effect phrases describe the same event from this cosine on (seeds: "the ceasefire
# deal ... collapsed" vs "the collapse of the weeklong ceasefire" 0.65; BASIL: "Strzok was
# fired" vs "the decision to terminate was taken" 0.62; two different statements about
# Fox's criticism of Pena Nieto's invitation 0.59) ...
SAME_EFFECT_COSINE = 0.6
# ... and two causes are different explanations below this one ("an aid convoy was
# bombed" vs "the deliberate bombing of Syrian army positions by US aircraft" ~0.45).
SAME_CAUSE_COSINE = 0.65

# Words of an effect phrase kept in a conflict's topic line.
TOPIC_WORDS = 10

EVENT_WORD = re.compile(r"\b(kill\w*|dead|died|die|injur\w*|wound\w*|displac\w*|fled|arrest\w*|"
                        r"detain\w*|evacuat\w*|rescu\w*|destroy\w*|displaced|missing|captur\w*)\b", re.I)


@dataclass(frozen=True)
class NumberSettings:
    """When two figures are a candidate conflict (bench/conflicts_basil.py relaxes these to
    gather candidates for labelling)."""

    topic_cosine: float = NUMBER_TOPIC_COSINE
    shared_context: bool = True  # the words around both figures must share the event or a content word
    tolerance: float = APPROXIMATE_TOLERANCE


DEFAULT_NUMBERS = NumberSettings()


def _range(quantity: Quantity, tolerance: float = 0.0) -> tuple[float, float]:
    """[low, high] of a figure; an open range ("over 60") reaches infinity; an approximate
    one is widened by `tolerance`."""
    high = math.inf if quantity.high is None else float(quantity.high)
    low = float(quantity.low or 0.0)
    if quantity.approximate and tolerance:
        low, high = low * (1 - tolerance), high * (1 + tolerance)
    return low, high


def _overlap(qa: Quantity, qb: Quantity, tolerance: float = 0.0) -> bool:
    (low_a, high_a), (low_b, high_b) = _range(qa, tolerance), _range(qb, tolerance)
    return low_a <= high_b and low_b <= high_a


def _value_text(quantity: Quantity) -> str:
    low, high = _range(quantity)
    if high == math.inf:
        return f"more than {low:g}"
    return f"{low:g}" if low == high else f"{low:g}-{high:g}"


def _event_after(text: str, quantity: Quantity, sentence: Span) -> str:
    """The event word ("killed") that follows a figure in its sentence, or ""."""
    tail = " ".join(text[quantity.end:sentence.end].split()[:EVENT_WINDOW_WORDS])
    match = EVENT_WORD.search(tail)
    return match.group(0).lower() if match else ""


def _context(analysis: Analysis, quantity: Quantity, sentence: Span) -> frozenset[str]:
    """Content stems near a figure: not the counted noun, names, numbers or time words."""
    text = masked(analysis, sentence.start, sentence.end)
    start, end = quantity.start - sentence.start, quantity.end - sentence.start
    before = text[:start].split()[-CONTEXT_WORDS_BEFORE:]
    after = text[end:].split()[:EVENT_WINDOW_WORDS]
    stems = content_stems(" ".join(before + after))
    return frozenset(s for s in stems if not s.isdigit()) - CONTEXT_IGNORED - {stem(quantity.unit)}


def _places(analysis: Analysis, sentence: Span) -> list[str]:
    return [e.name for e in analysis.entities
            if sentence.start <= e.start and e.end <= sentence.end and e.label in PLACE_TYPES]


def _sentence(analysis: Analysis, span: Span) -> Phrase:
    return Phrase(span.start, span.end, analysis.snippet(span))


def _number_side(index: int, analysis: Analysis, quantity: Quantity, claim: Claim) -> ConflictSide:
    by = attribution(analysis, claim, quantity.start, quantity.end, _outlet(analysis, index))
    return ConflictSide(index, quantity.start, quantity.end, analysis.snippet(quantity), _sentence(analysis, claim),
                        low=quantity.low, high=quantity.high, qualifiers=qualifiers(analysis, quantity, claim),
                        attribution=by)


def _side_note(side: ConflictSide, quantity: Quantity) -> str:
    """'hundreds' (200-999; since a cease-fire fell apart last week; residents, per the WSJ)."""
    times = "; ".join(q.text for q in side.qualifiers if q.kind == QUALIFIER_TIME)
    by = side.attribution
    notes = [x for x in (_value_text(quantity), times, credit(by) if by and by.kind != BY_OUTLET else "") if x]
    return f"{side.text!r} ({'; '.join(notes)})"


def _counted(claim: Claim) -> list[Quantity]:
    return [q for q in claim.quantities if q.unit and q.unit not in CONTEXT_UNITS and q.low is not None]


def _outlet(analysis: Analysis, index: int) -> str:
    return analysis.article.outlet or f"article {index}"


def _number_pair(ia: int, a: Analysis, ca: Claim, qa: Quantity, ib: int, b: Analysis, cb: Claim, qb: Quantity,
                 vector: Vector, settings: NumberSettings = DEFAULT_NUMBERS) -> Conflict | None:
    if stem(qa.unit) != stem(qb.unit) or _overlap(qa, qb, settings.tolerance):
        return None  # different things counted, or the ranges overlap: no conflict
    (low_a, high_a), (low_b, high_b) = _range(qa), _range(qb)
    cosine = float(vector(a.snippet(ca)) @ vector(b.snippet(cb)))
    event_a, event_b = _event_after(a.text, qa, ca), _event_after(b.text, qb, cb)
    same_event = bool(event_a) and stem(event_a) == stem(event_b)
    shared_context = _context(a, qa, ca) & _context(b, qb, cb)
    if cosine < settings.topic_cosine or (settings.shared_context and not (same_event or shared_context)):
        return None
    smaller_high = min(high_a, high_b)
    larger_low = max(low_a, low_b)
    separation = (larger_low - smaller_high) / larger_low if larger_low else 0.0
    places = [p for p in _places(a, ca) if p in _places(b, cb)]
    unit = qa.unit if qa.unit.endswith("s") or qa.unit == "people" else qa.unit + "s"
    topic = " ".join(x for x in (unit, event_a if same_event else "", f"in {places[0]}" if places else "") if x)
    side_a, side_b = _number_side(ia, a, qa, ca), _number_side(ib, b, qb, cb)
    judged, reason = verdict(side_a, side_b)
    explanation = (f"{_outlet(a, ia)} gives {_side_note(side_a, qa)}, {_outlet(b, ib)} gives "
                   f"{_side_note(side_b, qb)}: the ranges do not overlap; {reason}")
    return Conflict(NUMBER, topic, side_a, side_b, score=round(cosine * (0.5 + 0.5 * min(1.0, separation)), 3),
                    explanation=explanation, cosine=round(cosine, 3), verdict=judged, verdict_reason=reason)


def article_pairs(count: int, pairs: Pairs | None = None) -> list[tuple[int, int]]:
    """The (i, j), i < j, article pairs to compare: `pairs` (either order), else all of them."""
    if pairs is None:
        return [(i, j) for i in range(count) for j in range(i + 1, count)]
    return sorted({(min(i, j), max(i, j)) for i, j in pairs if i != j})


def _claim_pair_conflicts(ia: int, a: Analysis, ca: Claim, ib: int, b: Analysis, cb: Claim, vector: Vector,
                          settings: NumberSettings) -> list[Conflict]:
    pairs = [(qa, qb) for qa in _counted(ca) for qb in _counted(cb) if stem(qa.unit) == stem(qb.unit)]
    agreed = {stem(qa.unit) for qa, qb in pairs if _overlap(qa, qb, settings.tolerance)}
    found = []
    for qa, qb in pairs:
        # sentences agreeing on one figure ("six seats") count something else with
        # their other figure of that noun ("194 seats" held)
        if stem(qa.unit) in agreed:
            continue
        conflict = _number_pair(ia, a, ca, qa, ib, b, cb, qb, vector, settings)
        if conflict:
            found.append(conflict)
    return found


def number_conflicts(analyses: list[Analysis], vector: Vector, pairs: Pairs | None = None,
                     settings: NumberSettings = DEFAULT_NUMBERS) -> list[Conflict]:
    found = []
    for ia, ib in article_pairs(len(analyses), pairs):
        a, b = analyses[ia], analyses[ib]
        for ca in a.claims:
            for cb in b.claims:
                found += _claim_pair_conflicts(ia, a, ca, ib, b, cb, vector, settings)
    return _best_per_claim_pair(found)


def _best_per_claim_pair(conflicts: list[Conflict]) -> list[Conflict]:
    best: dict[tuple[int, int, int, int], Conflict] = {}
    for c in conflicts:
        key = (c.a.article, c.a.sentence.start, c.b.article, c.b.sentence.start)
        if key not in best or c.score > best[key].score:
            best[key] = c
    return sorted(best.values(), key=lambda c: -c.score)


# -------------------------------------------------------------------------- causes

def _comparable(causal: Causal | None) -> bool:
    """Both cause and effect have content words (a bare "this" or "it" as cause points
    elsewhere and cannot be compared)."""
    return causal is not None and bool(content_stems(causal.cause.text)) and bool(content_stems(causal.effect.text))


def _topic_of(effect_a: str, effect_b: str) -> str:
    """'cause of ' + the shorter effect phrase, cut to TOPIC_WORDS words."""
    shorter = min(effect_a, effect_b, key=len).split()
    return "cause of " + " ".join(shorter[:TOPIC_WORDS]) + (" ..." if len(shorter) > TOPIC_WORDS else "")


# Causes an article reports others giving: "reports routinely cite the aid convoy attack,
# which they attribute to Russia ..., as the cause of the ceasefire breakdown". The claims
# layer finds causal cues in the article's own voice; this finds attributed ones.
ATTRIBUTED_CAUSE = re.compile(
    r"\b(?:cites?|cited|citing|names?|named|naming|points?\s+to|pointed\s+to)\s+(?P<cause>[^,.;]+?)"
    r"(?:,[^.;]*?,)?\s+as\s+the\s+(?:main\s+|real\s+|sole\s+)?(?:cause|reason|trigger)\s+(?:of|for)\s+"
    r"(?P<effect>[^.;,]+)", re.IGNORECASE)
ATTRIBUTED_CUE = "as the cause of"


def _phrase(text: str, start: int, end: int) -> Phrase:
    return Phrase(start, end, text[start:end])


def causal_statements(analysis: Analysis) -> list[tuple[Span, Causal]]:
    """(sentence, causal) for the causal claims and the attributed causes of an article."""
    found: list[tuple[Span, Causal]] = [(claim, claim.causal) for claim in analysis.claims
                                        if claim.causal is not None and _comparable(claim.causal)]
    for sentence in analysis.sentences:
        if any(claim.overlaps(sentence) for claim, _ in found):
            continue
        match = ATTRIBUTED_CAUSE.search(analysis.text, sentence.start, sentence.end)
        if match:
            found.append((sentence, Causal(ATTRIBUTED_CUE, _phrase(analysis.text, *match.span("cause")),
                                           _phrase(analysis.text, *match.span("effect")), attributed=True)))
    return found


def _cause_side(index: int, analysis: Analysis, sentence: Span, causal: Causal, also: list[AlsoCause]) -> ConflictSide:
    cause = causal.cause
    return ConflictSide(index, cause.start, cause.end, analysis.snippet(cause), _sentence(analysis, sentence),
                        effect=_phrase(analysis.text, causal.effect.start, causal.effect.end),
                        attributed=causal.attributed, also=also)


def _also(analysis: Analysis, statements: list[tuple[Span, Causal]], chosen: Causal, vector: Vector) -> list[AlsoCause]:
    """Other causes the same article gives (or reports) for the same event."""
    effect = vector(chosen.effect.text)
    return [AlsoCause(c.cause.start, c.cause.end, analysis.snippet(c.cause), c.attributed)
            for _, c in statements
            if c is not chosen and float(vector(c.effect.text) @ effect) >= SAME_EFFECT_COSINE]


def _cause_explanation(outlet_a: str, side_a: ConflictSide, outlet_b: str, side_b: ConflictSide) -> str:
    explanation = f"{outlet_a} gives {side_a.text!r}, {outlet_b} gives {side_b.text!r}"
    for outlet, side in ((outlet_a, side_a), (outlet_b, side_b)):
        if side.also:
            explanation += f"; {outlet} also mentions " + ", ".join(
                repr(x.text) + (" (as others' view)" if x.attributed else "") for x in side.also)
    return explanation


def cause_conflicts(analyses: list[Analysis], vector: Vector, pairs: Pairs | None = None) -> list[Conflict]:
    statements = [causal_statements(a) for a in analyses]
    found = []
    for ia, ib in article_pairs(len(analyses), pairs):
        a, b = analyses[ia], analyses[ib]
        for sa, causal_a in statements[ia]:
            for sb, causal_b in statements[ib]:
                effect_cos = float(vector(causal_a.effect.text) @ vector(causal_b.effect.text))
                cause_cos = float(vector(causal_a.cause.text) @ vector(causal_b.cause.text))
                if effect_cos < SAME_EFFECT_COSINE or cause_cos >= SAME_CAUSE_COSINE:
                    continue
                side_a = _cause_side(ia, a, sa, causal_a, _also(a, statements[ia], causal_a, vector))
                side_b = _cause_side(ib, b, sb, causal_b, _also(b, statements[ib], causal_b, vector))
                found.append(Conflict(
                    CAUSE, _topic_of(causal_a.effect.text, causal_b.effect.text), side_a, side_b,
                    score=round(effect_cos * (1.0 - max(0.0, cause_cos)), 3),
                    explanation=_cause_explanation(_outlet(a, ia), side_a, _outlet(b, ib), side_b),
                    cosine=round(effect_cos, 3), cause_cosine=round(cause_cos, 3)))
    return sorted(found, key=lambda c: -c.score)


def conflict_links(conflicts: list[Conflict]) -> list[Link]:
    """A Link(relation=CONFLICT) between the two sentences of each conflict."""
    links = []
    for c in conflicts:
        refs = [Ref(side.article, side.sentence.start, side.sentence.end, side.sentence.text) for side in (c.a, c.b)]
        links.append(Link(CONFLICT, refs[0], refs[1], c.score, Evidence(
            cosine=c.cosine, numbers=[c.a.text, c.b.text] if c.kind == NUMBER else [],
            text_a=c.a.text, text_b=c.b.text, kind=c.kind, topic=c.topic, explanation=c.explanation,
            verdict=c.verdict)))
    return links


def find_conflicts(analyses: list[Analysis], vector: Vector, pairs: Pairs | None = None) -> list[Conflict]:
    """Number and cause conflicts between the articles of `pairs` (default: every pair)."""
    chosen = article_pairs(len(analyses), pairs)
    return number_conflicts(analyses, vector, chosen) + cause_conflicts(analyses, vector, chosen)
