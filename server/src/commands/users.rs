//! `kieskaart user`: portal accounts.

use super::CommandError;
use crate::accounts;
use crate::store::Store;
use app::model::MunicipalityCode;

/// `kieskaart user add`: a new account and its activation link.
pub fn add_user(
    store: &mut Store,
    email: &str,
    municipalities: &[MunicipalityCode],
    admin: bool,
    site: &str,
) -> Result<String, CommandError> {
    let email = accounts::Email::parse(email)?;
    let invitation = accounts::invite(store, &email, municipalities, admin, "cli", chrono::Utc::now())?;
    Ok(format!("{}{}", site.trim_end_matches('/'), accounts::activation_path(&invitation.secret)))
}
