//! Member import: all or nothing. Every row is checked first; one bad row
//! means nothing is written and the answer lists every bad row, column and
//! reason (issue #3 point 5).

use super::{AppError, Caller, Result, RowError, authorize_org};
use crate::app::AppState;
use crate::docs::table::{self, Table};
use crate::domain::ValidationError;
use crate::domain::authz::Action;
use crate::domain::ids::OrgId;
use crate::domain::member::{FIELDS, MemberDraft, MemberFields, label_of};
use crate::domain::text::fold;
use crate::store;
use std::collections::HashMap;

/// Column headers as committees write them, folded, for each field.
const ALIASES: &[(&str, &[&str])] = &[
    (
        "full_name",
        &[
            "ho va ten",
            "ho ten",
            "ho va ten dang vien",
            "ten dang vien",
            "full_name",
        ],
    ),
    (
        "birth_date",
        &[
            "ngay sinh",
            "ngay thang nam sinh",
            "sinh ngay",
            "birth_date",
        ],
    ),
    ("gender", &["gioi tinh", "gender"]),
    ("ethnicity", &["dan toc", "ethnicity"]),
    ("religion", &["ton giao", "religion"]),
    ("hometown", &["que quan", "nguyen quan", "hometown"]),
    (
        "residence",
        &[
            "noi o hien nay",
            "noi o",
            "noi cu tru",
            "cho o hien nay",
            "dia chi",
            "residence",
        ],
    ),
    (
        "admitted_on",
        &[
            "ngay vao dang",
            "ngay ket nap",
            "ngay ket nap dang",
            "admitted_on",
        ],
    ),
    (
        "official_on",
        &[
            "ngay chinh thuc",
            "ngay chuyen chinh thuc",
            "ngay cong nhan chinh thuc",
            "official_on",
        ],
    ),
    (
        "card_number",
        &["so the dang vien", "so the", "so the dv", "card_number"],
    ),
    (
        "education",
        &[
            "trinh do hoc van",
            "hoc van",
            "trinh do van hoa",
            "giao duc pho thong",
            "education",
        ],
    ),
    (
        "theory_level",
        &[
            "ly luan chinh tri",
            "trinh do ly luan chinh tri",
            "trinh do llct",
            "llct",
            "theory_level",
        ],
    ),
    (
        "occupation",
        &["nghe nghiep", "nghe nghiep hien nay", "occupation"],
    ),
    (
        "phone",
        &["dien thoai", "so dien thoai", "sdt", "dt", "phone"],
    ),
    ("email", &["email", "e-mail", "thu dien tu"]),
    ("status", &["trang thai", "tinh trang", "status"]),
    (
        "cell",
        &["chi bo", "chi bo sinh hoat", "ten chi bo", "cell"],
    ),
];

/// Columns that are read but not stored.
const IGNORED: &[&str] = &["stt", "tt", "so thu tu", "ghi chu"];

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ImportSummary {
    /// Members created.
    pub created: usize,
    /// Created members per cell: (cell name, count).
    pub by_cell: Vec<(String, usize)>,
    /// Headers that were not recognized and were ignored.
    pub ignored_columns: Vec<String>,
}

fn field_for(header: &str) -> Option<&'static str> {
    let key = fold(header)
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_string();
    ALIASES
        .iter()
        .find(|(_, names)| names.contains(&key.as_str()))
        .map(|(f, _)| *f)
}

/// Progress of a long import, for the CLI's progress bar.
pub trait Progress: Send + Sync {
    fn stage(&self, name: &str, total: u64);
    fn advance(&self, n: u64);
}

pub struct NoProgress;
impl Progress for NoProgress {
    fn stage(&self, _: &str, _: u64) {}
    fn advance(&self, _: u64) {}
}

fn row_err(row: usize, column: &str, message: impl Into<String>) -> RowError {
    RowError {
        row,
        column: column.to_string(),
        message: message.into(),
    }
}

pub async fn import(
    app: &AppState,
    caller: &Caller,
    org: OrgId,
    filename: &str,
    bytes: &[u8],
    progress: &dyn Progress,
) -> Result<ImportSummary> {
    let root = authorize_org(app, caller, Action::ImportMembers, org).await?;
    if root.dissolved_on().is_some() {
        return Err(AppError::Conflict(format!(
            "{} đã giải thể, không thể nhập đảng viên",
            root.name
        )));
    }
    // A file that cannot be read is one problem with the file, not a row.
    let table = table::read(filename, bytes)
        .map_err(|e| AppError::invalid(ValidationError::new("file", "Tệp", e)))?;
    let today = app.clock.today();

    // Cells of the node by folded name (the node itself when it is a cell).
    let subtree = store::org::subtree_ids(&app.db, org, today).await?;
    let cells: Vec<store::org::OrgRow> = store::org::get_many_latest(&app.db, &subtree)
        .await?
        .into_iter()
        .filter(|o| o.kind().is_cell() && o.dissolved_on().is_none())
        .collect();
    let by_name: HashMap<String, &store::org::OrgRow> =
        cells.iter().map(|c| (fold(&c.name), c)).collect();

    let (columns, ignored, mut errors) = map_headers(&table, root.kind().is_cell());
    progress.stage("Kiểm tra", table.rows.len() as u64);
    let mut parsed: Vec<(usize, MemberFields, OrgId)> = Vec::with_capacity(table.rows.len());
    let mut seen_cards: HashMap<String, usize> = HashMap::new();
    for (row, cells_text) in &table.rows {
        let get = |field: &str| {
            columns
                .get(field)
                .and_then(|(i, _)| cells_text.get(*i))
                .map(String::as_str)
                .unwrap_or("")
        };
        let header = |field: &'static str| {
            columns
                .get(field)
                .map(|(_, h)| h.as_str())
                .unwrap_or(label_of(field))
        };
        let mut draft = MemberDraft {
            full_name: get("full_name").into(),
            birth_date: get("birth_date").into(),
            gender: get("gender").into(),
            ethnicity: get("ethnicity").into(),
            religion: get("religion").into(),
            hometown: get("hometown").into(),
            residence: get("residence").into(),
            admitted_on: get("admitted_on").into(),
            official_on: get("official_on").into(),
            card_number: get("card_number").into(),
            education: get("education").into(),
            theory_level: get("theory_level").into(),
            occupation: get("occupation").into(),
            phone: get("phone").into(),
            email: get("email").into(),
            status: get("status").into(),
        };
        // A phone typed as a number in Excel loses its leading 0.
        if draft.phone.len() == 9 && draft.phone.chars().all(|c| c.is_ascii_digit()) {
            draft.phone.insert(0, '0');
        }
        let cell = if root.kind().is_cell() {
            Some(org)
        } else {
            let name = get("cell");
            match by_name.get(&fold(name)) {
                Some(c) => Some(c.id),
                None if name.trim().is_empty() => {
                    errors.push(row_err(*row, header("cell"), "phải ghi tên chi bộ"));
                    None
                }
                None => {
                    errors.push(row_err(
                        *row,
                        header("cell"),
                        format!("không có chi bộ \"{}\" trong {}", name.trim(), root.name),
                    ));
                    None
                }
            }
        };
        let card: String = draft
            .card_number
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase();
        if !card.is_empty() {
            match seen_cards.get(&card) {
                Some(first) => errors.push(row_err(
                    *row,
                    header("card_number"),
                    format!("trùng số thẻ với dòng {first}"),
                )),
                None => {
                    seen_cards.insert(card, *row);
                }
            }
        }
        match draft.parse(today) {
            Ok(fields) => {
                if let Some(cell) = cell {
                    parsed.push((*row, fields, cell));
                }
            }
            Err(field_errors) => {
                for e in field_errors {
                    errors.push(row_err(*row, header(e.field), e.problem.to_string()));
                }
            }
        }
        progress.advance(1);
    }
    if table.rows.is_empty() {
        errors.push(row_err(2, "", "tệp không có dòng dữ liệu nào"));
    }

    let mut tx = app.db.begin().await?;
    let cards: Vec<String> = parsed
        .iter()
        .filter_map(|(_, f, _)| f.card_number.clone())
        .collect();
    for taken in store::member::taken_card_numbers(&mut tx, &cards).await? {
        if let Some((row, _, _)) = parsed
            .iter()
            .find(|(_, f, _)| f.card_number.as_deref() == Some(taken.as_str()))
        {
            let header = columns
                .get("card_number")
                .map(|(_, h)| h.as_str())
                .unwrap_or("Số thẻ đảng viên");
            errors.push(row_err(
                *row,
                header,
                format!("số thẻ {taken} đã có trong hệ thống"),
            ));
        }
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.row);
        return Err(AppError::ImportRejected(errors));
    }

    progress.stage("Ghi", parsed.len() as u64);
    let created_on = |id: OrgId| {
        cells
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.created_on.to_jiff())
            .unwrap_or(root.created_on.to_jiff())
    };
    let ids = store::member::reserve_ids(&mut tx, parsed.len()).await?;
    const CHUNK: usize = 2000;
    for (chunk, id_chunk) in parsed.chunks(CHUNK).zip(ids.chunks(CHUNK)) {
        let rows: Vec<store::member::NewMember> = chunk
            .iter()
            .zip(id_chunk)
            .map(|((_, f, cell), id)| store::member::NewMember {
                id: *id,
                fields: f,
                cell: *cell,
                statuses: super::member::initial_statuses(f, today),
                homes: vec![(
                    *cell,
                    f.admitted_on.unwrap_or(today).max(created_on(*cell)),
                    None,
                )],
            })
            .collect();
        store::member::insert_many(&mut tx, &rows).await?;
        progress.advance(chunk.len() as u64);
    }
    let mut by_cell: Vec<(String, usize)> = Vec::new();
    for (_, _, cell) in &parsed {
        let name = cells
            .iter()
            .find(|c| c.id == *cell)
            .map(|c| c.name.clone())
            .unwrap_or_else(|| root.name.clone());
        match by_cell.iter_mut().find(|(n, _)| *n == name) {
            Some((_, k)) => *k += 1,
            None => by_cell.push((name, 1)),
        }
    }
    let summary = format!(
        "Nhập {} đảng viên từ tệp {} vào {}",
        parsed.len(),
        filename,
        root.name
    );
    // The rows may name cells below the node: each one's branch goes stale.
    let mut touched: Vec<OrgId> = parsed.iter().map(|(_, _, cell)| *cell).collect();
    touched.sort_by_key(|c| c.0);
    touched.dedup();
    super::audit_touching(
        app,
        &mut tx,
        caller,
        super::Change {
            action: "import",
            entity: "org",
            entity_id: org.0,
            org: Some(org),
            summary: &summary,
            before: None,
            after: Some(serde_json::json!({
                "file": filename,
                "created": parsed.len(),
                "member_ids": ids.iter().map(|i| i.0).collect::<Vec<_>>(),
            })),
        },
        &touched,
    )
    .await?;
    tx.commit().await?;
    Ok(ImportSummary {
        created: parsed.len(),
        by_cell,
        ignored_columns: ignored,
    })
}

type Columns = HashMap<&'static str, (usize, String)>;

fn map_headers(table: &Table, into_cell: bool) -> (Columns, Vec<String>, Vec<RowError>) {
    let mut columns: Columns = HashMap::new();
    let mut ignored = Vec::new();
    let mut errors = Vec::new();
    for (i, h) in table.headers.iter().enumerate() {
        match field_for(h) {
            Some(f) if columns.contains_key(f) => {
                errors.push(row_err(
                    1,
                    h,
                    format!("cột \"{}\" xuất hiện hai lần", h.trim()),
                ));
            }
            Some(f) => {
                columns.insert(f, (i, h.trim().to_string()));
            }
            None if h.trim().is_empty() || IGNORED.contains(&fold(h).as_str()) => {}
            None => ignored.push(h.trim().to_string()),
        }
    }
    for (field, label) in [("full_name", "Họ và tên"), ("gender", "Giới tính")] {
        if !columns.contains_key(field) {
            errors.push(row_err(1, label, format!("thiếu cột \"{label}\"")));
        }
    }
    if !into_cell && !columns.contains_key("cell") {
        errors.push(row_err(
            1,
            "Chi bộ",
            "thiếu cột \"Chi bộ\" (bắt buộc khi nhập vào một cấp ủy)",
        ));
    }
    debug_assert!(
        FIELDS
            .iter()
            .all(|(f, _)| ALIASES.iter().any(|(a, _)| a == f))
    );
    (columns, ignored, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_map_in_any_case_and_accents() {
        assert_eq!(field_for("Họ và tên"), Some("full_name"));
        assert_eq!(field_for("HỌ VÀ TÊN"), Some("full_name"));
        assert_eq!(field_for(" ho ten "), Some("full_name"));
        assert_eq!(field_for("Ngày vào Đảng"), Some("admitted_on"));
        assert_eq!(field_for("Số thẻ đảng viên"), Some("card_number"));
        assert_eq!(field_for("SĐT"), Some("phone"));
        assert_eq!(field_for("Chi bộ"), Some("cell"));
        assert_eq!(field_for("Màu mắt"), None);
        for (f, label) in FIELDS {
            assert_eq!(
                field_for(label),
                Some(f),
                "export header {label} must import back"
            );
        }
    }

    #[test]
    fn missing_required_columns_are_reported() {
        let t = Table {
            headers: vec!["STT".into(), "Ngày sinh".into(), "Màu mắt".into()],
            rows: vec![],
        };
        let (cols, ignored, errs) = map_headers(&t, false);
        assert_eq!(cols.len(), 1);
        assert_eq!(ignored, ["Màu mắt"]);
        let msgs: Vec<&str> = errs.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(msgs.len(), 3, "{msgs:?}");
    }
}
