//! The store's change feed: every store tells its subscribers what a committed change touched,
//! whether the change was made through this handle or (for a store shared between tabs) by
//! another one. [`Feed`] is the list of subscribers a store keeps; [`Notice`] what it says.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use crate::model::TicketId;

crate::tagged! {
    #[tag = "kind"]
    /// What a committed change touched. Sent after the change is stored: reading the store in
    /// the callback sees it.
    #[derive(Debug, Clone, PartialEq)]
    pub enum Notice {
        /// Events were appended; these tickets (and their list rows) changed.
        Tickets { touched: Vec<TicketId> },
        /// Settings were saved (list rows were re-projected).
        Settings,
        /// A knowledge-base article was saved.
        Articles,
        /// Workspace changes (settings sections, articles, deflection and assistant records)
        /// were stored.
        Workspace,
    }
}

type Listener = Rc<RefCell<Box<dyn FnMut(&Notice)>>>;

#[derive(Default)]
struct Listeners {
    next: u64,
    list: Vec<(u64, Listener)>,
}

/// The subscribers of one store handle. Cheap to clone (clones share the list).
#[derive(Clone, Default)]
pub struct Feed {
    inner: Rc<RefCell<Listeners>>,
}

impl std::fmt::Debug for Feed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Feed")
            .field("listeners", &self.inner.borrow().list.len())
            .finish()
    }
}

impl Feed {
    /// Calls `f` with every notice from now until the returned [`Subscription`] is dropped.
    pub fn subscribe(&self, f: Box<dyn FnMut(&Notice)>) -> Subscription {
        let mut inner = self.inner.borrow_mut();
        let id = inner.next;
        inner.next += 1;
        inner.list.push((id, Rc::new(RefCell::new(f))));
        Subscription {
            feed: Rc::downgrade(&self.inner),
            id,
        }
    }

    /// Tells every subscriber. A callback may subscribe or unsubscribe (itself or others); one
    /// dropped during the round is not called after, and a callback is never re-entered.
    pub fn notify(&self, notice: &Notice) {
        let round: Vec<(u64, Listener)> = self.inner.borrow().list.clone();
        for (id, listener) in round {
            let live = self.inner.borrow().list.iter().any(|(i, _)| *i == id);
            if !live {
                continue;
            }
            if let Ok(mut f) = listener.try_borrow_mut() {
                f(notice);
            }
        }
    }
}

/// A live subscription to a store's notices; dropping it unsubscribes.
#[must_use = "dropping the subscription unsubscribes at once"]
pub struct Subscription {
    feed: Weak<RefCell<Listeners>>,
    id: u64,
}

impl std::fmt::Debug for Subscription {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Subscription")
            .field("id", &self.id)
            .finish()
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        if let Some(feed) = self.feed.upgrade()
            && let Ok(mut inner) = feed.try_borrow_mut()
        {
            inner.list.retain(|(i, _)| *i != self.id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dropping_a_subscription_stops_its_notices() {
        let feed = Feed::default();
        let seen = Rc::new(RefCell::new(0));
        let s = seen.clone();
        let sub = feed.subscribe(Box::new(move |_| *s.borrow_mut() += 1));
        feed.notify(&Notice::Settings);
        drop(sub);
        feed.notify(&Notice::Settings);
        assert_eq!(*seen.borrow(), 1);
    }

    #[test]
    fn notices_read_back_from_json() {
        let n = Notice::Tickets {
            touched: vec![TicketId("t1".into())],
        };
        let text = serde_json::to_string(&n).unwrap();
        assert_eq!(serde_json::from_str::<Notice>(&text).unwrap(), n);
        let w = serde_json::to_string(&Notice::Workspace).unwrap();
        assert_eq!(
            serde_json::from_str::<Notice>(&w).unwrap(),
            Notice::Workspace
        );
    }
}
