//! Posts held in a cell or base committee: the list, recording a post by the
//! member's name, ending it (docs/rules.md "Posts in a cell"). The committee
//! above records them (`Action::AssignPosts`); a cell does not appoint its
//! own secretary.

use super::{AppError, Caller, Change, Result, allows, audit, authorize_org};
use crate::app::AppState;
use crate::domain::ValidationError;
use crate::domain::authz::Action;
use crate::domain::ids::{MemberId, OrgId};
use crate::domain::post::{self, PostKind};
use crate::domain::text::{clean, fold};
use crate::domain::time::{format_date, parse_date, parse_date_or};
use crate::service::node_memo::NO_DATE;
use crate::store::{self, member::StatusFilter, post::PostRow};
use serde::Deserialize;

pub struct Posts {
    /// Held posts first, then past ones.
    pub rows: Vec<PostRow>,
    /// The kinds this node can hold (a cell's, or a committee's).
    pub kinds: &'static [PostKind],
    /// The node's active members, as the form offers them ("name", or
    /// "name — sinh dd/mm/yyyy" when names repeat).
    pub choices: Vec<(MemberId, String)>,
    /// Whether the caller may record and end posts here.
    pub can_assign: bool,
}

/// A node's posts, and what the form needs.
pub async fn list(app: &AppState, caller: &Caller, org: OrgId) -> Result<Posts> {
    let node = authorize_org(app, caller, Action::ReadOrg, org).await?;
    let can_assign = allows(app, caller, Action::AssignPosts, org).await?;
    let rows = app
        .nodes
        .read(app, caller, org, ("posts", [NO_DATE; 3]), || async {
            Ok(store::post::of_org(&app.db, org).await?)
        })
        .await?;
    let rows = Vec::clone(&rows);
    let choices = if can_assign {
        let today = app.clock.today();
        let c = app
            .nodes
            .read(
                app,
                caller,
                org,
                ("post_choices", [today, NO_DATE, NO_DATE]),
                || choices(app, &node, today),
            )
            .await?;
        Vec::clone(&c)
    } else {
        Vec::new()
    };
    Ok(Posts {
        rows,
        kinds: PostKind::for_node(node.kind().is_cell()),
        choices,
        can_assign,
    })
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PostInput {
    /// The member's name as the cell's list shows it (forms); a member id
    /// is accepted too (API). Only members of the node are chosen.
    pub member: String,
    pub member_id: Option<i64>,
    /// cell_secretary | cell_deputy | cell_committee (a cell);
    /// secretary | deputy | standing_member | committee_member (a committee).
    pub kind: String,
    /// First day held, dd/mm/yyyy or YYYY-MM-DD; today when empty.
    pub from: String,
    /// First day no longer held, when already known (a past post); empty
    /// while still held.
    pub to: String,
    /// The decision that appointed them ("Quyết định số 12-QĐ/ĐU ngày …").
    pub decision: String,
}

/// Whether chibo records the posts of this node: a cell's, or a base
/// committee's.
pub fn holds_posts(node: &store::org::OrgRow) -> bool {
    node.kind().is_cell() || node.kind().is_base_org()
}

/// Records a post held in `org`.
pub async fn set(app: &AppState, caller: &Caller, org: OrgId, input: &PostInput) -> Result<i64> {
    let node = authorize_org(app, caller, Action::AssignPosts, org).await?;
    if node.dissolved_on().is_some() {
        return Err(AppError::Conflict("tổ chức đã giải thể".into()));
    }
    if !holds_posts(&node) {
        return Err(AppError::Conflict(
            "chỉ ghi nhận chức vụ của chi bộ và đảng bộ cơ sở".into(),
        ));
    }
    let today = app.clock.today();
    let mut errors = Vec::new();
    let kinds = PostKind::for_node(node.kind().is_cell());
    let kind = PostKind::from_code(input.kind.trim()).filter(|k| kinds.contains(k));
    if kind.is_none() {
        let names: Vec<&str> = kinds.iter().map(|k| k.label()).collect();
        errors.push(ValidationError::new(
            "kind",
            "Chức vụ",
            format!("phải chọn một trong: {}", names.join(", ")),
        ));
    }
    let from = parse_date_or(&input.from, today);
    if from.is_none() {
        errors.push(ValidationError::new(
            "from",
            "Từ ngày",
            "không đúng định dạng dd/mm/yyyy",
        ));
    }
    let to = match input.to.trim() {
        "" => Ok(None),
        s => parse_date(s).map(Some).ok_or(()),
    };
    if to.is_err() {
        errors.push(ValidationError::new(
            "to",
            "Đến ngày",
            "không đúng định dạng dd/mm/yyyy",
        ));
    }
    let decision = clean(&input.decision);
    if decision.chars().count() > 200 {
        errors.push(ValidationError::new(
            "decision",
            "Quyết định",
            "dài quá 200 ký tự",
        ));
    }
    let member = match pick(app, &node, input, today).await {
        Ok(m) => Some(m),
        Err(AppError::Invalid(mut e)) => {
            errors.append(&mut e);
            None
        }
        Err(e) => return Err(e),
    };
    let (Some(kind), Some(from), Ok(to), Some((member, name)), true) =
        (kind, from, to, member, errors.is_empty())
    else {
        return Err(AppError::Invalid(errors));
    };
    let new = post::Tenure {
        kind,
        member: member.0,
        from,
        to,
    };
    let mut tx = app.db.begin().await?;
    let existing: Vec<post::Tenure> = store::post::of_org_tx(&mut tx, org)
        .await?
        .iter()
        .filter_map(PostRow::tenure)
        .collect();
    post::check_new(&existing, &new)?;
    let id = store::post::insert(
        &mut tx,
        &store::post::NewPost {
            org,
            member,
            kind,
            from,
            to,
            decision: &decision,
        },
    )
    .await?;
    let name = name.split(" — ").next().unwrap_or(&name);
    let summary = format!(
        "Ghi nhận đồng chí {name} giữ chức vụ {} {} từ {}",
        kind.label(),
        node.name,
        format_date(from)
    );
    audit(
        app,
        &mut tx,
        caller,
        Change {
            action: "post",
            entity: "post",
            entity_id: id,
            org: Some(org),
            summary: &summary,
            before: None,
            after: Some(serde_json::json!({"member_id": member, "kind": kind.code(),
                "from": from.to_string(), "to": to.map(|d| d.to_string()), "decision": decision})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Ends a post of `org` on `on` (today when empty): the first day no longer
/// held.
pub async fn end(app: &AppState, caller: &Caller, org: OrgId, id: i64, on: &str) -> Result<()> {
    authorize_org(app, caller, Action::AssignPosts, org).await?;
    let row = store::post::get(&app.db, id)
        .await?
        .filter(|r| r.org_id == org)
        .ok_or(AppError::NotFound)?;
    let on = match on.trim() {
        "" => app.clock.today(),
        s => parse_date(s).ok_or_else(|| {
            ValidationError::new("to", "Đến ngày", "không đúng định dạng dd/mm/yyyy")
        })?,
    };
    if on <= row.valid_from.to_jiff() {
        return Err(AppError::invalid(ValidationError::new(
            "to",
            "Đến ngày",
            "phải sau ngày bắt đầu giữ chức vụ",
        )));
    }
    let mut tx = app.db.begin().await?;
    if store::post::end(&mut tx, id, on).await? == 0 {
        return Err(AppError::Conflict("chức vụ này đã kết thúc".into()));
    }
    let label = row.kind().map(PostKind::label).unwrap_or(&row.kind);
    let summary = format!(
        "Kết thúc chức vụ {label} của đồng chí {} từ {}",
        row.full_name,
        format_date(on)
    );
    audit(
        app,
        &mut tx,
        caller,
        Change {
            action: "end_post",
            entity: "post",
            entity_id: id,
            org: Some(org),
            summary: &summary,
            before: Some(serde_json::json!({"member_id": row.member_id, "kind": row.kind})),
            after: Some(serde_json::json!({"valid_to": on.to_string()})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A member's posts held on `on`, as a profile shows them ("Bí thư Chi bộ
/// 1"): from the registry, never from the accounts' grants.
pub async fn titles_of(
    db: &store::Db,
    member: MemberId,
    on: jiff::civil::Date,
) -> Result<Vec<String>> {
    Ok(store::post::of_member(db, member, on)
        .await?
        .into_iter()
        .map(|(kind, node)| {
            let label = PostKind::from_code(&kind)
                .map(PostKind::label)
                .unwrap_or("");
            format!("{label} {node}")
        })
        .collect())
}

/// The node's active members (its subtree's, for a committee) as the form
/// offers them, in name order.
pub(crate) async fn choices(
    app: &AppState,
    node: &store::org::OrgRow,
    on: jiff::civil::Date,
) -> Result<Vec<(MemberId, String)>> {
    let (rows, _) = store::member::list(
        &app.db,
        &store::member::ListQuery {
            root: store::org::Root::of(node),
            on,
            q: "",
            status: StatusFilter::Active,
            limit: 500,
            offset: 0,
        },
    )
    .await?;
    let repeated = |name: &str| rows.iter().filter(|r| r.full_name == name).count() > 1;
    Ok(rows
        .iter()
        .map(|r| {
            let label = match (repeated(&r.full_name), r.birth_date) {
                (true, Some(b)) => format!("{} — sinh {}", r.full_name, format_date(b.to_jiff())),
                _ => r.full_name.clone(),
            };
            (r.id, label)
        })
        .collect())
}

/// The member of the node the input names: by id (API) or by the label the
/// form offers, matched without marks and case.
async fn pick(
    app: &AppState,
    node: &store::org::OrgRow,
    input: &PostInput,
    on: jiff::civil::Date,
) -> Result<(MemberId, String)> {
    pick_member(app, node, (input.member_id, &input.member), on).await
}

/// The active member of the node (its subtree, for a committee) named by id
/// or by the label `choices` offers.
pub(crate) async fn pick_member(
    app: &AppState,
    node: &store::org::OrgRow,
    (member_id, member): (Option<i64>, &str),
    on: jiff::civil::Date,
) -> Result<(MemberId, String)> {
    let invalid = |msg: String| AppError::invalid(ValidationError::new("member", "Đảng viên", msg));
    let all = choices(app, node, on).await?;
    if let Some(id) = member_id {
        return all
            .into_iter()
            .find(|(m, _)| m.0 == id)
            .ok_or_else(|| invalid(format!("không phải đảng viên của {}", node.name)));
    }
    let typed = clean(member);
    if typed.is_empty() {
        return Err(invalid("phải chọn đảng viên theo họ tên".into()));
    }
    let key = fold(&typed);
    let exact: Vec<&(MemberId, String)> = all.iter().filter(|(_, l)| fold(l) == key).collect();
    let by_name: Vec<&(MemberId, String)> = all
        .iter()
        .filter(|(_, l)| fold(l.split(" — ").next().unwrap_or(l)) == key)
        .collect();
    match (exact.as_slice(), by_name.as_slice()) {
        ([one], _) | ([], [one]) => Ok((one.0, one.1.clone())),
        ([], []) => Err(invalid(format!(
            "không có đảng viên nào tên «{typed}» trong {}",
            node.name
        ))),
        (_, many) => Err(invalid(format!(
            "có {} đảng viên tên «{typed}»: hãy chọn đúng dòng trong danh sách (có ngày sinh)",
            many.len()
        ))),
    }
}
