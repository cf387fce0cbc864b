//! Column headers of member lists, as offices and the national exports
//! (CSDL đảng viên 3.0, the e-handbook) write them (docs/rules.md "Member
//! list formats accepted").

use crate::domain::text::fold;

/// Column headers as offices and the national exports write them, for each
/// field, the preferred first: when a file has two of them ("Nơi ở hiện nay"
/// and "Nơi thường trú") the first in this list is read, the other ignored.
pub const ALIASES: &[(&str, &[&str])] = &[
    (
        "full_name",
        &[
            "Họ và tên",
            "Họ tên",
            "Họ và tên đảng viên",
            "Tên đảng viên",
            "Họ và tên khai sinh",
            "Họ tên khai sinh",
            "Họ và tên đang dùng",
            "full_name",
        ],
    ),
    (
        "birth_date",
        &[
            "Ngày sinh",
            "Ngày, tháng, năm sinh",
            "Ngày tháng năm sinh",
            "Sinh ngày",
            "Năm sinh",
            "birth_date",
        ],
    ),
    ("gender", &["Giới tính", "Nam/Nữ", "gender"]),
    ("ethnicity", &["Dân tộc", "ethnicity"]),
    ("religion", &["Tôn giáo", "religion"]),
    ("hometown", &["Quê quán", "Nguyên quán", "hometown"]),
    (
        "residence",
        &[
            "Nơi ở hiện nay",
            "Nơi ở",
            "Chỗ ở hiện nay",
            "Nơi cư trú",
            "Nơi thường trú",
            "Địa chỉ thường trú",
            "Địa chỉ",
            "residence",
        ],
    ),
    (
        "admitted_on",
        &[
            "Ngày vào Đảng",
            "Ngày kết nạp",
            "Ngày kết nạp Đảng",
            "Ngày vào Đảng dự bị",
            "admitted_on",
        ],
    ),
    (
        "official_on",
        &[
            "Ngày chính thức",
            "Ngày vào Đảng chính thức",
            "Ngày chuyển chính thức",
            "Ngày công nhận chính thức",
            "official_on",
        ],
    ),
    (
        "card_number",
        &[
            "Số thẻ đảng viên",
            "Số thẻ đảng",
            "Số thẻ",
            "Số thẻ ĐV",
            "card_number",
        ],
    ),
    (
        "citizen_id",
        &[
            "Số CCCD",
            "CCCD",
            "Số căn cước",
            "Số căn cước công dân",
            "Căn cước công dân",
            "Số định danh cá nhân",
            "Số định danh",
            "CCCD/CMND",
            "Số CCCD/CMND",
            "citizen_id",
        ],
    ),
    (
        "education",
        &[
            "Trình độ học vấn",
            "Giáo dục phổ thông",
            "Trình độ giáo dục phổ thông",
            "Học vấn",
            "Trình độ văn hóa",
            "education",
        ],
    ),
    (
        "theory_level",
        &[
            "Lý luận chính trị",
            "Trình độ LLCT",
            "Trình độ lý luận chính trị",
            "LLCT",
            "theory_level",
        ],
    ),
    (
        "occupation",
        &["Nghề nghiệp", "Nghề nghiệp hiện nay", "occupation"],
    ),
    (
        "phone",
        &["Điện thoại", "Số điện thoại", "SĐT", "ĐT", "phone"],
    ),
    ("email", &["Email", "E-mail", "Thư điện tử"]),
    ("status", &["Trạng thái", "Tình trạng", "status"]),
    (
        "cell",
        &[
            "Chi bộ",
            "Chi bộ sinh hoạt",
            "Tên chi bộ",
            "Đơn vị",
            "Đơn vị sinh hoạt",
            "cell",
        ],
    ),
];

/// Columns read and never stored nor reported: the row number and notes.
pub(super) const NOT_DATA: &[&str] = &["stt", "tt", "so thu tu", "ghi chu"];

/// A header or a title as compared: folded, every mark and punctuation a
/// space ("Ngày, tháng,\nnăm sinh" → "ngay thang nam sinh", "CCCD/CMND" →
/// "cccd cmnd").
pub fn key(text: &str) -> String {
    let spaced: String = fold(text)
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The field a header names and its rank among the field's aliases.
pub fn field_for(header: &str) -> Option<(&'static str, usize)> {
    let k = key(header);
    if k.is_empty() {
        return None;
    }
    ALIASES.iter().find_map(|(field, names)| {
        names
            .iter()
            .position(|n| key(n) == k)
            .map(|rank| (*field, rank))
    })
}
