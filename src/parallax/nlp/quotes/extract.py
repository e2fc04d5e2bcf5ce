"""The quote extractor's pipeline: every stage in order, from a parsed Doc to Quote spans.

    quote_spans(doc, entities, learned=()) -> list[Quote]
    attributions(doc, entities, learned=()) -> list[Found]   (before names are resolved)
    rule_found(doc, entities) -> (the rules' Found records, the quotation runs)

The stages are listed in the package docstring (parallax.nlp.quotes).
"""
from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc

from parallax.model import Entity, Quote
from parallax.nlp.attribution.head import Learned
from parallax.nlp.quotes.direct import attribute_run, quoted_tokens
from parallax.nlp.quotes.found import Found
from parallax.nlp.quotes.indirect import indirect_spans, with_clauses
from parallax.nlp.quotes.labels import labelled_lines
from parallax.nlp.quotes.learned import learned_found
from parallax.nlp.quotes.marks import QuoteRun, find_quote_runs
from parallax.nlp.quotes.nouns import noun_cue_spans, opening_frame_spans
from parallax.nlp.quotes.ranked import ranked_found
from parallax.nlp.quotes.speakers import inherit_speakers, to_quotes
from parallax.nlp.spacy_model import doc_text


def quote_spans(doc: Doc, entities: list[Entity], learned: Sequence[Quote] | Learned = ()) -> list[Quote]:
    """Direct, partial, indirect and scare quotes of `doc`, speakers named from `entities`;
    `learned`: the attribution head's output (nlp.attribution.head.Learned) or candidate
    Quotes. With the head's ranker, the contents are chosen among all candidates
    (nlp.quotes.ranked); else the head's contents the rules do not cover are added
    (nlp.quotes.learned)."""
    return to_quotes(doc, attributions(doc, entities, learned), entities)


def attributions(doc: Doc, entities: list[Entity], learned: Sequence[Quote] | Learned = ()) -> list[Found]:
    """Every stage before the Quote spans are built (quote_spans' `learned`)."""
    quoted, runs = rule_found(doc, entities)
    if isinstance(learned, Learned) and learned.ranker is not None:
        not_speech = [(run.start, run.end) for run in runs if not any(
            f.kind in ("direct", "partial") and f.start < run.end and run.start < f.end for f in quoted)]
        quoted = ranked_found(doc, inherit_speakers(doc, quoted), learned, not_speech)
    else:
        candidates = learned.candidates if isinstance(learned, Learned) else learned
        quoted += learned_found(doc, candidates, quoted, [(run.start, run.end) for run in runs])
    return inherit_speakers(doc, quoted)


def rule_found(doc: Doc, entities: list[Entity]) -> tuple[list[Found], list[QuoteRun]]:
    """The rules' attributions (stages 1-4, nested ones dropped) and the quotation runs."""
    runs = find_quote_runs(doc_text(doc))
    in_quotes = quoted_tokens(doc, runs)
    quoted = [found for found in (attribute_run(doc, run, in_quotes) for run in runs) if found]
    quoted = _merge_labelled(quoted, labelled_lines(doc, entities))
    quoted = with_clauses(doc, quoted)
    quoted = quoted + indirect_spans(doc, quoted)
    said = [f for f in quoted if f.kind != "scare"]
    quoted += noun_cue_spans(doc, said) + opening_frame_spans(doc, said)
    return _outermost(quoted), runs


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
    criticized Lamport for saying that ...": only Reardon's), as PolNeAR annotates.
    Two that hold each other's cue ("Records show X, according to the Center", the parse
    hanging the phrase inside X) keep "according to", whose content holds the other's."""
    outer = [f for f in found if f.kind != "scare" and f.cue is not None]

    def holds(g: Found, f: Found) -> bool:
        return g.cue.i != f.cue.i and g.extent[0] <= f.cue.idx < g.extent[1]

    def gives_way(f: Found, g: Found) -> bool:
        if not holds(g, f):
            return False
        mutual = g.kind == "indirect" and holds(f, g)
        return not mutual or f.cue.lower_ != "according"

    return [f for f in found if f.kind != "indirect" or f.cue is None or not any(gives_way(f, g) for g in outer)]


__all__ = ["attributions", "quote_spans", "rule_found"]
