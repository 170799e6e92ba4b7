"""The options that say which code to load, shared by every command that loads pipelines.

    -f/--python-file FILE | -m/--module-name MODULE   where the code is
    -w/--workspace workspace.yaml                     or: the code locations a workspace lists
                                                      (./workspace.yaml when nothing is given)
    -a/--attribute ATTR                               a pipeline, a repository, or a function
                                                      returning either (default: every
                                                      pipeline and repository at module level)
    -d/--working-directory DIR                        put on sys.path before FILE's directory
    -l/--location NAME, -r/--repository NAME          only this location / repository
    -p/--pipeline NAME                                which pipeline, when there are several

A command decorated with ``@target_options()`` receives one ``target: CodeTarget``.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click

from headwater.definitions.pipeline import PipelineDefinition
from headwater.execution.code_pointer import PipelineCatalog, load_catalog
from headwater.execution.reconstruct import ReconstructablePipeline
from headwater.workspace.config import DEFAULT_WORKSPACE_FILE

if TYPE_CHECKING:
    from headwater.workspace import Workspace


@dataclass(frozen=True)
class CodeTarget:
    """The code a command was pointed at.

    Attributes:
        python_file: The -f file, as given.
        module_name: The -m module.
        attribute: The -a attribute.
        working_directory: The -d directory.
        pipeline_name: The -p pipeline name.
        workspace_file: The -w workspace file.
        location / repository: The -l location and -r repository names.
    """

    python_file: str | None = None
    module_name: str | None = None
    attribute: str | None = None
    working_directory: str | None = None
    pipeline_name: str | None = None
    workspace_file: str | None = None
    location: str | None = None
    repository: str | None = None

    @functools.cached_property
    def loaded_workspace(self) -> Workspace:
        """The code as a workspace: the -w file's locations, or the one location of -f/-m
        (named after the file or module). A location that does not load keeps its error.

        Raises:
            HeadwaterCodeLoadError: the workspace file is missing or not YAML.
            HeadwaterInvalidConfigError: the workspace file does not match its schema.
        """
        from headwater.workspace import LocationSpec, Workspace

        if self.workspace_file is not None:
            return Workspace.from_file(self.workspace_file)
        pointer = self.pointer()
        return Workspace.from_specs([LocationSpec(
            name=(os.path.basename(self.python_file) if self.python_file is not None
                  else str(self.module_name)),
            python_file=pointer.get("python_file"), module_name=pointer.get("module"),
            attribute=self.attribute, working_directory=pointer.get("working_directory"))])

    @property
    def workspace(self) -> Workspace:
        """:attr:`loaded_workspace`, every location of which loaded.

        Raises:
            HeadwaterCodeLoadError: a location does not load (the first, with its
                traceback), or as :attr:`loaded_workspace`.
        """
        self.loaded_workspace.raise_errors()
        return self.loaded_workspace

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
        if self.workspace_file is not None or self.location or self.repository:
            return self.workspace.pipeline_catalog(self.location, self.repository)
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
        if self.workspace_file is not None or self.location or self.repository:
            loaded, name = self.workspace.find_pipeline(self.pipeline_name, self.location,
                                                        self.repository)
            return loaded.reconstructable_pipeline(name)
        definition: PipelineDefinition = self.catalog().get_pipeline(self.pipeline_name)
        return ReconstructablePipeline(self.pointer(definition.name), build=lambda: definition)


def target_options(pipeline_name: bool = True,
                   required: bool = True) -> Callable[[Callable[..., Any]], Any]:
    """Add the target options to a command, which then receives ``target: CodeTarget``.

    Args:
        pipeline_name: Whether the command takes ``-p/--pipeline`` (commands about one
            pipeline do; ``pipeline list`` does not).
        required: Whether the command needs code; when it does not, it receives
            ``target=None`` if given none (and there is no ./workspace.yaml).
    """

    def decorate(command: Callable[..., Any]) -> Any:
        @functools.wraps(command)
        def with_target(*args: Any, python_file: str | None, module_name: str | None,
                        workspace: str | None, attribute: str | None,
                        working_directory: str | None, location: str | None,
                        repository: str | None, pipeline: str | None = None,
                        **kwargs: Any) -> Any:
            if not required and python_file is None and module_name is None and \
                    workspace is None and not os.path.isfile(DEFAULT_WORKSPACE_FILE):
                return command(*args, target=None, **kwargs)
            workspace = _check_target(python_file, module_name, workspace, attribute,
                                      working_directory)
            target = CodeTarget(python_file, module_name, attribute, working_directory,
                                pipeline, workspace, location, repository)
            return command(*args, target=target, **kwargs)

        options = [
            click.option("-f", "--python-file", type=click.Path(dir_okay=False),
                         help="A Python file defining the pipeline (its directory goes on "
                              "sys.path, as when running it)."),
            click.option("-m", "--module-name", metavar="MODULE",
                         help="An importable module defining the pipeline (the current "
                              "directory is searched first)."),
            click.option("-w", "--workspace", type=click.Path(dir_okay=False),
                         metavar="WORKSPACE_YAML",
                         help="A workspace file listing code locations (default: "
                              "./workspace.yaml, when there is one and no -f/-m is given)."),
            click.option("-a", "--attribute", metavar="ATTR",
                         help="The attribute holding a pipeline, a repository, or a function "
                              "returning either. Default: every pipeline and repository "
                              "defined at module level."),
            click.option("-d", "--working-directory", type=click.Path(file_okay=False),
                         metavar="DIR",
                         help="A directory put on sys.path ahead of the file's own (with -f "
                              "only)."),
            click.option("-l", "--location", metavar="NAME",
                         help="Only the code location of this name (a workspace's "
                              "location_name; a file's or module's name)."),
            click.option("-r", "--repository", metavar="NAME",
                         help="Only the repository of this name."),
        ]
        if pipeline_name:
            options.append(click.option(
                "-p", "--pipeline", metavar="NAME",
                help="The pipeline to use when the code defines several."))
        for option in reversed(options):
            with_target = option(with_target)
        return with_target

    return decorate


def _check_target(python_file: str | None, module_name: str | None, workspace: str | None,
                  attribute: str | None, working_directory: str | None) -> str | None:
    """The workspace file to use (None for -f/-m), after checking the options go together."""
    if python_file is not None and module_name is not None:
        raise click.UsageError("Give either -f/--python-file or -m/--module-name, not both.")
    if workspace is not None and (python_file is not None or module_name is not None):
        raise click.UsageError("Give either -w/--workspace or -f/-m, not both.")
    if workspace is not None and attribute is not None:
        raise click.UsageError(
            "-a/--attribute goes with -f/-m; in a workspace, give each location its "
            "attribute in the workspace file.")
    if python_file is None and module_name is None and workspace is None:
        if not os.path.isfile(DEFAULT_WORKSPACE_FILE):
            raise click.UsageError(
                "Say where the pipeline is: -f/--python-file FILE or -m/--module-name MODULE, "
                f"or -w/--workspace {DEFAULT_WORKSPACE_FILE} (used by default when the "
                "current directory has one).")
        workspace = DEFAULT_WORKSPACE_FILE
    if working_directory is not None and python_file is None:
        raise click.UsageError("-d/--working-directory goes with -f/--python-file only.")
    return workspace
