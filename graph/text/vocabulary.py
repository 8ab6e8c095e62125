"""The bundled vocabulary of action types (``data_files/edge_types.csv``), shipped for ``actorgraph init``.

It is the same file as the bundled data's ``data/edge_types.csv`` (a test keeps the two equal).
"""

from __future__ import annotations

from importlib import resources


def bundled_vocabulary() -> bytes:
    """The bytes of the shipped ``edge_types.csv``."""
    return resources.files("graph.text").joinpath("data_files/edge_types.csv").read_bytes()
