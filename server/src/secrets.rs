//! Random secrets handed to someone once (vendor tokens, activation links,
//! session cookies, form tokens) and the hashes the store keeps of them.
//! Each secret has 256 bits of entropy, so a fast hash is as safe here as
//! argon2 is for a password, and a lookup by hash reveals nothing by its
//! timing.

use sha2::{Digest, Sha256};

/// 32 random bytes as 64 hex digits.
pub fn random_hex() -> Result<String, RandomError> {
    Ok(hex(&random_bytes::<32>()?))
}

/// `N` bytes from the operating system's generator.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], RandomError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| RandomError(e.to_string()))?;
    Ok(bytes)
}

#[derive(Debug, thiserror::Error)]
#[error("the system gave no random bytes for a secret: {0}")]
pub struct RandomError(String);

/// What the store keeps of a secret.
pub fn hash(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

/// Whether two secrets are equal, in a time that does not depend on where
/// they differ (a form token is compared with the session's).
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |differ, (x, y)| differ | (x ^ y)) == 0
}

/// Bytes as lower-case hex digits, two a byte.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_differ_and_compare_by_content() {
        let (a, b) = (random_hex().unwrap(), random_hex().unwrap());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert!(same(&a, &a.clone()));
        assert!(!same(&a, &b) && !same(&a, &a[..63]));
        assert_eq!(hash("abc").len(), 64);
    }
}
