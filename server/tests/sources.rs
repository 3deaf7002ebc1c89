//! The other ways stations arrive: the municipality spreadsheet template
//! and a CKAN API read page by page.

mod common;

use app::model::{MunicipalityCode, Station};
use calamine::Reader;
use common::{empty_store, shared_file};
use kieskaart::commands::{self, CommandError, ImportOptions, Source};
use kieskaart::ingest::{IngestError, Place, Problem};
use kieskaart::store::Store;
use serde_json::Value;
use std::path::Path;

#[test]
fn blank_templates_are_recognised_as_templates_without_stations() {
    for name in ["ods-1.7-municipality-template.xlsx", "ods-1.7-municipality-template.ods"] {
        let Some(file) = shared_file(name) else { return };
        let (mut store, _folder) = empty_store();
        let error = commands::import(&mut store, &file, "gr2026", ImportOptions::default()).unwrap_err();
        let CommandError::Ingest(IngestError::NoStations { hint, .. }) = &error else {
            panic!("{name}: {error}")
        };
        assert!(hint.contains("blank template"), "{name}: {hint}");
        assert!(!store.has_elections().unwrap(), "{name}: nothing is stored");
    }
}

/// The records of one municipality in the real 2026 file.
fn real_records(code: &str) -> Option<Vec<serde_json::Map<String, Value>>> {
    let file = shared_file("wims-gr2026-ckan.json")?;
    let json: Value = serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap();
    let records = json["result"]["records"].as_array().unwrap();
    Some(
        records
            .iter()
            .filter(|r| r["CBS gemeentecode"] == code)
            .map(|r| r.as_object().unwrap().clone())
            .collect(),
    )
}

/// Fills a copy of the blank template's `Attributen` sheet as a municipality
/// would: column A as in the template, one station per column from F,
/// numbers typed as numbers (so the address ID loses its leading zero, as
/// it does in Excel).
fn fill_template(blank: &Path, stations: &[serde_json::Map<String, Value>], out: &Path) {
    let mut template = calamine::open_workbook_auto(blank).unwrap();
    let sheet = template.worksheet_range("Attributen").unwrap();
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let filled = workbook.add_worksheet().set_name("Attributen").unwrap();
    for (row, cells) in sheet.rows().enumerate() {
        for (column, cell) in cells.iter().enumerate().take(5) {
            if let calamine::Data::String(text) = cell {
                filled.write_string(row as u32, column as u16, text).unwrap();
            }
        }
        let Some(calamine::Data::String(attribute)) = cells.first() else { continue };
        for (index, station) in stations.iter().enumerate() {
            let column = 5 + index as u16;
            if row == 0 {
                filled.write_string(0, column, format!("Invulveld {}", index + 1)).unwrap();
                continue;
            }
            let number = |text: &str| text.parse::<f64>().ok();
            match station.get(attribute.as_str()) {
                Some(Value::Number(n)) => {
                    filled.write_number(row as u32, column, n.as_f64().unwrap()).map(drop)
                }
                Some(Value::String(text)) if attribute.starts_with("BAG") => {
                    filled.write_number(row as u32, column, number(text).unwrap()).map(drop)
                }
                Some(Value::String(text)) if !text.is_empty() => {
                    filled.write_string(row as u32, column, text).map(drop)
                }
                _ => Ok(()),
            }
            .unwrap();
        }
    }
    workbook.save(out).unwrap();
}

/// What a template can say about a station (it has no address fields:
/// those come from the BAG).
fn template_view(station: &Station) -> impl PartialEq + std::fmt::Debug {
    (
        station.number,
        station.name.clone(),
        station.kind,
        station.location,
        station.opens,
        station.closes,
        station.accessibility.clone(),
        station.municipality_code.clone(),
    )
}

fn published(store: &Store, election: &str) -> Vec<Station> {
    let all = store.published().unwrap();
    all.into_iter().find(|p| p.election.id.as_str() == election).unwrap().stations
}

#[test]
fn a_filled_template_imports_like_the_json_it_was_filled_from() {
    let (Some(blank), Some(records)) =
        (shared_file("ods-1.7-municipality-template.xlsx"), real_records("GM0599"))
    else {
        return;
    };
    let (mut store, folder) = empty_store();
    let filled = folder.path().join("rotterdam.xlsx");
    fill_template(&blank, &records, &filled);

    let without_municipality =
        commands::import(&mut store, &filled, "gr2026", ImportOptions::default()).unwrap_err();
    assert!(without_municipality.to_string().contains("--municipality"), "{without_municipality}");

    let options = ImportOptions {
        municipality: Some(MunicipalityCode::parse("GM0599").unwrap()),
        ..Default::default()
    };
    let imported = commands::import(&mut store, &filled, "template", options).unwrap();
    assert_eq!(imported.summary.records, 362);
    let padded =
        imported.report.findings.iter().find(|f| matches!(f.problem, Problem::AddressIdPadded { .. }));
    let padded = padded.expect("Excel drops the leading zero of Rotterdam's address IDs");
    assert_eq!(padded.place, Place::Column { letter: "F".into(), field: 1 });

    let json = folder.path().join("rotterdam.json");
    std::fs::write(&json, serde_json::json!({"result": {"records": records}}).to_string()).unwrap();
    commands::import(&mut store, &json, "json", ImportOptions::default()).unwrap();
    let from_template: Vec<_> = published(&store, "template").iter().map(template_view).collect();
    let from_json: Vec<_> = published(&store, "json").iter().map(template_view).collect();
    assert_eq!(from_template, from_json);
}

#[test]
fn a_template_error_names_the_column_and_invulveld() {
    let (Some(blank), Some(mut records)) =
        (shared_file("ods-1.7-municipality-template.xlsx"), real_records("GM0589"))
    else {
        return;
    };
    records[2].insert("Sluitingstijd".into(), Value::from("2026-03-18T06:00:00"));
    let (mut store, folder) = empty_store();
    let filled = folder.path().join("oudewater.xlsx");
    fill_template(&blank, &records, &filled);
    let options = ImportOptions {
        municipality: Some(MunicipalityCode::parse("GM0589").unwrap()),
        ..Default::default()
    };
    let error = commands::import(&mut store, &filled, "gr2026", options).unwrap_err();
    let CommandError::Ingest(IngestError::Invalid { report }) = &error else { panic!("{error}") };
    let table = report.to_table(kieskaart::ingest::Lang::Nl);
    assert!(table.contains("kolom H (Invulveld 3)  Sluitingstijd"), "{table}");
    assert!(table.contains("sluit voor of op het moment dat het opent"), "{table}");
    assert!(!store.has_elections().unwrap());
}

/// A stand-in for a CKAN portal: serves `records` through
/// `datastore_search` with `limit` and `offset`, and counts the requests.
fn serve_ckan(records: Vec<Value>) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use axum::extract::{Query, State};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    let requests = Arc::new(AtomicUsize::new(0));
    let counter = requests.clone();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    listener.set_nonblocking(true).unwrap();
    let records = Arc::new(records);
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime.block_on(async move {
            let page = move |State(records): State<Arc<Vec<Value>>>, Query(query): Query<std::collections::HashMap<String, String>>| {
                counter.fetch_add(1, Ordering::SeqCst);
                let number = |key: &str| query[key].parse::<usize>().unwrap();
                let (limit, offset) = (number("limit"), number("offset"));
                let page: Vec<_> = records.iter().skip(offset).take(limit).cloned().collect();
                async move {
                    axum::Json(serde_json::json!({"success": true, "result": {"records": page, "total": records.len()}}))
                }
            };
            let app = axum::Router::new().route("/api/3/action/datastore_search", axum::routing::get(page)).with_state(records);
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    (format!("http://{address}/api/3/action/datastore_search"), requests)
}

#[test]
fn a_ckan_api_is_read_page_by_page() {
    let Some(file) = shared_file("wims-gr2026-ckan.json") else { return };
    let json: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    let records = json["result"]["records"].as_array().unwrap().clone();
    let (url, requests) = serve_ckan(records);
    let (mut store, _folder) = empty_store();
    // The portal's own limit and offset in the URL are replaced page by page.
    let url = format!("{url}?resource_id=abc&limit=5&offset=100");
    let imported = commands::import(&mut store, Source::Url(&url), "api", ImportOptions::default()).unwrap();
    assert_eq!(imported.summary.records, 1799);
    assert_eq!(requests.load(std::sync::atomic::Ordering::SeqCst), 2, "1,799 records are two pages of 1,000");
    commands::import(&mut store, &file, "file", ImportOptions::default()).unwrap();
    assert_eq!(published(&store, "api"), published(&store, "file"));

    let missing =
        commands::import(&mut store, Source::Url("http://127.0.0.1:9/none"), "x", ImportOptions::default());
    assert!(missing.unwrap_err().to_string().contains("127.0.0.1:9"), "the URL is named");
}

#[test]
fn a_csv_with_its_own_column_names_imports_through_a_mapping() {
    let (mut store, folder) = empty_store();
    let csv = "venue;easting;northing;from;until;step free;quiet;ward\n\
        Stadhuis;92950;437600;2026-03-18T07:30:00;2026-03-18T21:00:00;yes;no;Centrum\n\
        Bibliotheek;93600;437200;2026-03-18T07:30:00;2026-03-18T21:00:00;n;y;Centrum\n";
    let file = folder.path().join("stations.csv");
    std::fs::write(&file, csv).unwrap();
    let mapping_file = folder.path().join("mapping.toml");
    std::fs::write(
        &mapping_file,
        "[columns]\nname = \"venue\"\nx = \"easting\"\ny = \"northing\"\nopens = \"from\"\ncloses = \"until\"\n\
         wheelchair = \"step free\"\n\"Prikkelarm\" = \"quiet\"\n\
         [constants]\nmunicipality_code = \"GM0599\"\nmunicipality = \"Rotterdam\"\nkind = \"regulier\"\n\
         \"Contactgegevens gemeente\" = \"14 010\"\n\"Verkiezingswebsite gemeente\" = \"https://www.rotterdam.nl/verkiezingen\"\n",
    )
    .unwrap();
    let mapping = commands::read_mapping(&mapping_file).unwrap();

    // Station numbers are not in this file: the standard needs them.
    let options = ImportOptions { mapping: Some(mapping.clone()), ..Default::default() };
    let error = commands::import(&mut store, &file, "gr2026", options).unwrap_err().to_string();
    assert!(
        error.contains("line 2  Nummer stembureau") && error.contains("is required but empty"),
        "{error}"
    );

    let numbered = csv
        .replace("venue;", "no;venue;")
        .replace("\nStadhuis", "\n1;Stadhuis")
        .replace("\nBibliotheek", "\n2;Bibliotheek");
    std::fs::write(&file, numbered).unwrap();
    let with_number = ingest_mapping_with_number(&mapping_file);
    let options = ImportOptions { mapping: Some(with_number), ..Default::default() };
    let imported = commands::import(&mut store, &file, "gr2026", options).unwrap();
    assert_eq!(imported.summary.records, 2);
    let stations = published(&store, "gr2026");
    assert_eq!(stations[0].name, "Stadhuis");
    assert!((stations[0].location.lat() - 51.9225).abs() < 0.002, "RD converted: {:?}", stations[0].location);
    assert!(stations[0].accessibility.wheelchair && !stations[1].accessibility.wheelchair);
    assert_eq!(stations[1].accessibility.low_stimulus, Some(true));
    let exported = String::from_utf8(
        commands::export(&store, "gr2026", kieskaart::opendata::ExportFormat::Csv).unwrap(),
    )
    .unwrap();
    assert!(exported.contains("ward") && exported.contains("Centrum"), "the file's own columns come back");
}

/// The test's mapping plus the station-number column.
fn ingest_mapping_with_number(path: &Path) -> kieskaart::ingest::Mapping {
    let text = std::fs::read_to_string(path).unwrap().replace("[columns]\n", "[columns]\nnumber = \"no\"\n");
    kieskaart::ingest::Mapping::parse(&text).unwrap()
}
