//! English, for the many voters in the Netherlands who read it more easily
//! than Dutch. Dutch terms voters meet on their polling card are kept in
//! brackets (stempas, kiezerspas).

use super::{BuilderTexts, FeatureGroup, Texts};
use crate::model::{Feature, MunicipalityRule};
use crate::report::{Category, Problem, ReportTexts, MAX_TEXT_CHARS};
use leptos::prelude::*;

pub static TEXTS: Texts = Texts {
    name: "English",
    language_switch: "Language",
    site_title: "Kieskaart: where can I vote?",
    meta_description: "Find the nearest polling station that suits you.",
    skip_to_content: "Skip to content",
    footer_data: "Data: the polling stations as municipalities publish them under the \
                  Polling Stations Open Data Standard (CC0). ",
    footer_about: "About Kieskaart, the data and your privacy",
    loading: "Loading…",
    not_found: "Page not found",
    find_a_station: "Find a polling station",

    search_heading: "Where can I vote?",
    election_label: "Election",
    past_election: |name| format!("{name} (past)"),
    query_label: "Postcode and house number, street or place",
    query_placeholder: "e.g. 3421 CT or Oudewater",
    accessibility: "Accessibility",
    chosen: |n| format!("{n} chosen"),
    group: |group| match group {
        FeatureGroup::Mobility => "Mobility",
        FeatureGroup::Sight => "Sight",
        FeatureGroup::Hearing => "Hearing",
        FeatureGroup::Other => "Other",
    },
    open_now_only: "Open now only",
    search: "Search",
    use_my_location: "Use my location",
    locating: "Asking for your location…",
    no_geolocation: "Your browser cannot share a location. Search by postcode or place.",
    impossible_position: "Your browser gave a location that cannot exist.",
    location_denied: "You did not allow access to your location. Search by postcode or place.",
    location_failed: "Your location could not be found. Search by postcode or place.",

    no_elections: "No polling stations have been loaded yet.",
    unknown_election: |id| format!("There is no election called “{id}”. Choose an election from the list."),
    place_not_found: |text| format!("We cannot find “{text}”. Try a postcode (1234 AB) or a place name."),
    query_too_long: |max| {
        format!("Your search is longer than {max} characters. Type a postcode (1234 AB), an address or a place name.")
    },
    invalid_query: |message| format!("This search is not valid: {message}"),
    none_open_now: "No polling station that meets your choices is open now. \
                    Untick “Open now only” to see when they open.",
    none_matching: "No polling station meets all the chosen requirements. Choose fewer.",
    none_at_all: "No polling stations are known for this election.",
    stations_near: |origin| format!("Polling stations near {origin}"),
    your_location: "your location",
    home_note: |municipality, rule| match rule {
        Some(MunicipalityRule::OwnMunicipalityOnly) => format!(
            "This point is in the municipality of {municipality}. In this election you vote in your own \
             municipality; its polling stations are listed first."
        ),
        Some(MunicipalityRule::OwnMunicipalityUnlessVoterPass) => format!(
            "This point is in the municipality of {municipality}. With your polling card (stempas) you vote \
             in your own municipality; its polling stations are listed first."
        ),
        None => format!("This point is in the municipality of {municipality}."),
    },
    elsewhere_note: |municipality, rule| match rule {
        MunicipalityRule::OwnMunicipalityOnly => {
            format!("Another municipality ({municipality}): you cannot vote here in this election.")
        }
        MunicipalityRule::OwnMunicipalityUnlessVoterPass => {
            format!("Another municipality ({municipality}): you can vote here only with a voter's pass (kiezerspas).")
        }
    },
    as_the_crow_flies: |distance| format!("{distance} as the crow flies"),

    feature: |feature| match feature {
        Feature::Wheelchair => "Accessible to wheelchair users",
        Feature::TransitStop => "Accessible public transport stop nearby",
        Feature::AccessibleToilet => "Accessible toilet",
        Feature::Host => "Host at the entrance",
        Feature::GuideLinesOutside => "Tactile guide lines outside",
        Feature::GuideLinesInside => "Tactile guide lines inside",
        Feature::AudioAid => "Voting booth with audio support",
        Feature::BrailleList => "Candidate list in braille",
        Feature::LargePrintList => "Candidate list in large print",
        Feature::SignLanguageOnSite => "Sign language interpreter (NGT) present",
        Feature::SignLanguageRemote => "Sign language interpreter (NGT) remotely",
        Feature::SigningStaff => "Staff member who signs",
        Feature::Acoustics => "Acoustics suited to people hard of hearing",
        Feature::LowStimulus => "Low-stimulus",
        Feature::BuddyPair => "Buddy pair (prokkelduo) present",
    },
    not_wheelchair: "Not accessible to wheelchair users",
    open_until: |time| format!("Open now, until {time}"),
    opens_today_at: |time| format!("Opens today at {time}"),
    closed_today: "Closed for today",
    municipality: |name| format!("Municipality of {name}"),
    route: "Directions (OpenStreetMap)",
    open_in_map_app: "Open in map app",
    all_stations_in: |name| format!("All polling stations in {name}"),
    search_another: "Find another polling station",
    search_nearest: "Find the polling station nearest to you",
    stations_in: |name| format!("Polling stations in {name}"),
    station_count: |n| match n {
        1 => "1 polling station".to_owned(),
        n => format!("{n} polling stations"),
    },
    map_label: "Map of the polling stations on this page",
    your_search: "Searched place",

    about,
    about_title: "About Kieskaart",

    data_intro,
    data_title: "Open data",
    data_summary: |stations, municipalities| {
        format!("{stations} polling stations of {municipalities} municipalities")
    },
    data_everything: "All polling stations",
    data_per_municipality: "By municipality",
    data_columns: ["Municipality", "Polling stations", "Downloads"],

    embed_credit: "Polling stations by Kieskaart",
    builder: BuilderTexts {
        title: "Kieskaart on your website",
        intro: "News sites and municipalities can put the finder inside their own page. Choose what readers \
                see, check the preview and paste the code into your page. The finder sets no cookies and tracks nobody.",
        election: "Election",
        municipality: "Municipality",
        whole_country: "All of the Netherlands",
        language: "Language of the finder",
        readers_language: "The reader's browser language",
        search_form: "Search form",
        map: "Map",
        shown: "Show",
        hidden: "Hide",
        theme: "Colours",
        light: "Light",
        dark: "Dark",
        accent: "Accent colour (hex, e.g. c00000; empty for the default)",
        update: "Update preview",
        preview: "Preview",
        snippet: "Code for your page",
        snippet_hint: "Paste this code where the finder should appear. The script fits the height to the content; \
                       without JavaScript the iframe in <noscript> shows the finder.",
        copy: "Copy the code",
        copied: "The code is on the clipboard.",
        copy_failed: "Copying failed: select the code and copy it yourself.",
        frame_title: "Kieskaart: find a polling station",
    },

    weekdays: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    months: [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    decimal_separator: '.',

    // Issue 23, part 1: reporting a problem with a station.
    report: ReportTexts {
        link: "Something wrong?",
        title: |name| format!("Report a problem: {name}"),
        intro: |municipality| {
            format!(
                "Your report goes to the municipality of {municipality}, which keeps this polling station's \
                 data. You do not need an account."
            )
        },
        category_legend: "What is wrong?",
        category: |category| match category {
            Category::Location => "The place on the map",
            Category::Address => "The address",
            Category::OpeningTimes => "The opening times",
            Category::Accessibility => "The accessibility",
            Category::ClosedOrMoved => "The polling station is closed or has moved",
            Category::Other => "Something else",
        },
        text_label: "What is the problem?",
        text_hint: |max| format!("Describe the problem in at most {max} characters."),
        email_label: "Your e-mail address (optional)",
        email_hint: "Only if you would like an answer. The municipality sees it; it is deleted as soon as the \
                     report is dealt with, and after 90 days at the latest.",
        honeypot_label: "Leave this field empty",
        send: "Send report",
        not_sent: "Your report was not sent. Please correct the following:",
        problem: |problem| match problem {
            Problem::NoCategory => "What is wrong? Choose one of the options.".to_owned(),
            Problem::NoText => "What is the problem? Describe it in a few words.".to_owned(),
            Problem::TextTooLong(count) => format!(
                "What is the problem? Your text has {count} characters; make it shorter than {}.",
                MAX_TEXT_CHARS + 1
            ),
            Problem::Email => "Your e-mail address: this is not an e-mail address (like name@example.org). \
                               Correct it, or leave the field empty."
                .to_owned(),
        },
        too_many: "Many reports were sent from your address, or in total, just now. Your report was not sent; \
                   please try again in an hour.",
        unavailable: "Something went wrong while storing; your report was not sent. Please try again in a \
                      minute.",
        sent_title: "Thank you for your report",
        sent_body: |municipality| {
            format!(
                "The municipality of {municipality} has received your report and will look into it. If you \
                 gave your e-mail address, the municipality can answer you."
            )
        },
        back_to_station: "Back to the polling station",
        about: about_reports,
    },
};

fn about() -> AnyView {
    view! {
        <section aria-labelledby="about-data">
            <h2 id="about-data">"Where the data comes from"</h2>
            <p>
                "Each municipality decides where its polling stations are, when they open and how "
                "accessible they are. Municipalities publish this under the "
                <a href="https://github.com/Stembureaus-Open-Data-Standaard" hreflang="nl">
                    "Polling Stations Open Data Standard"
                </a>
                ". Kieskaart shows it as the municipality published it; every earlier version is kept."
            </p>
            <p>
                "Is something wrong about a polling station? Please contact your municipality: "
                "its contact details are given with each polling station."
            </p>
        </section>
        <section aria-labelledby="about-licence">
            <h2 id="about-licence">"Licence"</h2>
            <p>
                "The polling station data is free to use under "
                <a href="https://creativecommons.org/publicdomain/zero/1.0/">"CC0 1.0"</a>
                ". Kieskaart's software is open source under the "
                <a href="https://interoperable-europe.ec.europa.eu/collection/eupl/eupl-text-eupl-12">
                    "European Union Public Licence 1.2 (EUPL)"
                </a>
                ". Anyone can also fetch the data through the "
                <a href="/api/v1/docs">"public API"</a>
                "."
            </p>
        </section>
        <section aria-labelledby="about-privacy">
            <h2 id="about-privacy">"Your privacy"</h2>
            <p>
                "Kieskaart does not track you. Only when you choose a language yourself does your "
                "browser keep that choice in a cookie. Your location is used only when you ask for it, "
                "and only to find polling stations nearby; it is not stored."
            </p>
            <p>
                "Kieskaart looks up a postcode or place name in its own list first. Only an address "
                "that is not in it goes to the government's "
                <a href="https://www.pdok.nl/introductie/-/article/pdok-locatieserver-1" hreflang="nl">
                    "PDOK Locatieserver"
                </a>
                ", without any information about you."
            </p>
        </section>
    }
    .into_any()
}

/// The open-data page's prose.
fn data_intro() -> AnyView {
    view! {
        <p>
            "Every polling station that municipalities publish through Kieskaart, to download: as CSV "
            "(UTF-8, with the field names of the "
            <a href="https://github.com/Stembureaus-Open-Data-Standaard">"Stembureaus Open Data Standaard"</a>
            "), as GeoJSON and as JSON the way a CKAN datastore gives it. Each file holds the data "
            "exactly as the municipality delivered it and can be imported again."
        </p>
        <p>
            "Source: the municipalities. Licence: "
            <a href="https://creativecommons.org/publicdomain/zero/1.0/" rel="license">"CC0 1.0"</a>
            ", free to use without conditions. Data portals can harvest the "
            <a href="/data/catalog.jsonld" type="application/ld+json">"catalogue (DCAT-AP, JSON-LD)"</a>
            "; single stations are available from the "
            <a href="/api/v1/docs">"API"</a>
            "."
        </p>
    }
    .into_any()
}

/// The about page's part on reports.
fn about_reports() -> AnyView {
    view! {
        <section aria-labelledby="about-reports">
            <h2 id="about-reports">"When you report a problem"</h2>
            <p>
                "With “Something wrong?” on a polling station you send its municipality a report. "
                "Kieskaart then keeps which polling station it is about and which version of the data "
                "you saw, what you chose and typed, when, and your e-mail address if you gave it. Not "
                "what you searched for, and not where you are."
            </p>
            <p>
                "Only the polling station's municipality sees the report. Your e-mail address is deleted "
                "as soon as the municipality deals with the report or sets it aside, and after 90 days "
                "in any case."
            </p>
        </section>
    }
    .into_any()
}
