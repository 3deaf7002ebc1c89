//! "Klopt er iets niet?": the link from a station (its page, or its entry
//! in a list of results) to the form that reports a problem with it.

use crate::i18n::use_texts;
use crate::report::{form_path, linked_here};
use leptos::prelude::*;

/// The link to report a problem with the station whose page is `page`
/// (`/s/{election}/{id}`) and whose name is `name`. Inside an embed it
/// stays in the embed, with the host's settings, so the form opens in the
/// host's page and looks as the host asked.
#[component]
pub fn ReportLink(page: String, name: String) -> impl IntoView {
    let texts = use_texts();
    let href = linked_here(&form_path(&page));
    view! {
        <p class="report-link">
            <a href=href aria-label=(texts.report.link_label)(&name)>{texts.report.link}</a>
        </p>
    }
}
