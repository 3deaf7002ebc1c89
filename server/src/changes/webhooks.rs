//! Webhooks: every entry of the change feed POSTed, as its JSON Feed item,
//! to the URLs the operator registered (`kieskaart webhook add`), signed
//! with each hook's secret.
//!
//! A publication only writes the entry and a pending delivery per hook in
//! the store ([`crate::store::Changes::record_publication`]); a background
//! task sends them. So a slow or broken receiver never delays or fails a
//! publication, a restart resumes what was pending, and a delivery that
//! fails is tried again later, each time twice as late, until its attempts
//! run out. The task takes due deliveries from the store into a bounded
//! queue only as far as there is room, and sends at most a few at once.
//!
//! The geocoder's `Outbound` does not fit here: it shares one provider's
//! answers and breaks its circuit for all voters, whereas each hook is a
//! receiver of its own and every delivery must arrive.

use crate::changes::feed;
use crate::secrets;
use crate::store::{timestamp, Attempt, Delivery, Store, StoreError};
use app::directory::PublicUrl;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::sync::{mpsc, Semaphore};

/// The header with the body's signature.
pub const SIGNATURE: &str = "x-kieskaart-signature";
/// The header with the delivery's id: the same on every attempt, so a
/// receiver can drop a delivery it already has.
pub const DELIVERY: &str = "x-kieskaart-delivery";
/// The header with the attempt's time (RFC 3339, UTC).
pub const TIMESTAMP: &str = "x-kieskaart-timestamp";

/// A webhook's URL, checked: http or https, with a host, without user
/// name or password (the secret is what authenticates).
#[derive(Debug, Clone, PartialEq)]
pub struct HookUrl(reqwest::Url);

impl HookUrl {
    pub fn parse(text: &str) -> Result<Self, String> {
        let problem =
            |why: &str| format!("\"{text}\" cannot be a webhook: {why}, such as https://example.org/hook");
        let url = reqwest::Url::parse(text.trim()).map_err(|e| problem(&format!("not a URL ({e})")))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(problem("use http:// or https://"));
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(problem("give a host"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(problem("give no user name or password; the signature authenticates"));
        }
        if url.fragment().is_some() {
            return Err(problem("give no #fragment, which is never sent"));
        }
        Ok(Self(url))
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

/// A new hook's secret: 32 random bytes as hex.
pub fn new_secret() -> Result<String, secrets::RandomError> {
    secrets::random_hex()
}

/// `sha256=` and the hex HMAC-SHA256 of `body` with `secret`: what
/// [`SIGNATURE`] carries, and what a receiver computes to compare.
pub fn sign(secret: &str, body: &[u8]) -> String {
    // HMAC takes a key of any length.
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap_or_else(|_| unreachable!());
    mac.update(body);
    format!("sha256={}", secrets::hex(&mac.finalize().into_bytes()))
}

/// When a failed delivery is tried again.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Backoff {
    /// The wait after the first failure; each later one waits twice as long.
    pub first: Duration,
    /// Attempts in all, the first included; after the last, it failed.
    pub attempts: u32,
}

impl Default for Backoff {
    /// 30 s, 1, 2, 4, ... min: eight attempts over about an hour, long
    /// enough for a receiver to come back from a restart or a deploy.
    fn default() -> Self {
        Self { first: Duration::from_secs(30), attempts: 8 }
    }
}

impl Backoff {
    /// The wait after `failed` failed attempts, or `None` when that was
    /// the last.
    pub fn after(&self, failed: u32) -> Option<Duration> {
        if failed >= self.attempts {
            return None;
        }
        let doubling = failed.saturating_sub(1).min(16);
        Some(self.first.saturating_mul(1 << doubling))
    }
}

/// How deliveries go: the operator's, or a test's short ones.
#[derive(Debug, Clone)]
pub struct Settings {
    pub backoff: Backoff,
    /// Deliveries in flight at once.
    pub in_flight: usize,
    /// How long one attempt may take, connection included.
    pub timeout: Duration,
    /// How often the store is asked for due deliveries.
    pub poll: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            backoff: Backoff::default(),
            in_flight: 4,
            timeout: Duration::from_secs(10),
            poll: Duration::from_secs(2),
        }
    }
}

/// What `/metrics` shows of deliveries, counted since the start.
#[derive(Debug, Default)]
pub struct Stats {
    pub delivered: AtomicU64,
    /// Attempts that failed and will be tried again.
    pub retried: AtomicU64,
    /// Deliveries given up after their last attempt.
    pub failed: AtomicU64,
    /// Deliveries waiting in the store, as last seen.
    pub pending: AtomicU64,
}

/// Starts delivering what is pending in `store`, for as long as the
/// runtime runs. Call it from within a Tokio runtime.
pub fn spawn(store: Store, site: PublicUrl, settings: Settings, stats: Arc<Stats>) -> Result<(), String> {
    let client = reqwest::Client::builder()
        .timeout(settings.timeout)
        .user_agent(concat!("kieskaart/", env!("CARGO_PKG_VERSION"), " webhook"))
        // A receiver that moved says so in its answer; following it could
        // send the signed body to a host the operator never named.
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| format!("cannot set up the webhook client: {e}"))?;
    let store = Arc::new(Mutex::new(store));
    let in_flight = settings.in_flight.max(1);
    let (queue, mut taken) = mpsc::channel::<Delivery>(in_flight);
    let sender =
        Sender { client, store: store.clone(), site, settings: settings.clone(), stats: stats.clone() };
    tokio::spawn(async move {
        let places = Arc::new(Semaphore::new(in_flight));
        while let Some(delivery) = taken.recv().await {
            let Ok(place) = places.clone().acquire_owned().await else { return };
            let sender = sender.clone();
            tokio::spawn(async move {
                sender.attempt(delivery).await;
                drop(place);
            });
        }
    });
    tokio::spawn(async move {
        loop {
            // Wait for room in the queue, then take as many due
            // deliveries as fit; poll again at once while more are due.
            let Ok(place) = queue.reserve().await else { return };
            drop(place);
            let room = queue.capacity();
            // A claim is held for a few attempts' time: long enough for
            // its turn in the queue, short enough to come back soon after
            // a crash.
            let hold = settings.timeout.saturating_mul(4) + settings.poll;
            let claimed = match blocking(&store, move |store| claim(store, room, hold)).await {
                Ok((claimed, pending)) => {
                    stats.pending.store(pending, Ordering::Relaxed);
                    claimed
                }
                Err(error) => {
                    tracing::error!("cannot read webhook deliveries from the store: {error}");
                    Vec::new()
                }
            };
            let all_taken = claimed.len() < room;
            for delivery in claimed {
                if queue.send(delivery).await.is_err() {
                    return;
                }
            }
            if all_taken {
                tokio::time::sleep(settings.poll).await;
            }
        }
    });
    Ok(())
}

/// Claims up to `room` due deliveries; with how many are pending.
fn claim(store: &mut Store, room: usize, hold: Duration) -> Result<(Vec<Delivery>, u64), StoreError> {
    let now = chrono::Utc::now();
    let until = now + chrono::Duration::from_std(hold).unwrap_or(chrono::Duration::MAX);
    let claimed = store.claim_deliveries(&timestamp(now), &timestamp(until), room)?;
    Ok((claimed, u64::try_from(store.pending_deliveries()?).unwrap_or(u64::MAX)))
}

/// Runs store work off the async threads.
async fn blocking<T: Send + 'static>(
    store: &Arc<Mutex<Store>>,
    work: impl FnOnce(&mut Store) -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    let store = store.clone();
    tokio::task::spawn_blocking(move || work(&mut store.lock().unwrap_or_else(PoisonError::into_inner)))
        .await
        .unwrap_or_else(|joined| std::panic::resume_unwind(joined.into_panic()))
}

#[derive(Clone)]
struct Sender {
    client: reqwest::Client,
    store: Arc<Mutex<Store>>,
    site: PublicUrl,
    settings: Settings,
    stats: Arc<Stats>,
}

impl Sender {
    /// Tries one delivery and notes what came of it.
    async fn attempt(&self, delivery: Delivery) {
        let outcome = self.post(&delivery).await;
        let made = delivery.attempts + 1;
        let attempt = match outcome {
            Ok(()) => {
                self.stats.delivered.fetch_add(1, Ordering::Relaxed);
                Attempt::Delivered
            }
            Err(error) => match self.settings.backoff.after(made) {
                Some(wait) => {
                    self.stats.retried.fetch_add(1, Ordering::Relaxed);
                    let next = chrono::Utc::now()
                        + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::MAX);
                    Attempt::Retry { error, next_at: timestamp(next) }
                }
                None => {
                    self.stats.failed.fetch_add(1, Ordering::Relaxed);
                    tracing::warn!(
                        delivery = delivery.id,
                        hook = delivery.hook.id,
                        "webhook delivery failed: {error}"
                    );
                    Attempt::GaveUp { error }
                }
            },
        };
        let id = delivery.id;
        let now = timestamp(chrono::Utc::now());
        if let Err(error) =
            blocking(&self.store, move |store| store.settle_delivery(id, &attempt, &now)).await
        {
            tracing::error!(delivery = id, "cannot note a webhook delivery's outcome: {error}");
        }
    }

    /// POSTs the entry; a 2xx answer is a delivery, anything else an
    /// error to note (without the receiver's body, which may be large).
    async fn post(&self, delivery: &Delivery) -> Result<(), String> {
        let body = serde_json::to_vec(&feed::item(self.site.origin(), &delivery.publication))
            .map_err(|e| format!("cannot write the entry: {e}"))?;
        let response = self
            .client
            .post(&delivery.hook.url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(SIGNATURE, sign(&delivery.hook.secret, &body))
            .header(DELIVERY, delivery.id.to_string())
            .header(TIMESTAMP, timestamp(chrono::Utc::now()))
            .body(body)
            .send()
            .await
            .map_err(|e| describe(&e))?;
        let status = response.status();
        if status.is_success() {
            Ok(())
        } else {
            Err(format!("the receiver answered {status}"))
        }
    }
}

/// A failed request in a line, with its cause (reqwest's own message says
/// only "error sending request").
fn describe(error: &reqwest::Error) -> String {
    let mut text = if error.is_timeout() { "timed out".to_owned() } else { error.to_string() };
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text = format!("{text}: {cause}");
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_and_https_urls_with_a_host_are_hooks() {
        assert!(HookUrl::parse("https://example.org/hook?x=1").is_ok());
        assert!(HookUrl::parse("http://127.0.0.1:8080/").is_ok());
        for (bad, says) in [
            ("ftp://example.org/", "use http:// or https://"),
            ("file:///etc/passwd", "use http:// or https://"),
            ("example.org/hook", "not a URL"),
            ("https://user:pw@example.org/", "no user name or password"),
            ("https://example.org/#x", "no #fragment"),
        ] {
            let error = HookUrl::parse(bad).unwrap_err();
            assert!(error.contains(says) && error.contains(bad), "{bad}: {error}");
        }
    }

    #[test]
    fn the_signature_is_the_hmac_of_the_body() {
        // RFC 4231, test case 2.
        assert_eq!(
            sign("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn retries_wait_twice_as_long_each_time_until_the_attempts_run_out() {
        let backoff = Backoff { first: Duration::from_secs(10), attempts: 4 };
        let waits: Vec<_> = (1..=4).map(|failed| backoff.after(failed)).collect();
        assert_eq!(
            waits,
            [
                Some(Duration::from_secs(10)),
                Some(Duration::from_secs(20)),
                Some(Duration::from_secs(40)),
                None
            ]
        );
    }
}
