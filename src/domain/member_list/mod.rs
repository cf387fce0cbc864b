//! Member lists as commune offices keep them and as the national member
//! database (CSDL đảng viên 3.0) and the e-handbook export them
//! (docs/rules.md "Member list formats accepted"): title rows above the
//! header, an STT column, a row of column numbers, a signature block below,
//! dates as Excel serials or text. Which row is the header, which columns
//! are which field, which rows are members.

use super::time::{format_date, from_excel_serial};

/// The header is looked for in this many rows from the top of a sheet.
pub const HEADER_SCAN_ROWS: usize = 30;

mod columns;
use columns::NOT_DATA;
pub use columns::{ALIASES, field_for, key};

/// Where a sheet's header is and what its columns hold.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Index of the header among the sheet's rows.
    pub header_at: usize,
    /// (field, column index, header as written), one per field.
    pub columns: Vec<(&'static str, usize, String)>,
    /// Headers of columns chibo does not keep, as written.
    pub ignored: Vec<String>,
    /// Headers written twice (the same name for one field).
    pub repeated: Vec<String>,
}

impl Layout {
    pub fn column(&self, field: &str) -> Option<(usize, &str)> {
        self.columns
            .iter()
            .find(|(f, _, _)| *f == field)
            .map(|(_, i, h)| (*i, h.as_str()))
    }

    /// The text of `field` in a row ("" when the column or the cell is absent).
    pub fn get<'a>(&self, cells: &'a [String], field: &str) -> &'a str {
        self.column(field)
            .and_then(|(i, _)| cells.get(i))
            .map(String::as_str)
            .unwrap_or("")
    }
}

/// The first of the top rows holding the name column and at least one other
/// known column; None when the sheet has no such row.
pub fn find_header(rows: &[(usize, Vec<String>)]) -> Option<Layout> {
    rows.iter()
        .take(HEADER_SCAN_ROWS)
        .position(|(_, cells)| {
            let fields: Vec<&str> = cells
                .iter()
                .filter_map(|c| field_for(c))
                .map(|f| f.0)
                .collect();
            fields.contains(&"full_name") && fields.iter().any(|f| *f != "full_name")
        })
        .map(|at| layout_of(at, &rows[at].1))
}

fn layout_of(header_at: usize, headers: &[String]) -> Layout {
    let mut layout = Layout {
        header_at,
        columns: Vec::new(),
        ignored: Vec::new(),
        repeated: Vec::new(),
    };
    let mut ranks: Vec<usize> = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        let text = h.split_whitespace().collect::<Vec<_>>().join(" ");
        match field_for(h) {
            Some((field, rank)) => match layout.columns.iter().position(|(f, _, _)| *f == field) {
                None => {
                    layout.columns.push((field, i, text));
                    ranks.push(rank);
                }
                Some(k) if ranks[k] == rank => layout.repeated.push(text),
                // Two names for one field: the preferred one is read.
                Some(k) if rank < ranks[k] => {
                    let old = std::mem::replace(&mut layout.columns[k], (field, i, text));
                    ranks[k] = rank;
                    layout.ignored.push(old.2);
                }
                Some(_) => layout.ignored.push(text),
            },
            None if text.is_empty() || NOT_DATA.contains(&key(h).as_str()) => {}
            None => layout.ignored.push(text),
        }
    }
    layout
}

/// What a row below the header is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    Member,
    /// Not a member and not an end: a row of column numbers, a total, a
    /// group heading, a row with no name and no member data.
    Skip,
    /// The signature block or the date line: nothing below is a member.
    End,
}

/// Words that open a signature block or a note under a list.
const SIGNATURE_OPENINGS: &[&str] = &[
    "t m ",
    "tm ",
    "k t ",
    "kt ",
    "bi thu",
    "pho bi thu",
    "nguoi lap",
    "xac nhan",
    "noi nhan",
    "duyet",
];

fn is_signature(text: &str) -> bool {
    let k = format!("{} ", key(text));
    SIGNATURE_OPENINGS.iter().any(|o| k.starts_with(o))
}

/// "Bản Hon, ngày 15 tháng 11 năm 2025" (numbers may be left blank).
fn is_date_line(text: &str) -> bool {
    let k = key(text);
    let words: Vec<&str> = k.split(' ').collect();
    let at = |w: &str, from: usize| {
        words
            .iter()
            .skip(from)
            .position(|x| *x == w)
            .map(|p| p + from)
    };
    at("ngay", 0)
        .and_then(|d| at("thang", d + 1))
        .and_then(|m| at("nam", m + 1))
        .is_some()
}

/// "1", "(2)", "3": what a row of column numbers holds.
fn is_column_number(text: &str) -> bool {
    let t = text.trim().trim_start_matches('(').trim_end_matches(')');
    !t.is_empty() && t.len() <= 3 && t.bytes().all(|b| b.is_ascii_digit())
}

pub fn classify(cells: &[String], layout: &Layout) -> RowKind {
    let name = layout.get(cells, "full_name").trim();
    let filled: Vec<&str> = cells
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .collect();
    if (name.is_empty() || is_signature(name))
        && filled.iter().any(|c| is_signature(c) || is_date_line(c))
    {
        return RowKind::End;
    }
    if filled.len() >= 2 && filled.iter().all(|c| is_column_number(c)) {
        return RowKind::Skip;
    }
    let member_data = layout
        .columns
        .iter()
        .any(|(f, i, _)| *f != "full_name" && cells.get(*i).is_some_and(|c| !c.trim().is_empty()));
    let name_key = key(name);
    let heading = ["tong cong", "tong so", "chi bo ", "dang bo "]
        .iter()
        .any(|h| format!("{name_key} ").starts_with(h));
    if (name.is_empty() || heading) && !member_data
        || ["tong cong", "tong so"]
            .iter()
            .any(|h| name_key.starts_with(h))
    {
        return RowKind::Skip;
    }
    RowKind::Member
}

/// A date cell as lists hold it, made into text the member rules read:
/// an Excel serial number becomes dd/mm/yyyy, a date with a time keeps the
/// date; a bare year is refused (a year is not a date). Other text is
/// passed on as it is.
pub fn list_date(input: &str) -> Result<String, String> {
    let s = input.trim();
    if s.bytes().all(|b| b.is_ascii_digit()) && !s.is_empty() {
        let n: u64 = s
            .parse()
            .map_err(|_| format!("\"{s}\" không phải là ngày"))?;
        if (1800..=2100).contains(&n) && s.len() == 4 {
            return Err(format!(
                "chỉ ghi năm {s}, cần đủ ngày, tháng, năm (dd/mm/yyyy)"
            ));
        }
        return from_excel_serial(n as f64)
            .map(format_date)
            .ok_or_else(|| format!("\"{s}\" không phải là ngày"));
    }
    if let Ok(serial) = s.parse::<f64>()
        && !s.contains(['-', '/'])
    {
        return from_excel_serial(serial)
            .map(format_date)
            .ok_or_else(|| format!("\"{s}\" không phải là ngày"));
    }
    // "03/02/1980 00:00:00", "1980-02-03T00:00:00".
    if let Some(day) = s.split([' ', 'T']).next()
        && day.len() < s.len()
        && super::time::parse_date(day).is_some()
    {
        return Ok(day.to_string());
    }
    Ok(s.to_string())
}

/// The one cell a sheet's titles or name point at, among `cells` (id and
/// name): a title naming a cell exactly wins; otherwise a title that holds
/// a cell's name as whole words ("CHI BỘ 4 (BẢN ĐÔNG PAO)" holds "Chi bộ 4").
/// None when no cell or more than one is named.
pub fn cell_in_titles<T: Copy + PartialEq>(titles: &[&str], cells: &[(T, &str)]) -> Option<T> {
    let keys: Vec<(T, String)> = cells.iter().map(|(id, n)| (*id, key(n))).collect();
    let one = |found: Vec<T>| {
        let mut distinct: Vec<T> = Vec::new();
        for f in found {
            if !distinct.contains(&f) {
                distinct.push(f);
            }
        }
        (distinct.len() == 1).then(|| distinct[0])
    };
    let titles: Vec<String> = titles
        .iter()
        .map(|t| key(t))
        .filter(|t| !t.is_empty())
        .collect();
    let exact: Vec<T> = titles
        .iter()
        .flat_map(|t| keys.iter().filter(move |(_, k)| k == t).map(|(id, _)| *id))
        .collect();
    if !exact.is_empty() {
        return one(exact);
    }
    let within: Vec<T> = titles
        .iter()
        .flat_map(|t| {
            let padded = format!(" {t} ");
            keys.iter()
                .filter(move |(_, k)| !k.is_empty() && padded.contains(&format!(" {k} ")))
                .map(|(id, _)| *id)
        })
        .collect();
    one(within)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(n: usize, cells: &[&str]) -> (usize, Vec<String>) {
        (n, cells.iter().map(|c| c.to_string()).collect())
    }

    #[test]
    fn headers_map_in_any_case_accents_and_punctuation() {
        assert_eq!(field_for("Họ và tên").map(|f| f.0), Some("full_name"));
        assert_eq!(field_for("HỌ VÀ TÊN").map(|f| f.0), Some("full_name"));
        assert_eq!(field_for(" ho ten ").map(|f| f.0), Some("full_name"));
        assert_eq!(
            field_for("Họ và tên\nkhai sinh").map(|f| f.0),
            Some("full_name")
        );
        assert_eq!(
            field_for("Ngày, tháng, năm sinh").map(|f| f.0),
            Some("birth_date")
        );
        assert_eq!(field_for("CCCD/CMND").map(|f| f.0), Some("citizen_id"));
        assert_eq!(
            field_for("Số định danh cá nhân").map(|f| f.0),
            Some("citizen_id")
        );
        assert_eq!(
            field_for("Ngày vào Đảng chính thức").map(|f| f.0),
            Some("official_on")
        );
        assert_eq!(
            field_for("Trình độ LLCT").map(|f| f.0),
            Some("theory_level")
        );
        assert_eq!(field_for("SĐT").map(|f| f.0), Some("phone"));
        assert_eq!(field_for("Đơn vị").map(|f| f.0), Some("cell"));
        assert_eq!(field_for("Màu mắt"), None);
        for (f, label) in super::super::member::FIELDS {
            assert_eq!(
                field_for(label).map(|x| x.0),
                Some(f),
                "export header {label} must import back"
            );
        }
    }

    // docs/rules.md "Member list formats accepted": title rows, STT, a row of
    // column numbers, the signature block (seed practice: Bản Hon).
    #[test]
    fn commune_list_layout() {
        let rows = vec![
            row(1, &["ĐẢNG BỘ XÃ BẢN HON"]),
            row(2, &["CHI BỘ 4 (BẢN ĐÔNG PAO)"]),
            row(3, &["DANH SÁCH ĐẢNG VIÊN"]),
            row(
                5,
                &[
                    "STT",
                    "Họ và tên",
                    "Ngày sinh",
                    "Giới tính",
                    "Chức vụ",
                    "Ghi chú",
                ],
            ),
            row(6, &["1", "2", "3", "4", "5", "6"]),
            row(
                7,
                &["1", "Lò Văn Phà", "3/2/1970", "Nam", "Bí thư chi bộ", ""],
            ),
            row(8, &["2", "", "", "", "", ""]),
            row(9, &["", "Tổng cộng: 1 đảng viên", "", "", "", ""]),
            row(
                11,
                &["", "", "", "", "Bản Hon, ngày 15 tháng 11 năm 2025", ""],
            ),
            row(12, &["", "", "", "", "T/M CHI BỘ", ""]),
            row(15, &["", "", "", "", "Lò Văn Phà", ""]),
        ];
        let l = find_header(&rows).unwrap();
        assert_eq!(l.header_at, 3);
        assert_eq!(l.column("full_name"), Some((1, "Họ và tên")));
        assert_eq!(l.column("gender"), Some((3, "Giới tính")));
        assert_eq!(l.ignored, ["Chức vụ"], "STT and Ghi chú are not reported");
        let kinds: Vec<RowKind> = rows[4..].iter().map(|(_, c)| classify(c, &l)).collect();
        use RowKind::*;
        assert_eq!(kinds, [Skip, Member, Skip, Skip, End, End, Skip]);
    }

    #[test]
    fn a_row_without_a_name_but_with_data_is_a_member_row_to_report() {
        let rows = vec![row(1, &["Họ và tên", "Giới tính"]), row(2, &["", "Nam"])];
        let l = find_header(&rows).unwrap();
        assert_eq!(classify(&rows[1].1, &l), RowKind::Member);
        // "Tống" is a family name, not a total.
        assert_eq!(
            classify(&[String::from("Tống Văn Hải"), String::new()], &l),
            RowKind::Member
        );
    }

    #[test]
    fn no_header_without_a_second_known_column() {
        let rows = vec![row(1, &["DANH SÁCH"]), row(2, &["Họ và tên", "Màu mắt"])];
        assert_eq!(find_header(&rows), None);
        let far: Vec<_> = (1..=40)
            .map(|i| {
                if i == 35 {
                    row(i, &["Họ và tên", "Giới tính"])
                } else {
                    row(i, &["x"])
                }
            })
            .collect();
        assert_eq!(find_header(&far), None, "only the top rows are searched");
    }

    #[test]
    fn preferred_alias_wins_and_repeats_are_reported() {
        let rows = vec![row(
            1,
            &[
                "Họ tên",
                "Nơi thường trú",
                "Nơi ở hiện nay",
                "Giới tính",
                "Giới tính",
            ],
        )];
        let l = find_header(&rows).unwrap();
        assert_eq!(l.column("residence"), Some((2, "Nơi ở hiện nay")));
        assert_eq!(l.ignored, ["Nơi thường trú"]);
        assert_eq!(l.repeated, ["Giới tính"]);
    }

    #[test]
    fn dates_as_lists_hold_them() {
        assert_eq!(list_date("29254"), Ok("03/02/1980".into()));
        assert_eq!(list_date("29254.75"), Ok("03/02/1980".into()));
        assert_eq!(list_date(" 3/2/1980 "), Ok("3/2/1980".into()));
        assert_eq!(list_date("03/02/1980 00:00:00"), Ok("03/02/1980".into()));
        assert_eq!(list_date("1980-02-03T00:00:00"), Ok("1980-02-03".into()));
        assert_eq!(list_date("3.2.1980"), Ok("3.2.1980".into()));
        assert_eq!(
            list_date("1980"),
            Err("chỉ ghi năm 1980, cần đủ ngày, tháng, năm (dd/mm/yyyy)".into())
        );
        assert_eq!(list_date(""), Ok(String::new()));
        assert!(list_date("99999999999999999999999").is_err());
    }

    #[test]
    fn a_cell_named_in_the_titles() {
        let cells = [
            (1, "Chi bộ 4 (Bản Đông Pao)"),
            (2, "Chi bộ 1"),
            (3, "Chi bộ 10"),
        ];
        assert_eq!(
            cell_in_titles(&["ĐẢNG BỘ XÃ BẢN HON", "CHI BỘ 4 (BẢN ĐÔNG PAO)"], &cells),
            Some(1)
        );
        assert_eq!(
            cell_in_titles(&["DANH SÁCH ĐẢNG VIÊN CHI BỘ 1"], &cells),
            Some(2)
        );
        assert_eq!(cell_in_titles(&["Chi bộ 10"], &cells), Some(3));
        assert_eq!(
            cell_in_titles(&["Chi bộ 1", "Chi bộ 10"], &cells),
            None,
            "two cells"
        );
        assert_eq!(cell_in_titles(&["DANH SÁCH ĐẢNG VIÊN"], &cells), None);
    }
}
