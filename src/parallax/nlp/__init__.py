"""Article-level annotation: sentences, entities, quotes, claims as span layers."""
from __future__ import annotations

from parallax.model import Analysis, Article
from parallax.nlp.spacy_model import load_nlp


def annotate(article: Article, doc=None) -> Analysis:
    """Parse `article.text` with spaCy and fill the article-level span layers."""
    from parallax.nlp.claims import claim_spans
    from parallax.nlp.entities import entity_spans
    from parallax.nlp.quotes import quote_spans
    from parallax.nlp.sentences import sentence_spans

    doc = doc if doc is not None else load_nlp()(article.text)
    analysis = Analysis(article)
    analysis["sentences"] = sentence_spans(doc)
    analysis["entities"] = entity_spans(doc)
    analysis["quotes"] = quote_spans(doc, analysis["entities"])
    analysis["claims"] = claim_spans(doc, analysis["sentences"], analysis["entities"])
    return analysis


__all__ = ["annotate", "load_nlp"]
