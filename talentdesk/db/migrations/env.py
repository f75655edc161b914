"""Alembic environment: the engine comes from talentdesk.db.migrate, never from an ini file."""

from __future__ import annotations

from alembic import context

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
    context.run_migrations()
