"""Analyses: plain functions of a view's aggregated table."""
