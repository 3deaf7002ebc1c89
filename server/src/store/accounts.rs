//! Portal accounts as a store keeps them: users and the municipalities
//! they act for, activation links, sessions and second factors. Secrets
//! arrive hashed; what they mean is `crate::accounts`' business.

use super::StoreError;
use app::model::MunicipalityCode;

/// A portal account.
#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub id: i64,
    /// Lower case, as typed at login.
    pub email: String,
    /// The PHC string of an argon2id hash; `None` until activated.
    pub password_hash: Option<String>,
    /// An admin acts for every municipality.
    pub admin: bool,
    pub municipalities: Vec<MunicipalityCode>,
    /// The authenticator app's secret (base32), once the user set one up.
    pub totp_secret: Option<String>,
}

impl User {
    /// Whether the user may read and change this municipality's data.
    pub fn acts_for(&self, municipality: &MunicipalityCode) -> bool {
        self.admin || self.municipalities.contains(municipality)
    }
}

/// A signed-in browser, by the hash of its cookie's secret.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionRow {
    pub hash: String,
    pub user: i64,
    /// The secret every form of this session carries.
    pub csrf: String,
    pub created_at: String,
    pub expires_at: String,
}

/// The accounts' part of a store (see [`super::Backend`]).
pub trait Accounts {
    /// Adds an account, not yet activated; its id. The caller has checked
    /// that the address is free.
    fn create_user(
        &mut self,
        email: &str,
        admin: bool,
        municipalities: &[MunicipalityCode],
    ) -> Result<i64, StoreError>;
    fn user(&self, id: i64) -> Result<Option<User>, StoreError>;
    fn user_by_email(&self, email: &str) -> Result<Option<User>, StoreError>;
    fn set_password(&mut self, user: i64, hash: &str) -> Result<(), StoreError>;
    /// Adds an activation link, and forgets the links that had expired by
    /// `now`, used or not: they open nothing any more, and every
    /// invitation makes one.
    fn add_activation(
        &mut self,
        hash: &str,
        user: i64,
        now: &str,
        expires_at: &str,
    ) -> Result<(), StoreError>;
    /// The user whose activation link has this hash, if it is unused and
    /// still valid at `now`.
    fn activation(&self, hash: &str, now: &str) -> Result<Option<i64>, StoreError>;
    /// Uses up the activation link with this hash if it is unused and
    /// still valid at `now`; whose it was.
    fn use_activation(&mut self, hash: &str, now: &str) -> Result<Option<i64>, StoreError>;
    /// Starts a session, and forgets those that expired before it began:
    /// every sign-in makes one, so they would pile up forever.
    fn add_session(&mut self, session: &SessionRow) -> Result<(), StoreError>;
    /// The session with this hash, if it has not expired at `now`.
    fn session(&self, hash: &str, now: &str) -> Result<Option<SessionRow>, StoreError>;
    fn end_session(&mut self, hash: &str) -> Result<(), StoreError>;
    /// Signs the user out on every device.
    fn end_sessions(&mut self, user: i64) -> Result<(), StoreError>;

    /// Sets up the user's second factor.
    fn set_totp(&mut self, user: i64, secret: &str) -> Result<(), StoreError>;
    /// Accepts a code of time step `step` for the user if no code of this
    /// or a later step was accepted before; whether it was.
    fn use_totp_step(&mut self, user: i64, step: u64) -> Result<bool, StoreError>;
}
