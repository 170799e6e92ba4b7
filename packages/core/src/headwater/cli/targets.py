"""The options that say which code to load, shared by every command that loads pipelines.

    -f/--python-file FILE | -m/--module-name MODULE   where the code is
    -a/--attribute ATTR                               a pipeline, a repository, or a function
                                                      returning either (default: every
                                                      pipeline and repository at module level)
    -d/--working-directory DIR                        put on sys.path before FILE's directory
    -p/--pipeline NAME                                which pipeline, when there are several

A command decorated with ``@target_options()`` receives one ``target: CodeTarget``.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import click

from headwater.definitions.pipeline import PipelineDefinition
from headwater.execution.code_pointer import PipelineCatalog, load_catalog
from headwater.execution.reconstruct import ReconstructablePipeline


@dataclass(frozen=True)
class CodeTarget:
    """The code a command was pointed at.

    Attributes:
        python_file: The -f file, as given.
        module_name: The -m module.
        attribute: The -a attribute.
        working_directory: The -d directory.
        pipeline_name: The -p pipeline name.
    """

    python_file: str | None = None
    module_name: str | None = None
    attribute: str | None = None
    working_directory: str | None = None
    pipeline_name: str | None = None

    def pointer(self, pipeline_name: str | None = None) -> dict[str, Any]:
        """The pointer another process can load the code from (absolute paths)."""
        pointer: dict[str, Any] = {}
        if self.python_file is not None:
            pointer["python_file"] = os.path.abspath(self.python_file)
        else:
            pointer["module"] = self.module_name
        if self.attribute is not None:
            pointer["attribute"] = self.attribute
        if pipeline_name is not None:
            pointer["pipeline_name"] = pipeline_name
        if self.working_directory is not None:
            pointer["working_directory"] = os.path.abspath(self.working_directory)
        return pointer

    def catalog(self) -> PipelineCatalog:
        """Every pipeline the code offers, by name (built when asked for).

        Raises:
            HeadwaterCodeLoadError: the code does not load.
        """
        pointer = self.pointer()
        # Name the file as the user wrote it in messages, not by its absolute path.
        if self.python_file is not None:
            pointer["python_file"] = self.python_file
        return load_catalog(pointer)

    def load_pipeline(self) -> ReconstructablePipeline:
        """The one pipeline meant (``-p``, or the only one there is), with its pointer.

        Raises:
            HeadwaterCodeLoadError: the code does not load, or no single pipeline matches.
        """
        definition: PipelineDefinition = self.catalog().get_pipeline(self.pipeline_name)
        return ReconstructablePipeline(self.pointer(definition.name), build=lambda: definition)


def target_options(pipeline_name: bool = True) -> Callable[[Callable[..., Any]], Any]:
    """Add the target options to a command, which then receives ``target: CodeTarget``.

    Args:
        pipeline_name: Whether the command takes ``-p/--pipeline`` (commands about one
            pipeline do; ``pipeline list`` does not).
    """

    def decorate(command: Callable[..., Any]) -> Any:
        @functools.wraps(command)
        def with_target(*args: Any, python_file: str | None, module_name: str | None,
                        attribute: str | None, working_directory: str | None,
                        pipeline: str | None = None, **kwargs: Any) -> Any:
            _check_target(python_file, module_name, working_directory)
            target = CodeTarget(python_file, module_name, attribute, working_directory,
                                pipeline)
            return command(*args, target=target, **kwargs)

        options = [
            click.option("-f", "--python-file", type=click.Path(dir_okay=False),
                         help="A Python file defining the pipeline (its directory goes on "
                              "sys.path, as when running it)."),
            click.option("-m", "--module-name", metavar="MODULE",
                         help="An importable module defining the pipeline (the current "
                              "directory is searched first)."),
            click.option("-a", "--attribute", metavar="ATTR",
                         help="The attribute holding a pipeline, a repository, or a function "
                              "returning either. Default: every pipeline and repository "
                              "defined at module level."),
            click.option("-d", "--working-directory", type=click.Path(file_okay=False),
                         metavar="DIR",
                         help="A directory put on sys.path ahead of the file's own (with -f "
                              "only)."),
        ]
        if pipeline_name:
            options.append(click.option(
                "-p", "--pipeline", metavar="NAME",
                help="The pipeline to use when the code defines several."))
        for option in reversed(options):
            with_target = option(with_target)
        return with_target

    return decorate


def _check_target(python_file: str | None, module_name: str | None,
                  working_directory: str | None) -> None:
    if python_file is not None and module_name is not None:
        raise click.UsageError("Give either -f/--python-file or -m/--module-name, not both.")
    if python_file is None and module_name is None:
        raise click.UsageError(
            "Say where the pipeline is: -f/--python-file FILE or -m/--module-name MODULE.")
    if working_directory is not None and python_file is None:
        raise click.UsageError("-d/--working-directory goes with -f/--python-file only.")
