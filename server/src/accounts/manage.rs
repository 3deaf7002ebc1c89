//! What becomes of an account after its invitation: an admin (in the
//! portal) or the operator (`kieskaart user`) lists the accounts, disables
//! and enables them, changes the municipalities they act for, and resets a
//! forgotten password or a lost second factor with a new activation link.
//! Each change goes into the audit log with who made it: the admin's
//! address, or `cli`.

use super::{codes, stamp, AccountError, Email, FreshLink, Invitation};
use crate::store::{Disabling, Store, User};
use app::model::MunicipalityCode;
use chrono::{DateTime, Utc};

/// Where an account stands, as the lists show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing<'a> {
    /// Disabled since this time (RFC 3339).
    Disabled(&'a str),
    /// Waiting for its password to be chosen with an activation link.
    Invited,
    Active,
}

impl User {
    pub fn standing(&self) -> Standing<'_> {
        match (&self.disabled_at, &self.password_hash) {
            (Some(since), _) => Standing::Disabled(since),
            (None, None) => Standing::Invited,
            (None, Some(_)) => Standing::Active,
        }
    }
}

/// The account with this address.
pub fn find(store: &Store, email: &Email) -> Result<User, AccountError> {
    store.user_by_email(email.as_str())?.ok_or_else(|| AccountError::Unknown(email.as_str().to_owned()))
}

/// Disables `user`: every session of theirs ends at once, and sign-in is
/// refused (see [`super::finish_sign_in`]) until an admin enables the
/// account again. Their history stays in the log under their address.
/// The last admin who can sign in is not disabled: nobody could manage
/// the portal then.
pub fn disable(store: &mut Store, user: &User, actor: &str, now: DateTime<Utc>) -> Result<(), AccountError> {
    match store.disable_user(user.id, &stamp(now))? {
        Disabling::Done => {}
        Disabling::NoSuchUser => return Err(gone(user)),
        Disabling::LastAdmin => return Err(AccountError::LastAdmin(user.email.clone())),
    }
    store.record(actor, "user-disabled", user.municipalities.first(), &user.email)?;
    Ok(())
}

/// Lets a disabled account sign in again, with the password it had.
pub fn enable(store: &mut Store, user: &User, actor: &str) -> Result<(), AccountError> {
    if !store.enable_user(user.id)? {
        return Err(gone(user));
    }
    store.record(actor, "user-enabled", user.municipalities.first(), &user.email)?;
    Ok(())
}

/// Replaces the municipalities `user` acts for. An officer keeps at least
/// one: one who should act for none is disabled instead, which also ends
/// their sessions.
pub fn set_municipalities(
    store: &mut Store,
    user: &User,
    municipalities: &[MunicipalityCode],
    actor: &str,
) -> Result<(), AccountError> {
    if municipalities.is_empty() && !user.admin {
        return Err(AccountError::NoMunicipalityLeft);
    }
    if !store.set_municipalities(user.id, municipalities)? {
        return Err(gone(user));
    }
    let detail = format!("{}: {} (was {})", user.email, codes(municipalities), codes(&user.municipalities));
    store.record(actor, "user-municipalities-changed", municipalities.first(), &detail)?;
    Ok(())
}

/// What a reset takes away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reset {
    /// A forgotten password: the second factor stays, so the new link
    /// alone does not weaken the account.
    Password,
    /// A lost or stolen device: the second factor and the password. With
    /// only the code gone, whoever holds the password (lost with the phone,
    /// perhaps) could sign in and set up their own app before the officer
    /// does; the new link, which the admin sends the officer, is the proof
    /// instead.
    SecondFactor,
}

impl Reset {
    fn describe(self) -> &'static str {
        match self {
            Reset::Password => "password",
            Reset::SecondFactor => "password and second factor",
        }
    }
}

/// Resets `user` as `what` says: the old password (and second factor)
/// stop working at once, every session and every earlier unused link
/// ends, and a new activation link (valid [`super::ACTIVATION_VALID`]) lets the
/// user choose a password again; it is shown once, to send on.
pub fn reset(
    store: &mut Store,
    user: &User,
    what: Reset,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<Invitation, AccountError> {
    let link = FreshLink::new(now)?;
    if !store.reset_sign_in(user.id, what == Reset::SecondFactor, link.stored())? {
        return Err(gone(user));
    }
    let detail = format!("{}: {}", user.email, what.describe());
    store.record(actor, "user-reset", user.municipalities.first(), &detail)?;
    Ok(Invitation { user: user.id, secret: link.secret })
}

/// An account that was deleted from under the caller.
fn gone(user: &User) -> AccountError {
    AccountError::Unknown(user.email.clone())
}

#[cfg(test)]
mod tests {
    use super::super::{activate, invite, session, Password};
    use super::*;
    use crate::secrets;
    use crate::store::SessionRow;
    use chrono::Duration;

    fn store() -> (Store, tempfile::TempDir) {
        let folder = tempfile::tempdir().unwrap();
        (Store::open(&folder.path().join("m.sqlite3")).unwrap(), folder)
    }

    fn signed_in(store: &mut Store, user: &User, cookie: &str, now: DateTime<Utc>) {
        store
            .add_session(&SessionRow {
                hash: secrets::hash(cookie),
                user: user.id,
                csrf: "csrf".into(),
                created_at: stamp(now),
                expires_at: stamp(now + Duration::hours(1)),
            })
            .unwrap();
    }

    #[test]
    fn the_last_admin_stays_and_a_disabled_account_has_no_session() {
        let (mut store, _folder) = store();
        let now = Utc::now();
        let first = Email::parse("een@kieskaart.nl").unwrap();
        let second = Email::parse("twee@kieskaart.nl").unwrap();
        invite(&mut store, &first, &[], true, "cli", now).unwrap();
        invite(&mut store, &second, &[], true, "cli", now).unwrap();
        let (first, second) = (find(&store, &first).unwrap(), find(&store, &second).unwrap());
        signed_in(&mut store, &first, "cookie", now);
        assert!(session(&store, "cookie", now).unwrap().is_some());

        disable(&mut store, &first, "twee@kieskaart.nl", now).unwrap();
        assert!(session(&store, "cookie", now).unwrap().is_none(), "its session ended");
        let since = stamp(now);
        let disabled = find(&store, &Email::parse("een@kieskaart.nl").unwrap()).unwrap();
        assert_eq!(disabled.standing(), Standing::Disabled(&since));
        let last = disable(&mut store, &second, "twee@kieskaart.nl", now);
        assert!(matches!(last, Err(AccountError::LastAdmin(ref email)) if email == "twee@kieskaart.nl"));
        enable(&mut store, &first, "cli").unwrap();
        disable(&mut store, &second, "een@kieskaart.nl", now).unwrap();
        let actions: Vec<_> = store.audit_log(3).unwrap().into_iter().map(|l| l.entry.action).collect();
        assert_eq!(actions, ["user-disabled", "user-enabled", "user-disabled"]);
    }

    #[test]
    fn a_reset_ends_the_old_password_and_links_and_makes_one_new_link() {
        let (mut store, _folder) = store();
        let now = Utc::now();
        let code = MunicipalityCode::parse("GM0589").unwrap();
        let email = Email::parse("officer@oudewater.nl").unwrap();
        let first = invite(&mut store, &email, std::slice::from_ref(&code), false, "cli", now).unwrap();
        let hash = Password::new("a long passphrase", "a long passphrase").unwrap().hash().unwrap();
        activate(&mut store, &first.secret, &hash, now).unwrap();
        let user = find(&store, &email).unwrap();
        store.set_totp(user.id, "JBSWY3DPEHPK3PXP").unwrap();
        signed_in(&mut store, &user, "cookie", now);

        let kept = reset(&mut store, &user, Reset::Password, "cli", now).unwrap();
        let after = find(&store, &email).unwrap();
        assert_eq!((after.password_hash, after.totp_secret.as_deref()), (None, Some("JBSWY3DPEHPK3PXP")));
        assert!(session(&store, "cookie", now).unwrap().is_none());
        let newest = reset(&mut store, &user, Reset::SecondFactor, "cli", now).unwrap();
        assert_eq!(find(&store, &email).unwrap().totp_secret, None);
        assert!(activate(&mut store, &kept.secret, &hash, now).is_err(), "a newer link replaced it");
        activate(&mut store, &newest.secret, &hash, now).unwrap();
        assert_eq!(find(&store, &email).unwrap().standing(), Standing::Active);

        assert!(matches!(
            set_municipalities(&mut store, &user, &[], "cli"),
            Err(AccountError::NoMunicipalityLeft)
        ));
        let other = MunicipalityCode::parse("GM0344").unwrap();
        set_municipalities(&mut store, &user, std::slice::from_ref(&other), "cli").unwrap();
        assert_eq!(find(&store, &email).unwrap().municipalities, [other]);
        let logged = &store.audit_log(1).unwrap()[0].entry;
        assert_eq!(logged.detail, "officer@oudewater.nl: GM0344 (was GM0589)");
    }
}
