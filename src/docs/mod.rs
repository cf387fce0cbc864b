//! Files in and out: spreadsheets read for import, XLSX written for export,
//! and the limits every uploaded archive is opened under (`zip_guard`).

pub mod classification_xlsx;
pub mod conclusion;
pub mod dashboard_xlsx;
pub mod docx;
pub mod ics;
pub mod indicators_xlsx;
pub mod letter;
pub mod meeting_doc;
pub mod meeting_html;
pub mod recommendation_xlsx;
pub mod scores_xlsx;
pub mod table;
pub mod table_limits;
pub mod xlsx;
pub mod xml_scan;
pub mod zip_guard;
