"""The environment `manage.py serve` runs in, chosen before Django reads its settings.

The README's run command is what people use, so it serves what they get: DEBUG off (the
Chinese error pages, not Django's debug page with module paths; hashed, compressed and
cached static files), on the embedded defaults (SQLite, the file-system broker). DEBUG off
refuses the development key, so serve makes a key once and keeps it in a git-ignored file
(var/secret_key): sessions survive a restart and no key is ever committed.

Development mode is asked for with `--dev` or an explicit DEBUG=true. An explicit DEBUG or
SECRET_KEY in the environment always wins. Plain Python: manage.py calls this before
Django is set up, and serve's children (worker, beat) inherit the result.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import MutableMapping
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
DEFAULT_SECRET_KEY_FILE = BASE_DIR / "var" / "secret_key"
DEV_FLAG = "--dev"


def serve_environment(argv: list[str], environ: MutableMapping[str, str]) -> None:
    """Set DEBUG and SECRET_KEY in `environ` for `manage.py serve` run without --dev."""
    if argv[1:2] != ["serve"] or DEV_FLAG in argv:
        return
    if not environ.get("DEBUG", "").strip():
        environ["DEBUG"] = "false"
    debug = environ["DEBUG"].strip().lower() in {"1", "true", "yes", "on"}
    if not debug and not environ.get("SECRET_KEY"):
        path = Path(environ.get("SECRET_KEY_FILE") or DEFAULT_SECRET_KEY_FILE)
        environ["SECRET_KEY"] = local_secret_key(path)


def local_secret_key(path: Path) -> str:
    """The key kept in `path`, made (readable by its owner only) the first time."""
    if path.is_file() and (key := path.read_text().strip()):
        return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another serve made it at the same moment, or it was empty
        if existing := path.read_text().strip():
            return existing
        descriptor = os.open(path, os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(key + "\n")
    return key
