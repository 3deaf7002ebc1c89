//! A voter's report of a problem with a station ("Klopt er iets niet?"):
//! what the form asks, and the one place that decides whether what was
//! typed may be stored. The page that shows the form and the server that
//! stores it both read these types, so a rule cannot differ between them.
//!
//! What a voter typed is kept as text and only ever shown as text (Leptos
//! escapes it, the portal too): markup in a report is harmless characters,
//! never HTML. Nothing here knows the voter's search or position, and
//! nothing asks for them.

use serde::{Deserialize, Serialize};

/// What is wrong, as the voter chooses it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Category {
    /// The marker is in the wrong place on the map.
    Location,
    Address,
    OpeningTimes,
    Accessibility,
    /// The station is closed, or has moved.
    ClosedOrMoved,
    Other,
}

impl Category {
    pub const ALL: [Category; 6] = [
        Category::Location,
        Category::Address,
        Category::OpeningTimes,
        Category::Accessibility,
        Category::ClosedOrMoved,
        Category::Other,
    ];

    /// The form's value and the store's: stable, whatever the texts say.
    pub fn code(self) -> &'static str {
        match self {
            Category::Location => "locatie",
            Category::Address => "adres",
            Category::OpeningTimes => "openingstijden",
            Category::Accessibility => "toegankelijkheid",
            Category::ClosedOrMoved => "gesloten-of-verplaatst",
            Category::Other => "anders",
        }
    }

    pub fn parse(code: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|category| category.code() == code)
    }
}

/// The most characters a report's text may have.
pub const MAX_TEXT_CHARS: usize = 1000;
/// The most characters an e-mail address may have (RFC 5321's path limit).
pub const MAX_EMAIL_CHARS: usize = 254;

/// The form as it was sent: every field as typed, so that a form with
/// errors comes back with the voter's words in it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReportForm {
    #[serde(default)]
    pub wat: String,
    #[serde(default)]
    pub tekst: String,
    #[serde(default)]
    pub email: String,
    /// The honeypot: hidden from people (and labelled "leave this empty"
    /// for screen readers that reach it); robots that fill every field
    /// fill it.
    #[serde(default)]
    pub website: String,
}

/// The names of the form's fields, which the page and its errors share.
pub mod field {
    pub const CATEGORY: &str = "wat";
    pub const TEXT: &str = "tekst";
    pub const EMAIL: &str = "email";
    pub const HONEYPOT: &str = "website";
}

/// The ids of the form's fields in the page, which the errors link to.
pub mod id {
    pub const CATEGORY: &str = "report-category";
    pub const TEXT: &str = "report-text";
    pub const EMAIL: &str = "report-email";
}

/// Why a form cannot be stored, one per field at most.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Problem {
    NoCategory,
    NoText,
    /// Longer than [`MAX_TEXT_CHARS`]; how many characters it has.
    TextTooLong(usize),
    Email,
}

impl Problem {
    /// The id of the field it is about, for the link from the error list.
    pub fn field(self) -> &'static str {
        match self {
            Problem::NoCategory => id::CATEGORY,
            Problem::NoText | Problem::TextTooLong(_) => id::TEXT,
            Problem::Email => id::EMAIL,
        }
    }
}

/// A report that may be stored.
#[derive(Clone, Debug, PartialEq)]
pub struct Filed {
    pub category: Category,
    pub text: String,
    pub email: Option<String>,
}

impl ReportForm {
    /// Whether the honeypot was filled: such a form gets the answer a
    /// stored one gets, and is not stored.
    pub fn is_bait(&self) -> bool {
        !self.website.trim().is_empty()
    }

    /// The report to store, or every field that must change.
    pub fn check(&self) -> Result<Filed, Vec<Problem>> {
        let mut problems = Vec::new();
        let category = Category::parse(self.wat.trim());
        if category.is_none() {
            problems.push(Problem::NoCategory);
        }
        let text = clean_text(&self.tekst);
        match text.chars().count() {
            0 => problems.push(Problem::NoText),
            count if count > MAX_TEXT_CHARS => problems.push(Problem::TextTooLong(count)),
            _ => {}
        }
        let email = self.email.trim();
        let email = (!email.is_empty()).then(|| email.to_owned());
        if email.as_deref().is_some_and(|email| !is_email(email)) {
            problems.push(Problem::Email);
        }
        match category {
            Some(category) if problems.is_empty() => Ok(Filed { category, text, email }),
            _ => Err(problems),
        }
    }
}

/// The text without surrounding space and without control characters
/// other than line breaks and tabs (which a textarea sends as CR LF).
fn clean_text(text: &str) -> String {
    text.trim()
        .replace("\r\n", "\n")
        .chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .collect()
}

/// Plausible enough to answer: one `@`, something before it, a domain
/// with a dot after it, no spaces or angle brackets, not too long. Whether
/// it exists only an answer can tell.
fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else { return false };
    let allowed = |c: char| !c.is_whitespace() && !c.is_control() && !matches!(c, '<' | '>' | '@' | ',');
    text.chars().count() <= MAX_EMAIL_CHARS
        && !local.is_empty()
        && local.chars().all(allowed)
        && domain.chars().all(allowed)
        && domain.split('.').count() >= 2
        && domain.split('.').all(|part| !part.is_empty())
}

/// `text` as the content of a `<textarea>`. Leptos writes a textarea's
/// children without escaping them (it treats the element like `<script>`),
/// so a voter's `</textarea><form …>` would end the field and become
/// markup; escaped, the browser decodes it back into the field's text.
pub fn textarea_text(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;")
}

/// What became of a form the server could not store, for the form page
/// to show with the voter's words kept.
#[derive(Clone, Debug, PartialEq)]
pub enum Refusal {
    /// Fix these fields.
    Invalid { form: ReportForm, problems: Vec<Problem> },
    /// Too many reports from this address, or from everyone, just now.
    TooMany { form: ReportForm },
    /// The store failed; nothing was stored.
    Unavailable { form: ReportForm },
}

impl Refusal {
    pub fn form(&self) -> &ReportForm {
        match self {
            Refusal::Invalid { form, .. } | Refusal::TooMany { form } | Refusal::Unavailable { form } => form,
        }
    }

    pub fn problems(&self) -> &[Problem] {
        match self {
            Refusal::Invalid { problems, .. } => problems,
            _ => &[],
        }
    }
}

/// Every word of the report form, its confirmation and the about page's
/// part on reports, in one language (see `crate::i18n`).
pub struct ReportTexts {
    /// The link on station pages and results: "Klopt er iets niet?".
    pub link: &'static str,
    /// The form page's heading, naming the station.
    pub title: fn(&str) -> String,
    /// Who gets the report (the municipality's name) and what happens.
    pub intro: fn(&str) -> String,
    pub category_legend: &'static str,
    pub category: fn(Category) -> &'static str,
    pub text_label: &'static str,
    pub text_hint: fn(usize) -> String,
    pub email_label: &'static str,
    pub email_hint: &'static str,
    pub honeypot_label: &'static str,
    pub send: &'static str,
    /// Above the list of errors.
    pub not_sent: &'static str,
    pub problem: fn(Problem) -> String,
    pub too_many: &'static str,
    pub unavailable: &'static str,
    pub sent_title: &'static str,
    /// After sending, naming the municipality.
    pub sent_body: fn(&str) -> String,
    pub back_to_station: &'static str,
    /// The about page's section on what is stored and for how long.
    pub about: fn() -> leptos::prelude::AnyView,
}

/// The path of the report form of a station page (`/s/…` or `/embed/s/…`).
pub fn form_path(station_page: &str) -> String {
    format!("{station_page}/melden")
}

/// The confirmation page after the form at `form_path`.
pub fn sent_path(form_path: &str) -> String {
    format!("{form_path}/verzonden")
}

/// `path` (of the site's own pages) inside the embed `embed`: under
/// `/embed` and with the host's settings, so the reader stays in the
/// host's page and its look.
pub fn in_embed(path: &str, embed: &crate::embed::Embed) -> String {
    let query: Vec<String> =
        embed.carried().into_iter().map(|(name, value)| format!("{name}={value}")).collect();
    let query = if query.is_empty() { String::new() } else { format!("?{}", query.join("&")) };
    format!("{}{path}{query}", crate::embed::EMBED_PREFIX)
}

/// `path` as the page being rendered links to it: [`in_embed`] when the
/// page is an embed.
pub fn linked_here(path: &str) -> String {
    match crate::embed::use_embed() {
        Some(embed) => in_embed(path, &embed),
        None => path.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(wat: &str, tekst: &str, email: &str) -> ReportForm {
        ReportForm { wat: wat.into(), tekst: tekst.into(), email: email.into(), website: String::new() }
    }

    #[test]
    fn a_good_form_is_filed_cleaned() {
        let filed = form("adres", "  Het huisnummer is 12.\r\nNiet 21.\u{7} ", " a@b.nl ").check().unwrap();
        assert_eq!(filed.category, Category::Address);
        assert_eq!(filed.text, "Het huisnummer is 12.\nNiet 21.");
        assert_eq!(filed.email.as_deref(), Some("a@b.nl"));
        assert_eq!(form("anders", "x", "").check().unwrap().email, None);
    }

    #[test]
    fn every_bad_field_is_named() {
        let long = "é".repeat(MAX_TEXT_CHARS + 1);
        assert_eq!(
            form("brand", &long, "geen adres").check(),
            Err(vec![Problem::NoCategory, Problem::TextTooLong(1001), Problem::Email])
        );
        assert_eq!(form("adres", "   ", "").check(), Err(vec![Problem::NoText]));
        // Exactly the limit, in characters, not bytes.
        assert!(form("adres", &"é".repeat(MAX_TEXT_CHARS), "").check().is_ok());
        for bad in ["a@b", "@b.nl", "a@@b.nl", "a b@c.nl", "<a@b.nl>", "a@b..nl"] {
            assert_eq!(form("adres", "x", bad).check(), Err(vec![Problem::Email]), "{bad}");
        }
    }

    #[test]
    fn a_textarea_cannot_be_closed_from_inside() {
        assert_eq!(textarea_text("a</textarea><b>&amp;"), "a&lt;/textarea>&lt;b>&amp;amp;");
    }

    #[test]
    fn categories_read_back_and_the_honeypot_is_seen() {
        for category in Category::ALL {
            assert_eq!(Category::parse(category.code()), Some(category));
        }
        assert!(ReportForm { website: "http://spam".into(), ..form("adres", "x", "") }.is_bait());
        assert!(!form("adres", "x", "").is_bait());
    }
}
