//! Pure rules of chibo: no database, web, files or clock. Everything here is
//! plain data and functions, unit-tested beside the code.

pub mod agenda;
pub mod authz;
pub mod citizen_id;
pub mod classification;
pub mod conclusion;
pub mod dashboard;
pub mod day_policy;
pub mod display;
pub mod document;
pub mod error;
pub mod follow;
pub mod ids;
pub mod indicator;
pub mod inspection;
pub mod meeting;
pub mod member;
pub mod member_list;
pub mod org;
pub mod outbox;
pub mod participation;
pub mod person_name;
pub mod place;
pub mod post;
pub mod preparation;
pub mod recommendation;
pub mod rubric;
pub mod rules;
pub mod schedule;
pub mod signal;
pub mod status;
pub mod supervision;
pub mod text;
pub mod throttle;
pub mod time;
pub mod urgent;

pub use error::ValidationError;
