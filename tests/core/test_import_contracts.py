"""The apps depend one way (core ← accounts ← news ← discussion ← moderation, search, archive ←
interfaces), as pyproject's import-linter contracts say. These tests run `lint-imports` on the
code as it is, and on a copy given one forbidden import, to show the contract would catch it."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

pytestmark = pytest.mark.slow


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(root / "pyproject.toml")],
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _copy_with(tmp_path: Path, module: str, line: str, *, at_end: bool = False) -> Path:
    """A copy of the package and its contracts, with `line` added to `module`."""
    shutil.copytree(
        ROOT / "minbar", tmp_path / "minbar", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    path = tmp_path / (module.replace(".", "/") + ".py")
    source = path.read_text(encoding="utf-8")
    if at_end:
        path.write_text(source + "\n" + line + "\n", encoding="utf-8")
    else:
        marker = "from __future__ import annotations\n"
        assert marker in source
        path.write_text(source.replace(marker, marker + line + "\n", 1), encoding="utf-8")
    return tmp_path


def test_the_apps_keep_their_import_contracts():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


def test_an_upward_import_breaks_the_layers_contract(tmp_path):
    copy = _copy_with(tmp_path, "minbar.news.selectors", "import minbar.moderation.models")
    result = _lint(copy)
    assert result.returncode == 1
    assert "minbar.news is not allowed to import minbar.moderation" in result.stdout


def test_a_new_upward_import_from_a_view_breaks_the_layers_contract(tmp_path):
    # Views sit above every app, yet each import that goes up from one is written down: a new
    # one is a decision, not an accident.
    copy = _copy_with(tmp_path, "minbar.news.views", "import minbar.moderation.selectors")
    result = _lint(copy)
    assert result.returncode == 1
    assert "minbar.news is not allowed to import minbar.moderation" in result.stdout


def test_an_import_hidden_in_a_function_still_breaks_the_contract(tmp_path):
    # The old shape: discussion asked moderation's checks through a function-level import.
    hidden = (
        "def _ask_moderation():\n"
        "    from minbar.moderation.actions import check_report_comment\n\n"
        "    return check_report_comment\n"
    )
    copy = _copy_with(tmp_path, "minbar.discussion.actions", hidden, at_end=True)
    result = _lint(copy)
    assert result.returncode == 1
    assert "minbar.discussion is not allowed to import minbar.moderation" in result.stdout


def test_an_action_importing_a_view_breaks_the_interface_contract(tmp_path):
    copy = _copy_with(tmp_path, "minbar.moderation.actions", "import minbar.moderation.views")
    result = _lint(copy)
    assert result.returncode == 1
    assert "never imports an interface" in result.stdout and "BROKEN" in result.stdout


# Imports inside functions that Django itself asks for (AppConfig.ready runs once the models can
# be imported), and search, being changed elsewhere (issue 16), which keeps its own until then.
_FUNCTION_IMPORTS_ALLOWED_IN = {
    "minbar/core/apps.py",
    "minbar/accounts/apps.py",
    "minbar/moderation/apps.py",
    "minbar/search/apps.py",
    "minbar/serving/apps.py",
    "minbar/notify/apps.py",
}
_BEING_REWRITTEN = ("minbar/search/",)


def test_minbar_modules_import_each_other_at_the_top():
    hidden = []
    for path in sorted((ROOT / "minbar").rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        if "/migrations/" in name or name in _FUNCTION_IMPORTS_ALLOWED_IN:
            continue
        if name.startswith(_BEING_REWRITTEN):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("minbar"):
                    hidden.append(f"{name}:{node.lineno} {node.module}")
    assert hidden == []
