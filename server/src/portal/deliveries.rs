//! The admin's view of the change feed's webhooks: the latest deliveries,
//! delivered, pending or failed, with their attempts and last error, so
//! that a receiver that stopped answering is seen without reading logs.

use super::municipality::local_time;
use super::pages::{table, tr};
use crate::store::{DeliveryRow, DeliveryState};
use app::i18n::Language;
use leptos::prelude::*;

/// How many of the latest deliveries the overview lists.
pub const SHOWN: usize = 20;

fn state_text(language: Language, state: DeliveryState) -> &'static str {
    match state {
        DeliveryState::Pending => tr(language, "wacht", "pending"),
        DeliveryState::Delivered => tr(language, "afgeleverd", "delivered"),
        DeliveryState::Failed => tr(language, "mislukt", "failed"),
    }
}

/// The section of the admin overview; nothing when no webhook ever had a
/// delivery.
pub fn section(language: Language, deliveries: Vec<DeliveryRow>) -> Option<impl IntoView> {
    if deliveries.is_empty() {
        return None;
    }
    let rows = deliveries
        .into_iter()
        .map(|delivery| {
            let publication =
                format!("{} {} v{}", delivery.election, delivery.municipality, delivery.version);
            view! {
                <tr>
                    <td>{local_time(&delivery.updated_at)}</td>
                    <td>{delivery.url}</td>
                    <td>{publication}</td>
                    <td>{state_text(language, delivery.state)}</td>
                    <td>{delivery.attempts}</td>
                    <td>{delivery.last_error.unwrap_or_default()}</td>
                </tr>
            }
        })
        .collect_view();
    let columns = [
        ("Tijd", "Time"),
        ("Webhook", "Webhook"),
        ("Publicatie", "Publication"),
        ("Stand", "State"),
        ("Pogingen", "Attempts"),
        ("Laatste fout", "Last error"),
    ];
    Some(view! {
        <section>
            <h2 id="webhook-deliveries">{tr(language, "Webhooks van de wijzigingenfeed", "Change feed webhooks")}</h2>
            // URLs and errors make the table wider than a phone, and it
            // holds nothing focusable: the keyboard scrolls it as a region.
            <div class="scrolls" tabindex="0" role="region" aria-labelledby="webhook-deliveries">
                {table(language, &columns, rows)}
            </div>
        </section>
    })
}
