"""Uncertainty in the desktop app: ranges in the forms, the Monte Carlo run off the
GUI thread, and the views of its results (bands, P(recommended), tornado, flip points)."""
