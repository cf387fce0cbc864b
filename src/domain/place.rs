//! Names of organizations and places as party documents print them: the
//! organization in the header ("ĐẢNG BỘ XÃ BẢN HON" over "CHI BỘ 4 (BẢN ĐÔNG
//! PAO)"), its committee among the recipients, and the place of the
//! "Bản Hon, ngày … tháng … năm …" line. docs/rules.md "Place line of a
//! document".

use super::org::OrgKind;

/// Local administrative units, the longest first so "thị trấn" wins over a
/// shorter match. Province-level units come last: they are the fallback.
const UNITS: [&str; 9] = [
    "thị trấn",
    "thị xã",
    "thành phố",
    "đặc khu",
    "phường",
    "xã",
    "quận",
    "huyện",
    "tỉnh",
];

/// A committee's short name ("Tỉnh ủy Lai Châu") and the unit it stands for.
const COMMITTEES: [(&str, &str, &str); 5] = [
    ("tỉnh ủy", "tỉnh", "Tỉnh ủy"),
    ("thành ủy", "thành phố", "Thành ủy"),
    ("huyện ủy", "huyện", "Huyện ủy"),
    ("quận ủy", "quận", "Quận ủy"),
    ("thị ủy", "thị xã", "Thị ủy"),
];

fn lower(s: &str) -> String {
    s.to_lowercase()
}

/// `name` without a leading `prefix` (compared case-insensitively, whole words).
fn strip_words<'a>(name: &'a str, prefix: &str) -> Option<&'a str> {
    let n = prefix.chars().count();
    let head: String = name.chars().take(n).collect();
    if lower(&head) != lower(prefix) {
        return None;
    }
    let rest = &name[head.len()..];
    if rest.is_empty() {
        return Some(rest);
    }
    rest.strip_prefix(' ').map(str::trim_start)
}

/// `word` before `name` unless the name already begins with it:
/// "Chi bộ" + "Chi bộ 4 (bản Đông Pao)" stays "Chi bộ 4 (bản Đông Pao)",
/// never "Chi bộ Chi bộ 4".
pub fn with_kind_word(word: &str, name: &str) -> String {
    let name = name.trim();
    if strip_words(name, word).is_some() {
        name.to_string()
    } else {
        format!("{word} {name}")
    }
}

/// Lower-cases the first letter: "Xã Bản Hon" → "xã Bản Hon" after a kind word.
fn lower_first(s: &str) -> String {
    let mut cs = s.chars();
    match cs.next() {
        Some(c) => c.to_lowercase().chain(cs).collect(),
        None => String::new(),
    }
}

/// Whether `name` begins with a local unit word ("Xã …", "phường …").
fn starts_with_unit(name: &str) -> bool {
    UNITS.iter().any(|u| strip_words(name, u).is_some())
}

/// An organization named as an organization: "Đảng bộ xã Bản Hon", "Chi bộ 4
/// (bản Đông Pao)", whether it was stored as "Xã Bản Hon", "Đảng ủy xã Bản
/// Hon", "Huyện ủy Kim Sơn" or already in full.
pub fn organization_name(name: &str, kind: OrgKind) -> String {
    let name = name.trim();
    if kind == OrgKind::Central {
        return name.to_string();
    }
    if kind.is_cell() {
        if let Some(rest) = strip_words(name, "chi ủy") {
            return with_kind_word("Chi bộ", rest);
        }
        return with_kind_word("Chi bộ", name);
    }
    if strip_words(name, "đảng bộ").is_some() {
        return with_kind_word("Đảng bộ", name);
    }
    for (short, unit, _) in COMMITTEES {
        if let Some(rest) = strip_words(name, short) {
            return format!("Đảng bộ {unit} {rest}");
        }
    }
    if let Some(rest) = strip_words(name, "đảng ủy") {
        return with_kind_word("Đảng bộ", rest);
    }
    if starts_with_unit(name) {
        return format!("Đảng bộ {}", lower_first(name));
    }
    with_kind_word("Đảng bộ", name)
}

/// The committee that leads an organization, for "Nơi nhận": "Đảng bộ xã
/// Bản Hon" → "Đảng ủy xã Bản Hon", "Đảng bộ tỉnh Lai Châu" → "Tỉnh ủy Lai
/// Châu".
pub fn committee_name(organization: &str) -> String {
    let Some(rest) = strip_words(organization, "đảng bộ") else {
        return organization.to_string();
    };
    for (_, unit, title) in COMMITTEES {
        if let Some(place) = strip_words(rest, unit)
            && !place.is_empty()
        {
            return format!("{title} {place}");
        }
    }
    format!("Đảng ủy {rest}")
}

/// The locality a name holds: "Đảng bộ xã Bản Hon" → "Bản Hon", "Chi bộ Chi
/// cục Thuế huyện Kim Sơn" → "Kim Sơn", "Đảng bộ Phường 3" → "Phường 3" (a
/// numbered unit keeps its word). "Bảo hiểm xã hội" is no commune: a unit
/// word counts only before a capitalized name or a number.
pub fn locality(name: &str) -> Option<String> {
    let words: Vec<&str> = name.split_whitespace().collect();
    let unit_at = |i: usize| -> Option<(&'static str, usize)> {
        UNITS.iter().find_map(|u| {
            let n = u.split(' ').count();
            let seq = words.get(i..i + n)?;
            (lower(&seq.join(" ")) == *u).then_some((*u, n))
        })
    };
    for i in 0..words.len() {
        let Some((unit, n)) = unit_at(i) else {
            continue;
        };
        let mut place = Vec::new();
        for (j, w) in words.iter().enumerate().skip(i + n) {
            if unit_at(j).is_some() || w.starts_with('(') || *w == "-" {
                break;
            }
            let bare = w.trim_end_matches([',', ';', '.']);
            place.push(bare);
            if bare.len() != w.len() {
                break;
            }
        }
        let Some(first) = place.first().and_then(|w| w.chars().next()) else {
            continue;
        };
        if first.is_ascii_digit() {
            let mut cs = unit.chars();
            let word: String = cs
                .next()
                .map(|c| c.to_uppercase().chain(cs).collect())
                .unwrap_or_default();
            return Some(format!("{word} {}", place.join(" ")));
        }
        if first.is_uppercase() {
            return Some(place.join(" "));
        }
    }
    None
}

/// The place of a document's "…, ngày … tháng … năm …" line: the locality
/// of the cell, else of its nearest ancestor that names one (an agency's
/// cell takes the place its agency or committee names). `names` runs from
/// the cell up the tree as it stood on the document's date.
pub fn place_of<'a>(names: impl IntoIterator<Item = &'a str>) -> Option<String> {
    names.into_iter().find_map(locality)
}

#[cfg(test)]
mod tests {
    use super::*;

    // docs/rules.md "Place line of a document" (Hướng dẫn 36-HD/VPTW, 2018:
    // the place is the administrative name of where the issuer sits; dropping
    // the unit word is common practice, not confirmed).
    #[test]
    fn place_of_communes_wards_townships() {
        assert_eq!(
            place_of(["Chi bộ 4 (bản Đông Pao)", "Đảng bộ xã Bản Hon"]),
            Some("Bản Hon".into())
        );
        assert_eq!(
            place_of(["Chi bộ tiểu khu 3", "Đảng bộ thị trấn Phát Diệm"]),
            Some("Phát Diệm".into())
        );
        assert_eq!(
            place_of(["Chi bộ Khu phố 2", "Đảng bộ phường Ba Đình"]),
            Some("Ba Đình".into())
        );
        // A numbered ward keeps its word: "3, ngày …" would not read.
        assert_eq!(
            place_of(["Chi bộ Khu phố 1", "Đảng bộ Phường 3"]),
            Some("Phường 3".into())
        );
        assert_eq!(
            place_of(["Chi bộ 2", "Đảng bộ đặc khu Phú Quốc"]),
            Some("Phú Quốc".into())
        );
        // The cell's own name is read first; "Cơ quan thị trấn" names no place.
        assert_eq!(
            place_of(["Chi bộ Cơ quan thị trấn", "Đảng bộ thị trấn Bình Minh"]),
            Some("Bình Minh".into())
        );
        assert_eq!(place_of(["Chi bộ 1", "Ban cán sự"]), None);
    }

    #[test]
    fn place_of_agency_cells_before_and_after_2025() {
        // Under an agency committee: the locality its name carries.
        assert_eq!(
            place_of([
                "Chi bộ Khoa Nội",
                "Đảng bộ Bệnh viện Đa khoa huyện Kim Sơn",
                "Đảng bộ tỉnh Ninh Bình"
            ]),
            Some("Kim Sơn".into())
        );
        // "xã hội" is not a commune.
        assert_eq!(
            place_of([
                "Chi bộ Bảo hiểm xã hội huyện Kim Sơn",
                "Đảng bộ tỉnh Ninh Bình"
            ]),
            Some("Kim Sơn".into())
        );
        assert_eq!(
            place_of([
                "Chi bộ Phòng Lao động - Thương binh và Xã hội",
                "Đảng bộ Cơ quan Chính quyền huyện Kim Sơn"
            ]),
            Some("Kim Sơn".into())
        );
        // After 1 July 2025 a base cell with no place in its name sits right
        // under the province: the province names the place.
        assert_eq!(
            place_of(["Chi bộ Kho bạc Nhà nước Kim Sơn", "Đảng bộ tỉnh Ninh Bình"]),
            Some("Ninh Bình".into())
        );
        assert_eq!(
            place_of(["Chi bộ 5", "Đảng bộ xã Kim Chính", "Đảng bộ tỉnh Ninh Bình"]),
            Some("Kim Chính".into())
        );
    }

    // No doubled kind words (issue 10, point 5): "Chi bộ Chi bộ 4" never.
    #[test]
    fn organizations_are_named_once_as_organizations() {
        let cell = "Chi bộ 4 (bản Đông Pao)";
        assert_eq!(organization_name(cell, OrgKind::Cell), cell);
        assert_eq!(
            organization_name(cell, OrgKind::Cell).to_uppercase(),
            "CHI BỘ 4 (BẢN ĐÔNG PAO)"
        );
        assert_eq!(organization_name("CHI BỘ 4", OrgKind::Cell), "CHI BỘ 4");
        assert_eq!(
            organization_name("Bản Thẳm", OrgKind::Cell),
            "Chi bộ Bản Thẳm"
        );
        assert_eq!(
            organization_name("Chi ủy bản Thẳm", OrgKind::Cell),
            "Chi bộ bản Thẳm"
        );
        for n in [
            "Đảng bộ xã Bản Hon",
            "Xã Bản Hon",
            "Đảng ủy xã Bản Hon",
            "xã Bản Hon",
        ] {
            assert_eq!(
                organization_name(n, OrgKind::BaseCommittee),
                "Đảng bộ xã Bản Hon",
                "{n}"
            );
        }
        assert_eq!(
            organization_name("Huyện ủy Kim Sơn", OrgKind::District),
            "Đảng bộ huyện Kim Sơn"
        );
        assert_eq!(
            organization_name("Phường Ba Đình", OrgKind::BaseCommittee).to_uppercase(),
            "ĐẢNG BỘ PHƯỜNG BA ĐÌNH"
        );
        assert_eq!(
            organization_name("Bệnh viện Đa khoa huyện Kim Sơn", OrgKind::BaseCommittee),
            "Đảng bộ Bệnh viện Đa khoa huyện Kim Sơn"
        );
        assert_eq!(
            organization_name("Đảng Cộng sản Việt Nam", OrgKind::Central),
            "Đảng Cộng sản Việt Nam"
        );
        assert_eq!(with_kind_word("Chi bộ", "Chi bộ"), "Chi bộ");
        assert_eq!(with_kind_word("Chi bộ", "Chi bội"), "Chi bộ Chi bội");
    }

    #[test]
    fn committees_lead_organizations() {
        assert_eq!(committee_name("Đảng bộ xã Bản Hon"), "Đảng ủy xã Bản Hon");
        assert_eq!(
            committee_name("Đảng bộ phường Ba Đình"),
            "Đảng ủy phường Ba Đình"
        );
        assert_eq!(
            committee_name("Đảng bộ tỉnh Ninh Bình"),
            "Tỉnh ủy Ninh Bình"
        );
        assert_eq!(committee_name("Đảng bộ huyện Kim Sơn"), "Huyện ủy Kim Sơn");
        assert_eq!(
            committee_name("Đảng bộ Bệnh viện Đa khoa huyện Kim Sơn"),
            "Đảng ủy Bệnh viện Đa khoa huyện Kim Sơn"
        );
        assert_eq!(committee_name("Ban X"), "Ban X");
    }
}
