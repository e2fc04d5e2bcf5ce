"""Words for a number conflict's verdict and sides, shared by the explanation and every
report (terminal, HTML), so they all say the same thing."""
from __future__ import annotations

from parallax.model import (
    BY_OUTLET, QUALIFIER_KINDS, QUALIFIER_PLACE, QUALIFIER_POPULATION, QUALIFIER_TIME, Attribution, ConflictSide,
    QualifierKind, Verdict,
)

# How each qualifier kind is introduced in a report.
QUALIFIER_LABELS: dict[QualifierKind, str] = {QUALIFIER_TIME: "when", QUALIFIER_PLACE: "where",
                                              QUALIFIER_POPULATION: "who counted"}
INHERITED_NOTE = " (from the sentence before)"


def verdict_label(verdict: Verdict) -> str:
    """"different scope" for "different_scope"."""
    return verdict.replace("_", " ")


def credit(attribution: Attribution | None) -> str:
    """"residents, per the WSJ"; "the outlet itself" for its own voice; "" when unknown."""
    if attribution is None:
        return ""
    if attribution.kind == BY_OUTLET:
        return f"{attribution.name} itself"
    return attribution.name + (f", per {attribution.via.text}" if attribution.via else "")


def qualifier_notes(side: ConflictSide) -> list[tuple[str, str]]:
    """(label, text) per qualifier: ("when", "since a cease-fire fell apart last week"),
    ("when", "Sunday (from the sentence before)"), ("where", "on eastern Aleppo")."""
    ordered = sorted(side.qualifiers, key=lambda q: (QUALIFIER_KINDS.index(q.kind), q.start))
    return [(QUALIFIER_LABELS[q.kind], q.text + (INHERITED_NOTE if q.inherited else "")) for q in ordered]


def side_details(side: ConflictSide) -> str:
    """One line: who says so and the qualifiers ("says: residents, per the WSJ; when: since ...")."""
    parts = [f"says: {credit(side.attribution)}"] if side.attribution else []
    parts += [f"{label}: {text}" for label, text in qualifier_notes(side)]
    return "; ".join(parts)


__all__ = ["credit", "qualifier_notes", "side_details", "verdict_label"]
