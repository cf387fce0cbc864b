//! One sheet's rows of a member list: the cell they go to, one row checked.

use super::{At, Errors, Seen, Target};
use crate::docs::table::Sheet;
use crate::domain::citizen_id::CitizenId;
use crate::domain::ids::OrgId;
use crate::domain::member::{MemberDraft, MemberFields, label_of};
use crate::domain::member_list::{self, Layout};
use crate::domain::text::fold;
use jiff::civil::Date;

/// The header of `field`'s column as written, or the field's label.
pub(super) fn column_header<'a>(layout: &'a Layout, field: &'static str) -> &'a str {
    layout
        .column(field)
        .map(|(_, h)| h)
        .unwrap_or(label_of(field))
}

/// The cell the sheet's title rows or its name point at.
pub(super) fn sheet_titles_cell(
    sheet: &Sheet,
    layout: &Layout,
    named: &[(OrgId, &str)],
) -> Option<OrgId> {
    let mut titles: Vec<&str> = sheet.rows[..layout.header_at]
        .iter()
        .flat_map(|(_, cells)| cells.iter().map(String::as_str))
        .collect();
    titles.push(&sheet.name);
    member_list::cell_in_titles(&titles, named)
}

/// Checks one member row: its values, its cell, its numbers against the
/// rows before it. The member's fields and cell, or None with the errors pushed.
pub(super) fn check_row(
    layout: &Layout,
    cells: &[String],
    at: &At,
    target: &Target<'_>,
    today: Date,
    seen: &mut Seen,
    errors: &mut Errors,
) -> Option<(MemberFields, OrgId)> {
    let get = |field: &str| layout.get(cells, field);
    let header = |field: &'static str| column_header(layout, field);
    let errors_before = errors.len();
    // Dates as Excel serials or text; a bare year is refused by its column.
    let mut date = |field: &'static str| match member_list::list_date(get(field)) {
        Ok(d) => d,
        Err(problem) => {
            errors.push(at.err(header(field), problem));
            String::new()
        }
    };
    let mut draft = MemberDraft {
        full_name: get("full_name").into(),
        birth_date: date("birth_date"),
        gender: get("gender").into(),
        ethnicity: get("ethnicity").into(),
        religion: get("religion").into(),
        hometown: get("hometown").into(),
        residence: get("residence").into(),
        admitted_on: date("admitted_on"),
        official_on: date("official_on"),
        card_number: get("card_number").into(),
        citizen_id: get("citizen_id").into(),
        education: get("education").into(),
        theory_level: get("theory_level").into(),
        occupation: get("occupation").into(),
        phone: get("phone").into(),
        email: get("email").into(),
        status: get("status").into(),
    };
    // A number typed as a number in Excel loses its leading 0: a phone of 9
    // digits, a CCCD of 11 (every province code starts with 0).
    let all_digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if draft.phone.len() == 9 && all_digits(&draft.phone) {
        draft.phone.insert(0, '0');
    }
    let cid = draft.citizen_id.trim().to_string();
    if cid.len() == 11 && all_digits(&cid) {
        draft.citizen_id = format!("0{cid}");
    }
    let cell = if let Some(c) = target.sheet_cell.filter(|_| get("cell").trim().is_empty()) {
        Some(c)
    } else {
        let name = get("cell").trim();
        match target.by_name.get(&fold(name)) {
            Some(c) => Some(c.id),
            None if target.cell_missing => None,
            None if name.is_empty() => {
                errors.push(at.err(header("cell"), "phải ghi tên chi bộ"));
                None
            }
            None => {
                errors.push(at.err(
                    header("cell"),
                    format!("không có chi bộ \"{name}\" trong {}", target.root.name),
                ));
                None
            }
        }
    };
    let card: String = draft
        .card_number
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    if !card.is_empty() {
        match seen.cards.get(&card) {
            Some(first) => errors.push(at.err(
                header("card_number"),
                format!("trùng số thẻ với {}", first.describe()),
            )),
            None => {
                seen.cards.insert(card, at.clone());
            }
        }
    }
    if let Ok(c) = CitizenId::parse(&draft.citizen_id) {
        match seen.citizen_ids.get(c.as_str()) {
            Some(first) => errors.push(at.err(
                header("citizen_id"),
                format!("trùng số CCCD {c} với {}", first.describe()),
            )),
            None => {
                seen.citizen_ids.insert(c.into_string(), at.clone());
            }
        }
    }
    match draft.parse(today) {
        Ok(fields) => match cell {
            Some(cell) if errors.len() == errors_before => Some((fields, cell)),
            _ => None,
        },
        Err(field_errors) => {
            for e in field_errors {
                errors.push(at.err(header(e.field), e.problem.to_string()));
            }
            None
        }
    }
}
