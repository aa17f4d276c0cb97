//! Clients that send slowly or not at all: half-sent requests are cut off after the header
//! timeout, bodies that do not arrive get 408, bodies announced too large get 413 at once, and
//! `/health` keeps answering however many such connections are held open.

mod common;

use std::time::Duration;

use common::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Reads until the server closes the connection; returns what it sent.
async fn read_until_closed(s: &mut TcpStream, within: Duration) -> Option<String> {
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, s.read(&mut buf)).await {
            Err(_) => return None,
            Ok(Ok(0)) | Ok(Err(_)) => return Some(String::from_utf8_lossy(&out).into_owned()),
            Ok(Ok(n)) => out.extend_from_slice(&buf[..n]),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn half_open_connections_do_not_starve_the_server() {
    const HELD: usize = 120;
    for (db, url, _guard) in databases().await {
        let mut cfg = config(&url);
        cfg.limits.max_connections = 16;
        // All from one address here: the global limit is what this test is about.
        cfg.limits.max_connections_per_peer = 0;
        cfg.limits.header_timeout = Duration::from_secs(1);
        cfg.limits.body_timeout = Duration::from_secs(1);
        let srv = start(cfg).await;
        let addr = srv.base.trim_start_matches("http://").to_owned();
        let mut held = Vec::new();
        for _ in 0..HELD {
            let mut s = TcpStream::connect(&addr).await.unwrap();
            s.write_all(b"POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-")
                .await
                .unwrap();
            held.push(s);
        }
        // /health answers while they are held (after the server cut the oldest off).
        let res = reqwest::Client::new()
            .get(format!("{}/health", srv.base))
            .timeout(Duration::from_secs(30))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{db}: /health did not answer: {e}"));
        assert_eq!(res.status().as_u16(), 200, "{db}");
        // Every half-sent request was cut off by the server.
        let closed = futures::future::join_all(
            held.iter_mut()
                .map(|s| read_until_closed(s, Duration::from_secs(60))),
        )
        .await;
        assert!(
            closed.iter().all(Option::is_some),
            "{db}: a half-sent request was held"
        );

        // A body announced far larger than the limit: 413 at once, in the JSON shape.
        let mut s = TcpStream::connect(&addr).await.unwrap();
        s.write_all(
            b"POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
              Content-Length: 52428800\r\n\r\n{\"events\":[",
        )
        .await
        .unwrap();
        let answer = read_until_closed(&mut s, Duration::from_secs(10)).await;
        let answer = answer.unwrap_or_else(|| panic!("{db}: the 50 MiB announcement was held"));
        assert!(answer.starts_with("HTTP/1.1 413"), "{db}: {answer}");
        assert!(answer.contains("\"payload_too_large\""), "{db}: {answer}");

        // A body that never arrives in full: 408, in the JSON shape.
        let mut s = TcpStream::connect(&addr).await.unwrap();
        s.write_all(
            b"POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
              Content-Length: 100\r\n\r\n{\"events\":[",
        )
        .await
        .unwrap();
        let answer = read_until_closed(&mut s, Duration::from_secs(30)).await;
        let answer = answer.unwrap_or_else(|| panic!("{db}: the short body was held"));
        assert!(answer.starts_with("HTTP/1.1 408"), "{db}: {answer}");
        assert!(answer.contains("\"request_timeout\""), "{db}: {answer}");
        // And the server still serves.
        assert_eq!(
            Client::customer(&srv.base, "c1").pull(0).await.0,
            200,
            "{db}"
        );
    }
}

/// One peer cannot take every connection: past its share it is hung up on at once, and other
/// clients are served while its connections are still held (well before any timeout).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_peer_cannot_hold_every_connection() {
    for (db, url, _guard) in databases().await {
        let mut cfg = config(&url);
        cfg.limits.max_connections = 64;
        cfg.limits.max_connections_per_peer = 8;
        cfg.limits.header_timeout = Duration::from_secs(120);
        let srv = start(cfg).await;
        let addr: std::net::SocketAddr = srv.base.trim_start_matches("http://").parse().unwrap();
        // The attacker connects from another loopback address.
        let mut held = Vec::new();
        for _ in 0..40 {
            let sock = tokio::net::TcpSocket::new_v4().unwrap();
            sock.bind("127.0.0.2:0".parse().unwrap()).unwrap();
            let mut s = sock.connect(addr).await.unwrap();
            let _ = s.write_all(b"GET /health HTTP/1.1\r\nHo").await;
            held.push(s);
        }
        let res = reqwest::Client::new()
            .get(format!("{}/health", srv.base))
            .timeout(Duration::from_secs(20))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{db}: /health did not answer: {e}"));
        assert_eq!(res.status().as_u16(), 200, "{db}");
        let closed = futures::future::join_all(
            held.iter_mut()
                .map(|s| read_until_closed(s, Duration::from_secs(5))),
        )
        .await;
        let n = closed.iter().filter(|c| c.is_some()).count();
        // All but the peer's 8 were closed at once; those 8 wait for their header timeout.
        assert_eq!(n, 32, "{db}");
    }
}
