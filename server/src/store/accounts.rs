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
    /// Since when the account is disabled (RFC 3339), if it is: it has
    /// no sessions and cannot sign in.
    pub disabled_at: Option<String>,
    /// When the user last signed in (RFC 3339), if ever.
    pub last_sign_in: Option<String>,
}

/// The columns of `users` a [`User`] is read from, in its order (its
/// municipalities come from `user_municipalities`).
pub(super) const USER_COLUMNS: &str =
    "id, email, password_hash, admin, totp_secret, disabled_at, last_sign_in_at";

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

/// What became of [`Accounts::disable_user`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disabling {
    /// The account is disabled (now, or it was already).
    Done,
    NoSuchUser,
    /// Refused: it is the last admin who can sign in, and without one
    /// nobody could manage the portal (or enable it again) from there.
    LastAdmin,
}

impl Disabling {
    /// What disabling `user` comes to, given whether it is an admin
    /// (`None`: there is no such account) and the ids of the admins who
    /// can sign in now. Both stores read these under a lock and decide
    /// here, so that two admins disabling each other at once cannot both
    /// succeed.
    pub(super) fn decide(user: i64, admin: Option<bool>, enabled_admins: &[i64]) -> Self {
        match admin {
            None => Disabling::NoSuchUser,
            Some(true) if enabled_admins == [user] => Disabling::LastAdmin,
            Some(_) => Disabling::Done,
        }
    }
}

/// A new activation link, by the hash of its secret.
#[derive(Debug, Clone, Copy)]
pub struct NewLink<'a> {
    pub hash: &'a str,
    /// When it is made: links that expired by then are forgotten.
    pub now: &'a str,
    pub expires_at: &'a str,
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
    /// Every account, by e-mail address.
    fn users(&self) -> Result<Vec<User>, StoreError>;
    fn set_password(&mut self, user: i64, hash: &str) -> Result<(), StoreError>;
    /// Adds an activation link, and forgets the links that had expired by
    /// `now`, used or not: they open nothing any more, and every
    /// invitation makes one.
    fn add_activation(&mut self, user: i64, link: NewLink<'_>) -> Result<(), StoreError>;
    /// The user whose activation link has this hash, if it is unused and
    /// still valid at `now`.
    fn activation(&self, hash: &str, now: &str) -> Result<Option<i64>, StoreError>;
    /// Uses up the activation link with this hash if it is unused and
    /// still valid at `now`; whose it was.
    fn use_activation(&mut self, hash: &str, now: &str) -> Result<Option<i64>, StoreError>;
    /// Starts a session, notes it as the user's last sign-in, and forgets
    /// the sessions that expired before it began: every sign-in makes one,
    /// so they would pile up forever.
    fn add_session(&mut self, session: &SessionRow) -> Result<(), StoreError>;
    /// The session with this hash, if it has not expired at `now` and its
    /// user is not disabled (a sign-in that raced the disabling may have
    /// added one after the disabling ended the others).
    fn session(&self, hash: &str, now: &str) -> Result<Option<SessionRow>, StoreError>;
    fn end_session(&mut self, hash: &str) -> Result<(), StoreError>;
    /// Signs the user out on every device.
    fn end_sessions(&mut self, user: i64) -> Result<(), StoreError>;
    /// Signs the user out on every device but the one of session `keep`.
    fn end_other_sessions(&mut self, user: i64, keep: &str) -> Result<(), StoreError>;

    /// Disables the account at `now` and ends its sessions, in one
    /// transaction, unless it is the last admin who can sign in.
    fn disable_user(&mut self, user: i64, now: &str) -> Result<Disabling, StoreError>;
    /// Lets a disabled account sign in again, with no session: one that a
    /// sign-in racing the disabling made stays ended. Whether there is
    /// such an account.
    fn enable_user(&mut self, user: i64) -> Result<bool, StoreError>;
    /// Replaces the municipalities the user acts for; whether there is
    /// such an account.
    fn set_municipalities(
        &mut self,
        user: i64,
        municipalities: &[MunicipalityCode],
    ) -> Result<bool, StoreError>;
    /// Takes the account's password away (and with `second_factor` its
    /// second factor too), ends its sessions, forgets its unused
    /// activation links and adds `link`, in one transaction: from then on
    /// only the new link lets anyone in. Whether there is such an account.
    fn reset_sign_in(
        &mut self,
        user: i64,
        second_factor: bool,
        link: NewLink<'_>,
    ) -> Result<bool, StoreError>;

    /// Sets up the user's second factor.
    fn set_totp(&mut self, user: i64, secret: &str) -> Result<(), StoreError>;
    /// Replaces the user's second factor by `secret` (or with `None`
    /// removes it) and ends every session of theirs but `keep`, in one
    /// transaction.
    fn replace_totp(&mut self, user: i64, secret: Option<&str>, keep: &str) -> Result<(), StoreError>;
    /// Accepts a code of time step `step` for the user if no code of this
    /// or a later step was accepted before; whether it was.
    fn use_totp_step(&mut self, user: i64, step: u64) -> Result<bool, StoreError>;
}
