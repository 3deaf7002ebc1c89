//! The API described: an OpenAPI 3.1 document generated from the handlers
//! and shapes (their doc comments are its descriptions), and a plain HTML
//! page made from that document, so the two never disagree.

use axum::response::{Html, IntoResponse};
use axum::Json;
use std::fmt::Write;
use std::sync::LazyLock;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::{OpenApi as Document, RefOr};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Kieskaart API",
        description = "Find the nearest polling stations that suit a voter, for Dutch elections. \
            Open data: no key, CORS open for GET, answers carry an ETag per published dataset \
            version and may be cached for a minute. Errors are RFC 9457 problem JSON.",
        license(name = "EUPL-1.2"),
    ),
    servers((url = "/api/v1")),
    paths(
        super::elections,
        super::nearest,
        super::nearest_geojson,
        super::station,
        super::municipality,
        super::municipality_geojson,
        super::geocode,
        super::upload::upload,
        super::coverage::coverage,
        super::reports::reports,
    ),
    modifiers(&BearerToken),
    tags(
        (name = "elections", description = "Elections with published stations"),
        (name = "stations", description = "Polling stations"),
        (name = "geocoding", description = "From what a voter types to a point"),
        (name = "uploads", description = "For vendor systems: a municipality's stations, with its token"),
        (name = "reports", description = "For vendor systems: voters' reports of problems with a municipality's stations, with its token"),
    )
)]
struct ApiDoc;

/// The vendor token scheme that uploads name.
struct BearerToken;

impl utoipa::Modify for BearerToken {
    fn modify(&self, document: &mut Document) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = document.components.get_or_insert_with(Default::default);
        let scheme = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .description(Some("A token made for one municipality with `kieskaart token create`"));
        components.add_security_scheme("token", SecurityScheme::Http(scheme.build()));
    }
}

static DOCUMENT: LazyLock<Document> = LazyLock::new(ApiDoc::openapi);

pub async fn openapi_json() -> impl IntoResponse {
    Json(&*DOCUMENT)
}

/// The docs page: every endpoint with its description, parameters and
/// answers, in the order of the document.
pub async fn page() -> Html<String> {
    Html(PAGE.clone())
}

static PAGE: LazyLock<String> = LazyLock::new(|| render(&DOCUMENT));

fn render(document: &Document) -> String {
    let mut html = String::from(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Kieskaart API</title><link rel=\"stylesheet\" href=\"/pkg/kieskaart.css\"></head>\
         <body><main class=\"api-docs\">",
    );
    let _ = write!(
        html,
        "<h1>{}</h1><p>{}</p>",
        escape(&document.info.title),
        escape(document.info.description.as_deref().unwrap_or_default())
    );
    let _ = write!(html, "<p>Base URL: <code>/api/v1</code>. Machine-readable: <a href=\"/api/v1/openapi.json\">openapi.json</a> (OpenAPI 3.1).</p>");
    for (path, item) in document.paths.paths.iter() {
        for (method, operation) in [("GET", &item.get), ("PUT", &item.put)] {
            if let Some(operation) = operation {
                operation_html(&mut html, method, path, operation);
            }
        }
    }
    html.push_str("</main></body></html>");
    html
}

fn operation_html(html: &mut String, method: &str, path: &str, operation: &Operation) {
    let _ = write!(html, "<section><h2><code>{method} {}</code></h2>", escape(path));
    if let Some(description) = operation.description.as_deref().or(operation.summary.as_deref()) {
        let _ = write!(html, "<p>{}</p>", escape(description));
    }
    let parameters = operation.parameters.as_deref().unwrap_or_default();
    if !parameters.is_empty() {
        html.push_str("<table><thead><tr><th>Parameter</th><th>In</th><th>Required</th><th>Description</th></tr></thead><tbody>");
        for parameter in parameters {
            let place = match parameter.parameter_in {
                ParameterIn::Path => "path",
                ParameterIn::Query => "query",
                ParameterIn::Header => "header",
                ParameterIn::Cookie => "cookie",
            };
            let required = matches!(parameter.required, utoipa::openapi::Required::True);
            let _ = write!(
                html,
                "<tr><td><code>{}</code></td><td>{place}</td><td>{}</td><td>{}</td></tr>",
                escape(&parameter.name),
                if required { "yes" } else { "no" },
                escape(parameter.description.as_deref().unwrap_or_default())
            );
        }
        html.push_str("</tbody></table>");
    }
    html.push_str("<ul>");
    for (status, response) in operation.responses.responses.iter() {
        let description = match response {
            RefOr::T(response) => response.description.as_str(),
            RefOr::Ref(_) => "",
        };
        let _ = write!(html, "<li><strong>{}</strong> {}</li>", escape(status), escape(description));
    }
    html.push_str("</ul></section>");
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
