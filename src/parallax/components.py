"""The analysis components a Pipeline runs, each declaring the layers it needs and adds.

    COMPONENTS["quotes"]  ->  Component("quotes", needs=("entities",), adds=("quotes",), run=...)
    register(Component(...))   a user's own layer, then Pipeline(components=[..., "mine"])

A component's `run(models, doc, analysis)` reads the layers it needs from `analysis` (and
the spaCy Doc when `uses_doc`) and returns the layers it adds; `models` is the Pipeline
(its Config, loaded detector and encoder).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Callable, Protocol

import numpy as np

from parallax.config import Config
from parallax.errors import UsageError
from parallax.model import Analysis, Span, Vectors

Layers = dict[str, list[Span]]


class Models(Protocol):
    """What components use of a Pipeline: its settings and loaded models."""

    config: Config

    @property
    def detector(self) -> Any: ...

    def encode(self, texts: list[str]) -> np.ndarray: ...


@dataclass(frozen=True)
class Component:
    """One stage of analysis. `run(pipeline, doc, analysis)` reads the layers in `needs` from
    `analysis` (and the spaCy Doc when `uses_doc`) and returns the layers in `adds`.
    A component with `uses_doc=False` reads only the text and runs beside spaCy's parse."""

    name: str
    needs: tuple[str, ...]
    adds: tuple[str, ...]
    run: Callable[[Models, Any, Analysis], Layers]
    uses_doc: bool = True
    # Hand-over layers of text-only components that this one reads when they are there
    # (not required: the technique pass may be off); the Pipeline waits for them first.
    reads: tuple[str, ...] = ()


# Passed from the technique pass to the quotes component (which runs after it, see
# Pipeline._compute); not a layer of the result, as no component lists it in `adds`.
LEARNED_QUOTES = "learned_quotes"


def _sentences(pipeline: Models, doc: Any, analysis: Analysis) -> Layers:
    from parallax.nlp.sentences import sentence_spans

    return {"sentences": sentence_spans(doc)}


def _entities(pipeline: Models, doc: Any, analysis: Analysis) -> Layers:
    from parallax.nlp.entities import entity_spans

    return {"entities": entity_spans(doc)}


def _quotes(pipeline: Models, doc: Any, analysis: Analysis) -> Layers:
    from parallax.nlp.quotes import quote_spans

    learned = analysis[LEARNED_QUOTES]  # [the head's Learned output] when the technique pass ran
    return {"quotes": quote_spans(doc, analysis.entities, learned[0] if learned else ())}


def _claims(pipeline: Models, doc: Any, analysis: Analysis) -> Layers:
    from parallax.nlp.claims import claim_spans

    return {"claims": claim_spans(doc, analysis.sentences, analysis.entities)}


def _techniques(pipeline: Models, doc: Any, analysis: Analysis) -> Layers:
    """Technique spans and, when the model folder ships the attribution head, its
    candidates from the same encoder pass (for the quotes component)."""
    from parallax.nlp.attribution.head import find_attributions
    from parallax.techniques import detect, fast

    detector = pipeline.detector
    encoded = fast.encode_article(detector, analysis.text)
    layers: Layers = {"techniques": detect(analysis.text, pipeline.config.threshold, detector=detector,
                                           encoded=encoded)}
    if detector.attribution is not None:
        layers[LEARNED_QUOTES] = [find_attributions(detector.attribution, analysis.text, encoded)]
    return layers


def _vectors(pipeline: Models, doc: Any, analysis: Analysis) -> Layers:
    """Sentence vectors of what compare and story grouping read: sentences, quotes and
    claims with their causes and effects. Kept on the Analysis (and in the store), not a layer."""
    texts = list(dict.fromkeys(vector_texts(analysis)))
    analysis.vectors = Vectors(texts, pipeline.encode(texts))
    return {}


def vector_texts(analysis: Analysis) -> list[str]:
    texts = [analysis.snippet(span) for layer in ("sentences", "quotes", "claims") for span in analysis[layer]]
    for claim in analysis.claims:
        if claim.causal is not None:
            texts += [claim.causal.cause.text, claim.causal.effect.text]
    return texts


# Every component Pipeline knows by name; `register` adds one (a user's own layer).
COMPONENTS: dict[str, Component] = {c.name: c for c in (
    Component("sentences", needs=(), adds=("sentences",), run=_sentences),
    Component("entities", needs=(), adds=("entities",), run=_entities),
    Component("quotes", needs=("entities",), adds=("quotes",), run=_quotes, reads=(LEARNED_QUOTES,)),
    Component("claims", needs=("sentences", "entities"), adds=("claims",), run=_claims),
    Component("techniques", needs=(), adds=("techniques",), run=_techniques, uses_doc=False),
    Component("vectors", needs=("sentences", "quotes", "claims"), adds=("vectors",), run=_vectors,
              uses_doc=False),
)}


def register(component: Component) -> None:
    """Make `component` available to Pipeline(components=[..., component.name])."""
    COMPONENTS[component.name] = component


def default_components(config: Config) -> list[str]:
    # claims before quotes: quotes waits for the technique pass (Component.reads), so the
    # claims run while the technique thread finishes.
    names = ["sentences", "entities", "claims", "quotes"]
    if config.techniques:
        names.append("techniques")
    if config.vectors:
        names.append("vectors")
    return names


def checked(names: Sequence[str]) -> list[Component]:
    """The named components, each after every component it needs."""
    unknown = [name for name in names if name not in COMPONENTS]
    if unknown:
        raise UsageError(f"unknown component {', '.join(unknown)}; valid: {', '.join(COMPONENTS)}")
    components, made = [COMPONENTS[name] for name in names], set()
    for component in components:
        missing = [layer for layer in component.needs if layer not in made]
        if missing:
            raise UsageError(f"component {component.name!r} needs {', '.join(missing)}, which no earlier "
                             f"component adds; order: {', '.join(names)}")
        made.update(component.adds)
    return components


__all__ = ["COMPONENTS", "Component", "Layers", "Models", "checked", "default_components", "register", "vector_texts"]
