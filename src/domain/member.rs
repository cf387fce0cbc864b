//! The member registry (domain.md §3): a member's record, status and the
//! rules that keep it sane. Raw input (`MemberDraft`, all strings as typed)
//! is parsed into `MemberFields`, which cannot hold an invalid value.

use super::ValidationError;
use super::citizen_id::CitizenId;
use super::person_name::FullName;
pub use super::status::{MemberStatus, check_status_change};
use super::text;
use super::time::{format_date, parse_date};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Male,
    Female,
}

impl Gender {
    pub fn code(self) -> &'static str {
        match self {
            Self::Male => "male",
            Self::Female => "female",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Male => "Nam",
            Self::Female => "Nữ",
        }
    }
    pub fn parse(input: &str) -> Option<Self> {
        match text::fold(input).as_str() {
            "nam" | "male" | "m" => Some(Self::Male),
            "nu" | "female" | "f" => Some(Self::Female),
            _ => None,
        }
    }
}

/// A member as typed in a form, an API body or an import row: every field a
/// string, empty meaning "not given".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MemberDraft {
    pub full_name: String,
    pub birth_date: String,
    pub gender: String,
    pub ethnicity: String,
    pub religion: String,
    pub hometown: String,
    pub residence: String,
    pub admitted_on: String,
    pub official_on: String,
    pub card_number: String,
    pub citizen_id: String,
    pub education: String,
    pub theory_level: String,
    pub occupation: String,
    pub phone: String,
    pub email: String,
    pub status: String,
}

/// A member's record, every field valid. Text is NFC; names are title-cased.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MemberFields {
    pub full_name: String,
    pub birth_date: Option<Date>,
    pub gender: Gender,
    pub ethnicity: String,
    /// Empty when the member follows no religion.
    pub religion: String,
    pub hometown: String,
    pub residence: String,
    pub admitted_on: Option<Date>,
    pub official_on: Option<Date>,
    /// Opaque, unique, never parsed (domain.md §3.3: format not confirmed).
    pub card_number: Option<String>,
    /// Personal data: shown to those who may read the member's profile.
    pub citizen_id: Option<CitizenId>,
    pub education: String,
    pub theory_level: String,
    pub occupation: String,
    pub phone: String,
    pub email: String,
    pub status: MemberStatus,
}

impl MemberFields {
    /// Back to strings, as a form shows them (dates `dd/mm/yyyy`).
    pub fn to_draft(&self) -> MemberDraft {
        let date = |d: Option<Date>| d.map(format_date).unwrap_or_default();
        MemberDraft {
            full_name: self.full_name.clone(),
            birth_date: date(self.birth_date),
            gender: self.gender.code().into(),
            ethnicity: self.ethnicity.clone(),
            religion: self.religion.clone(),
            hometown: self.hometown.clone(),
            residence: self.residence.clone(),
            admitted_on: date(self.admitted_on),
            official_on: date(self.official_on),
            card_number: self.card_number.clone().unwrap_or_default(),
            citizen_id: self
                .citizen_id
                .as_ref()
                .map(|c| c.as_str().to_string())
                .unwrap_or_default(),
            education: self.education.clone(),
            theory_level: self.theory_level.clone(),
            occupation: self.occupation.clone(),
            phone: self.phone.clone(),
            email: self.email.clone(),
            status: self.status.code().into(),
        }
    }

    pub fn is_religious(&self) -> bool {
        !self.religion.is_empty()
    }
}

/// Field names and Vietnamese labels, in form order. Import headers map here.
pub const FIELDS: [(&str, &str); 17] = [
    ("full_name", "Họ và tên"),
    ("birth_date", "Ngày sinh"),
    ("gender", "Giới tính"),
    ("ethnicity", "Dân tộc"),
    ("religion", "Tôn giáo"),
    ("hometown", "Quê quán"),
    ("residence", "Nơi ở hiện nay"),
    ("admitted_on", "Ngày vào Đảng"),
    ("official_on", "Ngày chính thức"),
    ("card_number", "Số thẻ đảng viên"),
    (super::citizen_id::FIELD, super::citizen_id::LABEL),
    ("education", "Trình độ học vấn"),
    ("theory_level", "Lý luận chính trị"),
    ("occupation", "Nghề nghiệp"),
    ("phone", "Điện thoại"),
    ("email", "Email"),
    ("status", "Trạng thái"),
];

pub fn label_of(field: &str) -> &'static str {
    FIELDS
        .iter()
        .find(|(f, _)| *f == field)
        .map(|(_, l)| *l)
        .unwrap_or("Trường")
}

fn err(field: &'static str, problem: impl Into<std::borrow::Cow<'static, str>>) -> ValidationError {
    ValidationError::new(field, label_of(field), problem)
}

fn short_text(
    field: &'static str,
    input: &str,
    max: usize,
    errors: &mut Vec<ValidationError>,
) -> String {
    let v = text::clean(input);
    if v.chars().count() > max {
        errors.push(err(field, format!("dài quá {max} ký tự")));
    }
    v
}

fn optional_date(
    field: &'static str,
    input: &str,
    today: Date,
    errors: &mut Vec<ValidationError>,
) -> Option<Date> {
    let s = input.trim();
    if s.is_empty() {
        return None;
    }
    match parse_date(s) {
        None => {
            errors.push(err(
                field,
                format!("\"{s}\" không đúng định dạng ngày dd/mm/yyyy"),
            ));
            None
        }
        Some(d) if d > today => {
            errors.push(err(field, "không được sau ngày hôm nay"));
            None
        }
        Some(d) if d.year() < 1900 => {
            errors.push(err(field, "năm phải từ 1900 trở đi"));
            None
        }
        Some(d) => Some(d),
    }
}

impl MemberDraft {
    /// Parses every field, collecting all problems at once so a form or an
    /// import row can show each of them.
    pub fn parse(&self, today: Date) -> Result<MemberFields, Vec<ValidationError>> {
        let mut errors = Vec::new();

        let full_name = match FullName::parse(&self.full_name) {
            Ok(n) => n.into_string(),
            Err(e) => {
                errors.push(e);
                String::new()
            }
        };

        let birth_date = optional_date("birth_date", &self.birth_date, today, &mut errors);
        let admitted_on = optional_date("admitted_on", &self.admitted_on, today, &mut errors);
        let official_on = optional_date("official_on", &self.official_on, today, &mut errors);
        if let (Some(b), Some(a)) = (birth_date, admitted_on) {
            // Party Statute: a member is admitted at 18 or older.
            if b.checked_add(jiff::Span::new().years(18))
                .is_ok_and(|adult| a < adult)
            {
                errors.push(err("admitted_on", "đảng viên phải đủ 18 tuổi khi vào Đảng"));
            }
        }
        if let (Some(a), Some(o)) = (admitted_on, official_on)
            && o < a
        {
            errors.push(err("official_on", "không được trước ngày vào Đảng"));
        }

        let gender = match Gender::parse(&self.gender) {
            Some(g) => Some(g),
            None if self.gender.trim().is_empty() => {
                errors.push(err("gender", "phải chọn Nam hoặc Nữ"));
                None
            }
            None => {
                errors.push(err(
                    "gender",
                    format!("\"{}\" không hợp lệ (Nam hoặc Nữ)", self.gender.trim()),
                ));
                None
            }
        };

        let status = if self.status.trim().is_empty() {
            Some(if official_on.is_some() {
                MemberStatus::Official
            } else {
                MemberStatus::Probationary
            })
        } else {
            match MemberStatus::parse(&self.status) {
                Some(s) => Some(s),
                None => {
                    errors.push(err(
                        "status",
                        format!("\"{}\" không hợp lệ", self.status.trim()),
                    ));
                    None
                }
            }
        };

        let ethnicity = {
            let e = text::title_case(&self.ethnicity);
            if e.is_empty() { "Kinh".to_string() } else { e }
        };
        if ethnicity.chars().count() > 50 {
            errors.push(err("ethnicity", "dài quá 50 ký tự"));
        }
        let religion = {
            let r = text::clean(&self.religion);
            match text::fold(&r).as_str() {
                "" | "khong" | "none" | "-" => String::new(),
                _ => text::title_case(&r),
            }
        };

        let card_number = {
            let c: String = self
                .card_number
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            if c.is_empty() {
                None
            } else if c.chars().count() > 20
                || !c
                    .chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '.')
            {
                errors.push(err(
                    "card_number",
                    "chỉ gồm chữ số, chữ cái không dấu, tối đa 20 ký tự",
                ));
                None
            } else {
                Some(c.to_uppercase())
            }
        };

        let citizen_id = if self.citizen_id.trim().is_empty() {
            None
        } else {
            match CitizenId::parse(&self.citizen_id) {
                Ok(c) => Some(c),
                Err(e) => {
                    errors.push(e);
                    None
                }
            }
        };

        let phone = {
            let p: String = self
                .phone
                .chars()
                .filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')'))
                .collect();
            let digits = p.trim_start_matches('+');
            if !p.is_empty()
                && (!digits.chars().all(|c| c.is_ascii_digit())
                    || !(9..=15).contains(&digits.len()))
            {
                errors.push(err("phone", "phải gồm 9 đến 15 chữ số"));
            }
            p
        };

        let email = {
            let e = self.email.trim().to_lowercase();
            let valid = e.is_empty()
                || (e.len() <= 254
                    && !e.contains(' ')
                    && e.split_once('@').is_some_and(|(user, host)| {
                        !user.is_empty()
                            && host.contains('.')
                            && !host.starts_with('.')
                            && !host.ends_with('.')
                    }));
            if !valid {
                errors.push(err("email", "không đúng định dạng (ví dụ: ten@example.vn)"));
            }
            e
        };

        let hometown = short_text("hometown", &self.hometown, 200, &mut errors);
        let residence = short_text("residence", &self.residence, 200, &mut errors);
        let education = short_text("education", &self.education, 100, &mut errors);
        let theory_level = short_text("theory_level", &self.theory_level, 100, &mut errors);
        let occupation = short_text("occupation", &self.occupation, 100, &mut errors);

        match (gender, status) {
            (Some(gender), Some(status)) if errors.is_empty() => Ok(MemberFields {
                full_name,
                birth_date,
                gender,
                ethnicity,
                religion,
                hometown,
                residence,
                admitted_on,
                official_on,
                card_number,
                citizen_id,
                education,
                theory_level,
                occupation,
                phone,
                email,
                status,
            }),
            _ => Err(errors),
        }
    }

    /// Overlays the fields present in a partial update (PATCH).
    pub fn overlay(&mut self, patch: &MemberPatch) {
        macro_rules! set {
            ($($f:ident),*) => { $( if let Some(v) = &patch.$f { self.$f = v.clone(); } )* };
        }
        set!(
            full_name,
            birth_date,
            gender,
            ethnicity,
            religion,
            hometown,
            residence,
            admitted_on,
            official_on,
            card_number,
            citizen_id,
            education,
            theory_level,
            occupation,
            phone,
            email,
            status
        );
    }
}

/// A partial update: only the fields present change.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberPatch {
    /// Family and given names: letters, spaces, hyphens and apostrophes, at most 100.
    #[schema(
        min_length = 3,
        max_length = 100,
        pattern = r"^[A-Za-zÀ-ÖØ-öø-ɏḀ-ỿ'-]+( [A-Za-zÀ-ÖØ-öø-ɏḀ-ỿ'-]+)+$"
    )]
    pub full_name: Option<String>,
    /// YYYY-MM-DD (dd/mm/yyyy also accepted), from 1900 and not after today.
    #[schema(format = Date, pattern = r"^(19[0-9]{2}|20[01][0-9]|202[0-5])-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")]
    pub birth_date: Option<String>,
    /// male | female (Nam | Nữ also accepted).
    #[schema(value_type = Option<Gender>)]
    pub gender: Option<String>,
    /// Kinh when absent.
    #[schema(max_length = 50)]
    pub ethnicity: Option<String>,
    /// Absent or "không" when none.
    pub religion: Option<String>,
    #[schema(max_length = 200)]
    pub hometown: Option<String>,
    #[schema(max_length = 200)]
    pub residence: Option<String>,
    /// At least 18 years after the birth date.
    #[schema(format = Date, pattern = r"^(19[0-9]{2}|20[01][0-9]|202[0-5])-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")]
    pub admitted_on: Option<String>,
    /// Not before `admitted_on`.
    #[schema(format = Date, pattern = r"^(19[0-9]{2}|20[01][0-9]|202[0-5])-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")]
    pub official_on: Option<String>,
    /// Unique; digits, unaccented letters, '-' and '.' (spaces ignored), at most 20.
    #[schema(pattern = r"^[A-Za-z0-9.-]{1,20}$")]
    pub card_number: Option<String>,
    /// Số CCCD (personal identification number): 12 digits, the first three a
    /// province code; unique (spaces, dots and dashes ignored). Empty to remove.
    #[schema(pattern = r"^[0-9]{12}$")]
    pub citizen_id: Option<String>,
    #[schema(max_length = 100)]
    pub education: Option<String>,
    #[schema(max_length = 100)]
    pub theory_level: Option<String>,
    #[schema(max_length = 100)]
    pub occupation: Option<String>,
    /// 9 to 15 digits, optionally after '+' (spaces, dots, dashes and brackets ignored).
    #[schema(pattern = r"^\+?[0-9]{9,15}$")]
    pub phone: Option<String>,
    #[schema(format = Email, max_length = 254)]
    pub email: Option<String>,
    /// Probationary, or official when `official_on` is given, when absent.
    #[schema(value_type = Option<MemberStatus>)]
    pub status: Option<String>,
    /// Why the status changes (required for exempt and exit statuses).
    pub status_reason: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn today() -> Date {
        date(2026, 11, 23)
    }

    fn draft() -> MemberDraft {
        MemberDraft {
            full_name: "  nguyễn   VĂN an ".into(),
            birth_date: "03/02/1980".into(),
            gender: "Nam".into(),
            admitted_on: "19/05/2005".into(),
            official_on: "19/05/2006".into(),
            card_number: " 12 345 678 ".into(),
            citizen_id: "079 085 001 234".into(),
            phone: "0912 345 678".into(),
            email: "An@Example.VN".into(),
            religion: "không".into(),
            ..Default::default()
        }
    }

    #[test]
    fn messy_input_is_normalized() {
        let m = draft().parse(today()).unwrap();
        assert_eq!(m.full_name, "Nguyễn Văn An");
        assert_eq!(m.birth_date, Some(date(1980, 2, 3)));
        assert_eq!(m.gender, Gender::Male);
        assert_eq!(m.ethnicity, "Kinh");
        assert_eq!(m.religion, "");
        assert_eq!(m.card_number.as_deref(), Some("12345678"));
        assert_eq!(
            m.citizen_id.as_ref().map(CitizenId::as_str),
            Some("079085001234")
        );
        assert_eq!(m.phone, "0912345678");
        assert_eq!(m.email, "an@example.vn");
        assert_eq!(
            m.status,
            MemberStatus::Official,
            "official date given → official"
        );
    }

    #[test]
    fn every_problem_is_reported_with_its_field() {
        let d = MemberDraft {
            full_name: "An".into(),
            birth_date: "31/02/1980".into(),
            gender: "x".into(),
            admitted_on: "01/01/2030".into(),
            phone: "12ab".into(),
            email: "nope".into(),
            status: "vip".into(),
            citizen_id: "12345".into(),
            ..Default::default()
        };
        let errs = d.parse(today()).unwrap_err();
        let msgs: Vec<String> = errs.iter().map(ToString::to_string).collect();
        assert!(
            msgs.contains(&"Họ và tên: phải có cả họ và tên".to_string()),
            "{msgs:?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("Ngày sinh: \"31/02/1980\" không đúng định dạng")),
            "{msgs:?}"
        );
        assert!(msgs.contains(&"Ngày vào Đảng: không được sau ngày hôm nay".to_string()));
        assert!(msgs.iter().any(|m| m.starts_with("Giới tính:")));
        assert!(msgs.iter().any(|m| m.starts_with("Điện thoại:")));
        assert!(msgs.iter().any(|m| m.starts_with("Email:")));
        assert!(msgs.iter().any(|m| m.starts_with("Trạng thái:")));
        assert!(msgs.iter().any(|m| m.starts_with("Số CCCD:")));
        assert_eq!(errs.len(), 8);
    }

    #[test]
    fn admission_rules() {
        let mut d = draft();
        d.official_on = "01/01/2004".into();
        let errs = d.parse(today()).unwrap_err();
        assert_eq!(errs[0].field, "official_on");
        let mut d = draft();
        d.birth_date = "01/01/1990".into();
        d.admitted_on = "01/06/2007".into();
        d.official_on = String::new();
        let errs = d.parse(today()).unwrap_err();
        assert_eq!(
            errs[0].to_string(),
            "Ngày vào Đảng: đảng viên phải đủ 18 tuổi khi vào Đảng"
        );
    }

    #[test]
    fn draft_round_trips() {
        let m = draft().parse(today()).unwrap();
        assert_eq!(m.to_draft().parse(today()).unwrap(), m);
    }

    #[test]
    fn patch_overlays_only_given_fields() {
        let mut d = draft();
        d.overlay(&MemberPatch {
            phone: Some("0987654321".into()),
            ..Default::default()
        });
        assert_eq!(d.phone, "0987654321");
        assert_eq!(d.full_name, draft().full_name);
    }
}
