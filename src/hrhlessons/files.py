"""Writing files so that a reader never sees half of one.

Every command that replaces a file the user keeps (the country indicator table, the fact-check
log, a JSON or CSV export) writes through :func:`write_atomic`.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8, newlines as given) to ``path`` in one rename.

    The text goes to a temporary file beside ``path``, which then replaces it: an interrupted or
    failed write leaves the old file whole and no temporary file behind.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
