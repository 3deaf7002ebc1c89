//! `kieskaart webhook`: the URLs that receive every entry of an
//! election's change feed (see [`crate::changes::webhooks`]).

use super::CommandError;
use crate::changes::webhooks::{self, HookUrl};
use crate::store::Store;
use app::model::ElectionId;

/// A webhook just added: its secret is shown this once.
#[derive(Debug)]
pub struct NewWebhook {
    pub id: i64,
    pub url: String,
    pub secret: String,
}

/// `kieskaart webhook add URL --election ID`.
pub fn add_webhook(store: &mut Store, url: &str, election: &str) -> Result<NewWebhook, CommandError> {
    let url = HookUrl::parse(url).map_err(CommandError::Webhook)?;
    let id = ElectionId::parse(election).map_err(|e| CommandError::Election(format!("--election: {e}")))?;
    if store.election(&id)?.is_none() {
        return Err(CommandError::Election(format!(
            "there is no election {id}; `kieskaart election list` shows them"
        )));
    }
    let secret = webhooks::new_secret().map_err(|e| CommandError::Webhook(e.to_string()))?;
    let hook = store.add_webhook(&id, url.as_str(), &secret)?;
    store.record("cli", "webhook-added", None, &format!("webhook {hook} for {id}: {}", url.as_str()))?;
    Ok(NewWebhook { id: hook, url: url.as_str().to_owned(), secret })
}

/// `kieskaart webhook list`, as a table (without the secrets).
pub fn list_webhooks(store: &Store) -> Result<String, CommandError> {
    let mut table = format!("{:>4}  {:<12} {:<20} {}\n", "id", "election", "created", "url");
    for hook in store.webhooks()? {
        let created = hook.created_at.get(..19).unwrap_or(&hook.created_at);
        table.push_str(&format!(
            "{:>4}  {:<12} {created:<20} {}\n",
            hook.id,
            hook.election.as_str(),
            hook.url
        ));
    }
    Ok(table)
}

/// `kieskaart webhook remove ID`: its pending deliveries are given up.
pub fn remove_webhook(store: &mut Store, id: i64) -> Result<(), CommandError> {
    if !store.remove_webhook(id)? {
        return Err(CommandError::Webhook(format!("there is no webhook {id}: see `kieskaart webhook list`")));
    }
    store.record("cli", "webhook-removed", None, &format!("webhook {id}"))?;
    Ok(())
}
