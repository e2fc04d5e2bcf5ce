"""Corpus-level analysis: many articles in a store.

Story grouping lives in these modules (the package's other modules say what they do):
  signatures   cheap per-article features for story grouping (title+lead vector, entity keys, terms)
  stories      online, incremental, time-aware grouping of articles into stories
  story_index  the grouper's data structures (online idf, sparse sums, open stories)
  bcubed       BCubed precision/recall/F1 for scoring a grouping against gold clusters
"""
