"""The one entry point every command uses to find the alignment blocs of a view.

``blocs_of_view(view, settings)`` builds the signed ties the model uses (the view's events, plus the
affiliation ties at actor level) and solves them; ``clusters``, ``show``, ``html``, ``export`` and
blocs over time all call it, so a setting means the same thing everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.analysis.alignment.blocs import Alignment, alignment_clusters


@dataclass(frozen=True)
class BlocSettings:
    """How blocs are found. ``max_clusters`` None leaves the number of blocs to the model."""

    max_clusters: int | None = None
    time_limit: float = 60.0
    seed: int = 0
    affiliation_weight: float = 10.0


def blocs_of_view(view, settings: BlocSettings = BlocSettings()) -> Alignment:
    """The alignment blocs of ``view`` under ``settings``."""
    from graph.view.select import signed_graph

    return alignment_clusters(signed_graph(view), max_clusters=settings.max_clusters,
                              time_limit=settings.time_limit, seed=settings.seed)
