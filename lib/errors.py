"""The project's exceptions, all in one place.

Every error a person can fix derives from :class:`SurveyError`. Its ``str()`` is one
translated sentence that says what is wrong and what to do; the app shows it as a
message and the command line prints it and exits with status 2. Anything else that
escapes is a bug in this project, not in the user's file.
"""

from __future__ import annotations

from lib.i18n import Msg


class SurveyError(Exception):
    """Input the user can fix. ``message`` is translated when shown, not when raised."""

    def __init__(self, message: Msg) -> None:
        super().__init__(message.msgid)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)

    def __reduce__(self):  # keep the Msg when pickled (worker processes, caches)
        return (type(self), (self.message,))


class UnreadableFileError(SurveyError):
    """The bytes are not a spreadsheet or text table we can read."""


class EmptyFileError(SurveyError):
    """The file, or every sheet in it, holds no data."""


class NoResponsesError(SurveyError):
    """A table was found but it has no response rows, or no column we can use."""


class ColumnError(SurveyError):
    """A column named by the user does not exist, or a needed column is missing."""


class OptionError(SurveyError):
    """A setting is out of range or malformed (a date, a threshold, a mapping)."""


class LayoutNotSliceable(Exception):
    """Internal: a worksheet's XML is laid out in a way :mod:`lib.read.xlsx_slices` does not slice; it is read whole instead.

    Never reaches a user: :mod:`lib.read.table` catches it and takes the whole-sheet path.
    """
