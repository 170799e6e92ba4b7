"""Runs migrations on the connection ``migrate.upgrade_to_head`` hands over.

The caller owns the transaction: the whole upgrade commits or rolls back as one.
"""

from alembic import context

from headwater.instance.storage.schema import metadata

context.configure(connection=context.config.attributes["connection"],
                  target_metadata=metadata)
with context.begin_transaction():
    context.run_migrations()
