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


TARGETS = {"pdf": "pdf:writer_pdf_Export", "docx": "docx:MS Word 2007 XML"}
_ODT_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_ODT_STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"


def number_endnote_pages(odt: bytes) -> bytes:
    """The .odt with its endnote pages set in the letter's own page style.

    LibreOffice sets a .docx's endnotes on its built-in "Endnote" page style,
    which has no footer, so those pages lose their page number (Word prints
    them with the section's footer).  Naming the page style of the letter's
    later pages, the one whose footer holds the page number, for the endnotes
    puts it back.
    """
    from lxml import etree

    src = zipfile.ZipFile(io.BytesIO(odt))
    root = etree.fromstring(src.read("styles.xml"))
    config = next((c for c in root.iter(_ODT_TEXT + "notes-configuration")
                   if c.get(_ODT_TEXT + "note-class") == "endnote"), None)
    numbered = [m.get(_ODT_STYLE + "name") for m in root.iter(_ODT_STYLE + "master-page")
                if next(m.iter(_ODT_TEXT + "page-number"), None) is not None]
    if config is None or not numbered or config.get(_ODT_TEXT + "master-page-name"):
        return odt
    name = "Standard" if "Standard" in numbered else numbered[0]
    config.set(_ODT_TEXT + "master-page-name", str(name))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():  # "mimetype" first and stored, as ODF requires
            blob = src.read(info)
            if info.filename == "styles.xml":
                blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
            dst.writestr(info, blob, zipfile.ZIP_STORED if info.filename == "mimetype"
                         else zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _has_endnotes(docx: Path) -> bool:
    with zipfile.ZipFile(docx) as archive:
        return b"endnoteReference" in archive.read("word/document.xml")


def convert_files(sources: list[Path], outdir: Path, *, fmt: str = "pdf",
                  time_limit: float = TIME_LIMIT) -> None:
    """Convert every .docx in ``sources`` to ``outdir/<name>.<fmt>`` in ONE LibreOffice
    run: ``pdf``, or ``docx`` for the file a reviewer on LibreOffice gets by saving.
    For a PDF, letters with endnotes go to .odt first (one run more for all of them)
    so that their endnote pages keep the letter's numbered page style."""
    soffice = find_soffice()
    if soffice is None:
        raise LettersmithError(f"{fmt.upper()} needs LibreOffice, and neither soffice nor "
                               "libreoffice is on PATH", hint=INSTALL_HINT)
    with tempfile.TemporaryDirectory(prefix="lettersmith-pdf-") as tmp:
        profile = (Path(tmp) / "profile").as_uri()
        inputs = list(sources)
        endnoted = [s for s in sources if fmt == "pdf" and _has_endnotes(s)]
        try:
            if endnoted:  # to .odt first (one run more), to number the endnote pages
                odt_dir = Path(tmp) / "odt"
                _run([soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                      "--nolockcheck", "--convert-to", "odt", "--outdir", str(odt_dir),
                      *map(str, endnoted)], time_limit)
                for index, source in enumerate(inputs):
                    odt = odt_dir / f"{source.stem}.odt"
                    if source in endnoted and odt.exists():
                        odt.write_bytes(number_endnote_pages(odt.read_bytes()))
                        inputs[index] = odt
            command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                       "--nolockcheck", "--convert-to", TARGETS[fmt],
                       "--outdir", str(outdir), *map(str, inputs)]
            proc = _run(command, time_limit)
        except subprocess.TimeoutExpired as exc:
            raise LettersmithError(f"LibreOffice did not finish the {fmt.upper()} within "
                                   f"{time_limit:g} seconds",
                                   hint="close other LibreOffice conversions and retry") \
                from exc
        except OSError as exc:
            raise LettersmithError(f"cannot run LibreOffice ({soffice}): {exc}",
                                   hint=INSTALL_HINT) from exc
    missing = [s for s in sources if not (outdir / f"{s.stem}.{fmt}").exists()]
    if proc.returncode != 0 or missing:
        detail = (proc.stderr or proc.stdout).strip().splitlines()
        raise LettersmithError("LibreOffice could not convert "
                               + (f"{missing[0].name} to {fmt.upper()}" if missing
                                  else "the letters")
                               + (f": {detail[-1]}" if detail else ""))


def libreoffice_convert(docx: bytes, fmt: str = "pdf", *, time_limit: float = TIME_LIMIT
                        ) -> bytes:
    """The .docx bytes converted by LibreOffice to ``fmt`` (``pdf`` or ``docx``)."""
    with tempfile.TemporaryDirectory(prefix="lettersmith-pdf-") as tmp:
        work = Path(tmp)
        source = work / "letter.docx"
        source.write_bytes(docx)
        (work / "out").mkdir()
        convert_files([source], work / "out", fmt=fmt, time_limit=time_limit)
        return (work / "out" / f"letter.{fmt}").read_bytes()


def docx_to_pdf(docx: bytes, *, time_limit: float = TIME_LIMIT) -> bytes:
    """The PDF LibreOffice renders from the .docx bytes ``docx``."""
    return libreoffice_convert(docx, "pdf", time_limit=time_limit)
