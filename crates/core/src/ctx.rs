//! Everything the domain needs from the outside world, passed in explicitly: the current time, the
//! device's node id and clock, and a source of random bits. Core never reads a clock or an RNG, so
//! every decision can be replayed and every test is deterministic.

use std::fmt;

use crate::event::EventId;
use crate::hlc::{Hlc, NodeId};
use crate::model::Timestamp;

/// A source of random bits. Browsers implement it with `crypto.getRandomValues`, servers with the
/// OS RNG, tests with [`SplitMix64`]. Ids and ticket codes are only as collision-free as this is
/// random: never back it by a counter on more than one device.
pub trait IdSource {
    fn next_u64(&mut self) -> u64;

    fn fill_bytes(&mut self, buf: &mut [u8]) {
        for chunk in buf.chunks_mut(8) {
            let bytes = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
    }
}

/// Deterministic, seeded generator for tests and replays (Steele, Lea & Flood's SplitMix64). Not
/// for production ids: two devices with the same seed produce the same ids.
#[derive(Debug, Clone)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64 { state: seed }
    }
}

impl IdSource for SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// The context of one decision. Keep one per device: set [`Ctx::now`] before each call and persist
/// [`Ctx::clock`] so the HLC keeps moving forward across restarts.
pub struct Ctx {
    /// The caller's current time.
    pub now: Timestamp,
    /// The last HLC value this device issued or observed; its node is this device's id.
    pub clock: Hlc,
    ids: Box<dyn IdSource>,
}

impl fmt::Debug for Ctx {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ctx")
            .field("now", &self.now)
            .field("clock", &self.clock)
            .finish()
    }
}

impl Ctx {
    pub fn new(node: NodeId, now: Timestamp, ids: Box<dyn IdSource>) -> Ctx {
        Ctx {
            now,
            clock: Hlc::zero(node),
            ids,
        }
    }

    /// A deterministic context for tests: node `node`, ids from `SplitMix64::new(seed)`.
    pub fn seeded(node: &str, seed: u64, now: Timestamp) -> Ctx {
        Ctx::new(
            NodeId(node.to_owned()),
            now,
            Box::new(SplitMix64::new(seed)),
        )
    }

    pub fn node(&self) -> &NodeId {
        &self.clock.node
    }

    /// Stamps a new local event.
    pub fn next_hlc(&mut self) -> Hlc {
        self.clock = self.clock.tick(self.now.timestamp_millis());
        self.clock.clone()
    }

    /// Call for every event received from elsewhere (sync, import) so later local events sort
    /// after it.
    pub fn observe(&mut self, remote: &Hlc) {
        self.clock = self.clock.observe(remote, self.now.timestamp_millis());
    }

    /// A fresh 128-bit id, as 32 lowercase hex digits.
    pub fn next_id(&mut self) -> String {
        let mut bytes = [0u8; 16];
        self.ids.fill_bytes(&mut bytes);
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    pub fn next_event_id(&mut self) -> EventId {
        EventId(self.next_id())
    }

    /// Raw random bits, for things like ticket codes.
    pub fn next_u64(&mut self) -> u64 {
        self.ids.next_u64()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_is_deterministic_and_seed_dependent() {
        let (mut a, mut b, mut c) = (SplitMix64::new(1), SplitMix64::new(1), SplitMix64::new(2));
        let xs: Vec<u64> = (0..4).map(|_| a.next_u64()).collect();
        let ys: Vec<u64> = (0..4).map(|_| b.next_u64()).collect();
        let zs: Vec<u64> = (0..4).map(|_| c.next_u64()).collect();
        assert_eq!(xs, ys);
        assert_ne!(xs, zs);
        // Reference value of SplitMix64 seeded with 0.
        assert_eq!(SplitMix64::new(0).next_u64(), 0xE220_A839_7B1D_CDAF);
    }

    #[test]
    fn fill_bytes_fills_odd_lengths() {
        let mut buf = [0u8; 11];
        SplitMix64::new(7).fill_bytes(&mut buf);
        assert!(buf[8..].iter().any(|b| *b != 0));
    }

    #[test]
    fn ids_are_hex_and_distinct_and_hlc_advances() {
        let now = chrono::DateTime::from_timestamp_millis(1_000).unwrap();
        let mut ctx = Ctx::seeded("dev", 3, now);
        let (a, b) = (ctx.next_id(), ctx.next_id());
        assert_eq!(a.len(), 32);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
        let (h1, h2) = (ctx.next_hlc(), ctx.next_hlc());
        assert!(h1 < h2);
    }
}
