"""Partial dates: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, each read as the span of days it covers.

An event dated ``2025-07`` happened on some day from 2025-07-01 to 2025-07-31; ``2020`` on some day of
2020. Window bounds given as partial dates stretch the same way: ``--since 2025-07`` starts on
2025-07-01 and ``--until 2025-07`` ends on 2025-07-31. An event falls inside a window when its span
overlaps the window (see ``graph.view.select``).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pandas as pd

DATE_PATTERN = r"[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?"  # ASCII digits only: \d admits other scripts
_DATE_RE = re.compile(DATE_PATTERN)
DATE_FORMAT_HINT = "use YYYY-MM-DD, YYYY-MM or YYYY"


def parse_span(text: str) -> tuple[date, date]:
    """Return the first and last day covered by a partial date.

    Raises ``ValueError`` with a readable reason when the text is not a valid partial date.

    >>> parse_span("2025-07")
    (datetime.date(2025, 7, 1), datetime.date(2025, 7, 31))
    >>> parse_span("2024")
    (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))
    """
    text = text.strip()
    if not _DATE_RE.fullmatch(text):
        raise ValueError(f"malformed date '{text}' ({DATE_FORMAT_HINT})")
    parts = [int(p) for p in text.split("-")]
    try:
        if len(parts) == 1:
            return date(parts[0], 1, 1), date(parts[0], 12, 31)
        if len(parts) == 2:
            first = date(parts[0], parts[1], 1)
            nxt = date(parts[0] + (parts[1] == 12), parts[1] % 12 + 1, 1)
            return first, nxt - timedelta(days=1)
        day = date(*parts)
        return day, day
    except ValueError:
        raise ValueError(f"impossible date '{text}' ({DATE_FORMAT_HINT})") from None


def spans(texts: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Vectorised ``parse_span`` over a column of date strings.

    Returns ``(start, end, bad)``: ``start``/``end`` are datetime64 columns (NaT where the text is empty
    or bad) and ``bad`` is a boolean column marking non-empty texts that are not valid partial dates.
    """
    texts = texts.fillna("").astype(str).str.strip()
    empty = texts == ""
    well_formed = texts.str.fullmatch(DATE_PATTERN)
    length = texts.str.len()
    year = texts.str.slice(0, 4)
    month = texts.str.slice(5, 7).where(length >= 7, "01")
    day = texts.str.slice(8, 10).where(length >= 10, "01")
    iso = (year + "-" + month + "-" + day).where(well_formed & ~empty)
    start = pd.to_datetime(iso, format="%Y-%m-%d", errors="coerce")
    bad = ~empty & start.isna()
    # A month or year span ends the day before the next month or year begins.
    end = start.copy()
    is_month = length == 7
    is_year = length == 4
    end[is_month] = start[is_month] + pd.offsets.MonthEnd(0)
    end[is_year] = start[is_year] + pd.offsets.YearEnd(0)
    return start, end, bad
