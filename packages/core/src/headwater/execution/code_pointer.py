"""Loading pipelines from code: a Python file or module, an attribute of it, a pipeline name.

A *pointer* is a small dict that says where a pipeline lives, so that any process can load
it again::

    {"python_file": "/abs/path/pipelines.py", "attribute": "daily", "pipeline_name": "daily",
     "working_directory": "/abs/path"}
    {"module": "my_project.pipelines", "attribute": "repo", "pipeline_name": "daily"}

Only one of ``python_file`` and ``module`` is given; the other keys are optional. Without an
attribute, every pipeline and repository defined at module level is offered; an attribute
may name a pipeline, a repository, or a function (no arguments) returning either.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import os
import sys
import traceback
from collections.abc import Callable, Mapping
from types import ModuleType, TracebackType
from typing import TYPE_CHECKING, Any

from headwater.config.render import suggest
from headwater.definitions.pipeline import PipelineDefinition
from headwater.errors import HeadwaterCodeLoadError

if TYPE_CHECKING:
    from headwater.definitions.repository import RepositoryDefinition

POINTER_KEYS = ("python_file", "module", "attribute", "pipeline_name", "working_directory")

# Modules this process loaded from files: module name -> (absolute path, working directory).
# Such a module cannot be imported by name elsewhere, so pointers to it name its file.
_FILE_MODULES: dict[str, tuple[str, str | None]] = {}


def check_pointer(pointer: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``pointer`` with its None values dropped and its keys in a fixed order,
    after checking them.

    Raises:
        HeadwaterCodeLoadError: unknown keys, or not exactly one of python_file and module.
    """
    cleaned = {key: value for key, value in pointer.items() if value is not None}
    unknown = sorted(set(cleaned) - set(POINTER_KEYS))
    if unknown:
        raise HeadwaterCodeLoadError(
            f"A pipeline pointer has unknown keys {unknown}; it may have: {list(POINTER_KEYS)}.")
    if ("python_file" in cleaned) == ("module" in cleaned):
        raise HeadwaterCodeLoadError(
            f"A pipeline pointer needs exactly one of python_file and module, got {cleaned}.")
    if "working_directory" in cleaned and "python_file" not in cleaned:
        raise HeadwaterCodeLoadError(
            "A pipeline pointer may set working_directory only with python_file, got "
            f"{cleaned}.")
    return {key: cleaned[key] for key in POINTER_KEYS if key in cleaned}


# -- modules ---------------------------------------------------------------------------


def load_python_file(python_file: str, working_directory: str | None = None) -> ModuleType:
    """Import a Python file as a module, the way running it would.

    The file's directory (and ``working_directory``, ahead of it) go on ``sys.path`` so that
    the file's own imports work. The module is registered under the file's stem, unless
    that names a module imported from elsewhere, which is left alone. Loading the same file
    again returns the module already loaded.

    Raises:
        HeadwaterCodeLoadError: the file does not exist, or importing it raised (with the
            user's traceback).
    """
    path = os.path.abspath(python_file)
    if not os.path.isfile(path):
        raise HeadwaterCodeLoadError(
            f'The Python file "{python_file}" does not exist (looked for {path}).')
    _put_on_sys_path(os.path.dirname(path))
    if working_directory is not None:
        directory = os.path.abspath(working_directory)
        if not os.path.isdir(directory):
            raise HeadwaterCodeLoadError(
                f'The working directory "{working_directory}" does not exist.')
        _put_on_sys_path(directory)
    name = _module_name_for(path)
    existing = sys.modules.get(name)
    if existing is not None and _FILE_MODULES.get(name, ("",))[0] == path:
        return existing
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise HeadwaterCodeLoadError(
            f'"{python_file}" cannot be imported as Python code: use a file ending in .py.')
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as error:
        del sys.modules[name]
        _FILE_MODULES.pop(name, None)
        raise HeadwaterCodeLoadError(
            f'Could not load the Python file "{python_file}": importing it raised '
            f"{_one_line(error)}", user_traceback=_user_traceback(error)) from None
    _FILE_MODULES[name] = (path, os.path.abspath(working_directory)
                           if working_directory is not None else None)
    return module


def load_python_module(module_name: str) -> ModuleType:
    """Import a module by name; the current directory is searched first, as by ``python -m``.

    Raises:
        HeadwaterCodeLoadError: no such module, or importing it raised (with the user's
            traceback).
    """
    _put_on_sys_path(os.getcwd())
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name is not None and module_name.startswith(error.name) and \
                module_name[len(error.name):][:1] in ("", "."):
            raise HeadwaterCodeLoadError(
                f'No module named "{error.name}" (while importing "{module_name}"). Check the '
                "name, and that its package is installed or under the current directory."
            ) from None
        raise _module_raised(module_name, error) from None
    except Exception as error:
        raise _module_raised(module_name, error) from None


def load_module(pointer: Mapping[str, Any]) -> ModuleType:
    """The module a (checked) pointer names."""
    if "python_file" in pointer:
        return load_python_file(pointer["python_file"], pointer.get("working_directory"))
    return load_python_module(pointer["module"])


def file_module_origin(module_name: str) -> tuple[str, str | None] | None:
    """``(path, working directory)`` of a module this process loaded from a file, else None."""
    return _FILE_MODULES.get(module_name)


def _module_name_for(path: str) -> str:
    stem = os.path.splitext(os.path.basename(path))[0]
    existing = sys.modules.get(stem)
    if existing is None or stem in _FILE_MODULES:
        return stem
    # The stem names a module imported from elsewhere (e.g. a file called json.py): keep
    # that one and give this file a name of its own.
    return f"__headwater_file__{stem}_{abs(hash(path)):x}"


def _put_on_sys_path(directory: str) -> None:
    if directory not in sys.path:
        sys.path.insert(0, directory)


def _module_raised(module_name: str, error: Exception) -> HeadwaterCodeLoadError:
    return HeadwaterCodeLoadError(
        f'Could not import the module "{module_name}": importing it raised {_one_line(error)}',
        user_traceback=_user_traceback(error))


# -- what a module offers ----------------------------------------------------------------


class PipelineCatalog:
    """The pipelines a module (or one attribute of it) offers, by name.

    Pipelines given lazily (a repository's functions) are built only when asked for.

    Attributes:
        where: How the code was named, for messages (``"pipelines.py"``, ``module "x"``).
    """

    def __init__(self, where: str, entries: Mapping[str, Callable[[], PipelineDefinition]]
                 ) -> None:
        self.where = where
        self._entries = dict(entries)

    @property
    def pipeline_names(self) -> list[str]:
        return list(self._entries)

    def get_pipeline(self, name: str | None = None) -> PipelineDefinition:
        """The pipeline named ``name``; without a name, the only one there is.

        Raises:
            HeadwaterCodeLoadError: no pipeline, several and no name, or no such name.
        """
        if name is None:
            if len(self._entries) == 1:
                return next(iter(self._entries.values()))()
            if not self._entries:
                raise HeadwaterCodeLoadError(
                    f"No pipeline found in {self.where}. Define one at module level (with "
                    "@pipeline or PipelineDefinition), or name one with an attribute "
                    "(-a on the command line).")
            raise HeadwaterCodeLoadError(
                f"{_capitalized(self.where)} has several pipelines: "
                f"{', '.join(self._entries)}. Choose one by name (-p/--pipeline on the "
                "command line).")
        getter = self._entries.get(name)
        if getter is None:
            match = suggest(name, self._entries)
            hint = f' Did you mean "{match}"?' if match else ""
            raise HeadwaterCodeLoadError(
                f'There is no pipeline named "{name}" in {self.where}.{hint} Pipelines: '
                f"{', '.join(self._entries) or 'none'}.")
        return getter()

    def get_all_pipelines(self) -> list[PipelineDefinition]:
        return [getter() for getter in self._entries.values()]


def load_definitions(pointer: Mapping[str, Any]
                     ) -> list[tuple[str, PipelineDefinition | RepositoryDefinition]]:
    """The pipelines and repositories where ``pointer`` points, each with the module
    attribute that holds it (or the function that returned it): the pointer's attribute, or
    every pipeline and repository at module level.

    Raises:
        HeadwaterCodeLoadError: the code does not load, or the attribute is missing, is not
            a pipeline or a repository, or is a function that raised or returned neither.
    """
    pointer = check_pointer(pointer)
    module = load_module(pointer)
    attribute = pointer.get("attribute")
    if attribute is None:
        return [(name, value) for name, value in vars(module).items()
                if isinstance(value, _definition_types())]
    where = _where(pointer)
    value = _attribute_of(module, attribute, where)
    return [(attribute, _definition_of_value(value, f'attribute "{attribute}" of {where}')[0])]


def load_catalog(pointer: Mapping[str, Any]) -> PipelineCatalog:
    """The pipelines offered where ``pointer`` points (its pipeline_name is not used)."""
    pointer = check_pointer(pointer)
    module = load_module(pointer)
    where = _where(pointer)
    attribute = pointer.get("attribute")
    if attribute is None:
        return _catalog_of_module(module, where)
    definition, where = _definition_of_value(_attribute_of(module, attribute, where),
                                             f'attribute "{attribute}" of {where}')
    return _catalog_of_definition(definition, where)


def _where(pointer: Mapping[str, Any]) -> str:
    return (f'"{pointer["python_file"]}"' if "python_file" in pointer
            else f'module "{pointer["module"]}"')


def _attribute_of(module: ModuleType, attribute: str, where: str) -> Any:
    if not hasattr(module, attribute):
        found = [name for name, value in vars(module).items()
                 if isinstance(value, _definition_types())]
        match = suggest(attribute, found)
        hint = f' Did you mean "{match}"?' if match else ""
        raise HeadwaterCodeLoadError(
            f'{_capitalized(where)} has no attribute "{attribute}".{hint} Pipelines and '
            f"repositories there: {', '.join(found) or 'none'}.")
    return getattr(module, attribute)


def load_pipeline(pointer: Mapping[str, Any]) -> PipelineDefinition:
    """The pipeline a pointer names."""
    return load_catalog(pointer).get_pipeline(pointer.get("pipeline_name"))


def _catalog_of_module(module: ModuleType, where: str) -> PipelineCatalog:
    entries: dict[str, Callable[[], PipelineDefinition]] = {}
    holders: dict[str, tuple[str, Any]] = {}  # pipeline name -> (who defines it, the object)
    values = list(vars(module).items())
    for attribute, value in values:
        if isinstance(value, PipelineDefinition):
            _add_entry(entries, holders, value.name, f'attribute "{attribute}"', value,
                       _constant(value), where)
    for attribute, value in values:
        if _is_repository(value):
            for name in value.pipeline_names:
                known = holders.get(name)
                if known is not None and known[0].startswith("attribute"):
                    continue  # a repository usually lists the module's own pipelines
                _add_entry(entries, holders, name,
                           f'repository "{value.name}" (attribute "{attribute}")',
                           (value, name), _repository_getter(value, name, where), where)
    return PipelineCatalog(where, entries)


def _add_entry(entries: dict[str, Callable[[], PipelineDefinition]],
               holders: dict[str, tuple[str, Any]], name: str, holder: str, identity: Any,
               getter: Callable[[], PipelineDefinition], where: str) -> None:
    known = holders.get(name)
    if known is not None:
        if known[1] is identity or known[1] == identity:
            return
        raise HeadwaterCodeLoadError(
            f'{_capitalized(where)} defines two different pipelines named "{name}" '
            f"({known[0]} and {holder}). Name the one to use with an attribute (-a on the "
            "command line).")
    holders[name] = (holder, identity)
    entries[name] = getter


def _definition_of_value(value: Any, where: str
                         ) -> tuple[PipelineDefinition | RepositoryDefinition, str]:
    """The pipeline or repository ``value`` is or returns, and how to name it in messages."""
    if isinstance(value, _definition_types()):
        return value, where
    if inspect.isfunction(value) or inspect.ismethod(value):
        try:
            built = value()
        except Exception as error:
            raise HeadwaterCodeLoadError(
                f"Calling {where} raised {_one_line(error)}",
                user_traceback=_user_traceback(error)) from None
        if isinstance(built, _definition_types()):
            return built, f"what {where} returned"
        raise HeadwaterCodeLoadError(
            f"{_capitalized(where)} is a function that returned {_short_repr(built)}; it must "
            "return a PipelineDefinition or a RepositoryDefinition.")
    raise HeadwaterCodeLoadError(
        f"{_capitalized(where)} is {_short_repr(value)}, not a pipeline, a repository, or a "
        "function returning one.")


def _catalog_of_definition(definition: PipelineDefinition | RepositoryDefinition,
                           where: str) -> PipelineCatalog:
    if isinstance(definition, PipelineDefinition):
        return PipelineCatalog(where, {definition.name: _constant(definition)})
    return PipelineCatalog(
        f'repository "{definition.name}" ({where})',
        {name: _repository_getter(definition, name, where)
         for name in definition.pipeline_names})


def _definition_types() -> tuple[type, ...]:
    """What a code location may define: pipelines, and repositories once their module is
    loaded. No repository exists before that (``@repository`` and ``RepositoryDefinition``
    load it), and most files the command line loads define pipelines only: their runs do
    not import repositories, schedules and sensors for nothing."""
    repository = sys.modules.get("headwater.definitions.repository")
    if repository is None:
        return (PipelineDefinition,)
    return (PipelineDefinition, repository.RepositoryDefinition)


def _is_repository(value: object) -> bool:
    return isinstance(value, _definition_types()[1:])


def _constant(pipeline: PipelineDefinition) -> Callable[[], PipelineDefinition]:
    return lambda: pipeline


def _repository_getter(repository: RepositoryDefinition, name: str, where: str
                       ) -> Callable[[], PipelineDefinition]:
    def get() -> PipelineDefinition:
        try:
            return repository.get_pipeline(name)
        except HeadwaterCodeLoadError:
            raise
        except Exception as error:
            raise HeadwaterCodeLoadError(
                f'Building pipeline "{name}" of repository "{repository.name}" in {where} '
                f"raised {_one_line(error)}", user_traceback=_user_traceback(error)) from None

    return get


# -- messages ----------------------------------------------------------------------------


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def _short_repr(value: Any) -> str:
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{text} ({type(value).__name__})"


def _one_line(error: BaseException) -> str:
    # A SyntaxError formats as several lines (file, source line, caret); the traceback
    # shown with the message has those already.
    if isinstance(error, SyntaxError):
        return f"{type(error).__name__}: {error.msg} (line {error.lineno})"
    return traceback.format_exception_only(type(error), error)[-1].strip()


def _user_traceback(error: BaseException) -> str:
    """The error's traceback without the frames of this module and of importlib, so that
    it starts in the user's code."""
    tb: TracebackType | None = error.__traceback__
    while tb is not None and _is_loader_frame(tb.tb_frame.f_code.co_filename):
        tb = tb.tb_next
    return "".join(traceback.format_exception(type(error), error, tb))


def _is_loader_frame(filename: str) -> bool:
    return filename == __file__ or filename.startswith("<frozen importlib")
