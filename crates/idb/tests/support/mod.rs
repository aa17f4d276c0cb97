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

/// Help-desk words in Spanish, English and Portuguese, most frequent first (picks lean to the
/// front, so a few words are in many tickets and most in few, as in real text).
#[rustfmt::skip]
const WORDS: [&[&str]; 3] = [
    &[
        "no", "funciona", "problema", "factura", "pedido", "error", "impresora", "acceso",
        "cuenta", "pago", "envío", "contraseña", "correo", "sistema", "cliente", "usuario",
        "pantalla", "duplicada", "cobro", "tarjeta", "devolución", "entrega", "retraso",
        "producto", "garantía", "configuración", "conexión", "servidor", "lento", "bloqueado",
        "actualización", "aplicación", "móvil", "sucursal", "inventario", "etiqueta", "código",
        "descuento", "suscripción", "cancelación", "reembolso", "dirección", "teléfono", "atención",
        "urgente", "mañana", "semana", "reclamo", "caja", "escáner", "impresión", "papel",
        "atascado", "tóner", "licencia", "instalación", "permiso", "informe", "exportar",
        "importar", "archivo", "adjunto", "sincronización", "respaldo", "tienda", "catálogo",
        "precio", "moneda", "impuesto", "timbrado", "nómina", "proveedor", "almacén", "ruta",
        "transportista", "rastreo", "paquete", "dañado", "cambio", "talla", "color",
    ],
    &[
        "not", "working", "issue", "invoice", "order", "error", "printer", "login", "account",
        "payment", "shipping", "password", "email", "reset", "customer", "user", "screen",
        "duplicate", "charge", "card", "refund", "delivery", "delay", "product", "warranty",
        "settings", "connection", "server", "slow", "locked", "update", "app", "mobile",
        "branch", "stock", "label", "code", "discount", "subscription", "cancel", "address",
        "phone", "support", "urgent", "tomorrow", "week", "complaint", "register", "scanner",
        "printing", "paper", "jammed", "toner", "license", "install", "permission", "report",
        "export", "import", "file", "attachment", "sync", "backup", "store", "catalog", "price",
        "currency", "tax", "payroll", "supplier", "warehouse", "route", "carrier", "tracking",
        "package", "damaged", "exchange", "size",
    ],
    &[
        "não", "funciona", "problema", "fatura", "pedido", "erro", "impressora", "acesso",
        "conta", "pagamento", "envio", "senha", "email", "sistema", "cliente", "usuário", "tela",
        "duplicada", "cobrança", "cartão", "devolução", "entrega", "atraso", "produto",
        "garantia", "configuração", "conexão", "servidor", "lento", "bloqueado", "atualização",
        "aplicativo", "celular", "filial", "estoque", "etiqueta", "código", "desconto",
        "assinatura", "cancelamento", "reembolso", "endereço", "telefone", "atendimento",
        "urgente", "amanhã", "semana", "reclamação", "caixa", "leitor", "impressão", "papel",
        "travado", "toner", "licença", "instalação", "permissão", "relatório", "exportar",
        "importar", "arquivo", "anexo", "sincronização", "backup", "loja", "catálogo", "preço",
        "moeda", "imposto", "nota", "fiscal", "folha", "fornecedor", "armazém", "rota",
        "transportadora", "rastreamento", "pacote", "danificado", "troca", "tamanho",
    ],
];

/// Connecting words, mixed into descriptions (they make stop words frequent, as in real text).
#[rustfmt::skip]
const GLUE: [&[&str]; 3] = [
    &["el", "la", "de", "que", "en", "con", "por", "para", "mi", "desde", "y"],
    &["the", "my", "of", "to", "in", "with", "for", "since", "and", "is", "it"],
    &["o", "a", "de", "que", "em", "com", "por", "para", "meu", "desde", "e"],
];

/// A tiny deterministic generator (xorshift), so every run writes the same tickets.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// An index below `n` leaning to the front (the square of a uniform number).
    fn skewed(&mut self, n: usize) -> usize {
        let u = (self.next() % 1_000_003) as f64 / 1_000_003.0;
        ((u * u) * n as f64) as usize
    }
}

/// Every this many tickets, one gets the planted word [`PLANTED`] in its description, so a
/// search has a known answer.
pub const PLANT_EVERY: u32 = 10_000;
/// A word no generated text contains otherwise.
pub const PLANTED: &str = "ornitorrinco";

/// `count` tickets with realistic subjects (3–7 words) and descriptions (15–45 words) in
/// Spanish, English or Portuguese, opened by 500 customers. Ticket `i` with
/// `i % PLANT_EVERY == 7` also says [`PLANTED`] (and the first of them "Ornitorrinco azul").
pub fn search_tickets(count: u32) -> Vec<Vec<Event>> {
    let mut ctx = Ctx::seeded("dev-s", 7, at(0));
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let words = |rng: &mut Rng, lang: usize, n: usize, glue: bool| {
        let mut out = String::new();
        for k in 0..n {
            if k > 0 {
                out.push(' ');
            }
            if glue && rng.below(3) == 0 {
                out.push_str(GLUE[lang][rng.below(GLUE[lang].len())]);
                out.push(' ');
            }
            out.push_str(WORDS[lang][rng.skewed(WORDS[lang].len())]);
        }
        out
    };
    (0..count)
        .map(|i| {
            let lang = rng.below(3);
            let n = 3 + rng.below(5);
            let mut subject = words(&mut rng, lang, n, false);
            if let Some(first) = subject.get(..1) {
                subject = first.to_uppercase() + &subject[1..];
            }
            let n = 15 + rng.below(31);
            let mut description = words(&mut rng, lang, n, true);
            description.push('.');
            if i % PLANT_EVERY == 7 {
                description.push_str(" Ornitorrinco");
                if i == 7 {
                    description.push_str(" azul");
                }
                description.push('.');
            }
            let customer = i % 500;
            let minute = i64::from(i / 50);
            let form = NewTicket::new(&subject, &description, requester(customer), Channel::Email);
            run(
                &mut ctx,
                None,
                Command::Open(Box::new(form)),
                &Actor::Customer(CustomerId(format!("customer-{customer}"))),
                minute,
            )
        })
        .collect()
}
