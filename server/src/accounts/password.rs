//! Portal passwords: at least 12 characters, kept as argon2id hashes with
//! the parameters the argon2 crate recommends (OWASP's: 19 MiB, 2 passes).

use crate::secrets::{self, RandomError};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use std::sync::OnceLock;

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
}
