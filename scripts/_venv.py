"""Re-run the calling script with the project's .venv Python, so `scripts/NAME` works from any shell."""

import os
import sys
from pathlib import Path

VENV_PYTHON = Path(__file__).resolve().parents[1] / ".venv" / "bin" / "python"


def use_project_venv() -> None:
    """exec the current script under .venv/bin/python unless already running there (or no .venv yet)."""
    if VENV_PYTHON.exists() and Path(sys.prefix).resolve() != VENV_PYTHON.parents[1].resolve():
        os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), *sys.argv])
