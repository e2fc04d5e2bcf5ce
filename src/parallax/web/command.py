"""`parallax serve`: the web app under uvicorn.

    parallax serve [--store DB] [--host 127.0.0.1] [--port 8000] [--workers N]

Binds this machine only (127.0.0.1) unless --host says otherwise. With --workers N, uvicorn
runs N processes, each building the app (and loading the models) from the Config, which
carries --store to them through PARALLAX_STORE.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from parallax.errors import UsageError
from parallax.web.settings import DEFAULT_HOST, DEFAULT_PORT

# uvicorn's access log is off: it would log every asset; errors still go to stderr.
ACCESS_LOG = False


def register(subparsers) -> None:
    serve = subparsers.add_parser("serve", help="serve the web app (paste and compare; a corpus's stories, "
                                                "outlets and quotes with --store)")
    serve.add_argument("--store", type=Path, default=None,
                       help="a store `parallax ingest` filled: serves its stories, outlets and quotes")
    serve.add_argument("--host", default=DEFAULT_HOST, help=f"address to bind (default: {DEFAULT_HOST}, this machine only)")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default: {DEFAULT_PORT})")
    serve.add_argument("--workers", type=int, default=1, help="worker processes (default: 1)")
    serve.add_argument("--no-techniques", action="store_true", help="skip propaganda technique detection")
    serve.set_defaults(run=run_serve)


def run_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from parallax.config import Config
    from parallax.store import open_existing
    from parallax.web.app import create_app
    from parallax.web.settings import WebSettings

    if args.workers < 1:
        raise UsageError(f"--workers {args.workers} is invalid; give 1 or more")
    if not 0 < args.port < 65536:
        raise UsageError(f"--port {args.port} is invalid; valid: 1-65535")
    if args.store is not None:
        open_existing(args.store).close()  # a clear error now for a missing or foreign file
    overrides = {"store": str(args.store) if args.store else None,
                 "techniques": False if args.no_techniques else None}
    config = Config.resolve(**overrides)
    print(f"parallax: serving on http://{args.host}:{args.port}/ "
          f"({'corpus ' + str(args.store) if args.store else 'no corpus store'}); Ctrl-C stops", file=sys.stderr)
    if args.workers == 1:
        uvicorn.run(create_app(WebSettings.from_config(config)), host=args.host, port=args.port,
                    access_log=ACCESS_LOG)
        return 0
    for name, value in (("PARALLAX_STORE", overrides["store"]), ("PARALLAX_TECHNIQUES", "false" if args.no_techniques else None)):
        if value is not None:
            os.environ[name] = value
    uvicorn.run("parallax.web.app:app_factory", factory=True, host=args.host, port=args.port,
                workers=args.workers, access_log=ACCESS_LOG)
    return 0


__all__ = ["register", "run_serve"]
