"""System checks: a certificate with missing glyphs is worse than none, so a missing CJK font is an error."""

from __future__ import annotations

import ctypes.util
import shutil
import subprocess

from django.core.checks import Error, Warning, register

PREFERRED_FAMILY = "LXGW WenKai"


def chinese_font_families() -> set[str]:
    """Font families fontconfig says cover Simplified Chinese."""
    if shutil.which("fc-list") is None:
        return set()
    try:
        output = subprocess.run(["fc-list", ":lang=zh-cn", "family"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return set()
    return {name.strip() for line in output.splitlines() for name in line.split(",") if name.strip()}


@register()
def check_certificate_fonts(app_configs=None, **kwargs):
    families = chinese_font_families()
    if not families:
        return [
            Error(
                "No font covering Chinese is installed: certificate PDFs would show empty boxes.",
                hint="Install Debian's fonts-lxgw-wenkai (sudo apt-get install fonts-lxgw-wenkai), or run `make run`.",
                id="certificates.E001",
            )
        ]
    messages = []
    if PREFERRED_FAMILY not in families:
        messages.append(
            Warning(
                f"{PREFERRED_FAMILY} is not installed; certificates fall back to {sorted(families)[0]} (bigger PDFs, no real bold).",
                hint="sudo apt-get install fonts-lxgw-wenkai",
                id="certificates.W001",
            )
        )
    if ctypes.util.find_library("harfbuzz-subset") is None:
        messages.append(
            Warning(
                "libharfbuzz-subset is missing: each Chinese certificate takes seconds instead of milliseconds.",
                hint="sudo apt-get install libharfbuzz-subset0",
                id="certificates.W002",
            )
        )
    return messages
