"""PDF through LibreOffice: ``soffice --headless --convert-to pdf``.

Each conversion uses a private, throw-away profile directory, so it neither
clashes with a LibreOffice the user has open nor with a parallel conversion.
"""
from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import tempfile
import zipfile
from pathlib import Path

from lettersmith.errors import LettersmithError

TIME_LIMIT = 120.0  # seconds
_NAMES = ("soffice", "libreoffice")
INSTALL_HINT = ("install LibreOffice (Debian/Ubuntu: apt-get install libreoffice-writer; "
                "macOS: brew install --cask libreoffice), or build the .docx and print it "
                "to PDF from Word")


def find_soffice() -> str | None:
    """The LibreOffice command on PATH (``$LETTERSMITH_SOFFICE`` first), or None."""
    override = os.environ.get("LETTERSMITH_SOFFICE")
    if override:
        return shutil.which(override) or (override if Path(override).exists() else None)
    for name in _NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def printable(docx: bytes) -> bytes:
    """The .docx with block-level content controls unwrapped.

    Content controls do not print; LibreOffice 7.4 moves the note references of
    the first paragraph inside one to the start of that paragraph, so the PDF
    is made from a copy without them.
    """
    from lxml import etree

    src = zipfile.ZipFile(io.BytesIO(docx))
    xml = src.read("word/document.xml")
    if b"<w:sdt>" not in xml and b"<w:sdt " not in xml:
        return docx
    root = etree.fromstring(xml)
    for sdt in list(root.iter(_W + "sdt")):
        content = sdt.find(_W + "sdtContent")
        parent = sdt.getparent()
        if content is None or parent is None or parent.tag == _W + "p":
            continue  # run-level controls print fine
        for child in list(content):
            sdt.addprevious(child)
        parent.remove(sdt)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            blob = src.read(info)
            if info.filename == "word/document.xml":
                blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                      standalone=True)
            dst.writestr(info, blob)
    return out.getvalue()


def _run(command: list[str], time_limit: float) -> subprocess.CompletedProcess[str]:
    """Run LibreOffice in its own process group; kill the whole group on time-out."""
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, text=True, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=time_limit)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise
    return subprocess.CompletedProcess(command, proc.returncode, out, err)


def convert_files(sources: list[Path], outdir: Path, *, time_limit: float = TIME_LIMIT
                  ) -> None:
    """Convert every .docx in ``sources`` to ``outdir/<name>.pdf`` in ONE LibreOffice run."""
    soffice = find_soffice()
    if soffice is None:
        raise LettersmithError("PDF needs LibreOffice, and neither soffice nor libreoffice "
                               "is on PATH", hint=INSTALL_HINT)
    with tempfile.TemporaryDirectory(prefix="lettersmith-pdf-") as tmp:
        profile = (Path(tmp) / "profile").as_uri()
        command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                   "--nolockcheck", "--convert-to", "pdf:writer_pdf_Export",
                   "--outdir", str(outdir), *map(str, sources)]
        try:
            proc = _run(command, time_limit)
        except subprocess.TimeoutExpired as exc:
            raise LettersmithError(f"LibreOffice did not finish the PDF within "
                                   f"{time_limit:g} seconds",
                                   hint="close other LibreOffice conversions and retry") \
                from exc
        except OSError as exc:
            raise LettersmithError(f"cannot run LibreOffice ({soffice}): {exc}",
                                   hint=INSTALL_HINT) from exc
    missing = [s for s in sources if not (outdir / f"{s.stem}.pdf").exists()]
    if proc.returncode != 0 or missing:
        detail = (proc.stderr or proc.stdout).strip().splitlines()
        raise LettersmithError("LibreOffice could not convert "
                               + (f"{missing[0].name} to PDF" if missing else "the letters")
                               + (f": {detail[-1]}" if detail else ""))


def docx_to_pdf(docx: bytes, *, time_limit: float = TIME_LIMIT) -> bytes:
    """The PDF LibreOffice renders from the .docx bytes ``docx``."""
    with tempfile.TemporaryDirectory(prefix="lettersmith-pdf-") as tmp:
        work = Path(tmp)
        source = work / "letter.docx"
        source.write_bytes(printable(docx))
        convert_files([source], work, time_limit=time_limit)
        return (work / "letter.pdf").read_bytes()
