//! Fixtures shared by the browser tests and the benchmark.
#![allow(dead_code)]

use mostrador_core::command::{Command, NewTicket};
use mostrador_core::config::Settings;
use mostrador_core::ctx::Ctx;
use mostrador_core::decide::decide;
use mostrador_core::event::Event;
use mostrador_core::model::{
    Actor, AgentId, Channel, CustomerId, Impact, Requester, Timestamp, Urgency,
};
use wasm_bindgen::JsValue;

pub use mostrador_core::store::contract::at;

pub fn fresh_name() -> String {
    // Each test gets a database no other test (or earlier run) has used.
    format!("mostrador-test-{}", (js_sys::Math::random() * 1e15) as u64)
}

pub async fn sleep(ms: i32) {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        let _ = web_sys::window()
            .expect("a window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(p).await;
}

fn requester(n: u32) -> Requester {
    Requester {
        customer_id: Some(CustomerId(format!("customer-{n}"))),
        name: format!("Cliente {n}"),
        email: Some(format!("c{n}@example.com")),
        ..Requester::default()
    }
}

fn run(
    ctx: &mut Ctx,
    state: Option<&mostrador_core::ticket::Ticket>,
    c: Command,
    who: &Actor,
    minute: i64,
) -> Vec<Event> {
    ctx.now = at(minute);
    decide(state, &c, who, &Settings::default().domain, ctx).expect("legal fixture command")
}

/// Customer `n` opens a ticket at minute `minute`.
pub fn open_ticket(n: u32, minute: i64, subject: &str) -> Vec<Event> {
    let mut ctx = Ctx::seeded("dev-t", u64::from(n) * 7919 + minute as u64, at(minute));
    open_with(&mut ctx, n, minute, subject)
}

fn open_with(ctx: &mut Ctx, n: u32, minute: i64, subject: &str) -> Vec<Event> {
    let form = NewTicket::new(
        subject,
        "Detalle del problema.",
        requester(n),
        Channel::WebForm,
    );
    run(
        ctx,
        None,
        Command::Open(Box::new(form)),
        &Actor::Customer(CustomerId(format!("customer-{n}"))),
        minute,
    )
}

/// `count` tickets in a spread of states: new, answered, open, urgent and assigned, resolved.
pub fn mixed_tickets(count: u32) -> Vec<Event> {
    let mut ctx = Ctx::seeded("dev-m", 42, at(0));
    let agents = [AgentId("ana".into()), AgentId("bob".into())];
    let mut all = Vec::new();
    for i in 0..count {
        let minute = i64::from(i % 97) * 3 + i64::from(i / 97);
        let mut log = open_with(&mut ctx, i % 13, minute, &format!("Ticket {i}"));
        let agent = Actor::Agent(agents[(i % 2) as usize].clone());
        let state = |log: &[Event]| mostrador_core::apply::fold(log).expect("opened");
        match i % 5 {
            1 => {
                let t = state(&log);
                log.extend(run(
                    &mut ctx,
                    Some(&t),
                    Command::Reply {
                        body: "Hola".into(),
                        attachments: vec![],
                    },
                    &agent,
                    minute + 1,
                ));
            }
            2 => {
                let t = state(&log);
                log.extend(run(
                    &mut ctx,
                    Some(&t),
                    Command::Reply {
                        body: "Hola".into(),
                        attachments: vec![],
                    },
                    &agent,
                    minute + 1,
                ));
                let t = state(&log);
                let customer = Actor::Customer(CustomerId(format!("customer-{}", i % 13)));
                log.extend(run(
                    &mut ctx,
                    Some(&t),
                    Command::Reply {
                        body: "Sigue".into(),
                        attachments: vec![],
                    },
                    &customer,
                    minute + 2,
                ));
            }
            3 => {
                let t = state(&log);
                log.extend(run(
                    &mut ctx,
                    Some(&t),
                    Command::SetPriority {
                        impact: Impact::High,
                        urgency: Urgency::High,
                    },
                    &agent,
                    minute + 1,
                ));
                let t = state(&log);
                log.extend(run(
                    &mut ctx,
                    Some(&t),
                    Command::Assign {
                        agent: Some(agents[(i % 2) as usize].clone()),
                        team: None,
                    },
                    &agent,
                    minute + 2,
                ));
            }
            _ => {}
        }
        all.extend(log);
    }
    all
}

pub fn ms(t: Timestamp) -> JsValue {
    JsValue::from_f64(t.timestamp_millis() as f64)
}

pub fn js(args: &str, body: &str) -> js_sys::Function {
    js_sys::Function::new_with_args(args, body)
}

/// Calls a JavaScript function returning a promise and waits for it.
pub async fn call(f: &js_sys::Function, args: &[JsValue]) -> JsValue {
    use wasm_bindgen::JsCast;
    let a: js_sys::Array = args.iter().collect();
    let p = f.apply(&JsValue::NULL, &a).unwrap();
    wasm_bindgen_futures::JsFuture::from(p.unchecked_into::<js_sys::Promise>())
        .await
        .unwrap()
}

/// Writes `[store, record]` pairs with a plain JavaScript transaction.
pub async fn put_raw(db: &web_sys::IdbDatabase, records: &js_sys::Array) {
    let f = js(
        "db, records",
        "return new Promise((ok, err) => { \
         const tx = db.transaction([...new Set(records.map(r => r[0]))], 'readwrite'); \
         for (const [s, rec] of records) tx.objectStore(s).put(rec); \
         tx.oncomplete = () => ok(); tx.onabort = () => err(tx.error); })",
    );
    call(&f, &[db.into(), records.into()]).await;
}
