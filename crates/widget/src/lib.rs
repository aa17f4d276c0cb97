//! The embeddable build: mounts the app in a Shadow DOM; the only crate that knows JsValue.
