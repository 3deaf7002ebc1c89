//! Portal accounts: an operator invites an officer with a one-time link,
//! the officer chooses a password there, and signs in for a session.
//! Secrets (links, sessions) are random and kept hashed (see `secrets`);
//! passwords are argon2id (see [`password`]).

pub mod password;
pub mod second_factor;
mod throttle;

pub use password::{Password, PasswordError};
pub use throttle::Throttle;

use crate::secrets::{self, RandomError};
use crate::store::{SessionRow, Store, StoreError, User};
use app::model::MunicipalityCode;
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use std::net::IpAddr;
use std::time::Instant;

/// How long an activation link works.
pub const ACTIVATION_VALID: Duration = Duration::hours(24);
/// How long a session lasts: a working day, then sign in again.
pub const SESSION_VALID: Duration = Duration::hours(10);

/// Where an activation link points, below the site's origin.
pub fn activation_path(secret: &str) -> String {
    format!("/portaal/activeren/{secret}")
}

/// An e-mail address as accounts are known by: trimmed, lower case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(text: &str) -> Result<Self, AccountError> {
        let email = text.trim().to_lowercase();
        let valid = email.len() <= 254
            && !email.chars().any(char::is_whitespace)
            && email.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty() && !domain.contains('@') && domain.contains('.')
            });
        if valid {
            Ok(Self(email))
        } else {
            Err(AccountError::Email(text.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("\"{0}\" is not an e-mail address: give one such as naam@gemeente.nl")]
    Email(String),
    #[error("there is already an account for {0}")]
    Taken(String),
    #[error(
        "give at least one municipality (--municipality GM0589), or make the account an admin (--admin)"
    )]
    NoMunicipality,
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Random(#[from] RandomError),
}

/// A new account and the secret of its activation link, shown once.
pub struct Invitation {
    pub user: i64,
    pub secret: String,
}

/// Makes an account for an officer of `municipalities` (or an admin),
/// with an activation link valid for [`ACTIVATION_VALID`].
pub fn invite(
    store: &mut Store,
    email: &Email,
    municipalities: &[MunicipalityCode],
    admin: bool,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<Invitation, AccountError> {
    if municipalities.is_empty() && !admin {
        return Err(AccountError::NoMunicipality);
    }
    if store.user_by_email(email.as_str())?.is_some() {
        return Err(AccountError::Taken(email.as_str().to_owned()));
    }
    let user = store.create_user(email.as_str(), admin, municipalities)?;
    let secret = secrets::random_hex()?;
    store.add_activation(&secrets::hash(&secret), user, &stamp(now), &stamp(now + ACTIVATION_VALID))?;
    let role = if admin { "admin".to_owned() } else { codes(municipalities) };
    store.record(actor, "user-invited", municipalities.first(), &format!("{} ({role})", email.as_str()))?;
    Ok(Invitation { user, secret })
}

#[derive(Debug, thiserror::Error)]
pub enum ActivationError {
    #[error("{0}")]
    Password(#[from] PasswordError),
    /// Unknown, used or expired: the officer needs a new link either way.
    #[error("this activation link is used or expired; ask your administrator for a new one")]
    Invalid,
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Random(#[from] RandomError),
}

/// Sets the password of the account the link `secret` was made for, and
/// uses the link up.
pub fn activate(
    store: &mut Store,
    secret: &str,
    password: &Password<'_>,
    now: DateTime<Utc>,
) -> Result<User, ActivationError> {
    // Hashed first: a failure here leaves the link usable.
    let hash = password.hash()?;
    let user = store.use_activation(&secrets::hash(secret), &stamp(now))?.ok_or(ActivationError::Invalid)?;
    store.set_password(user, &hash)?;
    let user = store.user(user)?.ok_or(ActivationError::Invalid)?;
    store.record(&user.email, "user-activated", None, "password set")?;
    Ok(user)
}

/// A session just begun: the cookie's secret and the form token.
pub struct SignedIn {
    pub user: User,
    pub cookie: String,
    pub csrf: String,
}

#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    /// Wrong address or password; which one is not said.
    #[error("the e-mail address, password or code is wrong")]
    Refused,
    #[error("too many failed attempts; wait 15 minutes and try again")]
    Throttled,
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Random(#[from] RandomError),
}

/// Checks an e-mail address and password and begins a session. Every
/// attempt is in the audit log; failures count towards the throttle.
pub fn sign_in(
    store: &mut Store,
    throttle: &Throttle,
    email: &str,
    password: &str,
    code: &str,
    address: Option<IpAddr>,
    now: DateTime<Utc>,
) -> Result<SignedIn, SignInError> {
    let account = email.trim().to_lowercase();
    // What an attacker typed goes in the log, but not a novel of it.
    let logged: String = account.chars().take(100).collect();
    let from = address.map(|a| format!("from {a}")).unwrap_or_default();
    if !throttle.allows(&account, address, Instant::now()) {
        store.record(&logged, "login-throttled", None, &from)?;
        return Err(SignInError::Throttled);
    }
    let user = store.user_by_email(&account)?;
    let stored = user.as_ref().and_then(|user| user.password_hash.clone());
    let user = user.filter(|_| password::verify(password, stored.as_deref()));
    // With a second factor set up, the code must be right too; which of
    // the three was wrong is not said.
    let second = match &user {
        Some(user) if user.totp_secret.is_some() => {
            second_factor::verify(store, user, code, now.timestamp().max(0) as u64)?
        }
        _ => true,
    };
    let user = match user.filter(|_| second) {
        Some(user) => user,
        None => {
            throttle.fail(&account, address, Instant::now());
            store.record(&logged, "login-failed", None, &from)?;
            return Err(SignInError::Refused);
        }
    };
    throttle.succeed(&account);
    let (cookie, csrf) = (secrets::random_hex()?, secrets::random_hex()?);
    store.add_session(&SessionRow {
        hash: secrets::hash(&cookie),
        user: user.id,
        csrf: csrf.clone(),
        created_at: stamp(now),
        expires_at: stamp(now + SESSION_VALID),
    })?;
    store.record(&user.email, "login", user.municipalities.first(), &from)?;
    Ok(SignedIn { user, cookie, csrf })
}

/// The user and session a cookie's secret stands for, if still valid.
pub fn session(
    store: &Store,
    cookie: &str,
    now: DateTime<Utc>,
) -> Result<Option<(User, SessionRow)>, StoreError> {
    let Some(session) = store.session(&secrets::hash(cookie), &stamp(now))? else { return Ok(None) };
    Ok(store.user(session.user)?.map(|user| (user, session)))
}

/// Times as the store compares them: RFC 3339, UTC, whole seconds.
fn stamp(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn codes(municipalities: &[MunicipalityCode]) -> String {
    municipalities.iter().map(MunicipalityCode::as_str).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> (Store, tempfile::TempDir) {
        let folder = tempfile::tempdir().unwrap();
        (Store::open(&folder.path().join("a.sqlite3")).unwrap(), folder)
    }

    #[test]
    fn an_invited_officer_activates_once_within_a_day_and_signs_in() {
        let (mut store, _folder) = store();
        let code = MunicipalityCode::parse("GM0589").unwrap();
        let email = Email::parse(" Officer@Gemeente.NL ").unwrap();
        let now = Utc::now();
        let invitation = invite(&mut store, &email, std::slice::from_ref(&code), false, "cli", now).unwrap();
        assert!(matches!(
            invite(&mut store, &email, std::slice::from_ref(&code), false, "cli", now),
            Err(AccountError::Taken(_))
        ));

        let password = Password::new("a long passphrase", "a long passphrase").unwrap();
        let late = now + ACTIVATION_VALID + Duration::seconds(1);
        assert!(matches!(
            activate(&mut store, &invitation.secret, &password, late),
            Err(ActivationError::Invalid)
        ));
        let user = activate(&mut store, &invitation.secret, &password, now).unwrap();
        assert_eq!(
            (user.email.as_str(), user.municipalities.as_slice()),
            ("officer@gemeente.nl", &[code][..])
        );
        assert!(matches!(
            activate(&mut store, &invitation.secret, &password, now),
            Err(ActivationError::Invalid)
        ));

        let throttle = Throttle::default();
        let wrong = sign_in(&mut store, &throttle, "officer@gemeente.nl", "a long passphrasE", "", None, now);
        assert!(matches!(wrong, Err(SignInError::Refused)));
        let unknown =
            sign_in(&mut store, &throttle, "nobody@gemeente.nl", "a long passphrase", "", None, now);
        assert!(matches!(unknown, Err(SignInError::Refused)));
        let signed =
            sign_in(&mut store, &throttle, "OFFICER@gemeente.nl", "a long passphrase", "", None, now)
                .unwrap();
        let (found, session) = session(&store, &signed.cookie, now).unwrap().unwrap();
        assert_eq!((found.id, session.csrf), (user.id, signed.csrf));
        assert!(super::session(&store, &signed.cookie, now + SESSION_VALID).unwrap().is_none(), "expired");
        let actions: Vec<_> = store.audit_log(10).unwrap().into_iter().map(|entry| entry.action).collect();
        assert_eq!(actions, ["login", "login-failed", "login-failed", "user-activated", "user-invited"]);
    }

    #[test]
    fn addresses_are_checked_and_an_officer_needs_a_municipality() {
        assert!(Email::parse("no-at-sign").is_err());
        assert!(Email::parse("a@b").is_err());
        assert!(Email::parse("a b@c.nl").is_err());
        let (mut store, _folder) = store();
        let email = Email::parse("a@c.nl").unwrap();
        assert!(matches!(
            invite(&mut store, &email, &[], false, "cli", Utc::now()),
            Err(AccountError::NoMunicipality)
        ));
    }
}
