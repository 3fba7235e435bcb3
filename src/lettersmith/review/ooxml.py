"""Opening a .docx someone else saved, safely: the zip, its relationships, and XML
parsed without entities or DTDs, with a cap on how much may be inflated.

Every problem (not a zip, no document part, broken XML, a DTD, too big) is a
LettersmithError naming the file.
"""
from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path

from lxml import etree

from lettersmith.errors import LettersmithError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_PR = "http://schemas.openxmlformats.org/package/2006/relationships"
_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_RT_STRICT = "http://purl.oclc.org/ooxml/officeDocument/relationships/"
MAX_INFLATED = 200 * 1024 * 1024  # bytes, across every part read
_HINT = "open it in Word or LibreOffice and save it again as a .docx (Word Document)"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           dtd_validation=False, huge_tree=False, remove_comments=True,
                           remove_pis=True)


class Package:
    """The parts of one .docx, read on demand within :data:`MAX_INFLATED`."""

    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        self._left = MAX_INFLATED
        try:
            self.zip = zipfile.ZipFile(path)
            self.names = set(self.zip.namelist())
        except FileNotFoundError:
            raise LettersmithError("no such file", file=self.path,
                                   hint="check the path of the reviewed .docx") from None
        except (OSError, zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError,
                NotImplementedError):
            raise LettersmithError("this is not a Word (.docx) file (not a zip package)",
                                   file=self.path, hint=_HINT) from None

    def __enter__(self) -> "Package":
        return self

    def __exit__(self, *exc: object) -> None:
        self.zip.close()

    def error(self, message: str) -> LettersmithError:
        return LettersmithError(message, file=self.path, hint=_HINT)

    def read(self, name: str) -> bytes | None:
        """A part's bytes, or None when the package has no such part."""
        if name not in self.names:
            return None
        chunks = []
        try:
            with self.zip.open(name) as handle:
                while True:
                    chunk = handle.read(min(1 << 20, self._left + 1))
                    if not chunk:
                        break
                    self._left -= len(chunk)
                    if self._left < 0:
                        raise self.error(f"the part {name} inflates to more than "
                                         f"{MAX_INFLATED // (1024 * 1024)} MB")
                    chunks.append(chunk)
        except LettersmithError:
            raise
        except Exception as err:  # BadZipFile, zlib.error, EOFError, CRC, encryption ...
            raise self.error(f"the part {name} cannot be read ({err})") from None
        return b"".join(chunks)

    def xml(self, name: str) -> etree._Element | None:
        """A part parsed safely, or None when absent; broken XML or a DTD is an error."""
        data = self.read(name)
        if data is None:
            return None
        if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data:
            raise self.error(f"the part {name} declares a DTD or entities, which a "
                             "Word file never does")
        try:
            root = etree.fromstring(data, _parser())
        except (etree.XMLSyntaxError, ValueError) as err:
            raise self.error(f"the part {name} is not well-formed XML ({err})") from None
        if root is None:
            raise self.error(f"the part {name} is empty")
        return root

    def rels(self, source: str) -> dict[str, tuple[str, str]]:
        """Relationship id -> (type's last word, target part name) of ``source``
        ("" for the package); external targets are left out."""
        folder, base = posixpath.split(source)
        root = self.xml(posixpath.join(folder, "_rels", base + ".rels"))
        out: dict[str, tuple[str, str]] = {}
        if root is None:
            return out
        for rel in root.iter(f"{{{_PR}}}Relationship"):
            if rel.get("TargetMode") == "External":
                continue
            kind = str(rel.get("Type") or "")
            for prefix in (_RT, _RT_STRICT):
                if kind.startswith(prefix):
                    kind = kind[len(prefix):]
            target = str(rel.get("Target") or "")
            name = target.lstrip("/") if target.startswith("/") else \
                posixpath.normpath(posixpath.join(folder, target))
            out[str(rel.get("Id"))] = (kind, name)
        return out

    def main_part(self) -> str:
        """The name of the main document part."""
        for kind, name in self.rels("").values():
            if kind == "officeDocument" and name in self.names:
                return name
        if "word/document.xml" in self.names:
            return "word/document.xml"
        raise self.error("this .docx has no document part (word/document.xml)")

    def related(self, source: str) -> dict[str, str]:
        """Relationship type -> part name for the parts related from ``source``
        (the first of each type)."""
        out: dict[str, str] = {}
        for kind, name in self.rels(source).values():
            out.setdefault(kind, name)
        return out

    def all_related(self, source: str, kind: str) -> list[str]:
        return [name for k, name in self.rels(source).values() if k == kind]
