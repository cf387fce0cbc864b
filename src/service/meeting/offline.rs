//! Changes a secretary recorded on a phone while offline (the roll call and
//! the minutes with the vote), sent later with the meeting version they were
//! based on. The server writes them through the same use cases as the forms
//! (same authorization, validation and audit) only if the meeting is still at
//! that version; otherwise it answers both versions, field by field, and the
//! secretary decides (docs/rules.md "Offline recording and explicit conflicts").

use super::plan::patch_on;
use super::record::set_attendance_on;
use super::{AttendanceInput, MeetingPatch, authorize};
use crate::app::AppState;
use crate::domain::authz::Action;
use crate::domain::document::Quality;
use crate::domain::meeting::Presence;
use crate::domain::time::{format_date, parse_date};
use crate::service::{AppError, Caller, Result};
use crate::store::{self, meeting::MeetingRow};
use serde::Serialize;
use std::collections::HashMap;

/// What the phone sends.
pub enum OfflineWrite {
    Attendance(AttendanceInput),
    Minutes(Box<MeetingPatch>),
}

impl OfflineWrite {
    pub fn kind(&self) -> &'static str {
        match self {
            OfflineWrite::Attendance(_) => "attendance",
            OfflineWrite::Minutes(_) => "minutes",
        }
    }
}

/// One field of the comparison, as the secretary reads it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ConflictRow {
    pub label: String,
    pub mine: String,
    pub theirs: String,
    pub differs: bool,
}

/// Why a change was not written, with both versions.
#[derive(Debug, Clone, Serialize)]
pub struct Conflict {
    /// `changed` (someone else wrote meanwhile) or `signed` (minutes signed).
    pub reason: &'static str,
    pub message: String,
    /// The server's version now: sending "mine over theirs" is based on it.
    pub version: i64,
    pub signed: bool,
    pub rows: Vec<ConflictRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Saved {
    pub version: i64,
    pub message: String,
}

pub enum Outcome {
    Saved(Saved),
    Conflict(Conflict),
}

/// Writes `change` if the meeting is still at `base`; a stale base or signed
/// minutes give a `Conflict` with both versions. Validation errors are
/// `AppError::Invalid`, as for the forms.
pub async fn submit(
    app: &AppState,
    caller: &Caller,
    id: i64,
    base: i64,
    change: &OfflineWrite,
) -> Result<Outcome> {
    let m = authorize(app, caller, Action::ManageMeetings, id).await?;
    if m.signed_at.is_some() {
        return conflict(app, &m, change, "signed").await;
    }
    // Judged against the server's state only once the secretary has seen it.
    if m.version != base {
        return conflict(app, &m, change, "changed").await;
    }
    let written = match change {
        OfflineWrite::Attendance(input) => set_attendance_on(app, caller, id, input, Some(base))
            .await
            .map(|t| format!("Đã lưu điểm danh: {}/{} có mặt.", t.present, t.convened)),
        OfflineWrite::Minutes(p) => patch_on(app, caller, id, p, Some(base))
            .await
            .map(|_| "Đã lưu biên bản.".to_string()),
    };
    match written {
        Ok(message) => {
            let now = store::meeting::get(&app.db, id).await?;
            Ok(Outcome::Saved(Saved {
                version: now.version,
                message,
            }))
        }
        Err(AppError::Stale) => {
            let now = store::meeting::get(&app.db, id).await?;
            conflict(app, &now, change, "changed").await
        }
        Err(AppError::Conflict(msg)) => {
            // Signed between the first read and the row lock.
            let now = store::meeting::get(&app.db, id).await?;
            if now.signed_at.is_some() {
                conflict(app, &now, change, "signed").await
            } else {
                Err(AppError::Conflict(msg))
            }
        }
        Err(e) => Err(e),
    }
}

async fn conflict(
    app: &AppState,
    now: &MeetingRow,
    change: &OfflineWrite,
    reason: &'static str,
) -> Result<Outcome> {
    let members = super::cell_members(app, now.org_id).await?;
    let names: HashMap<i64, String> = members
        .iter()
        .map(|x| (x.id.0, x.full_name.clone()))
        .collect();
    let rows = match change {
        OfflineWrite::Attendance(input) => {
            let theirs = store::meeting::attendance(&app.db, now.id).await?;
            let guests = store::meeting::guests(&app.db, now.id).await?;
            attendance_rows(input, &theirs, &guests, &names)
        }
        OfflineWrite::Minutes(p) => minutes_rows(p, now, &names),
    };
    let signed = now.signed_at.is_some();
    let message = if signed {
        "Biên bản đã ký: không ghi đè được. Bản của anh/chị vẫn còn trên máy; có thể sao chép hoặc chuyển thành đính chính."
    } else {
        "Buổi sinh hoạt đã được người khác sửa trong lúc anh/chị ngoại tuyến. Hãy chọn bản giữ lại."
    };
    Ok(Outcome::Conflict(Conflict {
        reason,
        message: message.to_string(),
        version: now.version,
        signed,
        rows,
    }))
}

fn row(label: impl Into<String>, mine: String, theirs: String) -> ConflictRow {
    ConflictRow {
        label: label.into(),
        differs: mine.trim() != theirs.trim(),
        mine,
        theirs,
    }
}

fn presence_text(code: &str, reason: &str, spoke: bool) -> String {
    let mut s = Presence::from_code(code)
        .map(Presence::label)
        .unwrap_or(code)
        .to_string();
    if !reason.trim().is_empty() {
        s.push_str(&format!(" ({})", reason.trim()));
    }
    if spoke {
        s.push_str(" · phát biểu");
    }
    s
}

/// One row a member named on either side, then the guests.
pub fn attendance_rows(
    input: &AttendanceInput,
    theirs: &[store::meeting::AttendanceRow],
    guests: &[(String, String)],
    names: &HashMap<i64, String>,
) -> Vec<ConflictRow> {
    let mut out = Vec::new();
    let server: HashMap<i64, &store::meeting::AttendanceRow> =
        theirs.iter().map(|a| (a.member_id.0, a)).collect();
    let mut seen = std::collections::HashSet::new();
    for e in &input.entries {
        seen.insert(e.member_id);
        let name = names
            .get(&e.member_id)
            .cloned()
            .unwrap_or_else(|| format!("Đảng viên mã {}", e.member_id));
        let t = server
            .get(&e.member_id)
            .map(|a| presence_text(&a.presence, &a.reason, a.spoke))
            .unwrap_or_else(|| "(chưa điểm danh)".into());
        out.push(row(name, presence_text(&e.presence, &e.reason, e.spoke), t));
    }
    for a in theirs.iter().filter(|a| !seen.contains(&a.member_id.0)) {
        out.push(row(
            a.full_name.clone(),
            "(không có)".into(),
            presence_text(&a.presence, &a.reason, a.spoke),
        ));
    }
    let mine_guests: Vec<String> = input
        .guests
        .iter()
        .filter(|g| !g.name.trim().is_empty())
        .map(|g| guest_line(&g.name, &g.position))
        .collect();
    let their_guests: Vec<String> = guests.iter().map(|(n, p)| guest_line(n, p)).collect();
    out.push(row(
        "Đại biểu cấp trên",
        mine_guests.join("; "),
        their_guests.join("; "),
    ));
    out
}

fn guest_line(name: &str, position: &str) -> String {
    if position.trim().is_empty() {
        name.trim().to_string()
    } else {
        format!("{} - {}", name.trim(), position.trim())
    }
}

/// The fields of the minutes form the phone sent, beside the server's.
pub fn minutes_rows(
    p: &MeetingPatch,
    now: &MeetingRow,
    names: &HashMap<i64, String>,
) -> Vec<ConflictRow> {
    let name = |id: Option<i64>| {
        id.map(|i| names.get(&i).cloned().unwrap_or_else(|| format!("mã {i}")))
            .unwrap_or_default()
    };
    let num = |v: Option<i64>| v.map(|x| x.to_string()).unwrap_or_default();
    let quality = |q: Option<&str>| {
        q.and_then(Quality::from_code)
            .map(|q| q.label().to_string())
            .unwrap_or_default()
    };
    let mut out = Vec::new();
    if let Some(d) = &p.date {
        let mine = parse_date(d).map(format_date).unwrap_or_else(|| d.clone());
        out.push(row("Ngày họp", mine, format_date(now.held_on.to_jiff())));
    }
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    if p.started_time.is_some() {
        out.push(row(
            "Giờ bắt đầu",
            opt(&p.started_time),
            now.started_time.clone().unwrap_or_default(),
        ));
    }
    if p.ended_time.is_some() {
        out.push(row(
            "Giờ kết thúc",
            opt(&p.ended_time),
            now.ended_time.clone().unwrap_or_default(),
        ));
    }
    out.push(row(
        "Chủ trì",
        name(p.chair_id),
        name(now.chair_id.map(|x| x.0)),
    ));
    out.push(row(
        "Thư ký",
        name(p.recorder_id),
        name(now.recorder_id.map(|x| x.0)),
    ));
    for (label, mine, theirs) in [
        ("Diễn biến", &p.proceedings, &now.proceedings),
        ("Kết luận của chủ trì", &p.conclusion, &now.conclusion),
        ("Tên nghị quyết", &p.resolution_title, &now.resolution_title),
        (
            "Nội dung nghị quyết",
            &p.resolution_text,
            &now.resolution_text,
        ),
    ] {
        if let Some(v) = mine {
            out.push(row(label, v.clone(), theirs.clone()));
        }
    }
    let vote = |f: Option<i64>, a: Option<i64>, ab: Option<i64>| {
        if f.is_none() && a.is_none() && ab.is_none() {
            String::new()
        } else {
            format!(
                "{} tán thành, {} không tán thành, {} không biểu quyết",
                num(f),
                num(a),
                num(ab)
            )
        }
    };
    out.push(row(
        "Biểu quyết",
        vote(p.vote_for, p.vote_against, p.vote_abstain),
        vote(now.vote_for, now.vote_against, now.vote_abstain),
    ));
    if let Some(q) = &p.quality {
        out.push(row(
            "Tự đánh giá chất lượng",
            quality(Some(q.as_str())),
            quality(now.quality.as_deref()),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::MemberId;
    use crate::service::meeting::{AttendanceEntry, GuestInput};

    fn on_server(
        id: i64,
        name: &str,
        presence: &str,
        spoke: bool,
    ) -> store::meeting::AttendanceRow {
        store::meeting::AttendanceRow {
            member_id: MemberId(id),
            full_name: name.into(),
            presence: presence.into(),
            reason: String::new(),
            spoke,
            official: true,
        }
    }

    #[test]
    fn the_roll_call_is_compared_member_by_member() {
        let names: HashMap<i64, String> = [
            (1, "Nguyễn Văn An".to_string()),
            (2, "Đặng Thị Hà".to_string()),
        ]
        .into_iter()
        .collect();
        let mine = AttendanceInput {
            entries: vec![
                AttendanceEntry {
                    member_id: 1,
                    presence: "present".into(),
                    reason: String::new(),
                    spoke: true,
                },
                AttendanceEntry {
                    member_id: 2,
                    presence: "absent_excused".into(),
                    reason: "Ốm".into(),
                    spoke: false,
                },
            ],
            guests: vec![GuestInput {
                name: "Lò Văn Phà".into(),
                position: "Bí thư Đảng ủy xã".into(),
            }],
            followers: Vec::new(),
        };
        let theirs = [
            on_server(1, "Nguyễn Văn An", "present", true),
            on_server(3, "Lê Văn Bình", "present", false),
        ];
        let rows = attendance_rows(&mine, &theirs, &[], &names);
        let labels: Vec<&str> = rows.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "Nguyễn Văn An",
                "Đặng Thị Hà",
                "Lê Văn Bình",
                "Đại biểu cấp trên"
            ]
        );
        assert!(!rows[0].differs, "same on both sides");
        assert_eq!(rows[0].mine, "Có mặt · phát biểu");
        assert_eq!(rows[1].mine, "Vắng có lý do (Ốm)");
        assert_eq!(rows[1].theirs, "(chưa điểm danh)");
        assert_eq!(rows[2].mine, "(không có)");
        assert_eq!(rows[3].mine, "Lò Văn Phà - Bí thư Đảng ủy xã");
        assert!(rows[1..].iter().all(|r| r.differs));
    }
}
