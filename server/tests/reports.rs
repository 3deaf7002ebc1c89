//! Voters report a problem with a station (issue 23, part 1): the form on
//! the site and in embeds, what is stored and what never is, the limits
//! and the honeypot, the municipality's queue in the portal, the audit
//! log, and the vendor API's read of the queue.

mod common;

use axum::http::StatusCode;
use chrono::Utc;
use common::browser::{invite, Browser};
use common::server::{Http, Server};
use common::{spawn_app, spawn_app_with, TestApp};
use kieskaart::accounts::{self, Email};
use kieskaart::http::report::ReportLimits;
use kieskaart::startup::Settings;
use kieskaart::store::{ReportState, StoredReport};

/// The demo's first station: its page's path and its name.
fn demo_station(app: &TestApp) -> (String, String) {
    use app::directory::StationDirectory;
    let election = app::model::ElectionId::parse("demo").unwrap();
    let code = app::model::MunicipalityCode::parse("GM9999").unwrap();
    let (_, stations) = app.catalog.municipality(&election, &code).unwrap();
    (stations[0].page("demo"), stations[0].name.clone())
}

fn demo_reports(app: &TestApp) -> Vec<StoredReport> {
    let election = app::model::ElectionId::parse("demo").unwrap();
    let code = app::model::MunicipalityCode::parse("GM9999").unwrap();
    app.store.reports(&election, &code).unwrap()
}

/// A form body, URL-encoded.
fn encoded(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{k}={}", form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>()))
        .collect::<Vec<_>>()
        .join("&")
}

const GOOD: &[(&str, &str)] =
    &[("wat", "openingstijden"), ("tekst", "Het opent pas om 8 uur."), ("email", "")];

#[tokio::test]
async fn a_voter_reports_a_problem_from_the_station_page_and_sees_a_confirmation() {
    let app = spawn_app();
    let (page, name) = demo_station(&app);
    let form_path = format!("{page}/melden");
    let station = app.get(&page).await;
    assert!(station.body.contains(&format!("href=\"{form_path}\"")), "the station page links to the form");
    assert!(station.body.contains("Klopt er iets niet?"));
    let results = app.get("/?e=demo&q=Demodorp").await;
    assert!(results.body.contains(&format!("href=\"{form_path}\"")), "and so does each result");

    let form = app.get(&form_path).await;
    assert_eq!(form.status, StatusCode::OK);
    for field in
        ["name=\"wat\"", "name=\"tekst\"", "name=\"email\"", "name=\"website\"", "maxlength=\"1000\""]
    {
        assert!(form.body.contains(field), "{field}: {}", form.body);
    }
    assert!(form.body.contains("Wat klopt er niet?") && form.body.contains(&name));

    let fields =
        [("wat", "adres"), ("tekst", "Het huisnummer is 12, niet 21."), ("email", "kiezer@example.org")];
    let sent = app.post_form(&form_path, &encoded(&fields)).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let confirmation = sent.headers["location"].to_str().unwrap().to_owned();
    assert_eq!(confirmation, format!("{form_path}/verzonden"));
    let thanks = app.get(&confirmation).await;
    assert_eq!(thanks.status, StatusCode::OK);
    assert!(thanks.body.contains("Bedankt voor uw melding"), "{}", thanks.body);

    let stored = demo_reports(&app);
    assert_eq!(stored.len(), 1);
    let report = &stored[0];
    assert_eq!((report.category.code(), report.text.as_str()), ("adres", "Het huisnummer is 12, niet 21."));
    assert_eq!(report.email.as_deref(), Some("kiezer@example.org"));
    assert_eq!(report.state, ReportState::New);
    let demo = app::model::ElectionId::parse("demo").unwrap();
    assert_eq!(report.version, Some(app.store.versions(&demo).unwrap()[0].id), "the version the voter saw");
    assert_eq!(report.created_at, "2030-03-18T11:00:00+00:00", "the app's clock");
    assert!(!format!("{report:?}").contains("Demodorp\","), "no search is stored");

    let about = app.get("/over").await.body;
    assert!(about.contains("Als u een probleem meldt") && about.contains("na 90 dagen"), "{about}");
    let about = app.get("/over?taal=en").await.body;
    assert!(about.contains("When you report a problem") && about.contains("after 90 days"), "{about}");

    assert_eq!(app.get("/s/demo/gm9999-nope/melden").await.status, StatusCode::NOT_FOUND);
    let unknown = app.post_form("/s/demo/gm9999-nope/melden", &encoded(GOOD)).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(demo_reports(&app).len(), 1);
}

#[tokio::test]
async fn bad_input_comes_back_in_the_form_naming_each_field_and_markup_stays_text() {
    let mut app = spawn_app();
    let (page, _) = demo_station(&app);
    let form_path = format!("{page}/melden");
    let markup = "<script>alert(1)</script><b>dicht</b></textarea><i>uit</i>";
    let long = "x".repeat(1001);

    let refused = app.post_form(&form_path, &encoded(&[("tekst", markup), ("email", "geen adres")])).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Wat klopt er niet? Kies een van de mogelijkheden."), "{}", refused.body);
    assert!(refused.body.contains("href=\"#report-category\""));
    assert!(refused.body.contains("Uw e-mailadres: dit is geen e-mailadres"));
    assert!(refused.body.contains("value=\"geen adres\""), "what was typed stays");
    assert!(
        refused.body.contains("&lt;script>alert(1)&lt;/script>&lt;b>dicht&lt;/b>&lt;/textarea>&lt;i>"),
        "as text: {}",
        refused.body
    );
    assert!(!refused.body.contains("<script>") && !refused.body.contains("<i>uit"), "never as markup");

    let too_long = app.post_form(&form_path, &encoded(&[("wat", "anders"), ("tekst", &long)])).await;
    assert_eq!(too_long.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(too_long.body.contains("Uw tekst heeft 1001 tekens"), "{}", too_long.body);
    let empty = app.post_form(&form_path, &encoded(&[("wat", "anders"), ("tekst", "  ")])).await;
    assert!(empty.body.contains("Beschrijf het probleem in een paar woorden"));
    let english = app.post_form(&format!("{form_path}?taal=en"), &encoded(&[("wat", "anders")])).await;
    assert!(english.body.contains("What is the problem? Describe it in a few words."), "{}", english.body);
    let garbage = app.post_form(&form_path, "wat=%ZZ&&&").await;
    assert!(garbage.status.is_client_error(), "{}", garbage.status);
    assert!(demo_reports(&app).is_empty(), "nothing stored");

    // Markup in a good report is stored as typed and shown as text.
    let sent = app
        .post_form(&form_path, &encoded(&[("wat", "anders"), ("tekst", markup), ("email", "a@b.nl")]))
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    assert_eq!(demo_reports(&app)[0].text, markup);
    let mut officer = signed_in_officer(&mut app, "officer@demodorp.nl", "GM9999").await;
    let queue = officer.get("/portaal/demo/GM9999/meldingen").await;
    assert!(
        queue.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;dicht&lt;/b&gt;"),
        "{}",
        queue.body
    );
    assert!(
        queue.body.contains("> &lt;script>alert(1)&lt;/script>&lt;b>dicht&lt;/b>&lt;/textarea>"),
        "the reply"
    );
    assert!(!queue.body.contains("<script>") && !queue.body.contains("<i>uit"), "{}", queue.body);
}

#[tokio::test]
async fn a_filled_honeypot_looks_accepted_and_stores_nothing() {
    let app = spawn_app();
    let (page, _) = demo_station(&app);
    let form_path = format!("{page}/melden");
    let mut fields = GOOD.to_vec();
    fields.push(("website", "http://spam.example"));
    let bait = app.post_form(&form_path, &encoded(&fields)).await;
    let real = app.post_form(&form_path, &encoded(GOOD)).await;
    assert_eq!((bait.status, &bait.headers["location"]), (real.status, &real.headers["location"]));
    assert_eq!(demo_reports(&app).len(), 1, "only the real one");
}

#[tokio::test]
async fn one_address_and_everyone_together_are_limited() {
    let limits = ReportLimits::per_hour(2, 4);
    let app = spawn_app_with(Settings { reports: limits, ..Settings::default() });
    let (page, _) = demo_station(&app);
    let form_path = format!("{page}/melden");
    let voter = app.from("203.0.113.5:4000");
    for _ in 0..2 {
        assert_eq!(voter.post_form(&form_path, &encoded(GOOD)).await.status, StatusCode::SEE_OTHER);
    }
    let refused = voter.post_form(&form_path, &encoded(GOOD)).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(refused.body.contains("probeer het over een uur opnieuw"), "{}", refused.body);
    assert!(refused.body.contains("Het opent pas om 8 uur."), "the text is kept to send later");
    // Bad forms do not count; another address still may.
    let neighbour = app.from("198.51.100.7:4000");
    assert_eq!(neighbour.post_form(&form_path, "wat=x").await.status, StatusCode::UNPROCESSABLE_ENTITY);
    for _ in 0..2 {
        assert_eq!(neighbour.post_form(&form_path, &encoded(GOOD)).await.status, StatusCode::SEE_OTHER);
    }
    // Four in all: a fresh address is refused too.
    let stranger = app.from("192.0.2.9:4000");
    assert_eq!(stranger.post_form(&form_path, &encoded(GOOD)).await.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(demo_reports(&app).len(), 4);
}

#[test]
fn an_operator_sets_the_limit_per_address() {
    let folder = tempfile::tempdir().unwrap();
    let database = kieskaart::store::Location::Sqlite(common::database(&folder));
    kieskaart::commands::load_demo(&mut kieskaart::store::Store::connect(&database).unwrap()).unwrap();
    let server = Server::start(&database, folder.path(), &["--reports-per-address", "1"]);
    let (http, form) = (Http::new(), server.url("/s/demo/gm9999-1/melden"));
    assert_eq!(http.post_form(&form, &encoded(GOOD)).unwrap().status, 200, "sent, and the confirmation");
    assert_eq!(http.post_form(&form, &encoded(GOOD)).unwrap().status, 429);
}

#[tokio::test]
async fn the_form_works_inside_an_embed_and_keeps_its_settings() {
    let app = spawn_app();
    let (page, _) = demo_station(&app);
    let embedded = format!("/embed{page}?lang=en&theme=dark&accent=c00000");
    let station = app.get(&embedded).await;
    let form_path = format!("/embed{page}/melden?lang=en&amp;theme=dark&amp;accent=c00000");
    assert!(station.body.contains(&format!("href=\"{form_path}\"")), "{}", station.body);
    assert!(station.body.contains("Something wrong?"));

    let form = app.get(&form_path.replace("&amp;", "&")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("Report a problem") && form.body.contains("data-theme=\"dark\""));
    assert!(form.body.contains(&format!("action=\"{form_path}\"")), "{}", form.body);
    let frame = form.headers["content-security-policy"].to_str().unwrap();
    assert!(frame.contains("frame-ancestors *"), "{frame}");

    let sent = app.post_form(&form_path.replace("&amp;", "&"), &encoded(GOOD)).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    let confirmation = sent.headers["location"].to_str().unwrap();
    assert_eq!(confirmation, format!("/embed{page}/melden/verzonden?lang=en&theme=dark&accent=c00000"));
    let thanks = app.get(confirmation).await;
    assert!(thanks.body.contains("Thank you for your report") && thanks.body.contains("data-theme=\"dark\""));
    let refused = app.post_form(&form_path.replace("&amp;", "&"), "wat=anders").await;
    assert!(refused.body.contains("What is the problem?") && refused.body.contains("data-theme=\"dark\""));
}

#[tokio::test]
async fn email_addresses_are_forgotten_after_ninety_days() {
    let app = spawn_app();
    let (page, _) = demo_station(&app);
    let form_path = format!("{page}/melden");
    let with_address = [("wat", "adres"), ("tekst", "Oud"), ("email", "oud@example.org")];
    app.post_form(&form_path, &encoded(&with_address)).await;
    app.clock.set("2030-06-15T11:00:00Z"); // 89 days on
    app.post_form(&form_path, &encoded(GOOD)).await;
    assert!(demo_reports(&app).iter().any(|r| r.email.is_some()));
    app.clock.set("2030-06-17T11:00:00Z"); // 91 days on
    app.post_form(&form_path, &encoded(GOOD)).await;
    let reports = demo_reports(&app);
    assert_eq!(reports.len(), 3);
    assert!(reports.iter().all(|r| r.email.is_none()), "{reports:?}");
}

/// A browser signed in as an officer of `code`.
async fn signed_in_officer(app: &mut TestApp, email: &str, code: &str) -> Browser {
    let secret = invite(app, email, code);
    let mut browser = Browser::new(app);
    browser.activate_and_sign_in(&secret, email).await;
    browser
}

#[tokio::test]
async fn officers_see_their_municipalitys_queue_answer_correct_and_close_reports_logged() {
    let mut app = spawn_app();
    let (page, name) = demo_station(&app);
    let form_path = format!("{page}/melden");
    let fields =
        [("wat", "toegankelijkheid"), ("tekst", "De drempel is te hoog."), ("email", "kiezer@example.org")];
    app.post_form(&form_path, &encoded(&fields)).await;
    let id = demo_reports(&app)[0].id;

    let secret = invite(&mut app, "officer@demodorp.nl", "GM9999");
    let mut officer = Browser::new(&app);
    let csrf = officer.activate_and_sign_in(&secret, "officer@demodorp.nl").await;
    let municipality = officer.get("/portaal/demo/GM9999").await;
    assert!(municipality.body.contains("href=\"/portaal/demo/GM9999/meldingen\""));
    let queue = officer.get("/portaal/demo/GM9999/meldingen").await;
    assert_eq!(queue.status, StatusCode::OK);
    for shown in
        [name.as_str(), "De drempel is te hoog.", "kiezer@example.org", "Nieuw (1)", "Dank u voor uw melding"]
    {
        assert!(queue.body.contains(shown), "{shown}: {}", queue.body);
    }
    let demo = app::model::ElectionId::parse("demo").unwrap();
    let version = app.store.versions(&demo).unwrap()[0].id;
    assert!(queue.body.contains(&format!("/portaal/demo/GM9999/versies/{version}\"")), "the version seen");
    assert!(
        queue.body.contains(&format!("/portaal/demo/GM9999/versies/{version}/stembureaus/1\"")),
        "correct it"
    );

    // Another municipality's officer sees nothing and changes nothing.
    let other_secret = invite(&mut app, "other@elders.nl", "GM0001");
    let mut other = Browser::new(&app);
    let other_csrf = other.activate_and_sign_in(&other_secret, "other@elders.nl").await;
    assert_eq!(other.get("/portaal/demo/GM9999/meldingen").await.status, StatusCode::FORBIDDEN);
    let state_path = format!("/portaal/demo/GM9999/meldingen/{id}");
    let tried = other.post(&state_path, &[("csrf", &other_csrf), ("staat", "dismissed")]).await;
    assert_eq!(tried.status, StatusCode::FORBIDDEN);
    let disguised = other
        .post(
            &format!("/portaal/demo/GM0001/meldingen/{id}"),
            &[("csrf", &other_csrf), ("staat", "dismissed")],
        )
        .await;
    assert_eq!(disguised.status, StatusCode::NOT_FOUND);
    assert!(!other.get("/portaal/demo/GM0001/meldingen").await.body.contains("De drempel"));
    assert_eq!(
        officer.post(&state_path, &[("csrf", "wrong"), ("staat", "handled")]).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(demo_reports(&app)[0].state, ReportState::New);

    let working = officer.post(&state_path, &[("csrf", &csrf), ("staat", "in-progress")]).await;
    assert_eq!(working.status, StatusCode::SEE_OTHER);
    assert_eq!(demo_reports(&app)[0].email.as_deref(), Some("kiezer@example.org"), "still to answer");
    officer.post(&state_path, &[("csrf", &csrf), ("staat", "handled")]).await;
    let handled = &demo_reports(&app)[0];
    assert_eq!(
        (handled.state, handled.email.as_deref()),
        (ReportState::Handled, None),
        "closed: address gone"
    );
    let queue = officer.get("/portaal/demo/GM9999/meldingen").await.body;
    assert!(queue.contains("Afgehandeld (1)") && !queue.contains("kiezer@example.org"));

    let log: Vec<_> = app.store.audit_log(2).unwrap().into_iter().map(|e| e.entry).collect();
    assert!(log.iter().all(|e| e.action == "report-state" && e.actor == "officer@demodorp.nl"), "{log:?}");
    assert!(log[0].detail.ends_with("in-progress → handled") && log[1].detail.ends_with("new → in-progress"));

    // Admins see the counts of every municipality; officers do not.
    assert_eq!(officer.get("/portaal/beheer/meldingen").await.status, StatusCode::FORBIDDEN);
    let admin = Email::parse("beheer@kieskaart.nl").unwrap();
    let admin_secret =
        accounts::invite(&mut app.store, &admin, &[], true, "test", Utc::now()).unwrap().secret;
    let mut operator = Browser::new(&app);
    operator.activate_and_sign_in(&admin_secret, "beheer@kieskaart.nl").await;
    let counts = operator.get("/portaal/beheer/meldingen").await;
    assert_eq!(counts.status, StatusCode::OK);
    assert!(counts.body.contains("(GM9999) · demo") && counts.body.contains("<td>1</td>"), "{}", counts.body);
}

#[tokio::test]
async fn a_vendor_token_reads_its_own_municipalitys_reports_and_nobody_else_does() {
    let mut app = spawn_app();
    let (page, _) = demo_station(&app);
    app.post_form(
        &format!("{page}/melden"),
        &encoded(&[("wat", "adres"), ("tekst", "<i>12</i>"), ("email", "a@b.nl")]),
    )
    .await;
    let own = kieskaart::tokens::create(
        &mut app.store,
        &app::model::MunicipalityCode::parse("GM9999").unwrap(),
        "V",
        "t",
    )
    .unwrap();
    let other = kieskaart::tokens::create(
        &mut app.store,
        &app::model::MunicipalityCode::parse("GM0001").unwrap(),
        "V",
        "t",
    )
    .unwrap();
    let path = "/api/v1/elections/demo/municipalities/GM9999/reports";
    let read = app.get_with(path, &[("authorization", &format!("Bearer {}", own.secret))]).await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.body);
    assert_eq!(read.headers["cache-control"], "private, no-store");
    let answer = read.json();
    let report = &answer["reports"][0];
    assert_eq!((report["category"].as_str(), report["text"].as_str()), (Some("adres"), Some("<i>12</i>")));
    assert_eq!((report["state"].as_str(), report["email"].as_str()), (Some("new"), Some("a@b.nl")));
    assert!(report["version"].is_i64());

    let foreign = app.get_with(path, &[("authorization", &format!("Bearer {}", other.secret))]).await;
    assert_eq!(foreign.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get(path).await.status, StatusCode::UNAUTHORIZED, "no public read");
    let forged = app.get_with(path, &[("authorization", "Bearer kk_nothing")]).await;
    assert_eq!(forged.status, StatusCode::UNAUTHORIZED);
    let document = app.get("/api/v1/openapi.json").await.json();
    assert!(document["paths"]["/elections/{election}/municipalities/{code}/reports"]["get"].is_object());
}
