"""Event store, outbox, inbox and parking tables on SQLAlchemy 2 (PostgreSQL and SQLite)."""
