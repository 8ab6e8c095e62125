"""``actorgraph node|edge|type ...``: edit the data files safely (see ``graph.store.edit``).

Every command validates the data before and after the change, writes nothing when either fails,
writes each file atomically under the data folder's lock, and keeps every untouched byte. Messages
go to stderr; ``--dry-run`` prints the change as a unified diff on stdout and writes nothing.
"""

from __future__ import annotations

import click

from graph.store import edit as lib
from graph.cli import cli
from graph.cli.common import data_option, handle_errors
from graph.errors import ActorgraphError
from graph.store.dataset import EDGES_FILE, KINDS, NODES_FILE, OPTIONAL, POLARITIES, REQUIRED, TYPES_FILE


def edit_options(command):
    """``--data``, ``--dry-run`` and ``--lock-timeout``, shared by every edit command."""
    command = click.option("--lock-timeout", type=click.FloatRange(min=0), default=10.0, show_default=True,
                           metavar="SECONDS", help="How long to wait for another writer to finish.")(command)
    command = click.option("--dry-run", is_flag=True,
                           help="Print the change as a unified diff and write nothing.")(command)
    return data_option(command)


def column_option(command):
    return click.option("--column", "columns", multiple=True, metavar="NAME=VALUE",
                        help="Set any column, extra columns included (repeatable).")(command)


def _columns(pairs) -> dict[str, str]:
    values = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"'{pair}' is not NAME=VALUE", param_hint="--column")
        values[name.strip()] = value
    return values


def _given(**options) -> dict[str, str]:
    """The options the user gave (None means not given; "" clears a column)."""
    return {k: v for k, v in options.items() if v is not None}


def _values(pairs, file: str, **options) -> dict[str, str]:
    """--column NAME=VALUE pairs (extra columns only) together with the options the user gave."""
    extra = _columns(pairs)
    own = [name for name in extra if name in REQUIRED[file] + OPTIONAL[file]]
    if own == ["id"]:
        raise ActorgraphError("--column id=...: use 'actorgraph node rename OLD NEW' to change an id")
    if own:
        raise ActorgraphError(f"--column {own[0]}=...: '{own[0]}' has its own option or argument; "
                              "--column is for extra columns")
    return {**extra, **_given(**options)}


def _run(data_dir, dry_run, lock_timeout, compute) -> None:
    change = lib.apply_edit(data_dir, compute, dry_run=dry_run, lock_timeout=lock_timeout)
    if dry_run:
        click.echo(lib.diff(change), nl=False)
    for message in change.messages:
        click.echo(("dry run, not written: " if dry_run and change.files else "") + message, err=True)


# nodes -------------------------------------------------------------------------------------------
@cli.group()
def node():
    """Add, change, rename or remove actors (rows of nodes.csv)."""


@node.command("add")
@click.argument("node_id", metavar="ID")
@click.option("--label", required=True, help="Display name.")
@click.option("--kind", required=True, type=click.Choice(KINDS, case_sensitive=False), help="Kind of actor.")
@click.option("--affiliation", help="Id of the actor this one belongs to or speaks for.")
@click.option("--aliases", help="Other names, ';'-separated.")
@click.option("--description", help="One or two sentences.")
@column_option
@edit_options
@handle_errors
def node_add(node_id, label, kind, affiliation, aliases, description, columns, data_dir, dry_run, lock_timeout):
    """Add an actor as a new row at the end of nodes.csv.

    \b
    Example:
      actorgraph node add lavrov --label "Sergey Lavrov" --kind official --affiliation russia
    """
    values = _values(columns, NODES_FILE, label=label, kind=kind.lower(), affiliation=affiliation,
                                            aliases=aliases, description=description)
    _run(data_dir, dry_run, lock_timeout, lambda raw: lib.node_add(raw, node_id, values))


@node.command("set")
@click.argument("node_id", metavar="ID")
@click.option("--label", help="Display name.")
@click.option("--kind", type=click.Choice(KINDS, case_sensitive=False), help="Kind of actor.")
@click.option("--affiliation", help="Id of the actor this one belongs to ('' clears it).")
@click.option("--aliases", help="Other names, ';'-separated.")
@click.option("--description", help="One or two sentences.")
@column_option
@edit_options
@handle_errors
def node_set(node_id, label, kind, affiliation, aliases, description, columns, data_dir, dry_run, lock_timeout):
    """Change columns of one actor; only that row changes. Use 'node rename' to change an id.

    \b
    Example:
      actorgraph node set sputnik_az --description "Closed in 2025"
    """
    values = _values(columns, NODES_FILE, label=label, kind=kind and kind.lower(), affiliation=affiliation,
                                            aliases=aliases, description=description)
    _run(data_dir, dry_run, lock_timeout, lambda raw: lib.node_set(raw, node_id, values))


@node.command("rename")
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@edit_options
@handle_errors
def node_rename(old, new, data_dir, dry_run, lock_timeout):
    """Change an actor's id, and every edge source/target and affiliation that points at it.

    \b
    Example:
      actorgraph node rename sputnik_az sputnik_azerbaijan
    """
    _run(data_dir, dry_run, lock_timeout, lambda raw: lib.node_rename(raw, old, new))


@node.command("rm")
@click.argument("node_id", metavar="ID")
@click.option("--cascade", is_flag=True, help="Also remove the actor's edges and clear the affiliation of "
                                               "actors that belong to it.")
@edit_options
@handle_errors
def node_rm(node_id, cascade, data_dir, dry_run, lock_timeout):
    """Remove an actor. Refuses while edges or affiliations point at it, naming their lines.

    With --cascade, its edges are removed too and actors affiliated with it keep their rows with an
    empty affiliation.
    

    \b
    Example:
      actorgraph node rm sputnik_az --cascade --dry-run
    """
    _run(data_dir, dry_run, lock_timeout, lambda raw: lib.node_rm(raw, node_id, cascade))


# edges -------------------------------------------------------------------------------------------
@cli.group()
def edge():
    """Add or remove events (rows of edges.csv)."""


@edge.command("add")
@click.argument("source")
@click.argument("target")
@click.argument("type_", metavar="TYPE")
@click.option("--date", help="YYYY-MM-DD, YYYY-MM or YYYY.")
@click.option("--weight", help="Overrides the type's default weight for this event (-10..10).")
@click.option("--note", help="What happened, in a sentence.")
@click.option("--citation", help="Where it is reported (URL or reference).")
@column_option
@edit_options
@handle_errors
def edge_add(source, target, type_, date, weight, note, citation, columns, data_dir, dry_run, lock_timeout):
    """Add one event as a new row at the end of edges.csv.

    \b
    Example:
      actorgraph edge add russia azerbaijan accusation --date 2025-07 \\
        --citation https://example.org/article
    """
    values = _values(columns, EDGES_FILE, date=date, weight=weight, note=note, citation=citation)
    _run(data_dir, dry_run, lock_timeout, lambda raw: lib.edge_add(raw, source, target, type_, values))


@edge.command("rm")
@click.argument("source")
@click.argument("target")
@click.argument("type_", metavar="TYPE")
@click.option("--date", help="Only the row with this date.")
@click.option("--line", type=click.IntRange(min=1), help="Only the matching row on this line of edges.csv.")
@click.option("--all", "every", is_flag=True, help="Remove every matching row.")
@edit_options
@handle_errors
def edge_rm(source, target, type_, date, line, every, data_dir, dry_run, lock_timeout):
    """Remove the event row SOURCE -> TARGET of TYPE (and --date).

    Refuses when several rows match, listing their lines, unless --all (remove them all) or
    --line N (remove the one on line N).
    

    \b
    Example:
      actorgraph edge rm russia azerbaijan accusation --date 2025-07
    """
    _run(data_dir, dry_run, lock_timeout, lambda raw: lib.edge_rm(raw, source, target, type_, date, every, line))


# types -------------------------------------------------------------------------------------------
@cli.group("type")
def type_group():
    """Add, change or remove edge types (rows of edge_types.csv)."""


def _type_options(required: bool):
    def decorate(command):
        for option in reversed([
            click.option("--polarity", required=required, type=click.Choice(POLARITIES, case_sensitive=False),
                         help="hostile, cooperative or neutral."),
            click.option("--weight", required=required, help="Default weight, -10..10 (sign matches polarity)."),
            click.option("--directed", required=required, type=click.Choice(["true", "false"]),
                         help="Whether the action goes one way."),
            click.option("--label", help="Display name."),
            click.option("--cameo", help="CAMEO event code."),
            click.option("--keywords", help="';'-separated words that signal this action."),
        ]):
            command = option(command)
        return command
    return decorate


@type_group.command("add")
@click.argument("key", metavar="TYPE")
@_type_options(required=True)
@column_option
@edit_options
@handle_errors
def type_add(key, polarity, weight, directed, label, cameo, keywords, columns, data_dir, dry_run, lock_timeout):
    """Add an edge type to the vocabulary.

    \b
    Example:
      actorgraph type add deportation --polarity hostile --weight -6 --directed true
    """
    values = _values(columns, TYPES_FILE, polarity=polarity.lower(), weight=weight, directed=directed,
                                            label=label, cameo=cameo, keywords=keywords)
    _run(data_dir, dry_run, lock_timeout, lambda raw: lib.type_add(raw, key, values))


@type_group.command("set")
@click.argument("key", metavar="TYPE")
@_type_options(required=False)
@column_option
@edit_options
@handle_errors
def type_set(key, polarity, weight, directed, label, cameo, keywords, columns, data_dir, dry_run, lock_timeout):
    """Change columns of one edge type.

    \b
    Example:
      actorgraph type set arrest --weight -6
    """
    values = _values(columns, TYPES_FILE, polarity=polarity and polarity.lower(), weight=weight,
                                            directed=directed, label=label, cameo=cameo, keywords=keywords)
    _run(data_dir, dry_run, lock_timeout, lambda raw: lib.type_set(raw, key, values))


@type_group.command("rm")
@click.argument("key", metavar="TYPE")
@edit_options
@handle_errors
def type_rm(key, data_dir, dry_run, lock_timeout):
    """Remove an edge type. Refuses while edges use it, naming their lines.

    \b
    Example:
      actorgraph type rm deportation
    """
    _run(data_dir, dry_run, lock_timeout, lambda raw: lib.type_rm(raw, key))

