"""Modes and resources: one pipeline, two worlds.

The solids ask for a resource named ``store`` and do not care what it is; the mode chosen
for the run decides. In ``test`` mode the words go to a list in memory; in ``prod`` mode they
go to a SQLite file whose path is read from the environment (``StringSource``).

Run it in test mode (nothing is written anywhere):

    headwater pipeline execute -f examples/modes_and_resources.py --mode test

Run it in prod mode, writing to a SQLite file (run it twice: the count grows):

    WORDS_DB=/tmp/words.db headwater pipeline execute -f examples/modes_and_resources.py --mode prod

Without --mode the command stops and lists the modes: a pipeline with several modes never
guesses. The path can also be given in a run config file (``-c prod.yaml``):

    resources:
      store:
        config:
          path: /tmp/words.db     # or {env: SOME_OTHER_VARIABLE}
"""

import sqlite3

from headwater import Field, ModeDefinition, StringSource, pipeline, resource, solid


class InMemoryStore:
    """Words in a list: what tests want (fast, and gone when the run ends)."""

    def __init__(self) -> None:
        self.words: list[str] = []

    def save(self, words: list[str]) -> None:
        self.words.extend(words)

    def count(self) -> int:
        return len(self.words)


class SqliteStore:
    """Words in a table of a SQLite file: they outlive the run."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection
        connection.execute("CREATE TABLE IF NOT EXISTS words (word TEXT NOT NULL)")

    def save(self, words: list[str]) -> None:
        with self.connection:
            self.connection.executemany("INSERT INTO words (word) VALUES (?)",
                                        [(word,) for word in words])

    def count(self) -> int:
        return self.connection.execute("SELECT COUNT(*) FROM words").fetchone()[0]


@resource(description="Keeps the words in memory.")
def in_memory_store(_init_context):
    return InMemoryStore()


@resource(
    config_schema={"path": Field(StringSource, default_value={"env": "WORDS_DB"},
                                 description="The SQLite file (default: $WORDS_DB).")},
    description="Keeps the words in a SQLite file.",
)
def sqlite_store(init_context):
    # A generator resource: the code after the yield closes the file when the run ends.
    connection = sqlite3.connect(init_context.resource_config["path"])
    try:
        yield SqliteStore(connection)
    finally:
        connection.close()


@solid(config_schema={"text": Field(str, default_value="the quick brown fox jumps over "
                                                       "the lazy dog")})
def split_words(context) -> list[str]:
    """Split the configured text into words."""
    return context.solid_config["text"].split()


@solid(required_resource_keys={"store"})
def save_words(context, words: list[str]) -> int:
    """Save the words to the store and report how many it holds."""
    context.resources.store.save(words)
    total = context.resources.store.count()
    context.log.info(f"Saved {len(words)} words; the store now holds {total}.")
    return total


@pipeline(mode_defs=[
    ModeDefinition("test", resource_defs={"store": in_memory_store},
                   description="Words in memory."),
    ModeDefinition("prod", resource_defs={"store": sqlite_store},
                   description="Words in the SQLite file $WORDS_DB."),
])
def store_words():
    """Split a sentence into words and store them."""
    save_words(split_words())
