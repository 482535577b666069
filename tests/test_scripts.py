"""The set-up scripts the README's two commands run: what they do without root, what they install and when.

The install scripts run here on a copy of the checkout's scripts beside a fake ``.venv/bin/python``
that only records how it was called, so what pip would be asked to do is checked in milliseconds.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _fake_bin(folder: Path, **commands: str) -> Path:
    folder.mkdir()
    for name, body in commands.items():
        script = folder / name
        script.write_text(f"#!/bin/sh\n{body}\n")
        script.chmod(0o755)
    return folder


def test_system_deps_without_root_says_the_browser_test_is_skipped_and_goes_on(tmp_path):
    fake = _fake_bin(tmp_path / "bin", id="echo 1000", sudo="exit 1", **{"apt-get": "echo apt-get ran >&2; exit 1"})
    env = {"PATH": f"{fake}:/usr/bin:/bin", "CHROMIUM": str(tmp_path / "no-chromium")}
    result = subprocess.run(["bash", str(ROOT / "scripts" / "system-deps.sh")], env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0
    assert "needs root" in result.stderr and "browser test will be skipped" in result.stderr
    assert "apt-get ran" not in result.stderr


def test_system_deps_does_nothing_when_chromium_is_there(tmp_path):
    chromium = _fake_bin(tmp_path / "bin", chromium="exit 0") / "chromium"
    env = {"PATH": os.environ["PATH"], "CHROMIUM": str(chromium)}
    result = subprocess.run(["bash", str(ROOT / "scripts" / "system-deps.sh")], env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0 and result.stderr == ""


# --- what scripts/install.sh asks pip for, and when --------------------------------------------------

FAKE_PYTHON = """#!/bin/sh
# A stand-in for a virtual environment's python: records its arguments, answers the version question.
case "$1" in
  -c) echo 3.11 ;;
  *) echo "$*" >> "{log}" ;;
esac
"""


@pytest.fixture
def checkout(tmp_path) -> Path:
    """A copy of the scripts and pyproject.toml, a lock of one pin, a fake .venv/bin/python and explorer."""
    root = tmp_path / "checkout"
    shutil.copytree(ROOT / "scripts", root / "scripts")
    (root / "requirements").mkdir()
    (root / "requirements" / "constraints.txt").write_text("# python: 3.11\npip==26.3\n")
    shutil.copy2(ROOT / "pyproject.toml", root)
    bin_ = root / ".venv" / "bin"
    bin_.mkdir(parents=True)
    (bin_ / "python").write_text(FAKE_PYTHON.format(log=root / "calls.log"))
    (bin_ / "explorer").write_text(f'#!/bin/sh\necho "explorer $*" >> "{root / "calls.log"}"\n')
    for fake in bin_.iterdir():
        fake.chmod(0o755)
    return root


def _script(root: Path, name: str, *args: str, **env: str) -> list[str]:
    """Run scripts/<name> in ``root``; returns the calls the fake python and explorer recorded."""
    log = root / "calls.log"
    before = log.read_text().splitlines() if log.exists() else []
    environment = {"PATH": "/usr/bin:/bin", "HOME": str(root), "CHROMIUM": str(root / ".venv" / "bin" / "python"), **env}
    result = subprocess.run(["bash", str(root / "scripts" / name), *args], cwd=root, env=environment,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    after = log.read_text().splitlines() if log.exists() else []
    return after[len(before):]


def _installs(calls: list[str]) -> list[str]:
    """What each ``pip install --editable`` asked for: the checkout with its extras, as written."""
    return [call.split("--editable ")[1] for call in calls if "--editable" in call]


def test_install_pins_every_distribution_to_the_lock(checkout):
    calls = _script(checkout, "install.sh")
    lock = f"--constraint {checkout / 'requirements' / 'constraints.txt'}"
    pip_calls = [call for call in calls if call.startswith("-m pip install")]
    assert len(pip_calls) == 2 and all(lock in call for call in pip_calls), calls
    assert pip_calls[0].endswith("--upgrade pip setuptools")
    assert _installs(calls) == [f"{checkout}[scale,test]"]


def test_the_dashboard_after_the_tests_installs_nothing(checkout):
    assert _installs(_script(checkout, "install.sh", EXPLORER_EXTRAS="test,scale")) == [f"{checkout}[scale,test]"]
    assert _script(checkout, "install.sh", EXPLORER_EXTRAS="") == []
    assert _script(checkout, "install.sh", EXPLORER_EXTRAS="scale,test") == []


def test_the_tests_after_the_dashboard_add_their_extras_and_the_dashboard_then_installs_nothing(checkout):
    assert _installs(_script(checkout, "install.sh", EXPLORER_EXTRAS="")) == [str(checkout)]
    assert _installs(_script(checkout, "install.sh", EXPLORER_EXTRAS="test,scale")) == [f"{checkout}[scale,test]"]
    assert _script(checkout, "install.sh", EXPLORER_EXTRAS="") == []


def test_a_changed_lock_installs_again_keeping_the_extras_already_there(checkout):
    _script(checkout, "install.sh", EXPLORER_EXTRAS="test,scale")
    lock = checkout / "requirements" / "constraints.txt"
    lock.write_text(lock.read_text() + "some-new-dependency==1.0\n")
    assert _installs(_script(checkout, "install.sh", EXPLORER_EXTRAS="")) == [f"{checkout}[scale,test]"]
    assert _script(checkout, "install.sh", EXPLORER_EXTRAS="") == []


def test_install_replaces_the_stamp_of_its_earlier_versions_keeping_the_extras_it_names(checkout):
    old = checkout / ".venv" / ".installed-0123456789abcdef-test_scale"
    old.touch()
    assert _installs(_script(checkout, "install.sh", EXPLORER_EXTRAS="")) == [f"{checkout}[scale,test]"]
    assert not old.exists()
    assert _script(checkout, "install.sh", EXPLORER_EXTRAS="") == []


def test_install_without_the_lock_says_how_to_write_it(checkout):
    (checkout / "requirements" / "constraints.txt").unlink()
    result = subprocess.run(["bash", str(checkout / "scripts" / "install.sh")], env={"PATH": "/usr/bin:/bin"},
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "requirements/constraints.txt is missing" in result.stderr and "scripts/lock.sh" in result.stderr


def test_the_dashboard_script_installs_only_the_packages_own_dependencies(checkout):
    calls = _script(checkout, "dashboard.sh", "--port", "9000")
    assert _installs(calls) == [str(checkout)]
    assert calls[-1] == "explorer serve --port 9000"


def test_the_test_script_installs_the_test_and_scale_extras(checkout):
    calls = _script(checkout, "test.sh", "-q", EXPLORER_EXTRAS="")
    assert _installs(calls) == [f"{checkout}[scale,test]"]
    assert calls[-1] == "-m pytest -q"


# --- what scripts/lock.sh writes --------------------------------------------------------------------

FAKE_BASE_PYTHON = """#!/bin/sh
# A stand-in for python3 and for the python of the environment it makes: records its arguments, makes a
# venv of itself, answers the version and extras questions, prints a freeze, and exits with $PYTEST_EXIT.
echo "$*" >> "{log}"
case "$1 $2" in
  "-m venv") mkdir -p "$3/bin" && cp "$0" "$3/bin/python" ;;
  "-m pytest") exit "$PYTEST_EXIT" ;;
  "-m pip") [ "$3" = freeze ] && printf 'zeta==1.0\\nAlpha==2.0\\npip==26.3\\n' ;;
  -c*) case "$2" in *Provides-Extra*) echo scale,test ;; *) echo 3.11 ;; esac ;;
esac
exit 0
"""


def _lock(tmp_path: Path, pytest_exit: int) -> tuple[subprocess.CompletedProcess, list[str], Path]:
    root = tmp_path / "checkout"
    (root / "scripts").mkdir(parents=True)
    for name in ("lock.sh", "venv.sh"):
        shutil.copy2(ROOT / "scripts" / name, root / "scripts" / name)
    (root / "requirements").mkdir()
    lock = root / "requirements" / "constraints.txt"
    lock.write_text("# python: 3.11\nold==1\n")
    python = tmp_path / "python3"
    python.write_text(FAKE_BASE_PYTHON.format(log=tmp_path / "calls.log"))
    python.chmod(0o755)
    env = {"PATH": "/usr/bin:/bin", "PYTHON": str(python), "PYTEST_EXIT": str(pytest_exit), "TMPDIR": str(tmp_path)}
    result = subprocess.run(["bash", str(root / "scripts" / "lock.sh")], env=env, capture_output=True, text=True,
                            timeout=60)
    return result, (tmp_path / "calls.log").read_text().splitlines(), lock


def test_lock_installs_every_extra_unpinned_and_writes_the_freeze_after_the_tests_pass(tmp_path):
    result, calls, lock = _lock(tmp_path, pytest_exit=0)
    assert result.returncode == 0, result.stderr
    installs = [call for call in calls if call.startswith("-m pip install")]
    assert not any("--constraint" in call for call in installs)
    assert installs[-1].endswith(f"--editable {lock.parent.parent}[scale,test]")
    assert calls.index(installs[-1]) < calls.index(next(c for c in calls if c.startswith("-m pytest")))
    lines = lock.read_text().splitlines()
    assert [line for line in lines if not line.startswith("#")] == ["Alpha==2.0", "pip==26.3", "zeta==1.0"]
    assert "# python: 3.11" in lines and "(scale,test)" in lock.read_text()
    assert not list(tmp_path.glob("explorer-lock.*")), "the scratch environment is removed"


def test_lock_keeps_the_old_pins_when_the_tests_fail(tmp_path):
    result, _, lock = _lock(tmp_path, pytest_exit=1)
    assert result.returncode != 0
    assert lock.read_text() == "# python: 3.11\nold==1\n"
    assert not list(tmp_path.glob("explorer-lock.*"))
