"""A deck per unit of a published snapshot: the deck each unit's manager gets, in one zip for a lead."""

from __future__ import annotations

import io
import zipfile

from lib.deck.files import render, safe_name
from lib.deck.published import deck
from lib.present.published import Choice, choice_text
from lib.publish.snapshot import Snapshot
from lib.publish.views import unit_names, view_as


def bundle(snapshot: Snapshot, choice: Choice, fmt: str, organisation: str = "") -> bytes:
    """A zip with a deck per unit of the view (the chosen departments, else every unit), each the deck that unit's
    manager gets (:func:`lib.publish.views.view_as` for a manager of that unit alone: the unit and the units below it,
    and the organisation's total), with the viewer's dates and segments."""
    buf = io.BytesIO()
    mine = Choice(None, None, None, choice.since, choice.until, choice.segments)
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        names = sorted(choice.departments, key=str.casefold) if choice.departments else unit_names(snapshot)
        for name in names:
            v, total = view_as(snapshot, mine, "manager", (name,))
            z.writestr(f"{safe_name(name)}.{fmt}", render(deck(v, total, choice_text(mine), organisation), fmt))
    return buf.getvalue()
