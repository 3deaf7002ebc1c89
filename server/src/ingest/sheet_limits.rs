//! What a spreadsheet may claim before the spreadsheet reader sees it.
//!
//! calamine trusts the file it reads. It lays a sheet out densely from its
//! first to its last cell (an `.xlsx` holding only A1 and XFD1048576 asks
//! for 17 billion cells, 512 GiB), it repeats an `.ods` cell as often as
//! the cell says, and it inflates zip members as far as they go. An
//! allocation that fails aborts the process, which `catch_unwind` cannot
//! stop, so such a file is refused here first: the zip is read with the
//! crate calamine uses, every member inflated through a limited reader
//! (declared sizes are claims, not facts; this zip reader also stops a
//! member at its declared size, and such a member is refused as damaged),
//! and the sheet XML walked the way calamine walks it, noting where cells
//! lie and how far they repeat.
//!
//! It reads no value: what the cells hold is the template reader's job. Old
//! `.xls` files (OLE, not zip) pass unchecked; calamine's own caps are all
//! they get (see `template::parse`).

use quick_xml::events::{BytesStart, Event};
use std::io::{BufRead, BufReader, Cursor, Read};

/// How large a spreadsheet may be, inflated and laid out, before the
/// spreadsheet reader is allowed to open it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SheetLimits {
    /// Members (parts) of the zip.
    pub members: usize,
    /// Bytes one member may inflate to; for `.ods`, also what its cells may
    /// hold once repeated.
    pub member_bytes: u64,
    /// Bytes all members may inflate to together.
    pub total_bytes: u64,
    /// How many times its packed size a member larger than
    /// [`RATIO_FROM`] may inflate to.
    pub ratio: u64,
    /// Rows, columns and cells a sheet may span from its first to its last
    /// cell, which is what the reader holds in memory.
    pub rows: u64,
    pub columns: u64,
    pub cells: u64,
}

impl SheetLimits {
    /// A municipality's station list: the template has 31 rows and one
    /// column per station (the largest municipality has a few hundred),
    /// and its real copies inflate to about 500 KB, their sheets to 31 by
    /// 1,024 cells. Columns are not bounded below the 16,384 a sheet can
    /// have, because LibreOffice writes formatted cells out to the edge of
    /// the sheet; the cell count bounds the memory instead (a million
    /// cells is about 32 MB laid out).
    pub const STATION_LIST: Self = Self {
        members: 1_000,
        member_bytes: 50 << 20,
        total_bytes: 100 << 20,
        ratio: 100,
        rows: 1_000,
        columns: 16_384,
        cells: 1_000_000,
    };
}

impl Default for SheetLimits {
    fn default() -> Self {
        Self::STATION_LIST
    }
}

/// Smaller members are not held to [`SheetLimits::ratio`]: a short run of
/// repeated markup packs tightly and costs nothing.
pub const RATIO_FROM: u64 = 1 << 20;

const MB: u64 = 1 << 20;

const SAVE_AGAIN: &str = "this is not a plain spreadsheet: open it in Excel or LibreOffice, save it again \
                          and upload that";

/// The first bytes of an OLE compound file: Excel 97–2003's `.xls`.
const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0";

/// Refuses a zip (`.xlsx`, `.ods`) that inflates or lays out larger than
/// `limits` allow, and every `.xls`. Anything else the zip reader cannot
/// open is left to calamine, which opens it with the same reader and says
/// what is wrong.
pub fn check(bytes: &[u8], limits: &SheetLimits) -> Result<(), String> {
    // calamine's `.xls` reader reserves the cells a sheet's dimensions
    // record claims (up to 65,536 × 65,536) before it reads one, and an
    // allocation failure aborts the process; no check of ours can bound
    // it without a reader of the compound format of our own. The format
    // is twenty years old and every spreadsheet program saves the current
    // ones.
    if bytes.starts_with(OLE_MAGIC) {
        return Err("this is an old Excel 97–2003 file (.xls), which is not accepted: open it in Excel or \
                    LibreOffice, save it as .xlsx or .ods and upload that"
            .into());
    }
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    if archive.len() > limits.members {
        return Err(format!(
            "the file holds {} parts; a spreadsheet has at most {}: {SAVE_AGAIN}",
            grouped(archive.len() as u64),
            grouped(limits.members as u64)
        ));
    }
    let mut budget = Budget { limits, inflated: 0, cells: 0 };
    for index in 0..archive.len() {
        // A member the zip reader cannot open, calamine cannot read either.
        if let Ok(member) = archive.by_index(index) {
            budget.member(member)?;
        }
    }
    Ok(())
}

/// What the members read so far have used of the limits.
struct Budget<'a> {
    limits: &'a SheetLimits,
    inflated: u64,
    /// Cells laid out by the sheets so far: calamine holds every `.ods`
    /// table at once.
    cells: u64,
}

impl Budget<'_> {
    fn member<R: Read>(&mut self, mut member: zip::read::ZipFile<'_, R>) -> Result<(), String> {
        let name = String::from_utf8_lossy(member.name_raw()).into_owned();
        let packed = member.compressed_size();
        // The declared size refuses an honest bomb before a byte is inflated.
        self.inflated_size(&name, member.size(), packed)?;
        let allowed = self.limits.member_bytes.min(self.limits.total_bytes.saturating_sub(self.inflated));
        let mut limited = BufReader::new((&mut member).take(allowed.saturating_add(1)));
        let sheets = if name == "content.xml" {
            ods_tables(&mut limited)
        } else {
            xlsx_sheet(&mut limited, &name).into_iter().collect()
        };
        // What the XML walk left, or all of a member that is no XML.
        let drained = std::io::copy(&mut limited, &mut std::io::sink());
        let inflated = allowed.saturating_add(1) - limited.into_inner().limit();
        self.inflated_size(&name, inflated, packed)?;
        if let Err(error) = drained {
            return Err(format!(
                "the spreadsheet is damaged: part {name} cannot be inflated ({error}); open it in Excel or \
                 LibreOffice, save it again and upload that"
            ));
        }
        self.inflated += inflated;
        sheets.iter().try_for_each(|sheet| self.sheet(sheet))
    }

    /// Refuses a member that inflates beyond the limits, by its size
    /// declared or found.
    fn inflated_size(&self, name: &str, size: u64, packed: u64) -> Result<(), String> {
        let limits = self.limits;
        if size > limits.member_bytes {
            return Err(format!(
                "part {name} of the file inflates to more than {} MB; no part of a station list comes near \
                 that: {SAVE_AGAIN}",
                limits.member_bytes / MB
            ));
        }
        if self.inflated.saturating_add(size) > limits.total_bytes {
            return Err(format!(
                "the file inflates to more than {} MB; a station list is a small fraction of that: \
                 {SAVE_AGAIN}",
                limits.total_bytes / MB
            ));
        }
        if size > RATIO_FROM && size / packed.max(1) > limits.ratio {
            return Err(format!(
                "part {name} of the file packs {} bytes into {}, more than {} to one; a spreadsheet \
                 does not pack that tightly: {SAVE_AGAIN}",
                grouped(size),
                grouped(packed),
                limits.ratio
            ));
        }
        Ok(())
    }

    /// Refuses a sheet that claims, or lays out, more rows, columns or
    /// cells than the limits allow, alone or with the sheets before it.
    fn sheet(&mut self, sheet: &Sheet) -> Result<(), String> {
        for area in sheet.declared.iter().chain(&sheet.cells) {
            self.area(&sheet.place, area)?;
        }
        if let Some(cells) = &sheet.cells {
            self.cells = self.cells.saturating_add(cells.cells());
            if self.cells > self.limits.cells {
                return Err(format!(
                    "the sheets together span {} cells, up to {} in {}; a station list has at most {} \
                     cells: delete the sheets and cells that are not the template's and upload that",
                    grouped(self.cells),
                    cells.a1(),
                    sheet.place,
                    grouped(self.limits.cells)
                ));
            }
        }
        if sheet.repeated_bytes > self.limits.member_bytes {
            return Err(format!(
                "{} repeats its cells to more than {} MB of content; a station list has a few hundred \
                 KB: {SAVE_AGAIN}",
                sheet.place,
                self.limits.member_bytes / MB
            ));
        }
        Ok(())
    }

    fn area(&self, place: &str, area: &Area) -> Result<(), String> {
        let limits = self.limits;
        if area.rows() <= limits.rows && area.columns() <= limits.columns && area.cells() <= limits.cells {
            return Ok(());
        }
        Err(format!(
            "{place} claims {} cells ({}); a station list has at most {} rows and {} columns, {} cells \
             in all: delete the rows and columns beyond the stations (or copy the stations into a fresh \
             template) and upload that",
            grouped(area.cells()),
            area.a1(),
            grouped(limits.rows),
            grouped(limits.columns),
            grouped(limits.cells)
        ))
    }
}

/// A rectangle of cells, zero-based and inclusive, as the reader lays a
/// sheet out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Area {
    top: u64,
    left: u64,
    bottom: u64,
    right: u64,
}

impl Area {
    fn cell(row: u64, column: u64) -> Self {
        Self { top: row, left: column, bottom: row, right: column }
    }

    /// The smallest area holding both.
    fn cover(self, other: Self) -> Self {
        Self {
            top: self.top.min(other.top),
            left: self.left.min(other.left),
            bottom: self.bottom.max(other.bottom),
            right: self.right.max(other.right),
        }
    }

    fn rows(&self) -> u64 {
        self.bottom.saturating_sub(self.top).saturating_add(1)
    }

    fn columns(&self) -> u64 {
        self.right.saturating_sub(self.left).saturating_add(1)
    }

    fn cells(&self) -> u64 {
        self.rows().saturating_mul(self.columns())
    }

    /// `A1:XFD1048576`.
    fn a1(&self) -> String {
        let corner = |row: u64, column: u64| {
            let letters = super::template::column_letter(u32::try_from(column).unwrap_or(u32::MAX));
            format!("{letters}{}", row.saturating_add(1))
        };
        format!("{}:{}", corner(self.top, self.left), corner(self.bottom, self.right))
    }
}

/// One sheet as its XML describes it.
#[derive(Debug, Default, PartialEq)]
struct Sheet {
    /// How messages name it: its table name, or its part of the zip.
    place: String,
    /// What its `<dimension>` says.
    declared: Option<Area>,
    /// Where its cells with content lie.
    cells: Option<Area>,
    /// What the cells of an `.ods` table hold once their repetitions are
    /// written out: the reader copies the content each time.
    repeated_bytes: u64,
}

/// The XML reader as calamine configures it, so that both see the same
/// elements (empty ones expanded into start and end).
fn xml_reader<R: BufRead>(input: R) -> quick_xml::Reader<R> {
    let mut reader = quick_xml::Reader::from_reader(input);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    reader
}

fn attribute(element: &BytesStart<'_>, name: &str) -> Option<String> {
    Some(element.try_get_attribute(name).ok()??.value.into_owned())
}

/// An `.xlsx` worksheet part: its declared dimension and where its cells
/// lie, placed as calamine places them (a cell without `r` follows the one
/// before, a row without `r` the row before). A part without `sheetData`
/// is no worksheet and gives none.
fn xlsx_sheet(input: impl BufRead, member: &str) -> Option<Sheet> {
    let mut xml = xml_reader(input);
    let mut buf = Vec::new();
    let mut sheet = Sheet { place: format!("the sheet in {member}"), ..Sheet::default() };
    let mut in_data = false;
    let (mut row, mut column) = (0, 0);
    // The cell being read, and whether it holds anything: calamine keeps
    // only cells with content.
    let mut cell: Option<((u64, u64), bool)> = None;
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf) {
            Ok(Event::Start(element)) => match element.local_name().as_ref() {
                _ if cell.is_some() => {
                    if let Some((_, holds)) = &mut cell {
                        *holds = true;
                    }
                }
                "dimension" if !in_data => {
                    sheet.declared = attribute(&element, "ref").and_then(|r| dimension(&r));
                }
                "sheetData" => in_data = true,
                "row" if in_data => {
                    if let Some((r, _)) = attribute(&element, "r").and_then(|r| position(&r)) {
                        row = r;
                    }
                }
                "c" if in_data => {
                    let place = match attribute(&element, "r").map(|r| position(&r)) {
                        Some(Some((r, Some(c)))) => (r, c),
                        // calamine refuses the sheet.
                        Some(_) => return None,
                        None => (row, column),
                    };
                    cell = Some((place, false));
                }
                _ => {}
            },
            Ok(Event::End(element)) => match element.local_name().as_ref() {
                "c" if in_data => {
                    if let Some(((r, c), holds)) = cell.take() {
                        if holds {
                            let here = Area::cell(r, c);
                            sheet.cells = Some(sheet.cells.map_or(here, |area| area.cover(here)));
                        }
                        column = c.saturating_add(1);
                    }
                }
                "row" if in_data && cell.is_none() => {
                    row = row.saturating_add(1);
                    column = 0;
                }
                "sheetData" => break,
                _ => {}
            },
            // calamine stops where the XML breaks off too.
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
    in_data.then_some(sheet)
}

/// `A1:XFD1048576` or a single `B2`.
fn dimension(text: &str) -> Option<Area> {
    let corner = |part: &str| match position(part)? {
        (row, Some(column)) => Some(Area::cell(row, column)),
        (_, None) => None,
    };
    let mut parts = text.split(':');
    let first = corner(parts.next()?)?;
    let area = match parts.next() {
        Some(last) => first.cover(corner(last)?),
        None => first,
    };
    parts.next().is_none().then_some(area)
}

/// A cell or row reference, zero-based: `XFD1048576` → (1048575,
/// Some(16383)), `7` → (6, None). Read as calamine reads it (letters, then
/// digits), without its overflow.
fn position(text: &str) -> Option<(u64, Option<u64>)> {
    let letters = text.bytes().take_while(u8::is_ascii_alphabetic);
    let column = letters.fold(0u64, |column, letter| {
        column.saturating_mul(26).saturating_add(u64::from(letter.to_ascii_uppercase() - b'A') + 1)
    });
    let digits = text.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let row = digits
        .bytes()
        .fold(0u64, |row, digit| row.saturating_mul(10).saturating_add(u64::from(digit - b'0')));
    Some((row.checked_sub(1)?, column.checked_sub(1)))
}

/// The tables of an `.ods` `content.xml`, laid out as calamine lays them
/// out: a row or cell with content is written out as often as it is
/// repeated, and a row keeps the (empty) cells before its last cell with
/// content, so tables are counted from column A.
fn ods_tables(input: impl BufRead) -> Vec<Sheet> {
    let mut xml = xml_reader(input);
    let mut buf = Vec::new();
    let mut tables = Vec::new();
    let mut table: Option<Sheet> = None;
    // Within a row: its repetitions, the next column, the end of its
    // content and the bytes of content written out.
    let mut row_repeats = 1u64;
    let (mut column, mut row_width, mut row_bytes) = (0u64, 0u64, 0u64);
    let mut row = 0u64;
    // Within a cell: its repetitions, whether it holds anything and the
    // bytes of its content.
    let mut cell: Option<(u64, bool, u64)> = None;
    loop {
        buf.clear();
        let event = match xml.read_event_into(&mut buf) {
            Ok(Event::Eof) | Err(_) => break,
            Ok(event) => event,
        };
        if let Some((_, holds, bytes)) = &mut cell {
            match &event {
                Event::End(end) if is_cell(end.name().as_ref()) => {}
                Event::Start(element) => {
                    *holds = true;
                    *bytes = bytes.saturating_add(element.len() as u64);
                    // `<text:s text:c="n"/>` stands for n spaces.
                    if element.name().as_ref() == "text:s" {
                        let spaces = attribute(element, "text:c").and_then(|c| c.parse::<u64>().ok());
                        *bytes = bytes.saturating_add(spaces.unwrap_or(1));
                    }
                    continue;
                }
                other => {
                    *bytes = bytes.saturating_add(other.len() as u64);
                    continue;
                }
            }
        }
        match event {
            Event::Start(element) if element.name().as_ref() == "table:table" => {
                let name = attribute(&element, "table:name").unwrap_or_default();
                table = Some(Sheet { place: format!("table \"{name}\""), ..Sheet::default() });
                row = 0;
            }
            Event::End(element) if element.name().as_ref() == "table:table" => {
                tables.extend(table.take());
            }
            Event::Start(element) if table.is_some() && element.name().as_ref() == "table:table-row" => {
                row_repeats = repeats(&element, "table:number-rows-repeated");
                (column, row_width, row_bytes) = (0, 0, 0);
            }
            Event::Start(element) if table.is_some() && is_cell(element.name().as_ref()) => {
                let filled =
                    ["office:value", "office:string-value", "office:date-value", "office:time-value"]
                        .into_iter()
                        .chain(["office:boolean-value", "table:formula"])
                        .any(|name| attribute(&element, name).is_some())
                        || attribute(&element, "office:value-type").is_some_and(|kind| kind == "string");
                cell =
                    Some((repeats(&element, "table:number-columns-repeated"), filled, element.len() as u64));
            }
            Event::End(element) if is_cell(element.name().as_ref()) => {
                if let Some((times, holds, bytes)) = cell.take() {
                    column = column.saturating_add(times);
                    if holds {
                        row_width = column;
                        row_bytes = row_bytes.saturating_add(bytes.saturating_mul(times));
                    }
                }
            }
            Event::End(element) if element.name().as_ref() == "table:table-row" => {
                if let Some(table) = table.as_mut().filter(|_| row_width > 0) {
                    let last = row.saturating_add(row_repeats - 1);
                    let here = Area { top: row, left: 0, bottom: last, right: row_width - 1 };
                    table.cells = Some(table.cells.map_or(here, |area| area.cover(here)));
                    table.repeated_bytes =
                        table.repeated_bytes.saturating_add(row_bytes.saturating_mul(row_repeats));
                }
                row = row.saturating_add(row_repeats);
            }
            _ => {}
        }
    }
    tables
}

fn is_cell(name: &str) -> bool {
    name == "table:table-cell" || name == "table:covered-table-cell"
}

/// A repetition count; calamine refuses the file when it is no number,
/// and a count of 0 is taken for 1 here, which is the larger claim.
fn repeats(element: &BytesStart<'_>, name: &str) -> u64 {
    attribute(element, name).and_then(|n| n.parse::<u64>().ok()).unwrap_or(1).max(1)
}

/// 17179869184 → "17,179,869,184".
fn grouped(number: u64) -> String {
    let digits = number.to_string();
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// Small enough to reach with a few KB of XML.
    const TINY: SheetLimits = SheetLimits {
        members: 4,
        member_bytes: 4 << 20,
        total_bytes: 6 << 20,
        ratio: 100,
        rows: 10,
        columns: 20,
        cells: 100,
    };

    fn zip(members: &[(&str, &[u8])]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options =
            zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in members {
            writer.start_file(*name, options).unwrap();
            writer.write_all(bytes).unwrap();
        }
        writer.finish().unwrap().into_inner()
    }

    fn worksheet(data: &str) -> String {
        format!(r#"<?xml version="1.0"?><worksheet><sheetData>{data}</sheetData></worksheet>"#)
    }

    fn ods_table(name: &str, rows: &str) -> String {
        format!(
            r#"<office:document-content><table:table table:name="{name}">{rows}</table:table></office:document-content>"#
        )
    }

    #[test]
    fn cells_are_placed_as_calamine_places_them() {
        // A row or cell without `r` follows the one before; a cell without
        // content is not laid out, however far out it lies.
        let xml = worksheet(
            r#"<row r="3"><c r="B3"><v>1</v></c><c><v>2</v></c><c r="XFD3"/></row>
               <row><c><v>3</v></c></row><row r="900"><c r="Z900" s="1"></c></row>"#,
        );
        let sheet = xlsx_sheet(xml.as_bytes(), "s.xml").unwrap();
        assert_eq!(sheet.cells.map(|area| area.a1()), Some("A3:C4".into()));
        assert_eq!(sheet.declared, None);
    }

    #[test]
    fn a_dimension_is_a_claim_and_parts_without_sheet_data_are_no_sheets() {
        let xml = r#"<worksheet><dimension ref="A1:XFD1048576"/><sheetData/></worksheet>"#;
        let sheet = xlsx_sheet(xml.as_bytes(), "s.xml").unwrap();
        let declared = sheet.declared.unwrap();
        assert_eq!((declared.cells(), declared.a1()), (17_179_869_184, "A1:XFD1048576".into()));
        assert!(xlsx_sheet(&b"<sst><si><t>c</t></si></sst>"[..], "sharedStrings.xml").is_none());
        assert_eq!(position("xfd1048576"), Some((1_048_575, Some(16_383))));
        assert_eq!(position("$A$1"), None);
    }

    #[test]
    fn ods_repetitions_count_where_they_hold_content() {
        // As LibreOffice writes a sheet: empty cells and rows repeated out
        // to the edge of the sheet, which calamine does not lay out.
        let content = ods_table(
            "Attributen",
            r#"<table:table-row><table:table-cell office:value-type="string"><text:p>Nummer</text:p></table:table-cell>
                 <table:table-cell table:number-columns-repeated="2"/><table:table-cell office:value-type="float" office:value="1"/>
                 <table:table-cell table:number-columns-repeated="16380"/></table:table-row>
               <table:table-row table:number-rows-repeated="3">
                 <table:table-cell table:number-columns-repeated="2" office:value-type="float" office:value="2"/></table:table-row>
               <table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>"#,
        );
        let tables = ods_tables(content.as_bytes());
        assert_eq!(tables.len(), 1);
        assert_eq!(tables[0].place, "table \"Attributen\"");
        assert_eq!(tables[0].cells.map(|area| area.a1()), Some("A1:D4".into()));
    }

    #[test]
    fn ods_content_counts_as_often_as_it_is_repeated() {
        let content = ods_table(
            "T",
            r#"<table:table-row table:number-rows-repeated="2"><table:table-cell office:value-type="string"
                 table:number-columns-repeated="3"><text:p><text:s text:c="1000"/></text:p></table:table-cell></table:table-row>"#,
        );
        let repeated = ods_tables(content.as_bytes())[0].repeated_bytes;
        assert!((6_000..7_000).contains(&repeated), "{repeated}");
        let spaces = ods_table(
            "T",
            r#"<table:table-row><table:table-cell office:value-type="string"><text:p><text:s text:c="9000000"/></text:p></table:table-cell></table:table-row>"#,
        );
        let message = check(&zip(&[("content.xml", spaces.as_bytes())]), &TINY).unwrap_err();
        assert!(message.starts_with("table \"T\" repeats its cells to more than 4 MB"), "{message}");
    }

    #[test]
    fn members_are_refused_by_what_they_inflate_to() {
        let no_ratio = SheetLimits { ratio: u64::MAX, ..TINY };
        let five = vec![b' '; 5 << 20];
        let message = check(&zip(&[("a.xml", &five)]), &no_ratio).unwrap_err();
        assert!(message.starts_with("part a.xml of the file inflates to more than 4 MB"), "{message}");
        let three = vec![b' '; (3 << 20) + 1];
        let message = check(&zip(&[("a", &three), ("b", &three)]), &no_ratio).unwrap_err();
        assert!(message.starts_with("the file inflates to more than 6 MB"), "{message}");
        let message = check(&zip(&[("a", &three)]), &TINY).unwrap_err();
        assert!(message.contains("packs 3,145,729 bytes into"), "{message}");
        assert!(message.contains("more than 100 to one"), "{message}");
        let five_parts = zip(&[("a", b""), ("b", b""), ("c", b""), ("d", b""), ("e", b"")]);
        assert!(check(&five_parts, &TINY).unwrap_err().starts_with("the file holds 5 parts"));
        assert_eq!(check(&zip(&[("a", &three), ("b", b"")]), &no_ratio), Ok(()));
    }

    #[test]
    fn a_member_that_inflates_past_its_declared_size_is_refused() {
        // Made by scripts/make-hostile-spreadsheets.py: it declares 1 KB
        // and inflates to 96 MB.
        let bytes = include_bytes!("../../tests/broken/zip-bomb-declared-small.xlsx");
        let mut archive = zip::ZipArchive::new(Cursor::new(&bytes[..])).unwrap();
        assert_eq!(archive.by_name("xl/sharedStrings.xml").unwrap().size(), 1024);
        let message = check(bytes, &SheetLimits::STATION_LIST).unwrap_err();
        assert!(
            message.starts_with("the spreadsheet is damaged: part xl/sharedStrings.xml cannot be inflated"),
            "{message}"
        );
    }

    #[test]
    fn sheets_are_refused_beyond_their_rows_columns_and_cells() {
        let wide = worksheet(r#"<row r="1"><c r="A1"><v>1</v></c><c r="U1"><v>2</v></c></row>"#);
        let message = check(&zip(&[("xl/worksheets/sheet1.xml", wide.as_bytes())]), &TINY).unwrap_err();
        assert!(
            message.starts_with("the sheet in xl/worksheets/sheet1.xml claims 21 cells (A1:U1); a station list has at most 10 rows and 20 columns, 100 cells"),
            "{message}"
        );
        let claimed = r#"<worksheet><dimension ref="A1:A11"/><sheetData/></worksheet>"#;
        assert!(check(&zip(&[("s.xml", claimed.as_bytes())]), &TINY).unwrap_err().contains("(A1:A11)"));
        // Each table of 60 cells is allowed; calamine holds both at once.
        let rows = r#"<table:table-row table:number-rows-repeated="6"><table:table-cell table:number-columns-repeated="10" office:value="1"/></table:table-row>"#;
        let two = format!("{}{}", ods_table("A", rows), ods_table("B", rows));
        let message = check(&zip(&[("content.xml", two.as_bytes())]), &TINY).unwrap_err();
        assert!(
            message.starts_with("the sheets together span 120 cells, up to A1:J6 in table \"B\""),
            "{message}"
        );
        assert_eq!(check(&zip(&[("content.xml", ods_table("A", rows).as_bytes())]), &TINY), Ok(()));
    }

    #[test]
    fn counts_read_with_thousands_separated() {
        let read: Vec<String> = [0, 999, 1_000, 17_179_869_184].into_iter().map(grouped).collect();
        assert_eq!(read, ["0", "999", "1,000", "17,179,869,184"]);
    }
}
