//! Failed sign-ins make the next attempts wait, so that guessing a
//! password is slow whether an attacker tries one account from many places
//! or many accounts from one, without handing a stranger who knows an
//! officer's e-mail address a way to lock that officer out.
//!
//! - **Per account, a slowdown, never a lock.** After [`FREE_FAILURES`]
//!   failures, each next attempt must wait [`FIRST_WAIT`], doubled with
//!   every further failure up to [`LONGEST_WAIT`]. The right password after
//!   the wait gets in, and a success clears the count. A guesser gets a
//!   dozen tries an hour; the officer waits minutes at most per attempt.
//! - **Familiar addresses keep their own count.** An address the account
//!   signed in from within [`FAMILIAR_FOR`] is slowed only by failures made
//!   from that address, so a stranger elsewhere who keeps the account at
//!   the longest wait does not slow the officer at their usual desk (the
//!   idea of "smart lockout" at large identity providers).
//! - **Per client address, a limit.** [`PER_ADDRESS`] failures within
//!   [`WINDOW`] from one address, on any accounts, and that address waits
//!   until the oldest leaves the window. A town hall's officers share an
//!   address, hence the generous number. The address is the client's as
//!   [`crate::http::client_address`] finds it (behind a proxy, not the
//!   proxy's), an IPv6 one by its /64; unreadable addresses share one
//!   count.
//!
//! Every time is a parameter, so tests need not sleep.

use crate::http::client_address::ClientAddress;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How long a failure counts against its client address; also how long
/// an account must see no failure before its count is forgotten.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Failures of an account that cost no wait: typing errors.
const FREE_FAILURES: usize = 5;
/// The wait after the first failure beyond the free ones.
const FIRST_WAIT: Duration = Duration::from_secs(1);
/// The wait never grows beyond this.
const LONGEST_WAIT: Duration = Duration::from_secs(5 * 60);
/// Failures per client address within the window.
const PER_ADDRESS: usize = 50;
/// How long an address the account signed in from stays familiar.
const FAMILIAR_FOR: Duration = Duration::from_secs(30 * 24 * 3600);
/// Familiar addresses kept per account, the latest.
const FAMILIAR_PER_ACCOUNT: usize = 8;

/// In memory, per server: a restart forgets, which gives an attacker a
/// few free guesses again, no more.
#[derive(Default)]
pub struct Throttle {
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    /// Per account (as typed, whether or not it exists): each failure
    /// since the last success, and where it came from.
    accounts: HashMap<String, Vec<(Instant, ClientAddress)>>,
    /// Per client address: its failures within the window.
    addresses: HashMap<ClientAddress, Vec<Instant>>,
    /// Per account: where it signed in from, and when last.
    familiar: HashMap<String, Vec<(IpAddr, Instant)>>,
}

impl Throttle {
    /// Whether another attempt on this account from this address may be
    /// checked now; if not, how long to wait. An admitted attempt counts
    /// as failed at once, until [`Self::succeed`] or [`Self::withdraw`]
    /// says otherwise: a password takes a while to check, and attempts
    /// sent all at once must not all slip through before the first fails.
    pub fn attempt(&self, account: &str, address: ClientAddress, now: Instant) -> Result<(), Duration> {
        let address = address.limit_key();
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.forget(now);
        let address_wait = state.addresses.get(&address).and_then(|failures| {
            let oldest = *failures.iter().min()?;
            (failures.len() >= PER_ADDRESS).then(|| (oldest + WINDOW).saturating_duration_since(now))
        });
        let familiar = state.is_familiar(account, address);
        let account_wait = state.accounts.get(account).and_then(|failures| {
            // At a familiar address, only the failures made there count.
            let counted: Vec<Instant> = failures
                .iter()
                .filter(|(_, from)| !familiar || *from == address)
                .map(|(at, _)| *at)
                .collect();
            let last = *counted.iter().max()?;
            let wait = wait_after(counted.len())?;
            Some((last + wait).saturating_duration_since(now)).filter(|left| !left.is_zero())
        });
        if let Some(wait) = address_wait.into_iter().chain(account_wait).max() {
            return Err(wait);
        }
        state.accounts.entry(account.to_owned()).or_default().push((now, address));
        state.addresses.entry(address).or_default().push(now);
        Ok(())
    }

    /// Takes back an attempt made at `at` that was never checked (the
    /// server was too busy): it does not count against anyone.
    pub fn withdraw(&self, account: &str, address: ClientAddress, at: Instant) {
        let address = address.limit_key();
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(failures) = state.accounts.get_mut(account) {
            if let Some(position) = failures.iter().position(|failure| *failure == (at, address)) {
                failures.swap_remove(position);
            }
        }
        if let Some(failures) = state.addresses.get_mut(&address) {
            if let Some(position) = failures.iter().position(|t| *t == at) {
                failures.swap_remove(position);
            }
        }
    }

    /// A successful sign-in (the attempt made at `at`) clears the account's
    /// count and makes the address familiar to it; of the address's count,
    /// only this attempt is taken back.
    pub fn succeed(&self, account: &str, address: ClientAddress, at: Instant) {
        self.withdraw(account, address, at);
        let address = address.limit_key();
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.accounts.remove(account);
        if let ClientAddress::Known(ip) = address {
            let familiar = state.familiar.entry(account.to_owned()).or_default();
            familiar.retain(|(known, _)| *known != ip);
            familiar.push((ip, at));
            if familiar.len() > FAMILIAR_PER_ACCOUNT {
                familiar.remove(0);
            }
        }
    }
}

impl State {
    fn is_familiar(&self, account: &str, address: ClientAddress) -> bool {
        let ClientAddress::Known(ip) = address else { return false };
        self.familiar.get(account).is_some_and(|known| known.iter().any(|(seen, _)| *seen == ip))
    }

    /// Drops what no longer counts, so that memory holds only recent
    /// failures and recent sign-ins.
    fn forget(&mut self, now: Instant) {
        let recent = |at: &Instant| now.saturating_duration_since(*at) < WINDOW;
        self.addresses.retain(|_, failures| {
            failures.retain(recent);
            !failures.is_empty()
        });
        self.accounts.retain(|_, failures| failures.iter().any(|(at, _)| recent(at)));
        self.familiar.retain(|_, known| {
            known.retain(|(_, at)| now.saturating_duration_since(*at) < FAMILIAR_FOR);
            !known.is_empty()
        });
    }
}

/// The wait after `failures` failures: none for the free ones, then
/// doubling up to the longest.
fn wait_after(failures: usize) -> Option<Duration> {
    let beyond = failures.checked_sub(FREE_FAILURES)?;
    let doublings = u32::try_from(beyond).unwrap_or(u32::MAX).min(16);
    Some(FIRST_WAIT.saturating_mul(1 << doublings).min(LONGEST_WAIT))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> ClientAddress {
        ClientAddress::Known(text.parse().unwrap())
    }

    /// Fails attempts on `account` from `address`, each as soon as the
    /// throttle allows, from `now` on; the moment after the last.
    fn fail(
        throttle: &Throttle,
        account: &str,
        address: ClientAddress,
        times: usize,
        mut now: Instant,
    ) -> Instant {
        for _ in 0..times {
            if let Err(wait) = throttle.attempt(account, address, now) {
                now += wait;
                throttle.attempt(account, address, now).expect("admitted after the wait");
            }
        }
        now
    }

    #[test]
    fn a_strangers_failures_only_delay_the_account_and_the_right_password_after_the_wait_gets_in() {
        let throttle = Throttle::default();
        let start = Instant::now();
        let stranger = at("203.0.113.66");
        for _ in 0..FREE_FAILURES {
            assert_eq!(
                throttle.attempt("a@gemeente.nl", stranger, start),
                Ok(()),
                "typing errors cost nothing"
            );
        }
        // From now on each attempt waits, twice as long as the one before.
        assert_eq!(throttle.attempt("a@gemeente.nl", stranger, start), Err(FIRST_WAIT));
        assert_eq!(
            throttle.attempt("a@gemeente.nl", at("192.0.2.1"), start),
            Err(FIRST_WAIT),
            "from anywhere"
        );
        throttle.attempt("a@gemeente.nl", stranger, start + FIRST_WAIT).unwrap();
        assert_eq!(throttle.attempt("a@gemeente.nl", stranger, start + FIRST_WAIT), Err(FIRST_WAIT * 2));

        // A stranger who keeps at it holds the account at the longest
        // wait, never more.
        let later = fail(&throttle, "a@gemeente.nl", stranger, 40, start);
        let wait = throttle.attempt("a@gemeente.nl", at("192.0.2.1"), later).unwrap_err();
        assert_eq!(wait, LONGEST_WAIT);
        // The officer, after the wait, is let through to check the
        // password; the right one clears the count.
        throttle.attempt("a@gemeente.nl", at("192.0.2.1"), later + wait).unwrap();
        throttle.succeed("a@gemeente.nl", at("192.0.2.1"), later + wait);
        assert_eq!(throttle.attempt("a@gemeente.nl", stranger, later + wait), Ok(()), "counting starts anew");
        assert_eq!(throttle.attempt("b@gemeente.nl", stranger, start), Ok(()), "other accounts never waited");
    }

    #[test]
    fn a_familiar_address_is_slowed_only_by_its_own_failures() {
        let throttle = Throttle::default();
        let start = Instant::now();
        let desk = at("192.0.2.1");
        throttle.attempt("a@gemeente.nl", desk, start).unwrap();
        throttle.succeed("a@gemeente.nl", desk, start);

        let later = fail(&throttle, "a@gemeente.nl", at("203.0.113.66"), 30, start);
        assert_eq!(throttle.attempt("a@gemeente.nl", at("192.0.2.2"), later), Err(LONGEST_WAIT));
        assert_eq!(throttle.attempt("a@gemeente.nl", desk, later), Ok(()), "the officer's desk goes on");
        let own = fail(&throttle, "a@gemeente.nl", desk, FREE_FAILURES - 1, later);
        assert_eq!(throttle.attempt("a@gemeente.nl", desk, own), Err(FIRST_WAIT), "but its own typos count");
        assert!(
            throttle.attempt("a@gemeente.nl", desk, start + FAMILIAR_FOR + WINDOW).is_ok(),
            "everything is forgotten in time"
        );
    }

    #[test]
    fn one_address_waits_after_fifty_failures_on_any_accounts_and_unknown_addresses_share_a_count() {
        let throttle = Throttle::default();
        let start = Instant::now();
        for address in [at("203.0.113.66"), ClientAddress::Unknown] {
            for n in 0..PER_ADDRESS {
                throttle.attempt(&format!("{n}@gemeente.nl"), address, start).unwrap();
            }
            assert_eq!(throttle.attempt("x@gemeente.nl", address, start), Err(WINDOW));
            let minute = Duration::from_secs(60);
            assert_eq!(throttle.attempt("x@gemeente.nl", address, start + minute), Err(WINDOW - minute));
        }
        assert_eq!(throttle.attempt("x@gemeente.nl", at("192.0.2.1"), start), Ok(()), "others go on");
        assert!(throttle.attempt("y@gemeente.nl", ClientAddress::Unknown, start + WINDOW).is_ok());
    }

    #[test]
    fn attempts_count_before_they_are_checked_and_a_success_or_withdrawal_takes_its_own_back() {
        let throttle = Throttle::default();
        let start = Instant::now();
        let office = at("192.0.2.3");
        // Five sent at once, none checked yet: the sixth waits.
        for n in 0..FREE_FAILURES {
            throttle.attempt("a@gemeente.nl", office, start + Duration::from_millis(n as u64)).unwrap();
        }
        assert!(throttle.attempt("a@gemeente.nl", office, start + Duration::from_millis(5)).is_err());
        throttle.withdraw("a@gemeente.nl", office, start);
        assert_eq!(
            throttle.attempt("a@gemeente.nl", office, start),
            Ok(()),
            "a withdrawn attempt frees its place"
        );

        // A success takes back its own attempt from the address's count.
        for n in 0..PER_ADDRESS * 2 {
            let when = start + Duration::from_millis(n as u64);
            throttle.attempt(&format!("{n}@gemeente.nl"), office, when).unwrap();
            throttle.succeed(&format!("{n}@gemeente.nl"), office, when);
        }
        assert_eq!(throttle.attempt("d@gemeente.nl", office, start), Ok(()));
    }

    #[test]
    fn an_ipv6_client_counts_as_its_64_whichever_address_it_takes() {
        let throttle = Throttle::default();
        let start = Instant::now();
        for n in 0..PER_ADDRESS {
            let address = at(&format!("2001:db8:1:2::{:x}", n + 1));
            throttle.attempt(&format!("{n}@gemeente.nl"), address, start).unwrap();
        }
        assert!(throttle.attempt("x@gemeente.nl", at("2001:db8:1:2:ffff::1"), start).is_err());
        assert_eq!(throttle.attempt("x@gemeente.nl", at("2001:db8:1:3::1"), start), Ok(()), "the next /64");
    }

    #[test]
    fn waits_double_from_the_first_to_the_longest() {
        let waits: Vec<Option<u64>> = (4..16).map(|n| wait_after(n).map(|wait| wait.as_secs())).collect();
        assert_eq!(
            waits,
            [
                None,
                Some(1),
                Some(2),
                Some(4),
                Some(8),
                Some(16),
                Some(32),
                Some(64),
                Some(128),
                Some(256),
                Some(300),
                Some(300)
            ]
        );
        assert_eq!(wait_after(usize::MAX), Some(LONGEST_WAIT));
    }
}
