"""Speed benchmark: `analyze` throughput on PTC train articles (1 and 2 processes) and the
cold and warm wall time of `parallax compare` on the bundled seed articles.

Prints one result line:
  speed articles=N analyze_1p=A/s analyze_2p=B/s compare_cold=Cs compare_warm=Ws compare_repeat=Rs techniques=on|off

compare_warm: models loaded, nothing cached (read, analyse and compare the seeds again);
compare_repeat: the same run once more, with the sentence vectors of the last run remembered
(what a long-running process such as the web app sees when one article is compared again).
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from multiprocessing import get_context
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parents[1]
SEEDS = [ROOT / "examples/seeds/zerohedge.txt", ROOT / "examples/seeds/globalresearch.md"]
DEFAULT_DATA = ROOT.parent / "shared/data/ptc/train-articles"


def _warm_up(techniques: bool, threads: int | None) -> None:
    # Several processes share the cores out (more encoder threads than cores only contend);
    # a single process keeps Parallax's default, the cores that are idle.
    if threads:
        os.environ["PARALLAX_THREADS"] = str(threads)
    import parallax

    parallax.analyze(parallax.load(str(SEEDS[0]))[0], techniques=techniques)


def _analyze_file(args: tuple[str, bool]) -> int:
    import parallax

    path, techniques = args
    for article in parallax.load(Path(path)):
        parallax.analyze(article, techniques=techniques)
    return 1


def throughput(paths: list[Path], processes: int, techniques: bool) -> float:
    """Articles per second once models are loaded (start-up is measured by compare_cold)."""
    jobs = [(str(p), techniques) for p in paths]
    threads = max(1, (os.cpu_count() or 1) // processes) if processes > 1 else None
    with get_context("spawn").Pool(processes, initializer=_warm_up, initargs=(techniques, threads)) as pool:
        pool.map(_analyze_file, jobs[:processes])  # every worker has loaded its models
        start = time.perf_counter()
        done = sum(pool.map(_analyze_file, jobs, chunksize=1))
        return done / (time.perf_counter() - start)


def compare_cold(techniques: bool) -> float:
    command = [str(ROOT / ".venv/bin/parallax"), "compare", *map(str, SEEDS), "--format", "json", "-o", os.devnull]
    if not techniques:
        command.append("--no-techniques")
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def compare_warm(techniques: bool, cached: bool, repeats: int = 3) -> float:
    """Best of `repeats` in-process runs after a warm-up: read, analyse and compare the seeds."""
    import parallax
    from parallax.embeddings import clear_cache

    def once() -> None:
        analyses = [parallax.analyze(parallax.load(p)[0], techniques=techniques) for p in SEEDS]
        parallax.compare(analyses)

    once()
    best = float("inf")
    for _ in range(repeats):
        if not cached:
            clear_cache()
        start = time.perf_counter()
        once()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of .txt articles")
    parser.add_argument("--limit", type=int, default=120, help="articles to time (default 120)")
    parser.add_argument("--no-techniques", action="store_true", help="time without the technique detector")
    args = parser.parse_args()
    techniques = not args.no_techniques
    paths = sorted(args.data.glob("*.txt"))[: args.limit]
    if not paths:
        sys.exit(f"speed: no .txt articles in {args.data}")
    one = throughput(paths, 1, techniques)
    two = throughput(paths, 2, techniques)
    cold = compare_cold(techniques)
    warm = compare_warm(techniques, cached=False)
    repeat = compare_warm(techniques, cached=True)
    print(
        f"speed articles={len(paths)} analyze_1p={one:.2f}/s analyze_2p={two:.2f}/s compare_cold={cold:.2f}s "
        f"compare_warm={warm:.2f}s compare_repeat={repeat:.2f}s techniques={'on' if techniques else 'off'}"
    )


if __name__ == "__main__":
    main()
