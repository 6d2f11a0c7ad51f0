"""The package metadata installs without a deprecation warning (issue 10.19).

setuptools deprecated `project.license` as a TOML table (PEP 639): the licence is an SPDX
expression string, which setuptools understands from version 77 on, so the build requires it.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def test_license_is_an_spdx_string_and_the_build_backend_understands_it() -> None:
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    license_ = project["project"]["license"]
    assert isinstance(license_, str) and re.fullmatch(
        r"[A-Za-z0-9.+-]+( (AND|OR|WITH) [A-Za-z0-9.+-]+)*", license_
    )
    assert not any(c.startswith("License ::") for c in project["project"].get("classifiers", ()))
    [setuptools] = [r for r in project["build-system"]["requires"] if r.startswith("setuptools")]
    minimum = re.search(r">=\s*(\d+)", setuptools)
    assert minimum is not None and int(minimum.group(1)) >= 77
