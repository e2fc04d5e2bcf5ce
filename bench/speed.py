"""Speed benchmark: `analyze` throughput on PTC train articles (1 and 2 processes) and the
cold and warm wall time of `parallax compare` on the bundled seed articles.

Prints one result line:
  speed articles=N analyze_1p=A/s analyze_2p=B/s analyze_2p_techniques=T/s compare_cold=Cs compare_warm=Ws compare_fresh=Fs

analyze_1p, analyze_2p: the article layers (sentences, entities, quotes, claims), 1 and 2
  worker processes, nothing cached; analyze_2p_techniques: the same plus the technique detector.
compare_cold: `parallax compare` on the seeds as a new process with an empty store (models
  load from disk); compare_warm: the same command again, as a user re-running it (the
  analyses and sentence vectors come from the store, parallax.store);
compare_fresh: in a process with the models loaded, the seeds read, analysed and compared
  with nothing cached (what a long-running process such as a web app sees for new articles).
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from multiprocessing import get_context
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parents[1]
SEEDS = [ROOT / "examples/seeds/zerohedge.txt", ROOT / "examples/seeds/globalresearch.md"]
DEFAULT_DATA = ROOT.parent / "shared/data/ptc/train-articles"


_PIPELINE = None


def _warm_up(techniques: bool, threads: int) -> None:
    # Several processes share the cores out (more encoder threads than cores only contend).
    global _PIPELINE
    import parallax

    _PIPELINE = parallax.Pipeline(parallax.Config(techniques=techniques, cache=False, threads=threads)).load()
    _PIPELINE.analyze(parallax.load_path(SEEDS[0])[0])


def _analyze_file(path: str) -> int:
    import parallax

    for _ in _PIPELINE.analyze_many(parallax.load_path(path)):
        pass
    return 1


def throughput(paths: list[Path], processes: int, techniques: bool) -> float:
    """Articles per second once models are loaded (start-up is measured by compare_cold)."""
    jobs = [str(p) for p in paths]
    threads = max(1, (os.cpu_count() or 1) // processes)
    with get_context("spawn").Pool(processes, initializer=_warm_up, initargs=(techniques, threads)) as pool:
        pool.map(_analyze_file, jobs[:processes])  # every worker has loaded its models
        start = time.perf_counter()
        done = sum(pool.map(_analyze_file, jobs, chunksize=1))
        return done / (time.perf_counter() - start)


def compare_cli(store: Path) -> float:
    """Wall time of one `parallax compare` process on the seeds using the store `store`."""
    command = [str(ROOT / ".venv/bin/parallax"), "compare", *map(str, SEEDS), "--format", "json", "-o", os.devnull,
               "--store", str(store)]
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def compare_fresh(repeats: int = 3) -> float:
    """Best of `repeats` in-process runs after a warm-up: read, analyse and compare the seeds."""
    import parallax
    from parallax.embeddings import clear_cache

    pipeline = parallax.Pipeline(parallax.Config(cache=False)).load()

    def once() -> None:
        pipeline.compare([parallax.load_path(p)[0] for p in SEEDS])

    once()
    best = float("inf")
    for _ in range(repeats):
        clear_cache()
        start = time.perf_counter()
        once()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of .txt articles")
    parser.add_argument("--limit", type=int, default=120, help="articles to time (default 120)")
    args = parser.parse_args()
    paths = sorted(args.data.glob("*.txt"))[: args.limit]
    if not paths:
        sys.exit(f"speed: no .txt articles in {args.data}")
    one = throughput(paths, 1, techniques=False)
    two = throughput(paths, 2, techniques=False)
    two_techniques = throughput(paths, 2, techniques=True)
    with tempfile.TemporaryDirectory(prefix="parallax-bench-store-") as folder:
        cold = compare_cli(Path(folder) / "store.db")
        warm = compare_cli(Path(folder) / "store.db")
    fresh = compare_fresh()
    print(
        f"speed articles={len(paths)} analyze_1p={one:.2f}/s analyze_2p={two:.2f}/s "
        f"analyze_2p_techniques={two_techniques:.2f}/s compare_cold={cold:.2f}s compare_warm={warm:.2f}s "
        f"compare_fresh={fresh:.2f}s"
    )


if __name__ == "__main__":
    main()
