//! The rubric editor, criterion by criterion (docs/rules.md "Rubric
//! editor"): groups, each criterion with its text, maximum points and how
//! it is scored; rows are added and removed by buttons that re-render the
//! form on the server, so it works with no script at all.

use super::layout::csrf_field;
use crate::domain::ValidationError;
use crate::domain::rubric::form::{DIRECTIONS, FormCriterion, FormRubric, KINDS};
use crate::domain::rubric::{Metric, Purpose};
use maud::{Markup, html};

fn options(list: &[(&str, &str)], value: &str) -> Markup {
    html! { @for (code, text) in list { option value=(*code) selected[*code == value] { (*text) } } }
}

fn text_input(name: &str, label: &str, value: &str, numeric: bool) -> Markup {
    let id = format!("f-{name}");
    html! {
        label for=(id) { (label) }
        @if numeric { input id=(id) name=(name) value=(value) inputmode="decimal" autocomplete="off"; }
        @else { input id=(id) name=(name) value=(value); }
    }
}

fn hidden(name: &str, value: &str) -> Markup {
    html! { input type="hidden" name=(name) value=(value); }
}

/// One criterion: the fields its way of scoring uses are shown, the others
/// kept as hidden fields (so switching back loses nothing).
fn criterion(p: &str, n: usize, c: &FormCriterion, metrics: &[(&str, &str)], op: &str) -> Markup {
    let name = |f: &str| format!("{p}.{f}");
    let kind = c.kind.as_str();
    let show_metric = matches!(kind, "yes_no" | "band");
    html! {
        fieldset.criterion {
            legend { "Tiêu chí " (n) }
            (hidden(&name("key"), &c.key))
            (text_input(&name("title"), "Nội dung tiêu chí", &c.title, false))
            (text_input(&name("max"), "Điểm tối đa", &c.max, true))
            label for=(format!("f-{}", name("kind"))) { "Cách chấm" }
            select id=(format!("f-{}", name("kind"))) name=(name("kind")) { (options(&KINDS, kind)) }
            @if show_metric {
                label for=(format!("f-{}", name("metric"))) {
                    @if kind == "band" { "Số liệu chibo tính" } @else { "Tự tính từ số liệu (để trống: chấm tay)" }
                }
                select id=(format!("f-{}", name("metric"))) name=(name("metric")) {
                    option value="" selected[c.metric.is_empty()] { "— chấm tay —" }
                    (options(metrics, &c.metric))
                }
            } @else { (hidden(&name("metric"), &c.metric)) }
            @if kind == "yes_no" {
                (text_input(&name("at_least"), "Đạt khi số liệu từ (chỉ khi tự tính)", &c.at_least, true))
            } @else { (hidden(&name("at_least"), &c.at_least)) }
            @if kind == "band" {
                label for=(format!("f-{}", name("direction"))) { "So với ngưỡng" }
                select id=(format!("f-{}", name("direction"))) name=(name("direction")) { (options(&DIRECTIONS, &c.direction)) }
                (text_input(&name("steps"), "Các ngưỡng «ngưỡng: điểm», cách nhau bằng dấu ;", &c.steps, false))
            } @else {
                (hidden(&name("direction"), &c.direction))
                (hidden(&name("steps"), &c.steps))
            }
            @if kind == "pick" {
                (text_input(&name("choices"), "Các mức «tên mức: điểm», cách nhau bằng dấu ;", &c.choices, false))
            } @else { (hidden(&name("choices"), &c.choices)) }
            label.plain { input type="checkbox" name=(name("thematic")) value="on" checked[c.thematic]; " Chỉ tính tháng có sinh hoạt chuyên đề" }
            @for e in &c.errors { p.error { (e) } }
            button.secondary type="submit" name="op" value=(op) { "Xoá tiêu chí " (n) }
        }
    }
}

/// The whole editor for a draft of `purpose`, posting to `action`.
pub fn editor(
    csrf: &str,
    action: &str,
    name: &str,
    f: &FormRubric,
    purpose: Purpose,
    errors: &[ValidationError],
) -> Markup {
    let metrics: Vec<(&str, &str)> = Metric::ALL
        .iter()
        .filter(|m| m.fits(purpose))
        .map(|m| (m.code(), m.label()))
        .collect();
    html! {
        form.rubric-editor method="post" action=(action) {
            (csrf_field(csrf))
            // Enter in a field saves: the first submit button is the default.
            button.offscreen type="submit" name="op" value="save" tabindex="-1" aria-hidden="true" { "Lưu" }
            @for e in errors { p.error { (e.to_string()) } }
            (text_input("name", "Tên bộ tiêu chí", name, false))
            (text_input("total", "Tổng điểm", &f.total, true))
            fieldset {
                legend { "Mức xếp loại (ngưỡng điểm tối thiểu)" }
                @for (i, b) in f.bands.iter().enumerate() {
                    (hidden(&format!("b{i}.code"), &b.code))
                    (hidden(&format!("b{i}.label"), &b.label))
                    (text_input(&format!("b{i}.min"), &format!("{} từ", b.label), &b.min, true))
                }
            }
            @for (gi, g) in f.groups.iter().enumerate() {
                fieldset.group {
                    legend { "Nhóm " (gi + 1) }
                    (text_input(&format!("g{gi}.title"), "Tên nhóm", &g.title, false))
                    (text_input(&format!("g{gi}.max"), "Điểm của nhóm", &g.max, true))
                    @for e in &g.errors { p.error { (e) } }
                    @for (ci, c) in g.criteria.iter().enumerate() {
                        (criterion(&format!("g{gi}.c{ci}"), ci + 1, c, &metrics, &format!("del:{gi}:{ci}")))
                    }
                    button.secondary type="submit" name="op" value=(format!("add:{gi}")) { "Thêm tiêu chí vào nhóm " (gi + 1) }
                    " "
                    button.secondary type="submit" name="op" value=(format!("del_group:{gi}")) { "Xoá nhóm " (gi + 1) }
                }
            }
            button.secondary type="submit" name="op" value="add_group" { "Thêm nhóm" }
            " "
            button.secondary type="submit" name="op" value="refresh" { "Cập nhật cách chấm" }
            p.muted { "Thêm, xoá dòng hay đổi cách chấm chưa ghi gì: bấm «Lưu dự thảo» để ghi." }
            button type="submit" name="op" value="save" { "Lưu dự thảo" }
        }
    }
}
