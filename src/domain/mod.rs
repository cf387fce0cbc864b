//! Pure rules of chibo: no database, web, files or clock. Everything here is
//! plain data and functions, unit-tested beside the code.

pub mod authz;
pub mod document;
pub mod error;
pub mod ids;
pub mod meeting;
pub mod member;
pub mod org;
pub mod place;
pub mod rules;
pub mod schedule;
pub mod status;
pub mod text;
pub mod throttle;
pub mod time;

pub use error::ValidationError;
