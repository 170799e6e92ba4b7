"""Write core's table of which package provides which plugin name, for install hints.

Each integration package declares, in its ``pyproject.toml``, the names its plugin
registers (resources, IO managers, executors, loggers, instance parts, solid factories)::

    [tool.headwater]
    provides = ["s3_resource", "s3_pickle_io_manager", ...]

This script reads every ``packages/<name>/pyproject.toml`` of the repository and writes
``packages/core/src/headwater/plugins/providers.json`` (``{name: package}``; the package's
entry-point names count as provided too), from which core's errors say what to install
when a name is missing: core itself names no integration. Run it after adding a package
or changing what one provides (``nox -s dist`` runs it too); the lint session fails while
the table is out of date.

    python scripts/generate_providers.py           # write the table
    python scripts/generate_providers.py --check   # exit 1 if it is out of date
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TABLE = ROOT / "packages" / "core" / "src" / "headwater" / "plugins" / "providers.json"
CORE_DISTRIBUTION = "headwater"


def declared_providers(root: Path = ROOT) -> dict[str, str]:
    """``{provided name: package}`` from the packages of the repository at ``root``."""
    table: dict[str, str] = {}
    for pyproject in sorted((root / "packages").glob("*/pyproject.toml")):
        project = tomllib.loads(pyproject.read_text())
        distribution = project["project"]["name"]
        if distribution == CORE_DISTRIBUTION:
            continue
        package = distribution.removeprefix(f"{CORE_DISTRIBUTION}-")
        entry_points = project["project"].get("entry-points", {}).get("headwater", {})
        provided = [*entry_points, *project.get("tool", {}).get("headwater", {}).get(
            "provides", [])]
        for name in provided:
            if table.get(name, package) != package:
                raise SystemExit(f'"{name}" is provided by both headwater-{table[name]} and '
                                 f"{distribution}: rename one.")
            table[name] = package
    return dict(sorted(table.items()))


def render(table: dict[str, str]) -> str:
    return json.dumps(table, indent=1) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if the table is out of date, instead of writing it")
    args = parser.parse_args()
    wanted = render(declared_providers())
    current = TABLE.read_text() if TABLE.exists() else ""
    if args.check:
        if current != wanted:
            print(f"{TABLE.relative_to(ROOT)} is out of date: run "
                  "python scripts/generate_providers.py", file=sys.stderr)
            return 1
        return 0
    if current != wanted:
        TABLE.write_text(wanted)
        print(f"wrote {TABLE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
