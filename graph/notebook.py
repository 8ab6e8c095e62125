"""actorgraph from Python and Jupyter: load a folder, filter, get tables and the map.

>>> import graph
>>> crisis = graph.load("data")                       # validated; DataError lists every problem
>>> july = crisis.filter(since="2025-07", level="state")
>>> july.clusters()                                   # DataFrame: one row per actor, its cluster
>>> july.centrality(["degree", "pagerank"])           # DataFrame: one row per actor
>>> july.map()                                        # the explorer, inline in a notebook

Every method is a thin call to the library functions the command line uses (``select``,
``blocs_of_view``, ``centrality_table``, ``explorer_html``), so a notebook and ``actorgraph`` give the
same numbers. A :class:`Crisis` never changes: ``filter`` returns a new one.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

import pandas as pd

from graph.analysis.alignment.of_view import TOLERANCE, BlocSettings, blocs_of_view
from graph.errors import ActorgraphError
from graph.store.dataset import Dataset, load_dataset
from graph.view.select import Filters, View, select


def load(folder: str | Path = "data") -> "Crisis":
    """Read and validate a data folder (nodes.csv, edges.csv, edge_types.csv).

    Raises ``graph.errors.DataError`` whose ``problems`` list every problem as ``FILE:LINE: message``.
    """
    return Crisis(load_dataset(folder))


@dataclass(frozen=True, eq=False)  # frames do not compare to a bool: crises compare by identity
class Crisis:
    """A validated data set seen through filters (none at first).

    ``actors`` and ``events`` are the filtered tables (pandas DataFrames); ``dataset`` is the whole
    validated data set and ``filters`` the :class:`graph.view.select.Filters` in force.
    """

    dataset: Dataset
    filters: Filters = field(default_factory=Filters)

    def filter(self, *, since: str | None = None, until: str | None = None, types=(), kinds=(),
               level: str | None = None, half_life: float | None = None, ego: str | None = None,
               depth: int | None = None) -> "Crisis":
        """The same data through narrower filters; arguments not given keep their current value.

        ``since``/``until`` take ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (a partial date covers its whole
        month or year); ``types`` and ``kinds`` are lists of names; ``level="state"`` rolls actors up
        through their affiliation; ``half_life`` (days) discounts older events; ``ego`` keeps the actors
        within ``depth`` steps of one actor.
        """
        changes = {name: value for name, value in dict(
            since=since, until=until, level=level, half_life=half_life, ego=ego, depth=depth).items()
            if value is not None}
        if types:
            changes["types"] = (types,) if isinstance(types, str) else tuple(types)
        if kinds:
            changes["kinds"] = (kinds,) if isinstance(kinds, str) else tuple(kinds)
        crisis = Crisis(self.dataset, replace(self.filters, **changes))
        crisis.view  # check the filters now (unknown types, actors, bad dates raise here)
        return crisis

    @cached_property
    def view(self) -> View:
        """The :class:`graph.view.select.View` every analysis reads."""
        return select(self.dataset, self.filters)

    @property
    def actors(self) -> pd.DataFrame:
        """The actors in view, indexed by id."""
        return self.view.nodes

    @property
    def events(self) -> pd.DataFrame:
        """The events in view, one row each (weights resolved, ids rolled up at state level)."""
        return self.view.events

    def alignment(self, max_clusters: int | None = None, time_limit: float = 60.0, seed: int = 0, *,
                  free: bool = False, tolerance: float = TOLERANCE, affiliation_weight: float = 10.0):
        """The :class:`graph.analysis.alignment.blocs.Alignment` of the view (what ``clusters`` shows).

        The arguments are the bloc options of ``actorgraph clusters``: ``--clusters``, ``--time-limit``,
        ``--seed``, ``--free``, ``--tolerance`` (here a fraction: 0.01 is 1%) and ``--affiliation-weight``.
        """
        return blocs_of_view(self.view, self._settings(max_clusters, time_limit, seed, free=free,
                                                       tolerance=tolerance, affiliation_weight=affiliation_weight))

    @staticmethod
    def _settings(max_clusters: int | None = None, time_limit: float = 60.0, seed: int = 0, *,
                  free: bool = False, tolerance: float = TOLERANCE, affiliation_weight: float = 10.0) -> BlocSettings:
        if free and max_clusters is not None:
            raise ActorgraphError("free=True and max_clusters exclude each other")
        return BlocSettings(max_clusters=max_clusters, time_limit=time_limit, seed=seed, free=free,
                            tolerance=tolerance, affiliation_weight=affiliation_weight)

    def clusters(self, max_clusters: int | None = None, time_limit: float = 60.0, seed: int = 0,
                 **bloc_options) -> pd.DataFrame:
        """Alignment clusters as a table indexed by actor id: ``label``, ``kind``, ``cluster`` (1 = largest;
        <NA> for actors with no signed tie), ``bloc`` (the cluster's name) and ``apart`` (True for an
        actor that stands apart, in a cluster of its own). The frustration and the method are in
        ``table.attrs``. Takes the arguments of ``alignment``."""
        al = self.alignment(max_clusters, time_limit, seed, **bloc_options)
        nodes = self.view.nodes
        cluster = pd.array([al.cluster_of.get(a) for a in nodes.index], dtype="Int64")
        table = pd.DataFrame({"label": nodes["label"].to_numpy(), "kind": nodes["kind"].to_numpy(),
                              "cluster": cluster}, index=nodes.index.rename("id"))
        names = dict(enumerate(al.names, 1))
        table["bloc"] = [names.get(c, "") if c is not pd.NA else "" for c in table["cluster"]]
        table["apart"] = table.index.isin(list(al.apart))
        table = table.sort_values(["cluster", "label"], na_position="last", kind="stable")
        table.attrs.update(method=al.method, frustration=al.frustration,
                           frustration_share=al.frustration_share, clusters=len(al.clusters))
        return table

    def centrality(self, metrics: list[str] | None = None) -> pd.DataFrame:
        """Centrality table indexed by actor id (``label``, ``kind`` and one column per metric; the
        defaults are those of ``actorgraph centrality``, ``["all"]`` gives every metric)."""
        from graph.analysis.centrality import centrality_table

        return centrality_table(self.view, metrics)

    def map(self, color_by: str = "cluster", size_by: str = "degree", title: str = "actorgraph",
            layout: str = "auto", *, every: str | None = None, window: str | None = None,
            confidence: bool = False, resamples: int = 200, **bloc_options) -> "Map":
        """The interactive explorer of the view (shown inline in a notebook; ``.save(path)`` writes it).

        The arguments are the options of ``actorgraph html``: ``every``/``window`` add the period slider,
        ``confidence``/``resamples`` the bootstrap confidence, and the bloc options are those of
        ``alignment`` (``max_clusters``, ``free``, ``tolerance``, ``affiliation_weight``, ``time_limit``,
        ``seed``)."""
        from graph.explorer.page import HtmlOptions, explorer_html

        blocs = self._settings(**bloc_options)
        options = HtmlOptions(color_by=color_by, size_by=size_by, title=title, layout=layout, every=every,
                              window=window, confidence=confidence, resamples=resamples, blocs=blocs)
        return Map(explorer_html(self.dataset, self.filters, options))

    def __repr__(self) -> str:
        shown = {k: v for k, v in vars(self.filters).items() if v not in (None, (), "actor", 1)}
        return (f"<Crisis {self.dataset.folder}: {len(self.actors)} actors, {len(self.events)} events"
                f"{', ' + ', '.join(f'{k}={v!r}' for k, v in shown.items()) if shown else ''}>")


@dataclass(frozen=True)
class Map:
    """An explorer page. In a notebook it displays inline, in a sandboxed iframe: the page runs its
    own scripts in an opaque origin, so it cannot reach the notebook; it needs no network."""

    html: str
    height: int = 640

    def _repr_html_(self) -> str:
        # srcdoc holds the whole page as an attribute value: html.escape makes every " & < > inert.
        # allow-popups(-to-escape-sandbox): the map's citation links open the article in a new tab.
        return (f'<iframe sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox" '
                f'srcdoc="{html.escape(self.html, quote=True)}" title="actorgraph map" '
                f'style="width:100%;height:{int(self.height)}px;border:1px solid #ddd"></iframe>')

    def save(self, path: str | Path) -> Path:
        """Write the page to ``path`` (atomically) and return the path."""
        from graph.explorer.page import write_page

        return write_page(self.html, Path(path))
