"""The systemd units in deploy/systemd/ start commands that exist, with options they accept,
under the production settings: a typo there shows only on a server, at night."""

from __future__ import annotations

import configparser
import shlex
from pathlib import Path

import pytest
from django.core.management import get_commands, load_command_class

UNITS = Path(__file__).resolve().parents[2] / "deploy" / "systemd"


def read_unit(path: Path) -> configparser.ConfigParser:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read(path)
    return unit


SERVICES = sorted(UNITS.glob("*.service"))
MANAGE_SERVICES = [p for p in SERVICES if "manage.py" in read_unit(p)["Service"]["ExecStart"]]


def test_the_shipped_units_include_the_worker_and_its_pruning():
    names = {p.name for p in UNITS.iterdir()}
    assert {"minbar.service", "minbar-worker.service"} <= names
    assert {"minbar-prune-tasks.service", "minbar-prune-tasks.timer"} <= names


@pytest.mark.parametrize("path", SERVICES, ids=lambda p: p.name)
def test_operator_gets_services_that_run_as_minbar_with_production_settings(path):
    service = read_unit(path)["Service"]
    assert service["User"] == "minbar"
    assert service["WorkingDirectory"] == "/srv/minbar"
    assert "DJANGO_SETTINGS_MODULE=config.settings.prod" in service.get("Environment", "") or (
        "gunicorn" in service["ExecStart"]
    )


@pytest.mark.parametrize("path", MANAGE_SERVICES, ids=lambda p: p.name)
def test_operator_gets_services_whose_commands_and_options_exist(path, settings):
    from config.settings import base

    settings.TASKS = base.TASKS  # production's task backend, which the commands check
    words = shlex.split(read_unit(path)["Service"]["ExecStart"])
    name, arguments = words[words.index("manage.py") + 1], words[words.index("manage.py") + 2 :]
    commands = get_commands()
    assert name in commands, f"{path.name}: no command {name!r}"
    parser = load_command_class(commands[name], name).create_parser("manage.py", name)
    parser.parse_args(arguments)  # exits (SystemExit) on an unknown option or a bad value


@pytest.mark.parametrize("path", sorted(UNITS.glob("*.timer")), ids=lambda p: p.name)
def test_operator_gets_timers_that_start_a_shipped_service(path):
    timer = read_unit(path)
    assert timer["Timer"]["OnCalendar"]
    started = timer["Timer"].get("Unit", path.with_suffix(".service").name)
    assert (UNITS / started).exists()
    assert read_unit(UNITS / started)["Service"]["Type"] == "oneshot"
