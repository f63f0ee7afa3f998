"""The heavier modules a later page needs, imported once per server process at the end of its first script run, so
that no page switch of a user waits for an import (scikit-learn alone takes about a second)."""

from __future__ import annotations

import importlib
import logging

log = logging.getLogger(__name__)

#: Imported in this order; each is what a page or a download imports when first used.
MODULES = ("lib.present.charts", "scipy.special", "sklearn.feature_extraction.text", "sklearn.decomposition",
           "lib.deck.files", "lib.deck.slides")
_done = False


def imports() -> None:
    """Import :data:`MODULES` the first time this is called in the process; later calls do nothing."""
    global _done
    if _done:
        return
    _done = True
    for name in MODULES:
        try:
            importlib.import_module(name)
        except Exception:  # a module that cannot be imported here fails again, with its message, where it is used
            log.debug("could not import %s ahead", name, exc_info=True)
