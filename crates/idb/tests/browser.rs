//! Runs in headless Chromium against real IndexedDB.
#![cfg(target_arch = "wasm32")]

use mostrador_idb::{IdbDatabase, migrations::TICKETS};
use serde::{Deserialize, Serialize};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Draft {
    id: String,
    subject: String,
}

fn unique_name(test: &str) -> String {
    // Each test gets a database no other test (or earlier run) has used.
    format!(
        "mostrador-test-{test}-{}",
        (js_sys::Math::random() * 1e12) as u64
    )
}

#[wasm_bindgen_test]
async fn a_record_written_is_read_back_after_reopening() {
    let name = unique_name("roundtrip");
    let db = IdbDatabase::open(&name).await.unwrap();
    let draft = Draft {
        id: "KQD-48213-ZPT".into(),
        subject: "Mi pedido no llegó".into(),
    };
    db.put(TICKETS, &draft).await.unwrap();
    drop(db);

    let db = IdbDatabase::open(&name).await.unwrap();
    let back: Option<Draft> = db.get(TICKETS, "KQD-48213-ZPT").await.unwrap();
    assert_eq!(back, Some(draft));
    let missing: Option<Draft> = db.get(TICKETS, "nope").await.unwrap();
    assert_eq!(missing, None);
    let all: Vec<Draft> = db.all(TICKETS).await.unwrap();
    assert_eq!(all.len(), 1);
    db.delete().await.unwrap();
}
