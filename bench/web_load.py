"""Web load benchmark: 50 concurrent clients against `parallax serve` on loopback.

Prints one result line:
  web_load clients=50 | cached: n= p50= p95= | uncached: n= p50= p95= busy_503= | errors=E lost=L rss_peak=G

The server is the real one (`python -m parallax.cli serve`, uvicorn, one worker process,
default settings: techniques on) on a fresh store. Two phases, each CLIENTS concurrent
clients (httpx, asyncio) for a bounded time:
  * cached: every client posts the seeds' comparison to /api/compare again and again,
    computed once before the phase, so every answer comes from the store;
  * uncached: every client posts a comparison of its own (the seeds with a sentence naming
    the client and the request, so nothing is cached) and, on 503, waits Retry-After and
    posts it again, as a well-behaved client does.
Latency is from a request's first attempt to its answer (retries included). An error is
any answer other than 200 (503s that were retried aside) or a failed connection; a result
is lost when an accepted request's answer is not its own comparison (the outlets sent).
Peak RSS is the server process's, sampled every SAMPLE_S.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import psutil

ROOT = Path(__file__).resolve().parents[1]
SEEDS = [ROOT / "examples/seeds/zerohedge.txt", ROOT / "examples/seeds/globalresearch.md"]
CLIENTS = 50
CACHED_S = 20
UNCACHED_S = 60
SAMPLE_S = 0.5
# A client waits this long for one answer: an uncached comparison queued behind others.
REQUEST_TIMEOUT_S = 300


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(folder: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {**os.environ, "XDG_CACHE_HOME": str(folder)}  # a fresh default store
    env.pop("PARALLAX_STORE", None)
    log = open(folder / "serve.log", "wb")  # noqa: SIM115 - the server writes it while it runs
    process = subprocess.Popen([sys.executable, "-m", "parallax.cli", "serve", "--port", str(port)], env=env,
                               stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/api/health", timeout=2).status_code == 200:
                return process, base
        except httpx.HTTPError:
            if process.poll() is not None:
                break
            time.sleep(0.5)
    process.kill()
    raise SystemExit("parallax serve did not start within 180 s:\n"
                     + (folder / "serve.log").read_text(errors="replace")[-2000:])


class Tally:
    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.busy = 0
        self.errors: list[str] = []
        self.lost = 0


async def one_request(client: httpx.AsyncClient, articles: list[dict], tally: Tally) -> None:
    started = time.monotonic()
    while True:
        try:
            response = await client.post("/api/compare", json={"articles": articles})
        except httpx.HTTPError as error:
            tally.errors.append(f"{type(error).__name__}: {error}")
            return
        if response.status_code == 503 and "retry-after" in response.headers:
            tally.busy += 1
            await asyncio.sleep(float(response.headers["retry-after"]))
            continue
        if response.status_code != 200:
            tally.errors.append(f"{response.status_code}: {response.text[:120]}")
            return
        outlets = [a["outlet"] for a in response.json()["articles"]]
        if outlets != [a["outlet"] for a in articles]:
            tally.lost += 1
        tally.latencies.append(time.monotonic() - started)
        return


async def phase(base: str, seconds: float, cached: bool) -> Tally:
    tally = Tally()
    texts = [path.read_text(encoding="utf-8") for path in SEEDS]
    stop = time.monotonic() + seconds

    async def client_loop(number: int) -> None:
        async with httpx.AsyncClient(base_url=base, timeout=REQUEST_TIMEOUT_S) as client:
            request = 0
            while time.monotonic() < stop:
                request += 1
                if cached:
                    articles = [{"text": texts[0], "outlet": "ZeroHedge"}, {"text": texts[1], "outlet": "Global Research"}]
                else:
                    tag = f"client {number} request {request}"
                    articles = [{"text": f"{texts[0]}\n\nThis copy was sent by {tag}.", "outlet": f"A {tag}"},
                                {"text": f"{texts[1]}\n\nThis copy was sent by {tag}.", "outlet": f"B {tag}"}]
                await one_request(client, articles, tally)

    await asyncio.gather(*(client_loop(n) for n in range(CLIENTS)))
    return tally


def watch_rss(pid: int, peak: list[float], done: threading.Event) -> None:
    process = psutil.Process(pid)
    while not done.is_set():
        try:
            rss = process.memory_info().rss + sum(c.memory_info().rss for c in process.children(recursive=True))
        except psutil.Error:
            return
        peak[0] = max(peak[0], rss / 2**30)
        time.sleep(SAMPLE_S)


def _figures(tally: Tally) -> str:
    if not tally.latencies:
        return "n=0"
    ordered = sorted(tally.latencies)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return f"n={len(ordered)} p50={statistics.median(ordered):.2f}s p95={p95:.2f}s"


def main() -> None:
    global CLIENTS
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=CLIENTS)
    parser.add_argument("--cached-seconds", type=float, default=CACHED_S)
    parser.add_argument("--uncached-seconds", type=float, default=UNCACHED_S)
    args = parser.parse_args()
    CLIENTS = args.clients
    with tempfile.TemporaryDirectory(prefix="parallax-web-load-") as folder:
        process, base = start_server(Path(folder))
        peak, done = [0.0], threading.Event()
        watcher = threading.Thread(target=watch_rss, args=(process.pid, peak, done), daemon=True)
        watcher.start()
        try:
            texts = [path.read_text(encoding="utf-8") for path in SEEDS]
            httpx.post(base + "/api/compare", timeout=REQUEST_TIMEOUT_S,  # computed once: then it is cached
                       json={"articles": [{"text": texts[0], "outlet": "ZeroHedge"},
                                          {"text": texts[1], "outlet": "Global Research"}]}).raise_for_status()
            cached = asyncio.run(phase(base, args.cached_seconds, cached=True))
            uncached = asyncio.run(phase(base, args.uncached_seconds, cached=False))
        finally:
            done.set()
            process.terminate()
            process.wait(30)
    errors = cached.errors + uncached.errors
    print(f"web_load clients={CLIENTS} | cached: {_figures(cached)} | uncached: {_figures(uncached)} "
          f"busy_503={uncached.busy + cached.busy} | errors={len(errors)} lost={cached.lost + uncached.lost} "
          f"rss_peak={peak[0]:.2f}GB")
    for error in errors[:5]:
        print(f"  error: {error}", file=sys.stderr)


if __name__ == "__main__":
    main()
