"""Alignment blocs: structural balance, exact and heuristic."""
