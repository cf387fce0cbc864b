//! Integration tests: every test runs on SQLite and on PostgreSQL.

// A failing test panics: expect() is the point here, not a shortcut.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod support;

mod accounts;
mod api_members;
mod api_orgs;
mod authz;
mod backup;
mod caller_cache;
mod classification;
mod cold_start;
mod conclusion;
mod cycle;
mod dashboard;
mod dashboard_cache;
mod demo;
mod display;
mod documents;
mod durability;
mod followers;
mod fuzz_inputs;
mod generated_accounts;
mod guard;
mod hardening;
mod home_cache;
mod hostile_files;
mod idle_connections;
mod import_export;
mod indicators;
mod inspections;
mod login_throttle;
mod meeting_page;
mod meetings;
mod member_list_cache;
mod member_lists;
mod node_memo;
mod offline;
mod operations;
mod outbox;
mod pages;
mod pick_by_name;
mod posts;
mod quality;
mod recommendations;
mod rollups;
mod rubric_editor;
mod rule_fidelity;
mod scale_out;
mod schema;
mod sessions;
mod signals;
mod supervision;
mod upload_limits;
mod urgent;
