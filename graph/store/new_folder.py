"""A new, empty data folder: the three files with their headers and a vocabulary of action types."""

from __future__ import annotations

from pathlib import Path

from graph.errors import ActorgraphError
from graph.store.dataset import EDGES_FILE, FILES, NODES_FILE, TYPES_FILE, validate_tables
from graph.store.safe_write import write_files

NODES_HEADER = b"id,label,kind,affiliation,aliases,description\n"
EDGES_HEADER = b"source,target,type,date,weight,note,citation\n"


def init_folder(folder: Path | str, vocabulary: bytes) -> list[str]:
    """Create ``folder`` with empty nodes.csv and edges.csv and ``vocabulary`` as edge_types.csv.

    Refuses a folder that already holds any of the three files. Returns the names written.
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise ActorgraphError(f"{folder} exists and is not a folder")
    present = [name for name in FILES if (folder / name).exists()]
    if present:
        raise ActorgraphError(f"{folder} already holds {', '.join(present)}; choose an empty or new folder")
    files = {NODES_FILE: NODES_HEADER, EDGES_FILE: EDGES_HEADER, TYPES_FILE: vocabulary}
    validate_tables(files, folder)  # the vocabulary must be valid before anything is written
    folder.mkdir(parents=True, exist_ok=True)
    write_files(folder, files)
    return list(files)
