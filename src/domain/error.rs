use std::borrow::Cow;
use std::fmt;

/// A rejected input value. `Display` is the Vietnamese message that names the
/// field, e.g. "Ngày sinh: không đúng định dạng dd/mm/yyyy".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    /// Stable field name used by the API (`birth_date`).
    pub field: &'static str,
    /// The field's Vietnamese label (`Ngày sinh`).
    pub label: &'static str,
    /// What is wrong, in Vietnamese.
    pub problem: Cow<'static, str>,
}

impl ValidationError {
    pub fn new(
        field: &'static str,
        label: &'static str,
        problem: impl Into<Cow<'static, str>>,
    ) -> Self {
        Self {
            field,
            label,
            problem: problem.into(),
        }
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.label, self.problem)
    }
}

impl std::error::Error for ValidationError {}
