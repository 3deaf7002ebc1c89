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
}
