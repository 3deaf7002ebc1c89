//! The change feed as documents: JSON Feed 1.1 and Atom (RFC 4287), a page
//! of the newest entries at a time with RFC 5005 links to older pages.
//! Pure: entries in, bytes out; the HTTP side is `crate::http::changes`.
//!
//! Both formats say the same: JSON Feed items carry the entry's data in a
//! `_kieskaart` extension object (what a script reads, and what webhooks
//! receive), and Atom entries say it as text, for feed readers.

use crate::opendata::ExportFormat;
use crate::store::{Publication, Summary};
use app::model::Election;
use quick_xml::escape::escape;
use serde_json::json;
use std::fmt::Write;

/// Entries on one page of the feed: a few weeks of a busy election.
pub const PAGE: usize = 50;

/// The two formats of the feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Atom,
    JsonFeed,
}

impl Format {
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Atom => "application/atom+xml",
            Format::JsonFeed => "application/feed+json",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Atom => "atom",
            Format::JsonFeed => "json",
        }
    }
}

/// One page of an election's feed.
pub struct Page<'a> {
    pub election: &'a Election,
    /// Newest first, at most [`PAGE`].
    pub entries: &'a [Publication],
    /// Where the page starts: entries older than this id; `None` for the
    /// newest.
    pub before: Option<i64>,
    /// Whether there are older entries than these.
    pub more: bool,
    /// The site's origin, which every link starts with.
    pub origin: &'a str,
}

impl Page<'_> {
    fn feed_url(&self, format: Format) -> String {
        format!("{}/data/{}/changes.{}", self.origin, self.election.id, format.extension())
    }

    fn self_url(&self, format: Format) -> String {
        match self.before {
            Some(before) => format!("{}?before={before}", self.feed_url(format)),
            None => self.feed_url(format),
        }
    }

    /// The page of older entries, when there are any.
    fn next_url(&self, format: Format) -> Option<String> {
        let oldest = self.entries.last().filter(|_| self.more)?;
        Some(format!("{}?before={}", self.feed_url(format), oldest.id))
    }

    fn title(&self) -> String {
        format!("Kieskaart: changes to the polling stations of {}", self.election.name)
    }
}

/// An entry's id, for both formats: an IRI that stays as long as the site.
fn entry_id(origin: &str, publication: &Publication) -> String {
    format!("{origin}/data/{}/changes#publication-{}", publication.entry.election, publication.id)
}

/// The downloads of the version the entry published: files that never
/// change, like the entry (see `crate::http::changes`).
fn downloads(origin: &str, publication: &Publication) -> Vec<(ExportFormat, String)> {
    let entry = &publication.entry;
    ExportFormat::ALL
        .into_iter()
        .map(|format| {
            let (election, version, code) = (&entry.election, entry.version, &entry.municipality);
            let url = format!("{origin}/data/{election}/versions/{version}/{code}.{}", format.extension());
            (format, url)
        })
        .collect()
}

fn title(publication: &Publication) -> String {
    let entry = &publication.entry;
    format!("{} ({}) published version {}", entry.municipality_name, entry.municipality, entry.version)
}

/// The summary in a line: what a feed reader shows.
fn summary_line(summary: &Summary) -> String {
    let mut fields: Vec<&str> =
        summary.changed.iter().flat_map(|change| change.fields.iter().map(String::as_str)).collect();
    fields.sort_unstable();
    fields.dedup();
    let mut line = format!(
        "{} added, {} removed, {} changed",
        summary.added.len(),
        summary.removed.len(),
        summary.changed.len()
    );
    if !fields.is_empty() {
        let _ = write!(line, " (fields: {})", fields.join(", "));
    }
    line
}

/// The summary in full, as plain text: one line per station.
fn summary_text(publication: &Publication) -> String {
    let entry = &publication.entry;
    let summary = &entry.summary;
    let mut text = summary_line(summary);
    let _ = write!(text, "\nPublished by: {}", entry.via.slug());
    match entry.previous {
        Some(previous) => {
            let _ = write!(text, "; replaces version {previous}.");
        }
        None => text.push_str("; the municipality's first publication in this feed."),
    }
    for name in &summary.added {
        let _ = write!(text, "\nAdded: {name}");
    }
    for name in &summary.removed {
        let _ = write!(text, "\nRemoved: {name}");
    }
    for change in &summary.changed {
        let _ = write!(text, "\nChanged: {} ({})", change.station, change.fields.join(", "));
    }
    text
}

/// An entry as a JSON Feed item: also the body of a webhook delivery.
pub fn item(origin: &str, publication: &Publication) -> serde_json::Value {
    let entry = &publication.entry;
    let files: serde_json::Map<_, _> = downloads(origin, publication)
        .into_iter()
        .map(|(format, url)| (format.extension().to_owned(), json!(url)))
        .collect();
    json!({
        "id": entry_id(origin, publication),
        "title": title(publication),
        "summary": summary_line(&entry.summary),
        "content_text": summary_text(publication),
        "date_published": entry.at,
        "authors": [{"name": entry.via.slug()}],
        "tags": [entry.municipality.as_str(), entry.via.slug()],
        "attachments": downloads(origin, publication)
            .into_iter()
            .map(|(format, url)| json!({"url": url, "mime_type": format.media_type()}))
            .collect::<Vec<_>>(),
        "_kieskaart": {
            "election": entry.election.as_str(),
            "municipality": {"code": entry.municipality.as_str(), "name": entry.municipality_name},
            "version": entry.version,
            "previous_version": entry.previous,
            "published_by": entry.via.slug(),
            "added": entry.summary.added,
            "removed": entry.summary.removed,
            "changed": entry.summary.changed,
            "downloads": files,
        },
    })
}

/// The page as JSON Feed 1.1.
pub fn json_feed(page: &Page<'_>) -> Vec<u8> {
    let mut feed = json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": page.title(),
        "home_page_url": format!("{}/data", page.origin),
        "feed_url": page.self_url(Format::JsonFeed),
        "description": "One entry per publication of a municipality's polling stations, \
                        with what changed against the version it replaced.",
        "language": "en",
        "items": page.entries.iter().map(|publication| item(page.origin, publication)).collect::<Vec<_>>(),
    });
    if let Some(next) = page.next_url(Format::JsonFeed) {
        feed["next_url"] = json!(next);
    }
    // A tree of strings and numbers always serialises.
    serde_json::to_vec_pretty(&feed).unwrap_or_default()
}

/// The page as Atom. Every text is escaped: municipalities and stations
/// name themselves, and a name is not markup.
pub fn atom(page: &Page<'_>) -> Vec<u8> {
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    xml.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"en\">\n");
    let feed_id = page.feed_url(Format::Atom);
    let _ = writeln!(xml, "  <id>{}</id>", xml_text(&feed_id));
    let _ = writeln!(xml, "  <title>{}</title>", xml_text(&page.title()));
    // The newest entry's time; an empty feed has not changed since the
    // election was set up, which its polling day stands for.
    let updated = page.entries.first().map_or_else(
        || format!("{}T00:00:00Z", page.election.polling_date),
        |newest| newest.entry.at.clone(),
    );
    let _ = writeln!(xml, "  <updated>{}</updated>", xml_text(&updated));
    xml.push_str("  <author><name>Kieskaart</name></author>\n");
    let link = |xml: &mut String, rel: &str, media: &str, href: &str| {
        let _ = writeln!(xml, "  <link rel=\"{rel}\" type=\"{media}\" href=\"{}\"/>", xml_text(href));
    };
    link(&mut xml, "self", Format::Atom.media_type(), &page.self_url(Format::Atom));
    link(&mut xml, "first", Format::Atom.media_type(), &page.feed_url(Format::Atom));
    link(&mut xml, "alternate", Format::JsonFeed.media_type(), &page.self_url(Format::JsonFeed));
    if let Some(next) = page.next_url(Format::Atom) {
        link(&mut xml, "next", Format::Atom.media_type(), &next);
    }
    for publication in page.entries {
        atom_entry(&mut xml, page.origin, publication);
    }
    xml.push_str("</feed>\n");
    xml.into_bytes()
}

fn atom_entry(xml: &mut String, origin: &str, publication: &Publication) {
    let entry = &publication.entry;
    xml.push_str("  <entry>\n");
    let _ = writeln!(xml, "    <id>{}</id>", xml_text(&entry_id(origin, publication)));
    let _ = writeln!(xml, "    <title>{}</title>", xml_text(&title(publication)));
    let _ = writeln!(xml, "    <published>{}</published>", xml_text(&entry.at));
    let _ = writeln!(xml, "    <updated>{}</updated>", xml_text(&entry.at));
    let _ = writeln!(xml, "    <author><name>{}</name></author>", entry.via.slug());
    let _ = writeln!(xml, "    <category term=\"{}\"/>", xml_text(entry.municipality.as_str()));
    for (format, url) in downloads(origin, publication) {
        let _ = writeln!(
            xml,
            "    <link rel=\"enclosure\" type=\"{}\" href=\"{}\"/>",
            xml_text(format.media_type()),
            xml_text(&url)
        );
    }
    let _ = writeln!(xml, "    <summary type=\"text\">{}</summary>", xml_text(&summary_line(&entry.summary)));
    let _ = writeln!(xml, "    <content type=\"text\">{}</content>", xml_text(&summary_text(publication)));
    xml.push_str("  </entry>\n");
}

/// Text as XML content or attribute value: escaped, and with the control
/// characters XML 1.0 cannot hold replaced, so that no name a municipality
/// typed can make the feed ill-formed.
fn xml_text(text: &str) -> String {
    let allowed =
        |c: char| !c.is_control() || matches!(c, '\t' | '\n' | '\r') || ('\u{80}'..='\u{9f}').contains(&c);
    let clean: String = text.chars().map(|c| if allowed(c) { c } else { '\u{fffd}' }).collect();
    escape(clean.as_str()).into_owned()
}
