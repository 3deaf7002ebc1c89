//! Failed sign-ins, counted per account and per address, so that guessing
//! a password is slow whether an attacker tries one account from many
//! places or many accounts from one.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How long a failure counts.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Failures per account within the window before it is locked.
const PER_ACCOUNT: usize = 10;
/// Failures per address: a town hall's officers share one.
const PER_ADDRESS: usize = 50;

/// What is counted: an account (by the address typed, whether or not it
/// exists) or a client address.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Account(String),
    Address(IpAddr),
}

/// In memory, per server: a restart forgets, which costs an attacker one
/// window at most.
#[derive(Default)]
pub struct Throttle {
    failures: Mutex<HashMap<Key, Vec<Instant>>>,
}

impl Throttle {
    /// Whether another attempt for this account from this address may be
    /// checked now.
    pub fn allows(&self, account: &str, address: Option<IpAddr>, now: Instant) -> bool {
        let failures = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        let recent = |key: &Key| {
            failures
                .get(key)
                .map_or(0, |times| times.iter().filter(|t| now.duration_since(**t) < WINDOW).count())
        };
        recent(&Key::Account(account.to_owned())) < PER_ACCOUNT
            && address.is_none_or(|address| recent(&Key::Address(address)) < PER_ADDRESS)
    }

    pub fn fail(&self, account: &str, address: Option<IpAddr>, now: Instant) {
        let mut failures = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        // Forget what no longer counts, so the map stays as small as the
        // attempts of the last window.
        failures.retain(|_, times| {
            times.retain(|t| now.duration_since(*t) < WINDOW);
            !times.is_empty()
        });
        let keys = std::iter::once(Key::Account(account.to_owned())).chain(address.map(Key::Address));
        for key in keys {
            failures.entry(key).or_default().push(now);
        }
    }

    /// A successful sign-in clears the account's count (not the address's).
    pub fn succeed(&self, account: &str) {
        self.failures
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&Key::Account(account.to_owned()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_locks_after_ten_failures_for_the_window_and_addresses_after_fifty() {
        let throttle = Throttle::default();
        let start = Instant::now();
        let home: IpAddr = [192, 0, 2, 1].into();
        for _ in 0..PER_ACCOUNT {
            assert!(throttle.allows("a@gemeente.nl", Some(home), start));
            throttle.fail("a@gemeente.nl", Some(home), start);
        }
        assert!(!throttle.allows("a@gemeente.nl", Some([192, 0, 2, 2].into()), start), "from anywhere");
        assert!(throttle.allows("b@gemeente.nl", Some(home), start), "others still may");
        assert!(throttle.allows("a@gemeente.nl", None, start + WINDOW), "until the window has passed");

        for n in 0..PER_ADDRESS {
            throttle.fail(&format!("{n}@gemeente.nl"), Some(home), start);
        }
        assert!(!throttle.allows("c@gemeente.nl", Some(home), start));
        throttle.succeed("c@gemeente.nl");
        assert!(!throttle.allows("c@gemeente.nl", Some(home), start), "success clears the account only");
    }
}
