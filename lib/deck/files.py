"""The deck's files: one deck as PowerPoint or PDF bytes, and a zip with a deck per department."""

from __future__ import annotations

import io
import zipfile
from typing import TYPE_CHECKING

from lib.deck.slides import Deck, per_department
from lib.i18n import _

if TYPE_CHECKING:
    from lib.figures.summary import Summary


def render(deck: Deck, fmt: str, template: bytes | None = None) -> bytes:
    """The deck as ``pptx`` or ``pdf`` bytes."""
    if fmt == "pdf":
        from lib.deck.pdf import pdf_bytes

        return pdf_bytes(deck)
    from lib.deck.pptx import pptx_bytes

    return pptx_bytes(deck, template)


def bundle(s: Summary, fmt: str, organisation: str = "", period: str | None = None,
           template: bytes | None = None) -> bytes:
    """A zip with the organisation's deck, one deck per department that may have one, and a note naming the
    departments left out and why."""
    org, decks, left_out = per_department(s, organisation, period)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(f"{org.name}.{fmt}", render(org, fmt, template))
        for deck in decks.values():
            z.writestr(f"{safe_name(deck.name)}.{fmt}", render(deck, fmt, template))
        if left_out:
            z.writestr(_("no-deck.txt"), _("These departments get no deck of their own, because their employee "
                                          "figures are hidden to protect anonymity (fewer than {k} responses, or "
                                          "pooled with such a group): {names}.").format(
                k=s.settings.min_group, names=", ".join(left_out)) + "\n")
    return buf.getvalue()


def safe_name(name: str) -> str:
    """A file name without the characters file systems refuse."""
    return "".join("-" if c in '\\/:*?"<>|' else c for c in name).strip() or "deck"
