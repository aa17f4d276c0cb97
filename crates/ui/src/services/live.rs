//! Live updates between tabs and frames that share one database: after every local change a
//! message goes out on a `BroadcastChannel` named after the database, and every other app on the
//! same origin re-reads what it shows. No listener is added to the host's `window`.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::{BroadcastChannel, MessageEvent};

/// One open channel; closed when dropped (the app unmounts).
pub struct Live {
    channel: BroadcastChannel,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
}

impl Live {
    /// Opens the channel for `db_name`; every message bumps `revision`. `None` where the browser
    /// has no BroadcastChannel: the app then only refreshes on its own changes.
    pub fn open(db_name: &str, revision: RwSignal<u64>) -> Option<Live> {
        let channel = BroadcastChannel::new(&format!("mostrador:{db_name}")).ok()?;
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |_: MessageEvent| {
            revision.try_update(|r| *r += 1);
        });
        channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        Some(Live {
            channel,
            _on_message: on_message,
        })
    }

    /// Tells the other apps that the data changed.
    pub fn notify(&self) {
        let _ = self.channel.post_message(&JsValue::from_f64(1.0));
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        self.channel.set_onmessage(None);
        self.channel.close();
    }
}
