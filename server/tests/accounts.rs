//! Taking access away: admins list, disable, enable, reassign and reset
//! accounts on the portal's pages and with `kieskaart user`; a disabled
//! account has no session and cannot sign in; and a session alone cannot
//! replace a second factor.

mod common;

use axum::http::StatusCode;
use chrono::Utc;
use common::browser::{app_code, form_token, hidden, invite, Browser, PASSWORD};
use common::{spawn_app, TestApp};
use kieskaart::accounts::{self, Email};
use std::process::Command;

const ADMIN: &str = "beheer@kieskaart.nl";
const OFFICER: &str = "officer@demodorp.nl";

/// An admin's account, not yet activated: its link's secret.
fn invite_admin(app: &mut TestApp, email: &str) -> String {
    let email = Email::parse(email).unwrap();
    accounts::invite(&mut app.store, &email, &[], true, "test", Utc::now()).unwrap().secret
}

fn user_page(app: &TestApp, email: &str) -> String {
    let user = app.store.user_by_email(email).unwrap().expect("the account");
    format!("/portaal/beheer/gebruikers/{}", user.id)
}

/// Tries to sign in; the status the portal answers.
async fn try_sign_in(browser: &mut Browser, email: &str, password: &str) -> StatusCode {
    let token = form_token(&browser.get("/portaal/inloggen").await.body);
    let form = [("csrf", token.as_str()), ("email", email), ("password", password)];
    browser.post("/portaal/inloggen", &form).await.status
}

/// The activation link's secret on a page that shows one.
fn shown_link(page: &str) -> String {
    let start = page.find("/portaal/activeren/").expect("a link") + "/portaal/activeren/".len();
    page[start..start + 64].to_owned()
}

/// An app with an admin and an officer of GM9999, both signed in: the
/// admin's browser and form token, and the officer's browser.
async fn admin_and_officer() -> (TestApp, Browser, String, Browser) {
    let mut app = spawn_app();
    let admin_secret = invite_admin(&mut app, ADMIN);
    let officer_secret = invite(&mut app, OFFICER, "GM9999");
    let mut operator = Browser::new(&app);
    let csrf = operator.activate_and_sign_in(&admin_secret, ADMIN).await;
    let mut officer = Browser::new(&app);
    officer.activate_and_sign_in(&officer_secret, OFFICER).await;
    (app, operator, csrf, officer)
}

#[tokio::test]
async fn an_admin_disables_enables_and_reassigns_officers_but_keeps_one_admin() {
    let (app, mut operator, csrf, mut officer) = admin_and_officer().await;

    let list = operator.get("/portaal/beheer/gebruikers").await;
    assert_eq!(list.status, StatusCode::OK);
    for shown in [ADMIN, OFFICER, "beheerder", "GM9999", "actief"] {
        assert!(list.body.contains(shown), "{shown} in {}", list.body);
    }
    assert_eq!(officer.get("/portaal/beheer/gebruikers").await.status, StatusCode::FORBIDDEN);
    let page = user_page(&app, OFFICER);
    assert_eq!(
        officer.post(&page, &[("csrf", "x"), ("action", "disable")]).await.status,
        StatusCode::FORBIDDEN
    );
    let forged = operator.post(&page, &[("csrf", "forged"), ("action", "disable")]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN, "a form without the session's token");
    assert_eq!(officer.get("/portaal").await.status, StatusCode::OK, "nothing changed");

    let disabled = operator.post(&page, &[("csrf", &csrf), ("action", "disable")]).await;
    assert_eq!(disabled.status, StatusCode::OK, "{}", disabled.body);
    assert!(disabled.body.contains("uitgeschakeld sinds"), "{}", disabled.body);
    assert_eq!(officer.get("/portaal").await.status, StatusCode::SEE_OTHER, "signed out at once");
    let mut again = Browser::new(&app);
    assert_eq!(
        try_sign_in(&mut again, OFFICER, PASSWORD).await,
        StatusCode::UNAUTHORIZED,
        "as a wrong password"
    );

    operator.post(&page, &[("csrf", &csrf), ("action", "enable")]).await;
    assert_eq!(try_sign_in(&mut again, OFFICER, PASSWORD).await, StatusCode::SEE_OTHER);
    assert_eq!(again.get("/portaal/demo/GM9999").await.status, StatusCode::OK);

    let none =
        operator.post(&page, &[("csrf", &csrf), ("action", "municipalities"), ("municipalities", "")]).await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY, "an officer keeps one: {}", none.body);
    let typo = operator
        .post(&page, &[("csrf", &csrf), ("action", "municipalities"), ("municipalities", "GM99")])
        .await;
    assert_eq!(typo.status, StatusCode::UNPROCESSABLE_ENTITY);
    let moved = operator
        .post(&page, &[("csrf", &csrf), ("action", "municipalities"), ("municipalities", "GM0001")])
        .await;
    assert_eq!(moved.status, StatusCode::OK);
    assert_eq!(again.get("/portaal/demo/GM9999").await.status, StatusCode::FORBIDDEN, "no longer theirs");

    let own = user_page(&app, ADMIN);
    let last = operator.post(&own, &[("csrf", &csrf), ("action", "disable")]).await;
    assert_eq!(last.status, StatusCode::CONFLICT, "{}", last.body);
    assert!(last.body.contains("laatste beheerder"), "{}", last.body);
    assert_eq!(operator.get("/portaal/beheer").await.status, StatusCode::OK, "still signed in");

    let log = app.store.audit_log(20).unwrap();
    let changes: Vec<(&str, &str)> = log
        .iter()
        .filter(|logged| logged.entry.action.starts_with("user-") && logged.entry.action != "user-activated")
        .map(|logged| (logged.entry.actor.as_str(), logged.entry.action.as_str()))
        .take(3)
        .collect();
    assert_eq!(
        changes,
        [(ADMIN, "user-municipalities-changed"), (ADMIN, "user-enabled"), (ADMIN, "user-disabled")]
    );
}

#[tokio::test]
async fn a_reset_link_replaces_the_old_password_and_a_lost_second_factor() {
    let (app, mut operator, csrf, mut officer) = admin_and_officer().await;
    officer.set_up_second_factor().await;
    let page = user_page(&app, OFFICER);

    let reset = operator.post(&page, &[("csrf", &csrf), ("action", "reset-password")]).await;
    assert_eq!(reset.status, StatusCode::OK, "{}", reset.body);
    let link = shown_link(&reset.body);
    assert_eq!(officer.get("/portaal").await.status, StatusCode::SEE_OTHER, "signed out");
    let mut later = Browser::new(&app);
    assert_eq!(try_sign_in(&mut later, OFFICER, PASSWORD).await, StatusCode::UNAUTHORIZED, "old password");
    assert!(app.store.user_by_email(OFFICER).unwrap().unwrap().totp_secret.is_some(), "the app stays");

    let lost = operator.post(&page, &[("csrf", &csrf), ("action", "reset-second-factor")]).await;
    let newest = shown_link(&lost.body);
    let path = accounts::activation_path(&link);
    let token = form_token(&later.get(&path).await.body);
    let used = later.post(&path, &[("csrf", &token), ("password", PASSWORD), ("again", PASSWORD)]).await;
    assert_eq!(used.status, StatusCode::GONE, "the newer reset ended the older link");
    // With the newest link a new password, and no code is asked.
    later.activate_and_sign_in(&newest, OFFICER).await;
    assert_eq!(app.store.user_by_email(OFFICER).unwrap().unwrap().totp_secret, None);
    let details: Vec<String> =
        app.store.audit_log(50).unwrap().into_iter().map(|logged| logged.entry.detail).collect();
    assert!(details.contains(&format!("{OFFICER}: password and second factor")), "{details:?}");
}

#[tokio::test]
async fn a_stolen_session_cannot_replace_the_second_factor() {
    let mut app = spawn_app();
    let secret = invite(&mut app, OFFICER, "GM9999");
    let mut owner = Browser::new(&app);
    owner.activate_and_sign_in(&secret, OFFICER).await;
    let mut thief = Browser::new(&app);
    thief.sign_in(OFFICER, PASSWORD).await;
    let mut elsewhere = Browser::new(&app);
    elsewhere.sign_in(OFFICER, PASSWORD).await;

    // The first second factor: a code of the new app, as before.
    let setup = owner.get("/portaal/tweede-stap").await;
    let (csrf, first_app) = (form_token(&setup.body), hidden(&setup.body, "secret"));
    let form = [("csrf", csrf.as_str()), ("secret", &first_app), ("code", &app_code(&first_app, 0))];
    assert_eq!(owner.post("/portaal/tweede-stap", &form).await.status, StatusCode::SEE_OTHER);
    assert_eq!(elsewhere.get("/portaal").await.status, StatusCode::OK, "setting the first ends nothing");

    // The thief's own app, without the current code: refused and signed out.
    let page = thief.get("/portaal/tweede-stap").await;
    assert!(page.body.contains(r#"name="current""#), "{}", page.body);
    let (token, own_app) = (form_token(&page.body), hidden(&page.body, "secret"));
    let code = app_code(&own_app, 0);
    // A guess ends the session, so a second guess finds no session.
    for (current, expected) in [("000000", StatusCode::FORBIDDEN), ("", StatusCode::SEE_OTHER)] {
        let form = [("csrf", token.as_str()), ("secret", &own_app), ("code", &code), ("current", current)];
        assert_eq!(thief.post("/portaal/tweede-stap", &form).await.status, expected, "current {current:?}");
    }
    assert_eq!(thief.get("/portaal").await.status, StatusCode::SEE_OTHER, "the session ended");
    let stored = app.store.user_by_email(OFFICER).unwrap().unwrap().totp_secret;
    assert_eq!(stored.as_deref(), Some(first_app.as_str()), "unchanged");

    // The owner replaces it with the current code; other sessions end.
    let page = owner.get("/portaal/tweede-stap").await;
    let (token, next_app) = (form_token(&page.body), hidden(&page.body, "secret"));
    let form = [
        ("csrf", token.as_str()),
        ("secret", &next_app),
        ("code", &app_code(&next_app, 0)),
        ("current", &app_code(&first_app, 1)),
    ];
    let replaced = owner.post("/portaal/tweede-stap", &form).await;
    assert_eq!(replaced.status, StatusCode::SEE_OTHER, "{}", replaced.body);
    assert_eq!(owner.get("/portaal").await.status, StatusCode::OK, "this session stays");
    assert_eq!(elsewhere.get("/portaal").await.status, StatusCode::SEE_OTHER, "the others end");
    let stored = app.store.user_by_email(OFFICER).unwrap().unwrap().totp_secret;
    assert_eq!(stored.as_deref(), Some(next_app.as_str()));
    let actions: Vec<String> =
        app.store.audit_log(5).unwrap().into_iter().map(|logged| logged.entry.action).collect();
    assert!(actions.contains(&"second-factor-replaced".to_owned()), "{actions:?}");
    assert!(actions.contains(&"second-factor-refused".to_owned()), "{actions:?}");
}

/// Runs `kieskaart` on the database in `folder`: whether it succeeded, and
/// what it printed on standard output and error.
fn kieskaart(folder: &tempfile::TempDir, args: &[&str]) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_kieskaart"))
        .arg("--database")
        .arg(folder.path().join("k.sqlite3"))
        .args(args)
        .output()
        .expect("kieskaart runs");
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    (output.status.success(), text(&output.stdout), text(&output.stderr))
}

#[test]
fn the_command_line_lists_disables_reassigns_and_resets_users() {
    let folder = tempfile::tempdir().unwrap();
    let officer = ["--email", "clerk@oudewater.nl"];
    let run = |args: &[&str]| {
        let (ok, out, err) = kieskaart(&folder, args);
        assert!(ok, "{args:?}: {err}");
        out
    };
    run(&["user", "add", "--email", "clerk@oudewater.nl", "--municipality", "GM0589"]);
    run(&["user", "add", "--email", "beheer@kieskaart.nl", "--admin"]);
    let listed = run(&["user", "list"]);
    let clerk = listed.lines().find(|line| line.starts_with("clerk@oudewater.nl")).expect("listed");
    for shown in ["officer", "off", "never", "waiting for activation", "GM0589"] {
        assert!(clerk.contains(shown), "{shown} in {clerk}");
    }

    run(&[&["user", "disable"][..], &officer[..]].concat());
    let listed = run(&["user", "list"]);
    assert!(
        listed.lines().any(|line| line.starts_with("clerk@") && line.contains("disabled since")),
        "{listed}"
    );
    run(&[&["user", "enable"][..], &officer[..]].concat());
    run(&[
        &["user", "municipalities"][..],
        &officer[..],
        &["--municipality", "GM0344", "--municipality", "GM0363"],
    ]
    .concat());
    let listed = run(&["user", "list"]);
    assert!(
        listed.lines().any(|line| line.starts_with("clerk@") && line.ends_with("GM0344,GM0363")),
        "{listed}"
    );

    let reset = run(&[
        &["user", "reset"][..],
        &officer[..],
        &["--second-factor", "--site", "https://kieskaart.example/"],
    ]
    .concat());
    assert!(reset.contains("https://kieskaart.example/portaal/activeren/"), "{reset}");

    let (ok, _, err) = kieskaart(&folder, &["user", "disable", "--email", "beheer@kieskaart.nl"]);
    assert!(!ok && err.contains("last admin"), "{err}");
    let (ok, _, err) = kieskaart(&folder, &["user", "enable", "--email", "nobody@kieskaart.nl"]);
    assert!(!ok && err.contains("no account for nobody@kieskaart.nl"), "{err}");

    let (_, log, _) = kieskaart(&folder, &["audit"]);
    for action in ["user-disabled", "user-enabled", "user-municipalities-changed", "user-reset"] {
        assert!(log.lines().any(|line| line.contains("cli") && line.contains(action)), "{action} in {log}");
    }
}
