"""Legacy Office files (.doc, .xls, and Word's RTF) converted by LibreOffice, when installed."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from apps.importer.types import DocumentError

CONVERSION_TIMEOUT_SECONDS = 60

MISSING = {
    "docx": "暂不支持旧版 Word（.doc）文件：请在 Word 或 WPS 中另存为 .docx 后再导入：{name}",
    "xlsx": "暂不支持旧版 Excel（.xls）文件：请在 Excel 或 WPS 中另存为 .xlsx 后再导入：{name}",
}
KIND = {"docx": "Word", "xlsx": "Excel"}


def office_program() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(data: bytes, name: str, *, source: str, target: str) -> bytes:
    """The bytes of `data` (a `source` file: "doc", "rtf", "xls") saved by LibreOffice as
    `target` ("docx" or "xlsx")."""
    program = office_program()
    if program is None:
        raise DocumentError(MISSING[target].format(name=name))
    with tempfile.TemporaryDirectory(prefix="import-") as folder:
        folder = Path(folder)
        path = folder / f"document.{source}"
        path.write_bytes(data)
        command = [
            program,
            # A profile of its own: a LibreOffice the user has open does not block the
            # conversion, and two imports at once do not share a lock.
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            target,
            "--outdir",
            str(folder / "out"),
            str(path),
        ]
        _run(command, name)
        converted = folder / "out" / f"document.{target}"
        if not converted.is_file():
            raise DocumentError(
                f"无法转换旧版 {KIND[target]} 文件，文件可能已损坏，请另存为 .{target} 后再导入：{name}"
            )
        return converted.read_bytes()


def _run(command: list[str], name: str) -> None:
    # A session of its own, so that on a timeout the whole LibreOffice process group (the
    # launcher and the soffice.bin it starts) is ended, not only the launcher.
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        process.wait(timeout=CONVERSION_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()
        raise DocumentError(
            f"转换旧版 Office 文件超过 {CONVERSION_TIMEOUT_SECONDS} 秒，已停止：{name}"
        ) from None
