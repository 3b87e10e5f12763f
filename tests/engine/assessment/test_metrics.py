"""Every figure has a definition, and docs/metrics.md is the same text as the code."""

from __future__ import annotations

from pathlib import Path

from safecity.engine.assessment import metrics
from safecity.engine.assessment.headlines import REFERENCE_KEYS

DOC = Path(__file__).resolve().parents[3] / "docs" / "metrics.md"


def test_docs_metrics_md_is_generated_from_the_metric_registry():
    assert DOC.read_text(encoding="utf-8") == metrics.render_markdown(), (
        "docs/metrics.md is stale: regenerate it with python -c \"from "
        "safecity.engine.assessment.metrics import render_markdown; "
        "open('docs/metrics.md', 'w').write(render_markdown())\"")


def test_every_reference_headline_key_has_a_definition():
    missing = [k for k in REFERENCE_KEYS if metrics.definition_for(k) is None]
    assert not missing


def test_family_keys_and_previous_variants_resolve_to_their_definition():
    assert metrics.definition_for("crimes_vehicle_crime_previous").key == "crimes_<category>"
    assert metrics.definition_for("hate_race_period").key == "hate_<strand>_period"
    assert metrics.definition_for("benchmark_robbery_rank_england").key == \
        "benchmark_<category>_rank_england"
    assert metrics.definition_for("no_such_figure") is None


def test_metric_keys_are_unique_and_every_definition_is_a_sentence():
    keys = [m.key for m in metrics.METRICS]
    assert len(keys) == len(set(keys))
    for m in metrics.METRICS:
        assert m.definition.endswith(".") and m.source_fields and m.filters, m.key
