"""Conflicts: two articles give incompatible figures or causes for the same thing.

Numbers: two claims count the same thing (same counted noun, similar sentence, a shared
event word such as "killed") and their ranges do not overlap ("hundreds of civilians"
= 200..999 vs "between 26 and 43 civilians").
Causes: two causal claims explain the same event (similar effect phrases, e.g. the
ceasefire's collapse) with dissimilar causes.
"""
from __future__ import annotations

import re
from typing import Callable

import numpy as np

from parallax.compare.units import content_stems, stem
from parallax.model import Analysis, Link, Ref, Span

Vector = Callable[[str], np.ndarray]

# Units that measure time or size: "three weeks" or "a 15-member council" differ
# between articles without contradicting each other.
CONTEXT_UNITS = frozenset("second minute hour day week month year decade century member time percent".split())
# Two claims count the same thing only if their sentences are this similar (seeds:
# the two Aleppo casualty sentences 0.75; casualty sentences about different attacks
# in the same story ~0.55).
NUMBER_TOPIC_COSINE = 0.6
# ...or if they are a little less similar but name the same event word near the figure.
NUMBER_TOPIC_COSINE_WITH_EVENT = 0.45
# Words after a figure searched for the event it counts ("civilians have been killed").
EVENT_WINDOW_WORDS = 8
# Two effect phrases describe the same event above this cosine ("the ceasefire deal
# ... collapsed" vs "the collapse of the weeklong ceasefire" 0.6+) ...
SAME_EFFECT_COSINE = 0.5
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
    if stem(qa["unit"]) != stem(qb["unit"]):
        return None
    (low_a, high_a), (low_b, high_b) = _range(qa), _range(qb)
    if low_a <= high_b and low_b <= high_a:
        return None  # the ranges overlap: the figures agree
    cosine = float(vector(a.snippet(ca)) @ vector(b.snippet(cb)))
    event_a, event_b = _event_after(a.text, qa, ca), _event_after(b.text, qb, cb)
    same_event = bool(event_a) and stem(event_a) == stem(event_b)
    if cosine < NUMBER_TOPIC_COSINE and not (same_event and cosine >= NUMBER_TOPIC_COSINE_WITH_EVENT):
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
            "score": round(cosine * (0.5 + 0.5 * min(1.0, separation)), 3), "explanation": explanation}


def number_conflicts(analyses: list[Analysis], vector: Vector) -> list[dict]:
    found = []
    for ia, a in enumerate(analyses):
        for ib in range(ia + 1, len(analyses)):
            b = analyses[ib]
            for ca in a["claims"]:
                for cb in b["claims"]:
                    for qa in _counted(ca):
                        for qb in _counted(cb):
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


def _cause_side(index: int, analysis: Analysis, claim: Span, causal: dict) -> dict:
    cause = causal["cause"]
    return {"article": index, "start": cause["start"], "end": cause["end"], "text": cause["text"],
            "value": cause["text"], "effect": causal["effect"],
            "sentence": {"start": claim.start, "end": claim.end, "text": analysis.snippet(claim)}}


def cause_conflicts(analyses: list[Analysis], vector: Vector) -> list[dict]:
    found = []
    for ia, a in enumerate(analyses):
        for ib in range(ia + 1, len(analyses)):
            b = analyses[ib]
            for ca in a["claims"]:
                for cb in b["claims"]:
                    causal_a, causal_b = _causal(ca), _causal(cb)
                    if not causal_a or not causal_b:
                        continue
                    effect_cos = float(vector(causal_a["effect"]["text"]) @ vector(causal_b["effect"]["text"]))
                    cause_cos = float(vector(causal_a["cause"]["text"]) @ vector(causal_b["cause"]["text"]))
                    if effect_cos < SAME_EFFECT_COSINE or cause_cos >= SAME_CAUSE_COSINE:
                        continue
                    topic = _topic_of(causal_a["effect"]["text"], causal_b["effect"]["text"])
                    explanation = (f"both explain {causal_a['effect']['text']!r} / {causal_b['effect']['text']!r}; "
                                   f"{a.article.outlet or 'article ' + str(ia)} gives {causal_a['cause']['text']!r}, "
                                   f"{b.article.outlet or 'article ' + str(ib)} gives {causal_b['cause']['text']!r}")
                    found.append({"kind": "cause", "topic": topic,
                                  "a": _cause_side(ia, a, ca, causal_a), "b": _cause_side(ib, b, cb, causal_b),
                                  "score": round(effect_cos * (1.0 - max(0.0, cause_cos)), 3),
                                  "explanation": explanation})
    return sorted(found, key=lambda c: -c["score"])


def conflict_links(conflicts: list[dict]) -> list[Link]:
    """A Link(relation="conflict") between the two sentences of each conflict."""
    links = []
    for c in conflicts:
        a, b = c["a"], c["b"]
        links.append(Link("conflict", Ref(a["article"], a["sentence"]["start"], a["sentence"]["end"]),
                          Ref(b["article"], b["sentence"]["start"], b["sentence"]["end"]), c["score"],
                          {"kind": c["kind"], "topic": c["topic"], "text_a": a["text"], "text_b": b["text"],
                           "explanation": c["explanation"]}))
    return links


def find_conflicts(analyses: list[Analysis], vector: Vector) -> list[dict]:
    return number_conflicts(analyses, vector) + cause_conflicts(analyses, vector)
