//! The conclusion notice (thông báo kết luận) of a supervision round
//! (docs/rules.md "Conclusion of a supervision round"): drafted from the
//! visit reports, units that did well and units with shortcomings, one unit
//! a line; each shortcoming line becomes a follow-up item of its unit.

use super::ValidationError;
use super::document::Quality;
use super::ids::OrgId;
use super::org::OrgKind;
use super::supervision::{Procedure, issuer_code};
use super::text::fold;
use super::time::{format_date, parse_date};
use jiff::civil::Date;

/// The kind symbol of the committee's notice series ("Số 05-TB/HU").
pub const NOTICE_KIND: &str = "TB";

/// "Số 05-TB/HU" (Hướng dẫn 36-HD/VPTW: number, hyphen, kind, slash, issuer).
pub fn notice_symbol(number: i64, kind: OrgKind) -> String {
    format!("Số {number:02}-{NOTICE_KIND}/{}", issuer_code(kind))
}

/// What one filed visit report says about the visited unit.
#[derive(Debug, Clone)]
pub struct VisitFacts {
    pub cell: OrgId,
    pub cell_name: String,
    pub held_on: Date,
    pub on_time: bool,
    pub started_time: Option<String>,
    pub procedure: Procedure,
    pub quality: Quality,
    pub fixes: String,
}

/// A drafted (or edited) conclusion, each list one unit a line
/// ("Chi bộ 1: nội dung").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub opening: String,
    pub did_well: String,
    pub shortcomings: String,
    pub closing: String,
}

/// The review conference held after the round, before the notice (Kim Sơn
/// practice): the cadres report and discuss what to fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    pub on: Date,
    pub notes: String,
}

/// The review as typed: no day means none held yet; a day must fall within
/// the round or after it, and not in the future; notes are optional.
pub fn check_review(
    on: Option<Date>,
    notes: &str,
    round_from: Date,
    today: Date,
) -> Result<Option<Review>, ValidationError> {
    let notes = notes.trim();
    let err = |problem: String| {
        ValidationError::new("review_on", "Ngày hội nghị rút kinh nghiệm", problem)
    };
    if notes.chars().count() > MAX_TEXT {
        return Err(ValidationError::new(
            "review_notes",
            "Kết quả hội nghị",
            format!("dài quá {MAX_TEXT} ký tự"),
        ));
    }
    match on {
        None if notes.is_empty() => Ok(None),
        None => Err(err("phải ghi ngày hội nghị (dd/mm/yyyy)".into())),
        Some(d) if d < round_from => Err(err(format!(
            "phải từ ngày bắt đầu đợt ({}) trở đi",
            format_date(round_from)
        ))),
        Some(d) if d > today => Err(err("không được sau hôm nay".into())),
        Some(d) => Ok(Some(Review {
            on: d,
            notes: notes.to_string(),
        })),
    }
}

/// The notice's sentence on the review conference.
pub fn review_sentence(r: &Review, committee: &str) -> String {
    let mut s = format!(
        "Ngày {}, {committee} tổ chức hội nghị nghe các đồng chí cán bộ được phân công báo cáo kết quả dự sinh hoạt chi bộ và thảo luận giải pháp khắc phục",
        format_date(r.on)
    );
    match r.notes.trim() {
        "" => s.push('.'),
        n => {
            s.push_str(": ");
            s.push_str(n.trim_end_matches('.'));
            s.push('.');
        }
    }
    s
}

/// Days a unit has to fix a shortcoming when the planners do not say.
pub const DEFAULT_DAYS: i64 = 30;

/// Drafts the notice from the round's filed reports: a unit did well when
/// every visit found it on time, the procedure followed, content Tốt or Khá
/// and nothing to fix; otherwise its shortcomings are listed (late start,
/// procedure partly or not followed, content Trung bình or Kém, the cadre's
/// "what to fix"). Units visited more than once are one line.
pub fn draft(round_name: &str, period: (Date, Date), visits: usize, facts: &[VisitFacts]) -> Draft {
    let mut units: Vec<(OrgId, &str, Vec<String>, Vec<Quality>)> = Vec::new();
    for f in facts {
        let i = match units.iter().position(|u| u.0 == f.cell) {
            Some(i) => i,
            None => {
                units.push((f.cell, &f.cell_name, Vec::new(), Vec::new()));
                units.len() - 1
            }
        };
        let u = &mut units[i];
        u.3.push(f.quality);
        let day = format_date(f.held_on);
        if !f.on_time {
            u.2.push(match &f.started_time {
                Some(t) => format!("buổi sinh hoạt ngày {day} bắt đầu muộn ({t})"),
                None => format!("buổi sinh hoạt ngày {day} không đúng giờ"),
            });
        }
        match f.procedure {
            Procedure::Followed => {}
            Procedure::Partly => u.2.push("thực hiện quy trình sinh hoạt chưa đầy đủ".into()),
            Procedure::Not => u.2.push("không thực hiện đúng quy trình sinh hoạt".into()),
        }
        if matches!(f.quality, Quality::Average | Quality::Weak) {
            u.2.push(format!(
                "nội dung sinh hoạt chất lượng {}",
                f.quality.label().to_lowercase()
            ));
        }
        let fix = f.fixes.trim().trim_end_matches('.');
        if !fix.is_empty() {
            u.2.push(lower_first(&fix.replace('\n', "; ")));
        }
    }
    let mut good = Vec::new();
    let mut short = Vec::new();
    for (_, name, problems, qualities) in &units {
        if problems.is_empty() {
            let best = if qualities.iter().all(|q| *q == Quality::Good) {
                "tốt"
            } else {
                "khá"
            };
            good.push(format!(
                "{name}: duy trì sinh hoạt đúng giờ, đúng quy trình; nội dung sinh hoạt đạt chất lượng {best}."
            ));
        } else {
            let mut seen: Vec<&String> = Vec::new();
            for p in problems {
                if !seen.contains(&p) {
                    seen.push(p);
                }
            }
            let list: Vec<&str> = seen.iter().map(|s| s.as_str()).collect();
            short.push(format!("{name}: {}.", list.join("; ")));
        }
    }
    Draft {
        opening: format!(
            "Thực hiện {round_name} (từ ngày {} đến ngày {}), các đồng chí cán bộ được phân công đã dự {visits} buổi sinh hoạt chi bộ không báo trước, báo cáo kết quả {} buổi. Sau khi nghe báo cáo, tập thể thống nhất kết luận như sau:",
            format_date(period.0),
            format_date(period.1),
            facts.len()
        ),
        did_well: good.join("\n"),
        shortcomings: short.join("\n"),
        closing: "Đề nghị các chi bộ có hạn chế nêu trên tổ chức rút kinh nghiệm, khắc phục và báo cáo kết quả khắc phục đúng thời hạn; các tổ chức đảng làm tốt tiếp tục phát huy.".into(),
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// One line of a list: the unit and what is said of it, and for a
/// shortcoming the deadline the line itself sets ("… (hạn 30/11/2017)").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub cell: OrgId,
    pub cell_name: String,
    pub body: String,
    pub deadline: Option<Date>,
}

/// A line's own deadline: a closing "(hạn dd/mm/yyyy)"; `Ok(None)` when the
/// line sets none (a closing remark in brackets is not one), an error when
/// it sets one that is not a date.
fn own_deadline(body: &str) -> Result<Option<Date>, String> {
    let Some(open) = body.strip_suffix(')').and_then(|b| b.rfind('(')) else {
        return Ok(None);
    };
    let inner = body[open + 1..body.len() - 1].trim();
    let folded = fold(inner);
    let Some(rest) = folded.strip_prefix("han") else {
        return Ok(None);
    };
    let rest = rest.trim_start_matches([' ', ':']);
    if !rest.starts_with(|c: char| c.is_ascii_digit()) {
        return Ok(None);
    }
    parse_date(rest)
        .map(Some)
        .ok_or_else(|| format!("hạn «{inner}» không đúng định dạng dd/mm/yyyy"))
}

const MAX_TEXT: usize = 20_000;

/// Reads one list: each line "Tên chi bộ: nội dung", the unit one of the
/// round's visited units (by name, marks and case ignored).
pub fn parse_items(
    text: &str,
    units: &[(OrgId, String)],
    field: &'static str,
    label: &'static str,
) -> Result<Vec<Item>, ValidationError> {
    if text.chars().count() > MAX_TEXT {
        return Err(ValidationError::new(
            field,
            label,
            format!("dài quá {MAX_TEXT} ký tự"),
        ));
    }
    let mut out = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let line = line.trim_start_matches(['-', '+', '•', '*']).trim();
        let Some((name, body)) = line.split_once(':') else {
            return Err(ValidationError::new(
                field,
                label,
                format!("dòng «{line}» phải có dạng «Tên chi bộ: nội dung»"),
            ));
        };
        let key = fold(name);
        let Some((cell, cell_name)) = units.iter().find(|(_, n)| fold(n) == key) else {
            return Err(ValidationError::new(
                field,
                label,
                format!(
                    "«{}» không phải đơn vị được dự sinh hoạt trong đợt",
                    name.trim()
                ),
            ));
        };
        let body = body.trim();
        if body.is_empty() {
            return Err(ValidationError::new(
                field,
                label,
                format!("dòng của «{}» chưa có nội dung", name.trim()),
            ));
        }
        let deadline = own_deadline(body).map_err(|e| {
            ValidationError::new(field, label, format!("dòng của «{}»: {e}", name.trim()))
        })?;
        out.push(Item {
            cell: *cell,
            cell_name: cell_name.clone(),
            body: body.to_string(),
            deadline,
        });
    }
    Ok(out)
}

/// A conclusion as typed, checked against the round's units: returns the
/// units that did well and the shortcomings to follow up, each shortcoming
/// with its deadline (its own, or the notice's), and the notice's deadline.
pub fn check(
    d: &Draft,
    deadline: Option<Date>,
    units: &[(OrgId, String)],
    today: Date,
) -> Result<(Vec<Item>, Vec<Item>, Date), Vec<ValidationError>> {
    let mut errors = Vec::new();
    let good = parse_items(&d.did_well, units, "did_well", "Đơn vị làm tốt")
        .map_err(|e| errors.push(e))
        .ok();
    let short = parse_items(&d.shortcomings, units, "shortcomings", "Đơn vị còn hạn chế")
        .map_err(|e| errors.push(e))
        .ok();
    for (text, field, label) in [
        (&d.opening, "opening", "Mở đầu"),
        (&d.closing, "closing", "Đề nghị"),
    ] {
        if text.chars().count() > MAX_TEXT {
            errors.push(ValidationError::new(
                field,
                label,
                format!("dài quá {MAX_TEXT} ký tự"),
            ));
        }
    }
    let deadline = match deadline {
        Some(d) if d > today => Some(d),
        Some(_) => {
            errors.push(ValidationError::new(
                "deadline",
                "Thời hạn khắc phục",
                "phải sau hôm nay",
            ));
            None
        }
        None => {
            errors.push(ValidationError::new(
                "deadline",
                "Thời hạn khắc phục",
                "phải ghi thời hạn (dd/mm/yyyy)",
            ));
            None
        }
    };
    let mut short = short;
    for item in short.iter_mut().flatten() {
        match item.deadline {
            Some(own) if own <= today => errors.push(ValidationError::new(
                "shortcomings",
                "Đơn vị còn hạn chế",
                format!("hạn của «{}» phải sau hôm nay", item.cell_name),
            )),
            Some(_) => {}
            None => item.deadline = deadline,
        }
    }
    match (good, short, deadline) {
        (Some(g), Some(s), Some(d)) if errors.is_empty() => Ok((g, s, d)),
        _ => Err(errors),
    }
}

/// The units named in the notice ("Nơi nhận"), in the order they appear.
pub fn named_units(good: &[Item], short: &[Item]) -> Vec<(OrgId, String)> {
    let mut out: Vec<(OrgId, String)> = Vec::new();
    for i in good.iter().chain(short) {
        if !out.iter().any(|(c, _)| *c == i.cell) {
            out.push((i.cell, i.cell_name.clone()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn fact(
        cell: i64,
        on_time: bool,
        procedure: Procedure,
        quality: Quality,
        fixes: &str,
    ) -> VisitFacts {
        VisitFacts {
            cell: OrgId(cell),
            cell_name: format!("Chi bộ {cell}"),
            held_on: date(2026, 12, 3),
            on_time,
            started_time: (!on_time).then(|| "20:10".to_string()),
            procedure,
            quality,
            fixes: fixes.into(),
        }
    }

    // Kim Sơn practice (seed 003): the notice names units that did well and
    // units with shortcomings, from the cadres' reports.
    #[test]
    fn the_draft_sorts_units_by_their_reports() {
        let facts = [
            fact(1, true, Procedure::Followed, Quality::Good, ""),
            fact(
                2,
                false,
                Procedure::Partly,
                Quality::Fair,
                "Chưa kiểm điểm nhiệm vụ tháng trước",
            ),
            fact(3, true, Procedure::Followed, Quality::Average, ""),
            fact(1, true, Procedure::Followed, Quality::Fair, ""),
        ];
        let d = draft(
            "Đợt tháng 12",
            (date(2026, 12, 1), date(2026, 12, 31)),
            5,
            &facts,
        );
        assert_eq!(d.did_well.lines().count(), 1);
        assert!(d.did_well.starts_with("Chi bộ 1:") && d.did_well.contains("khá"));
        assert_eq!(d.shortcomings.lines().count(), 2);
        assert!(d.shortcomings.contains("Chi bộ 2: buổi sinh hoạt ngày 03/12/2026 bắt đầu muộn (20:10); thực hiện quy trình sinh hoạt chưa đầy đủ; chưa kiểm điểm"));
        assert!(
            d.shortcomings
                .contains("Chi bộ 3: nội dung sinh hoạt chất lượng trung bình")
        );
        assert!(d.opening.contains("dự 5 buổi") && d.opening.contains("báo cáo kết quả 4 buổi"));
    }

    #[test]
    fn edited_lines_must_name_a_visited_unit() {
        let units = vec![(OrgId(1), "Chi bộ Thôn Đông".to_string())];
        let ok = parse_items(
            "- chi bo thon dong: Biên bản sơ sài\n\n",
            &units,
            "shortcomings",
            "x",
        )
        .expect("ok");
        assert_eq!(ok[0].cell, OrgId(1));
        assert_eq!(ok[0].body, "Biên bản sơ sài");
        let e = parse_items(
            "Chi bộ Tây: x",
            &units,
            "shortcomings",
            "Đơn vị còn hạn chế",
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .starts_with("Đơn vị còn hạn chế: «Chi bộ Tây»"),
            "{e}"
        );
        assert!(parse_items("không có dấu hai chấm", &units, "f", "l").is_err());
        let today = date(2026, 12, 20);
        let d = Draft {
            opening: String::new(),
            did_well: String::new(),
            shortcomings: "Chi bộ Thôn Đông: x".into(),
            closing: String::new(),
        };
        assert_eq!(
            check(&d, Some(today), &units, today).unwrap_err()[0].field,
            "deadline"
        );
        let (_, short, _) = check(&d, Some(date(2027, 1, 20)), &units, today).expect("valid");
        assert_eq!(short.len(), 1);
        assert_eq!(short[0].deadline, Some(date(2027, 1, 20)), "the notice's");
    }

    // Each shortcoming becomes a follow-up item with its own deadline
    // (docs/rules.md "Conclusion of a supervision round").
    #[test]
    fn a_line_may_set_its_own_deadline() {
        let units = vec![
            (OrgId(1), "Chi bộ Thôn Đông".to_string()),
            (OrgId(2), "Chi bộ Thôn Tây".to_string()),
        ];
        let today = date(2017, 10, 16);
        let mut d = Draft {
            opening: String::new(),
            did_well: "Chi bộ Thôn Tây: Đúng giờ (hạn chót không áp dụng)".into(),
            shortcomings: "Chi bộ Thôn Đông: Khai mạc muộn (Hạn: 30/11/2017)\nChi bộ Thôn Tây: Biên bản sơ sài".into(),
            closing: String::new(),
        };
        let (good, short, notice) =
            check(&d, Some(date(2017, 12, 31)), &units, today).expect("valid");
        assert_eq!(good[0].deadline, None, "a strength has no deadline");
        assert_eq!(notice, date(2017, 12, 31));
        assert_eq!(short[0].deadline, Some(date(2017, 11, 30)));
        assert_eq!(short[1].deadline, Some(date(2017, 12, 31)));
        d.shortcomings = "Chi bộ Thôn Đông: x (hạn 31/11/2017)".into();
        let e = check(&d, Some(date(2017, 12, 31)), &units, today).unwrap_err();
        assert!(
            e[0].to_string()
                .contains("hạn «hạn 31/11/2017» không đúng định dạng"),
            "{e:?}"
        );
        d.shortcomings = "Chi bộ Thôn Đông: x (hạn 01/10/2017)".into();
        let e = check(&d, Some(date(2017, 12, 31)), &units, today).unwrap_err();
        assert!(e[0].to_string().contains("phải sau hôm nay"), "{e:?}");
    }

    // Kim Sơn (seed 003): a review conference after the round.
    #[test]
    fn the_review_conference_is_dated_within_reason() {
        let (from, today) = (date(2017, 9, 1), date(2017, 10, 16));
        assert_eq!(check_review(None, "  ", from, today), Ok(None));
        assert_eq!(
            check_review(None, "Đã họp", from, today).unwrap_err().field,
            "review_on"
        );
        assert!(
            check_review(Some(date(2017, 8, 31)), "", from, today)
                .unwrap_err()
                .to_string()
                .contains("từ ngày bắt đầu đợt (01/09/2017)")
        );
        assert!(check_review(Some(date(2017, 10, 17)), "", from, today).is_err());
        let r = check_review(Some(date(2017, 10, 10)), " 27 đồng chí dự. ", from, today)
            .expect("ok")
            .expect("some");
        assert_eq!(
            review_sentence(&r, "Thường trực Huyện ủy"),
            "Ngày 10/10/2017, Thường trực Huyện ủy tổ chức hội nghị nghe các đồng chí cán bộ được phân công báo cáo kết quả dự sinh hoạt chi bộ và thảo luận giải pháp khắc phục: 27 đồng chí dự."
        );
    }

    // Hướng dẫn 36-HD/VPTW: "Số 05-TB/HU".
    #[test]
    fn notice_numbers_in_party_style() {
        assert_eq!(notice_symbol(5, OrgKind::District), "Số 05-TB/HU");
    }
}
