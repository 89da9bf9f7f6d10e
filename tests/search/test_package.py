"""The search package reads top-down: no module imports, even lazily, a module that imports it back."""

import ast
from pathlib import Path

import search

PACKAGE = Path(search.__file__).resolve().parent


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """search.* module → the search.* modules it imports anywhere (module level or in a function)."""
    files = {
        module_name(path): path
        for path in PACKAGE.rglob("*.py")
        if "migrations" not in path.parts and "tests" not in path.parts
    }
    graph: dict[str, set[str]] = {name: set() for name in files}
    for name, path in files.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")
                    base = base[: len(base) - node.level + 1]
                    prefix = ".".join(base + ([node.module] if node.module else []))
                else:
                    prefix = node.module or ""
                targets = [prefix] + [f"{prefix}.{alias.name}" for alias in node.names]
            for target in targets:
                while target and target not in files:
                    target = target.rpartition(".")[0]
                if target and target != name and target.startswith("search"):
                    graph[name].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    found, state, stack = [], {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for other in sorted(graph[node]):
            if state.get(other) == "open":
                found.append(stack[stack.index(other) :] + [other])
            elif other not in state:
                visit(other)
        stack.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return found


def test_the_search_package_has_no_import_cycle():
    graph = import_graph()
    assert "search.entry" in graph and graph["search.entry"]  # the graph is really read
    assert cycles(graph) == []


def test_engine_selection_lives_in_one_module():
    graph = import_graph()
    importers = {name for name, targets in graph.items() if "search.engines.cluster" in targets}
    assert importers == {"search.engines.selection"}
