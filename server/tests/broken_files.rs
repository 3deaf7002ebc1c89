//! The corpus in `tests/broken/`: one file per kind of mistake people make.
//! Each is refused with a message that names the place and the problem,
//! and the stations published before stay exactly as they were.

mod common;

use common::empty_store;
use kieskaart::commands::{self, ElectionDetails, ImportOptions};
use std::path::Path;

/// File, and what its error message must say (the place first, then the
/// problem, in the English table; file-level problems have no place).
const CORPUS: &[(&str, &[&str])] = &[
    ("missing-name.json", &["record 2", "Naam stembureau", "is required but empty"]),
    ("unknown-type.json", &["record 2", "\"normaal\"", "\"regulier\", \"bijzonder\", \"mobiel\""]),
    ("wheelchair-maybe.json", &["record 2", "\"misschien\"", "one of: \"ja\", \"nee\""]),
    ("wheelchair-missing.json", &["record 2", "Toegankelijk voor mensen", "is required but empty"]),
    ("yes-no-sometimes.json", &["record 2", "Prikkelarm", "\"soms\""]),
    ("toilet-unknown.json", &["record 2", "Toilet", "ja, genderneutraal toilet"]),
    ("guide-lines-unknown.json", &["record 2", "Geleidelijnen", "buiten en binnen"]),
    ("interpreter-unknown.json", &["record 2", "Gebarentolk (NGT)", "op afstand"]),
    ("municipality-code-digits.json", &["record 2", "CBS gemeentecode", "GM followed by four digits"]),
    ("station-number-zero.json", &["record 2", "Nummer stembureau", "from 1 to 2,000,000,000"]),
    ("station-number-text.json", &["record 2", "\"twee\"", "whole number"]),
    ("station-number-huge.json", &["record 2", "Nummer stembureau", "whole number"]),
    ("latitude-huge.json", &["record 2", "Latitude", "lies outside the Netherlands"]),
    ("latitude-nan.json", &["record 2", "\"NaN\"", "WGS84 degrees"]),
    ("latitude-two-commas.json", &["record 2", "\"52,105,12\"", "WGS84 degrees"]),
    ("lat-lon-swapped.json", &["record 2", "look swapped", "write Latitude 52.10512 and Longitude 5.65021"]),
    ("rd-in-lat-lon.json", &["record 2", "holds RD coordinates", "Latitude 52.15517"]),
    ("outside-netherlands.json", &["record 2", "lies outside the Netherlands", "latitude 50–54"]),
    ("no-coordinates.json", &["record 2", "has no coordinates", "X and Y (RD)"]),
    ("longitude-missing.json", &["record 2", "Longitude", "is required but empty"]),
    ("rd-out-of-range.json", &["record 2", "\"52.1\"", "RD metres"]),
    ("closes-before-opens.json", &["record 2", "Sluitingstijd", "closes before or when it opens"]),
    ("closes-next-day.json", &["record 2", "closes on another day than it opens"]),
    ("not-polling-day.json", &["record 2", "Openingstijd", "give a time on 2026-03-16, 2026-03-18"]),
    ("time-dutch-format.json", &["record 2", "\"18-03-2026 07:30\"", "YYYY-MM-DDTHH:MM:SS"]),
    ("address-id-building-id.json", &["record 2", "\"999910000001\"", "16-digit BAG Nummeraanduiding ID"]),
    ("address-id-letters.json", &["record 2", "\"99992000000000AB\"", "16-digit"]),
    ("address-id-none-no-directions.json", &["record 2", "Extra adresaanduiding is empty"]),
    ("website-without-scheme.json", &["record 2", "Website locatie", "starting with https://"]),
    ("election-website-not-url.json", &["record 2", "Verkiezingswebsite gemeente", "https://"]),
    ("same-number-overlapping.json", &["record 2", "opening period overlaps", "compare with record 1"]),
    ("same-number-other-type.json", &["record 2", "but another type", "compare with record 1"]),
    ("empty.json", &["the file is empty"]),
    ("truncated.json", &["the file ends in the middle of record 1", "fetch it again"]),
    ("no-records.json", &["no \"result\".\"records\" list"]),
    ("records-not-objects.json", &["record 1 is 1, not an object"]),
    ("no-stations.json", &["the file holds no stations"]),
    ("error-page.json", &["this is HTML (a web page)"]),
    ("html-instead.csv", &["this is HTML (a web page)"]),
    ("unknown-columns.csv", &["names none of the standard's columns", "found: name, lat, lon"]),
    ("ragged-row.csv", &["line 3: 24 cells where the header has 22", "double quotes"]),
    ("semicolon-quoted-newline.csv", &["line 3", "\"bijzonderr\""]),
    ("windows-1252.csv", &["line 3", "\"jå\""]),
    ("utf-16.csv", &["UTF-16", "CSV UTF-8"]),
    ("binary.csv", &["none of the standard's columns"]),
    ("geojson-line.geojson", &["feature 2: the geometry is a LineString, not a Point"]),
    ("geojson-swapped.geojson", &["feature 2", "look swapped"]),
    ("geojson-not-collection.geojson", &["expected a FeatureCollection"]),
    ("zip-not-spreadsheet.xlsx", &["not a spreadsheet"]),
    // Found by `cargo fuzz run template`: the spreadsheet reader panicked on it.
    ("damaged-spreadsheet.xlsx", &["damaged", "save it again"]),
    // An Excel 97–2003 header: its reader can be made to reserve any number
    // of cells, so the format is refused before it is read.
    ("old-excel.xls", &["Excel 97–2003", "save it as .xlsx or .ods"]),
    // Found by the template fuzz target: a cell range whose column letters
    // overflow the spreadsheet reader's arithmetic.
    ("spreadsheet-column-overflow.xlsx", &["damaged", "save it again"]),
    // Made by scripts/make-hostile-spreadsheets.py: small files that ask
    // the spreadsheet reader for more memory than any server has. The
    // first made the server abort on a 549 GB allocation.
    (
        "sheet-corner-cells.xlsx",
        &[
            "the sheet in xl/worksheets/sheet1.xml claims 17,179,869,184 cells (A1:XFD1048576)",
            "at most 1,000 rows",
        ],
    ),
    ("sheet-corner-cells-undeclared.xlsx", &["claims 17,179,869,184 cells (A1:XFD1048576)"]),
    ("zip-bomb.xlsx", &["part xl/sharedStrings.xml of the file inflates to more than 50 MB"]),
    (
        "zip-bomb-declared-small.xlsx",
        &["damaged: part xl/sharedStrings.xml cannot be inflated", "save it again"],
    ),
    ("ods-repeated-rows.ods", &["table \"Attributen\" claims 1,048,576 cells (A1:A1048576)"]),
    ("ods-repeated-columns.ods", &["table \"Attributen\" claims 1,638,400 cells (A1:XFD100)"]),
    ("ods-repeated-spaces.ods", &["table \"Attributen\" repeats its cells to more than 50 MB"]),
];

#[test]
fn every_broken_file_is_refused_with_its_place_and_problem_and_changes_nothing() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/broken");
    let (mut store, _temp) = empty_store();
    let details = ElectionDetails {
        polling_date: "2026-03-18".parse().ok(),
        early_voting: Some(vec!["2026-03-16".parse().unwrap()]),
        ..Default::default()
    };
    commands::add_election(&mut store, "gr2026", details).unwrap();
    commands::load_demo(&mut store).unwrap();
    let before = (store.publication_state().unwrap(), store.elections().unwrap());

    let mut files: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let listed: Vec<&str> = CORPUS.iter().map(|(name, _)| *name).collect();
    assert!(
        files.iter().all(|f| listed.contains(&f.as_str())),
        "every file in the corpus has its expectation"
    );
    assert!(CORPUS.len() >= 40, "at least 40 kinds of broken file");

    for (name, expected) in CORPUS {
        let result = commands::import(&mut store, &folder.join(name), "gr2026", ImportOptions::default());
        let message = match result {
            Ok(_) => panic!("{name} was imported"),
            Err(error) => error.to_string(),
        };
        for part in *expected {
            assert!(message.contains(part), "{name}: \"{part}\" missing from:\n{message}");
        }
        assert_eq!(
            (store.publication_state().unwrap(), store.elections().unwrap()),
            before,
            "{name} changed the store"
        );
    }
}
