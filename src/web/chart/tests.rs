use super::*;
use crate::domain::dashboard::Series;

fn section(chart: ChartKind, unit: Unit, cats: &[&str], series: &[&[Option<f64>]]) -> Section {
    Section {
        key: "k".into(),
        title: "Kỳ họp theo tháng".into(),
        sheet: "s".into(),
        chart,
        unit,
        category_header: "Tháng".into(),
        categories: cats.iter().map(|c| c.to_string()).collect(),
        series: series
            .iter()
            .enumerate()
            .map(|(i, v)| Series {
                name: format!("Dãy {i}"),
                values: v.to_vec(),
            })
            .collect(),
        note: String::new(),
        empty: None,
        ..Default::default()
    }
}

#[test]
fn grouped_bars_stand_side_by_side_and_scale_to_the_axis() {
    let s = section(
        ChartKind::Bars,
        Unit::Count,
        &["T1", "T2"],
        &[&[Some(4.0), Some(2.0)], &[Some(3.0), None]],
    );
    let bars = bar_layout(&s, false);
    assert_eq!(bars.len(), 3, "a missing value draws no bar");
    // Axis 0–4: the tallest bar fills the plot (220 - 30 - 22 = 168 high).
    assert_eq!(bars[0].h, 168.0);
    assert_eq!(bars[0].y, TOP);
    assert_eq!(bars[1].h, 126.0);
    assert_eq!(
        bars[1].x,
        bars[0].x + bars[0].w,
        "second series beside the first"
    );
    assert_eq!(bars[2].category, 1);
    assert!(bars[2].x > bars[1].x + bars[1].w);
}

#[test]
fn stacked_bars_sit_on_each_other() {
    let s = section(
        ChartKind::Stacked,
        Unit::Count,
        &["Q1"],
        &[&[Some(1.0)], &[Some(3.0)]],
    );
    let b = bar_layout(&s, true);
    assert_eq!(b[0].x, b[1].x);
    assert_eq!(b[0].h + b[1].h, 168.0, "the stack of 4 fills the 0–4 axis");
    assert_eq!(
        b[1].y + b[1].h,
        b[0].y,
        "the second piece ends where the first starts"
    );
}

#[test]
fn a_chart_is_an_image_with_a_title_and_fits_any_width() {
    let s = section(ChartKind::Bars, Unit::Count, &["T1"], &[&[Some(2.0)]]);
    let svg = chart(&s, "c1").into_string();
    assert!(svg.contains(r#"viewBox="0 0 360 220""#), "{svg}");
    assert!(svg.contains(r#"width="100%""#));
    assert!(svg.contains(r#"role="img""#));
    assert!(svg.contains(r#"aria-labelledby="c1-title""#));
    assert!(svg.contains(r#"<title id="c1-title">Kỳ họp theo tháng"#));
    assert!(svg.contains("<title>T1 · Dãy 0: 2</title>"));
}

#[test]
fn an_empty_section_draws_nothing_and_all_zeros_still_draw_an_axis() {
    let mut s = section(ChartKind::Bars, Unit::Count, &["T1"], &[&[Some(0.0)]]);
    let zeros = chart(&s, "z").into_string();
    assert!(zeros.contains("<svg"));
    assert!(zeros.contains(">4</text>"), "a 0–4 axis: {zeros}");
    s.empty = Some("Không có kỳ sinh hoạt nào.".into());
    assert_eq!(chart(&s, "z").into_string(), "");
    let none = section(ChartKind::Lines, Unit::Percent, &[], &[]);
    assert_eq!(chart(&none, "n").into_string(), "");
}

#[test]
fn lines_break_where_a_month_has_no_value() {
    let s = section(
        ChartKind::Lines,
        Unit::Percent,
        &["T1", "T2", "T3", "T4"],
        &[&[Some(50.0), Some(75.0), None, Some(100.0)]],
    );
    let r = runs(&s, 0);
    assert_eq!(r, vec![vec![(0, 50.0), (1, 75.0)], vec![(3, 100.0)]]);
    let svg = chart(&s, "l").into_string();
    assert_eq!(
        svg.matches("<polyline").count(),
        1,
        "a lone point is no line"
    );
    assert_eq!(svg.matches("<circle").count(), 3);
    assert!(svg.contains(">100%</text>"), "percent axis to 100");
    // 75% of the 168-high plot above the axis at y = 198.
    assert!(svg.contains(r#"cy="72""#), "{svg}");
}

#[test]
fn long_labels_are_cut_in_the_drawing_but_whole_in_the_table() {
    let long = "Cấp giấy chứng nhận quyền sử dụng đất";
    let s = section(
        ChartKind::HBars,
        Unit::Count,
        &[long, "Khác"],
        &[&[Some(7.0), Some(0.0)]],
    );
    let svg = chart(&s, "h").into_string();
    assert!(!svg.contains(&format!(">{long}<")));
    assert!(svg.contains("…"));
    assert!(svg.contains(&format!("<title>{long} · Dãy 0: 7</title>")));
    // Two rows of 22 plus margins.
    assert!(svg.contains(r#"viewBox="0 0 360 56""#), "{svg}");
    let t = table(&s, "t").into_string();
    assert!(t.contains(&format!(r#"<th scope="row">{long}</th>"#)));
    assert!(t.contains(r#"<td class="num">7</td>"#));
}

#[test]
fn the_table_shows_a_dash_for_no_value_and_one_decimal_for_rates() {
    let s = section(
        ChartKind::Lines,
        Unit::Percent,
        &["T1", "T2"],
        &[&[Some(66.66), None]],
    );
    let t = table(&s, "t").into_string();
    assert!(t.contains("<caption>Kỳ họp theo tháng</caption>"));
    assert!(t.contains(r#"<td class="num">66.7</td>"#));
    assert!(t.contains(r#"<td class="num">–</td>"#));
    assert_eq!(fmt(12.345), "12.3");
    assert_eq!(fmt(12.0), "12");
}

#[test]
fn legend_entries_follow_each_other_and_stay_inside() {
    let l = legend_layout(&["Kế hoạch", "Đã họp", "Chuyên đề đã họp"]);
    assert_eq!(l[0], (LEFT, "Kế hoạch".to_string()));
    assert!(l[1].0 > l[0].0 && l[2].0 > l[1].0);
    assert_eq!(l[2].1, "Chuyên đề đã họp", "three short names fit whole");
    let long = legend_layout(&[
        "Một tên dãy số liệu khá dài",
        "Một tên dãy số liệu khá dài nữa",
    ]);
    let (x, label) = &long[1];
    assert!(label.ends_with('…'));
    assert!(x + 17.0 + label.chars().count() as f64 * CHAR_W <= WIDTH - RIGHT + 0.01);
}
