"""Plain-news texts for calibrating and measuring technique density (read from ../shared/data).

- ECB+ (`ecbplus/ecbplus_docs.jsonl`): event reports; the text is tokenised ("checked in ,
  `` she said ''"), so it is detokenised first: the detector was trained on running text.
- PolNeAR (`polnear/polnear_train.jsonl`): 2016 US political news, one record per
  (article, annotator), so deduplicated by article. Only the train split: dev stays unseen.
- BASIL (`basil/basil_articles.jsonl`): articles as paragraphs of sentences, with human
  bias spans; `lexical` counts the spans annotated as lexical bias.

Each corpus is cut once, by a seeded shuffle of its ids, into a calibration half (what
`calibrate` fits thresholds on) and a bench half (what bench/technique_density.py
measures), so the density the bench reports is never the density the thresholds saw.
"""
from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from parallax.errors import InputError

# Fixed so the calibration and bench halves never change between runs.
HALVES_SEED = 2020
CALIBRATION, BENCH = "calibration", "bench"

# Tokenised ECB+ -> running text: PTB quotes, spaces before punctuation and clitics,
# after opening brackets and "$", and around word-internal hyphens ("90 - day").
_PTB_OPEN = re.compile(r"``\s*")
_PTB_CLOSE = re.compile(r"\s*''")
_SPACE_BEFORE = re.compile(r" (?=[,.;:?!%)\]}]|'s\b|'re\b|'ve\b|'ll\b|'d\b|'m\b|n't\b)")
_SPACE_AFTER = re.compile(r"(?<=[(\[{$]) ")
_SPACED_HYPHEN = re.compile(r"(?<=\w) - (?=\w)")


@dataclass(frozen=True)
class Text:
    """One article: id, body text, and (BASIL only) its number of lexical-bias spans."""

    id: str
    text: str
    lexical: int = 0


def detokenize(text: str) -> str:
    """Undo PTB-style tokenisation, line by line (lines stay lines)."""
    text = _PTB_OPEN.sub('"', text)
    text = _PTB_CLOSE.sub('"', text)
    text = _SPACE_BEFORE.sub("", text)
    text = _SPACE_AFTER.sub("", text)
    return _SPACED_HYPHEN.sub("-", text)


def _records(path: Path) -> Iterator[dict]:
    if not path.is_file():
        raise InputError(str(path), "is not a file; expected the corpus from ../shared/data (see its README.md)")
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as error:
                    raise InputError(f"{path}:{number}",
                                     f"is not JSON ({error}); expected one object a line") from error


def ecbplus(data: Path) -> list[Text]:
    """ECB+ documents, detokenised."""
    return [Text(r["doc_name"], detokenize(r["text"])) for r in _records(data / "ecbplus" / "ecbplus_docs.jsonl")]


def polnear(data: Path) -> list[Text]:
    """PolNeAR train articles, one per article (its first annotator's record)."""
    seen: dict[str, Text] = {}
    for r in _records(data / "polnear" / "polnear_train.jsonl"):
        seen.setdefault(r["article"], Text(r["article"], r["text"]))
    return list(seen.values())


def basil_text(paragraphs: list) -> str:
    """BASIL paragraphs (each a list of sentences, or a string) as one text, paragraphs
    apart by a blank line."""
    return "\n\n".join(p if isinstance(p, str) else " ".join(p) for p in paragraphs)


def basil(data: Path) -> list[Text]:
    """BASIL articles (id = source and event), with their lexical-bias span counts."""
    return [Text(f"{r['source']}:{r['triplet_uuid']}", basil_text(r["paragraphs"]),
                 sum(1 for p in r["phrase_annotations"] if p.get("bias") == "lex"))
            for r in _records(data / "basil" / "basil_articles.jsonl")]


def half(texts: list[Text], which: str) -> list[Text]:
    """The calibration or bench half of `texts` (a fixed seeded cut of the sorted ids)."""
    if which not in (CALIBRATION, BENCH):
        raise ValueError(f"half {which!r}; valid: {CALIBRATION!r}, {BENCH!r}")
    ordered = sorted(texts, key=lambda t: t.id)
    random.Random(HALVES_SEED).shuffle(ordered)
    cut = len(ordered) // 2
    return ordered[:cut] if which == CALIBRATION else ordered[cut:]


def sample(texts: list[Text], limit: int | None, seed: int) -> list[Text]:
    """At most `limit` of `texts` (all when `limit` is None or 0), a seeded choice."""
    if not limit or limit >= len(texts):
        return list(texts)
    return sorted(random.Random(seed).sample(texts, limit), key=lambda t: t.id)
