//! Quality evaluation: rubric versions, meeting assessments and the
//! monthly scores of base organizations (docs/rules.md "Meeting quality
//! levels", "Local rubric example", "Kim Sơn monthly scoring").

pub mod meeting;
pub mod monthly;
pub mod rubric;
