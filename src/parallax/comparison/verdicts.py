"""The verdict on a number conflict: do two figures that disagree really contradict each other?

  different_scope   they bound what they count differently: periods that cannot be the
                    same ("since the cease-fire fell apart last week" vs "Sunday"), places
                    with no place in common, or different populations;
  different_source  each side credits a named source and the sources differ;
  conflict          otherwise: the same quantity at a comparable scope.
Scope comes first: figures for different periods need not contradict whoever gives them.
A side that names no qualifier of a kind is comparable with any (it does not say).
"""
from __future__ import annotations

from parallax.comparison.attribution import same_source
from parallax.model import (
    BY_OUTLET, QUALIFIER_KINDS, QUALIFIER_PLACE, QUALIFIER_POPULATION, QUALIFIER_TIME, VERDICT_CONFLICT,
    VERDICT_DIFFERENT_SCOPE, VERDICT_DIFFERENT_SOURCE, ConflictSide, Qualifier, QualifierKind, Verdict,
)

SCOPE_NAMES: dict[QualifierKind, str] = {QUALIFIER_TIME: "periods", QUALIFIER_PLACE: "places",
                                         QUALIFIER_POPULATION: "populations"}
COMPARABLE = "the same quantity at a comparable scope"


def _same_period(a: Qualifier, b: Qualifier) -> bool:
    """Same granularity, and the same value where both name one ("year 2015" vs "year")."""
    granularity_a, _, value_a = a.key.partition(" ")
    granularity_b, _, value_b = b.key.partition(" ")
    return granularity_a == granularity_b and (not value_a or not value_b or value_a == value_b)


def _differ(kind: QualifierKind, found_a: list[Qualifier], found_b: list[Qualifier]) -> bool:
    if not found_a or not found_b:
        return False
    if kind == QUALIFIER_TIME:
        return not any(_same_period(a, b) for a in found_a for b in found_b)
    return not {q.key.lower() for q in found_a} & {q.key.lower() for q in found_b}


def _texts(found: list[Qualifier]) -> str:
    return ", ".join(repr(q.text) for q in found)


def scope_difference(a: ConflictSide, b: ConflictSide) -> str | None:
    """"different periods: 'since ...' vs 'Sunday'", or None when the scopes are comparable."""
    for kind in QUALIFIER_KINDS:
        found_a = [q for q in a.qualifiers if q.kind == kind]
        found_b = [q for q in b.qualifiers if q.kind == kind]
        if _differ(kind, found_a, found_b):
            return f"different {SCOPE_NAMES[kind]}: {_texts(found_a)} vs {_texts(found_b)}"
    return None


def source_difference(a: ConflictSide, b: ConflictSide) -> str | None:
    """"different sources: residents vs the Syrian Observatory", or None."""
    by_a, by_b = a.attribution, b.attribution
    if by_a is None or by_b is None or BY_OUTLET in (by_a.kind, by_b.kind) or same_source(by_a, by_b):
        return None
    return f"different sources: {by_a.name} vs {by_b.name}"


def verdict(a: ConflictSide, b: ConflictSide) -> tuple[Verdict, str]:
    """The verdict on two sides of a number conflict, and its reason in one line."""
    scope = scope_difference(a, b)
    if scope:
        return VERDICT_DIFFERENT_SCOPE, scope
    source = source_difference(a, b)
    if source:
        return VERDICT_DIFFERENT_SOURCE, source
    return VERDICT_CONFLICT, COMPARABLE


__all__ = ["scope_difference", "source_difference", "verdict"]
