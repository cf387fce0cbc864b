//! chibo: the Vietnamese party-cell meeting cycle (sinh hoạt chi bộ), end to end.

pub mod app;
pub mod backup;
pub mod cli;
pub mod config;
pub mod demo;
pub mod docs;
pub mod domain;
pub mod generate;
pub mod mail;
pub mod service;
pub mod store;
pub mod web;
