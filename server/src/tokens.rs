//! Tokens for vendor systems: each lets one system upload one
//! municipality's stations through the API. A token is a random secret
//! (see `secrets`), shown once when made; the store keeps only its hash.

use crate::secrets::{self, hash, RandomError};
use crate::store::{Store, StoreError, TokenInfo};
use app::model::MunicipalityCode;

/// What every token starts with, so that one pasted into a log or a
/// repository is recognised for what it is.
const PREFIX: &str = "kk_";

/// A token just made: the secret is shown once and never again.
pub struct NewToken {
    pub id: i64,
    pub secret: String,
}

/// Why a request's token was not accepted. Each is answered 401, with the
/// same message: a caller learns nothing about which tokens exist.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    Missing,
    Unknown,
    Revoked { id: i64 },
}

pub fn create(
    store: &mut Store,
    municipality: &MunicipalityCode,
    label: &str,
    actor: &str,
) -> Result<NewToken, CreateError> {
    let secret = format!("{PREFIX}{}", secrets::random_hex()?);
    let id = store.create_token(municipality, label, &hash(&secret))?;
    store.record(actor, "token-created", Some(municipality), &format!("token {id} ({label})"))?;
    Ok(NewToken { id, secret })
}

#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Random(#[from] RandomError),
}

/// The token an `Authorization: Bearer …` header value names, if it is
/// valid.
pub fn authenticate(
    store: &Store,
    authorization: Option<&str>,
) -> Result<Result<TokenInfo, Refusal>, StoreError> {
    let Some(secret) = authorization.and_then(|value| value.strip_prefix("Bearer ")).map(str::trim) else {
        return Ok(Err(Refusal::Missing));
    };
    Ok(match store.token_by_hash(&hash(secret))? {
        None => Err(Refusal::Unknown),
        Some(token) if token.revoked => Err(Refusal::Revoked { id: token.id }),
        Some(token) => Ok(token),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_accepted_until_revoked_and_only_its_hash_is_kept() {
        let folder = tempfile::tempdir().unwrap();
        let mut store = Store::open(&folder.path().join("t.sqlite3")).unwrap();
        let code = MunicipalityCode::parse("GM0589").unwrap();
        let token = create(&mut store, &code, "Vendor", "cli").unwrap();
        assert!(token.secret.starts_with("kk_") && token.secret.len() == 67);
        let header = format!("Bearer {}", token.secret);
        let accepted = authenticate(&store, Some(&header)).unwrap().unwrap();
        assert_eq!((accepted.id, accepted.municipality), (token.id, code));
        assert!(store.tokens().unwrap().iter().all(|t| t.label == "Vendor"));

        assert_eq!(authenticate(&store, None).unwrap(), Err(Refusal::Missing));
        assert_eq!(authenticate(&store, Some("Bearer kk_nope")).unwrap(), Err(Refusal::Unknown));
        assert_eq!(authenticate(&store, Some(&token.secret)).unwrap(), Err(Refusal::Missing), "no scheme");
        assert!(store.revoke_token(token.id).unwrap());
        assert_eq!(authenticate(&store, Some(&header)).unwrap(), Err(Refusal::Revoked { id: token.id }));
        let log = store.audit_log(10).unwrap();
        assert_eq!(log[0].entry.action, "token-created");
    }
}
