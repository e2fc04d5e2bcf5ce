"""Parallax: how outlets cover the same story differently.

Library API:
    parallax.load_path(path)              -> list[Article]   read .txt .md .html .jsonl files
    parallax.from_text(text, title=...)   -> Article         text taken verbatim
    parallax.Pipeline(parallax.Config())  models loaded once: analyze, analyze_many, compare
    parallax.analyze(article_or_text)     -> Analysis        (the default Pipeline)
    parallax.compare([...])               -> Comparison

A string is always text, never a file name: only load_path opens files.
"""
from parallax.config import Config
from parallax.errors import InputError, ModelError, ParallaxError, UsageError
from parallax.ingest import from_text, load_path
from parallax.model import (
    SCHEMA_VERSION, Analysis, Article, Claim, Comparison, Conflict, Coverage, Entity, FramingRow,
    FramingSide, Link, Omission, OutletSummary, Quote, Ref, Span, Technique,
)
from parallax.pipeline import Pipeline, analyze, compare

__all__ = [
    "SCHEMA_VERSION",
    "Analysis",
    "Article",
    "Claim",
    "Comparison",
    "Config",
    "Conflict",
    "Coverage",
    "Entity",
    "FramingRow",
    "FramingSide",
    "InputError",
    "Link",
    "ModelError",
    "Omission",
    "OutletSummary",
    "ParallaxError",
    "Pipeline",
    "Quote",
    "Ref",
    "Span",
    "Technique",
    "UsageError",
    "analyze",
    "compare",
    "from_text",
    "load_path",
]
__version__ = "0.2.0"
