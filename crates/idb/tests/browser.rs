//! Runs in headless Chromium against real IndexedDB, a fresh database per test.
#![cfg(target_arch = "wasm32")]

use mostrador_idb::IdbStore;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn fresh_name() -> String {
    // Each test gets a database no other test (or earlier run) has used.
    format!("mostrador-test-{}", (js_sys::Math::random() * 1e15) as u64)
}

mostrador_core::store_contract_tests!(async wasm_bindgen_test, async {
    IdbStore::open(&fresh_name()).await.expect("open a fresh database")
});
