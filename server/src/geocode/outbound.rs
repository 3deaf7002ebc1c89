//! Every call to the online provider passes here, so that no number of
//! voters, and no script typing random text, can make the server flood
//! it: the same text asked by many at once is one call whose answer they
//! share (and the cache then keeps); at most a few calls are in flight at
//! once, and a search that finds no free place soon is answered by the
//! gazetteer alone instead of queueing; and after repeated failures a
//! breaker keeps calls away for a pause, after which one trial call
//! decides whether the provider is back.
//!
//! What the voter typed is never logged here: it is personal data.

use super::pdok::{Pdok, PdokError};
use super::Found;
use std::collections::HashMap;
use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};
use tokio::sync::{watch, Semaphore};

/// How hard the server may lean on the provider.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Calls in flight at once.
    pub concurrent: usize,
    /// How long a search waits for a free place among those before the
    /// gazetteer answers it alone.
    pub place_wait: Duration,
    /// Failures in a row (timeouts, refused connections, 5xx and 429
    /// answers, answers that are not the expected JSON) that open the
    /// breaker.
    pub failures_to_open: u32,
    /// How long an open breaker keeps calls away before one trial.
    pub pause: Duration,
}

impl Default for Limits {
    /// Eight calls of at most the provider's timeout each are far more
    /// than the searches that are not answered offline or from the cache;
    /// a quarter second is as long as a voter should wait for a place.
    fn default() -> Self {
        Self {
            concurrent: 8,
            place_wait: Duration::from_millis(250),
            failures_to_open: 5,
            pause: Duration::from_secs(30),
        }
    }
}

/// Where time comes from: the system's clock, or a test's.
pub type Clock = Arc<dyn Fn() -> Instant + Send + Sync>;

/// The system's clock.
pub fn system_clock() -> Clock {
    Arc::new(Instant::now)
}

/// Answers kept from the provider: enough for the popular searches of an
/// election day, small enough not to matter.
const CACHE_ENTRIES: usize = 10_000;

/// What the provider contributed to one search.
#[derive(Clone, Debug)]
enum Answer {
    Found(Vec<Found>),
    /// No answer (failed, busy, or kept away by the breaker): the
    /// gazetteer answers alone.
    Unavailable,
}

/// The figures `/metrics` shows, counted since the start.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Calls the provider answered.
    pub answered: u64,
    /// Calls that failed as the breaker counts failures.
    pub failed: u64,
    /// Searches that joined a call already in flight for the same text.
    pub merged: u64,
    /// Searches that found no free place in time.
    pub busy: u64,
    /// Searches the open breaker kept from the provider.
    pub kept_away: u64,
    /// Calls in flight now.
    pub in_flight: u64,
    /// Whether the breaker keeps calls away now.
    pub breaker_open: bool,
}

#[derive(Default)]
struct Counters {
    answered: AtomicU64,
    failed: AtomicU64,
    merged: AtomicU64,
    busy: AtomicU64,
    kept_away: AtomicU64,
}

/// The answers kept, and the calls in flight by normalised text, under
/// one lock: a search that misses the cache and finds no call in flight
/// knows that none finished in between.
struct Shared {
    cache: lru::LruCache<String, Vec<Found>>,
    flights: HashMap<String, watch::Receiver<Option<Answer>>>,
}

pub struct Outbound {
    provider: Pdok,
    limits: Limits,
    clock: Clock,
    places: Semaphore,
    shared: Mutex<Shared>,
    breaker: Mutex<Breaker>,
    counters: Counters,
}

impl Outbound {
    pub fn new(provider: Pdok, limits: Limits, clock: Clock) -> Self {
        let capacity = NonZeroUsize::new(CACHE_ENTRIES).unwrap_or(NonZeroUsize::MIN);
        Self {
            provider,
            places: Semaphore::new(limits.concurrent),
            breaker: Mutex::new(Breaker::new(limits.failures_to_open, limits.pause)),
            limits,
            clock,
            shared: Mutex::new(Shared { cache: lru::LruCache::new(capacity), flights: HashMap::new() }),
            counters: Counters::default(),
        }
    }

    /// The provider's candidates for `text`; none when it cannot answer.
    pub async fn search(self: &Arc<Self>, text: &str) -> Vec<Found> {
        let key = normalise(text);
        let mut flight = {
            let mut shared = self.shared.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(found) = shared.cache.get(&key) {
                return found.clone();
            }
            // A call whose task ended without answering (it can only have
            // panicked) is not waited for.
            match shared.flights.get(&key).filter(|flight| flight.has_changed().is_ok()) {
                Some(flight) => {
                    self.counters.merged.fetch_add(1, Ordering::Relaxed);
                    flight.clone()
                }
                None => {
                    let (sender, flight) = watch::channel(None);
                    shared.flights.insert(key.clone(), flight.clone());
                    // A task of its own, so that the call finishes, and is
                    // cached, even when every voter who asked has left.
                    tokio::spawn(self.clone().fly(key, text.to_owned(), sender));
                    flight
                }
            }
        };
        let answer = match flight.wait_for(Option::is_some).await {
            Ok(answer) => answer.clone(),
            Err(_) => None,
        };
        match answer {
            Some(Answer::Found(found)) => found,
            Some(Answer::Unavailable) | None => Vec::new(),
        }
    }

    /// Makes the call for `key` and hands its answer to all who wait.
    async fn fly(self: Arc<Self>, key: String, text: String, sender: watch::Sender<Option<Answer>>) {
        let answer = self.call(&text).await;
        let mut shared = self.shared.lock().unwrap_or_else(PoisonError::into_inner);
        if let Answer::Found(found) = &answer {
            shared.cache.put(key.clone(), found.clone());
        }
        shared.flights.remove(&key);
        drop(shared);
        sender.send_replace(Some(answer));
    }

    /// One call, when a place is free in time and the breaker lets it
    /// through.
    async fn call(&self, text: &str) -> Answer {
        let Ok(Ok(_place)) = tokio::time::timeout(self.limits.place_wait, self.places.acquire()).await else {
            self.counters.busy.fetch_add(1, Ordering::Relaxed);
            return Answer::Unavailable;
        };
        if !self.breaker().admit((self.clock)()) {
            self.counters.kept_away.fetch_add(1, Ordering::Relaxed);
            return Answer::Unavailable;
        }
        let result = self.provider.search(text).await;
        let failed = result.as_ref().err().is_some_and(PdokError::is_failure);
        let counter = if failed { &self.counters.failed } else { &self.counters.answered };
        counter.fetch_add(1, Ordering::Relaxed);
        self.record(failed);
        match result {
            Ok(found) => Answer::Found(found),
            Err(error) => {
                // The error names neither the text nor the URL that holds it.
                tracing::warn!("geocoding provider failed, answering offline: {error}");
                Answer::Unavailable
            }
        }
    }

    fn record(&self, failed: bool) {
        let now = (self.clock)();
        match self.breaker().record(failed, now) {
            Some(Change::Opened) => tracing::warn!(
                "geocoding provider failed {} times in a row: answering offline, trying again in {:?}",
                self.limits.failures_to_open,
                self.limits.pause
            ),
            Some(Change::Closed) => tracing::info!("geocoding provider answers again"),
            None => {}
        }
    }

    fn breaker(&self) -> std::sync::MutexGuard<'_, Breaker> {
        self.breaker.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn stats(&self) -> Stats {
        let read = |counter: &AtomicU64| counter.load(Ordering::Relaxed);
        Stats {
            answered: read(&self.counters.answered),
            failed: read(&self.counters.failed),
            merged: read(&self.counters.merged),
            busy: read(&self.counters.busy),
            kept_away: read(&self.counters.kept_away),
            in_flight: self.limits.concurrent.saturating_sub(self.places.available_permits()) as u64,
            breaker_open: self.breaker().is_open(),
        }
    }
}

/// Texts that differ only in case and spacing ask the provider the same.
fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// A circuit breaker over the provider: closed, it lets every call
/// through and counts failures in a row; open, it lets one trial through
/// each `pause` and none else, until a call succeeds. Time is passed in,
/// so tests need not wait.
#[derive(Debug)]
struct Breaker {
    failures_to_open: u32,
    pause: Duration,
    state: BreakerState,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum BreakerState {
    Closed { failures: u32 },
    Open { next_trial: Instant },
}

/// A turn of the breaker, worth a line in the log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Change {
    Opened,
    Closed,
}

impl Breaker {
    fn new(failures_to_open: u32, pause: Duration) -> Self {
        Self { failures_to_open, pause, state: BreakerState::Closed { failures: 0 } }
    }

    /// Whether a call may go out at `now`. The trial after a pause is let
    /// through alone: the next one waits a pause more, so a trial whose
    /// outcome never comes back cannot keep the breaker open for good.
    fn admit(&mut self, now: Instant) -> bool {
        match self.state {
            BreakerState::Closed { .. } => true,
            BreakerState::Open { next_trial } if now >= next_trial => {
                self.state = BreakerState::Open { next_trial: now + self.pause };
                true
            }
            BreakerState::Open { .. } => false,
        }
    }

    /// Notes how a call ended. Any success closes the breaker; a failure
    /// while open (the trial) starts a new pause.
    fn record(&mut self, failed: bool, now: Instant) -> Option<Change> {
        let was_open = self.is_open();
        self.state = match (failed, self.state) {
            (false, _) => BreakerState::Closed { failures: 0 },
            (true, BreakerState::Closed { failures }) if failures + 1 < self.failures_to_open => {
                BreakerState::Closed { failures: failures + 1 }
            }
            (true, _) => BreakerState::Open { next_trial: now + self.pause },
        };
        match (was_open, self.is_open()) {
            (false, true) => Some(Change::Opened),
            (true, false) => Some(Change::Closed),
            _ => None,
        }
    }

    fn is_open(&self) -> bool {
        matches!(self.state, BreakerState::Open { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAUSE: Duration = Duration::from_secs(30);

    #[test]
    fn failures_in_a_row_open_the_breaker_and_a_success_between_resets_the_count() {
        let start = Instant::now();
        let mut breaker = Breaker::new(3, PAUSE);
        for _ in 0..2 {
            assert!(breaker.admit(start));
            assert_eq!(breaker.record(true, start), None);
        }
        assert_eq!(breaker.record(false, start), None);
        assert_eq!(breaker.record(true, start), None);
        assert_eq!(breaker.record(true, start), None);
        assert!(breaker.admit(start), "two failures since the success");
        assert_eq!(breaker.record(true, start), Some(Change::Opened));
        assert!(!breaker.admit(start));
        assert!(!breaker.admit(start + PAUSE - Duration::from_millis(1)));
    }

    #[test]
    fn after_the_pause_one_trial_decides() {
        let start = Instant::now();
        let mut breaker = Breaker::new(1, PAUSE);
        assert_eq!(breaker.record(true, start), Some(Change::Opened));
        let later = start + PAUSE;
        assert!(breaker.admit(later), "the trial");
        assert!(!breaker.admit(later), "only one");
        assert_eq!(breaker.record(true, later), None, "the trial failed: open still");
        assert!(!breaker.admit(later + PAUSE - Duration::from_millis(1)), "a new pause");
        assert!(breaker.admit(later + PAUSE));
        assert_eq!(breaker.record(false, later + PAUSE), Some(Change::Closed));
        assert!(breaker.admit(later + PAUSE) && breaker.admit(later + PAUSE), "closed: all pass");
    }

    #[test]
    fn a_lost_trial_does_not_keep_the_breaker_open() {
        let start = Instant::now();
        let mut breaker = Breaker::new(1, PAUSE);
        breaker.record(true, start);
        assert!(breaker.admit(start + PAUSE));
        // That trial's outcome never came back; another follows a pause on.
        assert!(breaker.admit(start + PAUSE * 2));
    }

    #[test]
    fn case_and_spacing_do_not_make_another_question() {
        assert_eq!(normalise("  Lindelaan\t9   DEMODORP "), "lindelaan 9 demodorp");
    }
}
