//! Operations (issue 13, point 3; docs/operations.md): the real binary runs
//! with the command the systemd unit and the container image use, reads its
//! configuration file, logs JSON lines, reports readiness and metrics, and
//! finishes a request in flight when told to stop.

use crate::both_backends;
use crate::support::{Backend, TestApp};
use reqwest::StatusCode;
use std::io::{BufReader, Read};
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

async fn metrics_and_readiness(b: Backend) {
    let t = TestApp::spawn(b).await;
    let get = |path: &str| t.http.get(format!("{}{path}", t.base)).send();
    assert_eq!(
        get("/healthz").await.expect("healthz").status(),
        StatusCode::OK
    );
    let r = get("/readyz").await.expect("readyz");
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.text().await.expect("text"), "ready");
    let r = get("/metrics").await.expect("metrics");
    assert_eq!(r.status(), StatusCode::OK);
    let text = r.text().await.expect("text");
    for needle in [
        "http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"}",
        "http_request_duration_seconds_bucket{method=\"GET\",route=\"/readyz\"",
        "db_pool_connections{state=\"open\"}",
    ] {
        assert!(text.contains(needle), "{needle} missing from\n{text}");
    }
    // A route with an id is one series, not one per object.
    let _ = get("/api/v1/orgs/12345").await.expect("org");
    let text = get("/metrics").await.expect("m").text().await.expect("t");
    assert!(text.contains("route=\"/api/v1/orgs/{id}\""), "{text}");
    assert!(!text.contains("/orgs/12345"));
    // Through a proxy (forwarded), without the token: as if it did not exist.
    let r = t
        .http
        .get(format!("{}/metrics", t.base))
        .header("x-forwarded-for", "203.0.113.9")
        .send()
        .await
        .expect("forwarded");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}
both_backends!(metrics_and_readiness);

/// `chibo serve --config FILE`, as deploy/chibo.service and the Dockerfile
/// start it: the file's settings apply, logs are JSON lines, SIGTERM makes
/// readiness fail and the process exit cleanly after the request in flight.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_runs_from_its_config_file_and_stops_gracefully() {
    let dir = tempfile::tempdir().expect("tmp");
    let port = TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let config = dir.path().join("chibo.toml");
    std::fs::write(
        &config,
        format!(
            "database_url = \"sqlite://{}/chibo.db?mode=rwc\"\naddr = \"127.0.0.1:{port}\"\nlog_format = \"json\"\nmetrics_token = \"s3cret-metrics-token\"\n",
            dir.path().display()
        ),
    )
    .expect("config");
    let mut child = Command::new(env!("CARGO_BIN_EXE_chibo"))
        .args(["serve", "--config"])
        .arg(&config)
        .env_remove("CHIBO_DATABASE_URL")
        .env_remove("CHIBO_ADDR")
        .env("RUST_LOG", "chibo=info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("chibo serve");
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    let started = Instant::now();
    loop {
        if let Ok(r) = http.get(format!("{base}/readyz")).send().await
            && r.status() == StatusCode::OK
        {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(30), "not ready");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // The token from the file opens /metrics; nothing else does.
    let metrics = |token: &'static str| {
        http.get(format!("{base}/metrics"))
            .bearer_auth(token)
            .send()
    };
    assert_eq!(
        metrics("sai").await.expect("m").status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        metrics("s3cret-metrics-token").await.expect("m").status(),
        StatusCode::OK
    );

    // A slow request in flight (a login hashes a password) when SIGTERM comes.
    let slow = tokio::spawn({
        let http = http.clone();
        let url = format!("{base}/api/v1/auth/token");
        async move {
            http.post(url)
                .json(&serde_json::json!({"username": "khong-co", "password": "sai-mat-khau"}))
                .send()
                .await
                .map(|r| r.status())
        }
    });
    tokio::time::sleep(Duration::from_millis(20)).await;
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let status = slow
        .await
        .expect("join")
        .expect("the request in flight got its answer");
    assert!(status.is_client_error(), "{status}");
    let deadline = Instant::now() + Duration::from_secs(20);
    let exit = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        assert!(Instant::now() < deadline, "did not stop");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(exit.success(), "{exit}");
    let mut logs = String::new();
    BufReader::new(child.stderr.take().expect("stderr"))
        .read_to_string(&mut logs)
        .expect("logs");
    let lines: Vec<serde_json::Value> = logs
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l}: {e}")))
        .collect();
    assert!(
        lines
            .iter()
            .any(|l| l["message"] == "serving" && l["db"] == "sqlite"),
        "{logs}"
    );
    assert!(
        lines.iter().any(|l| l["message"] == "shutting down"),
        "{logs}"
    );
}

/// deploy/chibo.service passes `systemd-analyze verify` (the binary path is
/// pointed at the one just built: verify checks that it exists).
#[test]
fn the_systemd_unit_verifies() {
    let unit =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/deploy/chibo.service"))
            .expect("unit");
    assert!(unit.contains("ExecStart=/usr/local/bin/chibo serve --config /etc/chibo/chibo.toml"));
    let dockerfile = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Dockerfile"))
        .expect("Dockerfile");
    assert!(
        dockerfile.contains(r#"CMD ["serve", "--config", "/etc/chibo/chibo.toml"]"#),
        "the image starts the same command"
    );
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("chibo.service");
    std::fs::write(
        &path,
        unit.replace("/usr/local/bin/chibo", env!("CARGO_BIN_EXE_chibo")),
    )
    .expect("write");
    let out = Command::new("systemd-analyze")
        .arg("verify")
        .arg(&path)
        .output()
        .expect("systemd-analyze (scripts/test installs it)");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        !stderr.contains("chibo.service"),
        "warnings about the unit: {stderr}"
    );
}
