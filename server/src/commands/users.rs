//! `kieskaart user`: portal accounts, made, listed, disabled and enabled,
//! given other municipalities, and reset; every change is logged as done
//! by `cli`.

use super::CommandError;
use crate::accounts::manage::{self, Reset, Standing};
use crate::accounts::{self, Email};
use crate::store::{Store, User};
use app::model::MunicipalityCode;

/// Who the audit log says made the changes of these commands.
const ACTOR: &str = "cli";

/// An activation link below the site's public address.
fn link(site: &str, secret: &str) -> String {
    format!("{}{}", site.trim_end_matches('/'), accounts::activation_path(secret))
}

/// `kieskaart user add`: a new account and its activation link.
pub fn add_user(
    store: &mut Store,
    email: &str,
    municipalities: &[MunicipalityCode],
    admin: bool,
    site: &str,
) -> Result<String, CommandError> {
    let email = Email::parse(email)?;
    let invitation = accounts::invite(store, &email, municipalities, admin, ACTOR, chrono::Utc::now())?;
    Ok(link(site, &invitation.secret))
}

/// `kieskaart user list`, as a table.
pub fn list_users(store: &Store) -> Result<String, CommandError> {
    let mut table = format!(
        "{:<32} {:<6} {:<6} {:<20} {:<32} {}\n",
        "email", "role", "2fa", "last sign-in", "standing", "municipalities"
    );
    for user in store.users()? {
        let standing = match user.standing() {
            Standing::Disabled(since) => format!("disabled since {}", minutes(since)),
            Standing::Invited => "waiting for activation".to_owned(),
            Standing::Active => "active".to_owned(),
        };
        let codes: Vec<&str> = user.municipalities.iter().map(MunicipalityCode::as_str).collect();
        table.push_str(&format!(
            "{:<32} {:<6} {:<6} {:<20} {:<32} {}\n",
            user.email,
            if user.admin { "admin" } else { "officer" },
            if user.totp_secret.is_some() { "on" } else { "off" },
            user.last_sign_in.as_deref().map_or("never", minutes),
            standing,
            codes.join(",")
        ));
    }
    Ok(table)
}

/// A stored time (RFC 3339, UTC) to the minute.
fn minutes(stamp: &str) -> &str {
    stamp.get(..16).unwrap_or(stamp)
}

fn account(store: &Store, email: &str) -> Result<User, CommandError> {
    Ok(manage::find(store, &Email::parse(email)?)?)
}

/// `kieskaart user disable`: signed out everywhere at once, and no sign-in
/// until enabled.
pub fn disable_user(store: &mut Store, email: &str) -> Result<(), CommandError> {
    let user = account(store, email)?;
    Ok(manage::disable(store, &user, ACTOR, chrono::Utc::now())?)
}

/// `kieskaart user enable`.
pub fn enable_user(store: &mut Store, email: &str) -> Result<(), CommandError> {
    let user = account(store, email)?;
    Ok(manage::enable(store, &user, ACTOR)?)
}

/// `kieskaart user municipalities`: replaces those the user acts for.
pub fn set_user_municipalities(
    store: &mut Store,
    email: &str,
    municipalities: &[MunicipalityCode],
) -> Result<(), CommandError> {
    let user = account(store, email)?;
    Ok(manage::set_municipalities(store, &user, municipalities, ACTOR)?)
}

/// `kieskaart user reset`: the new activation link.
pub fn reset_user(store: &mut Store, email: &str, what: Reset, site: &str) -> Result<String, CommandError> {
    let user = account(store, email)?;
    let invitation = manage::reset(store, &user, what, ACTOR, chrono::Utc::now())?;
    Ok(link(site, &invitation.secret))
}
