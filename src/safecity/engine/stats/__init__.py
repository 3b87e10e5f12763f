"""Statistics, one module per family (change, rates, hotspots, evaluation…)."""
