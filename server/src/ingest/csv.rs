//! CSV with the fields of the standard as column names, as spreadsheets
//! save it: comma or semicolon, UTF-8 with or without BOM or, failing
//! that, Windows-1252 (Excel's "CSV" on Dutch Windows), quoted fields that
//! may hold newlines. Empty cells are left out, as CKAN leaves out nulls.
//!
//! Text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab
//! or carriage return at the start) is written with a leading apostrophe,
//! which spreadsheets read as "this is text", and that apostrophe is
//! dropped again on reading, so what is written reads back as it was.
//! Every cell is guarded so, the header row included: column names come
//! from uploads too.

use super::ckan::Each;
use super::{Place, SourceRecord};
use encoding_rs::WINDOWS_1252;
use std::borrow::Cow;

/// Columns of which a station file has at least one.
const KNOWN_COLUMNS: [&str; 3] = ["Naam stembureau", "CBS gemeentecode", "Nummer stembureau"];

/// Every record of a file with the standard's field names, held at once:
/// for files known to be small (the open-data downloads read back).
pub fn parse(bytes: &[u8]) -> Result<Vec<SourceRecord>, String> {
    let mut records = Vec::new();
    read_each(bytes, standard_header, &mut |record| {
        records.push(record);
        Ok(())
    })?;
    Ok(records)
}

/// A header of a file with the standard's field names: it has at least one
/// of them. A header without is refused before any row is read, since the
/// rows of such a file mean nothing.
pub fn standard_header(headers: &[String]) -> Result<(), String> {
    if headers.iter().any(|h| KNOWN_COLUMNS.contains(&h.as_str())) {
        return Ok(());
    }
    Err(format!(
        "the header row names none of the standard's columns (such as {}); found: {}; \
         for a file with its own column names give a --mapping",
        KNOWN_COLUMNS.join(", "),
        headers.join(", ")
    ))
}

/// Reads the header, has `header` accept it, then hands each row to
/// `each` as a record by its columns, as it is read: a file of a million
/// rows is never held as a million records.
pub fn read_each(
    bytes: &[u8],
    header: impl FnOnce(&[String]) -> Result<(), String>,
    each: &mut Each<'_>,
) -> Result<(), String> {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err("the file is UTF-16 (Excel's \"Unicode text\"): save it as \"CSV UTF-8\" instead".into());
    }
    let text = decode(bytes);
    let trimmed = text.trim_start();
    if trimmed.is_empty() {
        return Err("the file is empty: export the stations sheet as CSV with a header row".into());
    }
    if trimmed.starts_with('<') {
        return Err(
            "this is HTML (a web page), not CSV: download the file itself, not the page that links to it"
                .into(),
        );
    }
    let header_line = text.lines().next().unwrap_or_default();
    let delimiter =
        if header_line.matches(';').count() > header_line.matches(',').count() { b';' } else { b',' };
    let mut reader =
        csv::ReaderBuilder::new().delimiter(delimiter).flexible(false).from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| format!("cannot read the header row: {e}"))?
        .iter()
        .map(|h| unguard(h.trim()).to_owned())
        .collect();
    header(&headers)?;
    let mut row = csv::StringRecord::new();
    for index in 0.. {
        // Line 1 is the header; a record's own line is where it starts
        // (quoted newlines make it differ from its index).
        if !reader.read_record(&mut row).map_err(|e| explain(&e, index + 2))? {
            break;
        }
        let line = row.position().map_or(index + 2, |p| p.line() as usize);
        let fields = headers
            .iter()
            .zip(row.iter())
            .filter(|(_, value)| !value.trim().is_empty())
            .map(|(name, value)| (name.clone(), serde_json::Value::String(unguard(value).to_owned())))
            .collect();
        each(SourceRecord::new(Place::Line { number: line }, fields))?;
    }
    Ok(())
}

/// A reader error in the words of someone editing a spreadsheet.
fn explain(error: &csv::Error, line: usize) -> String {
    match error.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, pos } => format!(
            "line {}: {len} cells where the header has {expected_len}: put a value that holds the \
             separator in double quotes, or remove the extra cells",
            pos.as_ref().map_or(line as u64, |p| p.line())
        ),
        _ => format!("line {line}: {error}"),
    }
}

/// UTF-8 (a byte-order mark dropped), else Windows-1252, which maps every
/// byte to a character.
fn decode(bytes: &[u8]) -> Cow<'_, str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => WINDOWS_1252.decode_without_bom_handling(bytes).0,
    }
}

/// Writes records as CSV with `columns` in that order (comma, UTF-8),
/// every cell through [`guard`].
pub fn write<'a>(
    columns: &[String],
    records: impl IntoIterator<Item = &'a serde_json::Map<String, serde_json::Value>>,
) -> Result<Vec<u8>, String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(columns.iter().map(|column| guard(column))).map_err(|e| e.to_string())?;
    for record in records {
        let row = columns.iter().map(|column| match record.get(column) {
            None | Some(serde_json::Value::Null) => String::new(),
            Some(serde_json::Value::String(text)) => guard(text),
            Some(other) => guard(&other.to_string()),
        });
        writer.write_record(row).map_err(|e| e.to_string())?;
    }
    writer.into_inner().map_err(|e| e.to_string())
}

/// Characters that make a spreadsheet read a cell as a formula (OWASP's
/// list: tab and carriage return too, which some spreadsheets skip before
/// reading what follows).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `text` as a cell that a spreadsheet shows and never runs: a would-be
/// formula gets an apostrophe in front. Numbers ("-68.27") are left alone,
/// since a spreadsheet reads them as numbers, not formulas. Text that
/// already starts with such an apostrophe ("'=x") gets one more, since
/// reading drops one.
pub fn guard(text: &str) -> String {
    let runs = text.starts_with(FORMULA_STARTS) && !is_number(text);
    let looks_guarded = text.starts_with('\'') && formula_after_apostrophes(text);
    if runs || looks_guarded {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// Whether a spreadsheet reads `text` as a plain number ("-68,2655",
/// "+31"), nothing else ("-inf" parses in Rust, not in a spreadsheet).
fn is_number(text: &str) -> bool {
    text.chars().all(|c| c.is_ascii_digit() || "+-.,eE".contains(c))
        && text.replace(',', ".").parse::<f64>().is_ok()
}

/// The cell's text without the apostrophe that [`guard`] (or a person in
/// a spreadsheet) put before a would-be formula.
fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if formula_after_apostrophes(rest) => rest,
        _ => cell,
    }
}

/// Whether `text` is a would-be formula behind any number of apostrophes.
fn formula_after_apostrophes(text: &str) -> bool {
    text.trim_start_matches('\'').starts_with(FORMULA_STARTS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_semicolons_bom_quoted_newlines_and_windows_1252() {
        let mut bytes = b"\xEF\xBB\xBFNaam stembureau;Plaats;Extra adresaanduiding\n".to_vec();
        bytes.extend_from_slice(b"\"Zaal \"\"De Linde\"\"\";Oudewater;\"Ingang\nachterom\"\n;;\n");
        let records = parse(&bytes).unwrap();
        assert_eq!(records[0].fields["Naam stembureau"], "Zaal \"De Linde\"");
        assert_eq!(records[0].fields["Extra adresaanduiding"], "Ingang\nachterom");
        assert!(records[1].fields.is_empty(), "empty cells are left out");
        assert_eq!(records[1].place, Place::Line { number: 4 }, "the quoted newline is a line of its own");

        let latin = b"Naam stembureau,Plaats\nCaf\xE9 \x80,Sn\xEBek\n";
        assert_eq!(parse(latin).unwrap()[0].fields["Plaats"], "Snëek");
        assert_eq!(parse(latin).unwrap()[0].fields["Naam stembureau"], "Café €");
    }

    #[test]
    fn would_be_formulas_are_written_as_text_and_read_back_unchanged() {
        let columns =
            vec!["Naam stembureau".to_owned(), "Longitude".to_owned(), "Overige informatie".to_owned()];
        let mut record = serde_json::Map::new();
        record.insert("Naam stembureau".into(), "=HYPERLINK(\"http://x\")".into());
        record.insert("Longitude".into(), "-68,2655".into());
        record.insert("Overige informatie".into(), "'t Hofje".into());
        let written = String::from_utf8(write(&columns, [&record]).unwrap()).unwrap();
        assert!(written.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "{written}");
        assert!(
            written.contains(",-68,2655,") || written.contains(",\"-68,2655\","),
            "numbers stay numbers: {written}"
        );
        let read = parse(written.as_bytes()).unwrap();
        assert_eq!(read[0].fields, record);
    }

    #[test]
    fn every_cell_the_header_included_is_guarded_against_every_formula_start() {
        let starts = ["=", "+", "-", "@", "\t", "\r"];
        let mut columns = vec!["Naam stembureau".to_owned()];
        columns.extend(starts.iter().map(|start| format!("{start}cmd|' /C calc'!A0")));
        let mut record = serde_json::Map::new();
        record.insert("Naam stembureau".into(), "De Linde".into());
        for (column, start) in columns[1..].iter().zip(starts) {
            record.insert(column.clone(), format!("{start}HYPERLINK(\"http://x\")").into());
        }
        let written = write(&columns, [&record]).unwrap();
        let mut raw = csv::ReaderBuilder::new().has_headers(false).from_reader(written.as_slice());
        for row in raw.records() {
            for cell in row.unwrap().iter() {
                assert!(!cell.starts_with(FORMULA_STARTS), "unguarded cell {cell:?} in {written:?}");
            }
        }
        let read = parse(&written).unwrap();
        assert_eq!(read[0].fields, record, "and all of it reads back as it was");
        assert_eq!(guard("-68,2655"), "-68,2655", "numbers stay numbers");
        assert_eq!(guard("-inf"), "'-inf");
    }

    #[test]
    fn text_that_starts_like_a_guarded_formula_reads_back_unchanged() {
        let columns = vec!["Naam stembureau".to_owned(), "Plaats".to_owned()];
        for text in ["'=SUM(A1)", "''+31 348", "'-68.27"] {
            let mut record = serde_json::Map::new();
            record.insert("Naam stembureau".into(), text.into());
            record.insert("Plaats".into(), "Oudewater".into());
            let written = write(&columns, [&record]).unwrap();
            assert_eq!(parse(&written).unwrap()[0].fields, record, "{text}");
        }
    }

    #[test]
    fn refuses_what_is_not_a_station_csv() {
        assert!(parse(b"").unwrap_err().contains("empty"));
        assert!(parse(b"  <!DOCTYPE html><html>").unwrap_err().contains("HTML"));
        assert!(parse(b"a,b\n1,2\n").unwrap_err().contains("none of the standard's columns"));
        assert!(parse(b"Naam stembureau,Plaats\nA,B,C\n").unwrap_err().starts_with("line 2"));
    }

    #[test]
    fn writes_what_it_reads() {
        let records = parse(b"Naam stembureau,Extra\n\"A, b\",\"x\ny\"\n").unwrap();
        let fields: Vec<_> = records.iter().map(|r| r.fields.clone()).collect();
        let written = write(&["Naam stembureau".into(), "Extra".into()], &fields).unwrap();
        assert_eq!(parse(&written).unwrap(), records);
    }
}
