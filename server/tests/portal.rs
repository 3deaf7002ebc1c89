//! The municipality portal, through its pages as a browser uses them:
//! activation, sign-in, upload, report, review, publish and restore; and
//! what it refuses: another municipality's data, forged forms, password
//! guessing, framing.

mod common;

use app::directory::PublicUrl;
use axum::http::{Method, StatusCode};
use chrono::Utc;
use common::browser::{app_code, form_token, hidden, invite, Browser, PASSWORD};
use common::{ckan_file, spawn_app, spawn_app_with, Record, TestApp};
use kieskaart::accounts::{self, Email};
use kieskaart::http::client_address::ClientAddressRule;
use kieskaart::startup::Settings;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn demodorp(names: &[&str]) -> Vec<u8> {
    let records: Vec<Record> = names
        .iter()
        .map(|name| Record {
            code: "GM9999",
            municipality: "Demodorp",
            name: (*name).to_owned(),
            lat: 52.1,
            lon: 5.6,
        })
        .collect();
    ckan_file(&records).into_bytes()
}

async fn published_names(app: &TestApp) -> Vec<String> {
    let answer = app.get("/api/v1/elections/demo/municipalities/GM9999/stations").await.json();
    answer["stations"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap().to_owned()).collect()
}

/// The link from an upload's notice to the new draft.
fn draft_link(page: &str) -> String {
    draft_link_of(page, "/portaal/demo/GM9999/versies/")
}

fn draft_link_of(page: &str, prefix: &str) -> String {
    let start = page.find(prefix).expect("a link to the draft");
    let rest = &page[start..];
    rest[..rest.find('"').unwrap()].to_owned()
}

#[tokio::test]
async fn an_officer_activates_uploads_reviews_and_publishes_and_errors_change_nothing() {
    let mut app = spawn_app();
    let secret = invite(&mut app, "officer@demodorp.nl", "GM9999");
    let before = published_names(&app).await;
    let mut browser = Browser::new(&app);
    let csrf = browser.activate_and_sign_in(&secret, "officer@demodorp.nl").await;

    let overview = browser.get("/portaal").await;
    assert!(overview.body.contains(r#"href="/portaal/demo/GM9999""#), "{}", overview.body);
    let page = browser.get("/portaal/demo/GM9999").await;
    assert_eq!(page.status, StatusCode::OK);

    // A file with an error: the report names the place, field and fix;
    // nothing is stored.
    let mut broken = String::from_utf8(demodorp(&["Dorpshuis"])).unwrap();
    broken = broken.replace("\"GM9999\"", "\"GM99\"");
    let refused = browser.upload("/portaal/demo/GM9999", &csrf, "fout.json", broken.as_bytes()).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(refused.body.contains("record 1"), "{}", refused.body);
    assert!(refused.body.contains("Oplossing:"), "{}", refused.body);
    assert!(refused.body.contains("niets opgeslagen"), "{}", refused.body);
    assert!(
        refused.body.contains(r#"download="rapport-fout.json.txt""#),
        "the report to keep: {}",
        refused.body
    );
    assert!(refused.body.contains("href=\"data:text/plain;charset=utf-8,fout"), "{}", refused.body);
    assert_eq!(published_names(&app).await, before);

    // Larger than the limit: refused before it is read, with the limit named.
    let huge = vec![b' '; 10 * 1024 * 1024 + 1];
    let too_large = browser.upload("/portaal/demo/GM9999", &csrf, "groot.json", &huge).await;
    assert_eq!(too_large.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", too_large.body);
    assert!(too_large.body.contains("groter dan 10 MB"), "{}", too_large.body);

    // A good file becomes a draft; voters see nothing of it yet.
    let stored = browser
        .upload("/portaal/demo/GM9999", &csrf, "goed.json", &demodorp(&["Nieuw: Dorpshuis", "Nieuw: School"]))
        .await;
    assert_eq!(stored.status, StatusCode::OK, "{}", stored.body);
    assert_eq!(published_names(&app).await, before);
    let draft = draft_link(&stored.body);
    let review = browser.get(&draft).await;
    assert!(review.body.contains("Nieuw: School"), "{}", review.body);
    assert!(review.body.contains("Verdwijnt"), "the diff names what goes: {}", review.body);

    let published = browser.post(&draft, &[("csrf", &csrf)]).await;
    assert_eq!(published.status, StatusCode::SEE_OTHER, "{}", published.body);
    assert_eq!(published_names(&app).await, ["Nieuw: Dorpshuis", "Nieuw: School"], "voters see it at once");

    // The first version comes back as a new one.
    let history = browser.get("/portaal/demo/GM9999").await.body;
    let first = app.store.versions(&app::model::ElectionId::parse("demo").unwrap()).unwrap()[0].id;
    let restored = browser.post(&format!("/portaal/demo/GM9999/versies/{first}"), &[("csrf", &csrf)]).await;
    assert_eq!(restored.status, StatusCode::SEE_OTHER);
    assert_eq!(published_names(&app).await, before);
    assert!(history.contains("officer@demodorp.nl"), "the history says who: {history}");
    let log: Vec<String> = app.store.audit_log(4).unwrap().into_iter().map(|e| e.entry.action).collect();
    assert_eq!(log, ["restored", "published", "draft-stored", "upload-refused"]);
}

#[tokio::test]
async fn an_officer_of_one_municipality_cannot_touch_anothers() {
    let mut app = spawn_app();
    let secret = invite(&mut app, "other@elders.nl", "GM0001");
    let mut browser = Browser::new(&app);
    let csrf = browser.activate_and_sign_in(&secret, "other@elders.nl").await;
    let demo = app::model::ElectionId::parse("demo").unwrap();
    let version = app.store.versions(&demo).unwrap()[0].id;
    let before = (published_names(&app).await, app.store.versions(&demo).unwrap());

    assert_eq!(browser.get("/portaal/demo/GM9999").await.status, StatusCode::FORBIDDEN);
    assert_eq!(browser.get("/portaal/demo/GM9999/sjabloon.xlsx").await.status, StatusCode::FORBIDDEN);
    let other = format!("/portaal/demo/GM9999/versies/{version}");
    assert_eq!(browser.get(&other).await.status, StatusCode::FORBIDDEN);
    assert_eq!(browser.post(&other, &[("csrf", &csrf)]).await.status, StatusCode::FORBIDDEN);
    let upload = browser.upload("/portaal/demo/GM9999", &csrf, "x.json", &demodorp(&["Overname"])).await;
    assert_eq!(upload.status, StatusCode::FORBIDDEN);
    // Through its own municipality's address, B's version does not exist.
    let disguised = format!("/portaal/demo/GM0001/versies/{version}");
    assert_eq!(browser.get(&disguised).await.status, StatusCode::NOT_FOUND);
    assert_eq!(browser.post(&disguised, &[("csrf", &csrf)]).await.status, StatusCode::NOT_FOUND);
    // B's stations in a file uploaded for A are refused by validation.
    let smuggled = browser.upload("/portaal/demo/GM0001", &csrf, "x.json", &demodorp(&["Overname"])).await;
    assert_eq!(smuggled.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", smuggled.body);
    let overview = browser.get("/portaal").await.body;
    assert!(!overview.contains("GM9999"), "{overview}");

    assert_eq!((published_names(&app).await, app.store.versions(&demo).unwrap()), before, "nothing changed");
}

#[tokio::test]
async fn forms_without_the_right_token_are_refused() {
    let mut app = spawn_app();
    let secret = invite(&mut app, "officer@demodorp.nl", "GM9999");
    let mut browser = Browser::new(&app);
    let csrf = browser.activate_and_sign_in(&secret, "officer@demodorp.nl").await;
    let demo = app::model::ElectionId::parse("demo").unwrap();
    let versions = app.store.versions(&demo).unwrap();
    let file = demodorp(&["Nieuw"]);

    for token in ["", "0000", &csrf[1..]] {
        let upload = browser.upload("/portaal/demo/GM9999", token, "x.json", &file).await;
        assert_eq!(upload.status, StatusCode::FORBIDDEN, "upload with {token:?}");
        let publish = browser
            .post(&format!("/portaal/demo/GM9999/versies/{}", versions[0].id), &[("csrf", token)])
            .await;
        assert_eq!(publish.status, StatusCode::FORBIDDEN);
        let out = browser.post("/portaal/uitloggen", &[("csrf", token)]).await;
        assert_eq!(out.status, StatusCode::FORBIDDEN);
    }
    assert_eq!(app.store.versions(&demo).unwrap(), versions, "nothing stored");
    assert_eq!(browser.get("/portaal").await.status, StatusCode::OK, "still signed in");

    // Before signing in, the form's token must be the visitor cookie's.
    let mut stranger = Browser::new(&app);
    let _ = stranger.get("/portaal/inloggen").await;
    let forged = stranger
        .post(
            "/portaal/inloggen",
            &[("csrf", "forged"), ("email", "officer@demodorp.nl"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(!forged
        .headers
        .get_all("set-cookie")
        .iter()
        .any(|c| c.to_str().unwrap().starts_with("kk_sessie")));
}

#[tokio::test]
async fn guessing_passwords_is_stopped_and_sessions_end_everywhere() {
    let mut app = spawn_app();
    let secret = invite(&mut app, "officer@demodorp.nl", "GM9999");
    let mut first = Browser::new(&app);
    let csrf = first.activate_and_sign_in(&secret, "officer@demodorp.nl").await;

    let mut attacker = Browser::new(&app);
    let token = form_token(&attacker.get("/portaal/inloggen").await.body);
    let mut statuses = Vec::new();
    for attempt in 0..20 {
        let guess = format!("guess number {attempt}");
        let form = [("csrf", token.as_str()), ("email", "officer@demodorp.nl"), ("password", &guess)];
        statuses.push(attacker.post("/portaal/inloggen", &form).await.status);
    }
    // Five typing errors are free; then each attempt waits, a second
    // after the fifth failure, longer after more (see accounts::throttle).
    assert!(statuses[..5].iter().all(|s| *s == StatusCode::UNAUTHORIZED), "{statuses:?}");
    assert!(statuses[5..].iter().all(|s| *s == StatusCode::TOO_MANY_REQUESTS), "{statuses:?}");
    let right = [("csrf", token.as_str()), ("email", "officer@demodorp.nl"), ("password", PASSWORD)];
    let waiting = attacker.post("/portaal/inloggen", &right).await;
    assert_eq!(waiting.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(waiting.headers["retry-after"], "1");
    assert!(waiting.body.contains("Wacht 1 seconde en"), "{}", waiting.body);
    let log = app.store.audit_log(30).unwrap();
    let failed = log.iter().filter(|e| e.entry.action == "login-failed").count();
    let throttled: Vec<i64> =
        log.iter().filter(|e| e.entry.action == "login-throttled").map(|e| e.times).collect();
    assert_eq!((failed, throttled), (5, vec![16]), "every attempt is logged, the throttled ones counted");

    // The officer, signed in before, signs out everywhere.
    let out = first.post("/portaal/uitloggen", &[("csrf", &csrf), ("everywhere", "1")]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(first.get("/portaal").await.status, StatusCode::SEE_OTHER, "back to the sign-in page");
}

#[tokio::test]
async fn a_flood_of_bad_sign_ins_from_one_address_behind_nginx_stops_that_address_alone() {
    let rule = ClientAddressRule::new(None, 1, Vec::new());
    let mut app = spawn_app_with(Settings { client_addresses: rule, ..Settings::default() });
    let secret = invite(&mut app, "officer@demodorp.nl", "GM9999");
    let mut officer = Browser::through_nginx(&app, "198.51.100.7");
    let path = accounts::activation_path(&secret);
    let token = form_token(&officer.get(&path).await.body);
    officer.post(&path, &[("csrf", &token), ("password", PASSWORD), ("again", PASSWORD)]).await;

    // Guesses at many accounts from one address; one each, so that no
    // account slows down and only the address's count stops them.
    let mut attacker = Browser::through_nginx(&app, "203.0.113.66");
    let token = form_token(&attacker.get("/portaal/inloggen").await.body);
    let mut statuses = Vec::new();
    for n in 0..52 {
        let email = format!("collega{n}@demodorp.nl");
        let form = [("csrf", token.as_str()), ("email", &email), ("password", "een gok van buiten")];
        statuses.push(attacker.post("/portaal/inloggen", &form).await.status);
    }
    assert!(statuses[..50].iter().all(|s| *s == StatusCode::UNAUTHORIZED), "{statuses:?}");
    assert!(statuses[50..].iter().all(|s| *s == StatusCode::TOO_MANY_REQUESTS), "{statuses:?}");

    // The officer comes through the same nginx, from another address.
    officer.sign_in("officer@demodorp.nl", PASSWORD).await;
    let log = app.store.audit_log(5).unwrap();
    assert_eq!(log[0].entry.detail, "from 198.51.100.7", "the client's address, not nginx's");
}

#[tokio::test]
async fn cookies_carry_their_flags_and_portal_pages_cannot_be_framed_or_cached() {
    let public_url = Some(PublicUrl::parse("https://kieskaart.example").unwrap());
    let mut app = spawn_app_with(Settings { public_url, ..Settings::default() });
    let secret = invite(&mut app, "officer@demodorp.nl", "GM9999");
    let mut browser = Browser::new(&app);
    let path = accounts::activation_path(&secret);
    let form = browser.get(&path).await;
    let token = form_token(&form.body);
    browser.post(&path, &[("csrf", &token), ("password", PASSWORD), ("again", PASSWORD)]).await;
    let login = browser.get("/portaal/inloggen").await;
    let token = form_token(&login.body);
    let signed_in = browser
        .post(
            "/portaal/inloggen",
            &[("csrf", &token), ("email", "officer@demodorp.nl"), ("password", PASSWORD)],
        )
        .await;
    let session = signed_in.headers.get("set-cookie").unwrap().to_str().unwrap().to_owned();
    for flag in ["kk_sessie=", "HttpOnly", "SameSite=Strict", "Secure", "Path=/portaal"] {
        assert!(session.contains(flag), "{flag} in {session}");
    }
    let visitor = form.headers.get("set-cookie").unwrap().to_str().unwrap();
    assert!(visitor.contains("HttpOnly") && visitor.contains("SameSite=Strict"), "{visitor}");
    assert_eq!(visitor.matches("Secure").count(), 1, "{visitor}");

    for path in ["/portaal/inloggen", "/portaal", "/portaal/demo/GM9999", &path] {
        let page = browser.get(path).await;
        assert_eq!(page.headers["x-frame-options"], "DENY", "{path}");
        assert!(page.headers["content-security-policy"].to_str().unwrap().contains("frame-ancestors 'none'"));
        assert_eq!(page.headers["cache-control"], "no-store", "{path}");
    }
    let reused = browser.post(&path, &[("csrf", &token), ("password", PASSWORD), ("again", PASSWORD)]).await;
    assert_eq!(reused.status, StatusCode::GONE, "an activation link works once");
}

#[tokio::test]
async fn a_municipality_gets_its_real_stations_as_a_template_and_hands_it_back_unchanged() {
    let Some(real) = common::shared_file("wims-gr2026-ckan.json") else { return };
    let mut app = spawn_app();
    let summary =
        kieskaart::commands::import(&mut app.store, real.as_path(), "gr2026", Default::default()).unwrap();
    assert!(summary.summary.published);
    app.catalog.refresh(&app.store).unwrap();
    let secret = invite(&mut app, "verkiezingen@oudewater.nl", "GM0589");
    let mut browser = Browser::new(&app);
    let csrf = browser.activate_and_sign_in(&secret, "verkiezingen@oudewater.nl").await;

    let template = browser.get("/portaal/gr2026/GM0589/sjabloon.xlsx").await;
    assert_eq!(template.status, StatusCode::OK);
    assert!(template.headers["content-disposition"]
        .to_str()
        .unwrap()
        .contains("stembureaus-GM0589-gr2026.xlsx"));
    let stored = browser.upload("/portaal/gr2026/GM0589", &csrf, "oudewater.xlsx", &template.bytes).await;
    assert_eq!(stored.status, StatusCode::OK, "{}", stored.body);
    assert!(stored.body.contains("met 6 stembureaus"), "{}", stored.body);
    let review = browser.get(&draft_link_of(&stored.body, "/portaal/gr2026/GM0589/versies/")).await.body;
    assert!(
        review.contains("Geen verschil met wat kiezers nu zien"),
        "the same stations, less the BAG address: {review}"
    );

    // Published, the stations keep their municipality's name and addresses.
    let draft = draft_link_of(&stored.body, "/portaal/gr2026/GM0589/versies/");
    assert_eq!(browser.post(&draft, &[("csrf", &csrf)]).await.status, StatusCode::SEE_OTHER);
    let answer = app.get("/api/v1/elections/gr2026/municipalities/GM0589/stations").await.json();
    assert_eq!(answer["municipality"]["name"], "Oudewater", "not the bare code");
    assert_eq!(answer["stations"].as_array().unwrap().len(), 6);

    let blank = browser.get("/portaal/sjabloon.xlsx").await;
    let empty = browser.upload("/portaal/gr2026/GM0589", &csrf, "leeg.xlsx", &blank.bytes).await;
    assert_eq!(
        empty.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a blank template holds no stations: {}",
        empty.body
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn publishing_through_the_portal_while_voters_search_loses_no_request_and_mixes_nothing() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    const PUBLICATIONS: usize = 8;
    let mut app = spawn_app();
    let secret = invite(&mut app, "officer@demodorp.nl", "GM9999");
    let names = |generation: usize| -> Vec<String> {
        (0..12).map(|i| format!("gen{generation} station {i}")).collect()
    };
    let done = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = (0..6)
        .map(|_| {
            let (client, done) = (app.client.clone(), done.clone());
            tokio::spawn(async move {
                let mut answers = Vec::new();
                while !done.load(Ordering::Relaxed) {
                    let response =
                        client.get("/api/v1/elections/demo/stations/nearest?lat=52.1&lon=5.6&k=50").await;
                    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
                    let stations: Vec<String> = response.json()["stations"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|s| s["name"].as_str().unwrap().split(' ').next().unwrap().to_owned())
                        .collect();
                    answers.push(stations);
                    tokio::task::yield_now().await;
                }
                answers
            })
        })
        .collect();

    let mut browser = Browser::new(&app);
    let csrf = browser.activate_and_sign_in(&secret, "officer@demodorp.nl").await;
    for generation in 1..=PUBLICATIONS {
        let records: Vec<String> = names(generation);
        let refs: Vec<&str> = records.iter().map(String::as_str).collect();
        let stored = browser.upload("/portaal/demo/GM9999", &csrf, "g.json", &demodorp(&refs)).await;
        assert_eq!(stored.status, StatusCode::OK, "{}", stored.body);
        let published = browser.post(&draft_link(&stored.body), &[("csrf", &csrf)]).await;
        assert_eq!(published.status, StatusCode::SEE_OTHER);
    }
    done.store(true, Ordering::Relaxed);

    let mut seen = std::collections::BTreeSet::new();
    for client in clients {
        for generations in client.await.unwrap() {
            let first = generations[0].clone();
            assert!(generations.iter().all(|g| *g == first), "one publication per answer: {generations:?}");
            let expected = if first.starts_with("gen") { 12 } else { generations.len() };
            assert_eq!(generations.len(), expected, "whole: {generations:?}");
            seen.insert(first);
        }
    }
    assert!(seen.len() > PUBLICATIONS / 2, "answers came from many publications: {seen:?}");
}

/// The key a page shows once, after it was made.
fn shown_key(page: &str) -> String {
    let start = page.find("kk_").unwrap_or_else(|| panic!("no key shown: {page}"));
    page[start..start + 67].to_owned()
}

#[tokio::test]
async fn keys_made_in_the_portal_upload_until_revoked_and_only_for_their_municipality() {
    let mut app = spawn_app();
    let secret = invite(&mut app, "officer@demodorp.nl", "GM9999");
    let other_secret = invite(&mut app, "other@elders.nl", "GM0001");
    let mut browser = Browser::new(&app);
    let csrf = browser.activate_and_sign_in(&secret, "officer@demodorp.nl").await;
    let made = browser
        .post("/portaal/demo/GM9999/sleutels", &[("csrf", &csrf), ("label", "Verkiezingspakket")])
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    let key = shown_key(&made.body);
    assert!(!browser.get("/portaal/demo/GM9999").await.body.contains(&key), "shown once");

    let upload = "/api/v1/elections/demo/municipalities/GM9999/stations";
    let bearer = format!("Bearer {key}");
    let sent = app.put(upload, &[("authorization", &bearer)], demodorp(&["Via de API"])).await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    let id = app.store.tokens().unwrap()[0].id;

    // Another municipality's officer can neither see nor revoke it.
    let mut other = Browser::new(&app);
    let other_csrf = other.activate_and_sign_in(&other_secret, "other@elders.nl").await;
    let revoke_there = format!("/portaal/demo/GM9999/sleutels/{id}/intrekken");
    assert_eq!(other.post(&revoke_there, &[("csrf", &other_csrf)]).await.status, StatusCode::FORBIDDEN);
    let disguised = format!("/portaal/demo/GM0001/sleutels/{id}/intrekken");
    assert_eq!(other.post(&disguised, &[("csrf", &other_csrf)]).await.status, StatusCode::NOT_FOUND);
    assert!(!other.get("/portaal/demo/GM0001").await.body.contains("Verkiezingspakket"));
    assert_eq!(other.get("/portaal/logboek").await.status, StatusCode::FORBIDDEN, "the log is for admins");
    let made_there =
        other.post("/portaal/demo/GM9999/sleutels", &[("csrf", &other_csrf), ("label", "x")]).await;
    assert_eq!(made_there.status, StatusCode::FORBIDDEN);
    assert_eq!(app.store.tokens().unwrap().len(), 1);
    assert!(!app.store.tokens().unwrap()[0].revoked);

    let revoked = browser.post(&revoke_there, &[("csrf", &csrf)]).await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER);
    let refused = app.put(upload, &[("authorization", &bearer)], demodorp(&["Te laat"])).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);

    let admin = Email::parse("beheer@kieskaart.nl").unwrap();
    let admin_secret =
        accounts::invite(&mut app.store, &admin, &[], true, "test", Utc::now()).unwrap().secret;
    let mut operator = Browser::new(&app);
    operator.activate_and_sign_in(&admin_secret, "beheer@kieskaart.nl").await;
    let log = operator.get("/portaal/logboek").await;
    assert_eq!(log.status, StatusCode::OK);
    for action in ["token-created", "token-revoked", "upload-refused", "draft-stored", "login"] {
        assert!(log.body.contains(action), "{action} in the log");
    }
}

#[tokio::test]
async fn after_an_admin_closes_an_election_municipalities_can_look_but_not_change() {
    let mut app = spawn_app();
    let secret = invite(&mut app, "officer@demodorp.nl", "GM9999");
    let admin = Email::parse("beheer@kieskaart.nl").unwrap();
    let admin_secret =
        accounts::invite(&mut app.store, &admin, &[], true, "test", Utc::now()).unwrap().secret;
    let key = accounts_key(&mut app);
    let mut officer = Browser::new(&app);
    let csrf = officer.activate_and_sign_in(&secret, "officer@demodorp.nl").await;
    let mut operator = Browser::new(&app);
    let admin_csrf = operator.activate_and_sign_in(&admin_secret, "beheer@kieskaart.nl").await;
    // A draft stored before the deadline.
    let stored =
        officer.upload("/portaal/demo/GM9999", &csrf, "a.json", &demodorp(&["Voor de sluiting"])).await;
    let draft = draft_link(&stored.body);

    assert_eq!(officer.get("/portaal/beheer").await.status, StatusCode::FORBIDDEN);
    let by_officer = officer.post("/portaal/beheer/demo/sluiten", &[("csrf", &csrf), ("closed", "1")]).await;
    assert_eq!(by_officer.status, StatusCode::FORBIDDEN);
    let overview = operator.get("/portaal/beheer").await.body;
    assert!(overview.contains("1 gepubliceerd, 0 alleen een concept, 0 nog niets"), "{overview}");
    let closed =
        operator.post("/portaal/beheer/demo/sluiten", &[("csrf", &admin_csrf), ("closed", "1")]).await;
    assert_eq!(closed.status, StatusCode::SEE_OTHER);

    let before = published_names(&app).await;
    let page = officer.get("/portaal/demo/GM9999").await.body;
    assert!(page.contains("Aanleveren is gesloten") && !page.contains("multipart/form-data"), "{page}");
    let upload = officer.upload("/portaal/demo/GM9999", &csrf, "b.json", &demodorp(&["Te laat"])).await;
    assert_eq!(upload.status, StatusCode::FORBIDDEN);
    assert_eq!(officer.post(&draft, &[("csrf", &csrf)]).await.status, StatusCode::FORBIDDEN);
    let api = app
        .put(
            "/api/v1/elections/demo/municipalities/GM9999/stations?publish=true",
            &[("authorization", &key)],
            demodorp(&["Via de API"]),
        )
        .await;
    assert_eq!(api.status, StatusCode::FORBIDDEN, "{}", api.body);
    assert_eq!(published_names(&app).await, before, "nothing changed");

    // An admin may still correct.
    assert_eq!(operator.post(&draft, &[("csrf", &admin_csrf)]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(published_names(&app).await, ["Voor de sluiting"]);
    operator.post("/portaal/beheer/demo/sluiten", &[("csrf", &admin_csrf), ("closed", "0")]).await;
    let again = officer.upload("/portaal/demo/GM9999", &csrf, "c.json", &demodorp(&["Weer open"])).await;
    assert_eq!(again.status, StatusCode::OK, "reopened");
}

fn accounts_key(app: &mut TestApp) -> String {
    let code = app::model::MunicipalityCode::parse("GM9999").unwrap();
    format!("Bearer {}", kieskaart::tokens::create(&mut app.store, &code, "Vendor", "test").unwrap().secret)
}

#[tokio::test]
async fn an_admin_invites_from_the_portal_and_the_link_works_once() {
    let mut app = spawn_app();
    let admin = Email::parse("beheer@kieskaart.nl").unwrap();
    let admin_secret =
        accounts::invite(&mut app.store, &admin, &[], true, "test", Utc::now()).unwrap().secret;
    let mut operator = Browser::new(&app);
    let csrf = operator.activate_and_sign_in(&admin_secret, "beheer@kieskaart.nl").await;
    let refused = operator
        .post(
            "/portaal/beheer/uitnodigen",
            &[("csrf", &csrf), ("email", "nieuw@demodorp.nl"), ("municipalities", "GM99")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    let invited = operator
        .post(
            "/portaal/beheer/uitnodigen",
            &[("csrf", &csrf), ("email", "nieuw@demodorp.nl"), ("municipalities", "GM9999")],
        )
        .await;
    assert_eq!(invited.status, StatusCode::OK, "{}", invited.body);
    let start = invited.body.find("/portaal/activeren/").unwrap();
    let secret = invited.body[start + 19..start + 19 + 64].to_owned();
    let mut newcomer = Browser::new(&app);
    newcomer.activate_and_sign_in(&secret, "nieuw@demodorp.nl").await;
    assert_eq!(newcomer.get("/portaal/demo/GM9999").await.status, StatusCode::OK);
    assert_eq!(newcomer.get("/portaal/beheer").await.status, StatusCode::FORBIDDEN, "not an admin");
}

#[tokio::test]
async fn admins_must_set_up_a_second_factor_and_then_sign_in_with_its_codes() {
    let mut app = spawn_app();
    let admin = Email::parse("beheer@kieskaart.nl").unwrap();
    let secret = accounts::invite(&mut app.store, &admin, &[], true, "test", Utc::now()).unwrap().secret;
    let mut operator = Browser::new(&app);
    let path = accounts::activation_path(&secret);
    let token = form_token(&operator.get(&path).await.body);
    operator.post(&path, &[("csrf", &token), ("password", PASSWORD), ("again", PASSWORD)]).await;
    let token = form_token(&operator.get("/portaal/inloggen").await.body);
    let form = [("csrf", token.as_str()), ("email", "beheer@kieskaart.nl"), ("password", PASSWORD)];
    assert_eq!(operator.post("/portaal/inloggen", &form).await.status, StatusCode::SEE_OTHER);
    for path in ["/portaal", "/portaal/beheer", "/portaal/logboek", "/portaal/demo/GM9999"] {
        let page = operator.get(path).await;
        assert_eq!(page.headers["location"], "/portaal/tweede-stap", "{path} waits for the second factor");
    }
    let page = operator.get("/portaal/tweede-stap").await;
    let (csrf, app_secret) = (form_token(&page.body), hidden(&page.body, "secret"));
    let wrong = operator
        .post("/portaal/tweede-stap", &[("csrf", &csrf), ("secret", &app_secret), ("code", "12345")])
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    let code = app_code(&app_secret, 0);
    let set = operator
        .post("/portaal/tweede-stap", &[("csrf", &csrf), ("secret", &app_secret), ("code", &code)])
        .await;
    assert_eq!(set.status, StatusCode::SEE_OTHER);
    assert_eq!(operator.get("/portaal/beheer").await.status, StatusCode::OK);

    // From now on: password and a fresh code, each code once.
    let mut later = Browser::new(&app);
    let token = form_token(&later.get("/portaal/inloggen").await.body);
    for (code, expected) in [
        (String::new(), StatusCode::UNAUTHORIZED),
        (code.clone(), StatusCode::UNAUTHORIZED),
        (app_code(&app_secret, 1), StatusCode::SEE_OTHER),
        (app_code(&app_secret, 1), StatusCode::UNAUTHORIZED),
    ] {
        let form = [
            ("csrf", token.as_str()),
            ("email", "beheer@kieskaart.nl"),
            ("password", PASSWORD),
            ("code", &code),
        ];
        assert_eq!(later.post("/portaal/inloggen", &form).await.status, expected, "code {code:?}");
    }
}

#[tokio::test]
async fn one_station_is_corrected_in_a_form_checked_like_an_upload() {
    let mut app = spawn_app();
    let secret = invite(&mut app, "officer@demodorp.nl", "GM9999");
    let other_secret = invite(&mut app, "other@elders.nl", "GM0001");
    let demo = app::model::ElectionId::parse("demo").unwrap();
    let published = app.store.versions(&demo).unwrap()[0].id;
    let mut browser = Browser::new(&app);
    let csrf = browser.activate_and_sign_in(&secret, "officer@demodorp.nl").await;
    let review = browser.get(&format!("/portaal/demo/GM9999/versies/{published}")).await.body;
    let edit = format!("/portaal/demo/GM9999/versies/{published}/stembureaus/1");
    assert!(review.contains(&edit), "each station links to its form: {review}");
    // The review's map may run our scripts and show the tile server's images; no other portal page runs any.
    let policy = browser.get(&format!("/portaal/demo/GM9999/versies/{published}")).await.headers
        ["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        policy.contains("script-src 'self'") && policy.contains("img-src 'self' data: http://127.0.0.1:9"),
        "{policy}"
    );
    assert!(review.contains(r#"id="portal-map""#) && review.contains("/portal-map.js"), "{review}");
    let plain = browser.get("/portaal").await.headers["content-security-policy"].to_str().unwrap().to_owned();
    assert!(!plain.contains("script-src") && plain.contains("default-src 'none'"), "{plain}");
    let form = browser.get(&edit).await;
    assert_eq!(form.status, StatusCode::OK);
    let name = hidden_value(&form.body, "Naam stembureau");
    let before = published_names(&app).await;
    let versions = app.store.versions(&demo).unwrap().len();

    // A latitude that is no number: the form again, with the finding.
    let mut fields: Vec<(String, String)> = form_fields(&form.body);
    set(&mut fields, "Latitude", "vijftig");
    let refused = browser.post(&edit, &pairs(&fields)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(refused.body.contains("Latitude") && refused.body.contains("vijftig"), "{}", refused.body);
    assert_eq!(app.store.versions(&demo).unwrap().len(), versions, "nothing stored");

    let mut fields = form_fields(&form.body);
    set(&mut fields, "Naam stembureau", "Demo: Dorpshuis (nieuwe naam)");
    let saved = browser.post(&edit, &pairs(&fields)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let draft = saved.headers["location"].to_str().unwrap().to_owned();
    let diff = browser.get(&draft).await.body;
    assert!(diff.contains(&format!("Naam stembureau: “{name}” → “Demo: Dorpshuis (nieuwe naam)”")), "{diff}");
    assert_eq!(published_names(&app).await, before, "a draft until published");
    browser.post(&draft, &[("csrf", &csrf)]).await;
    let after = published_names(&app).await;
    assert!(
        after.contains(&"Demo: Dorpshuis (nieuwe naam)".to_owned()) && after.len() == before.len(),
        "{after:?}"
    );

    // Placed by address: the geocoder's point fills the coordinates.
    let placed = browser.get(&format!("{edit}?adres=9999AD")).await.body;
    assert!(placed.contains("Gevonden:"), "{placed}");
    let latitude = hidden_value(&placed, "Latitude");
    assert!(latitude.starts_with("52.") && latitude.len() == 9, "six decimals: {latitude}");
    let unknown = browser.get(&format!("{edit}?adres=Nergenshuizen")).await.body;
    assert!(unknown.contains("Geen adres gevonden"), "{unknown}");
    let too_long = browser.get(&format!("{edit}?adres={}", "a".repeat(201))).await.body;
    assert!(too_long.contains("langer dan 200 tekens"), "nothing is looked up: {too_long}");

    let mut other = Browser::new(&app);
    let other_csrf = other.activate_and_sign_in(&other_secret, "other@elders.nl").await;
    assert_eq!(other.get(&edit).await.status, StatusCode::FORBIDDEN);
    let mut fields = form_fields(&form.body);
    set(&mut fields, "csrf", &other_csrf);
    assert_eq!(other.post(&edit, &pairs(&fields)).await.status, StatusCode::FORBIDDEN);
}

/// Every `name="…" value="…"` input of a page, in order.
fn form_fields(page: &str) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    let mut rest = page;
    while let Some(start) = rest.find("<input ") {
        rest = &rest[start + 7..];
        let tag = &rest[..rest.find('>').unwrap()];
        let attribute = |name: &str| {
            let marker = format!("{name}=\"");
            tag.find(&marker).map(|at| {
                let value = &tag[at + marker.len()..];
                value[..value.find('"').unwrap()].replace("&amp;", "&").replace("&quot;", "\"")
            })
        };
        if let Some(name) = attribute("name") {
            fields.push((name, attribute("value").unwrap_or_default()));
        }
    }
    fields
}

fn hidden_value(page: &str, name: &str) -> String {
    form_fields(page).into_iter().find(|(n, _)| n == name).map(|(_, v)| v).unwrap()
}

fn set(fields: &mut [(String, String)], name: &str, value: &str) {
    fields.iter_mut().find(|(n, _)| n == name).unwrap().1 = value.to_owned();
}

fn pairs(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

#[tokio::test]
async fn a_report_of_thousands_of_findings_shows_the_first_thousand_and_says_how_many_more() {
    let mut app = spawn_app();
    let secret = invite(&mut app, "officer@demodorp.nl", "GM9999");
    let mut browser = Browser::new(&app);
    let csrf = browser.activate_and_sign_in(&secret, "officer@demodorp.nl").await;
    // Two thousand lines with nothing but a number: several findings each.
    let file = format!("Nummer stembureau\n{}", "1\n".repeat(2000));
    let refused = browser.upload("/portaal/demo/GM9999", &csrf, "nummers.csv", file.as_bytes()).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(refused.body.contains("Alleen de eerste 1000 bevindingen staan hier"), "{}", refused.body);
    assert!(refused.body.contains("Verbeter eerst deze"), "{}", refused.body);
    let places = refused.body.matches("<section class=\"finding-group\">").count();
    assert!((1..=1000).contains(&places), "only places of findings kept are shown: {places}");
    let english = browser.upload("/portaal/demo/GM9999?taal=en", &csrf, "nummers.csv", file.as_bytes()).await;
    assert!(english.body.contains("Only the first 1000 findings are listed"), "{}", english.body);
    assert!(english.body.contains("Fix these first"), "{}", english.body);
}

/// What the attackers of [`a_flood_of_bad_activations_and_sign_ins_does_not_hold_up_an_officer`]
/// send at once, each again and again until the officer is done.
const ATTACKERS: usize = 64;
/// How often each attacker sends at most: the flood stays bounded even
/// when the officer never finishes.
const ROUNDS: usize = 20;

/// Sends `form` to `path` as a visitor with the form token `token`, until
/// `done`; the statuses of the answers.
async fn flood(
    client: common::Client,
    path: String,
    token: String,
    form: String,
    done: Arc<AtomicBool>,
) -> Vec<StatusCode> {
    let cookie = format!("kk_formulier={token}");
    let headers = [("cookie", cookie.as_str()), ("content-type", "application/x-www-form-urlencoded")];
    let mut statuses = Vec::new();
    for _ in 0..ROUNDS {
        if done.load(Ordering::SeqCst) {
            break;
        }
        statuses.push(client.request(Method::POST, &path, &headers, form.clone()).await.status);
    }
    statuses
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_flood_of_bad_activations_and_sign_ins_does_not_hold_up_an_officer() {
    let mut app = spawn_app();
    let secret = invite(&mut app, "officer@demodorp.nl", "GM9999");
    let mut officer = Browser::new(&app);
    let csrf = officer.activate_and_sign_in(&secret, "officer@demodorp.nl").await;

    let mut visitor = Browser::new(&app);
    let token = form_token(&visitor.get("/portaal/inloggen").await.body);
    assert_eq!(visitor.cookies.get("kk_formulier"), Some(&token));
    let done = Arc::new(AtomicBool::new(false));
    let mut activations = Vec::new();
    let mut sign_ins = Vec::new();
    for n in 0..ATTACKERS {
        // Links that never existed, with a valid new password: before,
        // each was hashed holding the store, for nothing.
        let link = accounts::activation_path(&format!("{n:064x}"));
        let form = format!("csrf={token}&password=een+geldig+wachtwoord&again=een+geldig+wachtwoord");
        activations.push(tokio::spawn(flood(app.client.clone(), link, token.clone(), form, done.clone())));
        // Guesses at a colleague's password, all at once.
        let form = format!("csrf={token}&email=collega%40demodorp.nl&password=gok+nummer+{n}");
        let path = "/portaal/inloggen".to_owned();
        sign_ins.push(tokio::spawn(flood(app.client.clone(), path, token.clone(), form, done.clone())));
    }
    tokio::time::sleep(Duration::from_millis(200)).await;

    // Meanwhile the officer signs in again, uploads and publishes.
    let started = Instant::now();
    officer.cookies.remove("kk_sessie");
    let csrf_again = officer.sign_in("officer@demodorp.nl", PASSWORD).await;
    assert_ne!(csrf_again, csrf, "a new session");
    let stored = officer
        .upload("/portaal/demo/GM9999", &csrf_again, "goed.json", &demodorp(&["Tijdens de storm"]))
        .await;
    assert_eq!(stored.status, StatusCode::OK, "{}", stored.body);
    let published = officer.post(&draft_link(&stored.body), &[("csrf", &csrf_again)]).await;
    assert_eq!(published.status, StatusCode::SEE_OTHER, "{}", published.body);
    let took = started.elapsed();
    done.store(true, Ordering::SeqCst);
    assert_eq!(published_names(&app).await, ["Tijdens de storm"]);
    assert!(took < Duration::from_secs(5), "the officer waited {took:?} behind the flood");

    let mut refused = Vec::new();
    for attacker in activations {
        refused.extend(attacker.await.unwrap());
    }
    assert!(refused.iter().all(|status| *status == StatusCode::GONE), "{refused:?}");
    let mut guessed = Vec::new();
    for attacker in sign_ins {
        guessed.extend(attacker.await.unwrap());
    }
    let wrong = guessed.iter().filter(|status| **status == StatusCode::UNAUTHORIZED).count();
    let throttled = guessed.iter().filter(|status| **status == StatusCode::TOO_MANY_REQUESTS).count();
    // Five free ones, however many at once; then one after a second's
    // wait, one after two more, ... while the officer takes seconds.
    assert!((5..=8).contains(&wrong), "{wrong} checked");
    assert_eq!(wrong + throttled, guessed.len(), "{guessed:?}");

    // A handful of rows count every throttled guess (two when the flood
    // straddles a quarter hour).
    let log = app.store.audit_log(1000).unwrap();
    let rows: Vec<i64> = log
        .iter()
        .filter(|e| e.entry.action == "login-throttled" && e.entry.actor == "collega@demodorp.nl")
        .map(|e| e.times)
        .collect();
    assert!((1..=2).contains(&rows.len()), "{rows:?}");
    assert_eq!(rows.iter().sum::<i64>(), throttled as i64);
}

#[tokio::test]
async fn the_audit_log_pages_through_every_entry_and_shows_one_kind_on_request() {
    let mut app = spawn_app();
    let admin = Email::parse("beheer@kieskaart.nl").unwrap();
    let secret = accounts::invite(&mut app.store, &admin, &[], true, "test", Utc::now()).unwrap().secret;
    let mut operator = Browser::new(&app);
    operator.activate_and_sign_in(&secret, "beheer@kieskaart.nl").await;
    // The operator's browser holds the app: a connection of its own writes.
    let mut store = kieskaart::store::Store::open(&common::database(&app.folder)).unwrap();
    for n in 0..150 {
        store.record("token 1", "published", None, &format!("entry {n:03}")).unwrap();
    }

    let first = operator.get("/portaal/logboek").await;
    assert_eq!(first.status, StatusCode::OK);
    assert!(first.body.contains("entry 149") && first.body.contains("entry 050"), "{}", first.body);
    assert!(!first.body.contains("entry 049"), "a hundred a page");
    let start = first.body.find(r#"href="/portaal/logboek?voor="#).expect("a link to older entries");
    let rest = &first.body[start + 6..];
    let older = operator.get(&rest[..rest.find('"').unwrap()]).await;
    assert_eq!(older.status, StatusCode::OK);
    assert!(older.body.contains("entry 049") && older.body.contains("entry 000"), "{}", older.body);
    assert!(!older.body.contains("entry 050"), "page 2 starts where page 1 ended");
    assert!(older.body.contains("user-invited"), "down to the first entry: {}", older.body);
    assert!(!older.body.contains("logboek?voor="), "the last page");

    let logins = operator.get("/portaal/logboek?soort=login").await;
    assert_eq!(logins.status, StatusCode::OK);
    assert!(logins.body.contains("beheer@kieskaart.nl"), "{}", logins.body);
    assert!(!logins.body.contains("entry "), "only sign-ins: {}", logins.body);
    assert!(logins.body.contains(r#"<option value="published">"#), "kinds to choose: {}", logins.body);
    assert!(logins.body.contains(r#"<option value="login" selected"#), "{}", logins.body);

    assert_eq!(operator.get("/portaal/logboek?voor=gisteren").await.status, StatusCode::NOT_FOUND);
}
