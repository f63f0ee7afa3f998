"""Checks made on a file's bytes before any parser sees them.

A server shared by a whole company must not be brought down by one file: a zip
bomb, XML with entity declarations ("billion laughs", external entities), a
file far larger than any survey, or a table too big to hold. Each check looks
only at cheap facts — the byte count, the zip directory's declared sizes, the
first bytes of each XML part — so refusing costs almost nothing and memory
stays bounded while refusing.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lib.errors import UnreadableFileError
from lib.i18n import msg


@dataclass(frozen=True)
class Limits:
    """Size limits for one uploaded file (defaults fit a workbook at Excel's row limit)."""

    max_bytes: int = 300 * 1024**2          # the file itself
    max_uncompressed: int = 2 * 1024**3     # all parts of a workbook, as declared in its zip directory
    max_ratio: float = 200.0                # declared size / compressed size of one part above 64 MB
    max_rows: int = 1_100_000               # response rows (Excel stops at 1,048,576)
    max_columns: int = 1_000                # columns with a header or a value


DEFAULT_LIMITS = Limits()
_ENTITY = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)


def _mb(n: float) -> str:
    return f"{n / 1024**2:,.0f} MB"


def head_bytes(data: bytes | Path, n: int) -> bytes:
    """The first ``n`` bytes of a file given as bytes or as a path."""
    if isinstance(data, Path):
        with data.open("rb") as fh:
            return fh.read(n)
    return bytes(data[:n])


def check_bytes(data: bytes | Path, filename: str, limits: Limits | None = None) -> None:
    """Refuse a file (bytes or a path) that is too large, or a workbook package that is hostile."""
    limits = limits or DEFAULT_LIMITS
    size = data.stat().st_size if isinstance(data, Path) else len(data)
    if size > limits.max_bytes:
        raise UnreadableFileError(msg("“{name}” is {size}, more than the {limit} allowed; export fewer responses or "
                                      "split the file.", name=filename, size=_mb(size), limit=_mb(limits.max_bytes)))
    head = head_bytes(data, 4)
    if head == b"PK\x03\x04":
        check_zip(data, filename, limits)


def check_zip(data: bytes | Path, filename: str, limits: Limits | None = None) -> None:
    """Zip bombs by the declared sizes; XML parts that declare entities or a DOCTYPE."""
    limits = limits or DEFAULT_LIMITS
    try:
        archive = zipfile.ZipFile(data if isinstance(data, Path) else io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return  # damaged: the workbook reader gives the message
    total = sum(i.file_size for i in infos)
    if total > limits.max_uncompressed:
        raise UnreadableFileError(msg("“{name}” would expand to {size} when opened, more than the {limit} allowed; "
                                      "it may be a zip bomb, or export fewer responses.", name=filename,
                                      size=_mb(total), limit=_mb(limits.max_uncompressed)))
    for info in infos:
        if info.file_size > 64 * 1024**2 and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise UnreadableFileError(msg("“{name}” expands {ratio:,.0f} times when opened, far more than any real "
                                          "spreadsheet; it was refused as a possible zip bomb.", name=filename,
                                          ratio=info.file_size / max(info.compress_size, 1)))
    for info in infos:
        if not info.filename.endswith((".xml", ".rels", ".vml")) or info.file_size == 0:
            continue
        try:
            with archive.open(info) as part:
                head = part.read(4096)
        except Exception:  # an unreadable part: the workbook reader gives the message
            return
        if _ENTITY.search(head):
            raise UnreadableFileError(msg("“{name}” contains XML entity declarations, which spreadsheets never need; "
                                          "it was refused for safety. Save it again from Excel.", name=filename))


def check_shape(rows: int, columns: int, filename: str, limits: Limits | None = None) -> None:
    """Refuse a table too large to summarise within the server's memory."""
    limits = limits or DEFAULT_LIMITS
    if rows > limits.max_rows:
        raise UnreadableFileError(msg("“{name}” has {rows:,} rows, more than the {limit:,} allowed; filter the export "
                                      "to a shorter period.", name=filename, rows=rows, limit=limits.max_rows))
    if columns > limits.max_columns:
        raise UnreadableFileError(msg("“{name}” has {columns:,} columns, more than the {limit:,} a survey export needs; "
                                      "delete the unused columns and try again.", name=filename, columns=columns,
                                      limit=limits.max_columns))
