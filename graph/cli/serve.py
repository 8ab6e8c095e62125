"""``actorgraph serve``: the explorer page, kept up to date while the data files are edited."""

from __future__ import annotations

import click

from graph.cli import cli
from graph.cli.common import data_option, handle_errors, progress_option
from graph.cli.explore import page_options

DEFAULT_PORT = 8765


@cli.command()
@data_option
@click.option("--port", type=click.IntRange(0, 65535), default=DEFAULT_PORT, show_default=True,
              help="Port to listen on (0 picks a free one).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but loopback lets other machines read the data: "
                   "only with care (a warning is printed).")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the default browser.")
@page_options
@progress_option
@handle_errors
def serve(data_dir, port, host, open_browser, filters, options, progress):
    """Serve the map on http://127.0.0.1:PORT/ and update it as the data files change.

    Edit data/*.csv in any editor or spreadsheet (or with `actorgraph edge add`), save, and the open
    page redraws in place within a second or so: zoom, selection, search, filters and the date range
    stay, and new or changed actors and events glow for a few seconds. While the files are invalid
    the last valid map stays and a banner lists every problem as FILE:LINE: what is wrong; it goes as
    soon as they are valid again. Read-only: the server answers GET for the page, its data and its
    update stream, nothing else. The filter and page options are those of `actorgraph html`.
    Ctrl-C stops it. An event store (events/ of Parquet files) is refused: it is not edited by
    hand; write its map with `actorgraph html`.

    \b
    Example:
      actorgraph serve --open
      actorgraph serve --data data --port 8800 --since 2025-01 --color-by kind
    """
    from graph.errors import ActorgraphError
    from graph.explorer.live import LiveMap, LiveServer
    from graph.explorer.live.server import is_loopback
    from graph.store.event_store import is_store

    if is_store(data_dir):
        raise ActorgraphError(f"{data_dir} is an event store: serve redraws a map as hand-edited CSV files "
                              f"change, and a store is not edited by hand; write its map with "
                              f"actorgraph html --data {data_dir}")

    def report(line: str) -> None:
        click.echo(line, err=True)

    live = LiveMap(data_dir, filters, options, report=report)
    with progress.stage("building the map (clusters, centrality, layout)"):
        live.start()
    server = LiveServer(live, host, port)
    if not is_loopback(host):
        click.echo(f"warning: listening on {host}: any machine that can reach this one can read the data "
                   "(use the default --host 127.0.0.1 to keep it on this computer)", err=True)
    click.echo(f"serving {data_dir} on {server.url}  (Ctrl-C to stop)")
    if open_browser:
        import webbrowser

        webbrowser.open(server.url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    click.echo("stopped", err=True)
