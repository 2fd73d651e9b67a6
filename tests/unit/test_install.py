"""What a fresh install needs: every module imports, every third-party import is declared, data ships inside
the packages (``.ci/run`` proves the same on clean virtualenvs of Python 3.11 and 3.13)."""

from __future__ import annotations

import ast
import importlib.metadata as md
import re
import subprocess
import sys
import tomllib
from importlib import resources
from pathlib import Path

from tests.conftest import ROOT

PACKAGES = ("dashboard", "data_pipelines")
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))

# Imported by every module of both packages, in a fresh interpreter started elsewhere than the checkout, after the
# app is built (Dash pages may only be imported once an app exists). Alembic's env.py runs only inside Alembic.
IMPORT_ALL = r"""
import importlib, os, pkgutil, sys, tempfile
from pathlib import Path
tmp = Path(tempfile.mkdtemp())
os.environ["SMART_RETAIL_DB"] = str(tmp / "none.duckdb")
os.environ["SMART_RETAIL_INTAKE_DB_URL"] = f"sqlite:///{tmp / 'intake.sqlite3'}"
from dashboard.app import create_app
create_app()
failed, count = [], 0
for name in ("dashboard", "data_pipelines"):
    package = importlib.import_module(name)
    for module in pkgutil.walk_packages(package.__path__, name + "."):
        if module.name.endswith(("__main__", "migrations.env")):
            continue
        count += 1
        try:
            importlib.import_module(module.name)
        except Exception as exc:
            failed.append(f"{module.name}: {type(exc).__name__}: {exc}")
print(count)
print("\n".join(failed), file=sys.stderr)
sys.exit(1 if failed else 0)
"""


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_module_of_both_packages_imports(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", IMPORT_ALL], capture_output=True, text=True, cwd=tmp_path,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}, timeout=300)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.split()[0]) >= 60  # the walk really went through the packages


def _third_party_imports() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    top = name.split(".")[0]
                    if top not in sys.stdlib_module_names and top not in PACKAGES:
                        found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


def test_every_third_party_import_is_a_declared_dependency() -> None:
    # A package installed by hand on the machine hides a missing declaration from everyone but a new user.
    declared = {_norm(re.split(r"[<>=!~\[; ]", d, maxsplit=1)[0]) for d in PYPROJECT["project"]["dependencies"]}
    distributions = md.packages_distributions()
    imports = _third_party_imports()
    assert {"dash", "duckdb", "pyproj", "flask"} <= set(imports)  # the scan sees real imports
    undeclared = {top: sorted(files)[:3] for top, files in imports.items()
                  if not {_norm(d) for d in distributions.get(top, [top])} & declared}
    assert not undeclared, f"imported but not in pyproject.toml dependencies: {undeclared}"


def test_data_files_ship_inside_the_packages() -> None:
    package_data = PYPROJECT["tool"]["setuptools"]["package-data"]
    shipped = {
        "data_pipelines": ["refdata/branches.csv", "refdata/nis_mergers.csv", "sql/marts/fct_outlets.sql",
                           "sql/dims/dim_counting_points.sql"],
        "dashboard": ["assets/style.css", "intake/migrations/versions/0001_initial.py"],
    }
    for package, files in shipped.items():
        for name in files:
            assert resources.files(package).joinpath(name).is_file(), f"{package}/{name}"
            assert any(Path(name).match(pattern) or Path(name).match(pattern.replace("**/", ""))
                       for pattern in package_data[package]), f"{package}/{name} is not in package-data"



def test_the_etl_never_imports_the_app() -> None:
    importers = sorted(str(path.relative_to(ROOT)) for path in (ROOT / "data_pipelines").rglob("*.py")
                       for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                       if isinstance(node, ast.Import | ast.ImportFrom)
                       and any(n.split(".")[0] == "dashboard" for n in (
                           [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""])))
    assert importers == []
