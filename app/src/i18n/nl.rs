//! Nederlands: the default, and the language of the data standard.

use super::{BringTexts, BuilderTexts, CoverageTexts, FeatureGroup, Texts};
use crate::model::{AccessField, Availability, ElectionKind, Feature, MunicipalityRule, Toilet};
use crate::report::{Category, Problem, ReportTexts, MAX_TEXT_CHARS};
use leptos::prelude::*;

pub static TEXTS: Texts = Texts {
    name: "Nederlands",
    language_switch: "Taal",
    site_title: "Kieskaart: waar kan ik stemmen?",
    meta_description: "Vind het dichtstbijzijnde stembureau dat bij u past.",
    skip_to_content: "Naar de inhoud",
    footer_data: "Gegevens: de stembureaus zoals gemeenten ze publiceren volgens de \
                  Stembureaus Open Data Standaard (CC0). ",
    footer_about: "Over Kieskaart, de gegevens en uw privacy",
    loading: "Bezig met laden…",
    not_found: "Pagina niet gevonden",
    find_a_station: "Zoek een stembureau",

    search_heading: "Waar kan ik stemmen?",
    election_label: "Verkiezing",
    past_election: |name| format!("{name} (geweest)"),
    query_label: "Postcode en huisnummer, straat of plaats",
    query_placeholder: "bijv. 3421 CT of Oudewater",
    accessibility: "Toegankelijkheid",
    chosen: |n| format!("{n} gekozen"),
    group: |group| match group {
        FeatureGroup::Mobility => "Bewegen",
        FeatureGroup::Sight => "Zien",
        FeatureGroup::Hearing => "Horen",
        FeatureGroup::Other => "Overig",
    },
    open_now_only: "Alleen nu open",
    search: "Zoeken",
    use_my_location: "Gebruik mijn locatie",
    locating: "Uw locatie wordt opgevraagd…",
    no_geolocation: "Uw browser kan geen locatie doorgeven. Zoek op postcode of plaats.",
    impossible_position: "Uw browser gaf een onmogelijke locatie door.",
    location_denied: "U heeft geen toestemming gegeven voor uw locatie. Zoek op postcode of plaats.",
    location_failed: "Uw locatie kon niet worden bepaald. Zoek op postcode of plaats.",

    no_elections: "Er zijn nog geen stembureaus ingeladen.",
    unknown_election: |id| {
        format!("Er is geen verkiezing met de naam “{id}”. Kies een verkiezing uit de lijst.")
    },
    place_not_found: |text| {
        format!("We vinden “{text}” niet. Probeer een postcode (1234 AB) of een plaatsnaam.")
    },
    query_too_long: |max| {
        format!("Uw zoekopdracht is langer dan {max} tekens. Typ een postcode (1234 AB), een adres of een plaatsnaam.")
    },
    invalid_query: |message| format!("Deze zoekopdracht klopt niet: {message}"),
    none_open_now: "Er is nu geen stembureau open dat aan de voorwaarden voldoet. \
                    Zet “Alleen nu open” uit om te zien wanneer ze opengaan.",
    none_matching:
        "Geen stembureau gevonden dat aan alle gekozen voorwaarden voldoet. Kies minder voorwaarden.",
    none_at_all: "Voor deze verkiezing zijn geen stembureaus bekend.",
    stations_near: |origin| format!("Stembureaus bij {origin}"),
    your_location: "uw locatie",
    home_note: |municipality, rule| match rule {
        Some(MunicipalityRule::OwnMunicipalityOnly) => format!(
            "Dit punt ligt in de gemeente {municipality}. Bij deze verkiezing stemt u in uw eigen gemeente; \
             die stembureaus staan bovenaan."
        ),
        Some(MunicipalityRule::OwnMunicipalityUnlessVoterPass) => format!(
            "Dit punt ligt in de gemeente {municipality}. Met uw stempas stemt u in uw eigen gemeente; \
             die stembureaus staan bovenaan."
        ),
        None => format!("Dit punt ligt in de gemeente {municipality}."),
    },
    elsewhere_note: |municipality, rule| match rule {
        MunicipalityRule::OwnMunicipalityOnly => {
            format!("Andere gemeente ({municipality}): hier kunt u bij deze verkiezing niet stemmen.")
        }
        MunicipalityRule::OwnMunicipalityUnlessVoterPass => {
            format!("Andere gemeente ({municipality}): hier stemt u alleen met een kiezerspas.")
        }
    },
    as_the_crow_flies: |distance| format!("{distance} hemelsbreed"),

    feature: |feature| match feature {
        Feature::Wheelchair => "Toegankelijk voor rolstoelgebruikers",
        Feature::TransitStop => "Toegankelijke ov-halte in de buurt",
        Feature::AccessibleToilet => "Toegankelijk toilet",
        Feature::Host => "Gastvrouw of gastheer bij de ingang",
        Feature::GuideLinesOutside => "Geleidelijnen buiten",
        Feature::GuideLinesInside => "Geleidelijnen binnen",
        Feature::AudioAid => "Stemmal met audio-ondersteuning",
        Feature::BrailleList => "Kandidatenlijst in braille",
        Feature::LargePrintList => "Kandidatenlijst met grote letters",
        Feature::SignLanguageOnSite => "Gebarentolk (NGT) aanwezig",
        Feature::SignLanguageRemote => "Gebarentolk (NGT) op afstand",
        Feature::SigningStaff => "Stembureaulid dat gebarentaal spreekt",
        Feature::Acoustics => "Akoestiek geschikt voor slechthorenden",
        Feature::LowStimulus => "Prikkelarm",
        Feature::BuddyPair => "Prokkelduo aanwezig",
    },
    not_wheelchair: "Niet toegankelijk voor rolstoelgebruikers",
    open_until: |time| format!("Nu open, tot {time}"),
    opens_today_at: |time| format!("Opent vandaag om {time}"),
    closed_today: "Vandaag gesloten",
    municipality: |name| format!("Gemeente {name}"),
    route: "Route (OpenStreetMap)",
    open_in_map_app: "Open in kaart-app",
    all_stations_in: |name| format!("Alle stembureaus in {name}"),
    search_another: "Zoek een ander stembureau",
    search_nearest: "Zoek het stembureau het dichtst bij u",
    stations_in: |name| format!("Stembureaus in {name}"),
    station_count: |n| match n {
        1 => "1 stembureau".to_owned(),
        n => format!("{n} stembureaus"),
    },
    map_label: "Kaart van de stembureaus op deze pagina",
    your_search: "Gezochte plek",

    about,
    about_title: "Over Kieskaart",

    data_intro,
    data_title: "Open data",
    data_summary: |stations, municipalities| format!("{stations} stembureaus van {municipalities} gemeenten"),
    data_everything: "Alle stembureaus",
    data_per_municipality: "Per gemeente",
    data_columns: ["Gemeente", "Stembureaus", "Downloads"],

    embed_credit: "Stembureaus via Kieskaart",
    builder: BuilderTexts {
        title: "Kieskaart op uw website",
        intro: "Nieuwssites en gemeenten kunnen de zoeker in hun eigen pagina zetten. Kies wat lezers zien, \
                bekijk het voorbeeld en plak de code in uw pagina. De zoeker zet geen cookies en volgt niemand.",
        election: "Verkiezing",
        municipality: "Gemeente",
        whole_country: "Heel Nederland",
        language: "Taal van de zoeker",
        readers_language: "Die van de browser van de lezer",
        search_form: "Zoekformulier",
        map: "Kaart",
        shown: "Tonen",
        hidden: "Verbergen",
        theme: "Kleuren",
        light: "Licht",
        dark: "Donker",
        accent: "Accentkleur (hex, bijv. c00000; leeg voor standaard)",
        update: "Voorbeeld bijwerken",
        preview: "Voorbeeld",
        snippet: "Code voor uw pagina",
        snippet_hint: "Plak deze code waar de zoeker moet komen. Het script past de hoogte aan de inhoud aan; \
                       zonder JavaScript toont de iframe in <noscript> de zoeker.",
        copy: "Kopieer de code",
        copied: "De code staat op het klembord.",
        copy_failed: "Kopiëren lukte niet: selecteer de code en kopieer hem zelf.",
        frame_title: "Kieskaart: zoek een stembureau",
    },

    weekdays: ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"],
    months: [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ],
    decimal_separator: ',',

    // Issue 23, part 3: what to bring and where you may vote.
    bring: BringTexts {
        heading: "Wat neemt u mee?",
        id_rule: |date| {
            format!(
                "Uw stempas en een geldig identiteitsbewijs: een paspoort, identiteitskaart, rijbewijs of \
                 verblijfsdocument. Het mag verlopen zijn, maar niet meer dan vijf jaar: een bewijs dat op of \
                 na {date} is verlopen, is geldig. Zonder stempas en identiteitsbewijs kunt u niet stemmen."
            )
        },
        where_summary: "Waar mag u stemmen? De kiezerspas",
        where_rule: |kind| match kind {
            ElectionKind::Gr => {
                "Met uw stempas stemt u in elk stembureau in uw eigen gemeente. Bij gemeenteraadsverkiezingen \
                 bestaat geen kiezerspas: in een andere gemeente kunt u niet stemmen."
            }
            ElectionKind::Tk | ElectionKind::Ep => {
                "Met uw stempas stemt u in elk stembureau in uw eigen gemeente. Met een kiezerspas stemt u \
                 in elk stembureau in Nederland."
            }
            ElectionKind::Ps => {
                "Met uw stempas stemt u in elk stembureau in uw eigen gemeente. Met een kiezerspas stemt u \
                 in elk stembureau in uw provincie."
            }
            ElectionKind::Ws => {
                "Met uw stempas stemt u in elk stembureau in uw eigen gemeente. Met een kiezerspas stemt u \
                 in elk stembureau in het gebied van uw waterschap."
            }
            ElectionKind::Referendum => {
                "Met uw stempas stemt u in elk stembureau in uw eigen gemeente. Met een kiezerspas stemt u \
                 ook in een andere gemeente, binnen het gebied waar het referendum wordt gehouden."
            }
            ElectionKind::Ek => {
                "De Eerste Kamer wordt gekozen door de leden van Provinciale Staten; kiezers stemmen daarvoor \
                 niet in een stembureau."
            }
            ElectionKind::Other => {
                "Met uw stempas stemt u in elk stembureau in uw eigen gemeente. Of u met een kiezerspas ook \
                 elders mag stemmen, staat op de verkiezingswebsite van uw gemeente."
            }
        },
        voter_pass_how: "Een kiezerspas vraagt u aan bij uw gemeente, op dezelfde termijnen als een vervangende \
                         stempas (zie hieronder). Hij komt in de plaats van uw stempas.",
        proxy_summary: "Kunt u niet zelf gaan? Stemmen bij volmacht",
        proxy: "U kunt een andere kiezer machtigen om voor u te stemmen: vul samen de achterkant van uw stempas \
                in en onderteken die. De gemachtigde neemt een kopie van uw identiteitsbewijs mee, brengt uw \
                stem tegelijk met de eigen stem uit en mag voor hoogstens twee anderen stemmen.",
        proxy_elsewhere: |kind| match kind {
            ElectionKind::Gr | ElectionKind::Ek => "Bij deze verkiezing moet de gemachtigde in uw eigen gemeente \
                                                    kiezer zijn.",
            ElectionKind::Tk | ElectionKind::Ep => "Met de stempas moet de gemachtigde in uw gemeente wonen. Voor \
                                                    iemand die elders in Nederland woont, vraagt u schriftelijk \
                                                    een volmacht aan bij uw gemeente.",
            ElectionKind::Ps => "Met de stempas moet de gemachtigde in uw gemeente wonen. Voor iemand die elders \
                                 in uw provincie woont, vraagt u schriftelijk een volmacht aan bij uw gemeente.",
            ElectionKind::Ws => "Met de stempas moet de gemachtigde in uw gemeente wonen. Voor iemand die elders \
                                 in het gebied van uw waterschap woont, vraagt u schriftelijk een volmacht aan bij \
                                 uw gemeente.",
            ElectionKind::Referendum | ElectionKind::Other => "Met de stempas moet de gemachtigde in uw gemeente \
                                                               wonen. Voor iemand die elders woont, vraagt u uw \
                                                               gemeente naar een schriftelijke volmacht.",
        },
        lost_card_summary: "Stempas kwijt of niet ontvangen?",
        lost_card: "Vraag bij uw gemeente een vervangende stempas aan: schriftelijk tot vijf dagen voor de \
                    verkiezing, of aan de balie tot de dag ervoor om 12.00 uur. Uw oude stempas is daarna niet \
                    meer geldig. De precieze data en het adres staan op de verkiezingswebsite van uw gemeente.",
        special_stations: "Een stembureau van het type “bijzonder” is bijvoorbeeld in een ziekenhuis of \
                           zorgcentrum en is soms maar beperkt toegankelijk voor andere kiezers. Vraag het uw \
                           gemeente voordat u gaat.",
        special_station: "Bijzonder stembureau (bijvoorbeeld in een zorgcentrum): mogelijk beperkt toegankelijk \
                          voor andere kiezers.",

        access_heading: "Toegankelijkheid",
        access_searched: "Waar u op zocht",
        access_other: "Overige voorzieningen",
        availability: |availability| match availability {
            Availability::Yes => "ja",
            Availability::No => "nee",
            Availability::NotStated => "niet vermeld door de gemeente",
        },
        other_toilet: |toilet| match toilet {
            Toilet::Yes => Some("wel een toilet"),
            Toilet::GenderNeutral => Some("wel een genderneutraal toilet"),
            Toilet::No | Toilet::Accessible => None,
        },

        add_to_calendar: "Zet in agenda",
        calendar_event: |station| format!("Stemmen in {station}"),
        calendar_description: "Neem uw stempas en een geldig identiteitsbewijs mee.",
        calendar_not_found: "Dit stembureau bestaat niet (meer)",
        calendar_not_found_hint: "Er is geen agenda-bestand voor dit adres: het stembureau is niet of niet meer \
                                  gepubliceerd. Zoek het stembureau opnieuw.",
    },
    // Issue 23, part 4: the change feed, linked from /data.
    data_changes: "Wijzigingen, één bericht per publicatie",
    data_changes_label: |format, election| format!("{format}-feed van de wijzigingen in {election}"),
    // Issue 23, part 2: coverage.
    coverage: CoverageTexts {
        path: "/dekking",
        link: "Dekking",
        title: "Dekking: welke gemeenten hebben gepubliceerd",
        intro: "Alle gemeenten van Nederland bij deze verkiezing: of ze hun stembureaus hebben gepubliceerd, \
                hoeveel, wanneer, en hoe volledig ze de toegankelijkheid beschrijven.",
        show: "Toon",
        totals: |published, all, stations| {
            format!("{published} van de {all} gemeenten hebben samen {stations} stembureaus gepubliceerd.")
        },
        map_title: "Kaart van Nederland: welke gemeenten hebben gepubliceerd",
        map_description: "Dezelfde gegevens staan in de tabel hieronder.",
        legend: "Legenda",
        published: "Gepubliceerd",
        not_published: "Niet gepubliceerd",
        published_look: "effen vlak",
        not_published_look: "gearceerd vlak",
        national_caption: "Heel Nederland: aandeel stembureaus per toegankelijkheidsgegeven, in procenten",
        national_columns: ["Gegeven", "Ja", "Nee", "Onbekend"],
        table_caption: "Alle gemeenten. Per toegankelijkheidsgegeven het aandeel stembureaus, in procenten: ja / nee / onbekend.",
        table_columns: ["Gemeente", "Stand", "Stembureaus", "Gepubliceerd op"],
        field: |field| match field {
            AccessField::Wheelchair => "Rolstoel",
            AccessField::TransitStop => "Ov-halte",
            AccessField::Toilet => "Toilet",
            AccessField::Host => "Gastvrouw/-heer",
            AccessField::GuideLines => "Geleidelijnen",
            AccessField::AudioAid => "Audio",
            AccessField::BrailleList => "Braille",
            AccessField::LargePrintList => "Grote letters",
            AccessField::SignLanguageInterpreter => "Gebarentolk",
            AccessField::SigningStaff => "Gebarend lid",
            AccessField::Acoustics => "Akoestiek",
            AccessField::LowStimulus => "Prikkelarm",
            AccessField::BuddyPair => "Prokkelduo",
        },
        downloads: "Dezelfde cijfers als CSV en via de API:",
        csv: "Dekking per gemeente (CSV)",
        home_not_published: |name| {
            format!("De gemeente {name} heeft haar stembureaus voor deze verkiezing (nog) niet gepubliceerd.")
        },
        website: |name| format!("Verkiezingspagina van de gemeente {name}"),
        contact: "Contact met de gemeente:",
        check_poll_card: |name| {
            format!(
                "Kijk op uw stempas: daarop staat een stembureau. Met uw stempas mag u in elk stembureau \
                 van de gemeente {name} stemmen; de gemeente zelf weet welke dat zijn."
            )
        },
        nearest_elsewhere: "Hieronder de dichtstbijzijnde stembureaus in andere gemeenten.",
        in_other_municipality: |name| format!("Andere gemeente: {name}"),
    },
    // Issue 23, part 1: reporting a problem with a station.
    report: ReportTexts {
        link: "Klopt er iets niet?",
        title: |name| format!("Probleem melden: {name}"),
        intro: |municipality| {
            format!(
                "Uw melding gaat naar de gemeente {municipality}, die de gegevens van dit stembureau beheert. \
                 U hoeft geen account te hebben."
            )
        },
        category_legend: "Wat klopt er niet?",
        category: |category| match category {
            Category::Location => "De plek op de kaart",
            Category::Address => "Het adres",
            Category::OpeningTimes => "De openingstijden",
            Category::Accessibility => "De toegankelijkheid",
            Category::ClosedOrMoved => "Het stembureau is dicht of verhuisd",
            Category::Other => "Iets anders",
        },
        text_label: "Wat is er mis?",
        text_hint: |max| format!("Beschrijf het probleem in hoogstens {max} tekens."),
        email_label: "Uw e-mailadres (niet verplicht)",
        email_hint: "Alleen als u een antwoord wilt. De gemeente ziet het; het wordt gewist zodra de melding \
                     is afgehandeld, en uiterlijk na 90 dagen.",
        honeypot_label: "Laat dit veld leeg",
        send: "Melding versturen",
        not_sent: "Uw melding is niet verstuurd. Verbeter het volgende:",
        problem: |problem| match problem {
            Problem::NoCategory => "Wat klopt er niet? Kies een van de mogelijkheden.".to_owned(),
            Problem::NoText => "Wat is er mis? Beschrijf het probleem in een paar woorden.".to_owned(),
            Problem::TextTooLong(count) => format!(
                "Wat is er mis? Uw tekst heeft {count} tekens; maak hem korter dan {} tekens.",
                MAX_TEXT_CHARS + 1
            ),
            Problem::Email => "Uw e-mailadres: dit is geen e-mailadres (zoals naam@voorbeeld.nl). \
                               Verbeter het, of laat het veld leeg."
                .to_owned(),
        },
        too_many: "Er zijn vanaf uw adres, of in totaal, net veel meldingen verstuurd. Uw melding is niet \
                   verstuurd; probeer het over een uur opnieuw.",
        unavailable: "Er ging iets mis bij het opslaan; uw melding is niet verstuurd. Probeer het over een \
                      minuut opnieuw.",
        sent_title: "Bedankt voor uw melding",
        sent_body: |municipality| {
            format!(
                "De gemeente {municipality} heeft uw melding ontvangen en bekijkt hem. Als u uw e-mailadres \
                 hebt gegeven, kan de gemeente u antwoorden."
            )
        },
        back_to_station: "Terug naar het stembureau",
        about: about_reports,
    },
};

fn about() -> AnyView {
    view! {
        <section aria-labelledby="about-data">
            <h2 id="about-data">"Waar de gegevens vandaan komen"</h2>
            <p>
                "Elke gemeente bepaalt zelf waar haar stembureaus zijn, wanneer ze open zijn en hoe "
                "toegankelijk ze zijn. Gemeenten publiceren die gegevens volgens de "
                <a href="https://github.com/Stembureaus-Open-Data-Standaard">
                    "Stembureaus Open Data Standaard"
                </a>
                ". Kieskaart toont ze zoals de gemeente ze heeft gepubliceerd; elke eerdere versie "
                "blijft bewaard."
            </p>
            <p>
                "Klopt er iets niet bij een stembureau? Neem dan contact op met uw gemeente: "
                "de contactgegevens staan bij elk stembureau."
            </p>
        </section>
        <section aria-labelledby="about-licence">
            <h2 id="about-licence">"Licentie"</h2>
            <p>
                "De gegevens van de stembureaus zijn vrij te gebruiken onder "
                <a href="https://creativecommons.org/publicdomain/zero/1.0/deed.nl">"CC0 1.0"</a>
                ". De software van Kieskaart is open source onder de "
                <a href="https://interoperable-europe.ec.europa.eu/collection/eupl/eupl-text-eupl-12">
                    "European Union Public Licence 1.2 (EUPL)"
                </a>
                ". Iedereen kan de gegevens ook opvragen via de "
                <a href="/api/v1/docs">"openbare API"</a>
                "."
            </p>
        </section>
        <section aria-labelledby="about-privacy">
            <h2 id="about-privacy">"Uw privacy"</h2>
            <p>
                "Kieskaart volgt u niet. Alleen als u zelf een andere taal kiest, bewaart uw browser "
                "die keuze in een cookie. Uw locatie wordt alleen gebruikt als u daar zelf om vraagt, "
                "en alleen om de stembureaus in de buurt te zoeken; ze wordt niet bewaard."
            </p>
            <p>
                "Een postcode of plaatsnaam zoekt Kieskaart eerst in een eigen lijst. Alleen een "
                "adres dat daar niet in staat, gaat naar de "
                <a href="https://www.pdok.nl/introductie/-/article/pdok-locatieserver-1">
                    "PDOK Locatieserver"
                </a>
                " van de overheid, zonder gegevens over u."
            </p>
        </section>
    }
    .into_any()
}

/// The open-data page's prose.
fn data_intro() -> AnyView {
    view! {
        <p>
            "Alle stembureaus die gemeenten via Kieskaart publiceren, om te downloaden: als CSV "
            "(UTF-8, met de veldnamen van de "
            <a href="https://github.com/Stembureaus-Open-Data-Standaard">"Stembureaus Open Data Standaard"</a>
            "), als GeoJSON en als JSON zoals de CKAN-datastore die geeft. Elk bestand bevat de "
            "gegevens precies zoals de gemeente ze aanleverde en is weer in te lezen."
        </p>
        <p>
            "Bron: de gemeenten. Licentie: "
            <a href="https://creativecommons.org/publicdomain/zero/1.0/deed.nl" rel="license">"CC0 1.0"</a>
            ", vrij te gebruiken zonder voorwaarden. Dataportalen kunnen de "
            <a href="/data/catalog.jsonld" type="application/ld+json">"catalogus (DCAT-AP, JSON-LD)"</a>
            " oogsten; losse stembureaus zijn op te vragen via de "
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
            <h2 id="about-reports">"Als u een probleem meldt"</h2>
            <p>
                "Met “Klopt er iets niet?” bij een stembureau stuurt u de gemeente een melding. "
                "Kieskaart bewaart dan welk stembureau het is en welke versie van de gegevens u zag, "
                "wat u koos en typte, wanneer, en uw e-mailadres als u dat gaf. Niet wat u zocht, en "
                "niet waar u bent."
            </p>
            <p>
                "Alleen de gemeente van het stembureau ziet de melding. Uw e-mailadres wordt gewist "
                "zodra de gemeente de melding afhandelt of terzijde legt, en in elk geval na 90 dagen."
            </p>
        </section>
    }
    .into_any()
}
