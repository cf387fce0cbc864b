//! TestApp: a fresh database (SQLite file or PostgreSQL database), the real
//! router on a port-0 listener, and typed helpers.

use chibo::app::{AppState, Clock};
use chibo::domain::authz::Role;
use chibo::domain::ids::{MemberId, OrgId, UserId};
use chibo::domain::member::MemberDraft;
use chibo::domain::org::{CellType, OrgKind};
use chibo::service::{self, Caller, org::OrgChange};
use chibo::store::{self, Db};
use reqwest::{Response, StatusCode};
use serde_json::Value;
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Emits `name::sqlite` and `name::postgres` tests calling `async fn name(Backend)`.
#[macro_export]
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() { super::$name($crate::support::Backend::Sqlite).await }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() { super::$name($crate::support::Backend::Postgres).await }
        }
    )*};
}

pub const PASSWORD: &str = "mat-khau-thu";

/// Tests run "today" = 2026-11-23 in Hà Nội, whatever the machine's clock.
pub fn frozen_clock() -> Clock {
    Clock::Fixed("2026-11-23T03:00:00Z".parse().expect("timestamp"))
}

/// A new empty database: its URL (and the directory holding an SQLite file).
pub async fn fresh_url(backend: Backend) -> (String, Option<tempfile::TempDir>) {
    match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().expect("tempdir");
            (
                format!("sqlite://{}/t.db?mode=rwc", dir.path().display()),
                Some(dir),
            )
        }
        Backend::Postgres => {
            let admin_url = std::env::var("CHIBO_TEST_PG")
                .expect("CHIBO_TEST_PG is not set: run the tests with scripts/test, which starts PostgreSQL");
            let name = format!("chibo_t_{:016x}", rand::random::<u64>());
            let admin = sqlx::PgPool::connect(&admin_url)
                .await
                .expect("connect to test PostgreSQL");
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&admin)
                .await
                .expect("create database");
            admin.close().await;
            let base = admin_url
                .rsplit_once('/')
                .map(|(b, _)| b)
                .unwrap_or(&admin_url);
            (format!("{base}/{name}"), None)
        }
    }
}

pub async fn fresh_db(backend: Backend) -> (Db, Option<tempfile::TempDir>) {
    let (url, dir) = fresh_url(backend).await;
    let db = Db::connect(&url).await.expect("connect");
    db.migrate().await.expect("migrate");
    (db, dir)
}

/// The node ids and member ids of the small fixture tree.
#[derive(Debug, Clone)]
pub struct Fixture {
    pub root: OrgId,
    pub province: OrgId,
    pub district: OrgId,
    pub commune: OrgId,
    pub cell1: OrgId,
    pub cell2: OrgId,
    pub other_district: OrgId,
    pub other_commune: OrgId,
    pub other_cell: OrgId,
    pub an: MemberId,
    pub ha: MemberId,
    pub other_member: MemberId,
}

pub struct TestApp {
    /// The application the server runs (same database and clock).
    pub app: AppState,
    pub base: String,
    pub mail: tempfile::TempDir,
    pub http: reqwest::Client,
    pub fx: Fixture,
    _dir: Option<tempfile::TempDir>,
}

/// The argon2 hash of `PASSWORD`, computed once for the whole test binary.
pub fn hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| {
        use argon2::password_hash::PasswordHasher;
        argon2::Argon2::default()
            .hash_password(PASSWORD.as_bytes())
            .expect("hash")
            .to_string()
    })
}

pub async fn add_user(
    app: &AppState,
    username: &str,
    member: Option<MemberId>,
    grant: Option<(Role, OrgId)>,
) -> UserId {
    let mut tx = app.db.begin().await.expect("tx");
    let id = store::user::insert(&mut tx, username, hash(), username, member)
        .await
        .expect("user");
    if let Some((role, org)) = grant {
        store::user::insert_grant(&mut tx, id, role.code(), org)
            .await
            .expect("grant");
    }
    tx.commit().await.expect("commit");
    id
}

pub async fn node(
    app: &AppState,
    parent: OrgId,
    name: &str,
    kind: OrgKind,
    cell: Option<CellType>,
) -> OrgId {
    let change = OrgChange {
        name: name.into(),
        kind: kind.code().into(),
        cell_type: cell.map(|c| c.code().to_string()).unwrap_or_default(),
        effective_on: "01/01/2015".into(),
        ..Default::default()
    };
    service::org::create(app, &Caller::system("test"), parent, &change)
        .await
        .expect("create org")
}

pub async fn member(app: &AppState, cell: OrgId, name: &str, gender: &str, card: &str) -> MemberId {
    let d = MemberDraft {
        full_name: name.into(),
        gender: gender.into(),
        birth_date: "01/01/1980".into(),
        admitted_on: "01/06/2010".into(),
        official_on: "01/06/2011".into(),
        card_number: card.into(),
        ..Default::default()
    };
    service::member::create(app, &Caller::system("test"), cell, &d)
        .await
        .expect("create member")
}

/// Tree (all from 2015-01-01):
/// Trung ương › Tỉnh A › Huyện B › Đảng bộ xã Cẩm › {Chi bộ 1 (rural), Chi bộ 2 (school)}
///                     › Huyện Khác › Đảng bộ xã Xa › Chi bộ Xa
pub async fn fixture(app: &AppState) -> Fixture {
    let mut tx = app.db.begin().await.expect("tx");
    let from = jiff::civil::date(2015, 1, 1);
    let root = store::org::insert_org(&mut tx, from).await.expect("root");
    store::org::insert_version(
        &mut tx,
        &store::org::NewVersion {
            org: root,
            parent: None,
            name: "Trung ương",
            kind: OrgKind::Central,
            cell_type: None,
            valid_from: from,
        },
    )
    .await
    .expect("root version");
    tx.commit().await.expect("commit");
    let province = node(app, root, "Tỉnh A", OrgKind::Province, None).await;
    let district = node(app, province, "Huyện B", OrgKind::District, None).await;
    let commune = node(
        app,
        district,
        "Đảng bộ xã Cẩm",
        OrgKind::BaseCommittee,
        None,
    )
    .await;
    let cell1 = node(
        app,
        commune,
        "Chi bộ 1",
        OrgKind::Cell,
        Some(CellType::Rural),
    )
    .await;
    let cell2 = node(
        app,
        commune,
        "Chi bộ 2",
        OrgKind::Cell,
        Some(CellType::School),
    )
    .await;
    let other_district = node(app, province, "Huyện Khác", OrgKind::District, None).await;
    let other_commune = node(
        app,
        other_district,
        "Đảng bộ xã Xa",
        OrgKind::BaseCommittee,
        None,
    )
    .await;
    let other_cell = node(
        app,
        other_commune,
        "Chi bộ Xa",
        OrgKind::Cell,
        Some(CellType::Rural),
    )
    .await;
    let an = member(app, cell1, "Nguyễn Văn An", "Nam", "10000001").await;
    let ha = member(app, cell1, "Đặng Thị Hà", "Nữ", "10000002").await;
    member(app, cell1, "Lê Văn Bình", "Nam", "10000003").await;
    member(app, cell1, "Trần Anh", "Nam", "10000004").await;
    member(app, cell2, "Phạm Thị Ánh", "Nữ", "10000005").await;
    let other_member = member(app, other_cell, "Hoàng Văn Cường", "Nam", "10000006").await;
    add_user(app, "admin", None, Some((Role::Admin, root))).await;
    add_user(app, "staff", None, Some((Role::Staff, district))).await;
    add_user(app, "secretary", Some(an), Some((Role::Secretary, cell1))).await;
    // An holds the post too (docs/rules.md "Posts in a cell"): documents
    // and figures read the post registry, not the account's grant.
    let mut tx = app.db.begin().await.expect("tx");
    store::post::insert(
        &mut tx,
        &store::post::NewPost {
            org: cell1,
            member: an,
            kind: chibo::domain::post::PostKind::CellSecretary,
            from,
            to: None,
            decision: "",
        },
    )
    .await
    .expect("post");
    tx.commit().await.expect("commit");
    add_user(app, "member", Some(ha), None).await;
    add_user(app, "outsider", None, Some((Role::Staff, other_district))).await;
    Fixture {
        root,
        province,
        district,
        commune,
        cell1,
        cell2,
        other_district,
        other_commune,
        other_cell,
        an,
        ha,
        other_member,
    }
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> TestApp {
        let (db, dir) = fresh_db(backend).await;
        let app = AppState::new(db).with_clock(frozen_clock());
        let fx = fixture(&app).await;
        Self::serve(app, fx, dir).await
    }

    pub async fn serve(app: AppState, fx: Fixture, dir: Option<tempfile::TempDir>) -> TestApp {
        // Mail is captured as .eml files in a directory of the test's own.
        let mail = tempfile::tempdir().expect("mail dir");
        let mailer =
            chibo::mail::Mailer::from_config(None, "chibo <chibo@localhost>", Some(mail.path()))
                .expect("mailer");
        let app = app.with_mailer(mailer);
        let state = app.clone();
        // Server logs go to the test's captured output, shown when it fails.
        let _ = tracing_subscriber::fmt()
            .with_test_writer()
            .with_env_filter("chibo=debug")
            .try_init();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        tokio::spawn(async move {
            let _ = chibo::web::serve(app, listener).await;
        });
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        TestApp {
            app: state,
            base,
            mail,
            http,
            fx,
            _dir: dir,
        }
    }

    /// Two servers of one new database with the fixture: `a` (which also
    /// holds the SQLite file's directory) and `b`, each with its own caches,
    /// as two instances behind a load balancer.
    pub async fn pair(backend: Backend) -> (TestApp, TestApp) {
        let (url, dir) = fresh_url(backend).await;
        let db_a = Db::connect(&url).await.expect("a");
        db_a.migrate().await.expect("migrate");
        let app_a = AppState::new(db_a).with_clock(frozen_clock());
        let fx = fixture(&app_a).await;
        let db_b = Db::connect(&url).await.expect("b");
        let b = TestApp::serve(
            AppState::new(db_b).with_clock(frozen_clock()),
            fx.clone(),
            None,
        )
        .await;
        (TestApp::serve(app_a, fx, dir).await, b)
    }

    pub async fn token(&self, username: &str) -> String {
        let r = self
            .post_json(
                None,
                "/api/v1/auth/token",
                &serde_json::json!({"username": username, "password": PASSWORD}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK, "login {username}");
        let v: Value = r.json().await.expect("json");
        v["token"].as_str().expect("token").to_string()
    }

    pub async fn get(&self, token: Option<&str>, path: &str) -> Response {
        let mut req = self.http.get(format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send().await.expect("request")
    }

    pub async fn get_json(&self, token: &str, path: &str) -> Value {
        let r = self.get(Some(token), path).await;
        let status = r.status();
        let body = r.text().await.expect("body");
        assert_eq!(status, StatusCode::OK, "GET {path}: {body}");
        serde_json::from_str(&body).expect("json")
    }

    pub async fn post_json(&self, token: Option<&str>, path: &str, body: &Value) -> Response {
        let mut req = self.http.post(format!("{}{path}", self.base)).json(body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send().await.expect("request")
    }

    pub async fn patch_json(&self, token: &str, path: &str, body: &Value) -> Response {
        self.http
            .patch(format!("{}{path}", self.base))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .expect("request")
    }

    pub async fn put_json(&self, token: &str, path: &str, body: &Value) -> Response {
        self.http
            .put(format!("{}{path}", self.base))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .expect("request")
    }

    /// A regular meeting of `cell` on `date` (YYYY-MM-DD), planned by `token`'s user.
    pub async fn new_meeting(&self, token: &str, cell: OrgId, date: &str) -> i64 {
        let r = self
            .post_json(
                Some(token),
                &format!("/api/v1/orgs/{cell}/meetings"),
                &serde_json::json!({"kind": "regular", "date": date}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::CREATED);
        r.json::<Value>().await.expect("json")["id"]
            .as_i64()
            .expect("meeting id")
    }

    /// The OpenAPI document the server publishes.
    pub async fn openapi(&self) -> Value {
        self.http
            .get(format!("{}/api/openapi.json", self.base))
            .send()
            .await
            .expect("openapi")
            .json()
            .await
            .expect("json")
    }

    /// Objects in the other district, made by the admin: a meeting, a task
    /// of it and a document.
    pub async fn foreign_objects(&self) -> (i64, i64, i64) {
        let admin = self.token("admin").await;
        let id = |r: Value, what: &str| r["id"].as_i64().unwrap_or_else(|| panic!("{what}: {r}"));
        let meeting = self
            .new_meeting(&admin, self.fx.other_cell, "2026-12-05")
            .await;
        let r = self
            .post_json(
                Some(&admin),
                &format!("/api/v1/meetings/{meeting}/tasks"),
                &serde_json::json!({"member_id": self.fx.other_member.0, "title": "Việc"}),
            )
            .await;
        let task = id(r.json().await.expect("json"), "task");
        let path = format!("/api/v1/meetings/{meeting}/documents");
        let r = self
            .upload(&admin, &path, "a.pdf", b"%PDF-1.4 test".to_vec())
            .await;
        let document = id(r.json().await.expect("json"), "document");
        (meeting, task, document)
    }

    /// A recommendation raised by the other district's cell (for the sweeps).
    pub async fn foreign_recommendation(&self) -> i64 {
        let admin = self.token("admin").await;
        let r: Value = self
            .post_json(
                Some(&admin),
                &format!("/api/v1/orgs/{}/recommendations", self.fx.other_cell),
                &serde_json::json!({"topic": "land", "content": "Kiến nghị ở nơi khác"}),
            )
            .await
            .json()
            .await
            .expect("json");
        r["ids"][0]
            .as_i64()
            .unwrap_or_else(|| panic!("recommendation: {r}"))
    }

    /// The 2025 reform on the fixture: the commune moves under the province
    /// and the district is dissolved, both on 1 July 2025.
    pub async fn dissolve_district(&self) {
        let admin = self.token("admin").await;
        let r = self
            .post_json(
                Some(&admin),
                &format!("/api/v1/orgs/{}/move", self.fx.commune),
                &serde_json::json!({"target_id": self.fx.province.0, "effective_on": "2025-07-01"}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::NO_CONTENT);
        let r = self
            .post_json(
                Some(&admin),
                &format!("/api/v1/orgs/{}/dissolve", self.fx.district),
                &serde_json::json!({"effective_on": "2025-07-01"}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::NO_CONTENT);
    }

    pub async fn upload(
        &self,
        token: &str,
        path: &str,
        filename: &str,
        bytes: Vec<u8>,
    ) -> Response {
        let part = reqwest::multipart::Part::bytes(bytes).file_name(filename.to_string());
        let form = reqwest::multipart::Form::new().part("file", part);
        self.http
            .post(format!("{}{path}", self.base))
            .bearer_auth(token)
            .multipart(form)
            .send()
            .await
            .expect("request")
    }
}

/// Names in a JSON array of objects.
pub fn names(v: &Value, key: &str) -> Vec<String> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|o| o[key].as_str().unwrap_or_default().to_string())
        .collect()
}

/// Whether a captured email holds `needle`, in plain text or in a base64 part.
pub fn eml_contains(eml: &str, needle: &str) -> bool {
    use base64::Engine;
    if eml.contains(needle) {
        return true;
    }
    // Base64 parts: runs of base64 lines between blank lines.
    eml.split("\n\n").chain(eml.split("\r\n\r\n")).any(|block| {
        let joined: String = block
            .lines()
            .map(str::trim)
            .take_while(|l| !l.starts_with("--"))
            .collect();
        base64::engine::general_purpose::STANDARD
            .decode(joined.as_bytes())
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .is_some_and(|s| s.contains(needle))
    })
}

/// The CSRF token of the first form on a page.
pub fn csrf_of(html: &str) -> String {
    let at =
        html.find("name=\"_csrf\" value=\"").expect("csrf field") + "name=\"_csrf\" value=\"".len();
    html[at..].split('"').next().expect("value").to_string()
}

/// A browser-like client: cookies kept, redirects not followed.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// Signs in through the login form; returns the CSRF token of the home page.
/// The body of a GET, failing the test on a transport error.
pub async fn get_text(c: &reqwest::Client, url: impl reqwest::IntoUrl) -> String {
    c.get(url)
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("text")
}

pub async fn login(t: &TestApp, c: &reqwest::Client, user: &str) -> String {
    let page = get_text(c, format!("{}/login", t.base)).await;
    let csrf = csrf_of(&page);
    let r = c
        .post(format!("{}/login", t.base))
        .form(&[
            ("username", user),
            ("password", PASSWORD),
            ("_csrf", &csrf),
            ("next", "/"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "login redirects");
    let home = c
        .get(format!("{}/", t.base))
        .send()
        .await
        .expect("home")
        .text()
        .await
        .expect("text");
    csrf_of(&home)
}
