use leptos::prelude::*;
use leptos_meta::Title;

/// `/over`: where the stations come from, under which licence, and what
/// happens to what a voter types. Voters and journalists ask this before
/// they trust a map of polling stations.
#[component]
pub fn AboutPage() -> impl IntoView {
    view! {
        <Title text="Over Kieskaart – Kieskaart"/>
        <h1>"Over Kieskaart"</h1>
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
                "Kieskaart gebruikt geen cookies en volgt u niet. Uw locatie wordt alleen gebruikt "
                "als u daar zelf om vraagt, en alleen om de stembureaus in de buurt te zoeken; "
                "ze wordt niet bewaard."
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
}
