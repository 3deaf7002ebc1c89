//! What every store must do, run against SQLite and against PostgreSQL
//! (on the cluster that `make test` starts; skipped with a message
//! without one). The server and the commands rely on exactly this.

mod common;

use app::model::{Coordinates, ElectionId, MunicipalityCode, MunicipalityRef};
use common::{ckan_file, demodorp_file, Record};
use kieskaart::commands::{self, ImportOptions, Source};
use kieskaart::geocode::OperatorEntry;
use kieskaart::geography::MunicipalityArea;
use kieskaart::store::{
    Attempt, AuditEntry, AuditPage, DeliveryState, Disabling, Location, NewLink, NewReport, Publish,
    Publisher, ReportCount, ReportState, ReportedStation, SessionRow, StationRow, Store,
};

/// Runs each contract test once per store kind.
macro_rules! for_both_stores {
    ($($test:ident),* $(,)?) => {
        mod sqlite {
            $(#[test]
            fn $test() {
                let folder = tempfile::tempdir().expect("a temporary folder");
                super::$test(&kieskaart::store::Location::Sqlite(common_database(&folder)));
            })*

            fn common_database(folder: &tempfile::TempDir) -> std::path::PathBuf {
                super::common::database(folder)
            }
        }
        mod postgres {
            $(#[test]
            fn $test() {
                if let Some(location) = super::common::postgres_database() {
                    super::$test(&location);
                }
            })*
        }
    };
}

for_both_stores!(
    opening_again_migrates_nothing_twice,
    an_import_is_stored_published_and_read_back_whole,
    an_import_dropped_before_commit_leaves_no_trace,
    a_municipality_discarded_from_an_import_stays_as_it_was,
    drafts_are_published_and_earlier_versions_restored_as_copies,
    the_publication_state_changes_exactly_with_what_voters_see,
    tokens_are_revoked_for_good_and_the_audit_log_reads_newest_first,
    the_audit_log_counts_repeats_and_reads_a_page_and_a_kind_at_a_time,
    accounts_activate_once_sessions_expire_and_codes_work_once,
    accounts_are_listed_disabled_enabled_given_municipalities_and_reset,
    elections_close_and_reopen,
    boundaries_and_gazetteer_are_replaced_and_name_municipalities,
    the_change_feed_keeps_one_entry_per_publication_unchanged,
    webhook_deliveries_are_claimed_retried_settled_and_given_up,
    a_draft_s_publication_time_is_when_it_went_live,
    reports_keep_the_version_seen_change_state_and_forget_addresses,
);

fn open(location: &Location) -> Store {
    Store::connect(location).expect("the store opens")
}

fn code(text: &str) -> MunicipalityCode {
    MunicipalityCode::parse(text).unwrap()
}

fn demo() -> ElectionId {
    ElectionId::parse("demo").unwrap()
}

/// Imports `file` into the demo election, published now or kept as a draft.
fn import(store: &mut Store, file: &str, publish: Publish) -> Vec<i64> {
    let options = ImportOptions { publish, ..Default::default() };
    let source = Source::Bytes { name: "test.json", bytes: file.as_bytes() };
    commands::import(store, source, "demo", options).expect("the file imports").summary.versions
}

fn opening_again_migrates_nothing_twice(location: &Location) {
    let mut store = open(location);
    commands::load_demo(&mut store).unwrap();
    let state = store.publication_state().unwrap();
    drop(store);
    let store = open(location);
    assert_eq!(store.publication_state().unwrap(), state);
    assert!(store.has_elections().unwrap());
}

fn an_import_is_stored_published_and_read_back_whole(location: &Location) {
    let mut store = open(location);
    assert!(!store.has_elections().unwrap());
    let summary = commands::load_demo(&mut store).unwrap();
    assert!(summary.published && summary.records > 0);

    let elections = store.elections().unwrap();
    assert_eq!(elections.len(), 1);
    assert_eq!(elections[0].1, summary.stations, "stations published in the election");
    let election = store.election(&demo()).unwrap().expect("the demo election");
    assert_eq!(election, elections[0].0);

    let published = store.published().unwrap();
    assert_eq!(published[0].versions, summary.versions);
    assert_eq!(published[0].stations.len(), summary.records);

    let versions = store.versions(&demo()).unwrap();
    assert_eq!(versions.len(), 1);
    assert!(versions[0].published);
    assert_eq!(versions[0].stations, summary.records);

    // The stations come back with their records, in file order.
    let records = store.records(&summary.versions, None).unwrap();
    let names: Vec<_> = records.rows.iter().map(|(station, _)| station.name.clone()).collect();
    let published_names: Vec<_> = published[0].stations.iter().map(|s| s.name.clone()).collect();
    assert_eq!(names, published_names);
    assert!(records.newest.is_some());
    assert!(records.rows.iter().all(|(_, fields)| !fields.is_empty()));
    assert!(store.records(&summary.versions, Some(&code("GM0001"))).unwrap().rows.is_empty());
}

fn an_import_dropped_before_commit_leaves_no_trace(location: &Location) {
    let mut store = open(location);
    commands::load_demo(&mut store).unwrap();
    let state = store.publication_state().unwrap();
    let versions = store.versions(&demo()).unwrap();
    let received =
        kieskaart::ingest::read_ckan_file("more.json", demodorp_file("more", 3).as_bytes()).unwrap();
    {
        let mut import = store.begin_import(&demo(), "more.json").unwrap();
        for station in received {
            import.add(StationRow::new(station).unwrap()).unwrap();
        }
    }
    assert_eq!(store.publication_state().unwrap(), state);
    assert_eq!(store.versions(&demo()).unwrap(), versions);
}

/// An import taken municipality by municipality takes back a municipality
/// whose errors show at the end: nothing of it is stored, not even its name.
fn a_municipality_discarded_from_an_import_stays_as_it_was(location: &Location) {
    let mut store = open(location);
    commands::load_demo(&mut store).unwrap();
    let demodorp = code("GM9999");
    let (versions, name) = (store.versions(&demo()).unwrap(), store.municipality_name(&demodorp).unwrap());
    let record = |code, municipality, i: usize| Record {
        code,
        municipality,
        name: format!("station {i}"),
        lat: 52.0 + 0.001 * i as f64,
        lon: 5.6,
    };
    let file = ckan_file(&[
        record("GM9999", "Anders genoemd", 0),
        record("GM0001", "Eentje", 1),
        record("GM9999", "Anders genoemd", 2),
    ]);
    let received = kieskaart::ingest::read_ckan_file("both.json", file.as_bytes()).unwrap();
    let election = store.election(&demo()).unwrap().expect("the demo election");
    let mut import = store.begin_import(&demo(), "both.json").unwrap();
    for station in received {
        import.add(StationRow::new(station).unwrap()).unwrap();
    }
    import.discard(&demodorp).unwrap();
    import.discard(&code("GM0002")).unwrap();
    let summary = import.commit(&election, Publish::Now).unwrap();
    assert_eq!((summary.municipalities, summary.records, summary.stations), (1, 1, 1));

    let now = store.versions(&demo()).unwrap();
    assert_eq!(now.len(), versions.len() + 1, "one new version, of GM0001: {now:?}");
    assert_eq!(now[..versions.len()], versions[..], "Demodorp's versions are as they were");
    assert_eq!(now[versions.len()].municipality, code("GM0001"));
    assert_eq!(store.municipality_name(&demodorp).unwrap(), name);
    assert_eq!(store.municipality_name(&code("GM0001")).unwrap().as_deref(), Some("Eentje"));
}

fn drafts_are_published_and_earlier_versions_restored_as_copies(location: &Location) {
    let mut store = open(location);
    let first = import(&mut store, &demodorp_file("first", 4), Publish::Now)[0];
    let draft = import(&mut store, &demodorp_file("draft", 5), Publish::Later)[0];
    let versions = store.versions(&demo()).unwrap();
    assert_eq!(
        versions.iter().map(|v| (v.id, v.published)).collect::<Vec<_>>(),
        [(first, true), (draft, false)]
    );
    assert_eq!(store.published().unwrap()[0].stations.len(), 4, "a draft is not published");

    let published = store.publish(&demo(), draft).unwrap().expect("the draft");
    assert!(published.published && published.stations == 5);
    assert_eq!(store.published().unwrap()[0].stations[0].name, "draft 0");

    let copy = store.republish(&demo(), first).unwrap().expect("a copy of the first");
    assert!(copy.id > draft && copy.published && copy.stations == 4);
    assert!(copy.source.contains(&format!("version {first}")), "{}", copy.source);
    assert_eq!(store.published().unwrap()[0].stations[0].name, "first 0");
    assert_eq!(store.versions(&demo()).unwrap().len(), 3, "nothing is deleted");

    let other = ElectionId::parse("gr2026").unwrap();
    assert_eq!(store.publish(&other, draft).unwrap(), None);
    assert_eq!(store.republish(&other, first).unwrap(), None);
    assert_eq!(store.publish(&demo(), 999_999).unwrap(), None);
}

fn the_publication_state_changes_exactly_with_what_voters_see(location: &Location) {
    let mut store = open(location);
    commands::load_demo(&mut store).unwrap();
    let mut state = store.publication_state().unwrap();
    let mut changed = |store: &Store| {
        let now = store.publication_state().unwrap();
        let differs = now != state;
        state = now;
        differs
    };
    import(&mut store, &demodorp_file("draft", 2), Publish::Later);
    store.create_token(&code("GM9999"), "vendor", "hash").unwrap();
    store.record("cli", "test", None, "nothing voters see").unwrap();
    assert!(!changed(&store), "a draft, a token and the audit log are not seen");

    let mut election = store.election(&demo()).unwrap().unwrap();
    election.name = "Renamed".into();
    store.save_election(&election).unwrap();
    assert!(changed(&store), "the election's name");
    import(&mut store, &demodorp_file("new", 2), Publish::Now);
    assert!(changed(&store), "a publication");
    store.import_gazetteer(&[entry("Dorpsplein", 52.1, 5.6)]).unwrap();
    assert!(changed(&store), "the gazetteer");
    store.import_boundaries(&[area("GM9999", "Demodorp")], "test").unwrap();
    assert!(changed(&store), "the boundaries");
}

fn tokens_are_revoked_for_good_and_the_audit_log_reads_newest_first(location: &Location) {
    let mut store = open(location);
    let first = store.create_token(&code("GM0344"), "vendor A", "hash-a").unwrap();
    let second = store.create_token(&code("GM0363"), "vendor B", "hash-b").unwrap();
    assert_ne!(first, second);
    let token = store.token_by_hash("hash-a").unwrap().expect("the token");
    assert_eq!(
        (token.id, token.municipality, token.label.as_str(), token.revoked),
        (first, code("GM0344"), "vendor A", false)
    );
    assert!(store.revoke_token(first).unwrap());
    assert!(store.revoke_token(first).unwrap(), "revoking again keeps it revoked");
    assert!(!store.revoke_token(999_999).unwrap());
    let tokens = store.tokens().unwrap();
    assert_eq!(
        tokens.iter().map(|t| (t.id, t.revoked)).collect::<Vec<_>>(),
        [(first, true), (second, false)]
    );
    assert_eq!(store.token_by_hash("nothing").unwrap(), None);

    for action in ["one", "two", "three"] {
        store.audit(&audit_entry(action, (action == "two").then(|| code("GM0344"))), None).unwrap();
    }
    let log = store.audit_log(2).unwrap();
    assert_eq!(log.iter().map(|e| e.entry.action.as_str()).collect::<Vec<_>>(), ["three", "two"]);
    assert_eq!(log[1].entry.municipality, Some(code("GM0344")));
    assert_eq!(log[1].entry.detail, "two happened");
    assert_eq!((log[1].times, log[1].last_at.as_deref()), (1, None));
}

fn audit_entry(action: &str, municipality: Option<MunicipalityCode>) -> AuditEntry {
    AuditEntry {
        at: "2026-11-27T12:00:00+00:00".into(),
        actor: "cli".into(),
        action: action.into(),
        municipality,
        detail: format!("{action} happened"),
    }
}

fn the_audit_log_counts_repeats_and_reads_a_page_and_a_kind_at_a_time(location: &Location) {
    let mut store = open(location);
    for n in 0..25 {
        let action = if n % 5 == 0 { "login" } else { "published" };
        store.audit(&audit_entry(action, None), None).unwrap();
    }
    let repeated =
        AuditEntry { at: "2026-11-27T12:01:00+00:00".into(), ..audit_entry("login-throttled", None) };
    for key in ["a", "b", "a", "a"] {
        store.audit(&repeated, Some(key)).unwrap();
    }
    let again = AuditEntry { at: "2026-11-27T12:02:00+00:00".into(), ..repeated.clone() };
    store.audit(&again, Some("a")).unwrap();

    let newest = store.audit_log(2).unwrap();
    let counted: Vec<_> = newest.iter().map(|e| (e.times, e.last_at.as_deref())).collect();
    assert_eq!(counted, [(1, None), (4, Some("2026-11-27T12:02:00+00:00"))], "b, then a four times");
    assert_eq!(newest[1].entry, repeated, "the first time's entry");

    let first = store.audit_page(&AuditPage::default(), 10).unwrap();
    let second =
        store.audit_page(&AuditPage { before: first.last().map(|e| e.id), action: None }, 10).unwrap();
    let last =
        store.audit_page(&AuditPage { before: second.last().map(|e| e.id), action: None }, 10).unwrap();
    assert_eq!((first.len(), second.len(), last.len()), (10, 10, 7), "27 rows");
    let ids: Vec<i64> = first.iter().chain(&second).chain(&last).map(|e| e.id).collect();
    assert!(ids.windows(2).all(|pair| pair[0] > pair[1]), "newest first, none twice: {ids:?}");

    let logins = AuditPage { before: None, action: Some("login".into()) };
    let page = store.audit_page(&logins, 3).unwrap();
    assert_eq!(page.len(), 3);
    assert!(page.iter().all(|e| e.entry.action == "login"));
    let rest = store.audit_page(&AuditPage { before: page.last().map(|e| e.id), ..logins }, 3).unwrap();
    assert_eq!(rest.len(), 2, "five logins in all");
    assert_eq!(store.audit_actions().unwrap(), ["login", "login-throttled", "published"]);
}

fn accounts_activate_once_sessions_expire_and_codes_work_once(location: &Location) {
    let mut store = open(location);
    let id = store
        .create_user("clerk@oudewater.nl", false, &[code("GM0589"), code("GM0589"), code("GM0344")])
        .unwrap();
    let user = store.user_by_email("clerk@oudewater.nl").unwrap().expect("the user");
    assert_eq!((user.id, user.admin, user.password_hash.as_deref()), (id, false, None));
    assert_eq!(user.municipalities, [code("GM0344"), code("GM0589")]);
    assert!(user.acts_for(&code("GM0589")) && !user.acts_for(&code("GM0363")));
    let admin = store.create_user("admin@kieskaart.nl", true, &[]).unwrap();
    assert!(store.user(admin).unwrap().unwrap().admin);
    assert_eq!(store.user(999_999).unwrap(), None);

    store
        .add_activation(
            id,
            NewLink { hash: "link", now: "2026-11-27T00:00:00Z", expires_at: "2026-11-28T00:00:00Z" },
        )
        .unwrap();
    assert_eq!(store.use_activation("link", "2026-11-29T00:00:00Z").unwrap(), None, "expired");
    assert_eq!(store.use_activation("link", "2026-11-27T00:00:00Z").unwrap(), Some(id));
    assert_eq!(store.use_activation("link", "2026-11-27T00:00:01Z").unwrap(), None, "used up");
    // An invitation two days later forgets the links expired by then.
    store
        .add_activation(
            id,
            NewLink { hash: "unused", now: "2026-11-27T00:00:00Z", expires_at: "2026-11-28T00:00:00Z" },
        )
        .unwrap();
    store
        .add_activation(
            admin,
            NewLink { hash: "later", now: "2026-11-29T00:00:00Z", expires_at: "2026-11-30T00:00:00Z" },
        )
        .unwrap();
    assert_eq!(store.use_activation("unused", "2026-11-27T12:00:00Z").unwrap(), None, "forgotten");
    assert_eq!(store.use_activation("later", "2026-11-29T12:00:00Z").unwrap(), Some(admin));
    store.set_password(id, "$argon2id$…").unwrap();
    assert_eq!(store.user(id).unwrap().unwrap().password_hash.as_deref(), Some("$argon2id$…"));

    let session = |hash: &str| SessionRow {
        hash: hash.into(),
        user: id,
        csrf: format!("csrf-{hash}"),
        created_at: "2026-11-27T08:00:00Z".into(),
        expires_at: "2026-11-27T18:00:00Z".into(),
    };
    for hash in ["phone", "laptop", "desk"] {
        store.add_session(&session(hash)).unwrap();
    }
    assert_eq!(store.session("phone", "2026-11-27T12:00:00Z").unwrap(), Some(session("phone")));
    assert_eq!(store.session("phone", "2026-11-27T19:00:00Z").unwrap(), None, "expired");
    store.end_session("phone").unwrap();
    assert_eq!(store.session("phone", "2026-11-27T12:00:00Z").unwrap(), None);
    store.end_sessions(id).unwrap();
    assert_eq!(store.session("laptop", "2026-11-27T12:00:00Z").unwrap(), None);
    // A sign-in the next day forgets the session that expired overnight.
    store.add_session(&session("desk")).unwrap();
    let next_day = SessionRow {
        created_at: "2026-11-28T08:00:00Z".into(),
        expires_at: "2026-11-28T18:00:00Z".into(),
        ..session("tablet")
    };
    assert_eq!(store.session("desk", "2026-11-27T12:00:00Z").unwrap(), Some(session("desk")));
    store.add_session(&next_day).unwrap();
    assert_eq!(store.session("desk", "2026-11-27T12:00:00Z").unwrap(), None, "forgotten");
    assert_eq!(store.session("tablet", "2026-11-28T12:00:00Z").unwrap(), Some(next_day));

    store.set_totp(id, "JBSWY3DPEHPK3PXP").unwrap();
    assert_eq!(store.user(id).unwrap().unwrap().totp_secret.as_deref(), Some("JBSWY3DPEHPK3PXP"));
    assert!(store.use_totp_step(id, 100).unwrap());
    assert!(!store.use_totp_step(id, 100).unwrap(), "the same code twice");
    assert!(!store.use_totp_step(id, 99).unwrap(), "an older code");
    assert!(store.use_totp_step(id, 101).unwrap());
}

/// A session of `user` from 08:00 to 18:00 on 28 November 2026.
fn session_of(user: i64, hash: &str) -> SessionRow {
    SessionRow {
        hash: hash.into(),
        user,
        csrf: format!("csrf-{hash}"),
        created_at: "2026-11-28T08:00:00Z".into(),
        expires_at: "2026-11-28T18:00:00Z".into(),
    }
}

fn accounts_are_listed_disabled_enabled_given_municipalities_and_reset(location: &Location) {
    const NOON: &str = "2026-11-28T12:00:00Z";
    let mut store = open(location);
    let clerk = store.create_user("clerk@oudewater.nl", false, &[code("GM0589")]).unwrap();
    let first = store.create_user("admin@kieskaart.nl", true, &[]).unwrap();
    let second = store.create_user("beheer@kieskaart.nl", true, &[]).unwrap();
    for hash in ["phone", "desk"] {
        store.add_session(&session_of(clerk, hash)).unwrap();
    }
    let users = store.users().unwrap();
    let emails: Vec<&str> = users.iter().map(|user| user.email.as_str()).collect();
    assert_eq!(emails, ["admin@kieskaart.nl", "beheer@kieskaart.nl", "clerk@oudewater.nl"]);
    assert_eq!((users[0].last_sign_in.as_deref(), users[0].disabled_at.as_deref()), (None, None));
    assert_eq!(users[2].last_sign_in.as_deref(), Some("2026-11-28T08:00:00Z"), "its last session");
    assert_eq!(users[2].municipalities, [code("GM0589")]);

    store.end_other_sessions(clerk, "desk").unwrap();
    assert_eq!(store.session("phone", NOON).unwrap(), None);
    assert!(store.session("desk", NOON).unwrap().is_some(), "this one stays");

    assert_eq!(store.disable_user(clerk, NOON).unwrap(), Disabling::Done);
    assert_eq!(store.session("desk", NOON).unwrap(), None, "every session ended");
    store.add_session(&session_of(clerk, "raced")).unwrap();
    assert_eq!(store.session("raced", NOON).unwrap(), None, "a disabled user's session does not count");
    assert_eq!(store.disable_user(clerk, "2026-11-29T00:00:00Z").unwrap(), Disabling::Done);
    assert_eq!(
        store.user(clerk).unwrap().unwrap().disabled_at.as_deref(),
        Some(NOON),
        "since the first time"
    );
    assert_eq!(store.disable_user(999_999, NOON).unwrap(), Disabling::NoSuchUser);
    assert_eq!(store.disable_user(first, NOON).unwrap(), Disabling::Done);
    assert_eq!(store.disable_user(second, NOON).unwrap(), Disabling::LastAdmin);
    assert_eq!(store.user(second).unwrap().unwrap().disabled_at, None, "refused, nothing changed");
    assert!(store.enable_user(clerk).unwrap() && store.enable_user(first).unwrap());
    assert!(!store.enable_user(999_999).unwrap());
    assert_eq!(store.user(clerk).unwrap().unwrap().disabled_at, None);
    assert_eq!(store.session("raced", NOON).unwrap(), None, "enabling starts without sessions");
    assert_eq!(store.disable_user(second, NOON).unwrap(), Disabling::Done, "another admin is left");

    assert!(store.set_municipalities(clerk, &[code("GM0363"), code("GM0344")]).unwrap());
    assert_eq!(store.user(clerk).unwrap().unwrap().municipalities, [code("GM0344"), code("GM0363")]);
    assert!(!store.set_municipalities(999_999, &[code("GM0344")]).unwrap());

    store.set_password(clerk, "$argon2id$…").unwrap();
    store.set_totp(clerk, "JBSWY3DPEHPK3PXP").unwrap();
    store
        .add_activation(clerk, NewLink { hash: "invitation", now: NOON, expires_at: "2026-11-29T12:00:00Z" })
        .unwrap();
    store.add_session(&session_of(clerk, "desk")).unwrap();
    let link = |hash| NewLink { hash, now: NOON, expires_at: "2026-11-29T12:00:00Z" };
    assert!(store.reset_sign_in(clerk, false, link("forgotten")).unwrap());
    let reset = store.user(clerk).unwrap().unwrap();
    assert_eq!((reset.password_hash, reset.totp_secret.as_deref()), (None, Some("JBSWY3DPEHPK3PXP")));
    assert_eq!(store.session("desk", NOON).unwrap(), None);
    assert!(store.reset_sign_in(clerk, true, link("lost phone")).unwrap());
    assert_eq!(store.user(clerk).unwrap().unwrap().totp_secret, None);
    assert_eq!(store.use_activation("invitation", NOON).unwrap(), None, "earlier links end");
    assert_eq!(store.use_activation("forgotten", NOON).unwrap(), None, "the newest link alone works");
    assert_eq!(store.use_activation("lost phone", NOON).unwrap(), Some(clerk));
    assert!(!store.reset_sign_in(999_999, true, link("nobody")).unwrap());

    store.set_totp(first, "JBSWY3DPEHPK3PXP").unwrap();
    assert!(store.use_totp_step(first, 100).unwrap());
    for hash in ["admin-here", "admin-there"] {
        store.add_session(&session_of(first, hash)).unwrap();
    }
    store.replace_totp(first, Some("KRSXG5CTMVRXEZLU"), "admin-here").unwrap();
    assert!(store.session("admin-here", NOON).unwrap().is_some());
    assert_eq!(store.session("admin-there", NOON).unwrap(), None, "the other sessions end");
    assert_eq!(store.user(first).unwrap().unwrap().totp_secret.as_deref(), Some("KRSXG5CTMVRXEZLU"));
    assert!(store.use_totp_step(first, 50).unwrap(), "the new app's steps count afresh");
    store.replace_totp(first, None, "admin-here").unwrap();
    assert_eq!(store.user(first).unwrap().unwrap().totp_secret, None);
}

fn elections_close_and_reopen(location: &Location) {
    let mut store = open(location);
    commands::load_demo(&mut store).unwrap();
    assert_eq!(store.closed(&demo()).unwrap(), None);
    store.set_closed(&demo(), Some("admin@kieskaart.nl")).unwrap();
    store.set_closed(&demo(), Some("someone else")).unwrap();
    assert_eq!(
        store.closed(&demo()).unwrap().expect("closed").by,
        "admin@kieskaart.nl",
        "the first closing stays"
    );
    store.set_closed(&demo(), None).unwrap();
    assert_eq!(store.closed(&demo()).unwrap(), None);
}

fn entry(name: &str, lat: f64, lon: f64) -> OperatorEntry {
    OperatorEntry { name: name.into(), point: Coordinates::new(lat, lon).unwrap() }
}

fn area(code_text: &str, name: &str) -> MunicipalityArea {
    let corners = vec![(5.0, 52.0), (5.1, 52.0), (5.1, 52.1), (5.0, 52.1), (5.0, 52.0)];
    let square = geo::Polygon::new(geo::LineString::from(corners), vec![]);
    MunicipalityArea {
        municipality: MunicipalityRef { code: code(code_text), name: name.into() },
        area: geo::MultiPolygon(vec![square]),
    }
}

fn boundaries_and_gazetteer_are_replaced_and_name_municipalities(location: &Location) {
    let mut store = open(location);
    commands::load_demo(&mut store).unwrap();
    store.import_boundaries(&[area("GM0344", "Utrecht"), area("GM9999", "Other name")], "first").unwrap();
    store.import_boundaries(&[area("GM0344", "Utrecht"), area("GM0589", "Oudewater")], "second").unwrap();
    let boundaries = store.boundaries().unwrap();
    assert_eq!(
        boundaries.iter().map(|a| a.municipality.code.as_str()).collect::<Vec<_>>(),
        ["GM0344", "GM0589"]
    );
    assert_eq!(boundaries[0], area("GM0344", "Utrecht"));

    let names: Vec<_> =
        store.municipalities().unwrap().into_iter().map(|m| (m.code.to_string(), m.name)).collect();
    assert_eq!(
        names,
        [
            ("GM0344".into(), "Utrecht".into()),
            ("GM0589".into(), "Oudewater".into()),
            ("GM9999".into(), "Demodorp (demo)".into())
        ]
    );
    assert_eq!(
        store.municipality_name(&code("GM9999")).unwrap().as_deref(),
        Some("Demodorp (demo)"),
        "stations first"
    );
    assert_eq!(store.municipality_name(&code("GM0589")).unwrap().as_deref(), Some("Oudewater"));
    assert_eq!(store.municipality_name(&code("GM0363")).unwrap(), None);

    store.import_gazetteer(&[entry("Markt", 52.0, 5.0), entry("Kerkplein", 52.1, 5.1)]).unwrap();
    store.import_gazetteer(&[entry("Stadhuis", 52.05, 5.05)]).unwrap();
    assert_eq!(store.gazetteer().unwrap(), [entry("Stadhuis", 52.05, 5.05)]);
}

fn the_change_feed_keeps_one_entry_per_publication_unchanged(location: &Location) {
    let mut store = open(location);
    let first = import(&mut store, &demodorp_file("first", 3), Publish::Now)[0];
    let draft = import(&mut store, &demodorp_file("second", 4), Publish::Later)[0];
    let feed = |store: &Store| store.publications(&demo(), None, 10).unwrap();
    let entries = feed(&store);
    assert_eq!(entries.len(), 1, "a draft is no publication");
    let entry = &entries[0].entry;
    assert_eq!((entry.version, entry.previous, entry.via), (first, None, Publisher::Operator));
    assert_eq!((entry.municipality.as_str(), entry.municipality_name.as_str()), ("GM9999", "Demodorp"));
    assert_eq!(entry.summary.added, ["first 0", "first 1", "first 2"]);

    store.publish(&demo(), draft).unwrap();
    kieskaart::changes::record(&mut store, &demo(), Publisher::Portal).unwrap();
    let again = kieskaart::changes::record(&mut store, &demo(), Publisher::Portal).unwrap();
    assert_eq!(again, 0, "a publication has one entry");
    let entries = feed(&store);
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[1], feed(&store)[1], "read twice, the same");
    let second = &entries[0].entry;
    assert_eq!((second.version, second.previous, second.via), (draft, Some(first), Publisher::Portal));
    assert_eq!(second.summary.added, ["second 3"]);
    assert!(second.summary.removed.is_empty());
    let changed: Vec<_> =
        second.summary.changed.iter().map(|c| (c.station.as_str(), c.fields.clone())).collect();
    assert_eq!(changed[0], ("second 0", vec!["Naam stembureau".to_owned()]));
    assert_eq!(changed.len(), 3);
    assert_eq!(store.record_publication(second).unwrap(), None, "an entry is written once");

    let copy = store.republish(&demo(), first).unwrap().unwrap().id;
    kieskaart::changes::record(&mut store, &demo(), Publisher::Operator).unwrap();
    let later = feed(&store);
    assert_eq!(later.len(), 3);
    assert_eq!(later[1..], entries[..], "later publications leave earlier entries as they were");
    assert_eq!((later[0].entry.version, later[0].entry.previous), (copy, Some(draft)));
    assert_eq!(later[0].entry.summary.removed, ["second 3"]);
    let older = store.publications(&demo(), Some(later[0].id), 1).unwrap();
    assert_eq!(older, later[1..2], "a page before an entry");
    let last = store.last_publication(&demo(), &code("GM9999")).unwrap();
    assert_eq!(last.as_ref(), later.first());
    assert_eq!(store.last_publication(&demo(), &code("GM0001")).unwrap(), None);
    let of_draft = store.publication_of_version(&demo(), draft).unwrap();
    assert_eq!(of_draft.as_ref(), later.get(1), "the entry that published it");
    let gr = ElectionId::parse("gr2026").unwrap();
    assert_eq!(store.publication_of_version(&gr, draft).unwrap(), None, "of its own election only");
    let unpublished = import(&mut store, &demodorp_file("fifth", 1), Publish::Later)[0];
    assert_eq!(store.publication_of_version(&demo(), unpublished).unwrap(), None, "a draft is not public");
}

fn webhook_deliveries_are_claimed_retried_settled_and_given_up(location: &Location) {
    let mut store = open(location);
    import(&mut store, &demodorp_file("first", 2), Publish::Now);
    let hook = store.add_webhook(&demo(), "https://example.org/hook", "secret").unwrap();
    let listed = store.webhooks().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(
        (listed[0].id, listed[0].url.as_str(), listed[0].secret.as_str()),
        (hook, "https://example.org/hook", "secret")
    );
    assert!(store.deliveries(10).unwrap().is_empty(), "a hook receives what is published after it");

    import(&mut store, &demodorp_file("second", 2), Publish::Now);
    let newest = store.publications(&demo(), None, 1).unwrap().remove(0);
    assert_eq!(store.pending_deliveries().unwrap(), 1);
    let at = |minute: u32| format!("2100-01-01T00:{minute:02}:00.000Z");
    let claimed = store.claim_deliveries(&at(0), &at(5), 10).unwrap();
    assert_eq!(claimed.len(), 1);
    assert_eq!((claimed[0].hook.id, claimed[0].attempts), (hook, 0));
    assert_eq!(claimed[0].publication, newest, "the entry it sends");
    assert!(store.claim_deliveries(&at(1), &at(6), 10).unwrap().is_empty(), "claimed until minute 5");

    let retry = Attempt::Retry { error: "the receiver answered 500".into(), next_at: at(7) };
    store.settle_delivery(claimed[0].id, &retry, &at(2)).unwrap();
    let row = store.deliveries(10).unwrap().remove(0);
    assert_eq!(
        (row.state, row.attempts, row.last_error.as_deref()),
        (DeliveryState::Pending, 1, Some("the receiver answered 500"))
    );
    assert_eq!((row.hook, row.publication, row.municipality.as_str()), (hook, newest.id, "GM9999"));
    assert!(store.claim_deliveries(&at(6), &at(9), 10).unwrap().is_empty(), "not before its next time");
    let again = store.claim_deliveries(&at(7), &at(9), 10).unwrap();
    assert_eq!(again[0].attempts, 1);
    store.settle_delivery(again[0].id, &Attempt::Delivered, &at(8)).unwrap();
    let row = store.deliveries(10).unwrap().remove(0);
    assert_eq!((row.state, row.attempts, row.last_error), (DeliveryState::Delivered, 2, None));
    assert_eq!(store.pending_deliveries().unwrap(), 0);

    import(&mut store, &demodorp_file("third", 2), Publish::Now);
    import(&mut store, &demodorp_file("fourth", 2), Publish::Now);
    let given_up = store.claim_deliveries(&at(10), &at(15), 1).unwrap();
    assert_eq!(given_up.len(), 1, "at most the limit");
    store.settle_delivery(given_up[0].id, &Attempt::GaveUp { error: "timed out".into() }, &at(11)).unwrap();
    assert!(store.remove_webhook(hook).unwrap());
    assert!(!store.remove_webhook(hook).unwrap(), "removed once");
    assert!(store.webhooks().unwrap().is_empty());
    let states: Vec<_> = store.deliveries(10).unwrap().into_iter().map(|d| (d.state, d.last_error)).collect();
    assert_eq!(
        states,
        [
            (DeliveryState::Failed, Some("the webhook was removed".to_owned())),
            (DeliveryState::Failed, Some("timed out".to_owned())),
            (DeliveryState::Delivered, None),
        ]
    );
    assert!(store.claim_deliveries(&at(59), &at(59), 10).unwrap().is_empty());
    assert_eq!(store.pending_deliveries().unwrap(), 0);

    // A server that stopped holding a claim: it is taken again once it runs out.
    let again = store.add_webhook(&demo(), "https://example.org/again", "secret").unwrap();
    import(&mut store, &demodorp_file("fifth", 2), Publish::Now);
    let held = store.claim_deliveries(&at(20), &at(25), 10).unwrap();
    assert_eq!(held.iter().map(|d| d.hook.id).collect::<Vec<_>>(), [again]);
    assert!(store.claim_deliveries(&at(24), &at(30), 10).unwrap().is_empty());
    let resumed = store.claim_deliveries(&at(25), &at(30), 10).unwrap();
    assert_eq!((resumed[0].id, resumed[0].attempts), (held[0].id, 0));
}

/// Coverage (issue 23, part 2) shows when a municipality last published.
fn a_draft_s_publication_time_is_when_it_went_live(location: &Location) {
    let mut store = open(location);
    assert_eq!(store.publication_times(&demo()).unwrap(), []);
    let first = import(&mut store, &demodorp_file("first", 2), Publish::Now)[0];
    let draft = import(&mut store, &demodorp_file("draft", 3), Publish::Later)[0];
    let times = store.publication_times(&demo()).unwrap();
    assert_eq!(times.iter().map(|(code, _)| code.as_str()).collect::<Vec<_>>(), ["GM9999"]);
    let versions = store.versions(&demo()).unwrap();
    let stored = |id: i64| {
        versions
            .iter()
            .find(|v| v.id == id)
            .unwrap()
            .created_at
            .parse::<chrono::DateTime<chrono::Utc>>()
            .unwrap()
    };
    assert!(times[0].1 >= stored(first), "published with its import");
    std::thread::sleep(std::time::Duration::from_millis(20));
    let before = chrono::Utc::now();
    store.publish(&demo(), draft).unwrap();
    let later = store.publication_times(&demo()).unwrap();
    assert!(later[0].1 >= before && stored(draft) < before, "the publication, not the upload: {later:?}");
}

/// A report on the demo's first station, made `days` after 1 March 2030.
fn report_on_demo(text: &str, email: Option<&str>, days: i64) -> NewReport {
    let start: chrono::DateTime<chrono::Utc> = "2030-03-01T09:00:00Z".parse().unwrap();
    NewReport {
        station: ReportedStation {
            election: demo(),
            municipality: code("GM9999"),
            id: "gm9999-1".into(),
            name: "Demo station".into(),
        },
        category: app::report::Category::OpeningTimes,
        text: text.into(),
        email: email.map(str::to_owned),
        at: start + chrono::Duration::days(days),
    }
}

fn reports_keep_the_version_seen_change_state_and_forget_addresses(location: &Location) {
    let mut store = open(location);
    let seen = commands::load_demo(&mut store).unwrap().versions[0];
    let first = store.file_report(&report_on_demo("<b>Dicht</b>", Some("kiezer@example.org"), 0)).unwrap();
    let stored = store.report(first).unwrap().expect("the report");
    assert_eq!(stored.version, Some(seen), "the version voters saw");
    assert_eq!((stored.text.as_str(), stored.state), ("<b>Dicht</b>", ReportState::New), "as typed");
    assert_eq!(stored.email.as_deref(), Some("kiezer@example.org"));
    assert_eq!(stored.station, report_on_demo("", None, 0).station);

    // A later publication does not change what the first voter saw.
    import(&mut store, &demodorp_file("Nieuw", 1), Publish::Now);
    let second = store.file_report(&report_on_demo("Ander", Some("b@example.org"), 10)).unwrap();
    assert_ne!(store.report(second).unwrap().unwrap().version, Some(seen));
    assert_eq!(store.report(first).unwrap().unwrap().version, Some(seen));
    let queue: Vec<i64> = store.reports(&demo(), &code("GM9999")).unwrap().iter().map(|r| r.id).collect();
    assert_eq!(queue, [second, first], "newest first");
    assert!(store.reports(&demo(), &code("GM0001")).unwrap().is_empty(), "per municipality");

    // Work in progress keeps the address; closing forgets it.
    assert!(store.set_report_state(first, ReportState::InProgress, "2030-03-02T09:00:00+00:00").unwrap());
    assert!(store.report(first).unwrap().unwrap().email.is_some());
    assert!(store.set_report_state(first, ReportState::Handled, "2030-03-03T09:00:00+00:00").unwrap());
    let handled = store.report(first).unwrap().unwrap();
    assert_eq!((handled.state, handled.email), (ReportState::Handled, None));
    assert_eq!(handled.changed_at, "2030-03-03T09:00:00+00:00");
    assert!(!store.set_report_state(9999, ReportState::Dismissed, "2030-03-03T09:00:00+00:00").unwrap());

    // 90 days after the second report, the next one's filing forgets its address.
    store.file_report(&report_on_demo("Derde", None, 99)).unwrap();
    assert!(store.report(second).unwrap().unwrap().email.is_some(), "89 days old");
    store.file_report(&report_on_demo("Vierde", None, 101)).unwrap();
    assert_eq!(store.report(second).unwrap().unwrap().email, None, "91 days old");

    let counts = store.report_counts().unwrap();
    let count = |state| counts.iter().find(|c: &&ReportCount| c.state == state).map(|c| c.count);
    assert_eq!((count(ReportState::New), count(ReportState::Handled)), (Some(3), Some(1)));
    assert!(counts.iter().all(|c| c.municipality == code("GM9999") && c.election == demo()));
}
