"""Stage 4, privacy: the release gate. Every employee number and text that reaches a person is decided here."""
