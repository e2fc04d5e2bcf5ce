"""Outputs: JSON, a terminal summary and a self-contained HTML report.

    json_out.document(obj) / analysis_to_dict(analysis) / write_json(obj, path)
    terminal.render_terminal(obj, console)
    html.render_html(obj, threshold=0.5)
    html.render_body(obj, threshold=0.5)  (the body alone, for a page serving html.ASSETS under a CSP)
    schema.json_schema()  (the JSON Schema of the document)

`obj` is an Analysis, a list of them, or a Comparison. The modules are imported on first use
(PEP 562), so `parallax analyze --format json` does not pay for Jinja2 or rich.
"""
from __future__ import annotations

from importlib import import_module

_HOMES = {
    "analysis_to_dict": "json_out",
    "document": "json_out",
    "write_json": "json_out",
    "render_terminal": "terminal",
    "render_html": "html",
    "render_body": "html",
    "json_schema": "schema",
}
__all__ = sorted(_HOMES)


def __getattr__(name: str):
    if name not in _HOMES:
        raise AttributeError(f"module 'parallax.report' has no attribute {name!r}")
    return getattr(import_module(f"parallax.report.{_HOMES[name]}"), name)
