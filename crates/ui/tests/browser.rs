//! Component behaviour in a real browser DOM (headless Chromium).
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use mostrador_ui::{App, AppOptions, Mode};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

async fn tick() {
    gloo_timers::future::TimeoutFuture::new(0).await;
}

#[wasm_bindgen_test]
async fn sending_an_empty_subject_shows_a_message_next_to_the_field() {
    let host: web_sys::HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&host).unwrap();
    let options = AppOptions {
        mode: Mode::Portal,
        db_name: format!("mostrador-ui-test-{}", js_sys::Math::random()),
    };
    let _handle = mount_to(host.clone(), move || view! { <App options=options /> });
    tick().await;

    let button: web_sys::HtmlButtonElement = host
        .query_selector("button[type=submit]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert_eq!(button.text_content().unwrap(), "Send ticket");
    button.click();
    tick().await;

    let alert = host.query_selector("[role=alert]").unwrap().unwrap();
    assert_eq!(alert.text_content().unwrap(), "Please write a subject.");
    let input = host.query_selector("#mo-subject").unwrap().unwrap();
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
}
