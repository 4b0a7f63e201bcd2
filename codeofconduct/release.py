"""The release a process runs: a digest of everything that decides what the platform renders and
counts (its Python code, templates, static files, the Word template and the pinned packages), so
two processes of the same code agree on it and a changed renderer is a new release. Settings prefix
every key of the cache of renders with it (``RELEASE``)."""

import hashlib
from pathlib import Path

# Folders of the checkout whose files are the release; caches, local state and tools are not.
PARTS = ("accounts", "codeofconduct", "drafting", "notifications", "live", "templates", "static", "locale")
# The pinned packages render too (WeasyPrint, python-docx, markdown-it-py): an upgrade is a release.
FILES = ("requirements.txt",)
SKIPPED = {"__pycache__"}
SKIPPED_SUFFIXES = {".pyc", ".pot"}  # compiled code; makemessages' scratch template


def digest(root: Path) -> str:
    found = hashlib.sha256()
    for part in PARTS:
        for path in sorted((root / part).rglob("*")):
            if path.is_file() and not SKIPPED.intersection(path.parts) and path.suffix not in SKIPPED_SUFFIXES:
                found.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    for name in FILES:
        if (root / name).is_file():
            found.update(name.encode() + b"\0" + (root / name).read_bytes() + b"\0")
    return found.hexdigest()[:12]
