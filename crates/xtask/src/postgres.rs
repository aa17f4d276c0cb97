//! A throwaway PostgreSQL cluster for the server's tests: Debian's `postgresql` package (installed
//! through apt when missing), `initdb` in a temporary directory as an unprivileged user, listening
//! on a free loopback port only. Dropping the guard stops the cluster and removes the directory.

use std::net::TcpListener;
use std::path::PathBuf;

use crate::run::cmd;

/// Where the tests find the cluster, and the flag that makes them fail rather than skip.
pub const URL_ENV: &str = "MOSTRADOR_TEST_POSTGRES_URL";
pub const REQUIRE_ENV: &str = "MOSTRADOR_TEST_REQUIRE_POSTGRES";

pub struct Cluster {
    pub url: String,
    dir: PathBuf,
    bin: PathBuf,
    as_postgres: bool,
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.dir.join("data");
        let _ = self
            .run("pg_ctl")
            .args(["-D".as_ref(), data.as_os_str()])
            .args(["-m", "immediate", "stop"])
            .read();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Cluster {
    fn run(&self, tool: &str) -> crate::run::Cmd {
        let path = self.bin.join(tool);
        if self.as_postgres {
            cmd("runuser").args(["-u", "postgres", "--"]).args([path])
        } else {
            cmd(&path.to_string_lossy())
        }
    }
}

/// The newest installed server's `bin` directory.
fn find_bin() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .flatten()
        .filter_map(|e| {
            let v = e.file_name().to_string_lossy().parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((v, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, b)| b)
}

fn is_root() -> bool {
    cmd("id")
        .args(["-u"])
        .read()
        .is_some_and(|s| s.trim() == "0")
}

fn ensure_installed() -> Result<PathBuf, String> {
    if let Some(bin) = find_bin() {
        return Ok(bin);
    }
    println!("tools: installing Debian package postgresql (for the sync server's tests)");
    cmd("apt-get").args(["update", "-qq"]).status_ok()?;
    cmd("apt-get")
        .args([
            "install",
            "-y",
            "-qq",
            "--no-install-recommends",
            "postgresql",
        ])
        .env("DEBIAN_FRONTEND", "noninteractive")
        .status_ok()
        .map_err(|e| format!("{e}; install it by hand as root: apt-get install postgresql"))?;
    find_bin().ok_or_else(|| "postgresql is installed but initdb is not found".into())
}

fn free_port() -> Result<u16, String> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free loopback port: {e}"))
}

/// Starts a fresh cluster. As root, the cluster runs as the `postgres` system user (PostgreSQL
/// refuses to run as root); otherwise as the current user.
pub fn start() -> Result<Cluster, String> {
    let bin = ensure_installed()?;
    let as_postgres = is_root();
    let dir = std::env::temp_dir().join(format!("mostrador-pg-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    if as_postgres {
        cmd("chown")
            .args(["postgres:postgres".as_ref(), dir.as_os_str()])
            .status_ok()?;
    }
    let port = free_port()?;
    let cluster = Cluster {
        url: format!("postgres://mostrador@127.0.0.1:{port}/postgres"),
        dir: dir.clone(),
        bin,
        as_postgres,
    };
    let data = dir.join("data");
    cluster
        .run("initdb")
        .args(["-D".as_ref(), data.as_os_str()])
        .args(["-U", "mostrador", "-A", "trust", "--no-sync", "-E", "UTF8"])
        .read()
        .ok_or("initdb failed")?;
    let opts = format!(
        "-p {port} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off \
         -c full_page_writes=off -c max_connections=300 -k {}",
        dir.display()
    );
    let log = dir.join("log");
    let started = cluster
        .run("pg_ctl")
        .args([
            "-D".as_ref(),
            data.as_os_str(),
            "-l".as_ref(),
            log.as_os_str(),
        ])
        .args(["-o", &opts, "-w", "start"])
        .read();
    if started.is_none() {
        let detail = std::fs::read_to_string(&log).unwrap_or_default();
        return Err(format!("PostgreSQL did not start:\n{detail}"));
    }
    println!("postgres: throwaway cluster on 127.0.0.1:{port}");
    Ok(cluster)
}

/// `cargo xtask postgres`: a cluster for running the server's tests or benchmarks by hand; it
/// stays up until Enter is pressed.
pub fn hold() -> Result<(), String> {
    let c = start()?;
    println!("{URL_ENV}={}", c.url);
    println!("press Enter to stop it");
    let mut line = String::new();
    let _ = std::io::stdin().read_line(&mut line);
    Ok(())
}
