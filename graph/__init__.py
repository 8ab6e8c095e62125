"""actorgraph: who does what to whom in a political crisis.

The package is a library of plain functions (no printing, no exiting);
``graph.cli`` is the thin command-line layer over it. For Python and notebooks,
``graph.load(folder)`` returns a :class:`graph.notebook.Crisis` (see docs/notebook.md).
"""

__version__ = "0.1.0"

_NOTEBOOK = ("load", "Crisis", "Map")


def __getattr__(name: str):
    # Imported on first use, so `actorgraph --help` does not pay for pandas and the analyses.
    if name in _NOTEBOOK:
        from graph import notebook

        return getattr(notebook, name)
    raise AttributeError(f"module 'graph' has no attribute {name!r}")


def __dir__():
    return sorted([*globals(), *_NOTEBOOK])
