//! English, for the many voters in the Netherlands who read it more easily
//! than Dutch. Dutch terms voters meet on their polling card are kept in
//! brackets (stempas, kiezerspas).

use super::{BringTexts, BuilderTexts, CoverageTexts, FeatureGroup, Texts};
use crate::model::{AccessField, Availability, ElectionKind, Feature, MunicipalityRule, Toilet};
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

    // Issue 23, part 3: what to bring and where you may vote.
    bring: BringTexts {
        heading: "What to bring",
        id_rule: |date| {
            format!(
                "Your poll card (stempas) and a valid identity document: a passport, identity card, driving \
                 licence or residence document. It may have expired, but by no more than five years: a document \
                 that expired on or after {date} is accepted. Without both you cannot vote."
            )
        },
        where_summary: "Where you may vote: the voter's pass (kiezerspas)",
        where_rule: |kind| match kind {
            ElectionKind::Gr => {
                "With your poll card you can vote at any polling station in your own municipality. Municipal \
                 elections have no voter's pass: you cannot vote in another municipality."
            }
            ElectionKind::Tk | ElectionKind::Ep => {
                "With your poll card you can vote at any polling station in your own municipality. With a \
                 voter's pass (kiezerspas) you can vote at any polling station in the Netherlands."
            }
            ElectionKind::Ps => {
                "With your poll card you can vote at any polling station in your own municipality. With a \
                 voter's pass (kiezerspas) you can vote at any polling station in your province."
            }
            ElectionKind::Ws => {
                "With your poll card you can vote at any polling station in your own municipality. With a \
                 voter's pass (kiezerspas) you can vote at any polling station in your water board's area."
            }
            ElectionKind::Referendum => {
                "With your poll card you can vote at any polling station in your own municipality. With a \
                 voter's pass (kiezerspas) you can also vote in another municipality within the area the \
                 referendum is held in."
            }
            ElectionKind::Ek => {
                "The Senate is elected by the members of the provincial councils; voters do not vote for it at \
                 a polling station."
            }
            ElectionKind::Other => {
                "With your poll card you can vote at any polling station in your own municipality. Whether a \
                 voter's pass (kiezerspas) lets you vote elsewhere is on your municipality's election website."
            }
        },
        voter_pass_how: "Ask your municipality for a voter's pass within the same deadlines as a replacement \
                         poll card (see below). It takes the place of your poll card.",
        proxy_summary: "Can't go yourself? Voting by proxy (volmacht)",
        proxy: "You can authorise another voter to vote for you: fill in and sign the back of your poll card \
                together. The proxy brings a copy of your identity document, casts your vote together with \
                their own, and may vote for at most two others.",
        proxy_elsewhere: |kind| match kind {
            ElectionKind::Gr | ElectionKind::Ek => "In this election the proxy must be a voter in your own \
                                                    municipality.",
            ElectionKind::Tk | ElectionKind::Ep => "With the poll card, the proxy must live in your municipality. \
                                                    For someone who lives elsewhere in the Netherlands, ask your \
                                                    municipality in writing for a proxy vote.",
            ElectionKind::Ps => "With the poll card, the proxy must live in your municipality. For someone who \
                                 lives elsewhere in your province, ask your municipality in writing for a proxy \
                                 vote.",
            ElectionKind::Ws => "With the poll card, the proxy must live in your municipality. For someone who \
                                 lives elsewhere in your water board's area, ask your municipality in writing for \
                                 a proxy vote.",
            ElectionKind::Referendum | ElectionKind::Other => "With the poll card, the proxy must live in your \
                                                               municipality. For someone who lives elsewhere, \
                                                               ask your municipality about a written proxy.",
        },
        lost_card_summary: "Lost your poll card, or never got one?",
        lost_card: "Ask your municipality for a replacement poll card (vervangende stempas): in writing up to \
                    five days before polling day, or in person until 12:00 on the day before. Your old poll card \
                    then stops being valid. The exact dates and where to go are on your municipality's election \
                    website.",
        special_stations: "A polling station of the type “special” (bijzonder) is, for example, in a hospital or \
                           care home, and may be only partly open to other voters. Ask your municipality before \
                           you go.",
        special_station: "Special polling station (for example in a care home): access for other voters may be \
                          limited.",

        access_heading: "Accessibility",
        access_searched: "What you searched for",
        access_other: "Other facilities",
        availability: |availability| match availability {
            Availability::Yes => "yes",
            Availability::No => "no",
            Availability::NotStated => "not stated by the municipality",
        },
        other_toilet: |toilet| match toilet {
            Toilet::Yes => Some("there is a toilet"),
            Toilet::GenderNeutral => Some("there is a gender-neutral toilet"),
            Toilet::No | Toilet::Accessible => None,
        },

        add_to_calendar: "Add to calendar",
        calendar_event: |station| format!("Vote at {station}"),
        calendar_description: "Bring your poll card (stempas) and a valid identity document.",
        calendar_not_found: "No such polling station",
        calendar_not_found_hint: "There is no calendar file at this address: the polling station is not, or no \
                                  longer, published. Please look it up again.",
    },
    // Issue 23, part 4: the change feed, linked from /data.
    data_changes: "Changes, one entry per publication",
    data_changes_label: |format, election| format!("{format} feed of the changes to {election}"),
    // Issue 23, part 2: coverage.
    coverage: CoverageTexts {
        path: "/coverage",
        link: "Coverage",
        title: "Coverage: which municipalities have published",
        intro: "Every municipality of the Netherlands in this election: whether it has published its polling \
                stations, how many, when, and how completely it describes their accessibility.",
        show: "Show",
        totals: |published, all, stations| {
            format!("{published} of the {all} municipalities have published {stations} polling stations between them.")
        },
        map_title: "Map of the Netherlands: which municipalities have published",
        map_description: "The table below gives the same information.",
        legend: "Legend",
        published: "Published",
        not_published: "Not published",
        published_look: "solid area",
        not_published_look: "hatched area",
        national_caption: "The whole country: share of polling stations per accessibility item, in per cent",
        national_columns: ["Item", "Yes", "No", "Unknown"],
        table_caption: "Every municipality. For each accessibility item, the share of polling stations, in per cent: yes / no / unknown.",
        table_columns: ["Municipality", "State", "Stations", "Published on"],
        field: |field| match field {
            AccessField::Wheelchair => "Wheelchair",
            AccessField::TransitStop => "Transit stop",
            AccessField::Toilet => "Toilet",
            AccessField::Host => "Host",
            AccessField::GuideLines => "Guide lines",
            AccessField::AudioAid => "Audio",
            AccessField::BrailleList => "Braille",
            AccessField::LargePrintList => "Large print",
            AccessField::SignLanguageInterpreter => "Interpreter",
            AccessField::SigningStaff => "Signing staff",
            AccessField::Acoustics => "Acoustics",
            AccessField::LowStimulus => "Low-stimulus",
            AccessField::BuddyPair => "Buddy pair",
        },
        downloads: "The same figures as CSV and through the API:",
        csv: "Coverage per municipality (CSV)",
        home_not_published: |name| {
            format!("The municipality of {name} has not (yet) published its polling stations for this election.")
        },
        website: |name| format!("Election page of the municipality of {name}"),
        contact: "Contact the municipality:",
        check_poll_card: |name| {
            format!(
                "Look at your poll card (stempas): it names a polling station. With your poll card you may \
                 vote at any polling station of the municipality of {name}; the municipality knows which they are."
            )
        },
        nearest_elsewhere: "Below are the nearest polling stations in other municipalities.",
        in_other_municipality: |name| format!("Another municipality: {name}"),
    },
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
