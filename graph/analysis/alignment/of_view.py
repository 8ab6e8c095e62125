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


def blocs_of_view(view, settings: BlocSettings = BlocSettings(), pairs=None) -> Alignment:
    """The alignment blocs of ``view`` under ``settings``; ``pairs`` is the view's ``pair_table``
    when the caller already has it (a command aggregates once)."""
    from graph.view.select import signed_graph

    al = alignment_clusters(signed_graph(view, pairs), max_clusters=settings.max_clusters,
                            time_limit=settings.time_limit, seed=settings.seed)
    al.names = bloc_names(al, view.nodes["label"])
    return al


def bloc_names(al: Alignment, labels) -> list[str]:
    """Each cluster named after its most central member: the one with the largest total |tie| to the
    other members (ties broken by id)."""
    strength: dict[str, float] = {}
    for u, v, w in al.ties:
        if al.cluster_of.get(u) is not None and al.cluster_of.get(u) == al.cluster_of.get(v):
            strength[u] = strength.get(u, 0.0) + abs(w)
            strength[v] = strength.get(v, 0.0) + abs(w)
    names = []
    for members in al.clusters:
        top = min(members, key=lambda a: (-strength.get(a, 0.0), str(a)))
        names.append(f"{labels.get(top, top)}'s bloc")
    return names
