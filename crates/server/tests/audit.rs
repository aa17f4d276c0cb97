//! The audit trail: the server binary logs failed logins and changes to agents on its standard
//! error. On SQLite and PostgreSQL.

mod common;

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::*;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_logins_and_agent_changes_are_logged() {
    for (db, url, _guard) in databases().await {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut child = Command::new(env!("CARGO_BIN_EXE_mostrador-server"))
            .args(["--listen", &format!("127.0.0.1:{port}")])
            .args(["--database-url", &url])
            .env("MOSTRADOR_ADMIN", format!("{}:{}", ADMIN.0, ADMIN.1))
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let base = format!("http://127.0.0.1:{port}");
        let mut up = false;
        for _ in 0..300 {
            if reqwest::get(format!("{base}/health")).await.is_ok() {
                up = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert!(up, "{db}: the server did not come up");
        let anon = Client::new(&base, None);
        let (s, _) = anon
            .send(
                "POST",
                "/v1/auth/login",
                Some(json!({"agent_id": "mallory", "password": "guess-guess"})),
            )
            .await;
        assert_eq!(s, 401);
        let admin = Client::admin(&base).await;
        let put = json!({"password": "a-long-password"});
        assert_eq!(
            admin.send("PUT", "/v1/admin/agents/ana", Some(put)).await.0,
            204
        );
        assert_eq!(
            admin.send("DELETE", "/v1/admin/agents/ana", None).await.0,
            204
        );
        child.kill().unwrap();
        child.wait().unwrap();
        let mut log = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut log)
            .unwrap();
        for want in [
            "audit: failed login for \"mallory\" from 127.0.0.1",
            "audit: a:root set agent \"ana\" (admin: false)",
            "audit: a:root removed agent \"ana\"",
        ] {
            assert!(log.contains(want), "{db}: {want:?} not in {log}");
        }
    }
}
