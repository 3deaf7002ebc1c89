//! "Klopt er iets niet?": the link from a station (its page, or its entry
//! in a list of results) to the form that reports a problem with it.

use crate::i18n::use_texts;
use crate::report::{form_path, linked_here};
use leptos::prelude::*;

/// The link to report a problem with the station whose page is `page`
/// (`/s/{election}/{id}`). Inside an embed it stays in the embed, with the
/// host's settings, so the form opens in the host's page and looks as the
/// host asked. Its name is the question alone: it stands in the station's
/// page or list item, which says which station (WCAG 2.4.4), and a name
/// that repeated the station's would make "the link named after the
/// station" ambiguous for voice control and for tests alike.
#[component]
pub fn ReportLink(page: String) -> impl IntoView {
    let texts = use_texts();
    let href = linked_here(&form_path(&page));
    view! {
        <p class="report-link">
            <a href=href>{texts.report.link}</a>
        </p>
    }
}
