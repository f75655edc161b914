"""Joining PDF files page by page into one, streaming: one input is in memory at a time.

Each input's pages, and every object they reach (content streams, fonts, images, forms), are
copied under new object numbers; stream data is copied as it is, still compressed. Only what
the pages reach is copied (a page's ``/Parent`` is replaced by the new page tree), so the
inputs' catalogs and page trees are left behind. The inputs are the parts of one book written by
reportlab: no outlines, links or form fields to carry over.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
    StreamObject,
    TextStringObject,
)

HEADER = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"


class _Writer:
    def __init__(self, out: IO[bytes]) -> None:
        self.out = out
        self.offsets: list[int] = [0]  # object 0 is the free-list head
        out.write(HEADER)

    def reserve(self) -> int:
        self.offsets.append(0)
        return len(self.offsets) - 1

    def write(self, number: int, obj: PdfObject) -> None:
        self.offsets[number] = self.out.tell()
        self.out.write(f"{number} 0 obj\n".encode())
        obj.write_to_stream(self.out)
        self.out.write(b"\nendobj\n")

    def finish(self, root: int, info: int) -> None:
        xref = self.out.tell()
        self.out.write(f"xref\n0 {len(self.offsets)}\n".encode())
        self.out.write(b"0000000000 65535 f \n")
        for offset in self.offsets[1:]:
            self.out.write(f"{offset:010d} 00000 n \n".encode())
        self.out.write(
            f"trailer\n<< /Size {len(self.offsets)} /Root {root} 0 R /Info {info} 0 R >>\n"
            f"startxref\n{xref}\n%%EOF\n".encode()
        )


class _Copier:
    """Copies the objects one input's pages reach, renumbered into the writer."""

    def __init__(self, writer: _Writer, reader: PdfReader, parent: int) -> None:
        self.writer = writer
        self.reader = reader
        self.parent = parent
        self.numbers: dict[tuple[int, int], int] = {}
        self.pending: list[tuple[int, int]] = []

    def ref(self, ref: IndirectObject) -> IndirectObject:
        key = (ref.idnum, ref.generation)
        if key not in self.numbers:
            self.numbers[key] = self.writer.reserve()
            self.pending.append(key)
        return IndirectObject(self.numbers[key], 0, None)  # type: ignore[arg-type]

    def value(self, obj: Any) -> Any:
        if isinstance(obj, IndirectObject):
            return self.ref(obj)
        if isinstance(obj, StreamObject):
            copy = StreamObject()
            copy._data = obj._data
            for key, item in obj.items():
                if key != "/Length":
                    copy[NameObject(key)] = self.value(item)
            return copy
        if isinstance(obj, DictionaryObject):
            copy_dict = DictionaryObject()
            for key, item in obj.items():
                copy_dict[NameObject(key)] = self.value(item)
            return copy_dict
        if isinstance(obj, ArrayObject):
            return ArrayObject(self.value(item) for item in obj)
        return obj

    def page(self, ref: IndirectObject) -> int:
        number = self.ref(ref).idnum
        self.drain()
        return number

    def drain(self) -> None:
        while self.pending:
            key = self.pending.pop()
            obj = self.reader.get_object(IndirectObject(key[0], key[1], self.reader))
            copy = self.value(obj)
            if isinstance(copy, DictionaryObject) and copy.get("/Type") == "/Page":
                copy[NameObject("/Parent")] = IndirectObject(self.parent, 0, None)  # type: ignore[arg-type]
            self.writer.write(self.numbers[key], copy)


def join_pdfs(parts: Sequence[Path], target: Path, *, title: str = "", author: str = "") -> int:
    """Write the pages of ``parts``, in order, to ``target``; the number of pages."""
    with target.open("wb") as out:
        writer = _Writer(out)
        pages_number = writer.reserve()
        kids: list[int] = []
        for part in parts:
            reader = PdfReader(part)
            copier = _Copier(writer, reader, pages_number)
            for page in reader.pages:
                kids.append(copier.page(page.indirect_reference))
        pages = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Pages"),
                NameObject("/Count"): NumberObject(len(kids)),
                NameObject("/Kids"): ArrayObject(
                    IndirectObject(k, 0, None)  # type: ignore[arg-type]
                    for k in kids
                ),
            }
        )
        writer.write(pages_number, pages)
        root = writer.reserve()
        writer.write(
            root,
            DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/Catalog"),
                    NameObject("/Pages"): IndirectObject(pages_number, 0, None),  # type: ignore[arg-type]
                }
            ),
        )
        info = writer.reserve()
        writer.write(
            info,
            DictionaryObject(
                {
                    NameObject("/Title"): TextStringObject(title),
                    NameObject("/Author"): TextStringObject(author),
                    NameObject("/Creator"): TextStringObject("talentdesk"),
                }
            ),
        )
        writer.finish(root, info)
    return len(kids)
