"""A manager's deck from a published snapshot: what :func:`lib.present.published.present` shows of their view.

Every figure on a slide is a text of the snapshot view's presentation model, that is a sum over whole protection
groups that :mod:`lib.publish.views` released (for a manager, through :func:`lib.publish.views.view_as`: their
units and the organisation's total, nothing else).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from lib.deck.slides import (Deck, Number, Slide, comment_slides, headline, number_slides, statement_chart,
                             table_slides, text_slides)
from lib.i18n import LANGUAGES, _, format_date, get_language
from lib.present import model
from lib.present.published import present

if TYPE_CHECKING:
    from lib.present.published import SnapshotView


def deck(v: SnapshotView, total: SnapshotView | None = None, view_text: str = "", organisation: str = "") -> Deck:
    """The snapshot view as slides: title, big numbers (the view's, then the organisation's total), the headline
    table, the units, the statements, the comments the rule releases, and the method."""
    p = present(v, total)
    lines = [organisation, _("Snapshot: {name}").format(name=v.name), view_text,
             _("Language: {language}").format(language=LANGUAGES[get_language()]),
             _("Made {date}").format(date=format_date(dt.date.today()))]
    slides: list[Slide] = [Slide(_("Survey results"), tuple(x for x in lines if x), kind="title")]
    for group, title in (("customer", _("Our customers")), ("employee", _("Our employees")),
                         ("organisation", _("The whole organisation"))):
        slides += number_slides(title, [Number(f.label, f.value, tuple(x for x in (
            f"{_('95% interval')} {f.interval}" if f.interval else "", f"n = {f.n}" if f.n else "") if x))
            for f in p.figures if f.group == group])
    slides += headline(p)
    units = p.table("units")
    if units is not None and not units.empty:
        slides += table_slides(_("Units"), units, _("Hidden cells protect small groups; see the method slide."))
    statements = p.table("statements")
    if statements is not None and not statements.empty:
        slides += statement_chart(statements)
    comments = p.table("comments")
    if comments is not None and not comments.empty:
        from lib.figures.themes import counted_masked

        slides += comment_slides([model.quote(t) + (f" (×{n})" if n > 1 else "")
                                  for t, n in counted_masked([r[0].text for r in comments.rows])])
    method = [
        _("NPS: % promoters (9–10) minus % detractors (0–6); 95% adjusted-Wald interval."),
        _("Anonymity: employee figures use only whole groups of at least {k} responses, so no two figures differ by "
          "fewer than {k} people; comments only for groups of at least {c}.").format(k=v.k, c=max(v.min_comments, v.k)),
        *p.notes,
    ]
    slides += text_slides(_("Method"), method)
    return Deck(_("survey-results"), tuple(slides))

