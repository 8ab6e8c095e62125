"""The alluvial chart of blocs over time: band and flow geometry worked by hand, invariants, the PNG."""

from __future__ import annotations

import pytest

from graph.analysis.alignment.alluvial import alluvial_layout, largest_movers, plot_alluvial
from graph.analysis.alignment.over_time import blocs_over_time
from graph.errors import ActorgraphError
from graph.store.dataset import load_dataset
from graph.view.select import Filters
from tests.conftest import BUNDLED
from tests.test_blocs_over_time import THREE_YEARS, dataset


@pytest.fixture
def history(tmp_path):
    return blocs_over_time(dataset(tmp_path, THREE_YEARS), Filters(), "year")


def test_band_and_flow_geometry_by_hand(history):
    # Blocs (see test_blocs_over_time): 2021 {1: a b c x, 2: p q r}; 2022 {1: a b c d, 2: p q r x};
    # 2023 {2: p q r, 3: a b, 4: c d}. Bands stack top down by id with a gap of 1 actor.
    layout = alluvial_layout(history)
    assert layout.columns == ["2021", "2022", "2023"]
    assert layout.gap == 1.0
    bands = [(b.column, b.bloc, b.y0, b.y1) for b in layout.bands]
    assert bands == [(0, 1, -4, 0), (0, 2, -8, -5),
                     (1, 1, -4, 0), (1, 2, -9, -5),
                     (2, 2, -3, 0), (2, 3, -6, -4), (2, 4, -9, -7)]
    flows = [(layout.bands[f.source].bloc, layout.bands[f.target].bloc, f.actors, f.source_y, f.target_y)
             for f in layout.flows]
    assert flows == [
        # 2021 -> 2022: out of band 1 in target order; into band 2 first from band 1 (x), then from band 2
        (1, 1, ["a", "b", "c"], (-3, 0), (-3, 0)),
        (1, 2, ["x"], (-4, -3), (-6, -5)),
        (2, 2, ["p", "q", "r"], (-8, -5), (-9, -6)),
        # 2022 -> 2023: d arrived in 2022 and leaves with c; x leaves every bloc (no flow)
        (1, 3, ["a", "b"], (-2, 0), (-6, -4)),
        (1, 4, ["c", "d"], (-4, -2), (-9, -7)),
        (2, 2, ["p", "q", "r"], (-8, -5), (-3, 0)),
    ]


def test_band_heights_are_member_counts_and_flows_fit_on_real_data():
    history = blocs_over_time(load_dataset(BUNDLED), Filters(), "quarter", "1Y")
    layout = alluvial_layout(history)
    by_column = {}
    for period in history.periods:
        if period.aligned:
            by_column[len(by_column)] = {b.id: b.members for b in period.blocs}
    assert len(layout.columns) == len(by_column)
    for band in layout.bands:
        # heights are y1 - y0 of stacked floats: equal to the count up to rounding
        assert band.height == pytest.approx(len(by_column[band.column][band.bloc])) and \
            len(by_column[band.column][band.bloc]) == len(band.members)
    for column in by_column:
        spans = sorted((b.y0, b.y1) for b in layout.bands if b.column == column)
        assert all(lower[1] + layout.gap <= upper[0] + 1e-9 for lower, upper in zip(spans, spans[1:]))
    for f in layout.flows:
        a, b = layout.bands[f.source], layout.bands[f.target]
        assert b.column == a.column + 1
        assert f.actors == sorted(set(a.members) & set(b.members))
        assert f.source_y[1] - f.source_y[0] == pytest.approx(len(f.actors))
        assert f.target_y[1] - f.target_y[0] == pytest.approx(len(f.actors))
        assert a.y0 <= f.source_y[0] + 1e-9 and f.source_y[1] <= a.y1 + 1e-9
        assert b.y0 <= f.target_y[0] + 1e-9 and f.target_y[1] <= b.y1 + 1e-9
    for i, band in enumerate(layout.bands):  # flows out of / into a band never overlap
        for side, key in (("source", "source_y"), ("target", "target_y")):
            spans = sorted(getattr(f, key) for f in layout.flows if getattr(f, side) == i)
            assert all(lo[1] <= hi[0] + 1e-9 for lo, hi in zip(spans, spans[1:]))


def test_largest_movers(history):
    # One bloc-to-bloc move each for a, b, c, d, x; ties broken by periods spent in a bloc, then id.
    assert largest_movers(history, 8) == ["a", "b", "c", "d", "x"]
    assert largest_movers(history, 2) == ["a", "b"]
    layout = alluvial_layout(history, movers=2)
    labelled = {(layout.bands[f.source].bloc, layout.bands[f.target].bloc): f.movers for f in layout.flows if f.movers}
    assert labelled == {(1, 3): ["a", "b"]}


def test_png_is_written_with_a_sane_size(history, tmp_path):
    import numpy as np
    from matplotlib.image import imread

    path = plot_alluvial(history, tmp_path / "out" / "blocs.png", {"x": "Mover X"})
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    pixels = imread(path)
    height, width = pixels.shape[:2]
    assert 600 <= width <= 4000 and 300 <= height <= 3000
    colours = np.unique(pixels[..., :3].reshape(-1, 3), axis=0)
    assert len(colours) > 20  # bands, flows and text, not a blank canvas


def test_plot_via_cli(run, tmp_path):
    out = tmp_path / "blocs.png"
    result = run("clusters", "--data", BUNDLED, "--level", "state", "--every", "year", "--plot", out)
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 5000


def test_nothing_to_plot_is_a_clear_error(tmp_path):
    history = blocs_over_time(dataset(tmp_path, {"2021": [("a", "p", "arrest")]}), Filters(), "year")
    assert history.periods[0].apart == ["a", "p"]
    with pytest.raises(ActorgraphError, match="nothing to plot"):
        plot_alluvial(history, tmp_path / "x.png")
    assert not (tmp_path / "x.png").exists()
