"""The README and the documentation link only to files that exist in the repository, and the
licence the package declares is the one it ships."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from urllib.parse import unquote

from ..each import check_each

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
# [text](target) outside code spans; a target with a scheme or only an anchor is not a file.
LINK = re.compile(r"(?<![`\\])\[[^\]\n]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
_FENCE = re.compile(r"^\s*(```|~~~).*?^\s*\1", re.M | re.S)
_CODE = re.compile(r"`[^`\n]*`")


def _targets(page: Path) -> list[str]:
    text = _CODE.sub("", _FENCE.sub("", page.read_text("utf-8")))
    return [t for t in LINK.findall(text) if not re.match(r"^[a-z][a-z0-9+.-]*:|^#", t)]


def test_relative_links_name_files_in_the_repository() -> None:
    check_each(((str(p.relative_to(ROOT)), p) for p in PAGES), _links_name_files)


def _links_name_files(page: Path) -> None:
    for target in _targets(page):
        path = (page.parent / unquote(target.split("#", 1)[0])).resolve()
        assert path.is_relative_to(ROOT), f"{target} leaves the repository"
        assert path.exists(), f"{target} does not exist"


def test_the_link_check_sees_links() -> None:
    assert "docs/rules.md" in _targets(ROOT / "README.md")


def test_license_file_matches_the_declared_license() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    assert project["license"] == "BSD-3-Clause"
    assert project["license-files"] == ["LICENSE"]
    assert (ROOT / "LICENSE").read_text("utf-8").startswith("BSD 3-Clause License\n")
