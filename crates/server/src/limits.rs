//! Request-rate limits, per process: a token bucket per caller (principal or client address), an
//! exponential delay for failed logins per client, and open connections per peer address.
//!
//! Memory is bounded whatever clients send: keys are stored as a 16-byte digest, never as the
//! text a client chose, and each table holds at most [`MAX_KEYS`] entries (entries that have
//! recovered are dropped first, then the least recently used).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use crate::error::ServerError;

/// Entries per table at most.
pub const MAX_KEYS: usize = 50_000;

type Key = [u8; 16];

fn key(text: &str) -> Key {
    let d = Sha256::digest(text.as_bytes());
    let mut k = [0u8; 16];
    k.copy_from_slice(&d[..16]);
    k
}

/// Makes room for one more entry in `map`: first forgets entries `recovered` says are back to
/// their initial state, then the least recently touched eighth.
fn make_room<V>(
    map: &mut HashMap<Key, V>,
    max: usize,
    recovered: impl Fn(&V) -> bool,
    touched: impl Fn(&V) -> Instant,
) {
    if map.len() < max {
        return;
    }
    map.retain(|_, v| !recovered(v));
    if map.len() < max {
        return;
    }
    let mut times: Vec<Instant> = map.values().map(&touched).collect();
    times.sort_unstable();
    let cut = times[(times.len() / 8).min(times.len() - 1)];
    map.retain(|_, v| touched(v) > cut);
}

#[derive(Debug)]
pub struct RateLimiter {
    per_minute: u32,
    max_keys: usize,
    buckets: Mutex<HashMap<Key, (f64, Instant)>>,
}

impl RateLimiter {
    pub fn new(per_minute: u32) -> RateLimiter {
        RateLimiter::with_capacity(per_minute, MAX_KEYS)
    }

    pub fn with_capacity(per_minute: u32, max_keys: usize) -> RateLimiter {
        RateLimiter {
            per_minute,
            max_keys: max_keys.max(1),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// How many callers are remembered.
    pub fn len(&self) -> usize {
        self.buckets.lock().map_or(0, |m| m.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Takes one token from `key`'s bucket (capacity: one minute's worth).
    pub fn check(&self, key_text: &str) -> Result<(), ServerError> {
        if self.per_minute == 0 {
            return Ok(());
        }
        let cap = f64::from(self.per_minute);
        let rate = cap / 60.0;
        let now = Instant::now();
        let k = key(key_text);
        let mut map = self
            .buckets
            .lock()
            .map_err(|_| ServerError::Internal("rate limiter poisoned".into()))?;
        if !map.contains_key(&k) {
            make_room(
                &mut map,
                self.max_keys,
                |(t, at)| *t + now.duration_since(*at).as_secs_f64() * rate >= cap,
                |(_, at)| *at,
            );
        }
        let (tokens, at) = map.entry(k).or_insert((cap, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * rate).min(cap);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            let wait = ((1.0 - *tokens) / rate).ceil();
            Err(ServerError::RateLimited {
                retry_after_s: wait as u64,
            })
        }
    }
}

/// Failed logins per client: after `free` failures in a row, each further attempt must wait
/// 1 s, 2 s, 4 s, … (at most [`LoginDelay::MAX_DELAY`]) after the previous failure. A success
/// clears the client's record; a record is forgotten once its delay and an hour have passed.
///
/// The delay is keyed by the client, never by the account alone: an attacker guessing an agent's
/// password slows only themselves, and the agent signs in from their own address as usual.
#[derive(Debug)]
pub struct LoginDelay {
    free: u32,
    max_keys: usize,
    failures: Mutex<HashMap<Key, (u32, Instant)>>,
}

impl LoginDelay {
    pub const MAX_DELAY: Duration = Duration::from_secs(15 * 60);
    const FORGET: Duration = Duration::from_secs(3600);

    pub fn new(free: u32) -> LoginDelay {
        LoginDelay {
            free,
            max_keys: MAX_KEYS,
            failures: Mutex::new(HashMap::new()),
        }
    }

    fn delay(&self, failures: u32) -> Duration {
        login_delay(self.free, failures)
    }

    /// How many clients are remembered.
    pub fn len(&self) -> usize {
        self.failures.lock().map_or(0, |m| m.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Refuses the attempt while `key`'s delay runs.
    pub fn check(&self, key_text: &str) -> Result<(), ServerError> {
        let now = Instant::now();
        let map = self
            .failures
            .lock()
            .map_err(|_| ServerError::Internal("login limiter poisoned".into()))?;
        if let Some((n, at)) = map.get(&key(key_text)) {
            let until = *at + self.delay(*n);
            if until > now {
                return Err(ServerError::RateLimited {
                    retry_after_s: (until - now).as_secs().max(1),
                });
            }
        }
        Ok(())
    }

    pub fn failed(&self, key_text: &str) {
        let now = Instant::now();
        let Ok(mut map) = self.failures.lock() else {
            return;
        };
        let k = key(key_text);
        if !map.contains_key(&k) {
            let free = self.free;
            make_room(
                &mut map,
                self.max_keys,
                |(n, at)| now.duration_since(*at) > login_delay(free, *n) + Self::FORGET,
                |(_, at)| *at,
            );
        }
        let e = map.entry(k).or_insert((0, now));
        e.0 = e.0.saturating_add(1);
        e.1 = now;
    }

    pub fn succeeded(&self, key_text: &str) {
        if let Ok(mut map) = self.failures.lock() {
            map.remove(&key(key_text));
        }
    }
}

/// Open connections per peer address (the TCP peer: a proxy counts as one peer).
#[derive(Debug)]
pub struct PeerConnections {
    max: usize,
    open: std::sync::Arc<Mutex<HashMap<std::net::IpAddr, usize>>>,
}

/// One open connection of a peer; closing it (dropping this) frees the place.
#[derive(Debug)]
pub struct PeerSlot {
    ip: std::net::IpAddr,
    open: std::sync::Arc<Mutex<HashMap<std::net::IpAddr, usize>>>,
}

impl Drop for PeerSlot {
    fn drop(&mut self) {
        if let Ok(mut m) = self.open.lock()
            && let Some(n) = m.get_mut(&self.ip)
        {
            *n -= 1;
            if *n == 0 {
                m.remove(&self.ip);
            }
        }
    }
}

impl PeerConnections {
    /// `max` 0: no limit.
    pub fn new(max: usize) -> PeerConnections {
        PeerConnections {
            max,
            open: std::sync::Arc::default(),
        }
    }

    /// A place for one more connection of `ip`, or `None` when it has `max` open.
    pub fn enter(&self, ip: std::net::IpAddr) -> Option<PeerSlot> {
        let mut m = self.open.lock().ok()?;
        let n = m.entry(ip).or_default();
        if self.max != 0 && *n >= self.max {
            return None;
        }
        *n += 1;
        Some(PeerSlot {
            ip,
            open: self.open.clone(),
        })
    }
}

/// The wait after `failures` failed logins in a row, the first `free` of them free.
fn login_delay(free: u32, failures: u32) -> Duration {
    match failures.checked_sub(free.saturating_add(1)) {
        None => Duration::ZERO,
        Some(n) => Duration::from_secs(1u64 << n.min(20)).min(LoginDelay::MAX_DELAY),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limiter_remembers_a_bounded_number_of_callers() {
        let l = RateLimiter::with_capacity(10, 100);
        for i in 0..10_000 {
            l.check(&format!("{i}{}", "x".repeat(1000))).unwrap();
        }
        assert!(l.len() <= 100, "{}", l.len());
    }

    #[test]
    fn login_delays_grow_per_client_and_reset_on_success() {
        let d = LoginDelay::new(2);
        d.check("a").unwrap();
        d.failed("a");
        d.failed("a");
        d.check("a").unwrap();
        d.failed("a");
        assert!(d.check("a").is_err());
        assert!(d.check("b").is_ok());
        d.succeeded("a");
        d.check("a").unwrap();
        assert_eq!(d.delay(2), Duration::ZERO);
        assert_eq!(d.delay(3), Duration::from_secs(1));
        assert_eq!(d.delay(4), Duration::from_secs(2));
        assert_eq!(d.delay(200), LoginDelay::MAX_DELAY);
    }
}
