//! Charts drawn on the server as SVG (no script in the browser): grouped
//! bars, stacked bars, lines and horizontal bars, each from a dashboard
//! section. The SVG scales to its box (a 390 px phone included) and is an
//! image with a title for screen readers; the numbers themselves are in the
//! table the page puts beside it (see `table`).

pub mod scale;

use crate::domain::dashboard::{ChartKind, Section, Unit};
use maud::{Markup, html};
use scale::{axis, format, scale, ticks, truncate};

/// The drawing's coordinate box; the SVG is scaled to the page's width.
pub const WIDTH: f64 = 360.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 40.0;
const RIGHT: f64 = 8.0;
const TOP: f64 = 30.0;
const BOTTOM: f64 = 22.0;

/// Series colours: dark enough for text contrast on white (≥ 4.5:1); lines
/// also differ by dash so they can be told apart without colour.
pub const COLOURS: [&str; 6] = [
    "#1f4e9c", "#b3261e", "#1e7d32", "#7b3fa0", "#a35200", "#37474f",
];
const DASHES: [&str; 6] = ["", "6 3", "2 2", "8 3 2 3", "4 4", "1 3"];

fn colour(i: usize) -> &'static str {
    COLOURS[i % COLOURS.len()]
}

/// The chart of a section, or nothing when it has no data (the page says so).
pub fn chart(s: &Section, id: &str) -> Markup {
    if s.empty.is_some() || s.categories.is_empty() || s.series.is_empty() {
        return html! {};
    }
    let (body, height) = match s.chart {
        ChartKind::Bars => (bars(s, false), HEIGHT),
        ChartKind::Stacked => (bars(s, true), HEIGHT),
        ChartKind::Lines => (lines(s), HEIGHT),
        ChartKind::HBars => hbars(s),
    };
    let title_id = format!("{id}-title");
    html! {
        svg.chart xmlns="http://www.w3.org/2000/svg" viewBox=(format!("0 0 {WIDTH} {height}"))
            width="100%" role="img" aria-labelledby=(title_id) preserveAspectRatio="xMidYMid meet"
            font-family="system-ui, sans-serif" font-size="11" {
            title id=(title_id) { (s.title) " (số liệu ở bảng kèm theo)" }
            (body)
        }
    }
}

/// Average width of a character of the 11-unit labels, in drawing units.
const CHAR_W: f64 = 6.6;

/// Where each legend entry starts and its label, placed one after the other
/// from the plot's left edge; a label that would run past the right edge is
/// cut (the table's header has it whole).
pub fn legend_layout(names: &[&str]) -> Vec<(f64, String)> {
    let mut x = LEFT;
    let mut out = Vec::with_capacity(names.len());
    for name in names {
        let room = ((WIDTH - RIGHT - x - 17.0) / CHAR_W).max(2.0) as usize;
        let label = truncate(name, room);
        out.push((x, label.clone()));
        x += 17.0 + label.chars().count() as f64 * CHAR_W + 12.0;
    }
    out
}

/// Legend across the top, one swatch a series.
fn legend(s: &Section, lines: bool) -> Markup {
    let names: Vec<&str> = s.series.iter().map(|x| x.name.as_str()).collect();
    html! {
        @for (i, (x, label)) in legend_layout(&names).into_iter().enumerate() {
            @if lines {
                line x1=(fmt(x)) y1="12" x2=(fmt(x + 14.0)) y2="12" stroke=(colour(i)) stroke-width="2.5"
                    stroke-dasharray=(DASHES[i % DASHES.len()]) {}
            } @else {
                rect x=(fmt(x)) y="6" width="12" height="12" fill=(colour(i)) {}
            }
            text x=(fmt(x + 17.0)) y="16" fill="#222" { (label) }
        }
    }
}

/// Horizontal grid lines and value labels of the vertical axis.
fn y_axis(top: f64, step: f64, unit: Unit) -> Markup {
    let plot_h = HEIGHT - TOP - BOTTOM;
    html! {
        @for t in ticks(top, step) {
            @let y = HEIGHT - BOTTOM - scale(t, top, plot_h);
            line x1=(LEFT) y1=(y) x2=(WIDTH - RIGHT) y2=(y) stroke="#d0d0d0" stroke-width="1" {}
            text x=(LEFT - 4.0) y=(y + 4.0) text-anchor="end" fill="#333" {
                (fmt(t)) @if unit == Unit::Percent { "%" }
            }
        }
    }
}

/// Category labels under the plot, centred in their slots.
fn x_labels(s: &Section, slot: f64) -> Markup {
    let max_chars = ((slot / 6.0) as usize).max(2);
    html! {
        @for (c, cat) in s.categories.iter().enumerate() {
            text x=(LEFT + slot * (c as f64 + 0.5)) y=(HEIGHT - 6.0) text-anchor="middle" fill="#333" {
                (truncate(cat, max_chars))
            }
        }
    }
}

fn tip(s: &Section, series: usize, c: usize, v: f64) -> String {
    let name = s.series.get(series).map(|x| x.name.as_str()).unwrap_or("");
    let cat = s.categories.get(c).map(String::as_str).unwrap_or("");
    format!("{cat} · {name}: {}", format(v, s.unit))
}

/// One bar (or stacked piece) to draw: where, and what it stands for.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    pub series: usize,
    pub category: usize,
    pub value: f64,
}

/// The bars of a section in the drawing's coordinates: side by side in each
/// category's slot, or stacked from the axis up.
pub fn bar_layout(s: &Section, stacked: bool) -> Vec<Bar> {
    let (top, _) = axis(s.max(), s.unit);
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let slot = plot_w / s.categories.len().max(1) as f64;
    let groups = if stacked {
        1.0
    } else {
        s.series.len().max(1) as f64
    };
    let w = (slot * 0.8 / groups).max(1.0);
    let mut out = Vec::new();
    for c in 0..s.categories.len() {
        let x0 = LEFT + slot * c as f64 + slot * 0.1;
        let mut base = 0.0;
        for i in 0..s.series.len() {
            let Some(v) = s.value(i, c) else { continue };
            let h = scale(v, top, plot_h);
            let (x, y) = if stacked {
                (x0, HEIGHT - BOTTOM - scale(base, top, plot_h) - h)
            } else {
                (x0 + w * i as f64, HEIGHT - BOTTOM - h)
            };
            base += v;
            out.push(Bar {
                x,
                y,
                w,
                h,
                series: i,
                category: c,
                value: v,
            });
        }
    }
    out
}

/// Vertical bars: side by side, or stacked.
fn bars(s: &Section, stacked: bool) -> Markup {
    let (top, step) = axis(s.max(), s.unit);
    let slot = (WIDTH - LEFT - RIGHT) / s.categories.len().max(1) as f64;
    html! {
        (legend(s, false))
        (y_axis(top, step, s.unit))
        @for b in bar_layout(s, stacked) {
            rect x=(fmt(b.x)) y=(fmt(b.y)) width=(fmt(b.w)) height=(fmt(b.h)) fill=(colour(b.series)) {
                title { (tip(s, b.series, b.category, b.value)) }
            }
        }
        line x1=(LEFT) y1=(HEIGHT - BOTTOM) x2=(WIDTH - RIGHT) y2=(HEIGHT - BOTTOM) stroke="#555" {}
        (x_labels(s, slot))
    }
}

/// One line a series; a category without a value breaks the line.
fn lines(s: &Section) -> Markup {
    let (top, step) = axis(s.max(), s.unit);
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let slot = plot_w / s.categories.len().max(1) as f64;
    let point = |c: usize, v: f64| {
        (
            LEFT + slot * (c as f64 + 0.5),
            HEIGHT - BOTTOM - scale(v, top, plot_h),
        )
    };
    html! {
        (legend(s, true))
        (y_axis(top, step, s.unit))
        @for i in 0..s.series.len() {
            @for run in runs(s, i) {
                @if run.len() > 1 {
                    polyline fill="none" stroke=(colour(i)) stroke-width="2.5"
                        stroke-dasharray=(DASHES[i % DASHES.len()])
                        points=(run.iter().map(|(c, v)| { let (x, y) = point(*c, *v); format!("{},{}", fmt(x), fmt(y)) }).collect::<Vec<_>>().join(" ")) {}
                }
                @for (c, v) in &run {
                    @let (x, y) = point(*c, *v);
                    circle cx=(fmt(x)) cy=(fmt(y)) r="3" fill=(colour(i)) { title { (tip(s, i, *c, *v)) } }
                }
            }
        }
        line x1=(LEFT) y1=(HEIGHT - BOTTOM) x2=(WIDTH - RIGHT) y2=(HEIGHT - BOTTOM) stroke="#555" {}
        (x_labels(s, slot))
    }
}

/// The stretches of consecutive categories that have a value in `series`.
pub fn runs(s: &Section, series: usize) -> Vec<Vec<(usize, f64)>> {
    let mut out: Vec<Vec<(usize, f64)>> = Vec::new();
    let mut current = Vec::new();
    for c in 0..s.categories.len() {
        match s.value(series, c) {
            Some(v) => current.push((c, v)),
            None if !current.is_empty() => out.push(std::mem::take(&mut current)),
            None => {}
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Horizontal bars of the first series, labels on the left, values at the
/// bars' ends; the drawing grows with the number of categories.
fn hbars(s: &Section) -> (Markup, f64) {
    const ROW: f64 = 22.0;
    const LABEL_W: f64 = 150.0;
    // Labels end 6 units before the axis: 21 characters of about 6.6 units
    // fit in the 144 units left of it (24 ran past the drawing's left edge
    // on a phone).
    const VALUE_W: f64 = 40.0;
    let height = 8.0 + ROW * s.categories.len() as f64 + 4.0;
    let (top, _) = axis(s.max(), s.unit);
    let len = WIDTH - LABEL_W - VALUE_W - RIGHT;
    let m = html! {
        @for c in 0..s.categories.len() {
            @let y = 8.0 + ROW * c as f64;
            @let cat = s.categories.get(c).map(String::as_str).unwrap_or("");
            text x=(LABEL_W - 6.0) y=(fmt(y + 14.0)) text-anchor="end" fill="#222" { (truncate(cat, 21)) }
            @let v = s.value(0, c).unwrap_or(0.0);
            @let w = scale(v, top, len);
            rect x=(LABEL_W) y=(fmt(y + 3.0)) width=(fmt(w)) height="15" fill=(colour(0)) {
                title { (tip(s, 0, c, v)) }
            }
            text x=(fmt(LABEL_W + w + 4.0)) y=(fmt(y + 14.0)) fill="#222" { (format(v, s.unit)) }
        }
        line x1=(LABEL_W) y1="6" x2=(LABEL_W) y2=(fmt(height - 4.0)) stroke="#555" {}
    };
    (m, height)
}

/// Coordinates with at most one decimal: shorter markup, same drawing.
pub fn fmt(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

/// The section's numbers as a table: categories down, series across.
pub fn table(s: &Section, id: &str) -> Markup {
    html! {
        div.table-wrap {
            table.chart-data id=(id) {
                caption { (s.title) }
                thead { tr {
                    th scope="col" { (s.category_header) }
                    @for series in &s.series { th scope="col" { (series.name) } }
                    @if let Some(r) = &s.remarks { th scope="col" { (r.name) } }
                } }
                tbody {
                    @for (c, cat) in s.categories.iter().enumerate() { tr {
                        th scope="row" {
                            @if let Some(Some(org)) = s.category_orgs.get(c) {
                                a href=(format!("/orgs/{org}")) { (cat) }
                            } @else { (cat) }
                        }
                        @for i in 0..s.series.len() {
                            td.num { @if let Some(v) = s.value(i, c) { (format(v, s.unit)) } @else { "–" } }
                        }
                        @if let Some(r) = &s.remarks {
                            td { (r.values.get(c).map(String::as_str).unwrap_or("")) }
                        }
                    } }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
