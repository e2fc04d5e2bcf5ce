"""Long-input benchmark: time and peak memory of `analyze` on one text of 0.1, 0.5, 1 and 2 MB.

Prints one result line:
  long_input 0.1MB=Ts/RMB 0.5MB=... 1MB=... 2MB=... s_per_MB=min..max rss_growth_MB_per_MB=G

Each size runs in a new process (peak RSS is per process), with every component (spaCy,
quotes, claims, techniques) and nothing stored. The texts are real articles (PTC train)
joined into one string. Cost is linear when s_per_MB stays flat across sizes; memory is
bounded when RSS grows far slower than the text (chunks of parallax.chunks.CHUNK_CHARS).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared/data/ptc/train-articles"
SIZES_MB = (0.1, 0.5, 1.0, 2.0)

CHILD = """
import json, resource, sys, time
import parallax
text = open(sys.argv[1], encoding="utf-8").read()
pipeline = parallax.Pipeline(parallax.Config.resolve(cache=False, threads=int(sys.argv[2]))).load()
started = time.perf_counter()
analysis = pipeline.analyze(parallax.from_text(text))
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "quotes": len(analysis.quotes), "techniques": len(analysis.techniques)}))
"""


def long_text(folder: Path, chars: int) -> str:
    """Real articles joined with paragraph breaks, repeated as needed, cut to `chars`."""
    articles = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
    if not articles:
        sys.exit(f"no .txt articles in {folder}")
    parts, total = [], 0
    while total < chars:
        for article in articles:
            parts.append(article)
            total += len(article) + 2
            if total >= chars:
                break
    return "\n\n".join(parts)[:chars]


def measure(text_file: Path, threads: int) -> dict:
    env = dict(os.environ, HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false")
    result = subprocess.run([sys.executable, "-c", CHILD, str(text_file), str(threads)],
                            capture_output=True, text=True, env=env, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of .txt articles")
    parser.add_argument("--sizes", type=float, nargs="+", default=list(SIZES_MB), help="text sizes in MB")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "long_input")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    rows = []
    for size in args.sizes:
        path = args.work / f"text_{size}MB.txt"
        path.write_text(long_text(args.data, int(size * 1_000_000)), encoding="utf-8")
        rows.append((size, measure(path, args.threads)))
    per_mb = [row["seconds"] / size for size, row in rows]
    (small, first), (large, last) = rows[0], rows[-1]
    growth = (last["rss_mb"] - first["rss_mb"]) / (large - small) if large > small else 0.0
    cells = " ".join(f"{size:g}MB={row['seconds']:.1f}s/{row['rss_mb']:.0f}MB" for size, row in rows)
    print(f"long_input {cells} s_per_MB={min(per_mb):.1f}..{max(per_mb):.1f} rss_growth_MB_per_MB={growth:.0f}")


if __name__ == "__main__":
    main()
