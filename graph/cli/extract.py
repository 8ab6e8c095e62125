"""``actorgraph extract`` (candidate events from articles), ``extract apply`` and ``init``."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from graph.cli import cli
from graph.cli.common import data_option, emit, handle_errors, load, refuse_data_file, render_rows
from graph.errors import ActorgraphError

TABLE_COLUMNS = ["source", "target", "type", "date", "flags", "score", "trigger", "source_text", "target_text"]


class _ExtractGroup(click.Group):
    """``extract FILE...`` runs the default command; ``extract apply SHEET`` the subcommand."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["run", *args]
        return super().parse_args(ctx, args)


@cli.group("extract", cls=_ExtractGroup)
def extract_group():
    """Candidate events from news articles, reviewed by the analyst.

    \b
    actorgraph extract FILE... [--date YYYY-MM-DD] [--citation TEXT] [-o review.csv]
        reads plain-text articles ('-' is standard input) and proposes events with the sentence,
        the words and the rule behind each one;
    actorgraph extract apply review.csv [--all]
        adds the rows marked yes in the sheet's accept column (and the new actors they need).

    \b
    Example:
      actorgraph extract article.txt --date 2025-07-05 -o review.csv
      (mark rows yes in the accept column)
      actorgraph extract apply review.csv
    """


def _read_sources(files):
    from graph.text.reading import MAX_BYTES, read_article

    sources = []
    for name in files:
        if name == "-":
            raw = sys.stdin.buffer.read()
        else:
            path = Path(name)
            if not path.is_file():
                raise ActorgraphError(f"{name}: no such file")
            size = path.stat().st_size
            if size > MAX_BYTES:  # refused without reading it all
                sources.append(read_article(name, b"", size))
            raw = path.read_bytes()
        sources.append(read_article(name, raw))
    return sources


def _date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ActorgraphError(f"--date {value}: not a date; give YYYY-MM-DD") from None


@extract_group.command("run")
@click.argument("files", nargs=-1, required=True)
@click.option("--date", "date", metavar="YYYY-MM-DD",
              help="Publication date that relative dates resolve against (default: the article's dateline).")
@click.option("--citation", help="Citation for every candidate (default: the article's title line and date).")
@click.option("--min-score", type=float, default=None,
              help="Leave out candidates scored lower (default: the review sheet keeps every candidate; the "
                   "table and JSON leave out those flagged low_confidence: repeats and scores under 0.25).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]),
              help="Output format (default: from -o's extension, else table). csv is the review sheet.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to FILE: a .csv file is the review sheet with an accept column.")
@data_option
@handle_errors
def extract_run(files, date, citation, min_score, fmt, output, data_dir):
    """Candidate events from FILE... ('-' reads standard input); 'extract FILE...' is short for this.

    \b
    Example:
      actorgraph extract article.txt --date 2025-07-05
      actorgraph extract article.txt --date 2025-07-05 -o review.csv
      actorgraph extract a.txt b.txt --date 2025-07-05 --format json -o found.json
    """
    from graph.text.extract import Extraction, Extractor
    from graph.text.review import review_sheet

    pub = _date(date)
    sources = _read_sources(files)
    dataset = load(data_dir)
    result = Extractor(dataset).extract(sources, pub, citation)
    fmt = fmt or ("csv" if output and output.suffix.lower() == ".csv" else
                  "json" if output and output.suffix.lower() == ".json" else "table")
    if min_score is None:
        kept = [c for c in result.candidates if fmt == "csv" or "low_confidence" not in c.flags]
    else:
        kept = [c for c in result.candidates if c.score >= min_score]
    used = {c.source for c in kept} | {c.target for c in kept}
    result = Extraction(kept, [a for a in result.new_actors if a.id in used
                               or any(b.affiliation == a.id and b.id in used for b in result.new_actors)])
    if fmt == "csv":
        data = review_sheet(result)
        if output is None:
            click.echo(data.decode("utf-8-sig"), nl=False)
        else:
            from graph.store.safe_write import atomic_write

            refuse_data_file(output)
            output.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(output, data)
            click.echo(f"wrote {output}: {len(result.candidates)} candidates, "
                       f"{len(result.new_actors)} new actors", err=True)
        return
    if fmt == "json":
        emit(json.dumps(result.as_dict(), indent=2, ensure_ascii=False) + "\n", output)
        return
    rows = [c.as_dict() for c in result.candidates]
    text = render_rows(rows, "table", TABLE_COLUMNS) if rows else "no candidates\n"
    if result.new_actors:
        text += "\nnew actors:\n" + render_rows([a.as_dict() for a in result.new_actors], "table",
                                                ["id", "label", "kind", "affiliation", "mentions"])
    emit(text, output)


@extract_group.command("apply")
@click.argument("sheet", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--all", "accept_all", is_flag=True,
              help="Also add rows whose accept cell is empty (never those flagged duplicate or low_confidence).")
@click.option("--dry-run", is_flag=True, help="Show the change as a diff; write nothing.")
@data_option
@handle_errors
def extract_apply(sheet, accept_all, dry_run, data_dir):
    """Add the accepted rows of a review SHEET (and the new actors they need) to the data.

    Validated as a whole, written atomically under the data folder's lock, like 'edge add'.
    A row flagged duplicate is added only when its accept cell says yes.

    \b
    Example:
      actorgraph extract apply review.csv --data data
      actorgraph extract apply review.csv --all --dry-run
    """
    from graph.store.edit import apply_edit, diff
    from graph.text.review import apply_review, chosen_rows, read_review

    if not sheet.is_file():
        raise ActorgraphError(f"{sheet}: no such file")
    rows = chosen_rows(read_review(sheet.read_bytes(), str(sheet)), str(sheet), accept_all)
    if not rows:
        click.echo(f"{sheet}: no accepted rows (mark them yes in the accept column); nothing written", err=True)
        return
    change = apply_edit(data_dir, apply_review(rows, str(sheet)), dry_run=dry_run)
    if dry_run:
        click.echo(diff(change), nl=False)
    for message in change.messages:
        click.echo(message, err=True)


@cli.command("init")
@click.argument("folder", type=click.Path(path_type=Path))
@handle_errors
def init(folder):
    """Create an empty data FOLDER for a new crisis: nodes.csv and edges.csv with their headers and
    the bundled vocabulary of action types as edge_types.csv. Other commands then read it with
    --data FOLDER.

    \b
    Example:
      actorgraph init crisis
      actorgraph extract article.txt --date 2025-07-05 --data crisis -o review.csv
    """
    from graph.store.new_folder import init_folder
    from graph.text.vocabulary import bundled_vocabulary

    names = init_folder(folder, bundled_vocabulary())
    click.echo(f"created {folder}: {', '.join(names)}", err=True)
