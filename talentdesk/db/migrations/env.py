"""Alembic environment: the engine comes from talentdesk.db.migrate, never from an ini file."""

from __future__ import annotations

import warnings

from alembic import context
from sqlalchemy.exc import SAWarning

from talentdesk.db.migrations.env_options import include_object
from talentdesk.db.models import metadata

config = context.config
engine = config.attributes["engine"]


with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=include_object,
    )
    with warnings.catch_warnings():
        # SQLite's batch moves reflect the tables a rebuilt table refers to; SQLAlchemy cannot
        # reflect an index on an expression (the talents' search keys) and says so on the
        # screen of whoever opens an older database. No migration rebuilds a table with
        # such an index (their own migrations create and drop them by name).
        warnings.filterwarnings(
            "ignore", "Skipped unsupported reflection of expression-based index", SAWarning
        )
        context.run_migrations()
