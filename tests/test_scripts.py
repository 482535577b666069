"""The set-up scripts the README's two commands run: what they do without root."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

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
