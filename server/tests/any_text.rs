//! Station files whose text fields hold any characters at all go the whole
//! way without a panic and come out as they went in: read as CKAN JSON or
//! CSV, checked and cross-checked against an election, stored by the
//! import, indexed, and shown on the voter pages, in the API and in the
//! open data. Written after a postcode "123éa" made every upload panic
//! (`Address::one_line` cut it at its fourth byte, inside the "é").

mod common;

use app::model::{Address, ElectionId, MunicipalityCode};
use axum::http::StatusCode;
use chrono::NaiveDate;
use common::any_text::{any_text, dutch_postcode, some_text};
use common::{app_for, empty_store, TestApp};
use kieskaart::commands::{self, ElectionDetails};
use kieskaart::ingest::{self, Format, ReadOptions};
use kieskaart::{submissions, tokens};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{json, Map, Value};

const UPLOAD: &str = "/api/v1/elections/gr2026/municipalities/GM0589/stations?publish=true";
/// Where the generated stations stand, with the decimals the rules want.
const LAT: &str = "52.021022";
const LON: &str = "4.874521";

/// The free text of one station record. The municipality's name is never
/// blank: a blank one is filled in from the store (tested elsewhere).
#[derive(Debug, Clone)]
struct Texts {
    name: String,
    municipality: String,
    street: String,
    house_number: String,
    house_letter: String,
    addition: String,
    postcode: String,
    place: String,
    directions: String,
    accessibility: String,
    remarks: String,
    contact: String,
}

fn texts() -> impl Strategy<Value = Texts> {
    (
        (some_text(24), some_text(16), any_text(24), any_text(6), any_text(3), any_text(6)),
        (dutch_postcode(), any_text(16), any_text(40), any_text(40), any_text(40), any_text(16)),
    )
        .prop_map(
            |(
                (name, municipality, street, house_number, house_letter, addition),
                (postcode, place, directions, accessibility, remarks, contact),
            )| Texts {
                name,
                municipality,
                street,
                house_number,
                house_letter,
                addition,
                postcode,
                place,
                directions,
                accessibility,
                remarks,
                contact,
            },
        )
}

/// A record that is valid whatever its text: the fields the rules check
/// are fixed, every free-text field is `texts`. It has no address ID, so
/// no address is filled in from earlier uploads.
fn record(texts: &Texts, number: u32) -> Map<String, Value> {
    let fields = json!({
        "CBS gemeentecode": "GM0589", "Gemeente": texts.municipality, "Nummer stembureau": number,
        "Naam stembureau": texts.name, "Type stembureau": "regulier",
        "Straatnaam": texts.street, "Huisnummer": texts.house_number, "Huisletter": texts.house_letter,
        "Huisnummertoevoeging": texts.addition, "Postcode": texts.postcode, "Plaats": texts.place,
        "Extra adresaanduiding": texts.directions, "Latitude": LAT, "Longitude": LON,
        "Openingstijd": "2026-03-18T07:30:00", "Sluitingstijd": "2026-03-18T21:00:00",
        "Toegankelijk voor mensen met een lichamelijke beperking": "ja",
        "Extra toegankelijkheidsinformatie": texts.accessibility, "Overige informatie": texts.remarks,
        "Contactgegevens gemeente": texts.contact, "Verkiezingswebsite gemeente": "https://www.oudewater.nl"
    });
    fields.as_object().cloned().expect("an object")
}

/// The records as a CSV file with the standard's columns, written as
/// Kieskaart's own export writes it.
fn csv(records: &[Map<String, Value>]) -> Vec<u8> {
    let columns: Vec<String> = records[0].keys().cloned().collect();
    ingest::csv::write(&columns, records).expect("CSV is written")
}

/// The records as a CKAN `datastore_search` answer.
fn ckan(records: &[Map<String, Value>]) -> Vec<u8> {
    json!({"result": {"records": records}}).to_string().into_bytes()
}

/// The address voters are shown for `texts`: each part trimmed, the house
/// number's parts joined, the postcode without spaces in capitals. (The
/// directions are free text, compared apart.)
fn address(texts: &Texts) -> Address {
    let parts = [&texts.house_number, &texts.house_letter, &texts.addition];
    Address {
        street: texts.street.trim().to_owned(),
        house_number: parts.iter().map(|p| p.trim()).filter(|p| !p.is_empty()).collect::<Vec<_>>().join(" "),
        postcode: texts.postcode.trim().replace(' ', "").to_uppercase(),
        place: texts.place.trim().to_owned(),
        ..Address::default()
    }
}

/// Free text reads as itself, or as nothing when all it says is "no".
fn free_text_matches(shown: &Value, given: &str) -> bool {
    shown.as_str().is_some_and(|shown| shown == given.trim() || shown.is_empty())
}

/// Text as the pages carry it in their HTML.
fn in_html(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// Text as a value in a URL's query.
fn query(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// A store with the election and a vendor token for Oudewater, and the
/// app serving it.
fn oudewater() -> (TestApp, String) {
    let (mut store, folder) = empty_store();
    let polling_date = NaiveDate::from_ymd_opt(2026, 3, 18);
    commands::add_election(&mut store, "gr2026", ElectionDetails { polling_date, ..Default::default() })
        .expect("the election is added");
    let (_, code) = oudewater_codes();
    let token = tokens::create(&mut store, &code, "property test", "test").expect("a token");
    (app_for(store, folder), format!("Bearer {}", token.secret))
}

/// One case: two stations at one point (so the cross-check compares their
/// addresses), uploaded and published, then read back everywhere.
async fn whole_path(app: &TestApp, bearer: &str, stations: &[Texts; 2], as_csv: bool) {
    let records = [record(&stations[0], 1), record(&stations[1], 2)];
    let file = if as_csv { csv(&records) } else { ckan(&records) };
    let upload = app.put(UPLOAD, &[("authorization", bearer)], file).await;
    assert_eq!(upload.status, StatusCode::OK, "{}", upload.body);

    for (number, texts) in (1..).zip(stations) {
        let api = app.get(&format!("/api/v1/elections/gr2026/stations/gm0589-{number}")).await;
        assert_eq!(api.status, StatusCode::OK, "{}", api.body);
        let shown = api.json();
        let expected = address(texts);
        assert_eq!(shown["name"], texts.name.trim());
        assert_eq!(shown["municipality"]["name"], texts.municipality.trim());
        let given = &shown["address"];
        assert_eq!(
            [&given["street"], &given["house_number"], &given["postcode"], &given["place"]],
            [&expected.street, &expected.house_number, &expected.postcode, &expected.place]
        );
        assert!(free_text_matches(&given["extra"], &texts.directions), "{given}");
        assert!(free_text_matches(&shown["accessibility_notes"], &texts.accessibility), "{shown}");
        assert_eq!(given["one_line"], expected.one_line());

        let page = app.get(&format!("/s/gr2026/gm0589-{number}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains(&in_html(texts.name.trim())), "{}", page.body);
        assert!(page.body.contains(&in_html(&expected.one_line())), "{}", page.body);

        let typed = query(&texts.name);
        assert_eq!(app.get(&format!("/?e=gr2026&q={typed}")).await.status, StatusCode::OK);
        let geocoded = app.get(&format!("/api/v1/geocode?q={typed}")).await;
        assert_eq!(geocoded.status, StatusCode::OK, "{}", geocoded.body);
    }

    let results = app.get(&format!("/?e=gr2026&lat={LAT}&lon={LON}")).await;
    assert_eq!(results.status, StatusCode::OK);
    for texts in stations {
        assert!(results.body.contains(&in_html(texts.name.trim())), "{}", results.body);
    }
    for path in [
        "/g/GM0589?e=gr2026",
        "/api/v1/elections/gr2026/municipalities/GM0589/stations.geojson",
        &format!("/api/v1/elections/gr2026/stations/nearest?lat={LAT}&lon={LON}&k=2"),
    ] {
        assert_eq!(app.get(path).await.status, StatusCode::OK, "{path}");
    }

    // The open data gives back what came in, and it reads again.
    let download = app.get("/data/gr2026/GM0589.csv").await;
    assert_eq!(download.status, StatusCode::OK);
    let options = ReadOptions { format: Some(Format::Csv), ..Default::default() };
    let again = ingest::parse_file("download", &download.bytes, options).expect("the download reads");
    let names: Vec<_> = again.iter().map(|r| r.fields["Naam stembureau"].clone()).collect();
    assert_eq!(names, [records[0]["Naam stembureau"].clone(), records[1]["Naam stembureau"].clone()]);

    // So does the template the portal fills in with them (a spreadsheet
    // cell keeps its text trimmed).
    let (election, code) = oudewater_codes();
    let template = submissions::template(&app.store, &election, &code).expect("the template is written");
    let options =
        ReadOptions { format: Some(Format::Template), municipality: Some(&code), ..Default::default() };
    let again = ingest::parse_file("template", &template, options).expect("the template reads");
    let names: Vec<_> = again.iter().map(|r| r.fields["Naam stembureau"].clone()).collect();
    assert_eq!(names, [stations[0].name.trim(), stations[1].name.trim()]);
}

fn oudewater_codes() -> (ElectionId, MunicipalityCode) {
    let election = ElectionId::parse("gr2026").expect("a valid id");
    (election, MunicipalityCode::parse("GM0589").expect("a valid code"))
}

/// A file whose stations break a rule, with any text in the value: the
/// upload is refused with the value in its report, and nothing changes.
async fn refused(app: &TestApp, bearer: &str, texts: &Texts, value: &str) {
    let mut broken = record(texts, 1);
    broken.insert("Geleidelijnen".into(), Value::from(value));
    let upload = app.put(UPLOAD, &[("authorization", bearer)], ckan(&[broken])).await;
    assert_eq!(upload.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", upload.body);
    let findings = upload.json()["report"]["findings"].clone();
    let values: Vec<_> = findings.as_array().into_iter().flatten().map(|f| f["value"].clone()).collect();
    assert!(values.contains(&Value::from(value.trim())), "{findings}");
}

#[test]
fn any_text_goes_through_import_index_pages_and_api() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    let (app, bearer) = oudewater();
    let case = (texts(), texts(), any::<bool>(), any_text(30));
    let mut runner = TestRunner::new(Config { cases: 64, ..Config::default() });
    let outcome = runner.run(&case, |(first, mut second, as_csv, value)| {
        // One municipality has one name.
        second.municipality.clone_from(&first.municipality);
        runtime.block_on(async {
            whole_path(&app, &bearer, &[first.clone(), second], as_csv).await;
            // "¿" makes any text an invalid value of Geleidelijnen.
            refused(&app, &bearer, &first, &format!("¿{value}")).await;
        });
        Ok(())
    });
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
}
