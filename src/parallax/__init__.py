"""Parallax: how outlets cover the same story differently.

Library API:
    parallax.load(path_or_text)  -> list[Article]
    parallax.analyze(article)    -> Analysis
    parallax.compare([...])      -> Comparison
"""
from parallax.errors import InputError, ModelError, ParallaxError, UsageError
from parallax.model import SCHEMA_VERSION, Analysis, Article, Comparison, Link, Ref, Span
from parallax.pipeline import analyze, compare, load

__all__ = [
    "SCHEMA_VERSION",
    "Analysis",
    "Article",
    "Comparison",
    "InputError",
    "Link",
    "ModelError",
    "ParallaxError",
    "Ref",
    "Span",
    "UsageError",
    "analyze",
    "compare",
    "load",
]
__version__ = "0.1.0"
