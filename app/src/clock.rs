//! Where "now" comes from. Opening statuses, the open-now filter, the
//! election a voter most likely means and how long an answer may be
//! cached all depend on it, so the server reads one clock that it is
//! given: the system's when it serves, a chosen moment in tests (which
//! must give the same answers on any day they run, polling day included).

use chrono::{DateTime, Utc};
use std::sync::Arc;

#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>);

impl Clock {
    /// The system's clock.
    pub fn system() -> Self {
        Self::new(Utc::now)
    }

    /// A clock that reads `now`, e.g. a moment a test sets and moves.
    pub fn new(now: impl Fn() -> DateTime<Utc> + Send + Sync + 'static) -> Self {
        Self(Arc::new(now))
    }

    pub fn now(&self) -> DateTime<Utc> {
        (self.0)()
    }
}

impl Default for Clock {
    fn default() -> Self {
        Self::system()
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Clock(reads {})", self.now().to_rfc3339())
    }
}
