//! Kieskaart inside another site's page: what the host asks for in the
//! iframe URL (`/embed?lang=en&search=0&map=0&theme=dark&accent=c00000`),
//! read the same way by the server and by the hydrated page.
//!
//! Nothing a host writes there is an error: a value that is not understood
//! leaves the default, so a typo in a news site's snippet never shows its
//! readers an error page.

use crate::i18n::Language;
use crate::model::{ElectionId, MunicipalityCode};
use leptos::prelude::*;

/// Paths under this prefix are embeds: no site header or footer, frameable
/// from any origin, no cookies.
pub const EMBED_PREFIX: &str = "/embed";

pub fn is_embed_path(path: &str) -> bool {
    path == EMBED_PREFIX || path.starts_with("/embed/")
}

/// Light or dark, as the host page is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    #[default]
    Light,
    Dark,
}

/// A colour for links and buttons, as six hex digits (`c00000`): nothing
/// else can get into the page's style.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Accent(String);

impl Accent {
    /// `c00000`, `#c00000` or `c00`.
    pub fn parse(text: &str) -> Option<Accent> {
        let hex = text.trim().trim_start_matches('#');
        if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        match hex.len() {
            6 => Some(Accent(hex.to_ascii_lowercase())),
            3 => Some(Accent(hex.chars().flat_map(|c| [c, c]).collect::<String>().to_ascii_lowercase())),
            _ => None,
        }
    }

    /// `#c00000`, for CSS.
    pub fn css(&self) -> String {
        format!("#{}", self.0)
    }
}

/// What the host asked for.
#[derive(Clone, Debug, PartialEq)]
pub struct Embed {
    /// Show the search form (`search=0` hides it, for an embed that only
    /// shows what its URL names).
    pub search: bool,
    pub map: bool,
    pub theme: Theme,
    pub accent: Option<Accent>,
    /// `lang=`; otherwise the reader's browser decides.
    pub language: Option<Language>,
}

impl Default for Embed {
    fn default() -> Self {
        Self { search: true, map: true, theme: Theme::Light, accent: None, language: None }
    }
}

impl Embed {
    /// From the URL's query parameters, `get` giving each by name.
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> Self {
        let switch = |name: &str, default: bool| match get(name).as_deref().map(str::trim) {
            Some("0" | "false" | "nee" | "no") => false,
            Some("1" | "true" | "ja" | "yes") => true,
            _ => default,
        };
        Self {
            search: switch("search", true),
            map: switch("map", true),
            theme: match get("theme").as_deref().map(str::trim) {
                Some("dark" | "donker") => Theme::Dark,
                _ => Theme::Light,
            },
            accent: get("accent").as_deref().and_then(Accent::parse),
            language: get("lang").as_deref().and_then(Language::from_code),
        }
    }

    /// The same, from a raw query string (`a=1&b=%23c00`), as the
    /// server's shell sees it.
    #[cfg(feature = "ssr")]
    pub fn from_query_string(query: &str) -> Self {
        Self::from_query(|name| {
            form_urlencoded::parse(query.as_bytes())
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.into_owned())
        })
    }

    /// The parameters, other than the search itself, that keep this
    /// embed's look and language when the reader searches inside it. Each
    /// value is a checked token, safe in a URL as it is.
    pub fn carried(&self) -> Vec<(&'static str, String)> {
        let mut carried = Vec::new();
        if let Some(language) = self.language {
            carried.push(("lang", language.code().to_owned()));
        }
        if !self.search {
            carried.push(("search", "0".to_owned()));
        }
        if !self.map {
            carried.push(("map", "0".to_owned()));
        }
        if self.theme == Theme::Dark {
            carried.push(("theme", "dark".to_owned()));
        }
        if let Some(accent) = &self.accent {
            carried.push(("accent", accent.0.clone()));
        }
        carried
    }
}

/// What an embed shows: an election (or the current one), and within it
/// one municipality or the whole country.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EmbedTarget {
    pub election: Option<ElectionId>,
    pub municipality: Option<MunicipalityCode>,
}

impl EmbedTarget {
    /// The embed's path and query: `/embed/g/GM0589?e=gr2026&lang=en`.
    pub fn path(&self, embed: &Embed) -> String {
        let mut path = match &self.municipality {
            Some(code) => format!("{EMBED_PREFIX}/g/{code}"),
            None => EMBED_PREFIX.to_owned(),
        };
        let mut query: Vec<(&str, String)> = Vec::new();
        if let Some(election) = &self.election {
            query.push(("e", election.to_string()));
        }
        query.extend(embed.carried());
        for (position, (name, value)) in query.into_iter().enumerate() {
            path.push(if position == 0 { '?' } else { '&' });
            path.push_str(&format!("{name}={value}"));
        }
        path
    }

    /// The HTML a host pastes into its page: a placeholder that `/embed.js`
    /// (from `origin`) turns into a sized iframe, and a plain iframe for
    /// readers without JavaScript. Every value is a checked token.
    pub fn snippet(&self, origin: &str, embed: &Embed, title: &str) -> String {
        let mut attributes = String::from("data-kieskaart");
        if let Some(election) = &self.election {
            attributes.push_str(&format!(" data-election=\"{election}\""));
        }
        if let Some(code) = &self.municipality {
            attributes.push_str(&format!(" data-municipality=\"{code}\""));
        }
        for (name, value) in embed.carried() {
            attributes.push_str(&format!(" data-{name}=\"{value}\""));
        }
        let title = title.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;");
        format!(
            "<div {attributes}></div>\n\
             <script src=\"{origin}/embed.js\" async></script>\n\
             <noscript><iframe src=\"{origin}{path}\" title=\"{title}\" width=\"100%\" height=\"600\" \
             style=\"border:0\" allow=\"geolocation\"></iframe></noscript>",
            path = self.path(embed).replace('&', "&amp;"),
        )
    }
}

/// The embed's settings when the page is an embed.
pub fn use_embed() -> Option<Embed> {
    use_context::<Embed>()
}

/// `target` and `rel` for a link out of the embed (a station page, a
/// route planner): a new tab, so the reader keeps the host's article,
/// and without a handle back to it.
pub fn outward() -> (Option<&'static str>, Option<&'static str>) {
    match use_embed() {
        Some(_) => (Some("_blank"), Some("noopener")),
        None => (None, None),
    }
}

/// Tells the host page how tall the embed's content is, whenever that
/// changes, so that the loader (`/embed.js`) sizes the iframe to fit:
/// `{kieskaart: "height", height: 812}`. Heights say nothing about the
/// reader, so any origin may receive them.
#[cfg(feature = "hydrate")]
pub fn report_height() {
    use wasm_bindgen::{closure::Closure, JsCast, JsValue};
    let Some(window) = web_sys::window() else { return };
    let Some(body) = window.document().and_then(|document| document.body()) else { return };
    let Ok(Some(parent)) = window.parent() else { return };
    let measured = body.clone();
    let report = Closure::<dyn FnMut()>::new(move || {
        let message = js_sys::Object::new();
        let height = measured.get_bounding_client_rect().height().ceil();
        let _ = js_sys::Reflect::set(&message, &"kieskaart".into(), &"height".into());
        let _ = js_sys::Reflect::set(&message, &"height".into(), &JsValue::from_f64(height));
        let _ = parent.post_message(&message, "*");
    });
    if let Ok(observer) = web_sys::ResizeObserver::new(report.as_ref().unchecked_ref()) {
        observer.observe(&body);
    }
    // Lives as long as the page, as the observer does.
    report.forget();
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn understood_values_are_kept_and_everything_else_falls_back() {
        let embed = Embed::from_query_string("lang=en&search=0&map=false&theme=dark&accent=%23C00&k=3");
        assert_eq!(embed.language, Some(Language::En));
        assert!(!embed.search && !embed.map);
        assert_eq!(embed.theme, Theme::Dark);
        assert_eq!(embed.accent.map(|a| a.css()), Some("#cc0000".into()));

        let nonsense = Embed::from_query_string("lang=xx&search=maybe&map=&theme=purple&accent=red;}body{");
        assert_eq!(nonsense, Embed::default());
        assert_eq!(Accent::parse("url(x)"), None);
        assert_eq!(Accent::parse("1234567"), None);
    }

    #[test]
    fn what_is_carried_reads_back_the_same() {
        let embed = Embed::from_query_string("lang=en&search=0&map=0&theme=dark&accent=0b4f9c");
        let query: Vec<String> = embed.carried().into_iter().map(|(k, v)| format!("{k}={v}")).collect();
        assert_eq!(Embed::from_query_string(&query.join("&")), embed);
        assert!(Embed::default().carried().is_empty());
    }

    #[test]
    fn paths_and_snippets_name_what_the_host_chose() {
        let target = EmbedTarget {
            election: Some(ElectionId::parse("gr2026").unwrap()),
            municipality: Some(MunicipalityCode::parse("GM0589").unwrap()),
        };
        let embed = Embed::from_query_string("lang=en&map=0");
        assert_eq!(target.path(&embed), "/embed/g/GM0589?e=gr2026&lang=en&map=0");
        assert_eq!(EmbedTarget::default().path(&Embed::default()), "/embed");
        let snippet = target.snippet("https://kieskaart.example", &embed, "Polling \"stations\"");
        assert!(snippet.starts_with(
            "<div data-kieskaart data-election=\"gr2026\" data-municipality=\"GM0589\" data-lang=\"en\" data-map=\"0\"></div>"
        ));
        assert!(snippet.contains("<script src=\"https://kieskaart.example/embed.js\" async></script>"));
        assert!(snippet
            .contains("src=\"https://kieskaart.example/embed/g/GM0589?e=gr2026&amp;lang=en&amp;map=0\""));
        assert!(snippet.contains("title=\"Polling &quot;stations&quot;\""));
    }

    #[test]
    fn only_paths_under_embed_are_embeds() {
        assert!(is_embed_path("/embed") && is_embed_path("/embed/g/GM0589"));
        assert!(!is_embed_path("/embedded") && !is_embed_path("/") && !is_embed_path("/s/embed"));
    }
}
