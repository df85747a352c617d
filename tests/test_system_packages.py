"""`make system-packages` (run by `make run` and `make test`): waits for the apt lock instead of giving up,
and tells a user without root which packages to install.

apt-get itself is replaced by a small script on PATH that answers like apt does when another process holds the
package-list lock (it is the outside program here, not our code); that the real apt-get waits for the dpkg lock with
`DPkg::Lock::Timeout` is apt's documented behaviour, checked by hand as the README says."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MISSING = "academy-no-such-package"

FAKE_APT_GET = """#!/bin/bash
echo "$*" >> "$FAKE_APT_STATE/calls"
case " $* " in
  *" update "*)
    if [ ! -e "$FAKE_APT_STATE/locked-once" ]; then
      touch "$FAKE_APT_STATE/locked-once"
      echo "E: Could not get lock /var/lib/apt/lists/lock. It is held by process 4242 (apt-get)" >&2
      echo "E: Unable to lock directory /var/lib/apt/lists/" >&2
      exit 100
    fi
    touch "$FAKE_APT_STATE/updated"; exit 0 ;;
  *" install "*)
    [ -e "$FAKE_APT_STATE/updated" ] && exit 0
    echo "E: Unable to locate package $MISSING" >&2; exit 100 ;;
esac
exit 1
"""


def _make(tmp_path, env_extra, user_prefix=()):
    env = {**os.environ, **env_extra}
    return subprocess.run(
        [*user_prefix, "make", "--no-print-directory", "-C", str(ROOT), "system-packages", f"SYSTEM_PACKAGES=gettext {MISSING}"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("dpkg-query") is None, reason="installs only as root on Debian")
def test_waits_for_the_apt_lock_then_installs(tmp_path):
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    (fake_bin / "apt-get").write_text(FAKE_APT_GET)
    (fake_bin / "apt-get").chmod(0o755)

    result = _make(tmp_path, {"PATH": f"{fake_bin}:{os.environ['PATH']}", "FAKE_APT_STATE": str(tmp_path), "MISSING": MISSING})

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert f"Installing system packages with apt-get: {MISSING}" in output  # only the missing one, not gettext
    assert "Waiting for the apt lock held by another process" in output
    assert "Could not install" not in output
    calls = (tmp_path / "calls").read_text().splitlines()
    assert [c.split()[-1] if "update" in c else "install" for c in calls] == ["install", "update", "update", "install"]
    # Every apt-get call lets apt itself wait for the dpkg lock too.
    assert all("DPkg::Lock::Timeout=600" in call for call in calls)


@pytest.mark.skipif(shutil.which("dpkg-query") is None, reason="needs dpkg-query (Debian)")
def test_without_root_names_the_packages_to_install(tmp_path):
    as_nobody = ("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups") if os.geteuid() == 0 else ()
    if as_nobody and shutil.which("setpriv") is None:
        pytest.skip("needs setpriv to drop root")

    result = _make(tmp_path, {}, as_nobody)

    assert result.returncode != 0
    assert f"Missing system packages: {MISSING}" in result.stdout
    assert f"Install them with: sudo apt-get install {MISSING}" in result.stdout
