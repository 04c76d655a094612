"""Alembic environment shared by every service: connection and metadata come from migrate()."""

from alembic import context

config = context.config
context.configure(
    connection=config.attributes["connection"],
    target_metadata=config.attributes["target_metadata"],
    # SQLite alters tables by copying them; batch mode lets one migration serve both databases.
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
