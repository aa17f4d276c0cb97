//! A tiny SMTP server on loopback for the tests: it speaks enough of the protocol (EHLO/HELO,
//! MAIL, RCPT, DATA, RSET, NOOP, QUIT) for a real client, records every message it accepts, and
//! answers `451` to `MAIL FROM` while told to fail (an outage the client must retry after).
//!
//! It can also speak TLS ([`SmtpServer::start_tls`]): implicit TLS from the first byte, or
//! STARTTLS (advertised in EHLO, the connection upgraded, EHLO again), with a certificate for
//! `localhost` and 127.0.0.1 signed by a CA made at test time ([`TestCa`]); and require
//! `AUTH PLAIN`/`AUTH LOGIN` with a user and password before `MAIL FROM`. It logs every command
//! it gets and whether it came over TLS ([`SmtpServer::commands`]).
#![allow(dead_code)]

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use base64::Engine as _;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls;

/// A CA made at test time, and a server certificate it signed for `localhost` and 127.0.0.1.
pub struct TestCa {
    /// The CA's certificate, PEM (what `MOSTRADOR_SMTP_CA_FILE` holds).
    pub ca_pem: String,
    pub acceptor: TlsAcceptor,
}

impl TestCa {
    pub fn new() -> TestCa {
        let ca_key = rcgen::KeyPair::generate().unwrap();
        let mut ca = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        ca.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        ca.distinguished_name
            .push(rcgen::DnType::CommonName, "Mostrador test CA");
        ca.key_usages = vec![
            rcgen::KeyUsagePurpose::KeyCertSign,
            rcgen::KeyUsagePurpose::CrlSign,
            rcgen::KeyUsagePurpose::DigitalSignature,
        ];
        let ca = ca.self_signed(&ca_key).unwrap();
        let key = rcgen::KeyPair::generate().unwrap();
        let mut leaf =
            rcgen::CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])
                .unwrap();
        leaf.distinguished_name
            .push(rcgen::DnType::CommonName, "localhost");
        let leaf = leaf.signed_by(&key, &ca, &ca_key).unwrap();
        // The provider from rustls's features (ring only, as lettre's).
        let config = rustls::ServerConfig::builder()
            .with_no_client_auth()
            .with_single_cert(
                vec![leaf.der().clone()],
                rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()),
            )
            .unwrap();
        TestCa {
            ca_pem: ca.pem(),
            acceptor: TlsAcceptor::from(Arc::new(config)),
        }
    }
}

/// How the server speaks TLS.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Security {
    Plain,
    /// TLS from the first byte (`smtps://`).
    Implicit,
    /// `STARTTLS` offered in EHLO.
    StartTls,
    /// Plain SMTP whose EHLO offers no `STARTTLS` (a downgrade, or a misconfigured relay).
    NoStartTls,
}

/// One accepted message.
#[derive(Debug, Clone)]
pub struct Mail {
    pub from: String,
    pub to: Vec<String>,
    /// The message as sent (headers and body, dot-unstuffed).
    pub data: String,
    /// `MAIL FROM` and the message came over TLS.
    pub tls: bool,
}

impl Mail {
    pub fn parsed(&self) -> mail_parser::Message<'_> {
        mail_parser::MessageParser::default()
            .parse(self.data.as_bytes())
            .expect("the server sent a message that does not parse")
    }

    /// A header's value as sent, unfolded (ASCII headers only: no encoded words).
    pub fn header(&self, name: &str) -> Option<String> {
        let head = self
            .data
            .split("\r\n\r\n")
            .next()
            .unwrap_or_default()
            .replace("\r\n ", " ")
            .replace("\r\n\t", " ");
        head.split("\r\n").find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_owned())
        })
    }

    pub fn message_id(&self) -> String {
        self.parsed().message_id().unwrap_or_default().to_owned()
    }

    pub fn subject(&self) -> String {
        self.parsed().subject().unwrap_or_default().to_owned()
    }

    pub fn text(&self) -> String {
        self.parsed()
            .body_text(0)
            .map(|t| t.into_owned())
            .unwrap_or_default()
    }

    pub fn html(&self) -> String {
        self.parsed()
            .body_html(0)
            .map(|t| t.into_owned())
            .unwrap_or_default()
    }

    /// The `X-Mostrador-Notice` kind.
    pub fn kind(&self) -> String {
        self.header("X-Mostrador-Notice").unwrap_or_default()
    }
}

/// The listener: its port, what it received, and the outage switch.
#[derive(Clone, Default)]
pub struct SmtpServer {
    pub port: u16,
    pub mails: Arc<Mutex<Vec<Mail>>>,
    /// While set, `MAIL FROM` answers 451 (try again later).
    pub fail: Arc<AtomicBool>,
    /// `MAIL FROM` commands refused so far.
    pub refused: Arc<AtomicUsize>,
    pub security: Option<Security>,
    acceptor: Option<TlsAcceptor>,
    /// The user and password `AUTH` must give before `MAIL FROM`, when set.
    pub auth: Option<(String, String)>,
    /// Every command received, verb and arguments (`AUTH`'s arguments left out), and whether it
    /// came over TLS.
    pub commands: Arc<Mutex<Vec<(bool, String)>>>,
    /// Failed `AUTH` attempts.
    pub auth_failures: Arc<AtomicUsize>,
    /// TLS handshakes that failed (a client that does not trust the certificate).
    pub handshake_failures: Arc<AtomicUsize>,
}

impl SmtpServer {
    pub async fn start() -> SmtpServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        SmtpServer::on(listener)
    }

    /// Serves on `port` of 127.0.0.1 (for a server started before its SMTP server).
    pub async fn start_on(port: u16) -> SmtpServer {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .unwrap();
        SmtpServer::on(listener)
    }

    /// A server speaking `security` with `ca`'s certificate, requiring `auth` when given.
    pub async fn start_tls(
        security: Security,
        ca: &TestCa,
        auth: Option<(&str, &str)>,
    ) -> SmtpServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        SmtpServer::serve(
            listener,
            SmtpServer {
                security: Some(security),
                acceptor: Some(ca.acceptor.clone()),
                auth: auth.map(|(u, p)| (u.to_owned(), p.to_owned())),
                ..SmtpServer::default()
            },
        )
    }

    fn on(listener: tokio::net::TcpListener) -> SmtpServer {
        SmtpServer::serve(listener, SmtpServer::default())
    }

    fn serve(listener: tokio::net::TcpListener, s: SmtpServer) -> SmtpServer {
        let s = SmtpServer {
            port: listener.local_addr().unwrap().port(),
            ..s
        };
        let me = s.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let me = me.clone();
                tokio::spawn(async move {
                    let _ = me.connection(stream).await;
                });
            }
        });
        s
    }

    async fn connection(&self, stream: tokio::net::TcpStream) -> std::io::Result<()> {
        match self.security.unwrap_or(Security::Plain) {
            Security::Implicit => {
                let acceptor = self.acceptor.clone().unwrap();
                let tls = match acceptor.accept(stream).await {
                    Ok(t) => t,
                    Err(e) => {
                        self.handshake_failures.fetch_add(1, Ordering::SeqCst);
                        return Err(e);
                    }
                };
                self.session(tls, true, true).await.map(|_| ())
            }
            Security::StartTls => {
                let Some(plain) = self.session(stream, false, true).await? else {
                    return Ok(());
                };
                let acceptor = self.acceptor.clone().unwrap();
                let tls = match acceptor.accept(plain).await {
                    Ok(t) => t,
                    Err(e) => {
                        self.handshake_failures.fetch_add(1, Ordering::SeqCst);
                        return Err(e);
                    }
                };
                // After the upgrade the client starts over with EHLO; no greeting.
                self.session(tls, true, false).await.map(|_| ())
            }
            Security::Plain | Security::NoStartTls => {
                self.session(stream, false, true).await.map(|_| ())
            }
        }
    }

    /// `smtp://127.0.0.1:PORT` for a plain server, `smtps://localhost:PORT` for implicit TLS,
    /// `smtp://localhost:PORT?tls=required` for STARTTLS.
    pub fn url(&self) -> String {
        match self.security.unwrap_or(Security::Plain) {
            Security::Plain => format!("smtp://127.0.0.1:{}", self.port),
            Security::Implicit => format!("smtps://localhost:{}", self.port),
            Security::StartTls | Security::NoStartTls => {
                format!("smtp://localhost:{}?tls=required", self.port)
            }
        }
    }

    pub fn commands(&self) -> Vec<(bool, String)> {
        self.commands.lock().unwrap().clone()
    }

    pub fn mails(&self) -> Vec<Mail> {
        self.mails.lock().unwrap().clone()
    }

    /// One SMTP session over `stream` (`tls`: it is encrypted). Returns the stream when the
    /// client asked for STARTTLS and was told to go ahead.
    async fn session<S: AsyncRead + AsyncWrite + Unpin>(
        &self,
        stream: S,
        tls: bool,
        greet: bool,
    ) -> std::io::Result<Option<S>> {
        let mut r = BufReader::new(stream);
        if greet {
            r.write_all(b"220 localhost ESMTP test\r\n").await?;
        }
        let mut from = String::new();
        let mut to = Vec::new();
        let mut line = String::new();
        let mut authenticated = self.auth.is_none();
        loop {
            line.clear();
            if r.read_line(&mut line).await? == 0 {
                return Ok(None);
            }
            let cmd = line.trim_end().to_owned();
            let upper = cmd.to_ascii_uppercase();
            let logged = if upper.starts_with("AUTH") {
                "AUTH".to_owned()
            } else {
                cmd.clone()
            };
            self.commands.lock().unwrap().push((tls, logged));
            let w = &mut r;
            if upper.starts_with("EHLO") {
                let mut ehlo = String::from("250-localhost\r\n250-8BITMIME\r\n");
                if !tls && self.security == Some(Security::StartTls) {
                    ehlo.push_str("250-STARTTLS\r\n");
                }
                // Credentials only over TLS.
                if tls && self.auth.is_some() {
                    ehlo.push_str("250-AUTH PLAIN LOGIN\r\n");
                }
                ehlo.push_str("250 SMTPUTF8\r\n");
                w.write_all(ehlo.as_bytes()).await?;
            } else if upper.starts_with("HELO") {
                w.write_all(b"250 localhost\r\n").await?;
            } else if upper == "STARTTLS" && !tls && self.security == Some(Security::StartTls) {
                w.write_all(b"220 2.0.0 ready to start TLS\r\n").await?;
                w.flush().await?;
                return Ok(Some(r.into_inner()));
            } else if upper.starts_with("AUTH ") && tls && self.auth.is_some() {
                let mut args = cmd.split_whitespace().skip(1);
                let mechanism = args.next().unwrap_or_default().to_ascii_uppercase();
                let initial = args.next().map(str::to_owned);
                let given = match mechanism.as_str() {
                    "PLAIN" => {
                        let answer = match initial {
                            Some(a) => a,
                            None => {
                                w.write_all(b"334 \r\n").await?;
                                read_answer(w).await?
                            }
                        };
                        let raw = decode(&answer);
                        let mut parts = raw.split('\0').skip(1);
                        parts
                            .next()
                            .zip(parts.next())
                            .map(|(u, p)| (u.to_owned(), p.to_owned()))
                    }
                    "LOGIN" => {
                        let user = match initial {
                            Some(a) => decode(&a),
                            None => {
                                w.write_all(b"334 VXNlcm5hbWU6\r\n").await?;
                                decode(&read_answer(w).await?)
                            }
                        };
                        w.write_all(b"334 UGFzc3dvcmQ6\r\n").await?;
                        let pass = decode(&read_answer(w).await?);
                        Some((user, pass))
                    }
                    _ => None,
                };
                if given.is_some() && given == self.auth {
                    authenticated = true;
                    w.write_all(b"235 2.7.0 authenticated\r\n").await?;
                } else {
                    self.auth_failures.fetch_add(1, Ordering::SeqCst);
                    w.write_all(b"535 5.7.8 bad credentials\r\n").await?;
                }
            } else if upper.starts_with("MAIL FROM:") && !authenticated {
                w.write_all(b"530 5.7.0 authentication required\r\n")
                    .await?;
            } else if upper.starts_with("MAIL FROM:") {
                if self.fail.load(Ordering::SeqCst) {
                    self.refused.fetch_add(1, Ordering::SeqCst);
                    w.write_all(b"451 4.3.0 try again later\r\n").await?;
                } else {
                    from = address(&cmd["MAIL FROM:".len()..]);
                    to.clear();
                    w.write_all(b"250 2.1.0 ok\r\n").await?;
                }
            } else if upper.starts_with("RCPT TO:") {
                to.push(address(&cmd["RCPT TO:".len()..]));
                w.write_all(b"250 2.1.5 ok\r\n").await?;
            } else if upper == "DATA" {
                w.write_all(b"354 go ahead\r\n").await?;
                w.flush().await?;
                let mut data = String::new();
                loop {
                    line.clear();
                    if r.read_line(&mut line).await? == 0 {
                        return Ok(None);
                    }
                    if line == ".\r\n" || line == ".\n" {
                        break;
                    }
                    let l = line.strip_prefix('.').unwrap_or(&line);
                    data.push_str(l);
                }
                self.mails.lock().unwrap().push(Mail {
                    from: from.clone(),
                    to: std::mem::take(&mut to),
                    data,
                    tls,
                });
                r.write_all(b"250 2.0.0 queued\r\n").await?;
            } else if upper == "RSET" || upper == "NOOP" {
                w.write_all(b"250 2.0.0 ok\r\n").await?;
            } else if upper == "QUIT" {
                w.write_all(b"221 2.0.0 bye\r\n").await?;
                w.flush().await?;
                return Ok(None);
            } else {
                w.write_all(b"502 5.5.2 not implemented\r\n").await?;
            }
            r.flush().await?;
        }
    }
}

/// One line of a client's answer to a `334` challenge.
async fn read_answer<S: AsyncRead + AsyncWrite + Unpin>(
    r: &mut BufReader<S>,
) -> std::io::Result<String> {
    r.flush().await?;
    let mut line = String::new();
    r.read_line(&mut line).await?;
    Ok(line.trim_end().to_owned())
}

fn decode(b64: &str) -> String {
    let raw = base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .unwrap_or_default();
    String::from_utf8_lossy(&raw).into_owned()
}

/// The address of a `MAIL FROM:`/`RCPT TO:` argument (`<a@b> PARAMS`).
fn address(arg: &str) -> String {
    let arg = arg.trim();
    let end = arg.find('>').map_or(arg.len(), |i| i + 1);
    arg[..end]
        .trim_start_matches('<')
        .trim_end_matches('>')
        .to_owned()
}
