"""Corpus-level analysis: many articles in a store.

Modules:
  signatures  cheap per-article features for story grouping (title+lead vector, entity keys, terms)
  stories     online, incremental, time-aware grouping of articles into stories
  bcubed      BCubed precision/recall/F1 for scoring a grouping against gold clusters
"""
