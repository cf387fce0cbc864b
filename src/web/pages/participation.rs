//! Attendance and speaking of members without a post and of new members,
//! beside the whole cell (docs/rules.md "Attendance and speaking of members
//! without a post and of new members"; seed 001: they speak least).

use crate::domain::meeting::Tally;
use crate::domain::participation::{Figures, Group};
use crate::service::meeting::MeetingStats;
use maud::{Markup, html};

fn percent(x: Option<f64>) -> String {
    x.map_or_else(|| "—".to_string(), |r| format!("{:.0}%", r * 100.0))
}

fn head() -> Markup {
    html! { thead { tr { th { "" } th { "Có mặt" } th { "Tỷ lệ dự" } th { "Phát biểu" } } } }
}

fn row(label: &str, f: &Figures) -> Markup {
    html! { tr {
        td { (label) }
        td { (f.present) "/" (f.convened) }
        td { (percent(f.attendance_rate())) }
        td { (f.speakers) " (" (percent(f.speaker_share())) ")" }
    } }
}

/// One meeting: the whole cell, then each group (after the roll call).
pub fn meeting(tally: &Tally, groups: &[(Group, Figures)]) -> Markup {
    html! {
        @if !groups.is_empty() {
            div.table-wrap { table {
                (head())
                tbody {
                    (row("Cả chi bộ", &Figures::of(tally)))
                    @for (g, f) in groups { (row(g.label(), f)) }
                }
            } }
        }
    }
}

/// A year of the cell's or the subtree's held meetings.
pub fn year(stats: &MeetingStats) -> Markup {
    html! {
        @if stats.groups.iter().any(|g| g.convened > 0) {
            div.table-wrap { table {
                thead { tr { th { "" } th { "Tỷ lệ dự họp" } th { "Đảng viên có mặt phát biểu" } } }
                tbody {
                    tr { td { "Tất cả đảng viên" } td { (percent(Some(stats.attendance_rate))) } td { (percent(Some(stats.speaker_share))) } }
                    @for g in &stats.groups { tr {
                        td { (g.label) }
                        td { (percent(g.attendance_rate)) }
                        td { (percent(g.speaker_share)) }
                    } }
                }
            } }
        }
    }
}
