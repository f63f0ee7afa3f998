"""Alembic's environment for the snapshot store: run on the connection :meth:`lib.publish.store.Store.migrate` gives."""

from __future__ import annotations

from alembic import context


def run() -> None:
    connection = context.config.attributes["connection"]
    context.configure(connection=connection, target_metadata=None, render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


if getattr(context, "config", None) is not None:  # run by Alembic; imported by a test collector, nothing to do
    run()
