//! Files in and out: spreadsheets read for import, XLSX written for export.

pub mod table;
pub mod xlsx;
