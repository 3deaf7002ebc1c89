//! Embeds: the search inside another site's page. Frameable by anyone,
//! without cookies, links out in a new tab, and whatever the host writes
//! in the URL, a page rather than an error.

mod common;

use axum::http::StatusCode;
use common::{spawn_app, spawn_app_with};

fn stations(body: &str) -> usize {
    body.matches("<li class=\"station\"").count()
}

fn header<'a>(response: &'a common::TestResponse, name: &str) -> &'a str {
    response.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default()
}

#[tokio::test]
async fn an_embed_may_be_framed_by_anyone_and_our_own_pages_only_by_us() {
    let app = spawn_app();
    for embed in ["/embed", "/embed/g/GM9999", "/embed/s/demo/gm9999-1"] {
        let page = app.get(embed).await;
        assert_eq!(page.status, StatusCode::OK, "{embed}");
        assert!(header(&page, "content-security-policy").contains("frame-ancestors *"), "{embed}");
        assert!(!page.body.contains("class=\"site-header\""), "no site chrome in {embed}");
        assert!(page.body.contains("class=\"credit\""), "{embed} credits Kieskaart");
    }
    for own in ["/", "/g/GM9999", "/s/demo/gm9999-1", "/data", "/insluiten"] {
        let page = app.get(own).await;
        assert!(header(&page, "content-security-policy").contains("frame-ancestors 'self'"), "{own}");
    }
}

#[tokio::test]
async fn an_embed_speaks_as_the_host_asks_and_sets_no_cookie() {
    let app = spawn_app();
    let english = app.get("/embed?lang=en&q=Demodorp").await;
    assert!(english.body.contains("<html lang=\"en\""));
    assert!(english.body.contains("Polling stations near"), "{}", english.body);
    assert!(english.headers.get("set-cookie").is_none(), "an embed keeps no cookie");
    assert!(english.body.contains("<input type=\"hidden\" name=\"lang\" value=\"en\""), "a search keeps it");

    let browser = app.get_with("/embed", &[("accept-language", "en-GB"), ("cookie", "taal=nl")]).await;
    assert!(browser.body.contains("<html lang=\"en\""), "the reader's browser, not our cookie");
}

#[tokio::test]
async fn results_in_an_embed_open_our_pages_in_a_new_tab_and_search_in_place() {
    let app = spawn_app();
    let page = app.get("/embed?q=Demodorp&k=3").await;
    assert_eq!(stations(&page.body), 3, "k presets the count");
    assert!(page.body.contains("action=\"/embed\""), "{}", page.body);
    assert!(page.body.contains("<input type=\"hidden\" name=\"k\" value=\"3\""));
    let links = page.body.matches("href=\"/s/demo/").count();
    let outward = page.body.matches("target=\"_blank\" rel=\"noopener\"").count();
    assert!(links >= 3 && outward >= links, "{links} station links, {outward} open a new tab");
}

#[tokio::test]
async fn the_host_may_hide_the_form_and_the_map() {
    let app = spawn_app();
    let shown = app.get("/embed?q=Demodorp").await;
    assert!(shown.body.contains("<form") && shown.body.contains("class=\"map\""));
    let bare = app.get("/embed?q=Demodorp&search=0&map=0").await;
    assert!(!bare.body.contains("<form"), "{}", bare.body);
    assert!(!bare.body.contains("class=\"map\""));
    assert_eq!(stations(&bare.body), 5, "the results still show");
}

#[tokio::test]
async fn values_a_host_gets_wrong_fall_back_to_defaults() {
    let app = spawn_app();
    let page = app
        .get("/embed?q=Demodorp&lang=xx&search=maybe&map=&theme=purple&accent=red%3B%7Dbody%7Bdisplay:none&k=999")
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<html lang=\"nl\" data-theme=\"light\""), "{}", &page.body[..400]);
    assert!(page.body.contains("<form") && page.body.contains("class=\"map\""));
    assert!(!page.body.contains("--accent:"), "no style from the URL");
    assert_eq!(stations(&page.body), 5);

    let themed = app.get("/embed?theme=dark&accent=%23C00").await;
    assert!(themed.body.contains("data-theme=\"dark\""));
    assert!(themed.body.contains("html[data-theme]:root { --accent: #cc0000 }"), "{}", themed.body);
    assert!(themed.body.contains("<style nonce="), "the style carries the nonce");
}

#[tokio::test]
async fn a_municipality_embed_lists_its_stations_and_searches_only_them() {
    let app = spawn_app();
    let list = app.get("/embed/g/GM9999?e=demo").await;
    assert_eq!(stations(&list.body), 8, "all of them before a search");
    assert!(list.body.contains("action=\"/embed/g/GM9999\""));
    let found = app.get("/embed/g/GM9999?e=demo&q=Demodorp&k=2").await;
    assert_eq!(stations(&found.body), 2, "{}", found.body);
    let elsewhere = app.get("/embed/g/GM0363?e=demo&q=Demodorp").await;
    assert_eq!(stations(&elsewhere.body), 0, "no station of another municipality");
}

#[tokio::test]
async fn the_builder_offers_a_snippet_and_a_preview_of_the_choice() {
    let public_url = Some(app::directory::PublicUrl::parse("http://kieskaart.example").unwrap());
    let app = spawn_app_with(kieskaart::startup::Settings { public_url, ..Default::default() });
    // The snippet names the public URL, never what a request claims.
    let forged = [("host", "evil.example"), ("x-forwarded-host", "evil.example")];
    let page = app.get_with("/insluiten?e=demo&g=GM9999&lang=en&map=0", &forged).await;
    assert!(!page.body.contains("evil.example"), "{}", page.body);
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("src=\"/embed/g/GM9999?e=demo&amp;lang=en&amp;map=0\""), "{}", page.body);
    for needed in [
        "&lt;div data-kieskaart data-election=\"demo\" data-municipality=\"GM9999\" \
         data-lang=\"en\" data-map=\"0\"&gt;&lt;/div&gt;",
        "&lt;script src=\"http://kieskaart.example/embed.js\" async&gt;&lt;/script&gt;",
        "&lt;noscript&gt;&lt;iframe src=\"http://kieskaart.example/embed/g/GM9999?e=demo&amp;amp;lang=en",
    ] {
        assert!(page.body.contains(needed), "{needed}: {}", page.body);
    }
    assert!(
        !page.body.contains("kieskaart.js") && page.body.contains("<script src=\"/builder.js\""),
        "{}",
        page.body
    );
    let unknown = app.get("/insluiten?e=nope&g=GM0001&accent=zzz").await;
    assert!(unknown.body.contains("src=\"/embed?e=demo\""), "unknown choices fall back: {}", unknown.body);
}
