//! Choosing an organization in a form by its name, never by an internal id
//! (issue 10, point 5). A choice reads "Chi bộ 4 (bản Đông Pao) — Đảng bộ xã
//! Bản Hon": the name, then the parent's name, which tells apart the many
//! "Chi bộ 1" of a province.

use super::search;
use crate::app::AppState;
use crate::domain::ValidationError;
use crate::domain::ids::OrgId;
use crate::domain::text::{clean, fold};
use crate::service::{AppError, Caller, Result};
use crate::store::{self, org::OrgRow};
use jiff::civil::Date;

/// Between a node's name and its parent's in a choice.
const SEP: &str = " — ";

/// At most this many candidates are named in an "ambiguous" error.
const NAMED: usize = 5;

/// A node as a form offers it.
pub struct Choice {
    pub id: OrgId,
    name: String,
    parent: Option<String>,
}

impl Choice {
    /// "name — parent", what the form shows and accepts back.
    pub fn label(&self) -> String {
        match &self.parent {
            Some(p) => format!("{}{SEP}{p}", self.name),
            None => self.name.clone(),
        }
    }
}

/// Where the move and merge form may send `org`: the live children of its
/// parent and of its grandparent that the caller can read, itself excepted
/// (one query: the two nodes were read when the page was authorized).
pub async fn move_choices(app: &AppState, caller: &Caller, org: &OrgRow) -> Result<Vec<Choice>> {
    let today = app.clock.today();
    let mut heads = Vec::new();
    let mut up = org.parent_id;
    while let Some(id) = up.filter(|_| heads.len() < 2) {
        match super::get(app, caller, id, today).await {
            Ok(row) => {
                up = row.parent_id;
                heads.push(row);
            }
            Err(AppError::Forbidden | AppError::NotFound) => break,
            Err(e) => return Err(e),
        }
    }
    let ids: Vec<OrgId> = heads.iter().map(|h| h.id).collect();
    let rows = store::org::children_of_many(&app.db, &ids, today).await?;
    Ok(rows
        .into_iter()
        .filter(|r| r.id != org.id && r.dissolved_on().is_none())
        .map(|r| Choice {
            id: r.id,
            parent: heads
                .iter()
                .find(|h| Some(h.id) == r.parent_id)
                .map(|h| h.name.clone()),
            name: r.name,
        })
        .collect())
}

/// The choices for `rows`, each labelled with its parent's name (one query).
pub async fn choices(app: &AppState, rows: &[OrgRow]) -> Result<Vec<Choice>> {
    let mut parent_ids: Vec<OrgId> = rows.iter().filter_map(|r| r.parent_id).collect();
    parent_ids.sort_unstable_by_key(|p| p.0);
    parent_ids.dedup();
    let parents = store::org::get_many_latest(&app.db, &parent_ids).await?;
    Ok(rows
        .iter()
        .map(|r| {
            let parent = r.parent_id.and_then(|p| parents.iter().find(|o| o.id == p));
            Choice {
                id: r.id,
                name: r.name.clone(),
                parent: parent.map(|p| p.name.clone()),
            }
        })
        .collect())
}

/// The one node the caller may see on `on` that `input` names and `want`
/// accepts. `input` is a name, or a choice label "name — parent"; a part of
/// a name is enough when it matches a single node. `field`/`label` name the
/// form field in the error.
pub async fn pick(
    app: &AppState,
    caller: &Caller,
    input: &str,
    on: Date,
    (field, label): (&'static str, &'static str),
    want: impl Fn(&OrgRow) -> bool,
) -> Result<OrgId> {
    let invalid = |msg: String| AppError::invalid(ValidationError::new(field, label, msg));
    let input = clean(input);
    if input.is_empty() {
        return Err(invalid("phải chọn một tổ chức (gõ tên để tìm)".into()));
    }
    let (name, parent) = match input.rsplit_once(SEP.trim()) {
        Some((n, p)) if !n.trim().is_empty() => (n.trim(), Some(fold(p.trim()))),
        _ => (input.as_str(), None),
    };
    let rows: Vec<OrgRow> = search(app, caller, name, on)
        .await?
        .into_iter()
        .filter(|r| want(r))
        .collect();
    let found = choices(app, &rows).await?;
    let name_key = fold(name);
    let exact: Vec<&Choice> = found
        .iter()
        .filter(|c| {
            fold(&c.name) == name_key
                && parent
                    .as_ref()
                    .is_none_or(|p| c.parent.as_deref().map(fold).as_ref() == Some(p))
        })
        .collect();
    let unique = match (exact.as_slice(), found.as_slice()) {
        ([one], _) => Some(one.id),
        ([], [one]) => Some(one.id),
        _ => None,
    };
    if let Some(id) = unique {
        return Ok(id);
    }
    let among: Vec<&Choice> = if exact.is_empty() {
        found.iter().collect()
    } else {
        exact
    };
    Err(invalid(match among.len() {
        0 => format!("không tìm thấy tổ chức nào tên «{input}» mà bạn được quyền chọn"),
        n => {
            let named: Vec<String> = among.iter().take(NAMED).map(|c| c.label()).collect();
            let more = if n > NAMED { ", …" } else { "" };
            format!(
                "có {n} tổ chức khớp «{input}»: {}{more}; hãy chọn một tên đầy đủ trong danh sách gợi ý",
                named.join("; ")
            )
        }
    }))
}
