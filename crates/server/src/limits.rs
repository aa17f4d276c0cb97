//! Request-rate limits: a token bucket per caller (principal or client address), per process.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use crate::error::ServerError;

#[derive(Debug)]
pub struct RateLimiter {
    per_minute: u32,
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

impl RateLimiter {
    pub fn new(per_minute: u32) -> RateLimiter {
        RateLimiter {
            per_minute,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token from `key`'s bucket (capacity: one minute's worth).
    pub fn check(&self, key: &str) -> Result<(), ServerError> {
        if self.per_minute == 0 {
            return Ok(());
        }
        let cap = f64::from(self.per_minute);
        let rate = cap / 60.0;
        let now = Instant::now();
        let mut map = self
            .buckets
            .lock()
            .map_err(|_| ServerError::Internal("rate limiter poisoned".into()))?;
        if map.len() > 50_000 {
            // Forget callers whose buckets have refilled.
            map.retain(|_, (t, at)| *t + now.duration_since(*at).as_secs_f64() * rate < cap);
        }
        let (tokens, at) = map.entry(key.to_owned()).or_insert((cap, now));
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
