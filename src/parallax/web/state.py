"""What every route reads: the app's settings, warm worker and job queue."""
from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from parallax.store import Store
from parallax.web.jobs import JobQueue
from parallax.web.settings import WebSettings
from parallax.web.work import Worker


@dataclass
class AppState:
    settings: WebSettings
    worker: Worker
    queue: JobQueue

    def store(self) -> Store:
        """A new connection to the comparisons' store, for one request (`with` it)."""
        return Store(self.settings.store_path)


def state(request: Request) -> AppState:
    return request.app.state.parallax


__all__ = ["AppState", "state"]
