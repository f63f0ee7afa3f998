"""Rewriting a zip package (a workbook, a presentation) part by part."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable


def rewrite(data: bytes, edit: Callable[[str, bytes], bytes],
            date_time: tuple[int, int, int, int, int, int] | None = None) -> bytes:
    """The same package with each part passed through ``edit(name, body)``; every entry dated ``date_time`` when
    given (so the bytes are reproducible), else as it was."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=date_time or info.date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            dst.writestr(entry, edit(info.filename, src.read(info.filename)))
    return out.getvalue()
