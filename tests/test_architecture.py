"""The package's architecture as a test: every import of a callscribe module points down the
layers of ARCHITECTURE.md, and no import cycle exists, counting imports inside functions too (so
none can dodge a cycle by moving into a function)."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import pytest

# Each layer and the layers it may import (its own always allowed). Lower layers never import
# higher ones: storage knows nothing of policy, the library nothing of flows or interfaces.
LAYERS = {
    "base": set(),
    "speech": {"base"},
    "redaction": {"base"},
    "storage": {"base", "speech"},  # ingest probes the audio it catalogues
    "process": {"base", "speech", "redaction"},
    "policy": {"base", "storage", "process"},
    "flows": {"base", "speech", "redaction", "storage", "process", "policy"},
    # the web application: an interface beside the command line, on the same library and flows
    "web": {"base", "speech", "redaction", "storage", "process", "policy", "flows"},
    "cli": {"base", "speech", "redaction", "storage", "process", "policy", "flows", "web"},  # `callscribe web` serves it
}
BASE = {"errors", "types", "atomic", "settings"}


def layer_of(module: str) -> str:
    parts = module.split(".")
    if parts[1] in ("flows", "cli", "web"):
        return parts[1]
    if parts[1] == "pipeline":
        name = parts[2] if len(parts) > 2 else ""
        if name in BASE or not name:
            return "base"
        return name
    raise ValueError(module)


def package_modules() -> dict[str, Path]:
    """Every Python module of the installed callscribe packages, by dotted name."""
    found = {}
    for package in ("callscribe.pipeline", "callscribe.flows", "callscribe.cli", "callscribe.web"):
        root = Path(next(iter(importlib.util.find_spec(package).submodule_search_locations)))
        for path in root.rglob("*.py"):
            relative = path.relative_to(root).with_suffix("")
            parts = [p for p in relative.parts if p != "__init__"]
            found[".".join([package, *parts])] = path
    return found


MODULES = package_modules()


def imports_of(module: str, path: Path) -> set[str]:
    """The callscribe modules ``module`` imports anywhere in its file (top level or in functions)."""
    found = set()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names]
        else:
            continue
        found |= {name for name in names if name in MODULES and name != module}
    return found


GRAPH = {module: imports_of(module, path) for module, path in MODULES.items()}


def test_the_package_holds_the_four_domains_and_the_interfaces():
    layers = {layer_of(m) for m in MODULES}
    assert {"speech", "redaction", "storage", "policy", "flows", "cli"} <= layers


@pytest.mark.parametrize("module", sorted(MODULES))
def test_every_import_points_down(module):
    own = layer_of(module)
    upward = sorted(f"{target} ({layer_of(target)})" for target in GRAPH[module]
                    if layer_of(target) != own and layer_of(target) not in LAYERS[own])
    assert not upward, f"{module} ({own}) imports a layer above it or beside it: {', '.join(upward)}"


def test_no_import_cycles():
    cycles = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        stack.append(module)
        for target in sorted(GRAPH[module]):
            if state.get(target) == 1:
                cycles.append(stack[stack.index(target):] + [target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[module] = 2

    for module in sorted(GRAPH):
        if module not in state:
            visit(module)
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_the_library_never_imports_prefect_or_click():
    heavy = {"prefect", "click"}
    for module, path in MODULES.items():
        if layer_of(module) in ("flows", "cli", "web"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not any(n.split(".")[0] in heavy for n in names), f"{module} imports {names}"


def test_the_check_sees_an_upward_import_and_a_cycle(monkeypatch):
    """The checks above can fail: a storage module importing policy, and two modules importing
    each other, are reported."""
    storage, policy = "callscribe.pipeline.storage.schema", "callscribe.pipeline.policy.access"  # access imports schema
    monkeypatch.setitem(GRAPH, storage, GRAPH[storage] | {policy})
    with pytest.raises(AssertionError, match="imports a layer above"):
        test_every_import_points_down(storage)
    with pytest.raises(AssertionError, match="import cycles"):
        test_no_import_cycles()
