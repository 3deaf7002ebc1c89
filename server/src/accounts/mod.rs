//! Portal accounts: an operator invites an officer with a one-time link,
//! the officer chooses a password there, and signs in for a session.
//! Secrets (links, sessions) are random and kept hashed (see `secrets`);
//! passwords are argon2id (see [`password`]).

pub mod manage;
pub mod password;
pub mod second_factor;
mod throttle;

pub use password::{Password, PasswordError};
pub use throttle::Throttle;

use crate::http::client_address::ClientAddress;
use crate::secrets::{self, RandomError};
use crate::store::{AuditEntry, NewLink, SessionRow, Store, StoreError, User};
use app::model::MunicipalityCode;
use chrono::{DateTime, Duration, SecondsFormat, Utc};
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
    #[error("an officer acts for at least one municipality; to take all access away, disable the account")]
    NoMunicipalityLeft,
    #[error("there is no account for {0}")]
    Unknown(String),
    #[error("{0} is the last admin who can sign in; make or enable another admin first, so that someone can still manage the portal")]
    LastAdmin(String),
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
    let link = FreshLink::new(now)?;
    store.add_activation(user, link.stored())?;
    let role = if admin { "admin".to_owned() } else { codes(municipalities) };
    store.record(actor, "user-invited", municipalities.first(), &format!("{} ({role})", email.as_str()))?;
    Ok(Invitation { user, secret: link.secret })
}

/// A new activation link made at `now`: its secret, shown once to send
/// on, and what the store keeps of it (the secret's hash, valid
/// [`ACTIVATION_VALID`]). Invitations and resets make them alike.
struct FreshLink {
    secret: String,
    hash: String,
    made: String,
    expires_at: String,
}

impl FreshLink {
    fn new(now: DateTime<Utc>) -> Result<Self, RandomError> {
        let secret = secrets::random_hex()?;
        let hash = secrets::hash(&secret);
        Ok(Self { secret, hash, made: stamp(now), expires_at: stamp(now + ACTIVATION_VALID) })
    }

    fn stored(&self) -> NewLink<'_> {
        NewLink { hash: &self.hash, now: &self.made, expires_at: &self.expires_at }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ActivationError {
    /// Unknown, used or expired: the officer needs a new link either way.
    #[error("this activation link is used or expired; ask your administrator for a new one")]
    Invalid,
    #[error("{0}")]
    Store(#[from] StoreError),
}

/// Whether the link `secret` can still be used, on a reading connection:
/// checked before any password is hashed, so that a made-up link costs a
/// lookup, not a hash.
pub fn activation_usable(store: &Store, secret: &str, now: DateTime<Utc>) -> Result<bool, StoreError> {
    Ok(store.activation(&secrets::hash(secret), &stamp(now))?.is_some())
}

/// Sets the password (its `hash`, made outside the store: see
/// [`password::Hashing`]) of the account the link `secret` was made for,
/// and uses the link up.
pub fn activate(
    store: &mut Store,
    secret: &str,
    hash: &str,
    now: DateTime<Utc>,
) -> Result<User, ActivationError> {
    let user = store.use_activation(&secrets::hash(secret), &stamp(now))?.ok_or(ActivationError::Invalid)?;
    store.set_password(user, hash)?;
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
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Random(#[from] RandomError),
}

/// How long throttled attempts of one account from one address share an
/// audit row (see [`log_throttled`]).
const THROTTLED_LOGGED_PER: Duration = Duration::minutes(15);

/// One sign-in attempt: the account it names (as typed, whether or not
/// it exists) and where it came from. A sign-in goes in three steps, so
/// that the password is checked holding no store connection: the throttle
/// admits the attempt ([`Attempt::admitted`]), the caller looks the
/// account up and checks the password (see [`password::Hashing`]), and
/// [`finish_sign_in`] begins the session.
pub struct Attempt {
    account: String,
    address: ClientAddress,
    at: Instant,
}

impl Attempt {
    /// An attempt made `at` (the throttle's clock).
    pub fn new(email: &str, address: ClientAddress, at: Instant) -> Self {
        Self { account: email.trim().to_lowercase(), address, at }
    }

    /// The account as accounts are looked up: trimmed, lower case.
    pub fn account(&self) -> &str {
        &self.account
    }

    /// Whether the throttle lets this attempt be checked (if not, how long
    /// to wait); if so it counts as failed until it succeeds.
    pub fn admitted(&self, throttle: &Throttle) -> Result<(), std::time::Duration> {
        throttle.attempt(&self.account, self.address, self.at)
    }

    /// Takes the attempt back from the throttle: it was never checked.
    pub fn withdraw(&self, throttle: &Throttle) {
        throttle.withdraw(&self.account, self.address, self.at);
    }

    /// What an attacker typed goes in the log, but not a novel of it.
    fn logged(&self) -> String {
        self.account.chars().take(100).collect()
    }

    fn from(&self) -> String {
        format!("from {}", self.address)
    }
}

/// Logs an attempt the throttle refused. A flood of them would otherwise
/// write a row each (and push everything else off the log's first pages),
/// so those of one account from one address within
/// [`THROTTLED_LOGGED_PER`] share one row and raise its count.
pub fn log_throttled(store: &mut Store, attempt: &Attempt, now: DateTime<Utc>) -> Result<(), StoreError> {
    let entry = AuditEntry {
        at: stamp(now),
        actor: attempt.logged(),
        action: "login-throttled".into(),
        municipality: None,
        detail: attempt.from(),
    };
    store.record_repeat(&entry, now, THROTTLED_LOGGED_PER)
}

/// Ends a sign-in whose password was checked: `user` is the account if
/// the password was right. With a second factor set up the code must be
/// right too; which of the three was wrong is not said. Every attempt is in
/// the audit log.
///
/// A disabled account is refused exactly as a wrong password is, even
/// when the password is right: serious sites answer "wrong address or
/// password" whether the account is unknown, locked or disabled (OWASP's
/// authentication cheat sheet), so that a stranger with a former officer's
/// address learns nothing, not even that the password they hold is right.
/// The officer knows from the administrator why; the attempt is in the log.
pub fn finish_sign_in(
    store: &mut Store,
    throttle: &Throttle,
    attempt: &Attempt,
    user: Option<User>,
    code: &str,
    now: DateTime<Utc>,
) -> Result<SignedIn, SignInError> {
    let second = match &user {
        Some(user) if user.totp_secret.is_some() => {
            second_factor::verify(store, user, code, now.timestamp().max(0) as u64)?
        }
        _ => true,
    };
    let Some(user) = user.filter(|user| second && user.disabled_at.is_none()) else {
        store.record(&attempt.logged(), "login-failed", None, &attempt.from())?;
        return Err(SignInError::Refused);
    };
    throttle.succeed(&attempt.account, attempt.address, attempt.at);
    let (cookie, csrf) = (secrets::random_hex()?, secrets::random_hex()?);
    store.add_session(&SessionRow {
        hash: secrets::hash(&cookie),
        user: user.id,
        csrf: csrf.clone(),
        created_at: stamp(now),
        expires_at: stamp(now + SESSION_VALID),
    })?;
    store.record(&user.email, "login", user.municipalities.first(), &attempt.from())?;
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

    /// A sign-in in its three steps, as the portal takes them, from an
    /// address at a moment; `Err` when the throttle says to wait.
    fn sign_in_from(
        store: &mut Store,
        throttle: &Throttle,
        (email, password): (&str, &str),
        (address, at): (ClientAddress, Instant),
        now: DateTime<Utc>,
    ) -> Result<Result<SignedIn, SignInError>, std::time::Duration> {
        let attempt = Attempt::new(email, address, at);
        attempt.admitted(throttle)?;
        let user = store.user_by_email(attempt.account()).unwrap();
        let stored = user.as_ref().and_then(|user| user.password_hash.clone());
        let user = user.filter(|_| password::verify(password, stored.as_deref()));
        Ok(finish_sign_in(store, throttle, &attempt, user, "", now))
    }

    fn sign_in(
        store: &mut Store,
        throttle: &Throttle,
        email: &str,
        password: &str,
        now: DateTime<Utc>,
    ) -> Result<SignedIn, SignInError> {
        sign_in_from(store, throttle, (email, password), (ClientAddress::Unknown, Instant::now()), now)
            .expect("admitted by the throttle")
    }

    /// An officer with the password "a long passphrase".
    fn officer(store: &mut Store, email: &str) {
        let email = Email::parse(email).unwrap();
        let code = MunicipalityCode::parse("GM0589").unwrap();
        let invitation = invite(store, &email, &[code], false, "cli", Utc::now()).unwrap();
        let hash = Password::new("a long passphrase", "a long passphrase").unwrap().hash().unwrap();
        activate(store, &invitation.secret, &hash, Utc::now()).unwrap();
    }

    #[test]
    fn a_strangers_failures_only_delay_the_officer_whose_right_password_after_the_wait_gets_in() {
        let (mut store, _folder) = store();
        officer(&mut store, "officer@gemeente.nl");
        let throttle = Throttle::default();
        let stranger = ClientAddress::Known([203, 0, 113, 66].into());
        let mut at = Instant::now();
        for guess in 0..12 {
            let guess = ("officer@gemeente.nl", format!("guess {guess}"));
            let mut guessed =
                sign_in_from(&mut store, &throttle, (guess.0, &guess.1), (stranger, at), Utc::now());
            if let Err(wait) = guessed {
                at += wait;
                guessed =
                    sign_in_from(&mut store, &throttle, (guess.0, &guess.1), (stranger, at), Utc::now());
            }
            assert!(matches!(guessed, Ok(Err(SignInError::Refused))));
        }
        let desk = ClientAddress::Known([192, 0, 2, 1].into());
        let right = ("officer@gemeente.nl", "a long passphrase");
        let wait = sign_in_from(&mut store, &throttle, right, (desk, at), Utc::now()).err().expect("a wait");
        assert!(wait <= std::time::Duration::from_secs(300), "minutes at most: {wait:?}");
        let signed_in = sign_in_from(&mut store, &throttle, right, (desk, at + wait), Utc::now());
        assert!(matches!(signed_in, Ok(Ok(_))), "the right password after the wait gets in");
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

        let hash = Password::new("a long passphrase", "a long passphrase").unwrap().hash().unwrap();
        let late = now + ACTIVATION_VALID + Duration::seconds(1);
        assert!(!activation_usable(&store, &invitation.secret, late).unwrap());
        assert!(matches!(
            activate(&mut store, &invitation.secret, &hash, late),
            Err(ActivationError::Invalid)
        ));
        assert!(activation_usable(&store, &invitation.secret, now).unwrap());
        let user = activate(&mut store, &invitation.secret, &hash, now).unwrap();
        assert_eq!(
            (user.email.as_str(), user.municipalities.as_slice()),
            ("officer@gemeente.nl", &[code][..])
        );
        assert!(!activation_usable(&store, &invitation.secret, now).unwrap(), "used up");
        assert!(matches!(
            activate(&mut store, &invitation.secret, &hash, now),
            Err(ActivationError::Invalid)
        ));

        let throttle = Throttle::default();
        let wrong = sign_in(&mut store, &throttle, "officer@gemeente.nl", "a long passphrasE", now);
        assert!(matches!(wrong, Err(SignInError::Refused)));
        let unknown = sign_in(&mut store, &throttle, "nobody@gemeente.nl", "a long passphrase", now);
        assert!(matches!(unknown, Err(SignInError::Refused)));
        let signed = sign_in(&mut store, &throttle, "OFFICER@gemeente.nl", "a long passphrase", now).unwrap();
        let (found, session) = session(&store, &signed.cookie, now).unwrap().unwrap();
        assert_eq!((found.id, session.csrf), (user.id, signed.csrf));
        assert!(super::session(&store, &signed.cookie, now + SESSION_VALID).unwrap().is_none(), "expired");
        let actions: Vec<_> =
            store.audit_log(10).unwrap().into_iter().map(|logged| logged.entry.action).collect();
        assert_eq!(actions, ["login", "login-failed", "login-failed", "user-activated", "user-invited"]);
    }

    #[test]
    fn throttled_attempts_of_one_account_and_address_share_a_row_per_quarter_hour() {
        let (mut store, _folder) = store();
        let start = "2030-03-20T07:00:00Z".parse::<DateTime<Utc>>().unwrap();
        let home = ClientAddress::Known([192, 0, 2, 1].into());
        let away = ClientAddress::Known([192, 0, 2, 2].into());
        let attempt = |email, address| Attempt::new(email, address, Instant::now());
        for minute in [0, 1, 14, 15, 16] {
            let now = start + Duration::minutes(minute);
            log_throttled(&mut store, &attempt("a@gemeente.nl", home), now).unwrap();
            log_throttled(&mut store, &attempt("A@gemeente.nl", away), now).unwrap();
        }
        log_throttled(&mut store, &attempt("b@gemeente.nl", home), start).unwrap();
        let rows: Vec<_> = store
            .audit_log(10)
            .unwrap()
            .into_iter()
            .map(|logged| (logged.entry.actor, logged.entry.detail, logged.times))
            .collect();
        let row = |actor: &str, from: &str, times| (actor.to_owned(), format!("from {from}"), times);
        assert_eq!(
            rows,
            [
                row("b@gemeente.nl", "192.0.2.1", 1),
                row("a@gemeente.nl", "192.0.2.2", 2),
                row("a@gemeente.nl", "192.0.2.1", 2),
                row("a@gemeente.nl", "192.0.2.2", 3),
                row("a@gemeente.nl", "192.0.2.1", 3),
            ]
        );
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
