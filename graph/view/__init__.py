"""Views of the data: filters, roll-up to states, and the per-pair aggregation."""
