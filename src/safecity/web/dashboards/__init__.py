"""Indicators defined on engine metrics, their cached values, and the scorecard."""
