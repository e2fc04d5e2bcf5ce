"""The web app: paste-and-compare pages, a served corpus's stories, outlets and quotes, and a
JSON API with the CLI's documents. FastAPI + uvicorn, Jinja2 pages, every asset served by
the app itself (no CDN, no build step).

    parallax serve [--store DB] [--host 127.0.0.1] [--port 8000] [--workers N]

    from parallax.web import WebSettings, create_app
    app = create_app(WebSettings(corpus=Path("corpus.db")))

Names are imported on first use (PEP 562), so `parallax --help` does not pay for FastAPI.
"""
from __future__ import annotations

from importlib import import_module

_HOMES = {"WebSettings": "settings", "app_factory": "app", "create_app": "app"}
__all__ = sorted(_HOMES)


def __getattr__(name: str):
    if name not in _HOMES:
        raise AttributeError(f"module 'parallax.web' has no attribute {name!r}")
    return getattr(import_module(f"parallax.web.{_HOMES[name]}"), name)
