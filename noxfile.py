"""Test, lint and benchmark sessions: one test session per package.

Each package's session installs only that package (and what its tests need) into its own
environment, so an integration's heavy dependencies never leak into another's tests.

    nox                 # every default session: lint and the tests of every package
    nox -s core         # the core's tests only
    nox -s postgres     # PostgreSQL storage against a real server (installed if missing)
    nox -s notebook     # notebooks as solids, run by papermill in a real Jupyter kernel
    nox -s dask         # steps on a Dask LocalCluster, and on a scheduler and workers of their own
    nox -s aws          # S3, CloudWatch, EMR against a moto server; Redshift against PostgreSQL
    nox -s spark        # PySpark on local[2], spark-submit, and a standalone master and workers
    nox -s bench        # the performance suite (prints figures; not part of the default run)
    nox -s dist         # every package's wheel into dist/, and an install from it checked
    nox -s hello        # run the hello-world example through the CLI
"""

from __future__ import annotations

import glob
import os
import shutil

import nox

nox.options.default_venv_backend = "uv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["lint", "core", "postgres", "notebook", "aws", "dask", "spark"]

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
def postgres(session: nox.Session) -> None:
    """PostgreSQL storage, against a real server the tests start on 127.0.0.1."""
    _ensure_postgres_server(session)
    _install(session, "core", "postgres")
    session.run("pytest", "tests/postgres", *session.posargs)


def _ensure_postgres_server(session: nox.Session) -> None:
    # A fresh machine has no PostgreSQL server binaries; as root, install them. Otherwise
    # the tests fail with the install command.
    if glob.glob("/usr/lib/postgresql/*/bin/initdb") or shutil.which("initdb"):
        return
    if os.geteuid() != 0:
        session.warn("PostgreSQL server binaries are missing; install them with "
                     "apt-get install -y postgresql.")
        return
    env = {"DEBIAN_FRONTEND": "noninteractive"}
    session.run("apt-get", "update", external=True, env=env)
    session.run("apt-get", "install", "-y", "--no-install-recommends", "postgresql",
                external=True, env=env)


@nox.session(python=PYTHON)
def notebook(session: nox.Session) -> None:
    """Notebook solids: real notebooks, executed by papermill in a real IPython kernel of
    the session's interpreter."""
    _install(session, "core", "notebook")
    session.run("pytest", "tests/notebook", *session.posargs)


@nox.session(python=PYTHON)
def aws(session: nox.Session) -> None:
    """headwater-aws: boto3 against a moto server the tests start on 127.0.0.1, Redshift
    queries against a real PostgreSQL server (installed if missing)."""
    _ensure_postgres_server(session)
    _install(session, "core", "aws[redshift]", extra=("moto[server]",))
    session.run("pytest", "tests/aws", *session.posargs)


@nox.session(python=PYTHON)
def dask(session: nox.Session) -> None:
    """headwater-dask: steps on a real Dask LocalCluster with worker processes, and on a
    scheduler and workers started as processes of their own, all on 127.0.0.1."""
    _install(session, "core", "dask")
    session.run("pytest", "tests/dask", *session.posargs)


@nox.session(python=PYTHON)
def spark(session: nox.Session) -> None:
    """headwater-spark: a real SparkSession on local[2], spark-submit of a jar the tests
    compile with javac, and a standalone master with two workers started from pyspark's own
    scripts, all on 127.0.0.1 (needs Java 17: installed if missing)."""
    _ensure_java(session)
    _install(session, "core", "spark")
    session.run("pytest", "tests/spark", *session.posargs)


def _ensure_java(session: nox.Session) -> None:
    # Spark 4 runs on Java 17; the tests also compile a jar, so they need the JDK's javac.
    if shutil.which("java") and shutil.which("javac"):
        return
    if os.geteuid() != 0:
        session.warn("Java 17 (with javac) is missing; install it with "
                     "apt-get install -y openjdk-17-jdk-headless.")
        return
    env = {"DEBIAN_FRONTEND": "noninteractive"}
    session.run("apt-get", "update", external=True, env=env)
    session.run("apt-get", "install", "-y", "--no-install-recommends",
                "openjdk-17-jdk-headless", external=True, env=env)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """ruff over the whole tree; the layering of the code (tests/lint: which layer imports
    which, integrations only through the published interface, the generated install
    hints); mypy over the core's seams."""
    session.install(*nox.project.dependency_groups(PYPROJECT, "lint"), *TEST_DEPS,
                    "-e", "packages/core")
    session.run("ruff", "check", ".")
    session.run("pytest", "tests/lint", *session.posargs)
    session.run("mypy")


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """The performance suite: prints the figures DESIGN.md budgets."""
    _install(session, "core", "dask",
             extra=tuple(nox.project.dependency_groups(PYPROJECT, "bench")))
    session.run("python", "benchmarks/run_all.py", *session.posargs)


@nox.session(python=PYTHON)
def dist(session: nox.Session) -> None:
    """Build the wheel of every package into dist/ (install hints regenerated first), then
    check, in a fresh virtual environment, that ``pip install --find-links dist
    'headwater[aws]'`` installs core and the integration as plugins. Not part of the
    default run."""
    session.install("build", *TEST_DEPS)
    session.run("python", "scripts/generate_providers.py")
    shutil.rmtree("dist", ignore_errors=True)
    for package in sorted(glob.glob("packages/*/pyproject.toml")):
        session.run("python", "-m", "build", "--wheel", "--outdir", "dist",
                    os.path.dirname(package))
    session.run("pytest", "tests/dist", *session.posargs)


@nox.session(python=PYTHON)
def hello(session: nox.Session) -> None:
    """Run examples/hello_headwater.py through the CLI."""
    session.install("-e", "packages/core")
    session.run("headwater", "pipeline", "execute", "-f", "examples/hello_headwater.py")
