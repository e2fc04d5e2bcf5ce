"""The Dask cluster of a batch run: a LocalCluster of processes, or an existing scheduler.

    with connect("local", workers=2, threads_per_worker=1) as client: ...
    with connect("tcp://10.0.0.5:8786") as client: ...        # dask scheduler / jobqueue / k8s

An address that cannot be reached, or a cluster without workers, is a UsageError that says
what to do, never a traceback.
"""
from __future__ import annotations

import importlib.util
import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from parallax.errors import UsageError

if TYPE_CHECKING:
    from distributed import Client

LOCAL = "local"
# Seconds to reach a scheduler: a live one answers in milliseconds, a cluster being
# started by a job queue may take a while to open its port.
CONNECT_TIMEOUT = 20.0
# Seconds to wait for a first worker on an existing cluster (jobqueue workers start as
# their jobs do; the run then goes on with whoever has joined, and more may join).
WORKER_TIMEOUT = 120.0
# Loggers that report routine events at WARNING: p2p shuffles starting and stopping (every
# duplicate and story pass runs some).
QUIET_LOGGERS = ("distributed.shuffle._scheduler_plugin",)


def default_workers() -> int:
    """One single-threaded worker process per core: spaCy holds the GIL, so processes,
    not threads, are what run articles in parallel."""
    return os.cpu_count() or 1


@contextmanager
def connect(scheduler: str = LOCAL, workers: int | None = None, threads_per_worker: int = 1,
            log: Callable[[str], None] | None = None, timeout: float = CONNECT_TIMEOUT) -> Iterator[Client]:
    """A Client of a new LocalCluster (`scheduler` "local") or of the scheduler at
    `scheduler`; `log` gets the dashboard address and what the cluster holds."""
    from distributed import Client, LocalCluster

    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)
    say = log or (lambda message: None)
    if workers is not None and workers < 1 or threads_per_worker < 1:
        raise UsageError("--workers and --threads-per-worker must be at least 1")
    if scheduler == LOCAL:
        cluster = LocalCluster(n_workers=workers or default_workers(), threads_per_worker=threads_per_worker,
                               processes=True)
        try:
            with Client(cluster) as client:
                say(f"dask: local cluster of {len(cluster.workers)} workers x {threads_per_worker} threads; "
                    f"dashboard {_dashboard(client, local=True)}")
                yield client
        finally:
            cluster.close()
        return
    if workers is not None:
        say("parallax: note: --workers is ignored with --scheduler ADDRESS (the cluster has its own)")
    client = _client(scheduler, timeout)
    try:
        _wait_for_workers(client, scheduler)
        info = client.scheduler_info()
        say(f"dask: {scheduler}: {len(info.get('workers', {}))} workers; dashboard {_dashboard(client, local=False)}")
        yield client
    finally:
        client.close()


def _client(address: str, timeout: float) -> Client:
    from distributed import Client

    try:
        return Client(address, timeout=timeout)
    except (OSError, TimeoutError, ValueError, TypeError) as error:
        raise UsageError(f"--scheduler {address}: cannot reach a Dask scheduler there within {timeout:g} s "
                         f"({type(error).__name__}: {error}); give its address (e.g. tcp://HOST:8786, as "
                         "`dask scheduler` prints it) or use --scheduler local") from None


def _wait_for_workers(client: Client, address: str) -> None:
    try:
        client.wait_for_workers(1, timeout=WORKER_TIMEOUT)
    except (TimeoutError, OSError):
        raise UsageError(f"--scheduler {address}: no worker joined within {WORKER_TIMEOUT:g} s; start workers "
                         f"with `dask worker {address}` (each with parallax and its models installed)") from None


def _dashboard(client: Client, local: bool) -> str:
    link = client.dashboard_link
    if not local:
        return link  # served by the scheduler, whatever this machine has installed
    if importlib.util.find_spec("bokeh") is None:  # the dashboard's web pages need it
        return f"{link} (needs `pip install bokeh` where the scheduler runs)"
    return link


__all__ = ["CONNECT_TIMEOUT", "LOCAL", "connect", "default_workers"]
