"""A composite solid with a config mapping: a small config outside, the details inside.

``clean_words`` is a composite of two solids. Its users configure one switch
(``strict``); its ``config_fn`` turns that into the config of each child, which they never
have to know about.

Run it (the composite's default config), then strictly:

    headwater pipeline execute -f examples/composite_config_mapping.py
    headwater pipeline execute -f examples/composite_config_mapping.py -c strict.yaml

    # strict.yaml
    solids:
      clean_words:
        config:
          strict: true

See how the children are wired and configured:

    headwater pipeline print -f examples/composite_config_mapping.py --verbose
"""

from headwater import Field, composite_solid, pipeline, solid


@solid(config_schema={"sentence": Field(
    str, default_value="An Orchestrator is a Tool to Run Data Pipelines on a Schedule")})
def read_words(context) -> list[str]:
    """The words of the configured sentence."""
    return context.solid_config["sentence"].split()


@solid(config_schema={"lowercase": bool})
def normalize(context, words: list[str]) -> list[str]:
    """Lowercase the words, if configured."""
    return [word.lower() for word in words] if context.solid_config["lowercase"] else words


@solid(config_schema={"min_length": int})
def drop_short_words(context, words: list[str]) -> list[str]:
    """Keep words of at least ``min_length`` letters."""
    kept = [word for word in words if len(word) >= context.solid_config["min_length"]]
    context.log.info(f"Kept {len(kept)} of {len(words)} words.")
    return kept


def _children_config(config: dict) -> dict:
    """The composite's config (``strict``) as its children's config."""
    return {
        "normalize": {"config": {"lowercase": True}},
        "drop_short_words": {"config": {"min_length": 5 if config["strict"] else 3}},
    }


@composite_solid(config_schema={"strict": Field(bool, default_value=False,
                                                description="Drop more words.")},
                 config_fn=_children_config)
def clean_words(words: list[str]) -> list[str]:
    """Normalize the words and drop the short ones."""
    return drop_short_words(normalize(words))


@solid
def report(context, words: list[str]) -> str:
    """Log what is left."""
    line = " ".join(words)
    context.log.info(f"Clean words: {line}")
    return line


@pipeline
def word_cleaning():
    """Read words, clean them through a configured composite, report."""
    report(clean_words(read_words()))
