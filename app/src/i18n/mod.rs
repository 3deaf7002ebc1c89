//! Every word a voter reads, in each language Kieskaart speaks.
//!
//! A language is one file here holding one [`Texts`]; adding a third
//! language means writing that file and naming it in [`Language`]. The
//! compiler then refuses to build until every text is given, so no page can
//! fall back to Dutch halfway through.
//!
//! The server picks the language (`?taal=` in the URL, then the `taal`
//! cookie that choice leaves, then the browser's `Accept-Language`; in an
//! embed `?lang=`, then `Accept-Language`) and
//! writes it into `<html lang>`; the browser reads it back from there, so
//! hydration renders exactly what the server did.

mod en;
mod nl;

use crate::model::{AccessField, Availability, ElectionKind, Feature, MunicipalityRule, Toilet};
use chrono::{Datelike, NaiveDateTime, Timelike};
use leptos::prelude::*;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Language {
    #[default]
    Nl,
    En,
}

/// The query parameter and cookie that carry a voter's choice.
pub const LANGUAGE_PARAM: &str = "taal";

impl Language {
    pub const ALL: [Language; 2] = [Language::Nl, Language::En];

    /// The BCP 47 code, as in `<html lang>` and `?taal=`.
    pub fn code(self) -> &'static str {
        match self {
            Language::Nl => "nl",
            Language::En => "en",
        }
    }

    pub fn texts(self) -> &'static Texts {
        match self {
            Language::Nl => &nl::TEXTS,
            Language::En => &en::TEXTS,
        }
    }

    /// Accepts a code with or without region (`en`, `en-GB`, `NL`).
    pub fn from_code(code: &str) -> Option<Language> {
        let primary = code.split(['-', '_']).next().unwrap_or_default();
        Language::ALL.into_iter().find(|language| language.code().eq_ignore_ascii_case(primary))
    }

    /// The first language the browser asks for that we speak.
    #[cfg(feature = "ssr")]
    pub fn negotiate(accept_language: &str) -> Option<Language> {
        accept_language::parse(accept_language).iter().find_map(|tag| Language::from_code(tag))
    }

    /// The language chosen in a URL's query (`taal=en`), if any.
    pub fn chosen_in(query: &str) -> Option<Language> {
        query.split('&').find_map(|pair| match pair.split_once('=') {
            Some((LANGUAGE_PARAM, code)) => Language::from_code(code),
            _ => None,
        })
    }

    /// The page's language: chosen in the URL, remembered in the cookie, or
    /// asked for by the browser, in that order.
    #[cfg(feature = "ssr")]
    pub fn of_request(parts: &http::request::Parts) -> Language {
        let asked = || {
            parts
                .headers
                .get(http::header::ACCEPT_LANGUAGE)
                .and_then(|value| value.to_str().ok())
                .and_then(Language::negotiate)
        };
        if crate::embed::is_embed_path(parts.uri.path()) {
            // An embed speaks as its host asks (`lang=`), else as the
            // reader's browser; it keeps no cookie.
            let chosen =
                crate::embed::Embed::from_query_string(parts.uri.query().unwrap_or_default()).language;
            return chosen.or_else(asked).unwrap_or_default();
        }
        let in_url = parts.uri.query().and_then(Language::chosen_in);
        let remembered = || {
            parts
                .headers
                .get_all(http::header::COOKIE)
                .iter()
                .filter_map(|value| value.to_str().ok())
                .find_map(|cookies| {
                    cookies.split(';').find_map(|cookie| match cookie.trim().split_once('=') {
                        Some((LANGUAGE_PARAM, code)) => Language::from_code(code),
                        _ => None,
                    })
                })
        };
        in_url.or_else(remembered).or_else(asked).unwrap_or_default()
    }

    /// In the browser: the language the server rendered the page in.
    pub fn of_document() -> Language {
        #[cfg(feature = "hydrate")]
        if let Some(lang) = web_sys::window()
            .and_then(|window| window.document())
            .and_then(|document| document.document_element())
            .and_then(|html| html.get_attribute("lang"))
        {
            return Language::from_code(&lang).unwrap_or_default();
        }
        Language::default()
    }
}

/// The language of the page being rendered: on the server, as the shell
/// settled it; in an island, as the page says.
pub fn use_language() -> Language {
    use_context::<Language>().unwrap_or_else(Language::of_document)
}

/// The texts of the page being rendered.
pub fn use_texts() -> &'static Texts {
    use_language().texts()
}

/// How the accessibility features are grouped in the search form: the way
/// voters think of them, not the order of the standard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FeatureGroup {
    Mobility,
    Sight,
    Hearing,
    Other,
}

/// All texts of one language. Plain fields are fixed phrases; functions
/// fill in names and numbers, since word order differs between languages.
pub struct Texts {
    /// The language's name in itself, for the switch ("English").
    pub name: &'static str,
    /// "Taal" / "Language", naming the switch for screen readers.
    pub language_switch: &'static str,
    pub site_title: &'static str,
    pub meta_description: &'static str,
    pub skip_to_content: &'static str,
    pub footer_data: &'static str,
    pub footer_about: &'static str,
    pub loading: &'static str,
    pub not_found: &'static str,
    pub find_a_station: &'static str,

    // The search form.
    pub search_heading: &'static str,
    pub election_label: &'static str,
    pub past_election: fn(&str) -> String,
    pub query_label: &'static str,
    pub query_placeholder: &'static str,
    pub accessibility: &'static str,
    pub chosen: fn(usize) -> String,
    pub group: fn(FeatureGroup) -> &'static str,
    pub open_now_only: &'static str,
    pub search: &'static str,
    pub use_my_location: &'static str,
    pub locating: &'static str,
    pub no_geolocation: &'static str,
    pub impossible_position: &'static str,
    pub location_denied: &'static str,
    pub location_failed: &'static str,

    // Search results.
    pub no_elections: &'static str,
    pub unknown_election: fn(&str) -> String,
    pub place_not_found: fn(&str) -> String,
    /// The search text is longer than this many characters.
    pub query_too_long: fn(usize) -> String,
    pub invalid_query: fn(&str) -> String,
    pub none_open_now: &'static str,
    pub none_matching: &'static str,
    pub none_at_all: &'static str,
    pub stations_near: fn(&str) -> String,
    pub your_location: &'static str,
    pub home_note: fn(&str, Option<MunicipalityRule>) -> String,
    pub elsewhere_note: fn(&str, MunicipalityRule) -> String,
    pub as_the_crow_flies: fn(&str) -> String,

    // One station.
    pub feature: fn(Feature) -> &'static str,
    pub not_wheelchair: &'static str,
    pub open_until: fn(&str) -> String,
    pub opens_today_at: fn(&str) -> String,
    pub closed_today: &'static str,
    pub municipality: fn(&str) -> String,
    pub route: &'static str,
    pub open_in_map_app: &'static str,
    pub all_stations_in: fn(&str) -> String,
    pub search_another: &'static str,
    pub search_nearest: &'static str,
    pub stations_in: fn(&str) -> String,
    pub station_count: fn(usize) -> String,
    /// Names the map for screen readers, and points them to the list.
    pub map_label: &'static str,
    /// The tooltip on the searched position.
    pub your_search: &'static str,

    /// The about page, whose prose and links do not split into phrases.
    pub about: fn() -> AnyView,
    pub about_title: &'static str,

    // The open-data page: prose on licence, source, formats and the
    // catalogue, then the downloads of each election.
    pub data_intro: fn() -> AnyView,
    pub data_title: &'static str,
    /// "1.788 stembureaus van 70 gemeenten".
    pub data_summary: fn(usize, usize) -> String,
    pub data_everything: &'static str,
    pub data_per_municipality: &'static str,
    /// Column heads: municipality, stations, downloads.
    pub data_columns: [&'static str; 3],

    /// The credit line under an embed, linking to the full site.
    pub embed_credit: &'static str,
    pub builder: BuilderTexts,

    // Dates and numbers.
    pub weekdays: [&'static str; 7],
    pub months: [&'static str; 12],
    pub decimal_separator: char,

    // Issue 23, part 1: reporting a problem with a station.
    pub report: crate::report::ReportTexts,
    // Issue 23, part 2: coverage (`/dekking`) and the answer in a
    // municipality that has not published.
    pub coverage: CoverageTexts,
    // Issue 23, part 4: the change feed, linked from /data.
    /// Before the feed's links: "Changes, one entry per publication".
    pub data_changes: &'static str,
    /// The feeds' names for screen readers: "Atom feed of the changes to …".
    pub data_changes_label: fn(&str, &str) -> String,
    // Issue 23, part 3: what to bring and where you may vote.
    pub bring: BringTexts,
}

/// Issue 23, part 3: the card on what to bring and where one may vote
/// (results and station pages), a station's accessibility in three
/// states, and its calendar file. The rules differ per kind of election
/// (`../shared/docs/station-data.md`), so the texts that state them take
/// the kind and each language says every case.
pub struct BringTexts {
    pub heading: &'static str,
    /// The stempas and an identity document, given the oldest expiry date
    /// still accepted (written out, "20 maart 2025").
    pub id_rule: fn(&str) -> String,
    pub where_summary: &'static str,
    /// Where the stempas and, if there is one, the kiezerspas let one vote.
    pub where_rule: fn(ElectionKind) -> &'static str,
    /// How to get a kiezerspas, for the kinds that have one.
    pub voter_pass_how: &'static str,
    pub proxy_summary: &'static str,
    pub proxy: &'static str,
    /// Where the proxy may live, which depends on the election's area.
    pub proxy_elsewhere: fn(ElectionKind) -> &'static str,
    pub lost_card_summary: &'static str,
    pub lost_card: &'static str,
    /// What "bijzonder" means for access, on the card.
    pub special_stations: &'static str,
    /// The same, said of one station in its facts.
    pub special_station: &'static str,

    pub access_heading: &'static str,
    /// Sub-heads when the voter searched with needs: those first.
    pub access_searched: &'static str,
    pub access_other: &'static str,
    pub availability: fn(Availability) -> &'static str,
    /// After "accessible toilet: no" when the station has another toilet
    /// (`Toilet::Yes` or `Toilet::GenderNeutral`); `None` for the others.
    pub other_toilet: fn(Toilet) -> Option<&'static str>,

    /// The link to the station's calendar file.
    pub add_to_calendar: &'static str,
    /// The event's title, given the station's name.
    pub calendar_event: fn(&str) -> String,
    /// The event's description, before the link to the station page.
    pub calendar_description: &'static str,
    pub calendar_not_found: &'static str,
    pub calendar_not_found_hint: &'static str,
}

/// The embed builder page (`/insluiten`).
pub struct BuilderTexts {
    pub title: &'static str,
    pub intro: &'static str,
    pub election: &'static str,
    pub municipality: &'static str,
    pub whole_country: &'static str,
    pub language: &'static str,
    /// The choice that leaves the language to the reader's browser.
    pub readers_language: &'static str,
    pub search_form: &'static str,
    pub map: &'static str,
    pub shown: &'static str,
    pub hidden: &'static str,
    pub theme: &'static str,
    pub light: &'static str,
    pub dark: &'static str,
    pub accent: &'static str,
    pub update: &'static str,
    pub preview: &'static str,
    pub snippet: &'static str,
    pub snippet_hint: &'static str,
    pub copy: &'static str,
    pub copied: &'static str,
    pub copy_failed: &'static str,
    /// The embed iframe's title, for screen readers on the host's page.
    pub frame_title: &'static str,
}

/// The coverage page and the "not published" answer (issue 23, part 2).
pub struct CoverageTexts {
    /// The page's path in this language (`/dekking`, `/coverage`); both
    /// paths show the page in the language the visitor chose.
    pub path: &'static str,
    /// The footer's link.
    pub link: &'static str,
    pub title: &'static str,
    pub intro: &'static str,
    /// The button of the election chooser.
    pub show: &'static str,
    /// Published municipalities, all municipalities, stations.
    pub totals: fn(usize, usize, usize) -> String,
    pub map_title: &'static str,
    /// Says where the same figures are for those who cannot see the map.
    pub map_description: &'static str,
    pub legend: &'static str,
    pub published: &'static str,
    pub not_published: &'static str,
    /// What the legend's swatches look like, in words.
    pub published_look: &'static str,
    pub not_published_look: &'static str,
    pub national_caption: &'static str,
    /// Column heads of the national table: field, yes, no, unknown.
    pub national_columns: [&'static str; 4],
    /// Says that each item's cell holds yes / no / unknown.
    pub table_caption: &'static str,
    /// Column heads: municipality, state, stations, published.
    pub table_columns: [&'static str; 4],
    /// Each accessibility field, short, as a column head.
    pub field: fn(AccessField) -> &'static str,
    pub downloads: &'static str,
    /// The CSV's link on `/data`.
    pub csv: &'static str,
    /// "The municipality of X has not published …".
    pub home_not_published: fn(&str) -> String,
    pub website: fn(&str) -> String,
    pub contact: &'static str,
    /// What to do without any contact details.
    pub check_poll_card: fn(&str) -> String,
    pub nearest_elsewhere: &'static str,
    /// Marks a station in another municipality when no rule says more.
    pub in_other_municipality: fn(&str) -> String,
}

impl Texts {
    /// "350 m" under a kilometre (to 10 m: finer suggests a precision the
    /// data lacks), "1,2 km" or "1.2 km" above it.
    pub fn distance(&self, metres: f64) -> String {
        if metres < 995.0 {
            format!("{} m", ((metres / 10.0).round() * 10.0) as u64)
        } else {
            format!("{:.1} km", metres / 1000.0).replace('.', &self.decimal_separator.to_string())
        }
    }

    /// "07:30": both languages use the 24-hour clock on polling cards.
    pub fn clock(&self, time: NaiveDateTime) -> String {
        format!("{:02}:{:02}", time.hour(), time.minute())
    }

    /// "woensdag 18 maart", "Wednesday 18 March".
    pub fn day(&self, time: NaiveDateTime) -> String {
        let date = time.date();
        format!(
            "{} {} {}",
            self.weekdays[date.weekday().num_days_from_monday() as usize],
            date.day(),
            self.months[date.month0() as usize]
        )
    }

    /// "Stembureaus in Oudewater – Kieskaart".
    pub fn page_title(&self, subject: &str) -> String {
        format!("{subject} – Kieskaart")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_read_naturally() {
        let nl = Language::Nl.texts();
        assert_eq!(nl.distance(0.0), "0 m");
        assert_eq!(nl.distance(346.0), "350 m");
        assert_eq!(nl.distance(994.0), "990 m");
        assert_eq!(nl.distance(996.0), "1,0 km");
        assert_eq!(nl.distance(12_345.0), "12,3 km");
        assert_eq!(Language::En.texts().distance(12_345.0), "12.3 km");
    }

    #[test]
    fn days_in_each_language() {
        let time: NaiveDateTime = "2026-03-18T07:30:00".parse().unwrap();
        assert_eq!(Language::Nl.texts().clock(time), "07:30");
        assert_eq!(Language::Nl.texts().day(time), "woensdag 18 maart");
        assert_eq!(Language::En.texts().day(time), "Wednesday 18 March");
    }

    #[test]
    fn codes_with_regions_are_understood() {
        assert_eq!(Language::from_code("en-GB"), Some(Language::En));
        assert_eq!(Language::from_code("NL"), Some(Language::Nl));
        assert_eq!(Language::from_code("de"), None);
        for language in Language::ALL {
            assert_eq!(Language::from_code(language.code()), Some(language));
        }
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn the_browser_preference_is_followed_in_order() {
        assert_eq!(Language::negotiate("de-DE,en;q=0.8,nl;q=0.5"), Some(Language::En));
        assert_eq!(Language::negotiate("nl-BE, en;q=0.9"), Some(Language::Nl));
        assert_eq!(Language::negotiate("en;q=0.3, nl;q=0.7"), Some(Language::Nl));
        assert_eq!(Language::negotiate("fr, de"), None);
        assert_eq!(Language::negotiate(""), None);
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn a_choice_in_the_url_beats_the_cookie_which_beats_the_browser() {
        let parts = |uri: &str, cookie: Option<&str>| {
            let mut request = http::Request::builder().uri(uri).header("accept-language", "en-US,en;q=0.9");
            if let Some(cookie) = cookie {
                request = request.header("cookie", cookie);
            }
            request.body(()).unwrap().into_parts().0
        };
        assert_eq!(Language::of_request(&parts("/", None)), Language::En);
        assert_eq!(Language::of_request(&parts("/", Some("a=b; taal=nl"))), Language::Nl);
        assert_eq!(Language::of_request(&parts("/?q=x&taal=en", Some("taal=nl"))), Language::En);
        assert_eq!(Language::of_request(&parts("/?taal=xx", Some("taal=nl"))), Language::Nl);
    }
}
