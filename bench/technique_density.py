"""Technique density: spans per 1,000 words the detector shows on propaganda-rich and plain news.

    python bench/technique_density.py [--data ../shared/data] [--limit 100] [--seed 7] [--uncalibrated]
                                      [--model DIR]

Through `parallax.techniques.detect` (the shipped model or --model, calibrated unless --uncalibrated):
- PTC: the 74 held-out articles (never trained or tuned on), against the gold density of
  their labels (TC lines per 1,000 words, as are predictions: one technique a span) and of
  all 371 train articles (17.8);
- plain news: ECB+ event reports and PolNeAR political news, `--limit` of each from the
  bench halves (parallax.techniques.corpora: calibration never saw them), seeded choice;
- BASIL: `--limit` articles; Spearman rank correlation, per article, between the predicted
  technique rate and the rate of BASIL's human lexical-bias spans;
- the saved web pages of ../shared/data/pages (news, magazines, blogs, recipes, software
  documentation; nothing was fitted or chosen on them), pooled, with the share of pages
  denser than the PTC prediction, and among them the Reuters entertainment page that
  issue 11 reported (46.8).
Per-technique densities are printed per corpus (and, when the calibration has a genre prior,
the texts' mean prior probability and the share of texts whose cut it raises). Ends with one line:
    technique_density calibrated=.. ptc_gold=.. ptc_heldout_gold=.. ptc=.. ecbplus=.. polnear=.. basil=..
        pages=.. pages_over_ptc=.. reuters_page=.. ecbplus_vs_ptc=.. polnear_vs_ptc=.. basil_spearman=.. n=..   (one line)
"""
from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from parallax.text import RATE_WORDS, word_count  # noqa: E402

# The page issue 11 measured (46.8 spans per 1,000 words before calibration).
REUTERS_PAGE = "reuters.com.parasite.html"
LIMIT, SEED = 100, 7  # texts per corpus, seeded choice: about a minute on 2 cores
TOP_TECHNIQUES = 6  # per-technique densities printed per corpus


def density(count: int, words: int) -> float:
    """`count` per 1,000 words (0.0 for no words)."""
    return RATE_WORDS * count / words if words else 0.0


@dataclass
class Tally:
    """Words and technique spans counted over a corpus."""

    words: int = 0
    texts: int = 0
    spans: Counter = field(default_factory=Counter)  # per technique
    priors: list[float] = field(default_factory=list)  # each text's genre prior probability, if one was used

    def add(self, text: str, techniques: list[str]) -> None:
        self.words += word_count(text)
        self.texts += 1
        self.spans.update(techniques)

    @property
    def density(self) -> float:
        return density(sum(self.spans.values()), self.words)

    def per_technique(self) -> dict[str, float]:
        """Density per technique, densest first."""
        return {t: density(n, self.words) for t, n in self.spans.most_common()}


def gold_tally(articles: dict[str, str], labels, ids) -> Tally:
    """Tally of the gold TC lines (one per technique of a span) of the articles `ids`."""
    by_article: dict[str, list[str]] = {}
    for x in labels:
        by_article.setdefault(x.article_id, []).append(x.technique)
    tally = Tally()
    for article in sorted(set(ids)):
        tally.add(articles[article], by_article.get(article, []))
    return tally


def ranks(values: list[float]) -> list[float]:
    """1-based ranks, ties sharing their mean rank."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    result = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            result[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return result


def spearman(x: list[float], y: list[float]) -> float:
    """Spearman's rho: scipy's when it is installed, else spearman_rho."""
    try:
        from scipy.stats import spearmanr
    except ImportError:
        return spearman_rho(x, y)
    if len(x) != len(y):
        raise ValueError(f"{len(x)} against {len(y)} values; expected pairs")
    return float(spearmanr(x, y).statistic) if len(x) > 1 else float("nan")


def spearman_rho(x: list[float], y: list[float]) -> float:
    """Spearman's rho (Pearson correlation of tie-averaged ranks); nan when undefined."""
    if len(x) != len(y):
        raise ValueError(f"{len(x)} against {len(y)} values; expected pairs")
    rx, ry = ranks(x), ranks(y)
    n = len(rx)
    if n < 2:
        return float("nan")
    mx, my = sum(rx) / n, sum(ry) / n
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    vx, vy = sum((a - mx) ** 2 for a in rx), sum((b - my) ** 2 for b in ry)
    return cov / (vx * vy) ** 0.5 if vx and vy else float("nan")


def predicted_tally(texts: list[str], detector, calibrated: bool) -> tuple[Tally, list[float]]:
    """Tally of the spans detect() shows in `texts`, and each text's density. With a genre
    prior in use, the tally also keeps each text's prior probability (one encoding serves both)."""
    from parallax.techniques import detect, fast

    prior = detector.calibration.genre if calibrated else None
    tally, rates = Tally(), []
    for text in texts:
        encoded = fast.encode_article(detector, text)
        techniques = [t.label for t in detect(text, detector=detector, calibrated=calibrated, encoded=encoded)]
        tally.add(text, techniques)
        rates.append(density(len(techniques), word_count(text)))
        if prior is not None:
            tally.priors.append(prior.probability(encoded))
    return tally, rates


def page_texts(pages: Path, names: set[str] | None = None) -> dict[str, str]:
    """Each saved page's main text (as `parallax compare` reads it) by file name, or only
    those of `names`; pages without main text, and a missing folder, give none."""
    import json

    import parallax
    from parallax.errors import ParallaxError

    listing = pages / "pages.json"
    texts = {}
    for page in json.loads(listing.read_text(encoding="utf-8")) if listing.is_file() else []:
        if names is not None and page["file"] not in names:
            continue
        try:
            texts[page["file"]] = parallax.load_path(pages / page["file"])[0].text
        except ParallaxError:
            continue
    return texts


def show(name: str, tally: Tally, prior=None) -> None:
    """A corpus's density line; with the genre `prior` the tally's texts were read with, also
    their mean prior probability and the share it raises the cut for."""
    top = ", ".join(f"{t} {v:.2f}" for t, v in list(tally.per_technique().items())[:TOP_TECHNIQUES])
    note = ""
    if prior is not None and tally.priors:
        p = tally.priors
        raised = sum(prior.offset(x) > 0 for x in p) / len(p)
        note = f" | genre prior: mean p {sum(p) / len(p):.3f}, cut raised for {raised:.0%}"
    print(f"{name}: {tally.texts} texts, {tally.words} words, {tally.density:.2f} spans/1000 words; {top}{note}")


def main(argv: list[str] | None = None) -> int:
    from parallax.techniques import corpora, load_detector
    from parallax.techniques.train import load_corpus

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"),
                        help="folder of ptc/, ecbplus/, polnear/, basil/, pages/")
    parser.add_argument("--limit", type=int, default=LIMIT,
                        help=f"texts per plain corpus and BASIL (default {LIMIT}; 0: all)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--uncalibrated", action="store_true", help="every decoded span (no calibration.json)")
    parser.add_argument("--model", type=Path, default=None, help="model folder (default: the packaged model)")
    args = parser.parse_args(argv)
    calibrated = not args.uncalibrated
    ptc = load_corpus(args.data / "ptc")
    detector = load_detector(args.model, os.cpu_count() or 1)
    heldout = detector.config["heldout_articles"]
    gold_all, gold_heldout = gold_tally(ptc.articles, ptc.tc, ptc.articles), gold_tally(ptc.articles, ptc.tc, heldout)
    show("PTC gold, all 371", gold_all)
    show("PTC gold, held-out", gold_heldout)
    figures: dict[str, float] = {}
    prior = detector.calibration.genre if calibrated else None
    predicted, _ = predicted_tally([ptc.articles[a] for a in heldout], detector, calibrated)
    show("PTC held-out, predicted", predicted, prior)
    figures["ptc"] = predicted.density
    for name, reader in (("ecbplus", corpora.ecbplus), ("polnear", corpora.polnear)):
        texts = corpora.sample(corpora.half(reader(args.data), corpora.BENCH), args.limit, args.seed)
        tally, _ = predicted_tally([t.text for t in texts], detector, calibrated)
        show(name, tally, prior)
        figures[name] = tally.density
    basil = corpora.sample(corpora.basil(args.data), args.limit, args.seed)
    tally, rates = predicted_tally([t.text for t in basil], detector, calibrated)
    show("basil", tally, prior)
    figures["basil"] = tally.density
    rho = spearman(rates, [density(t.lexical, word_count(t.text)) for t in basil])
    print(f"basil: Spearman rho (per article, predicted rate vs lexical-bias rate) {rho:.3f} "
          f"over {len(basil)} articles")
    pages = page_texts(args.data / "pages")
    over_ptc = ""
    if pages:
        tally, rates = predicted_tally(list(pages.values()), detector, calibrated)
        show("pages", tally, prior)
        figures["pages"] = tally.density
        over_ptc = f"pages_over_ptc={sum(r > figures['ptc'] for r in rates) / len(rates):.2f} "
        if REUTERS_PAGE in pages:
            figures["reuters_page"] = rates[list(pages).index(REUTERS_PAGE)]
    values = " ".join(f"{name}={value:.2f}" for name, value in figures.items())
    ratios = " ".join(f"{name}_vs_ptc={figures[name] / figures['ptc']:.2f}" for name in ("ecbplus", "polnear")
                      if figures["ptc"])
    print(f"technique_density calibrated={'yes' if calibrated else 'no'} ptc_gold={gold_all.density:.2f} "
          f"ptc_heldout_gold={gold_heldout.density:.2f} {values} {over_ptc}{ratios} basil_spearman={rho:.3f} n={args.limit}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
