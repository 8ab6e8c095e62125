"""Alignment blocs: structural balance, exact and heuristic, and how blocs shift over time."""
