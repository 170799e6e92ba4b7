"""Test, lint and benchmark sessions: one test session per package.

Each package's session installs only that package (and what its tests need) into its own
environment, so an integration's heavy dependencies never leak into another's tests.

    nox                 # every default session: lint and the tests of every package
    nox -s core         # the core's tests only
    nox -s bench        # the performance suite (prints figures; not part of the default run)
    nox -s hello        # run the hello-world example through the CLI
"""

from __future__ import annotations

import nox

nox.options.default_venv_backend = "uv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["lint", "core"]

PYPROJECT = nox.project.load_toml("pyproject.toml")
TEST_DEPS = nox.project.dependency_groups(PYPROJECT, "test")
PYTHON = "3.11"


def _install(session: nox.Session, *packages: str, extra: tuple[str, ...] = ()) -> None:
    editable = [arg for package in packages for arg in ("-e", f"packages/{package}")]
    session.install("--compile-bytecode", *editable, *TEST_DEPS, *extra)


@nox.session(python=PYTHON)
def core(session: nox.Session) -> None:
    """The core's tests: config, types, definitions, execution, CLI."""
    _install(session, "core")
    session.run("pytest", "tests/core", *session.posargs)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """ruff over the whole tree."""
    session.install(*nox.project.dependency_groups(PYPROJECT, "lint"))
    session.run("ruff", "check", ".")


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """The performance suite: prints the figures DESIGN.md budgets."""
    _install(session, "core", extra=tuple(nox.project.dependency_groups(PYPROJECT, "bench")))
    session.run("python", "benchmarks/run_all.py", *session.posargs)


@nox.session(python=PYTHON)
def hello(session: nox.Session) -> None:
    """Run examples/hello_headwater.py through the CLI."""
    session.install("-e", "packages/core")
    session.run("headwater", "pipeline", "execute", "-f", "examples/hello_headwater.py")
