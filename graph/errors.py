"""Named exceptions raised by the library; the CLI turns them into one-line messages."""

from __future__ import annotations

from dataclasses import dataclass


class ActorgraphError(Exception):
    """Base class for every error a user can cause (bad input, unknown id...)."""


@dataclass(frozen=True, order=True)
class Problem:
    """One problem found in a data file: ``FILE:LINE: message``.

    ``line`` is the 1-based physical line in the file, or 0 when the problem
    concerns the file as a whole (missing, unreadable).
    """

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


class DataError(ActorgraphError):
    """The data set is invalid; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        n = len(self.problems)
        super().__init__(f"{n} problem{'s' if n != 1 else ''} in the data")


class NotFound(ActorgraphError):
    """An id given on the command line names no actor or type."""
