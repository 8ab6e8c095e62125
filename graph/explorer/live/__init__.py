"""``actorgraph serve``: the explorer page kept in step with the data folder.

``state`` holds what the page shows (the last valid payload, the current problems, a version),
``watcher`` turns saved files into updates once the writes have settled, ``server`` serves the page,
its data and its update stream (Server-Sent Events) on loopback, read-only.
"""

from graph.explorer.live.server import LiveServer
from graph.explorer.live.state import LiveMap, Snapshot, read_dataset
from graph.explorer.live.watcher import Watcher

__all__ = ["LiveMap", "LiveServer", "Snapshot", "Watcher", "read_dataset"]
