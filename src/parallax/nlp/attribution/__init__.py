"""The learned attribution (quote) tagger: token tags over encoder states, decoded to spans.

The shipped tagger is `head`: a BiLSTM over the technique network's token states, so it
costs no second encoder pass. Its files sit in the technique model folder
(attribution.onnx, attribution.json); the techniques component runs it and the quotes
component chooses among its contents, the rules' and the parse's (nlp.quotes.ranked).

    head.load_head(folder) / find_attributions(head, text, encoded) -> Learned (candidate
        Quotes, tag probabilities, the ranker)
    ranker.load_ranker(folder) -> Ranker: trees choosing contents and learned speakers
        (nlp.quotes.ranked); ranker_train trains and cross-validates it
    trees.Trees: a scikit-learn tree ensemble as NumPy arrays (.npz, no pickle)
    head_train.train(records, detector) / export(net, folder, record)   (torch; CLI: --write)
    tags.encode_tags(offsets, attributions) -> one tag per token (BIO over content, source, cue)
    tags.decode(probs, offsets, text) -> contents with their nearest source and cue
    folds.article_folds(articles, k, seed) -> k disjoint lists of article ids

Measured, not shipped (bench/attribution_cv.py): `features` (frozen packaged MiniLM
states, for a logistic-regression tagger) and `finetune` (MiniLM fine-tuned end to end:
better alone, but a second encoder pass per article).
"""
from __future__ import annotations
