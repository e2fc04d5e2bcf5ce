"""Conflicts: two articles give incompatible figures or causes for the same thing.

Numbers: two claims count the same thing (same counted noun, similar sentence, a shared
event word such as "killed") and their ranges do not overlap ("hundreds of civilians"
= 200..999 vs "between 26 and 43 civilians").
Causes: two causal claims explain the same event (similar effect phrases, e.g. the
ceasefire's collapse) with dissimilar causes. Besides the claims layer's causal claims,
causes an article reports others giving ("reports cite X as the cause of Y") are
compared too, and listed under "also" beside a conflict about the same event.
"""
from __future__ import annotations

import re
from typing import Callable

import numpy as np

from parallax.comparison.units import content_stems, masked, stem
from parallax.model import Analysis, Link, Ref, Span

Vector = Callable[[str], np.ndarray]

# Units that measure time or size: "three weeks" or "a 15-member council" differ
# between articles without contradicting each other.
CONTEXT_UNITS = frozenset("second minute hour day week month year decade century member time percent ago".split())
# Two figures count the same thing when their sentences are on one topic (cosine at
# least this; the seeds' two Aleppo casualty sentences: 0.75) and the words around the
# figures share the event ("killed"): "picked up six seats" and "lost nearly 60 seats"
# are the same noun but different counts.
NUMBER_TOPIC_COSINE = 0.45
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


def _range(quantity: dict) -> tuple[float, float]:
    low = quantity.get("low")
    high = quantity.get("high")
    return float(low), float("inf") if high is None else float(high)


def _overlap(qa: dict, qb: dict) -> bool:
    (low_a, high_a), (low_b, high_b) = _range(qa), _range(qb)
    return low_a <= high_b and low_b <= high_a


def _value_text(quantity: dict) -> str:
    low, high = _range(quantity)
    if high == float("inf"):
        return f"more than {low:g}"
    return f"{low:g}" if low == high else f"{low:g}-{high:g}"


def _event_after(text: str, quantity: dict, sentence: Span) -> str:
    """The event word ("killed") that follows a figure in its sentence, or ""."""
    tail = " ".join(text[quantity["end"]:sentence.end].split()[:EVENT_WINDOW_WORDS])
    match = EVENT_WORD.search(tail)
    return match.group(0).lower() if match else ""


def _context(analysis: Analysis, quantity: dict, sentence: Span) -> frozenset[str]:
    """Content stems near a figure: not the counted noun, names, numbers or time words."""
    text = masked(analysis, sentence.start, sentence.end)
    start, end = quantity["start"] - sentence.start, quantity["end"] - sentence.start
    before = text[:start].split()[-CONTEXT_WORDS_BEFORE:]
    after = text[end:].split()[:EVENT_WINDOW_WORDS]
    stems = content_stems(" ".join(before + after))
    return frozenset(s for s in stems if not s.isdigit()) - CONTEXT_IGNORED - {stem(quantity.get("unit", ""))}


def _places(analysis: Analysis, sentence: Span) -> list[str]:
    return [e.attrs.get("name", "") for e in analysis["entities"]
            if sentence.start <= e.start and e.end <= sentence.end and e.label in ("GPE", "LOC")]


def _side(index: int, analysis: Analysis, quantity: dict, claim: Span) -> dict:
    return {"article": index, "start": quantity["start"], "end": quantity["end"], "text": quantity["text"],
            "value": [quantity.get("low"), quantity.get("high")],
            "sentence": {"start": claim.start, "end": claim.end, "text": analysis.snippet(claim)}}


def _counted(claim: Span) -> list[dict]:
    return [q for q in claim.attrs.get("quantities", [])
            if q.get("unit") and q["unit"] not in CONTEXT_UNITS and q.get("low") is not None]


def _number_pair(ia: int, a: Analysis, ca: Span, qa: dict, ib: int, b: Analysis, cb: Span, qb: dict,
                 vector: Vector) -> dict | None:
    if stem(qa["unit"]) != stem(qb["unit"]) or _overlap(qa, qb):
        return None  # different things counted, or the ranges overlap: no conflict
    (low_a, high_a), (low_b, high_b) = _range(qa), _range(qb)
    cosine = float(vector(a.snippet(ca)) @ vector(b.snippet(cb)))
    event_a, event_b = _event_after(a.text, qa, ca), _event_after(b.text, qb, cb)
    same_event = bool(event_a) and stem(event_a) == stem(event_b)
    shared_context = _context(a, qa, ca) & _context(b, qb, cb)
    if cosine < NUMBER_TOPIC_COSINE or not (same_event or shared_context):
        return None
    smaller_high = min(high_a, high_b)
    larger_low = max(low_a, low_b)
    separation = (larger_low - smaller_high) / larger_low if larger_low else 0.0
    places = [p for p in _places(a, ca) if p in _places(b, cb)]
    unit = qa["unit"] if qa["unit"].endswith("s") or qa["unit"] == "people" else qa["unit"] + "s"
    topic = " ".join(x for x in (unit, event_a if same_event else "", f"in {places[0]}" if places else "") if x)
    explanation = (f"{a.article.outlet or 'article ' + str(ia)} gives {qa['text']!r} ({_value_text(qa)}), "
                   f"{b.article.outlet or 'article ' + str(ib)} gives {qb['text']!r} ({_value_text(qb)}): "
                   f"the ranges do not overlap (they may also count different periods or places)")
    return {"kind": "number", "topic": topic, "a": _side(ia, a, qa, ca), "b": _side(ib, b, qb, cb),
            "score": round(cosine * (0.5 + 0.5 * min(1.0, separation)), 3), "explanation": explanation,
            "cosine": round(cosine, 3)}


def number_conflicts(analyses: list[Analysis], vector: Vector) -> list[dict]:
    found = []
    for ia, a in enumerate(analyses):
        for ib in range(ia + 1, len(analyses)):
            b = analyses[ib]
            for ca in a["claims"]:
                for cb in b["claims"]:
                    pairs = [(qa, qb) for qa in _counted(ca) for qb in _counted(cb)
                             if stem(qa["unit"]) == stem(qb["unit"])]
                    agreed = {stem(qa["unit"]) for qa, qb in pairs if _overlap(qa, qb)}
                    for qa, qb in pairs:
                        # sentences agreeing on one figure ("six seats") count something
                        # else with their other figure of that noun ("194 seats" held)
                        if stem(qa["unit"]) in agreed:
                            continue
                        conflict = _number_pair(ia, a, ca, qa, ib, b, cb, qb, vector)
                        if conflict:
                            found.append(conflict)
    return _best_per_claim_pair(found)


def _best_per_claim_pair(conflicts: list[dict]) -> list[dict]:
    best: dict[tuple, dict] = {}
    for c in conflicts:
        key = (c["a"]["article"], c["a"]["sentence"]["start"], c["b"]["article"], c["b"]["sentence"]["start"])
        if key not in best or c["score"] > best[key]["score"]:
            best[key] = c
    return sorted(best.values(), key=lambda c: -c["score"])


# -------------------------------------------------------------------------- causes

def _causal(claim: Span) -> dict | None:
    """The claim's cause/effect, if both have content words (a bare "this" or "it" as
    cause points elsewhere and cannot be compared)."""
    causal = claim.attrs.get("causal")
    if causal and causal.get("cause") and causal.get("effect") \
            and content_stems(causal["cause"]["text"]) and content_stems(causal["effect"]["text"]):
        return causal
    return None


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


def _phrase(text: str, start: int, end: int) -> dict:
    return {"start": start, "end": end, "text": text[start:end]}


def causal_statements(analysis: Analysis) -> list[tuple[Span, dict]]:
    """(sentence, causal) for the causal claims and the attributed causes of an article."""
    found = [(claim, causal) for claim in analysis["claims"] if (causal := _causal(claim))]
    for sentence in analysis["sentences"]:
        if any(claim.overlaps(sentence) for claim, _ in found):
            continue
        match = ATTRIBUTED_CAUSE.search(analysis.text, sentence.start, sentence.end)
        if match:
            found.append((sentence, {"cue": "as the cause of", "attributed": True,
                                     "cause": _phrase(analysis.text, *match.span("cause")),
                                     "effect": _phrase(analysis.text, *match.span("effect"))}))
    return found


def _cause_side(index: int, analysis: Analysis, claim: Span, causal: dict, also: list[dict]) -> dict:
    cause = causal["cause"]
    return {"article": index, "start": cause["start"], "end": cause["end"], "text": cause["text"],
            "value": cause["text"], "effect": causal["effect"], "attributed": bool(causal.get("attributed")),
            "sentence": {"start": claim.start, "end": claim.end, "text": analysis.snippet(claim)},
            "also": also}


def _also(statements: list[tuple[Span, dict]], chosen: dict, effect: str, vector: Vector) -> list[dict]:
    """Other causes the same article gives (or reports) for the same event."""
    return [dict(causal["cause"], attributed=bool(causal.get("attributed")))
            for _, causal in statements
            if causal is not chosen and float(vector(causal["effect"]["text"]) @ vector(effect)) >= SAME_EFFECT_COSINE]


def _outlet(analysis: Analysis, index: int) -> str:
    return analysis.article.outlet or f"article {index}"


def cause_conflicts(analyses: list[Analysis], vector: Vector) -> list[dict]:
    statements = [causal_statements(a) for a in analyses]
    found = []
    for ia, ib in ((i, j) for i in range(len(analyses)) for j in range(i + 1, len(analyses))):
        for sa, causal_a in statements[ia]:
            for sb, causal_b in statements[ib]:
                effect_cos = float(vector(causal_a["effect"]["text"]) @ vector(causal_b["effect"]["text"]))
                cause_cos = float(vector(causal_a["cause"]["text"]) @ vector(causal_b["cause"]["text"]))
                if effect_cos < SAME_EFFECT_COSINE or cause_cos >= SAME_CAUSE_COSINE:
                    continue
                effect_a, effect_b = causal_a["effect"]["text"], causal_b["effect"]["text"]
                also_a = _also(statements[ia], causal_a, effect_a, vector)
                also_b = _also(statements[ib], causal_b, effect_b, vector)
                explanation = (f"{_outlet(analyses[ia], ia)} gives {causal_a['cause']['text']!r}, "
                               f"{_outlet(analyses[ib], ib)} gives {causal_b['cause']['text']!r}")
                for index, also in ((ia, also_a), (ib, also_b)):
                    if also:
                        explanation += (f"; {_outlet(analyses[index], index)} also mentions "
                                        + ", ".join(repr(x["text"]) + (" (as others' view)" if x["attributed"] else "")
                                                    for x in also))
                found.append({"kind": "cause", "topic": _topic_of(effect_a, effect_b),
                              "a": _cause_side(ia, analyses[ia], sa, causal_a, also_a),
                              "b": _cause_side(ib, analyses[ib], sb, causal_b, also_b),
                              "score": round(effect_cos * (1.0 - max(0.0, cause_cos)), 3),
                              "explanation": explanation, "cosine": round(effect_cos, 3),
                              "cause_cosine": round(cause_cos, 3)})
    return sorted(found, key=lambda c: -c["score"])


def conflict_links(conflicts: list[dict]) -> list[Link]:
    """A Link(relation="conflict") between the two sentences of each conflict."""
    links = []
    for c in conflicts:
        a, b = c["a"], c["b"]
        links.append(Link("conflict", Ref(a["article"], a["sentence"]["start"], a["sentence"]["end"]),
                          Ref(b["article"], b["sentence"]["start"], b["sentence"]["end"]), c["score"],
                          {"cosine": c.get("cosine"), "lexical": None, "entities": [], "speaker": None,
                           "numbers": [a["text"], b["text"]] if c["kind"] == "number" else [],
                           "kind": c["kind"], "topic": c["topic"], "text_a": a["text"], "text_b": b["text"],
                           "explanation": c["explanation"]}))
    return links


def find_conflicts(analyses: list[Analysis], vector: Vector) -> list[dict]:
    return number_conflicts(analyses, vector) + cause_conflicts(analyses, vector)
