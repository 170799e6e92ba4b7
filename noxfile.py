"""Test, lint and benchmark sessions: one test session per package.

Each package's session installs only that package (and what its tests need) into its own
environment, so an integration's heavy dependencies never leak into another's tests.

    nox                 # every default session: lint and the tests of every package
    nox -s core         # the core's tests only
    nox -s postgres     # PostgreSQL storage against a real server (installed if missing)
    nox -s notebook     # notebooks as solids, run by papermill in a real Jupyter kernel
    nox -s dask         # steps on a Dask LocalCluster, and on a scheduler and workers of their own
    nox -s snowflake    # the Snowflake connector against a fakesnow server on 127.0.0.1
    nox -s azure        # Blob Storage and ADLS Gen2 against Azurite (installed by npm if missing)
    nox -s aws          # S3, CloudWatch, EMR against a moto server; Redshift against PostgreSQL
    nox -s datadog      # DogStatsD and the Datadog API against loopback UDP and HTTP stand-ins
    nox -s pagerduty    # PagerDuty Events API v2 against a loopback HTTPS stand-in
    nox -s alerting     # examples/alerting: both plugins enabled in headwater.yaml, through the CLI
    nox -s ui           # the web UI: its API, and end to end in headless Chromium (installed if missing)
    nox -s airflow      # pipelines as Airflow DAGs (and back) under a real Airflow 3, examples off
    nox -s gcp          # GCS, BigQuery against their emulators; Dataproc against a REST stand-in
    nox -s spark        # PySpark on local[2], spark-submit, and a standalone master and workers
    nox -s bench        # the performance suite (prints figures; not part of the default run)
    nox -s bench-compare  # the same shapes in Headwater, Dagster and Prefect (not default)
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
nox.options.sessions = ["lint", "core", "postgres", "notebook", "aws", "dask", "datadog",
                         "pagerduty", "alerting", "snowflake", "azure", "ui", "airflow",
                         "gcp", "spark"]

PYPROJECT = nox.project.load_toml("pyproject.toml")
TEST_DEPS = nox.project.dependency_groups(PYPROJECT, "test")
PYTHON = "3.11"


def _install(session: nox.Session, *packages: str, extra: tuple[str, ...] = ()) -> None:
    editable = [arg for package in packages for arg in ("-e", f"packages/{package}")]
    session.install("--compile-bytecode", *editable, *TEST_DEPS, *extra)


@nox.session(python=PYTHON)
def core(session: nox.Session) -> None:
    """The core's tests: config, types, definitions, execution, CLI (with the migrate
    extra, for headwater migrate; cloudpickle, with which definitions built inside a
    function are checked to cross processes by value)."""
    _install(session, "core[migrate]", extra=("cloudpickle>=3.0",))
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
def gcp(session: nox.Session) -> None:
    """headwater-gcp: the Google clients against gcp-storage-emulator (GCS) and bqemulator
    (BigQuery, through a launcher that switches off its extension downloads) started by the
    tests on 127.0.0.1; Dataproc's REST client against a loopback stand-in of its API."""
    _install(session, "core", "gcp", extra=("gcp-storage-emulator", "bqemulator"))
    # bqemulator ships a pytest plugin that needs testcontainers (Docker): not used here.
    session.run("pytest", "-p", "no:bqemulator", "tests/gcp", *session.posargs)


@nox.session(python=PYTHON)
def dask(session: nox.Session) -> None:
    """headwater-dask: steps on a real Dask LocalCluster with worker processes, and on a
    scheduler and workers started as processes of their own, all on 127.0.0.1."""
    _install(session, "core", "dask")
    session.run("pytest", "tests/dask", *session.posargs)


# Azurite, the Blob Storage emulator, is an npm package: installed once into this folder,
# which the azure session reuses (nox keeps .nox/ between runs).
AZURITE_VERSION = "3.35.0"
AZURITE_DIR = os.path.join(".nox", "azurite")


@nox.session(python=PYTHON)
def azure(session: nox.Session) -> None:
    """headwater-azure: the Blob and Data Lake clients against an Azurite Blob service the
    tests start on 127.0.0.1 with node (installed here by npm when missing). headwater-dask
    too: the IO manager is also run under the Dask executor."""
    _ensure_azurite(session)
    _install(session, "core", "azure", "dask")
    session.run("pytest", "tests/azure", *session.posargs,
                env={"HEADWATER_AZURITE_DIR": os.path.abspath(AZURITE_DIR)})


def _ensure_azurite(session: nox.Session) -> None:
    # The file the tests start: present once an install has completed.
    server = os.path.join(AZURITE_DIR, "node_modules", "azurite", "dist", "src", "blob",
                          "main.js")
    if os.path.exists(server):
        return
    if shutil.which("npm") is None:
        session.error("The azure tests need Node.js and npm to run Azurite: install them "
                      "(apt-get install -y nodejs npm), then run nox -s azure again.")
    session.run("npm", "install", "--prefix", AZURITE_DIR, "--no-audit", "--no-fund",
                "--no-update-notifier", f"azurite@{AZURITE_VERSION}", external=True)


@nox.session(python=PYTHON)
def datadog(session: nox.Session) -> None:
    """headwater-datadog: the datadog client against stand-ins the tests start on 127.0.0.1:
    a UDP socket that parses DogStatsD packets, and an http.server that records API calls."""
    _install(session, "core", "datadog")
    session.run("pytest", "tests/datadog", *session.posargs)


@nox.session(python=PYTHON)
def pagerduty(session: nox.Session) -> None:
    """headwater-pagerduty: the pagerduty client against an HTTPS stand-in of the Events API
    v2 that the tests start on 127.0.0.1, with a self-signed certificate made by openssl
    (installed if missing)."""
    _ensure_command(session, "openssl", "openssl")
    _install(session, "core", "pagerduty")
    session.run("pytest", "tests/pagerduty", *session.posargs)


@nox.session(python=PYTHON)
def alerting(session: nox.Session) -> None:
    """examples/alerting through the command line, with headwater-datadog and
    headwater-pagerduty both enabled, against the stand-ins of both sessions above."""
    _ensure_command(session, "openssl", "openssl")
    _install(session, "core", "datadog", "pagerduty")
    session.run("pytest", "tests/alerting", *session.posargs)


def _ensure_command(session: nox.Session, command: str, apt_package: str) -> None:
    # A fresh machine may lack a command the stand-ins run; as root, install it.
    if shutil.which(command):
        return
    if os.geteuid() != 0:
        session.warn(f"{command} is missing; install it with apt-get install -y {apt_package}.")
        return
    env = {"DEBIAN_FRONTEND": "noninteractive"}
    session.run("apt-get", "update", external=True, env=env)
    session.run("apt-get", "install", "-y", "--no-install-recommends", apt_package,
                external=True, env=env)


@nox.session(python=PYTHON)
def snowflake(session: nox.Session) -> None:
    """headwater-snowflake: the real Snowflake connector against a fakesnow server the tests
    start on 127.0.0.1 (Snowflake's HTTP API on DuckDB); bulk loads in fakesnow's patch mode."""
    _install(session, "core", "snowflake", extra=("fakesnow[server]>=0.12",))
    session.run("pytest", "tests/snowflake", *session.posargs)


@nox.session(python=PYTHON)
def ui(session: nox.Session) -> None:
    """headwater-ui: the JSON API and pages through Starlette's test client, and end to end
    in headless Chromium (Debian's, installed if missing; driven by Playwright's Python
    package, which never downloads a browser here) against a real `headwater ui` server and
    a real daemon on 127.0.0.1."""
    _ensure_chromium(session)
    _install(session, "core", "ui", extra=("httpx2", "playwright"))
    session.run("pytest", "tests/ui", *session.posargs)


def _ensure_chromium(session: nox.Session) -> None:
    # A fresh machine has no browser; as root, install Debian's. Otherwise the browser
    # tests fail with the install command.
    if os.path.exists("/usr/bin/chromium"):
        return
    if os.geteuid() != 0:
        session.warn("Chromium is missing; install it with apt-get install -y chromium.")
        return
    env = {"DEBIAN_FRONTEND": "noninteractive"}
    session.run("apt-get", "update", external=True, env=env)
    session.run("apt-get", "install", "-y", "--no-install-recommends", "chromium",
                external=True, env=env)


@nox.session(python=PYTHON)
def airflow(session: nox.Session) -> None:
    """headwater-airflow: a real Airflow 3 (apache-airflow from PyPI, in this session's own
    environment: it pins many packages). The tests give it a temporary AIRFLOW_HOME with
    examples and telemetry off, migrate its SQLite database once, and run DAGs with
    dag.test() and `airflow dags test`; no scheduler or web server."""
    _install(session, "core", "airflow")
    session.run("pytest", "tests/airflow", *session.posargs,
                env={"SCARF_ANALYTICS": "false", "DO_NOT_TRACK": "true"})


@nox.session(python=PYTHON)
def spark(session: nox.Session) -> None:
    """headwater-spark: a real SparkSession on local[2], spark-submit of a jar the tests
    compile with javac, and a standalone master with two workers started from pyspark's own
    scripts, all on 127.0.0.1 (needs Java 17: installed if missing); and headwater-aws's EMR
    PySpark step launcher against a moto server in the test process."""
    _ensure_java(session)
    _install(session, "core", "spark", "aws", extra=("moto[server]",))
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
    """The performance suite: prints each figure next to its budget (benchmarks/README.md)."""
    _install(session, "core", "dask", "ui",
             extra=(*nox.project.dependency_groups(PYPROJECT, "bench"), "playwright"))
    session.run("python", "benchmarks/run_all.py", *session.posargs)


# The versions docs/performance.md compares with; each gets an environment of its own.
COMPARE_WITH = {"dagster": "dagster==1.13.28", "prefect": "prefect==3.9.1"}


@nox.session(name="bench-compare", python=PYTHON)
def bench_compare(session: nox.Session) -> None:
    """The same shapes in Headwater, Dagster and Prefect, one table with the ratios
    (benchmarks/compare/; docs/performance.md). Headwater in this session's environment,
    each other tool in one of its own next to it. Not part of the default run: it takes
    about half an hour on a 2-core machine."""
    session.install("--compile-bytecode", "-e", "packages/core")
    pythons = {"headwater": os.path.join(session.bin, "python")}
    for tool, requirement in COMPARE_WITH.items():
        venv = os.path.join(os.path.dirname(session.virtualenv.location), f"compare-{tool}")
        python = os.path.join(venv, "bin", "python")
        if not os.path.exists(python):
            session.run("uv", "venv", "--quiet", "--python", session.python, venv,
                        external=True)
        session.run("uv", "pip", "install", "--quiet", "--compile-bytecode", "--python",
                    python, requirement, external=True)
        pythons[tool] = python
    session.run("python", "benchmarks/compare/run.py",
                *(f"--{tool}={python}" for tool, python in pythons.items()),
                *session.posargs)


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
