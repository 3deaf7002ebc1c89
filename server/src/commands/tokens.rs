//! `kieskaart token` and `kieskaart audit`: vendor tokens, and the log of
//! who did what with them and everything else.

use super::CommandError;
use crate::store::{Logged, Store};
use crate::tokens;
use app::model::MunicipalityCode;

/// `kieskaart token create`: a new vendor token for a municipality.
pub fn create_token(
    store: &mut Store,
    municipality: &MunicipalityCode,
    label: &str,
) -> Result<tokens::NewToken, CommandError> {
    tokens::create(store, municipality, label, "cli").map_err(|e| CommandError::Token(e.to_string()))
}

/// `kieskaart token list`, as a table.
pub fn list_tokens(store: &Store) -> Result<String, CommandError> {
    let mut table = format!("{:>4}  {:<8} {:<26} {:<8} {}\n", "id", "code", "created", "state", "label");
    for token in store.tokens()? {
        let state = if token.revoked { "revoked" } else { "active" };
        let created = token.created_at.get(..19).unwrap_or(&token.created_at);
        table.push_str(&format!(
            "{:>4}  {:<8} {:<26} {:<8} {}\n",
            token.id, token.municipality, created, state, token.label
        ));
    }
    Ok(table)
}

/// `kieskaart token revoke`.
pub fn revoke_token(store: &mut Store, id: i64) -> Result<(), CommandError> {
    if !store.revoke_token(id)? {
        return Err(CommandError::Token(format!("there is no token {id}: see `kieskaart token list`")));
    }
    store.record("cli", "token-revoked", None, &format!("token {id}"))?;
    Ok(())
}

/// `kieskaart audit`: the latest entries, newest first.
pub fn audit_log(store: &Store, limit: usize) -> Result<String, CommandError> {
    let mut table = String::new();
    for Logged { entry, times, .. } in store.audit_log(limit)? {
        let at = entry.at.get(..19).unwrap_or(&entry.at);
        let code = entry.municipality.as_ref().map_or("-", MunicipalityCode::as_str);
        // A repeated attempt says how often it came within its window.
        let times = if times > 1 { format!(" ({times}×)") } else { String::new() };
        table.push_str(&format!(
            "{at}  {:<10} {:<16} {code:<8} {}{times}\n",
            entry.actor, entry.action, entry.detail
        ));
    }
    Ok(table)
}
