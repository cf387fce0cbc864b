//! Member import: all or nothing. Every row is checked first; one bad row
//! means nothing is written and the answer lists every bad row, column and
//! reason (issue #3 point 5). Lists are read as offices keep them: title
//! rows, several sheets, a signature block (docs/rules.md "Member list
//! formats accepted"; the layout rules are `domain::member_list`).

use super::{AppError, Caller, Result, RowError, authorize_org};
use crate::app::AppState;
use crate::docs::table;
use crate::domain::ValidationError;
use crate::domain::authz::Action;
use crate::domain::citizen_id::CitizenId;
use crate::domain::ids::OrgId;
use crate::domain::member::MemberFields;
use crate::domain::member_list::{self, RowKind};
use crate::domain::text::fold;
use crate::store;
use std::collections::HashMap;

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ImportSummary {
    /// Members created.
    pub created: usize,
    /// Created members per cell: (cell name, count).
    pub by_cell: Vec<(String, usize)>,
    /// Headers that were not recognized and were ignored.
    pub ignored_columns: Vec<String>,
    /// Sheets with no header row naming "Họ và tên" (not read).
    pub ignored_sheets: Vec<String>,
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

/// A row of the file as the user sees it in Excel.
#[derive(Debug, Clone)]
struct At {
    /// The sheet's name when the file has several, else empty.
    sheet: String,
    /// The sheet's place in the workbook (errors are sorted by it).
    order: usize,
    row: usize,
}

impl At {
    fn err(&self, column: &str, message: impl Into<String>) -> (usize, RowError) {
        (
            self.order,
            RowError {
                sheet: self.sheet.clone(),
                row: self.row,
                column: column.to_string(),
                message: message.into(),
            },
        )
    }

    /// "dòng 7", or "dòng 7 trang "Chi bộ 4"" when there are several sheets.
    fn describe(&self) -> String {
        if self.sheet.is_empty() {
            format!("dòng {}", self.row)
        } else {
            format!("dòng {} trang \"{}\"", self.row, self.sheet)
        }
    }
}

struct Parsed {
    at: At,
    fields: MemberFields,
    cell: OrgId,
    /// Headers of the card and CCCD columns as written on the row's sheet.
    card_column: String,
    citizen_column: String,
}

/// Where the rows of a sheet are registered.
struct Target<'a> {
    root: &'a store::org::OrgRow,
    /// Cells under the root by folded name.
    by_name: &'a HashMap<String, &'a store::org::OrgRow>,
    /// The cell the import is into, or the one the sheet's titles name.
    sheet_cell: Option<OrgId>,
    /// No "Chi bộ" column and no cell in the titles: said once for the sheet.
    cell_missing: bool,
}

/// Numbers seen so far in the file, with the row that had them first.
#[derive(Default)]
struct Seen {
    cards: HashMap<String, At>,
    citizen_ids: HashMap<String, At>,
}

type Errors = Vec<(usize, RowError)>;

mod row;
use row::{check_row, column_header, sheet_titles_cell};

/// Imports a member list all or nothing, counted for /metrics by outcome.
pub async fn import(
    app: &AppState,
    caller: &Caller,
    org: OrgId,
    filename: &str,
    bytes: &[u8],
    progress: &dyn Progress,
) -> Result<ImportSummary> {
    let result = import_file(app, caller, org, filename, bytes, progress).await;
    let outcome = match &result {
        Ok(_) => "imported",
        Err(AppError::Invalid(_)) => "rejected",
        Err(_) => "failed",
    };
    metrics::counter!("imports_total", "outcome" => outcome).increment(1);
    result
}

async fn import_file(
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

    let into_cell = root.kind().is_cell();
    let named: Vec<(OrgId, &str)> = cells.iter().map(|c| (c.id, c.name.as_str())).collect();
    let several = table.sheets.len() > 1;
    let mut errors: Errors = Vec::new();
    let mut ignored: Vec<String> = Vec::new();
    let mut ignored_sheets: Vec<String> = Vec::new();
    let mut parsed: Vec<Parsed> = Vec::new();
    let mut seen = Seen::default();
    let mut found_header = false;
    progress.stage("Kiểm tra", table.row_count() as u64);
    for (order, sheet) in table.sheets.iter().enumerate() {
        let Some(layout) = member_list::find_header(&sheet.rows) else {
            ignored_sheets.push(sheet.name.clone());
            continue;
        };
        found_header = true;
        let at = |row: usize| At {
            sheet: if several {
                sheet.name.clone()
            } else {
                String::new()
            },
            order,
            row,
        };
        let header = at(sheet.rows[layout.header_at].0);
        for h in &layout.ignored {
            if !ignored.contains(h) {
                ignored.push(h.clone());
            }
        }
        for h in &layout.repeated {
            errors.push(header.err(h, format!("cột \"{h}\" xuất hiện hai lần")));
        }
        if layout.column("gender").is_none() {
            errors.push(header.err("Giới tính", "thiếu cột \"Giới tính\""));
        }
        let sheet_cell = if into_cell {
            Some(org)
        } else {
            sheet_titles_cell(sheet, &layout, &named)
        };
        let cell_missing = !into_cell && layout.column("cell").is_none() && sheet_cell.is_none();
        if cell_missing {
            errors.push(header.err(
                "Chi bộ",
                format!(
                    "thiếu cột \"Chi bộ\" (bắt buộc khi nhập vào một cấp ủy), và tiêu đề hay tên trang tính không chỉ ra đúng một chi bộ của {}",
                    root.name
                ),
            ));
        }
        let target = Target {
            root: &root,
            by_name: &by_name,
            sheet_cell,
            cell_missing,
        };
        let mut member_rows = 0usize;
        for (row, cells_text) in &sheet.rows[layout.header_at + 1..] {
            match member_list::classify(cells_text, &layout) {
                RowKind::End => break,
                RowKind::Skip => {}
                RowKind::Member => {
                    member_rows += 1;
                    let row_at = at(*row);
                    if let Some((fields, cell)) = check_row(
                        &layout,
                        cells_text,
                        &row_at,
                        &target,
                        today,
                        &mut seen,
                        &mut errors,
                    ) {
                        parsed.push(Parsed {
                            at: row_at,
                            fields,
                            cell,
                            card_column: column_header(&layout, "card_number").to_string(),
                            citizen_column: column_header(&layout, "citizen_id").to_string(),
                        });
                    }
                }
            }
            progress.advance(1);
        }
        if member_rows == 0 {
            errors.push(at(header.row + 1).err("", "trang tính không có dòng đảng viên nào"));
        }
    }
    if !found_header {
        errors.push(At { sheet: String::new(), order: 0, row: 1 }.err(
            "Họ và tên",
            format!(
                "thiếu cột \"Họ và tên\": không thấy dòng tiêu đề có cột này và một cột khác (Giới tính, Ngày sinh…) trong {} dòng đầu của trang tính nào",
                member_list::HEADER_SCAN_ROWS
            ),
        ));
    }

    let mut tx = app.db.begin().await?;
    let cards: Vec<String> = parsed
        .iter()
        .filter_map(|p| p.fields.card_number.clone())
        .collect();
    for taken in store::member::taken_card_numbers(&mut tx, &cards).await? {
        if let Some(p) = parsed
            .iter()
            .find(|p| p.fields.card_number.as_deref() == Some(taken.as_str()))
        {
            errors.push(p.at.err(
                &p.card_column,
                format!("số thẻ {taken} đã có trong hệ thống"),
            ));
        }
    }
    let citizen_ids: Vec<String> = parsed
        .iter()
        .filter_map(|p| p.fields.citizen_id.as_ref().map(|c| c.as_str().to_string()))
        .collect();
    for taken in store::member::taken_citizen_ids(&mut tx, &citizen_ids).await? {
        if let Some(p) = parsed
            .iter()
            .find(|p| p.fields.citizen_id.as_ref().map(CitizenId::as_str) == Some(taken.as_str()))
        {
            errors.push(p.at.err(
                &p.citizen_column,
                format!("số CCCD {taken} đã có ở một đảng viên khác trong hệ thống"),
            ));
        }
    }
    if !errors.is_empty() {
        errors.sort_by_key(|(order, e)| (*order, e.row));
        return Err(AppError::ImportRejected(
            errors.into_iter().map(|(_, e)| e).collect(),
        ));
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
            .map(|(p, id)| store::member::NewMember {
                id: *id,
                fields: &p.fields,
                cell: p.cell,
                statuses: super::member::initial_statuses(&p.fields, today),
                homes: vec![(
                    p.cell,
                    p.fields
                        .admitted_on
                        .unwrap_or(today)
                        .max(created_on(p.cell)),
                    None,
                )],
            })
            .collect();
        store::member::insert_many(&mut tx, &rows).await?;
        progress.advance(chunk.len() as u64);
    }
    let mut by_cell: Vec<(String, usize)> = Vec::new();
    for Parsed { cell, .. } in &parsed {
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
    let mut touched: Vec<OrgId> = parsed.iter().map(|p| p.cell).collect();
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
        ignored_sheets,
    })
}
