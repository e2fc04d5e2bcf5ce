"""5-fold cross-validation of the attribution ranker on PolNeAR train (nlp.quotes.ranked).

A thin front for `python -m parallax.nlp.attribution.ranker_train --cv` (its docstring
says how): the train articles (all 840, or the first --articles N) in 5 folds, each fold's
head tags coming from a head trained without it (cached in --oof; ~30 min on one thread to
compute), the
ranker's trees fitted on four folds and scored on the fifth through quote_spans, against
rules + head on the same folds. The dev split is never read. One result line:
  ranker_cv articles=N threshold=T speaker_threshold=S rules_head_F1=.. ranker_P/R/F1=.. ...
"""
from __future__ import annotations

import os
import sys

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")  # before NumPy loads: the machine's cores are shared

from parallax.nlp.attribution.ranker_train import main  # noqa: E402

if __name__ == "__main__":
    raise SystemExit(main(["--cv", *sys.argv[1:]]))
