//! The widget boundary in a real browser: host input validation and the event sink.
#![cfg(target_arch = "wasm32")]

use mostrador_widget::events::{AppEvent, EventSink};
use mostrador_widget::host::{Identity, Locale, Prefill};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn identity(signature: &str, email: Option<&str>) -> Identity {
    Identity {
        id: "cust-1".into(),
        email: email.map(str::to_string),
        name: None,
        signature: signature.into(),
        issued_at: None,
    }
}

#[wasm_bindgen_test]
fn locales_are_checked_for_shape() {
    for ok in ["en", "es", "pt-BR", "zh-Hant-TW"] {
        assert!(Locale::parse(ok).is_ok(), "{ok}");
    }
    for bad in ["", "e", "english", "en_US", "en-", "1a"] {
        assert!(Locale::parse(bad).is_err(), "{bad}");
    }
}

#[wasm_bindgen_test]
fn identities_need_a_plausible_signature_and_email() {
    assert!(
        identity(&"a".repeat(64), Some("ana@example.com"))
            .validate()
            .is_ok()
    );
    assert!(identity("short", None).validate().is_err());
    assert!(
        identity(&"a".repeat(64), Some("ana at example"))
            .validate()
            .is_err()
    );
    assert!(identity(&"<script>".repeat(8), None).validate().is_err());
}

#[wasm_bindgen_test]
fn a_context_token_is_read_and_a_bad_context_refused() {
    use mostrador_core::customer::CustomerContext;
    let context = CustomerContext {
        plan: Some("Pro".into()),
        orders: vec!["A-1".into()],
        ..Default::default()
    };
    let token = |c: &CustomerContext| {
        format!(
            "mc2.2000000000.{}.{}.cust-1",
            c.to_token_part(),
            "ab".repeat(32)
        )
    };
    let id = identity(&token(&context), None).validate().unwrap();
    assert_eq!(id.context(), Ok(Some(context)));
    // A plain signature or an mc1 token carries none.
    assert_eq!(identity(&"a".repeat(64), None).context(), Ok(None));
    // A context the core refuses refuses the identity, saying why.
    let script = CustomerContext {
        crm_url: Some("javascript:alert(1)".into()),
        ..Default::default()
    };
    let err = identity(&token(&script), None).validate().unwrap_err();
    assert!(err.contains("crm_url"), "{err}");
    let garbled = format!("mc2.2000000000.a.{}.cust-1", "ab".repeat(32));
    assert!(identity(&garbled, None).validate().is_err());
    // Read with the browser's JSON parser: what is not JSON, not an object, or names a field
    // the context does not have is refused, the field named.
    let raw = |json: &str| {
        use base64::Engine as _;
        let part = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json);
        identity(
            &format!("mc2.2000000000.{part}.{}.cust-1", "ab".repeat(32)),
            None,
        )
        .validate()
    };
    for bad in [
        "{\"plan\":",
        "[1]",
        "[\"Pro\"]",
        "\"Pro\"",
        "null",
        "{\"plan\":1}",
        "{\"orders\":\"7\"}",
    ] {
        let err = raw(bad).unwrap_err();
        assert!(err.contains("not a JSON object"), "{bad}: {err}");
    }
    let err = raw(r#"{"crmUrl":"https://crm.example.com/1"}"#).unwrap_err();
    assert!(err.contains("crmUrl"), "{err}");
    let read = raw(r#"{"plan":" Pro ","customer_since":"2020-01-31","orders":["7"]}"#)
        .unwrap()
        .context()
        .unwrap()
        .unwrap();
    assert_eq!(read.plan.as_deref(), Some("Pro"), "checked: trimmed");
    assert_eq!(read.customer_since.as_deref(), Some("2020-01-31"));
    assert_eq!(read.orders, ["7"]);
}

#[wasm_bindgen_test]
fn prefill_merges_field_by_field() {
    let mut p = Prefill {
        subject: Some("Order 1".into()),
        ..Prefill::default()
    };
    p.merge(Prefill {
        message: Some("Hello".into()),
        ..Prefill::default()
    });
    assert_eq!(p.subject.as_deref(), Some("Order 1"));
    assert_eq!(p.message.as_deref(), Some("Hello"));
    let long = Prefill {
        subject: Some("x".repeat(201)),
        ..Prefill::default()
    };
    assert!(long.validate().is_err());
}

#[wasm_bindgen_test]
fn the_sink_calls_the_host_callback_with_name_and_detail() {
    let seen = js_sys::Array::new();
    let sink_seen = seen.clone();
    let callback =
        Closure::<dyn Fn(JsValue, JsValue)>::new(move |name: JsValue, detail: JsValue| {
            sink_seen.push(&name);
            sink_seen.push(&detail);
        });
    let sink = EventSink::new(Some(
        callback
            .as_ref()
            .unchecked_ref::<js_sys::Function>()
            .clone(),
    ));
    sink.emit(&AppEvent::TicketCreated {
        ticket: "ABC-00001-XYZ".into(),
    });
    assert_eq!(seen.get(0).as_string().as_deref(), Some("ticketCreated"));
    let ticket = js_sys::Reflect::get(&seen.get(1), &"ticket".into()).unwrap();
    assert_eq!(ticket.as_string().as_deref(), Some("ABC-00001-XYZ"));
    sink.emit(&AppEvent::StatusChanged {
        ticket: "ABC-00001-XYZ".into(),
        from: "open".into(),
        to: "solved".into(),
    });
    sink.emit(&AppEvent::SyncState {
        state: mostrador_widget::events::SyncState::Offline,
    });
    sink.emit(&AppEvent::Ready);
    let detail = |n: u32, k: &str| {
        js_sys::Reflect::get(&seen.get(n), &k.into())
            .unwrap()
            .as_string()
    };
    assert_eq!(seen.get(2).as_string().as_deref(), Some("statusChanged"));
    assert_eq!(detail(3, "from").as_deref(), Some("open"));
    assert_eq!(detail(3, "to").as_deref(), Some("solved"));
    assert_eq!(seen.get(4).as_string().as_deref(), Some("syncState"));
    assert_eq!(detail(5, "state").as_deref(), Some("offline"));
    assert_eq!(seen.get(6).as_string().as_deref(), Some("ready"));
    assert!(seen.get(7).is_undefined(), "ready has no detail");
}

/// The message of a refused host call.
fn refused(result: Result<impl Sized, JsError>) -> String {
    let Err(e) = result else {
        panic!("the call was accepted");
    };
    let value: JsValue = e.into();
    value.unchecked_into::<js_sys::Error>().message().into()
}

fn json(text: &str) -> JsValue {
    js_sys::JSON::parse(text).unwrap()
}

#[wasm_bindgen_test]
fn the_hosts_objects_are_read_field_by_field_and_wrong_ones_named() {
    use mostrador_widget::mount;
    let document = web_sys::window().unwrap().document().unwrap();
    let element = || -> web_sys::HtmlElement {
        let el = document.create_element("div").unwrap();
        document.body().unwrap().append_child(&el).unwrap();
        el.unchecked_into()
    };
    for (options, problem) in [
        (
            r#"{"mood":"portal"}"#,
            r#"unknown field "mood", expected one of mode, dbName"#,
        ),
        (r#"{"dbName":5}"#, "dbName must be a string, not a number"),
        ("[1]", "expected an object, found an array"),
        ("true", "expected an object, found a boolean"),
        (
            r#"{"prefill":{"priority":"asap"}}"#,
            "prefill: priority \"asap\" is not one of",
        ),
        (
            r#"{"identity":{"id":"c"}}"#,
            "identity: missing field \"signature\"",
        ),
        (
            r#"{"identity":[]}"#,
            "identity: expected an object, found an array",
        ),
    ] {
        let err = refused(mount(element(), json(options), None));
        assert!(
            err.starts_with("Mostrador: bad options: "),
            "{options}: {err}"
        );
        assert!(err.contains(problem), "{options}: {err}");
    }
    let handle = mount(
        element(),
        json(
            r#"{"dbName":"widget-read-test","prefill":{"subject":"Hi","priority":"high","fields":{"order":"7"}},"locale":null}"#,
        ),
        None,
    )
    .expect("good options");
    let state = handle.host_state();
    let prefill = js_sys::Reflect::get(&state, &"prefill".into()).unwrap();
    let get = |v: &JsValue, k: &str| js_sys::Reflect::get(v, &k.into()).unwrap().as_string();
    assert_eq!(get(&prefill, "subject").as_deref(), Some("Hi"));
    assert_eq!(get(&prefill, "priority").as_deref(), Some("high"));
    let fields = js_sys::Reflect::get(&prefill, &"fields".into()).unwrap();
    assert_eq!(get(&fields, "order").as_deref(), Some("7"));
    let sig = "a".repeat(64);
    for (user, problem) in [
        (
            format!(r#"{{"id":"c","signature":"{sig}","issuedAt":"today"}}"#),
            "issuedAt must be a number, not a string",
        ),
        (
            r#"{"id":7}"#.to_owned(),
            "id must be a string, not a number",
        ),
        (r#"{"id":"c"}"#.to_owned(), "missing field \"signature\""),
        (
            format!(r#"{{"id":"c","signature":"{sig}","role":"admin"}}"#),
            "unknown field \"role\"",
        ),
    ] {
        let err = refused(handle.identify(json(&user)));
        assert!(
            err.starts_with("Mostrador: bad identify(user): "),
            "{user}: {err}"
        );
        assert!(err.contains(problem), "{user}: {err}");
    }
    handle
        .identify(json(&format!(
            r#"{{"id":"c","signature":"{sig}","issuedAt":1700000000000,"email":null}}"#
        )))
        .expect("a good identity");
    let err = refused(handle.prefill(json(r#"{"fields":{"order":7}}"#)));
    assert!(
        err.contains("fields.order must be a string, not a number"),
        "{err}"
    );
    let err = refused(handle.prefill(json(r#"{"fields":["7"]}"#)));
    assert!(
        err.contains("fields must be an object of strings, not an array"),
        "{err}"
    );
    // Nothing of the refused calls was kept.
    let state = handle.host_state();
    let prefill = js_sys::Reflect::get(&state, &"prefill".into()).unwrap();
    let fields = js_sys::Reflect::get(&prefill, &"fields".into()).unwrap();
    assert_eq!(get(&fields, "order").as_deref(), Some("7"));
    let identity = js_sys::Reflect::get(&state, &"identity".into()).unwrap();
    assert_eq!(get(&identity, "id").as_deref(), Some("c"));
    // What was not given is null, as the package's types say.
    let field = |v: &JsValue, k: &str| js_sys::Reflect::get(v, &k.into()).unwrap();
    assert!(field(&state, "locale").is_null());
    assert!(field(&identity, "email").is_null());
    assert_eq!(
        field(&identity, "issuedAt").as_f64(),
        Some(1_700_000_000_000.0)
    );
    assert!(field(&prefill, "message").is_null());
}
