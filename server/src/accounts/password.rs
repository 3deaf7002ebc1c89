//! Portal passwords: at least 12 characters, kept as argon2id hashes with
//! the parameters the argon2 crate recommends (OWASP's: 19 MiB, 2 passes).

use crate::secrets::{self, RandomError};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tokio::sync::Semaphore;

/// Long enough that guessing beats no rate limit; short enough to type.
pub const MINIMUM_LENGTH: usize = 12;
/// Longer input is refused rather than hashed: hashing a megabyte of
/// "password" is work an attacker could make us do.
const MAXIMUM_LENGTH: usize = 1024;

/// A password that meets the rules, not yet hashed.
pub struct Password<'a>(&'a str);

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("the password has {0} characters; choose one of at least {MINIMUM_LENGTH}")]
    TooShort(usize),
    #[error("the password is longer than {MAXIMUM_LENGTH} characters; choose a shorter one")]
    TooLong,
    #[error("the two passwords differ; type the same one twice")]
    Differ,
}

impl<'a> Password<'a> {
    /// The password typed twice on the activation form.
    pub fn new(typed: &'a str, again: &str) -> Result<Self, PasswordError> {
        let length = typed.chars().count();
        if length < MINIMUM_LENGTH {
            return Err(PasswordError::TooShort(length));
        }
        if length > MAXIMUM_LENGTH {
            return Err(PasswordError::TooLong);
        }
        if typed != again {
            return Err(PasswordError::Differ);
        }
        Ok(Self(typed))
    }

    /// The PHC string the store keeps.
    pub fn hash(&self) -> Result<String, RandomError> {
        hash(self.0)
    }
}

/// How many passwords are hashed at once, server-wide.
const HASHES_AT_ONCE: usize = 2;
/// How long a request waits for its turn to hash before it is turned away.
const PATIENCE: Duration = Duration::from_secs(3);

/// Where passwords are hashed and checked. Each hash takes tens of
/// milliseconds and 19 MiB on purpose, and anyone may ask for one (a
/// sign-in with any address, an activation form): so at most
/// [`HASHES_AT_ONCE`] run at a time, on blocking threads, holding no lock
/// that a page, an upload or a publication needs. Requests take turns in
/// the order they came; one that waited [`PATIENCE`] in vain is answered
/// [`Busy`], and a flood costs its senders their waits, not everyone a
/// stalled server.
pub struct Hashing {
    turns: Arc<Semaphore>,
    patience: Duration,
}

/// Every turn to hash was taken for longer than the server waits: try
/// again in a moment (`Retry-After`).
#[derive(Debug)]
pub struct Busy;

impl Default for Hashing {
    fn default() -> Self {
        Self { turns: Arc::new(Semaphore::new(HASHES_AT_ONCE)), patience: PATIENCE }
    }
}

impl Hashing {
    /// The PHC string of a new password, for the store.
    pub async fn hash(&self, password: &Password<'_>) -> Result<Result<String, RandomError>, Busy> {
        let typed = password.0.to_owned();
        self.in_turn(move || Password(&typed).hash()).await
    }

    /// [`verify`], in turn.
    pub async fn verify(&self, password: String, stored: Option<String>) -> Result<bool, Busy> {
        self.in_turn(move || verify(&password, stored.as_deref())).await
    }

    async fn in_turn<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Result<T, Busy> {
        let turn = tokio::time::timeout(self.patience, self.turns.clone().acquire_owned())
            .await
            .map_err(|_| Busy)?
            .map_err(|_| Busy)?;
        // The turn goes with the work, not with the request: a client that
        // hangs up does not free a turn while its hash still runs.
        tokio::task::spawn_blocking(move || {
            let _turn = turn;
            work()
        })
        .await
        .map_err(|_| Busy)
    }
}

fn hash(password: &str) -> Result<String, RandomError> {
    let salt = secrets::random_bytes::<16>()?;
    let salt = SaltString::encode_b64(&salt).expect("16 bytes is a valid salt length");
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("the default parameters accept any password of bounded length")
        .to_string())
}

/// Whether `password` is the one `stored` was made from. Without a stored
/// hash (no such account, or one not yet activated) a hash is still
/// checked, so that the answer takes as long and says nothing about which
/// accounts exist.
pub fn verify(password: &str, stored: Option<&str>) -> bool {
    static DECOY: OnceLock<Option<String>> = OnceLock::new();
    let decoy = DECOY.get_or_init(|| hash("no account has this password").ok());
    let Some(stored) = stored.or(decoy.as_deref()) else { return false };
    if password.chars().count() > MAXIMUM_LENGTH {
        return false;
    }
    let checks = PasswordHash::new(stored)
        .is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok());
    checks && stored != decoy.as_deref().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn passwords_are_checked_hashed_with_argon2id_and_verified() {
        assert_eq!(Password::new("short", "short").err(), Some(PasswordError::TooShort(5)));
        assert_eq!(Password::new("twelve chars", "twelve charz").err(), Some(PasswordError::Differ));
        let hash = Password::new("correct horse", "correct horse").unwrap().hash().unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(verify("correct horse", Some(&hash)));
        assert!(!verify("correct horsf", Some(&hash)));
        assert!(!verify("no account has this password", None), "the decoy opens nothing");
        assert!(!verify("anything", Some("not a hash")));
    }

    #[tokio::test]
    async fn no_more_than_two_hashes_run_at_once_and_a_request_that_waits_too_long_is_told_so() {
        let hashing = Arc::new(Hashing { patience: Duration::from_millis(450), ..Hashing::default() });
        let (running, most) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let slow = |running: Arc<AtomicUsize>, most: Arc<AtomicUsize>| {
            move || {
                most.fetch_max(running.fetch_add(1, Ordering::SeqCst) + 1, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(300));
                running.fetch_sub(1, Ordering::SeqCst);
            }
        };
        let waits: Vec<_> = (0..6)
            .map(|_| {
                let (hashing, work) = (hashing.clone(), slow(running.clone(), most.clone()));
                tokio::spawn(async move { hashing.in_turn(work).await.is_ok() })
            })
            .collect();
        let mut served = 0;
        for wait in waits {
            served += usize::from(wait.await.unwrap());
        }
        assert_eq!(most.load(Ordering::SeqCst), HASHES_AT_ONCE);
        // Two at once, two more after 300 ms, within the 450 ms wait; the
        // last two would start at 600 ms, so they are told the server is busy.
        assert_eq!(served, 4);
    }
}
