"""`parallax batch`: the analysis, ingest and story grouping of a corpus on a Dask cluster.

    from parallax.batch.runner import BatchRequest, run_batch
    report = run_batch(BatchRequest("analyze", ["corpus/*.jsonl"], "tables/", workers=8))

Modules, in the order a run uses them:
    inputs      files and globs (fsspec) -> partitions of records (file + byte or row range)
    records     a partition's records -> Articles (as parallax.corpus.sources reads them)
    cluster     a LocalCluster of processes, or an existing scheduler's address
    worker      the models plugin (loaded once per worker) and the task of each step
    rows        the tables' columns and rows (parallax export's tables, plus errors,
                signatures and _fingerprints)
    output      the --out folder: atomic per-partition files, done markers, manifest
    duplicates  the duplicates of the whole corpus, decided in input order on the client
    stories     the story grouping of the whole corpus, in publication order on the client
    runner      plan, skip what is finished, run the rest, report
    commands    the argparse registration and the thin `batch` command
"""
