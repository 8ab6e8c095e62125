"""actorgraph: who does what to whom in a political crisis.

The package is a library of plain functions (no printing, no exiting);
``graph.cli`` is the thin command-line layer over it.
"""

__version__ = "0.1.0"
