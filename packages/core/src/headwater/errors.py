"""Every error Headwater raises, in one place.

Each message names the thing, the place and the fix. Errors that wrap user code keep the
user's exception (``user_exception``) and its formatted traceback so that tools can show
exactly what the user's code raised.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from headwater.metadata_entries import EventMetadataEntry


class HeadwaterError(Exception):
    """Base class of every error Headwater raises itself."""


class HeadwaterInvalidDefinitionError(HeadwaterError):
    """A definition (solid, pipeline, mode, resource, ...) is malformed.

    Raised at construction time, before anything runs.
    """


class HeadwaterInvalidInvocationError(HeadwaterError):
    """A definition was called in a way it does not support (e.g. direct invocation)."""


class HeadwaterInvariantViolationError(HeadwaterError):
    """A rule of the programming model was broken at run time or composition time."""


class HeadwaterInvalidConfigDefinitionError(HeadwaterInvalidDefinitionError):
    """A config schema itself is malformed (not the values given for it)."""


class HeadwaterInvalidConfigError(HeadwaterError):
    """Config values do not match their schema.

    Carries every error found (``errors``), each with its path, what was expected and what
    was received, so that all mistakes can be fixed in one go.
    """

    def __init__(self, preamble: str, errors: Sequence[Any], config_value: Any) -> None:
        self.preamble = preamble
        self.errors = list(errors)
        self.config_value = config_value
        lines = [preamble]
        for index, error in enumerate(self.errors, start=1):
            lines.append(f"    Error {index}: {getattr(error, 'message', error)}")
        super().__init__("\n".join(lines))


class HeadwaterInvalidSubsetError(HeadwaterError):
    """A solid or step selection matched nothing or referred to unknown names."""


class HeadwaterExecutionStepNotFoundError(HeadwaterInvalidSubsetError):
    """A step selection referred to step keys the plan does not have."""

    def __init__(self, message: str, step_keys: Sequence[str] = ()) -> None:
        self.step_keys = list(step_keys)
        super().__init__(message)


class HeadwaterUnknownModeError(HeadwaterInvariantViolationError):
    """A run named a mode the pipeline does not have, or named none when several exist."""


class HeadwaterUnknownPresetError(HeadwaterInvariantViolationError):
    """A run named a preset the pipeline does not have."""


class HeadwaterUnknownResourceError(HeadwaterInvariantViolationError):
    """A solid asked ``context.resources`` for a key it did not require."""


class HeadwaterTypeCheckDidNotPass(HeadwaterError):
    """A value failed the type check of the input or output it was given to."""

    def __init__(self, description: str, metadata: dict[str, Any] | None = None,
                 headwater_type: Any = None) -> None:
        self.description = description
        self.metadata = metadata or {}
        self.headwater_type = headwater_type
        super().__init__(description)


class HeadwaterStepOutputNotFoundError(HeadwaterError):
    """A solid did not produce a required output, or produced one that does not exist."""

    def __init__(self, message: str, step_key: str, output_name: str) -> None:
        self.step_key = step_key
        self.output_name = output_name
        super().__init__(message)


class HeadwaterUserCodeExecutionError(HeadwaterError):
    """User code raised while Headwater called it.

    ``user_exception`` is the original exception and ``original_traceback`` its formatted
    traceback; execution unwraps this error when ``raise_on_error=True``.
    """

    def __init__(self, message: str, user_exception: BaseException,
                 original_traceback: str | None = None) -> None:
        self.user_exception = user_exception
        self.original_traceback = original_traceback
        super().__init__(message)


class HeadwaterExecutionInterruptedError(KeyboardInterrupt):
    """A run was asked to stop (``headwater run cancel``, or SIGTERM to its process).

    Raised in the run's main thread, wherever it is. Like Ctrl-C's KeyboardInterrupt, and
    unlike every other Headwater error, it is not an ``Exception``: a solid's own
    ``except Exception`` must not swallow it. A run that gets it ends CANCELED.
    """


class HeadwaterResourceFunctionError(HeadwaterUserCodeExecutionError):
    """A resource function raised while the resource was being initialised."""


class HeadwaterRunNotFoundError(HeadwaterError):
    """No run with the given id exists in the instance."""

    def __init__(self, message: str, run_id: str) -> None:
        self.run_id = run_id
        super().__init__(message)


class HeadwaterInstanceError(HeadwaterError):
    """The instance (its yaml, storage or schema) is misconfigured or out of date."""


class HeadwaterInstanceSchemaOutdated(HeadwaterInstanceError):
    """The instance's database has an older schema; ``headwater instance migrate`` fixes it."""


class HeadwaterInstanceConfigError(HeadwaterInvalidConfigError, HeadwaterInstanceError):
    """``headwater.yaml`` (or the settings given for an instance) does not match its schema."""


class HeadwaterRunAlreadyExistsError(HeadwaterInstanceError):
    """A run was added with the id of a run the instance already has."""

    def __init__(self, message: str, run_id: str) -> None:
        self.run_id = run_id
        super().__init__(message)


class HeadwaterRunStatusConflictError(HeadwaterInstanceError):
    """A run's status cannot move as asked because someone else moved it first: another
    launcher or daemon started it, or the run monitor failed it while its process was
    silent. The process that meets this has lost the run and must stop executing it.

    Attributes:
        run_id: The run.
        current: Its status as stored.
        attempted: The status that was refused.
    """

    def __init__(self, message: str, run_id: str, current: str, attempted: str) -> None:
        self.run_id = run_id
        self.current = current
        self.attempted = attempted
        super().__init__(message)


class HeadwaterStorageUnavailableError(HeadwaterInstanceError):
    """The instance's storage cannot be used: its database is damaged, its disk is full, or
    it cannot be written. The message names the file and how to check and fix it."""


class HeadwaterPluginError(HeadwaterError):
    """A plugin is broken, unknown, or implements a hook that does not exist."""


class HeadwaterCodeLoadError(HeadwaterError):
    """The code a pointer names could not be loaded: a file or module that is missing or
    raised while being imported, or an attribute that is missing or is not a pipeline, a
    repository or a function returning one; or no single pipeline matches the name asked for.

    ``user_traceback`` is the formatted traceback of the user's code when it raised.
    """

    def __init__(self, message: str, user_traceback: str | None = None) -> None:
        self.user_traceback = user_traceback
        super().__init__(message)


class HeadwaterCliError(HeadwaterError):
    """A command-line invocation cannot be carried out as given."""


class Failure(HeadwaterError):
    """Raise from a solid to fail its step with a description and metadata of your own.

    Args:
        description: What went wrong, in the user's words.
        metadata: Extra facts recorded on the failure event (``{label: value}``).
        metadata_entries: The legacy form of ``metadata`` (a list of
            ``EventMetadataEntry``), merged into it.

    Example:
        >>> raise Failure("upstream table is empty", metadata={"table": "orders"})
    """

    def __init__(self, description: str | None = None,
                 metadata: dict[str, Any] | Sequence[EventMetadataEntry] | None = None,
                 metadata_entries: Sequence[EventMetadataEntry] | None = None) -> None:
        self.description = description
        entries = list(metadata_entries or ())
        if isinstance(metadata, (list, tuple)):
            # The legacy signature is Failure(description, metadata_entries, metadata).
            entries, metadata = [*metadata, *entries], None
        # errors is below the metadata module, so the entries are read, not imported.
        self.metadata = {entry.label: entry.entry_data.to_metadata_value() for entry in entries}
        self.metadata.update(metadata or {})
        super().__init__(description or "Failure raised by user code")


class RetryRequested(HeadwaterError):
    """Raise from a solid to ask the executor to run its step again.

    Args:
        max_retries: How many retries this step may have in total.
        seconds_to_wait: How long to wait before the next attempt.

    Example:
        >>> raise RetryRequested(max_retries=3, seconds_to_wait=1.0) from exc
    """

    def __init__(self, max_retries: int = 1, seconds_to_wait: float | None = None) -> None:
        self.max_retries = max_retries
        self.seconds_to_wait = seconds_to_wait
        super().__init__(f"Retry requested (max_retries={max_retries})")
