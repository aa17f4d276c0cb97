//! Hybrid logical clock: physical milliseconds plus a counter plus the node id.
//!
//! Devices' clocks drift, so wall time alone cannot order events across devices. An HLC never runs
//! backwards, moves past every timestamp it has observed, and stays close to wall time, so an event
//! decided after seeing another always sorts after it ("happened-before" is respected), and the
//! order is total because the node id breaks ties.

use serde::{Deserialize, Serialize};

/// Identifies a device (or server instance) that stamps events. Opaque text, random per install.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct NodeId(pub String);

/// A hybrid logical clock timestamp. Field order matters: the derived `Ord` compares wall time,
/// then counter, then node, which is the total order the event log is folded in.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Hlc {
    /// Milliseconds since the Unix epoch, at least the local clock reading at stamping time.
    pub wall_ms: i64,
    /// Breaks ties between events stamped within the same millisecond.
    pub counter: u32,
    /// The device that stamped the event.
    pub node: NodeId,
}

impl Hlc {
    /// The clock of a device that has stamped nothing yet.
    pub fn zero(node: NodeId) -> Hlc {
        Hlc {
            wall_ms: 0,
            counter: 0,
            node,
        }
    }

    /// The next timestamp for a local event, given the local clock reading `now_ms`.
    pub fn tick(&self, now_ms: i64) -> Hlc {
        if now_ms > self.wall_ms {
            Hlc {
                wall_ms: now_ms,
                counter: 0,
                node: self.node.clone(),
            }
        } else {
            self.bump(self.wall_ms, self.counter)
        }
    }

    /// The clock after receiving `remote`: it moves past both its own last value and the remote
    /// one, so anything stamped afterwards sorts after the remote event even if our wall clock is
    /// behind. The node stays ours.
    pub fn observe(&self, remote: &Hlc, now_ms: i64) -> Hlc {
        let wall = now_ms.max(self.wall_ms).max(remote.wall_ms);
        let counter = match (wall == self.wall_ms, wall == remote.wall_ms) {
            (true, true) => Some(self.counter.max(remote.counter)),
            (true, false) => Some(self.counter),
            (false, true) => Some(remote.counter),
            (false, false) => None,
        };
        match counter {
            Some(c) => self.bump(wall, c),
            None => Hlc {
                wall_ms: wall,
                counter: 0,
                node: self.node.clone(),
            },
        }
    }

    /// `counter + 1` at `wall`; if the counter is exhausted, borrow one millisecond instead of
    /// wrapping (wrapping would break monotonicity).
    fn bump(&self, wall: i64, counter: u32) -> Hlc {
        match counter.checked_add(1) {
            Some(c) => Hlc {
                wall_ms: wall,
                counter: c,
                node: self.node.clone(),
            },
            None => Hlc {
                wall_ms: wall.saturating_add(1),
                counter: 0,
                node: self.node.clone(),
            },
        }
    }

    /// How far ahead of the local clock a received timestamp may be before it is suspect.
    pub const MAX_FUTURE_MS: i64 = 24 * 3600 * 1000;

    /// Whether a received timestamp is believable. `observe` moves the clock past anything it
    /// sees, so one device with its clock set years ahead would drag every clock with it; a sync
    /// server should refuse such events instead of observing them.
    pub fn is_plausible(&self, now_ms: i64) -> bool {
        self.wall_ms <= now_ms.saturating_add(Hlc::MAX_FUTURE_MS)
    }

    /// The wall-clock part as a timestamp (what people see as "when").
    pub fn time(&self) -> crate::model::Timestamp {
        chrono::DateTime::from_timestamp_millis(self.wall_ms).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Whatever the clocks do, local stamps strictly increase and a stamp made after observing
        /// a remote one sorts after it.
        #[test]
        fn causality_holds_under_arbitrary_skew(
            steps in prop::collection::vec((0i64..10_000, prop::option::of((0i64..20_000, 0u32..5))), 1..50)
        ) {
            let mut clock = Hlc::zero(node("me"));
            for (now, remote) in steps {
                let before = clock.clone();
                if let Some((wall, counter)) = remote {
                    let r = Hlc { wall_ms: wall, counter, node: node("them") };
                    clock = clock.observe(&r, now);
                    prop_assert!(clock > r);
                } else {
                    clock = clock.tick(now);
                }
                prop_assert!(clock > before);
                prop_assert!(clock.wall_ms >= now);
            }
        }
    }

    fn node(n: &str) -> NodeId {
        NodeId(n.into())
    }

    #[test]
    fn tick_is_monotonic_even_when_the_clock_goes_back() {
        let a = Hlc::zero(node("a")).tick(1_000);
        let b = a.tick(900); // Clock stepped back.
        let c = b.tick(900);
        assert!(a < b && b < c);
        assert_eq!((b.wall_ms, b.counter), (1_000, 1));
        let d = c.tick(2_000);
        assert_eq!((d.wall_ms, d.counter), (2_000, 0));
    }

    #[test]
    fn observe_orders_replies_after_the_remote_event_despite_skew() {
        // Device A runs ten minutes fast, device B is on time.
        let a_event = Hlc::zero(node("a")).tick(1_600_000);
        let b_clock = Hlc::zero(node("b")).tick(1_000_000);
        let b_after = b_clock.observe(&a_event, 1_000_010).tick(1_000_020);
        assert!(
            b_after > a_event,
            "a reply decided after seeing the event must sort after it"
        );
        assert_eq!(b_after.node, node("b"));
    }

    #[test]
    fn observe_with_equal_walls_takes_the_larger_counter() {
        let mine = Hlc {
            wall_ms: 5,
            counter: 3,
            node: node("a"),
        };
        let theirs = Hlc {
            wall_ms: 5,
            counter: 7,
            node: node("b"),
        };
        let next = mine.observe(&theirs, 1);
        assert_eq!((next.wall_ms, next.counter), (5, 8));
        let next = mine.observe(
            &Hlc {
                wall_ms: 4,
                counter: 99,
                node: node("b"),
            },
            1,
        );
        assert_eq!((next.wall_ms, next.counter), (5, 4));
        let next = mine.observe(
            &Hlc {
                wall_ms: 9,
                counter: 2,
                node: node("b"),
            },
            1,
        );
        assert_eq!((next.wall_ms, next.counter), (9, 3));
        let next = mine.observe(&theirs, 50);
        assert_eq!((next.wall_ms, next.counter), (50, 0));
    }

    #[test]
    fn timestamps_far_in_the_future_are_not_plausible() {
        let h = Hlc {
            wall_ms: 1_000 + Hlc::MAX_FUTURE_MS,
            counter: 0,
            node: node("a"),
        };
        assert!(h.is_plausible(1_000));
        assert!(!h.is_plausible(999));
    }

    #[test]
    fn node_breaks_ties_and_counter_overflow_borrows_a_millisecond() {
        let a = Hlc {
            wall_ms: 1,
            counter: 0,
            node: node("a"),
        };
        let b = Hlc {
            wall_ms: 1,
            counter: 0,
            node: node("b"),
        };
        assert!(a < b);
        let full = Hlc {
            wall_ms: 1,
            counter: u32::MAX,
            node: node("a"),
        };
        let next = full.tick(0);
        assert!(next > full);
        assert_eq!((next.wall_ms, next.counter), (2, 0));
    }
}
