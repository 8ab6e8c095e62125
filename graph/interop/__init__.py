"""GDELT / ICEWS import; GEXF / GraphML / JSON export; CAMEO tables."""
