//! Use cases shared by the HTML pages, the JSON API and the CLI. Each one
//! authorizes first (through `domain::authz::decide`), then reads or writes
//! in one transaction with its audit row.

mod access;
pub mod account;
pub mod audit;
pub mod auth;
pub mod caller_cache;
pub mod classification;
pub mod dashboard;
pub mod dashboard_cache;
pub mod epoch_cache;
pub mod follow;
pub mod home_cache;
pub mod import;
pub mod indicator;
pub mod inspection;
pub mod login;
pub mod meeting;
pub mod member;
pub mod member_list_cache;
pub mod node_memo;
pub mod org;
pub mod outbox;
pub mod post;
pub mod quality;
pub mod recommendation;
pub mod signal;
pub mod supervision;
pub mod urgent;
pub mod warm;

use crate::app::AppState;
use crate::domain::ValidationError;
pub use access::{Object, allows, authorize, authorize_member, authorize_org, permitted};

use crate::domain::authz::{Actor, Paths};
use crate::domain::ids::OrgId;
use crate::store::{self, StoreError, org::OrgRow};
use jiff::civil::Date;

/// One problem in one row of an import file.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct RowError {
    /// Worksheet the row is on, when the file has several (else empty).
    pub sheet: String,
    /// Row number as the spreadsheet shows it, title rows counted.
    pub row: usize,
    /// Column header as written in the file.
    pub column: String,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("dữ liệu không hợp lệ")]
    Invalid(Vec<ValidationError>),
    #[error("tệp nhập có {} lỗi, không ghi dòng nào", .0.len())]
    ImportRejected(Vec<RowError>),
    #[error("chưa đăng nhập hoặc phiên đã hết hạn")]
    Unauthorized,
    #[error("không có quyền thực hiện thao tác này")]
    Forbidden,
    #[error("không tìm thấy")]
    NotFound,
    /// Too many failed sign-ins: try again after this many seconds.
    #[error("đăng nhập sai quá nhiều lần, thử lại sau {0} giây")]
    Throttled(i64),
    /// Every password check is busy: try again in a moment.
    #[error("máy chủ đang bận kiểm tra mật khẩu")]
    Busy,
    #[error("{0}")]
    Conflict(String),
    /// The change was based on an older version of the record (docs/rules.md
    /// "Offline recording and explicit conflicts").
    #[error("dữ liệu đã được người khác sửa sau bản anh/chị dựa vào")]
    Stale,
    #[error("lỗi hệ thống: {0}")]
    Internal(String),
}

impl AppError {
    pub fn invalid(e: ValidationError) -> Self {
        AppError::Invalid(vec![e])
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict(name) if name == "member_card_number_key" => {
                AppError::invalid(ValidationError::new(
                    "card_number",
                    "Số thẻ đảng viên",
                    "đã được dùng cho một đảng viên khác",
                ))
            }
            StoreError::Conflict(name) if name == "member_citizen_id_key" => {
                AppError::invalid(ValidationError::new(
                    crate::domain::citizen_id::FIELD,
                    crate::domain::citizen_id::LABEL,
                    "đã có một đảng viên khác mang số CCCD này",
                ))
            }
            StoreError::Conflict(name) if name == "app_user_username_key" => AppError::invalid(
                ValidationError::new("username", "Tên đăng nhập", "đã có người dùng"),
            ),
            StoreError::Conflict(name) => AppError::Conflict(format!("dữ liệu xung đột ({name})")),
            StoreError::Db(e) => AppError::Internal(e.to_string()),
        }
    }
}

impl From<Vec<ValidationError>> for AppError {
    fn from(v: Vec<ValidationError>) -> Self {
        AppError::Invalid(v)
    }
}

impl From<ValidationError> for AppError {
    fn from(v: ValidationError) -> Self {
        AppError::invalid(v)
    }
}

pub type Result<T, E = AppError> = std::result::Result<T, E>;

/// The signed-in user and the dates their grants' subtrees are read at: today,
/// or the last day of a node that has since been dissolved (the staff of a
/// district closed in 2025 still see what was theirs).
#[derive(Debug, Clone)]
pub struct Caller {
    pub actor: Actor,
    pub grant_dates: Vec<(OrgId, Date)>,
    /// The latest rows of the grants' nodes, by name.
    pub roots: Vec<OrgRow>,
    /// What a cached home page must have been read at (members only).
    pub home_key: Option<home_cache::Key>,
    /// How the account wants its pages shown.
    pub display: crate::domain::display::Display,
    /// Nodes already looked up for this caller (a caller lives for one
    /// request): a page asking for a node's view, statistics and history
    /// reads its row and path once. Emptied by every write.
    seen: Seen,
}

/// Node id → (its latest row, its paths for this caller's grants).
type SeenMap = std::collections::HashMap<OrgId, (OrgRow, Paths)>;

#[derive(Debug, Clone, Default)]
struct Seen {
    nodes: std::sync::Arc<std::sync::Mutex<SeenMap>>,
    /// Node id → its epochs, read once a request (`node_memo`).
    epochs: std::sync::Arc<std::sync::Mutex<std::collections::HashMap<OrgId, node_memo::Epochs>>>,
}

impl Seen {
    fn get(&self, id: OrgId) -> Option<(OrgRow, Paths)> {
        self.nodes.lock().ok()?.get(&id).cloned()
    }
    fn put(&self, id: OrgId, row: &OrgRow, paths: &Paths) {
        if let Ok(mut m) = self.nodes.lock() {
            m.insert(id, (row.clone(), paths.clone()));
        }
    }
    fn epoch(&self, id: OrgId) -> Option<node_memo::Epochs> {
        self.epochs.lock().ok()?.get(&id).copied()
    }
    fn put_epoch(&self, id: OrgId, epoch: node_memo::Epochs) {
        if let Ok(mut m) = self.epochs.lock() {
            m.insert(id, epoch);
        }
    }
    fn clear(&self) {
        if let Ok(mut m) = self.nodes.lock() {
            m.clear();
        }
        if let Ok(mut m) = self.epochs.lock() {
            m.clear();
        }
    }
}

impl Caller {
    /// The command line acting with full authority (imports, user creation).
    pub fn system(name: &str) -> Self {
        Caller {
            actor: Actor {
                user_id: crate::domain::ids::UserId(0),
                username: name.to_string(),
                display_name: name.to_string(),
                member_id: None,
                grants: vec![crate::domain::authz::Grant::live(
                    crate::domain::authz::Role::Admin,
                    OrgId(0),
                )],
            },
            grant_dates: Vec::new(),
            roots: Vec::new(),
            home_key: None,
            display: Default::default(),
            seen: Seen::default(),
        }
    }

    /// The epochs of `org` and of the tree, read once for this request (and
    /// again after a write): what the per-process caches of the node's reads
    /// are checked against (`node_memo`, `dashboard_cache`).
    pub async fn node_epoch(&self, app: &AppState, org: OrgId) -> Result<node_memo::Epochs> {
        if let Some(e) = self.seen.epoch(org) {
            return Ok(e);
        }
        let (node, tree) = store::rollup::epochs(&app.db, org).await?;
        let e = node_memo::Epochs { node, tree };
        self.seen.put_epoch(org, e);
        Ok(e)
    }

    pub fn new(
        actor: Actor,
        grant_dates: Vec<(OrgId, Date)>,
        roots: Vec<OrgRow>,
        home_key: Option<home_cache::Key>,
        display: crate::domain::display::Display,
    ) -> Self {
        Caller {
            actor,
            grant_dates,
            roots,
            home_key,
            display,
            seen: Seen::default(),
        }
    }

    /// The account to record in the audit log (none for the command line).
    pub fn audit_user(&self) -> Option<crate::domain::ids::UserId> {
        (self.actor.user_id.0 > 0).then_some(self.actor.user_id)
    }
}

/// Page size of every list.
pub const PAGE_SIZE: i64 = 50;
/// The largest page a client may ask of the member list: a whole cell of 200
/// in one answer (issue 14 point 1).
pub const MAX_PAGE_SIZE: i64 = 200;

#[derive(Debug, Clone)]
pub struct Page<T> {
    /// Shared, not copied, when the page comes from a cache.
    pub items: std::sync::Arc<[T]>,
    pub total: i64,
    pub page: i64,
    pub size: i64,
}

impl<T> Page<T> {
    pub fn pages(&self) -> i64 {
        ((self.total + self.size - 1) / self.size.max(1)).max(1)
    }
}

/// One audited change, written in the transaction that makes it.
pub struct Change<'a> {
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: i64,
    /// The node the change belongs to: whoever may read its audit log sees it.
    pub org: Option<OrgId>,
    pub summary: &'a str,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

pub async fn audit(
    app: &AppState,
    tx: &mut store::Tx,
    caller: &Caller,
    c: Change<'_>,
) -> Result<()> {
    audit_touching(app, tx, caller, c, &[]).await
}

/// `audit` for a change that also reaches nodes other than `c.org` (the
/// receiving cell of a transfer, the node merged into, the cells an import
/// fills).
pub async fn audit_touching(
    app: &AppState,
    tx: &mut store::Tx,
    caller: &Caller,
    c: Change<'_>,
    also: &[OrgId],
) -> Result<()> {
    // The same place every change passes: the rollups above it go stale here,
    // and the nodes this caller looked up may have moved.
    caller.seen.clear();
    for org in c.org.iter().chain(also) {
        store::rollup::touch(tx, *org).await?;
    }
    store::audit::record(
        tx,
        &store::audit::Entry {
            at: app.clock.now(),
            user_id: caller.audit_user(),
            username: &caller.actor.username,
            action: c.action,
            entity: c.entity,
            entity_id: c.entity_id,
            org_id: c.org,
            summary: c.summary,
            before: c.before,
            after: c.after,
        },
    )
    .await?;
    Ok(())
}
