//! Files in and out: spreadsheets read for import, XLSX written for export.

pub mod docx;
pub mod ics;
pub mod meeting_doc;
pub mod table;
pub mod xlsx;
