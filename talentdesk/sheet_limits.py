"""Refuse a workbook calamine cannot read safely, before calamine reads it.

Why this exists: calamine (the Rust reader behind ``python-calamine``) builds a sheet as one
dense block of cells from its first to its last non-empty cell, and builds it with an
allocation that aborts the whole process when it fails. A 5 KB .xlsx with one value in
XFD1048576 asks for 16,384 × 1,048,576 cells (512 GiB): "memory allocation of
549755813888 bytes failed", exit 134, and the clerk's GUI session is gone without a word.
Nothing in Python can catch that, so the size of every sheet is found here first, cheaply,
from the file itself, and a sheet over :data:`MAX_ROWS`, :data:`MAX_COLUMNS` or
:data:`MAX_CELLS` is refused with a :class:`UserError` naming the file, the sheet and the
range it uses.

What calamine 0.37 does, found by running it in a subprocess (docs/ has no note: this is it):

* .xlsx: the ``<dimension ref=...>`` element is only a hint (a huge declared dimension with
  two real cells reads fine; a small one with a far cell aborts). What counts is every cell
  element with content: its ``r="XFD1048576"`` reference, or, without ``r``, the position
  after the previous cell of the row. A far cell aborts with or without a dimension. So the
  sheet XML is streamed from the zip and every cell reference checked (see
  :func:`_xlsx_extent`): about 30 ms for a 10,000-row × 24-column sheet (11-12 MB of XML),
  next to calamine's 155 ms (inline strings, as openpyxl writes) to 230 ms (shared strings,
  as Excel and LibreOffice write) for the same sheet. Half of it is unzipping.
* .ods: calamine caps ``table:number-rows-repeated`` / ``number-columns-repeated`` itself and
  fails (instead of aborting) past 100 million cells, and trailing styled empty rows and
  columns, which LibreOffice writes up to row 1,048,576 and column 16,384, cost nothing. But a
  1.7 KB file whose one value cell is repeated over 16,384 columns × 3,000 rows takes 3 GB and
  8 s before Python sees a cell, and a far cell is reported as "Cell limit exceeded", which we
  would call damage. So the cells of content.xml are counted with their repeats
  (:func:`_ods_extents`).
* .xls: the DIMENSIONS record is trusted: calamine reserves rows × columns cells for it, and
  one claiming 1,048,576 × 16,384 aborts when the workbook is opened. A cell record at row
  65,535, column 65,535 aborts too. The records are walked (:func:`_xls_extents`) from the
  OLE compound file, read by the small reader below.
* A password-protected workbook: an encrypted .xlsx is an OLE compound file with an
  "EncryptionInfo" stream, an encrypted .xls has a FILEPASS record. Opened from a file object,
  calamine calls both "Cannot detect file format"; here they get the password message.

A file this module cannot make sense of (not a zip, a broken compound file) is left to
calamine, which reports it as damaged.
"""

from __future__ import annotations

import codecs
import functools
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Protocol
from xml.etree import ElementTree

from talentdesk.errors import UserError
from talentdesk.i18n import N_

#: an import holds a few hundred thousand rows at most
MAX_ROWS = 500_000
#: the templates have up to ~30 columns; a thousand leaves room for the user's own
MAX_COLUMNS = 1_000
#: 500,000 rows × 30 columns; calamine holds 32 bytes a cell, so about 480 MB, then Python
MAX_CELLS = 15_000_000

PASSWORD_MESSAGE = N_("{path} is protected by a password; save a copy without one and import that")
TOO_LARGE_MESSAGE = N_(
    "{path}: sheet {sheet} uses the range {range} ({cells} cells); an import reads at most "
    "{max_rows} rows, {max_columns} columns and {max_cells} cells. Delete what lies outside "
    "the table (rows below it, columns right of it) and save the file again"
)

CFB_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Extent:
    """How far a sheet reaches: the last row and column (1-based) calamine would build to."""

    rows: int = 0
    columns: int = 0

    @property
    def cells(self) -> int:
        return self.rows * self.columns

    def fits(self) -> bool:
        return self.rows <= MAX_ROWS and self.columns <= MAX_COLUMNS and self.cells <= MAX_CELLS

    def range(self) -> str:
        return f"A1:{column_letters(max(self.columns, 1))}{max(self.rows, 1)}"


class _Unreadable(Exception):
    """The file is not what its signature says; calamine will report it."""


class _Implicit(Exception):
    """A sheet has cells without a reference: it needs the exact, slower scan."""


def check_workbook(path: Path) -> None:
    """Raise UserError if the workbook is password protected or a sheet is too large to read.

    OSError (a locked or vanished file) goes to the caller, which explains it.
    """
    with path.open("rb") as file:
        head = file.read(8)
        try:
            if head.startswith(b"PK\x03\x04"):
                _check_zip(path, file)
            elif head == CFB_SIGNATURE:
                file.seek(0)
                _check_compound(path, file.read())
        except (
            _Unreadable,
            zipfile.BadZipFile,
            zlib.error,
            EOFError,
            struct.error,
            ValueError,
            KeyError,
            IndexError,
            NotImplementedError,
        ):
            return


def too_large(path: Path, sheet: str, extent: Extent) -> UserError:
    return UserError(
        TOO_LARGE_MESSAGE,
        path=str(path),
        sheet=sheet,
        range=extent.range(),
        cells=f"{extent.cells:,}",
        max_rows=f"{MAX_ROWS:,}",
        max_columns=f"{MAX_COLUMNS:,}",
        max_cells=f"{MAX_CELLS:,}",
    )


def _check(path: Path, extents: Iterable[tuple[str, Extent]]) -> None:
    for sheet, extent in extents:
        if not extent.fits():
            raise too_large(path, sheet, extent)


# --------------------------------------------------------------------------- references


def column_letters(number: int) -> str:
    """1 → A, 27 → AA, 16384 → XFD."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _column_number(letters: bytes) -> int:
    number = 0
    for byte in letters.upper():
        number = number * 26 + byte - 64
    return number


_REFERENCE = re.compile(rb"([A-Za-z]+)([0-9]+)")
#: columns that 1, 2, 3 ... letters can name: Z, ZZ, ZZZ
_MAX_COLUMN_OF = [0, 26, 702, 18_278, 475_254]


def _reference(value: bytes) -> tuple[int, int] | None:
    """(row, column), 1-based, of a cell reference as calamine reads it; None if it has none."""
    match = _REFERENCE.fullmatch(value)
    if match is None:
        return None  # calamine fails on it: the file is reported as damaged
    return int(match[2]), _column_number(match[1])


# --------------------------------------------------------------------------- zip: xlsx, ods


def _check_zip(path: Path, file: IO[bytes]) -> None:
    with zipfile.ZipFile(file) as archive:
        names = set(archive.namelist())
        if "content.xml" in names and "xl/workbook.xml" not in names:
            with _open_member(file, archive, "content.xml") as content:
                _check(path, _ods_extents(path, content))
            return
        for sheet, member in _xlsx_sheets(archive):
            reopen = functools.partial(_open_member, file, archive, member)
            with reopen() as xml:
                _check(path, [(sheet, _xlsx_extent(xml, reopen))])


class _Reader(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...

    def __enter__(self) -> _Reader: ...

    def __exit__(self, *args: object) -> None: ...


class _Inflated:
    """A deflated zip member read with zlib alone: zipfile's CRC pass would cost a tenth more.

    (calamine checks the CRC when it reads the member; here only the tags matter.)
    """

    def __init__(self, file: IO[bytes], offset: int, size: int) -> None:
        self.file, self.offset, self.left = file, offset, size
        self.inflate = zlib.decompressobj(-zlib.MAX_WBITS)
        self.pending = b""

    def __enter__(self) -> _Inflated:
        return self

    def __exit__(self, *args: object) -> None:
        return None

    def read(self, size: int = -1) -> bytes:
        limit = size if size > 0 else _CHUNK
        while True:
            if self.pending:
                data = self.inflate.decompress(self.pending, limit)
                self.pending = self.inflate.unconsumed_tail
                if data:
                    return data
            if self.left <= 0 or self.inflate.eof:
                return self.inflate.flush() if not self.inflate.eof else b""
            self.file.seek(self.offset)
            self.pending = self.file.read(min(self.left, _CHUNK))
            if not self.pending:
                raise _Unreadable
            self.offset += len(self.pending)
            self.left -= len(self.pending)


def _open_member(file: IO[bytes], archive: zipfile.ZipFile, member: str) -> _Reader:
    info = archive.getinfo(member)
    if info.compress_type == zipfile.ZIP_DEFLATED and not info.flag_bits & 0x1:
        file.seek(info.header_offset)
        header = file.read(30)
        if len(header) == 30 and header.startswith(b"PK\x03\x04"):
            name_length, extra_length = struct.unpack_from("<HH", header, 26)
            start = info.header_offset + 30 + name_length + extra_length
            return _Inflated(file, start, info.compress_size)
    return archive.open(info)


def _small_xml(archive: zipfile.ZipFile, name: str) -> ElementTree.Element | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > 20 << 20:
        return None
    try:
        return ElementTree.fromstring(archive.read(info))
    except ElementTree.ParseError:
        return None


def _xlsx_sheets(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, zip member) of every worksheet; a member no sheet names goes by its path."""
    sheets: list[tuple[str, str]] = []
    workbook = "xl/workbook.xml"
    root_rels = _small_xml(archive, "_rels/.rels")
    for rel in root_rels if root_rels is not None else ():
        if rel.get("Type", "").endswith("/officeDocument"):
            workbook = rel.get("Target", workbook).lstrip("/")
    folder = PurePosixPath(workbook).parent
    rels = _small_xml(archive, str(folder / "_rels" / (PurePosixPath(workbook).name + ".rels")))
    targets: dict[str, str] = {}
    for rel in rels if rels is not None else ():
        target = rel.get("Target", "")
        member = target.lstrip("/") if target.startswith("/") else str(folder / target)
        targets[rel.get("Id", "")] = _normalise(member)
    book = _small_xml(archive, workbook)
    for element in book.iter() if book is not None else ():
        if element.tag.rsplit("}", 1)[-1] == "sheet":
            rid = next((v for k, v in element.attrib.items() if k.endswith("}id")), "")
            if rid in targets:
                sheets.append((element.get("name", rid), targets[rid]))
    names = set(archive.namelist())
    sheets = [(name, member) for name, member in sheets if member in names]
    named = {member for _name, member in sheets}
    for member in sorted(names - named):
        if re.search(r"(^|/)worksheets/[^/]+\.xml$", member):
            sheets.append((member, member))
    return sheets


def _normalise(member: str) -> str:
    parts: list[str] = []
    for part in member.split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts)


def _xml_chunks(stream: _Reader, after: bytes = b"") -> Iterator[bytes]:
    """The XML in pieces that end just before a '<' (or just ``after`` a string): no tag is cut.

    XML allows no '<' inside an attribute value, so every tag before the last '<' is whole.
    UTF-16 XML is turned into UTF-8 first, so the byte patterns below apply.
    """
    first = stream.read(_CHUNK)
    decoder = None
    if first.startswith((b"\xff\xfe", b"\xfe\xff")) or first[:2] in (b"<\x00", b"\x00<"):
        encoding = "utf-16-be" if first[:2] in (b"\xfe\xff", b"\x00<") else "utf-16-le"
        decoder = codecs.getincrementaldecoder(encoding)()
    carry = b""
    data = first
    while data:
        if decoder is not None:
            data = decoder.decode(data).encode("utf-8")
        data = carry + data
        if after:
            cut = data.rfind(after)
            cut = cut + len(after) if cut >= 0 else -1
        else:
            cut = data.rfind(b"<")
        if cut <= 0 and len(data) < 64 * _CHUNK:
            carry = data  # (a row of an .ods is read whole: its width needs all of it)
        elif cut <= 0:  # 64 MB without a tag or a row's end: not a sheet to count exactly
            yield data
            carry = b""
        else:
            yield data[:cut]
            carry = data[cut:]
        data = stream.read(_CHUNK)
    if carry:
        yield carry


#: a whole start tag of a cell, any prefix; attribute values may hold '>'
_CELL_TAG = re.compile(rb"""<(?:[\w.-]+:)?c((?:[^>"']|"[^"]*"|'[^']*')*)>""")
_R_ATTRIBUTE = re.compile(rb"""\sr\s*=\s*(?:"([^"]*)"|'([^']*)')""")
#: a prefixed cell or row element (<x:c ...>): only the exact scan reads those
_PREFIXED = re.compile(rb":(?:c|row)[\s>/]")
#: a cell tag that is not `<c r="...`: the reference is elsewhere, or missing
_ODD_CELL = rb"""<c(?:[>\t\r\n]| (?!r="))"""
_ODD_CELL_RE = re.compile(_ODD_CELL)
_HONEST_COLUMNS = re.compile(rb'<c r="([A-Z]+)[0-9]')
_HONEST_ROWS = re.compile(rb'<c r="[A-Z]+([0-9]+)"')
_BOX: dict[tuple[int, int], re.Pattern[bytes]] = {}


def _box(letters: int, digits: int) -> re.Pattern[bytes]:
    """Cells whose reference is longer than ``letters`` letters + ``digits`` digits, or odd.

    One pass of this over the sheet is the cheap check: an honest sheet's references all fit
    the box after it has grown a few times (at most 4 × 7), and a reference that does not fit
    is looked at on its own.
    """
    pattern = _BOX.get((letters, digits))
    if pattern is None:
        fits = rb'r="[A-Z]{0,%d}+[0-9]{0,%d}+"' % (letters, digits)
        pattern = _BOX[letters, digits] = re.compile(rb"<c(?:[>\t\r\n]| (?!" + fits + b"))")
    return pattern


def _odd_cell(chunk: bytes, start: int) -> tuple[int, int] | None:
    """Row and column of the cell tag at ``start``; None for a self-closing (empty) one.

    Raises _Implicit for a cell without a reference (its place follows from the cells before).
    """
    tag = _CELL_TAG.match(chunk, start)
    if tag is None:
        raise _Implicit  # not a tag this scan understands: let the exact scan decide
    attributes = tag[1]
    if attributes.endswith(b"/"):
        return None  # calamine skips a self-closing cell: it has no value
    reference = _R_ATTRIBUTE.search(attributes)
    if reference is None:
        raise _Implicit
    return _reference(reference[1] if reference[1] is not None else reference[2]) or (0, 0)


def _xlsx_extent(stream: _Reader, reopen: Callable[[], _Reader]) -> Extent:
    """How far the cells of a worksheet's XML reach, without loading the XML.

    The cheap pass checks that every cell reference fits a box of so many letters and digits;
    when that box is over the limits (say 27+ columns and 10,000+ rows), a second pass finds
    the exact last column and row. Cells without references, or with prefixed tags, need the
    exact tokenizer, which follows calamine's rules.
    """
    letters = digits = 1
    rows = columns = 0
    for chunk in _xml_chunks(stream):
        if _PREFIXED.search(chunk):
            return _xlsx_extent_exact(_chunks_of(reopen))
        pattern = _box(letters, digits)
        position = 0
        while match := pattern.search(chunk, position):
            position = match.end()
            try:
                cell = _odd_cell(chunk, match.start())
            except _Implicit:
                return _xlsx_extent_exact(_chunks_of(reopen))
            if cell is None:
                continue
            row, column = cell
            rows, columns = max(rows, row), max(columns, column)
            if not Extent(row, column).fits():  # refused: find how far the sheet really goes
                return _xlsx_extent_precise(reopen)
            new_letters = max(letters, len(column_letters(column)))
            new_digits = max(digits, len(str(row)))
            if (new_letters, new_digits) != (letters, digits):
                letters, digits = new_letters, new_digits
                pattern = _box(letters, digits)
    bound = Extent(max(rows, 10**digits - 1), max(columns, _MAX_COLUMN_OF[min(letters, 4)]))
    if bound.fits():
        return bound  # an upper bound is enough to let the sheet through
    return _xlsx_extent_precise(reopen)


def _xlsx_extent_precise(reopen: Callable[[], _Reader]) -> Extent:
    try:
        return _xlsx_extent_counted(_chunks_of(reopen))
    except _Implicit:
        return _xlsx_extent_exact(_chunks_of(reopen))


def _chunks_of(reopen: Callable[[], _Reader]) -> Iterator[bytes]:
    with reopen() as stream:
        yield from _xml_chunks(stream)


def _xlsx_extent_counted(chunks: Iterable[bytes]) -> Extent:
    """The exact extent of a sheet whose cells all have references; _Implicit if some lack one."""
    rows = columns = 0
    for chunk in chunks:
        if _PREFIXED.search(chunk):
            raise _Implicit
        found = set(_HONEST_COLUMNS.findall(chunk))
        if found:
            columns = max(columns, max(_column_number(c) for c in found))
        numbers = set(_HONEST_ROWS.findall(chunk))
        if numbers:
            rows = max(rows, max(map(int, numbers)))
        for match in _ODD_CELL_RE.finditer(chunk):
            cell = _odd_cell(chunk, match.start())
            if cell is not None:
                rows, columns = max(rows, cell[0]), max(columns, cell[1])
    return Extent(rows, columns)


_ANY_TAG = re.compile(
    rb"""<(/?)(?:[\w.-]+:)?(row|c|sheetData)(?=[\s/>])((?:[^>"']|"[^"]*"|'[^']*')*)>"""
)


def _xlsx_extent_exact(chunks: Iterable[bytes]) -> Extent:
    """Follow calamine's reader tag by tag: a cell without ``r`` sits after the previous one.

    Slow (a Python step per cell) and only needed for writers that leave references out.
    Every non-empty cell element counts, even one whose value turns out empty.
    """
    row_index = column_index = 0  # 0-based, as calamine keeps them
    rows = columns = 0
    for chunk in chunks:
        for closing, name, attributes in _ANY_TAG.findall(chunk):
            self_closing = attributes.endswith(b"/")
            if name == b"row":
                if closing:
                    row_index, column_index = row_index + 1, 0
                elif not self_closing:
                    reference = _R_ATTRIBUTE.search(attributes)
                    value = reference and (reference[1] or reference[2] or b"")
                    if value and value.isdigit():
                        row_index = int(value) - 1
            elif name == b"c" and not closing and not self_closing:
                reference = _R_ATTRIBUTE.search(attributes)
                value = reference and (reference[1] or reference[2] or b"")
                cell = _reference(value) if value else None
                if cell is not None:
                    row_index, column_index = cell[0] - 1, cell[1] - 1
                rows = max(rows, row_index + 1)
                columns = max(columns, column_index + 1)
                column_index += 1
    return Extent(rows, columns)


# --------------------------------------------------------------------------- ods

_ROW_START = b"<table:table-row"
_ROW_END = b"</table:table-row>"
#: a table starts or ends (not table-row, table-column ...)
_TABLE_EDGE = re.compile(rb"<table:table(?=[\s>])[^>]*>|</table:table>")
_ODS_NAME = re.compile(rb"""\stable:name\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ROWS_REPEATED = re.compile(rb"""table:number-rows-repeated\s*=\s*["']\s*([0-9]+)""")
_COLUMNS_REPEATED = re.compile(rb"""table:number-columns-repeated\s*=\s*["']\s*([0-9]+)""")
#: inside a row, the only start tags in the table namespace are cells and covered cells
_CELL_START = b"<table:"
#: the attributes that give a cell a value in calamine (office:value also finds value-type;
#: a value-type="float" with no value counts although calamine leaves it empty: a bound)
_ODS_VALUES = (
    b"office:value",
    b"office:string-value",
    b"office:date-value",
    b"office:time-value",
    b"office:boolean-value",
    b"table:formula",
)
#: <text:s text:c="N"/> is N spaces: calamine writes them all out (2e9 took 27 s and 7.6 GB)
_ODS_SPACES = re.compile(rb"""text:c\s*=\s*["']\s*0*([0-9]{5,})""")
#: the most characters a cell holds in Excel
MAX_CELL_TEXT = 32_767
SPACES_MESSAGE = N_(
    "{path}: sheet {sheet} has a cell of {count} spaces; a cell holds at most {max} characters"
)


@dataclass
class _OdsTables:
    """Reads content.xml piece by piece: the table being read, its extent and next row."""

    name: str = ""
    rows: int = 0
    columns: int = 0
    row: int = 1

    def extent(self) -> Extent:
        return Extent(self.rows, self.columns)

    def _edges(self, xml: bytes, start: int, end: int, ended: list[tuple[str, Extent]]) -> None:
        for edge in _TABLE_EDGE.finditer(xml, start, end):
            if edge[0].startswith(b"</"):
                ended.append((self.name, self.extent()))
                continue
            named = _ODS_NAME.search(edge[0])
            name = (named[1] or named[2] or b"") if named else b""
            self.name = name.decode("utf-8", "replace")
            self.rows = self.columns = 0
            self.row = 1

    def feed(self, xml: bytes, repeats_inside: bool) -> list[tuple[str, Extent]]:
        """Read the rows of ``xml``; return the tables that ended in it.

        Each row is looked at with a few C-speed searches, not cell by cell: its width is the
        number of cell tags up to its last value plus their repeats. Rows and cells after the
        last value do not count, as in calamine. Tables start and end between rows.
        """
        ended: list[tuple[str, Extent]] = []
        position = 0
        after = len(_ROW_START)
        while True:
            found = xml.find(_ROW_START, position)
            gap_end = len(xml) if found < 0 else found
            if gap_end > position:
                self._edges(xml, position, gap_end, ended)
            if found < 0:
                return ended
            tag_end = xml.find(b">", found)
            if tag_end < 0:
                return ended
            position = tag_end + 1
            if xml[found + after] not in b" \t\r\n/>":
                continue  # <table:table-rows>, <table:table-row-group>
            repeats = 1
            if xml.find(b"rows-repeated", found, tag_end) >= 0:
                repeats = _repeats(_ROWS_REPEATED, xml[found:tag_end])
            if xml[tag_end - 1] == 47:  # a self-closing row: "/>"
                self.row += repeats
                continue
            row_end = xml.find(_ROW_END, tag_end)
            if row_end < 0:
                row_end = len(xml)
            last = xml.rfind(_ODS_VALUES[0], tag_end, row_end)
            for value in _ODS_VALUES[1:]:  # only what lies after the last office:value matters
                later = xml.rfind(value, last if last > tag_end else tag_end, row_end)
                if later > last:
                    last = later
            if last >= 0:
                cell_end = xml.find(b">", last, row_end)
                cell_end = row_end if cell_end < 0 else cell_end
                width = xml.count(_CELL_START, tag_end, cell_end)
                if repeats_inside and xml.find(b"columns-repeated", tag_end, cell_end) >= 0:
                    for n in _COLUMNS_REPEATED.findall(xml, tag_end, cell_end):
                        width += int(n) - 1
                if width > self.columns:
                    self.columns = width
                if self.row + repeats - 1 > self.rows:
                    self.rows = self.row + repeats - 1
            self.row += repeats
            position = row_end


def _repeats(pattern: re.Pattern[bytes], attributes: bytes) -> int:
    match = pattern.search(attributes)
    return int(match[1]) if match else 1


def _ods_extents(path: Path, stream: _Reader) -> Iterator[tuple[str, Extent]]:
    """The extent of every table of content.xml, counting repeated rows and cells.

    Empty rows and cells after the last value (LibreOffice's styled rows down to 1,048,576)
    do not count, as in calamine. About 120 ms for 10,000 rows × 24 columns (34 MB of XML),
    as long as calamine's read.
    """
    tables = _OdsTables()
    for chunk in _xml_chunks(stream, after=_ROW_END):
        yield from tables.feed(chunk, b"columns-repeated" in chunk)
        for spaces in _ODS_SPACES.findall(chunk):
            if int(spaces) > MAX_CELL_TEXT:
                raise UserError(
                    SPACES_MESSAGE,
                    path=str(path),
                    sheet=tables.name,
                    count=f"{int(spaces):,}",
                    max=f"{MAX_CELL_TEXT:,}",
                )
        if not tables.extent().fits():
            yield tables.name, tables.extent()  # refused now: no need to read on


# --------------------------------------------------------------------------- xls, compound files

_BIFF_CELLS = {0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD, 0x0006}
_ENCRYPTED_STREAMS = {"encryptioninfo", "encryptedpackage"}


def _check_compound(path: Path, data: bytes) -> None:
    streams = _CompoundFile(data)
    names = {name.casefold() for name in streams.names}
    if names & _ENCRYPTED_STREAMS:
        raise UserError(PASSWORD_MESSAGE, path=str(path))
    for name in ("Workbook", "Book", "WORKBOOK", "BOOK"):
        if name.casefold() in names:
            workbook = streams.read(name)
            break
    else:
        return
    if _xls_has_password(workbook):
        raise UserError(PASSWORD_MESSAGE, path=str(path))
    _check(path, _xls_extents(workbook))


def _records(stream: bytes, start: int = 0) -> Iterator[tuple[int, bytes]]:
    position = start
    while position + 4 <= len(stream):
        kind, size = struct.unpack_from("<HH", stream, position)
        data = stream[position + 4 : position + 4 + size]
        if len(data) < size:
            return
        yield kind, data
        position += 4 + size


def _xls_has_password(workbook: bytes) -> bool:
    for kind, data in _records(workbook):
        if kind == 0x002F and len(data) >= 2 and struct.unpack_from("<H", data)[0] != 0:
            return True
        if kind == 0x000A:
            return False
    return False


def _xls_sheets(workbook: bytes) -> Iterator[tuple[str, int]]:
    """(name, stream offset) of every BOUNDSHEET record of the workbook globals."""
    for kind, data in _records(workbook):
        if kind == 0x0085 and len(data) >= 8:
            offset = struct.unpack_from("<I", data)[0]
            length, high = data[6], data[7] if len(data) > 7 else 0
            raw = data[8 : 8 + length * (2 if high & 1 else 1)]
            name = raw.decode("utf-16-le" if high & 1 else "latin-1", "replace")
            yield name, offset
        elif kind == 0x000A:
            return


def _xls_extents(workbook: bytes) -> Iterator[tuple[str, Extent]]:
    """How far each sheet of a BIFF workbook stream reaches, as calamine reads it.

    The DIMENSIONS record counts with what calamine reserves for it; cell records with their
    row and column (nested chart substreams are skipped, as calamine does). One Python step
    per record: about 80 ms for 10,000 rows × 24 columns, where calamine takes 25 ms.
    """
    pair = struct.Struct("<HH").unpack_from
    one = struct.Struct("<H").unpack_from
    end = len(workbook)
    for name, offset in _xls_sheets(workbook):
        rows = columns = 0
        reserved = Extent()
        seen_bof = False
        depth = 0
        position = offset
        while position + 4 <= end:
            kind, size = pair(workbook, position)
            data = position + 4
            position = data + size
            if position > end:
                break
            if depth:
                depth += 1 if kind == 0x0809 else -1 if kind == 0x000A else 0
            elif kind in _BIFF_CELLS:
                if size >= 4:
                    row, column = pair(workbook, data)
                    if row >= rows:
                        rows = row + 1
                    if column >= columns:
                        columns = column + 1
            elif kind == 0x0809:
                if seen_bof:
                    depth = 1
                seen_bof = True
            elif kind == 0x000A:
                break
            elif kind == 0x0200:
                reserved = _xls_dimensions(workbook[data:position])
            elif kind == 0x00BD and size >= 6:
                row, first = pair(workbook, data)
                (last,) = one(workbook, position - 2)
                if row >= rows:
                    rows = row + 1
                columns = max(columns, first + (size - 6) // 6, last + 1)
        if not reserved.fits():
            yield name, reserved
        yield name, Extent(rows, columns)


def _xls_dimensions(data: bytes) -> Extent:
    """The block calamine reserves for a DIMENSIONS record (with its u32 wrap-around)."""
    if len(data) == 14:
        first_row, last_row, first_col, last_col = struct.unpack_from("<IIHH", data)
    elif len(data) == 10:
        first_row, last_row, first_col, last_col = struct.unpack_from("<HHHH", data)
    else:
        return Extent()
    if first_col > 0xFF or last_col < first_col:
        first_col = 0
    if last_row < 1 or last_col < 1:
        return Extent(1, 1)
    rows = (last_row - 1 - first_row + 1) % (1 << 32)
    columns = (last_col - 1 - first_col + 1) % (1 << 32)
    return Extent(rows, columns)


class _CompoundFile:
    """Just enough of an OLE compound file (MS-CFB) to list its streams and read one."""

    def __init__(self, data: bytes) -> None:
        if len(data) < 512 or not data.startswith(CFB_SIGNATURE):
            raise _Unreadable
        self.data = data
        shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
        if shift not in (9, 12) or mini_shift != 6:
            raise _Unreadable
        self.size = 1 << shift
        (
            fat_sectors,
            first_directory,
            _transaction,
            self.mini_cutoff,
            first_mini_fat,
            mini_fat_sectors,
            first_difat,
            difat_sectors,
        ) = struct.unpack_from("<IIIIIIII", data, 0x2C)
        difat = list(struct.unpack_from("<109I", data, 0x4C))
        sector, seen = first_difat, 0
        while sector < 0xFFFFFFFA and seen < difat_sectors:
            block = self._sector(sector)
            entries = struct.unpack(f"<{self.size // 4}I", block)
            difat.extend(entries[:-1])
            sector, seen = entries[-1], seen + 1
        self.fat: list[int] = []
        for sector in difat[:fat_sectors]:
            if sector >= 0xFFFFFFFA:
                break
            self.fat.extend(struct.unpack(f"<{self.size // 4}I", self._sector(sector)))
        directory = self._chain(first_directory)
        self.entries: dict[str, tuple[int, int]] = {}
        self.names: list[str] = []
        root: tuple[int, int] | None = None
        for position in range(0, len(directory) - 127, 128):
            entry = directory[position : position + 128]
            (length,) = struct.unpack_from("<H", entry, 64)
            kind = entry[66]
            start, size = struct.unpack_from("<II", entry, 116)
            name = entry[: max(0, min(length, 64) - 2)].decode("utf-16-le", "replace")
            if kind == 5 and root is None:
                root = (start, size)
            elif kind == 2:
                self.names.append(name)
                self.entries.setdefault(name.casefold(), (start, size))
        self.mini_stream = self._chain(root[0])[: root[1]] if root else b""
        self.mini_fat: list[int] = []
        if mini_fat_sectors and first_mini_fat < 0xFFFFFFFA:
            mini = self._chain(first_mini_fat)
            self.mini_fat = list(struct.unpack(f"<{len(mini) // 4}I", mini[: len(mini) // 4 * 4]))

    def _sector(self, number: int) -> bytes:
        start = (number + 1) * self.size
        block = self.data[start : start + self.size]
        if len(block) < self.size:
            raise _Unreadable
        return block

    def _chain(self, first: int, table: list[int] | None = None, size: int = 0) -> bytes:
        table = self.fat if table is None else table
        parts: list[bytes] = []
        sector, steps = first, 0
        while sector < 0xFFFFFFFA:
            if sector >= len(table) or steps > len(table):
                raise _Unreadable
            if size:
                start = sector * size
                parts.append(self.mini_stream[start : start + size])
            else:
                parts.append(self._sector(sector))
            sector, steps = table[sector], steps + 1
        return b"".join(parts)

    def read(self, name: str) -> bytes:
        start, size = self.entries[name.casefold()]
        if size < self.mini_cutoff:
            return self._chain(start, self.mini_fat, 64)[:size]
        return self._chain(start)[:size]
