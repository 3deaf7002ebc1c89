#!/usr/bin/env python3
"""Writes the hostile spreadsheets of the broken-file corpus (server/tests/broken/).

Each is small on disk and asks the spreadsheet reader for far more than a
station list ever needs: cells at opposite corners of the sheet, zip members
that inflate to about 100 MB (one honest about it, one declaring 1 KB), and
.ods rows, columns and spaces repeated beyond any template. Before the
reader was guarded (ingest/sheet_limits.rs) the corner cells alone made the
server abort on a 549 GB allocation.

Run from the repository root: python3 scripts/make-hostile-spreadsheets.py
"""

import struct
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "server" / "tests" / "broken"

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
</Types>"""

RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""

WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="Attributen" sheetId="1" r:id="rId1"/></sheets>
</workbook>"""

WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
</Relationships>"""

SHARED_STRINGS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>{text}</t></si></sst>"""


def sheet(dimension, cells):
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    rows = "".join(f'<row r="{row}"><c r="{ref}" t="s"><v>0</v></c></row>' for ref, row in cells)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{declared}<sheetData>{rows}</sheetData></worksheet>"
    )


CORNERS = [("A1", 1), ("XFD1048576", 1048576)]
TEXT = "Nummer stembureau"
# About 100 MB of text: more than a member of a station list may inflate to,
# and it packs into about 100 KB.
HUGE = 96 << 20


def xlsx(name, worksheet, strings):
    with zipfile.ZipFile(OUT / name, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        z.writestr("xl/worksheets/sheet1.xml", worksheet)
        z.writestr("xl/sharedStrings.xml", strings)


def declare_size(name, member, size):
    """Rewrites the inflated size `member` declares, in its local header and
    in the central directory, leaving what it really inflates to."""
    path = OUT / name
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(member)
    struct.pack_into("<I", data, info.header_offset + 22, size)
    # The member's central directory entry (signature PK\1\2, its name at
    # offset 46): the inflated size is at offset 24.
    entry = 0
    while True:
        entry = data.find(b"PK\x01\x02", entry)
        name_length = struct.unpack_from("<H", data, entry + 28)[0]
        if data[entry + 46 : entry + 46 + name_length] == member.encode():
            break
        entry += 4
    struct.pack_into("<I", data, entry + 24, size)
    path.write_bytes(bytes(data))


ODS_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">
<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"""


def ods(name, rows):
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">'
        '<office:body><office:spreadsheet><table:table table:name="Attributen">'
        f"{rows}</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(OUT / name, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        z.writestr("META-INF/manifest.xml", ODS_MANIFEST, zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)


def main():
    strings = SHARED_STRINGS.format(text=TEXT)
    xlsx("sheet-corner-cells.xlsx", sheet("A1:XFD1048576", CORNERS), strings)
    xlsx("sheet-corner-cells-undeclared.xlsx", sheet(None, CORNERS), strings)
    huge = SHARED_STRINGS.format(text="a" * HUGE)
    xlsx("zip-bomb.xlsx", sheet("A1", CORNERS[:1]), huge)
    xlsx("zip-bomb-declared-small.xlsx", sheet("A1", CORNERS[:1]), huge)
    declare_size("zip-bomb-declared-small.xlsx", "xl/sharedStrings.xml", 1024)

    text = '<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>'
    ods("ods-repeated-rows.ods", f'<table:table-row table:number-rows-repeated="1048576">{text}</table:table-row>')
    number = '<table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"/>'
    ods("ods-repeated-columns.ods", f'<table:table-row table:number-rows-repeated="100">{number}</table:table-row>')
    spaces = (
        '<table:table-cell office:value-type="string"><text:p>'
        '<text:s text:c="2000000000"/></text:p></table:table-cell>'
    )
    ods("ods-repeated-spaces.ods", f"<table:table-row>{spaces}</table:table-row>")


if __name__ == "__main__":
    main()
