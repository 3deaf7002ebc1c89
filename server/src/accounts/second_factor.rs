//! The second factor: six-digit codes from an authenticator app (TOTP,
//! RFC 6238, as every such app does it: SHA-1, 30-second steps), accepted
//! one step early or late for clocks that drift, and each code only once.

use crate::secrets::{self, RandomError};
use crate::store::{Store, StoreError, User};
use totp_rs::{Algorithm, Secret, TOTP};

const ISSUER: &str = "Kieskaart";
const STEP_SECONDS: u64 = 30;

/// A new shared secret (160 bits, as RFC 4226 recommends), in base32 as
/// apps take it.
pub fn new_secret() -> Result<String, RandomError> {
    Ok(Secret::Raw(secrets::random_bytes::<20>()?.to_vec()).to_encoded().to_string())
}

/// The `otpauth://` address an app reads (typed in, or opened on the phone).
pub fn setup_uri(secret: &str, email: &str) -> String {
    let label: String = form_urlencoded::byte_serialize(format!("{ISSUER}:{email}").as_bytes()).collect();
    format!("otpauth://totp/{label}?secret={secret}&issuer={ISSUER}&algorithm=SHA1&digits=6&period={STEP_SECONDS}")
}

/// The time step whose code `code` is, within one step of `now` (Unix
/// seconds); none for a wrong code or a secret that is not base32.
fn step_of(secret: &str, code: &str, now: u64) -> Option<u64> {
    let bytes = Secret::Encoded(secret.to_owned()).to_bytes().ok()?;
    let totp = TOTP::new(Algorithm::SHA1, 6, 1, STEP_SECONDS, bytes).ok()?;
    let code = code.trim();
    let current = now / STEP_SECONDS;
    [current.saturating_sub(1), current, current + 1]
        .into_iter()
        .find(|step| secrets::same(&totp.generate(step * STEP_SECONDS), code))
}

/// Whether `code` is the user's current code, not used before. A user
/// without a second factor has no code to give.
pub fn verify(store: &mut Store, user: &User, code: &str, now: u64) -> Result<bool, StoreError> {
    let Some(step) = user.totp_secret.as_deref().and_then(|secret| step_of(secret, code, now)) else {
        return Ok(false);
    };
    store.use_totp_step(user.id, step)
}

/// Sets up the second factor with `secret`, once a code from the app
/// shows the app has it; whether it did.
pub fn enable(
    store: &mut Store,
    user: &User,
    secret: &str,
    code: &str,
    now: u64,
) -> Result<bool, StoreError> {
    let Some(step) = step_of(secret, code, now) else { return Ok(false) };
    store.set_totp(user.id, secret)?;
    store.use_totp_step(user.id, step)?;
    store.record(&user.email, "second-factor-enabled", None, "")?;
    Ok(true)
}

/// A signed-in user's change of their second factor.
#[derive(Debug, Clone, Copy)]
pub enum Change<'a> {
    /// To the app holding `secret`, shown to by a `code` of it.
    To { secret: &'a str, code: &'a str },
    /// Off: officers only, admins must keep one.
    Off,
}

/// What became of a [`Change`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Changed {
    /// Set up, replaced or removed.
    Done,
    /// The new app's code is wrong; nothing changed.
    WrongNewCode,
    /// The current app's code is wrong; nothing changed and the session
    /// ended (see [`change`]).
    WrongCurrentCode,
    /// An admin may replace the second factor but not remove it.
    Required,
}

/// Sets up, replaces or removes the second factor of `user` (as the store
/// holds it now), who is signed in with the session whose hash is
/// `session`.
///
/// The first second factor needs only a code of the new app, as setting
/// up always did. Replacing or removing one needs a code of the current
/// app too (`current`): otherwise whoever got hold of a session (a browser
/// left open) could put their own app in the officer's place and keep the
/// account. A wrong current code ends the session, so that a stolen one
/// gets a single guess at a six-digit code, on every server alike (the
/// sign-in throttle counts in each server's memory). A lost device goes
/// through an admin's reset instead ([`super::manage::reset`]). Once a
/// second factor is replaced or removed, the user's other sessions end:
/// whoever held one must sign in again, with the new factor.
pub fn change(
    store: &mut Store,
    user: &User,
    change: Change<'_>,
    current: &str,
    session: &str,
    now: u64,
) -> Result<Changed, StoreError> {
    if user.totp_secret.is_none() {
        let enabled = match change {
            Change::To { secret, code } => enable(store, user, secret, code, now)?,
            // Nothing to remove.
            Change::Off => true,
        };
        return Ok(if enabled { Changed::Done } else { Changed::WrongNewCode });
    }
    // The new app's code first: a typing slip there costs no current code.
    let new = match change {
        Change::To { secret, code } => match step_of(secret, code, now) {
            Some(step) => Some((secret, step)),
            None => return Ok(Changed::WrongNewCode),
        },
        Change::Off if user.admin => return Ok(Changed::Required),
        Change::Off => None,
    };
    if !verify(store, user, current, now)? {
        store.end_session(session)?;
        store.record(&user.email, "second-factor-refused", None, "wrong current code; session ended")?;
        return Ok(Changed::WrongCurrentCode);
    }
    store.replace_totp(user.id, new.map(|(secret, _)| secret), session)?;
    let action = match new {
        Some((_, step)) => {
            store.use_totp_step(user.id, step)?;
            "second-factor-replaced"
        }
        None => "second-factor-removed",
    };
    store.record(&user.email, action, None, "other sessions ended")?;
    Ok(Changed::Done)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the app shows at `time`.
    pub fn code(secret: &str, time: u64) -> String {
        let bytes = Secret::Encoded(secret.to_owned()).to_bytes().unwrap();
        TOTP::new(Algorithm::SHA1, 6, 1, STEP_SECONDS, bytes).unwrap().generate(time)
    }

    #[test]
    fn codes_of_this_step_and_its_neighbours_count_once() {
        // RFC 6238's SHA-1 test secret and vector (59 s → 94287082, 8 digits; 6: 287082).
        let rfc = Secret::Raw(b"12345678901234567890".to_vec()).to_encoded().to_string();
        assert_eq!(step_of(&rfc, "287082", 59), Some(1));
        let secret = new_secret().unwrap();
        assert_eq!(secret.len(), 32);
        let now = 1_800_000_000;
        assert_eq!(step_of(&secret, &code(&secret, now), now), Some(now / 30));
        assert!(step_of(&secret, &code(&secret, now - 30), now).is_some(), "a slow phone");
        assert!(step_of(&secret, &code(&secret, now - 90), now).is_none(), "too old");
        assert!(step_of(&secret, "000000", now).is_none() || code(&secret, now) == "000000");
        assert!(setup_uri(&secret, "a@b.nl").starts_with("otpauth://totp/Kieskaart%3Aa%40b.nl?secret="));

        let folder = tempfile::tempdir().unwrap();
        let mut store = Store::open(&folder.path().join("t.sqlite3")).unwrap();
        let email = super::super::Email::parse("a@b.nl").unwrap();
        let invited = super::super::invite(&mut store, &email, &[], true, "t", chrono::Utc::now()).unwrap();
        let user = store.user(invited.user).unwrap().unwrap();
        assert!(!enable(&mut store, &user, &secret, "123", now).unwrap());
        assert!(enable(&mut store, &user, &secret, &code(&secret, now), now).unwrap());
        let user = store.user(invited.user).unwrap().unwrap();
        assert!(!verify(&mut store, &user, &code(&secret, now), now).unwrap(), "the setup code is used");
        assert!(verify(&mut store, &user, &code(&secret, now + 30), now + 30).unwrap());
        assert!(!verify(&mut store, &user, &code(&secret, now + 30), now + 30).unwrap(), "no code twice");
    }

    /// Sessions of `user` on 15 January 2027, by their hashes.
    fn signed_in(store: &mut Store, user: i64, hashes: &[&str]) {
        for hash in hashes {
            let session = crate::store::SessionRow {
                hash: (*hash).into(),
                user,
                csrf: String::new(),
                created_at: "2027-01-15T08:00:00Z".into(),
                expires_at: "2027-01-15T18:00:00Z".into(),
            };
            store.add_session(&session).unwrap();
        }
    }

    #[test]
    fn replacing_a_second_factor_takes_the_current_code_and_ends_the_other_sessions() {
        let folder = tempfile::tempdir().unwrap();
        let mut store = Store::open(&folder.path().join("t.sqlite3")).unwrap();
        let email = super::super::Email::parse("a@b.nl").unwrap();
        let code_gm = app::model::MunicipalityCode::parse("GM0589").unwrap();
        let invited =
            super::super::invite(&mut store, &email, &[code_gm], false, "t", chrono::Utc::now()).unwrap();
        let now = 1_800_000_000;
        let (old, new) = (new_secret().unwrap(), new_secret().unwrap());
        let user = store.user(invited.user).unwrap().unwrap();
        let first = Change::To { secret: &old, code: &code(&old, now) };
        assert_eq!(change(&mut store, &user, first, "", "here", now).unwrap(), Changed::Done, "the first");
        signed_in(&mut store, user.id, &["here", "there"]);
        let user = store.user(invited.user).unwrap().unwrap();
        let to_new = Change::To { secret: &new, code: &code(&new, now + 30) };
        let wrong_new = Change::To { secret: &new, code: "000000x" };
        let current = code(&old, now + 30);
        let live = |store: &Store, hash| store.session(hash, "2027-01-15T12:00:00Z").unwrap().is_some();
        assert_eq!(
            change(&mut store, &user, wrong_new, &current, "here", now + 30).unwrap(),
            Changed::WrongNewCode
        );
        assert_eq!(
            change(&mut store, &user, to_new, "123456x", "there", now + 30).unwrap(),
            Changed::WrongCurrentCode
        );
        assert!(live(&store, "here") && !live(&store, "there"), "a wrong current code ends its session");
        assert_eq!(change(&mut store, &user, to_new, &current, "here", now + 30).unwrap(), Changed::Done);
        assert_eq!(store.user(user.id).unwrap().unwrap().totp_secret.as_deref(), Some(new.as_str()));
        signed_in(&mut store, user.id, &["elsewhere"]);
        let user = store.user(invited.user).unwrap().unwrap();
        let current = code(&new, now + 60);
        assert_eq!(
            change(&mut store, &user, Change::Off, &current, "here", now + 60).unwrap(),
            Changed::Done
        );
        assert!(live(&store, "here") && !live(&store, "elsewhere"), "the other sessions ended");
        assert_eq!(store.user(user.id).unwrap().unwrap().totp_secret, None);
    }
}
