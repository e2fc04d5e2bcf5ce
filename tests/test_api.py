"""The deliberate public API (`parallax.__all__`) and the library entry points."""
from __future__ import annotations

import parallax

PUBLIC = {
    "SCHEMA_VERSION", "Analysis", "Article", "Claim", "Comparison", "Config", "Conflict", "Coverage", "Entity",
    "FramingRow", "FramingSide", "InputError", "Link", "ModelError", "Omission", "OutletSummary", "ParallaxError",
    "Pipeline", "Quote", "Ref", "Span", "Technique", "UsageError", "analyze", "compare", "from_text", "load_path",
}


def test_public_api_is_deliberate():
    assert set(parallax.__all__) == PUBLIC
    for name in PUBLIC:
        assert hasattr(parallax, name)


def test_from_text_keeps_the_text_and_analyze_fills_every_layer():
    article = parallax.from_text('"It is over," the envoy told the council on Sunday.', title="Envoy speaks")
    analysis = parallax.analyze(article, techniques=False)
    assert analysis.article.title == "Envoy speaks"
    assert set(analysis.layers) >= {"sentences", "entities", "quotes", "claims"}
    [quote] = [q for q in analysis.quotes if q.kind == "direct"]
    assert analysis.snippet(quote).startswith("It is over")


def test_there_is_no_function_that_guesses_whether_a_string_is_a_path():
    """Regression: parallax.load("/etc/hostname") read that file."""
    assert not hasattr(parallax, "load")
    assert parallax.analyze("/etc/hostname", techniques=False).text == "/etc/hostname"


def test_compare_accepts_articles(seed_paths):
    articles = [parallax.load_path(p)[0] for p in seed_paths]
    comparison = parallax.compare([parallax.analyze(a, techniques=False) for a in articles])
    assert len(comparison.analyses) == 2
    assert comparison.links


def test_compare_stays_a_function_after_the_comparison_package_is_imported():
    """Regression: the stage package was once named `compare`, and importing it replaced the
    `parallax.compare` function with the module."""
    import parallax.comparison.lexicon  # noqa: F401
    import parallax.report.summary  # noqa: F401

    assert callable(parallax.compare)


def test_analyze_and_compare_never_import_torch(seed_paths):
    """torch costs seconds of start-up and only training needs it (regression: spaCy's thinc
    imported it on every cold `parallax compare`)."""
    import subprocess
    import sys

    code = (
        "import sys, parallax\n"
        f"paths = {[str(p) for p in seed_paths]!r}\n"
        "parallax.compare([parallax.analyze(parallax.load_path(p)[0]) for p in paths])\n"
        "assert 'torch' not in sys.modules, 'torch was imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
