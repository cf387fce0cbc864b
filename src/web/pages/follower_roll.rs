//! The cell's followers in a meeting's roll call: listed apart from the
//! members, each "Có mặt" or "Vắng" (docs/rules.md "Followers attend their
//! cells' meetings").

use crate::domain::follow::FollowKind;
use crate::service::meeting::{FollowerPresence, MeetingView};
use maud::{Markup, html};

fn role(kind: &str) -> &'static str {
    FollowKind::from_code(kind).map_or("", FollowKind::label)
}

/// The rows of the roll-call form: f{j} (member), fp{j} ("1" present, "0"
/// absent, "" not recorded).
pub fn form_rows(v: &MeetingView) -> Markup {
    html! {
        @if !v.followers.is_empty() {
            fieldset.followers {
                legend { "Cán bộ phụ trách, theo dõi chi bộ" }
                @for (j, f) in v.followers.iter().enumerate() {
                    @let cur = v.follower_present(f.member_id);
                    div.follower-row {
                        input type="hidden" name=(format!("f{j}")) value=(f.member_id);
                        label for=(format!("fp{j}")) { (f.full_name) " " span.muted { "(" (role(&f.kind)) ")" } }
                        select #(format!("fp{j}")) name=(format!("fp{j}")) {
                            option value="" selected[cur.is_none()] { "Chưa ghi" }
                            option value="1" selected[cur == Some(true)] { "Có mặt" }
                            option value="0" selected[cur == Some(false)] { "Vắng" }
                        }
                    }
                }
            }
        }
    }
}

/// The followers' presence once the meeting is signed (read only).
pub fn list(v: &MeetingView) -> Markup {
    html! {
        @if !v.followers.is_empty() {
            h3 { "Cán bộ phụ trách, theo dõi chi bộ" }
            ul { @for f in &v.followers { li {
                (f.full_name) " (" (role(&f.kind)) "): "
                @match v.follower_present(f.member_id) {
                    Some(true) => strong { "Có mặt" },
                    Some(false) => "Vắng",
                    None => span.muted { "chưa ghi" },
                }
            } } }
        }
    }
}

/// The followers' rows of a posted roll-call form.
pub fn parse(get: impl Fn(String) -> Option<String>) -> Vec<FollowerPresence> {
    let mut out = Vec::new();
    for j in 0.. {
        let Some(member) = get(format!("f{j}")) else {
            break;
        };
        let present = match get(format!("fp{j}")).as_deref() {
            Some("1") => true,
            Some("0") => false,
            _ => continue,
        };
        out.push(FollowerPresence {
            member_id: member.parse().unwrap_or(-1),
            present,
        });
    }
    out
}
