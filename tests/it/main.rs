//! Integration tests: every test runs on SQLite and on PostgreSQL.

mod support;

mod api_members;
mod api_orgs;
mod authz;
mod backup;
mod demo;
mod durability;
mod import_export;
mod meetings;
mod pages;
mod scale_out;
mod schema;
