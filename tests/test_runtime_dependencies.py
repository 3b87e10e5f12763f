"""The runtime dependency list in pyproject.toml is enough to import every safecity module.

STYLE.md habit 10: a test proves the runtime dependency list is enough. Installing into a fresh
virtualenv takes minutes, so this checks the same thing statically: every third-party module
imported anywhere under src/safecity comes from a distribution listed in [project].dependencies
(or from a dependency of one), and none comes only from the test group.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "safecity"


def _name(requirement: str) -> str:
    return re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _closure(names: set[str]) -> set[str]:
    """The named distributions and everything they depend on (installed metadata)."""
    seen: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        todo += [_name(r) for r in requires if "extra ==" not in r]
    return seen


def _imported_top_level_modules() -> dict[str, str]:
    found: dict[str, str] = {}
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], str(path.relative_to(ROOT)))
    return found


def test_every_third_party_import_comes_from_a_runtime_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = _closure({_name(r) for r in project["dependencies"]})
    providers = metadata.packages_distributions()
    missing = []
    for module, where in sorted(_imported_top_level_modules().items()):
        if module == "safecity" or module in sys.stdlib_module_names:
            continue
        dists = {d.lower().replace("_", "-") for d in providers.get(module, [])}
        if not dists & runtime:
            missing.append(f"{module} (imported in {where}; provided by {sorted(dists) or 'nothing installed'})")
    assert missing == [], "Add these to [project].dependencies: " + "; ".join(missing)


def test_no_test_only_package_is_imported_by_the_product():
    test_only = {"pytest", "hypothesis", "playwright", "locust", "xlrd", "importlinter"}
    used = set(_imported_top_level_modules())
    assert used & test_only == set()
