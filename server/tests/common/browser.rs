//! A browser for the portal's tests: keeps the cookies the portal sets,
//! fills its forms, and plays an authenticator app.

use super::{Client, TestApp, TestResponse};
use axum::http::{Method, StatusCode};
use chrono::Utc;
use kieskaart::accounts::{self, Email};
use std::collections::BTreeMap;

pub const PASSWORD: &str = "stembureau op de hoek";

/// A browser: keeps the cookies the portal sets and sends them back.
pub struct Browser {
    client: Client,
    pub cookies: BTreeMap<String, String>,
    pub headers: Vec<(String, String)>,
}

/// nginx, the one proxy in front in [`Browser::through_nginx`], connects
/// from here.
const NGINX: &str = "10.0.0.2:41000";

impl Browser {
    pub fn new(app: &TestApp) -> Self {
        Self { client: app.client.clone(), cookies: BTreeMap::new(), headers: Vec::new() }
    }

    /// A browser at `address`, reaching the app through nginx, which
    /// appends that address to `X-Forwarded-For`.
    pub fn through_nginx(app: &TestApp, address: &str) -> Self {
        let headers = vec![("x-forwarded-for".to_owned(), address.to_owned())];
        Self { client: app.client.from(NGINX), cookies: BTreeMap::new(), headers }
    }

    pub async fn send(
        &mut self,
        method: Method,
        uri: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> TestResponse {
        let cookie = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
        let mut headers: Vec<(&str, &str)> = vec![("cookie", &cookie)];
        if let Some(content_type) = content_type {
            headers.push(("content-type", content_type));
        }
        headers.extend(self.headers.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let response = self.client.request(method, uri, &headers, body).await;
        for set in response.headers.get_all("set-cookie") {
            let set = set.to_str().unwrap();
            let (pair, _) = set.split_once(';').unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            if value.is_empty() {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
        response
    }

    pub async fn get(&mut self, uri: &str) -> TestResponse {
        self.send(Method::GET, uri, None, Vec::new()).await
    }

    pub async fn post(&mut self, uri: &str, form: &[(&str, &str)]) -> TestResponse {
        let body = form
            .iter()
            .map(|(k, v)| {
                format!("{k}={}", form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>())
            })
            .collect::<Vec<_>>()
            .join("&");
        self.send(Method::POST, uri, Some("application/x-www-form-urlencoded"), body.into_bytes()).await
    }

    pub async fn upload(&mut self, uri: &str, csrf: &str, name: &str, file: &[u8]) -> TestResponse {
        let boundary = "kieskaart-test-boundary";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(file);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let content_type = format!("multipart/form-data; boundary={boundary}");
        self.send(Method::POST, uri, Some(&content_type), body).await
    }

    /// Activates the account of `secret` and signs in; the session's form token.
    pub async fn activate_and_sign_in(&mut self, secret: &str, email: &str) -> String {
        let path = accounts::activation_path(secret);
        let form = self.get(&path).await;
        assert_eq!(form.status, StatusCode::OK);
        let token = form_token(&form.body);
        let activated =
            self.post(&path, &[("csrf", &token), ("password", PASSWORD), ("again", PASSWORD)]).await;
        assert_eq!(activated.status, StatusCode::SEE_OTHER, "{}", activated.body);
        self.sign_in(email, PASSWORD).await
    }

    pub async fn sign_in(&mut self, email: &str, password: &str) -> String {
        let form = self.get("/portaal/inloggen").await;
        let token = form_token(&form.body);
        let signed_in = self
            .post("/portaal/inloggen", &[("csrf", &token), ("email", email), ("password", password)])
            .await;
        assert_eq!(signed_in.status, StatusCode::SEE_OTHER, "{}", signed_in.body);
        let mut overview = self.get("/portaal").await;
        if overview.headers.get("location").is_some_and(|to| to == "/portaal/tweede-stap") {
            self.set_up_second_factor().await;
            overview = self.get("/portaal").await;
        }
        assert_eq!(overview.status, StatusCode::OK);
        form_token(&overview.body)
    }

    /// Sets up an authenticator app as a person would.
    pub async fn set_up_second_factor(&mut self) {
        let page = self.get("/portaal/tweede-stap").await;
        let (csrf, secret) = (form_token(&page.body), hidden(&page.body, "secret"));
        let code = app_code(&secret, 0);
        let set =
            self.post("/portaal/tweede-stap", &[("csrf", &csrf), ("secret", &secret), ("code", &code)]).await;
        assert_eq!(set.status, StatusCode::SEE_OTHER, "{}", set.body);
    }
}

/// The value of a page's hidden `csrf` field.
pub fn form_token(page: &str) -> String {
    hidden(page, "csrf")
}

/// The value of a page's hidden field `name`.
pub fn hidden(page: &str, name: &str) -> String {
    let marker = format!(r#"name="{name}" value=""#);
    let start = page.find(&marker).unwrap_or_else(|| panic!("no field {name} in {page}"));
    let rest = &page[start + marker.len()..];
    rest[..rest.find('"').unwrap()].to_owned()
}

/// The code an authenticator app with `secret` shows, `steps` steps of 30
/// seconds from now.
pub fn app_code(secret: &str, steps: i64) -> String {
    let bytes = totp_rs::Secret::Encoded(secret.to_owned()).to_bytes().unwrap();
    let totp = totp_rs::TOTP::new(totp_rs::Algorithm::SHA1, 6, 1, 30, bytes).unwrap();
    totp.generate((Utc::now().timestamp() + 30 * steps) as u64)
}

pub fn invite(app: &mut TestApp, email: &str, code: &str) -> String {
    let code = app::model::MunicipalityCode::parse(code).unwrap();
    let email = Email::parse(email).unwrap();
    accounts::invite(&mut app.store, &email, &[code], false, "test", Utc::now()).unwrap().secret
}
