//! A meeting's documents as data (`MeetingDoc`), from everything recorded
//! about it: the rules they follow are in `domain::document` and
//! `domain::place` (docs/rules.md "Resolution structure", "Who signs and with
//! which title", "Place line of a document").

use super::{Caller, MeetingView, Result, kind, view};
use crate::app::AppState;
use crate::docs::meeting_doc::{MeetingDoc, ReviewLine, Signer, TaskLine};
use crate::domain::document::{CellPost, Quality, RollSplit, resolution_subtitle, signature};
use crate::domain::follow::FollowKind;
use crate::domain::ids::MemberId;
use crate::domain::meeting::{MeetingKind, Presence, TaskStatus};
use crate::domain::member::MemberStatus;
use crate::domain::place::{organization_name, place_of};
use crate::domain::post::PostKind;

/// Everything the minutes, resolution and notice show.
pub async fn meeting_doc(app: &AppState, caller: &Caller, id: i64) -> Result<MeetingDoc> {
    let v = view(app, caller, id).await?;
    Ok(doc_of(&v))
}

/// A member's post in the cell, from the posts held there on the meeting's
/// day (docs/rules.md "Posts in a cell").
pub fn post_of(posts: &[(MemberId, String)], member: MemberId) -> CellPost {
    CellPost::highest(
        posts
            .iter()
            .filter(|(m, _)| *m == member)
            .filter_map(|(_, p)| PostKind::from_code(p).map(PostKind::cell_post)),
    )
}

/// Guests from upper levels, then the cell's followers who attended
/// (docs/rules.md "Followers attend their cells' meetings"): they print in
/// the minutes' "Đại biểu dự" line.
fn guests(v: &MeetingView) -> Vec<(String, String)> {
    let mut out = v.guests.clone();
    for f in &v.followers {
        if v.follower_present(f.member_id) == Some(true)
            && !out.iter().any(|(n, _)| *n == f.full_name)
        {
            let role = FollowKind::from_code(&f.kind).map_or("", FollowKind::label);
            out.push((f.full_name.clone(), role.to_string()));
        }
    }
    out
}

fn roll(v: &MeetingView) -> RollSplit {
    RollSplit::of(&super::roll_entries(&v.attendance))
}

/// Full members, exempt ones included: from the roll call once taken (the
/// cell as it was that day), else from the members registered now.
fn full_members(v: &MeetingView, roll: &RollSplit) -> i64 {
    if roll.members.total() > 0 {
        return roll.members.full;
    }
    v.members
        .iter()
        .filter(|x| matches!(x.status(), MemberStatus::Official | MemberStatus::Exempt))
        .count() as i64
}

/// The chair signs the resolution, titled by the post they held when the
/// minutes were signed (kept on the meeting), or hold now for a draft.
fn resolution_signer(v: &MeetingView, full: i64) -> Signer {
    let m = &v.meeting;
    let post = match (&m.chair_post, m.chair_id) {
        (Some(p), _) if m.signed_at.is_some() => CellPost::from_code(p).unwrap_or(CellPost::Member),
        (_, Some(chair)) => post_of(&v.posts, chair),
        (_, None) => CellPost::Secretary,
    };
    Signer {
        sig: signature(full, post),
        name: v.name_of(m.chair_id),
    }
}

/// The notice goes out under the secretary's name (the deputy's where the
/// cell has no secretary on record).
fn notice_signer(v: &MeetingView, full: i64) -> Signer {
    let holder = |post: CellPost| {
        v.posts
            .iter()
            .find(|(_, p)| PostKind::from_code(p).map(PostKind::cell_post) == Some(post))
            .map(|(m, _)| *m)
    };
    let (post, member) = match (holder(CellPost::Secretary), holder(CellPost::Deputy)) {
        (Some(s), _) => (CellPost::Secretary, Some(s)),
        (None, Some(d)) => (CellPost::Deputy, Some(d)),
        (None, None) => (CellPost::Secretary, None),
    };
    Signer {
        sig: signature(full, post),
        name: v.name_of(member),
    }
}

pub fn doc_of(v: &MeetingView) -> MeetingDoc {
    let m = &v.meeting;
    let time = |s: &Option<String>| s.as_deref().and_then(crate::domain::schedule::parse_time);
    let presence = |p: Presence| {
        v.attendance
            .iter()
            .filter(move |a| Presence::from_code(&a.presence) == Some(p))
    };
    // The tree as it stood on the meeting's day; the latest names if the
    // cell was not in it then.
    let (cell, upper) = match v.ancestors.as_slice() {
        [.., up, c] => (c.clone(), Some(up.clone())),
        [c] => (c.clone(), None),
        [] => (v.cell.clone(), v.parent.clone()),
    };
    let named: Vec<&str> = v.ancestors.iter().rev().map(|o| o.name.as_str()).collect();
    let place_name = if named.is_empty() {
        place_of(
            [cell.name.as_str()]
                .into_iter()
                .chain(upper.as_ref().map(|u| u.name.as_str())),
        )
    } else {
        place_of(named)
    };
    let roll = roll(v);
    let full = full_members(v, &roll);
    let k = kind(m);
    let date = m.held_on.to_jiff();
    MeetingDoc {
        upper_org: upper
            .as_ref()
            .map(|p| organization_name(&p.name, p.kind()))
            .unwrap_or_default(),
        cell: organization_name(&cell.name, cell.kind()),
        place_name,
        kind_label: k.label().to_string(),
        topic: (!m.topic.is_empty()).then(|| m.topic.clone()),
        date,
        start: time(&m.started_time).or_else(|| crate::domain::schedule::parse_time(&m.start_time)),
        end: time(&m.ended_time),
        location: m.place.clone(),
        minutes_no: v.numbers.minutes,
        resolution_no: v.numbers.resolution,
        notice_no: v.numbers.notice,
        notice_on: v.numbers.notice_on,
        chair: v.name_of(m.chair_id),
        recorder: v.name_of(m.recorder_id),
        full_members: full,
        roll,
        absentees: presence(Presence::AbsentExcused)
            .chain(presence(Presence::AbsentUnexcused))
            .map(|a| {
                (
                    a.full_name.clone(),
                    if a.reason.is_empty() {
                        "không lý do".into()
                    } else {
                        a.reason.clone()
                    },
                )
            })
            .collect(),
        guests: guests(v),
        followers: v.followers.iter().map(|f| f.full_name.clone()).collect(),
        agenda: v
            .agenda
            .iter()
            .map(|a| (a.title.clone(), a.presenter.clone()))
            .collect(),
        proceedings: m.proceedings.clone(),
        speakers: v
            .attendance
            .iter()
            .filter(|a| a.spoke)
            .map(|a| a.full_name.clone())
            .collect(),
        conclusion: m.conclusion.clone(),
        vote: match (m.vote_for, m.vote_against, m.vote_abstain) {
            (Some(f), a, ab) => Some((f, a.unwrap_or(0), ab.unwrap_or(0))),
            _ => None,
        },
        resolution_subtitle: resolution_subtitle(
            k == MeetingKind::Thematic,
            date.month(),
            date.year(),
            &m.topic,
            &m.resolution_title,
        ),
        resolution_text: m.resolution_text.clone(),
        reviews_last_month: k.is_regular(),
        reviews: v
            .reviews
            .iter()
            .filter(|_| k.is_regular())
            .map(|t| ReviewLine {
                assignee: t.assignee.clone().unwrap_or_else(|| t.group_name.clone()),
                title: t.title.clone(),
                outcome: TaskStatus::from_code(&t.status)
                    .unwrap_or(TaskStatus::Open)
                    .label()
                    .to_string(),
                comment: t.result.clone(),
            })
            .collect(),
        quality: m.quality.as_deref().and_then(Quality::from_code),
        tasks: v
            .tasks
            .iter()
            .map(|t| TaskLine {
                assignee: t.assignee.clone().unwrap_or_else(|| t.group_name.clone()),
                title: t.title.clone(),
                deadline: t.deadline.map(|d| d.to_jiff()),
                households: t.households.clone(),
            })
            .collect(),
        amendments: v
            .amendments
            .iter()
            .map(|a| (a.at.to_jiff(), a.username.clone(), a.body.clone()))
            .collect(),
        signed: m.signed_at.is_some(),
        resolution_signer: resolution_signer(v, full),
        notice_signer: notice_signer(v, full),
    }
}
