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
    /// checked now. If so it counts as failed at once, until
    /// [`Self::succeed`] or [`Self::withdraw`] says otherwise: a password
    /// takes a while to check, and attempts sent all at once must not all
    /// slip under the limit before the first of them has failed.
    pub fn attempt(&self, account: &str, address: Option<IpAddr>, now: Instant) -> bool {
        let mut failures = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        let recent = |key: &Key| {
            failures
                .get(key)
                .map_or(0, |times| times.iter().filter(|t| now.duration_since(**t) < WINDOW).count())
        };
        let allowed = recent(&Key::Account(account.to_owned())) < PER_ACCOUNT
            && address.is_none_or(|address| recent(&Key::Address(address)) < PER_ADDRESS);
        if allowed {
            // Forget what no longer counts, so the map stays as small as
            // the attempts of the last window.
            failures.retain(|_, times| {
                times.retain(|t| now.duration_since(*t) < WINDOW);
                !times.is_empty()
            });
            for key in keys(account, address) {
                failures.entry(key).or_default().push(now);
            }
        }
        allowed
    }

    /// Takes back an attempt made at `at` that was never checked (the
    /// server was too busy): it does not count against anyone.
    pub fn withdraw(&self, account: &str, address: Option<IpAddr>, at: Instant) {
        let mut failures = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        for key in keys(account, address) {
            if let Some(times) = failures.get_mut(&key) {
                if let Some(position) = times.iter().position(|t| *t == at) {
                    times.swap_remove(position);
                }
            }
        }
    }

    /// A successful sign-in (the attempt made at `at`) clears the account's
    /// count; of the address's, only this attempt is taken back.
    pub fn succeed(&self, account: &str, address: Option<IpAddr>, at: Instant) {
        self.withdraw(account, address, at);
        self.failures
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&Key::Account(account.to_owned()));
    }
}

/// What one attempt counts against.
fn keys(account: &str, address: Option<IpAddr>) -> impl Iterator<Item = Key> {
    std::iter::once(Key::Account(account.to_owned())).chain(address.map(Key::Address))
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
            assert!(throttle.attempt("a@gemeente.nl", Some(home), start));
        }
        assert!(!throttle.attempt("a@gemeente.nl", Some([192, 0, 2, 2].into()), start), "from anywhere");
        assert!(throttle.attempt("b@gemeente.nl", Some(home), start), "others still may");
        assert!(throttle.attempt("a@gemeente.nl", None, start + WINDOW), "until the window has passed");

        for n in 0..PER_ADDRESS {
            throttle.attempt(&format!("{n}@gemeente.nl"), Some(home), start);
        }
        assert!(!throttle.attempt("c@gemeente.nl", Some(home), start), "fifty from one address");
    }

    #[test]
    fn attempts_count_before_they_are_checked_and_a_success_or_withdrawal_takes_its_own_back() {
        let throttle = Throttle::default();
        let start = Instant::now();
        // Ten sent at once, none checked yet: the eleventh waits.
        for n in 0..PER_ACCOUNT {
            assert!(throttle.attempt("a@gemeente.nl", None, start + Duration::from_millis(n as u64)));
        }
        assert!(!throttle.attempt("a@gemeente.nl", None, start));
        throttle.withdraw("a@gemeente.nl", None, start);
        assert!(throttle.attempt("a@gemeente.nl", None, start), "a withdrawn attempt frees its place");

        let office: IpAddr = [192, 0, 2, 3].into();
        for n in 0..PER_ADDRESS * 2 {
            let at = start + Duration::from_millis(n as u64);
            assert!(throttle.attempt(&format!("{n}@gemeente.nl"), Some(office), at), "officer {n}");
            throttle.succeed(&format!("{n}@gemeente.nl"), Some(office), at);
        }
        // A success clears its account's failures, not its address's.
        for n in 0..PER_ACCOUNT {
            assert!(throttle.attempt("d@gemeente.nl", Some(office), start));
            assert!(throttle.attempt(&format!("{n}@elders.nl"), Some(office), start));
        }
        throttle.succeed("d@gemeente.nl", Some(office), start);
        assert!(throttle.attempt("d@gemeente.nl", Some(office), start), "the account is free again");
        for n in 0..PER_ADDRESS {
            throttle.attempt(&format!("{n}@verder.nl"), Some(office), start);
        }
        assert!(!throttle.attempt("d@gemeente.nl", Some(office), start), "the address still counts");
    }
}
