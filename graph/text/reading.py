"""Reading article files: plain UTF-8 text only, with one clear error line for anything else."""

from __future__ import annotations

from graph.errors import ActorgraphError
from graph.text.extract import Source

MAX_BYTES = 10 * 1024 * 1024  # far above any article (600 words is ~4 KB); a bigger file is not one


def read_article(name: str, raw: bytes, size: int | None = None) -> Source:
    """The article in ``raw`` bytes, or ActorgraphError: too large, binary, not UTF-8, or empty.

    ``size`` is the file's size when ``raw`` holds only its start (a file too large to read whole).
    """
    size = len(raw) if size is None else size
    if size > MAX_BYTES:
        raise ActorgraphError(f"{name}: too large for an article ({size / 1e6:.1f} MB; the limit is "
                              f"{MAX_BYTES / 1e6:.0f} MB); split it into articles")
    if b"\x00" in raw[:65536]:
        raise ActorgraphError(f"{name}: a binary file, not plain text; give the article as a .txt file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ActorgraphError(f"{name}:{line}: not valid UTF-8 (byte 0x{raw[exc.start]:02x} at column {column}); "
                              "save the article as UTF-8 text") from None
    if not text.strip():
        raise ActorgraphError(f"{name}: empty; nothing to read")
    return Source(name, text.replace("\r\n", "\n").replace("\r", "\n"))
