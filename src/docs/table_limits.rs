//! How much a table read from an upload may hold, set by the upload's size,
//! so a small hostile file cannot make the reader take more memory than a
//! large honest one. The figures fit a 100,000-member list of 20 columns
//! (about 8 MB as XLSX, 15 MB as CSV) with room to spare.

use super::xml_scan::XmlFacts;
use super::zip_guard::Budget;

/// Largest upload accepted (bytes): the import page and the API say so.
pub const MAX_BYTES: usize = 20 * 1024 * 1024;

/// Most cells read from a sheet, counting the empty ones that pad each row
/// to its last value (100,000 members of 50 columns fit twice over).
pub const MAX_CELLS: usize = 10_000_000;
/// Cells any upload may hold, however small: a million cells cost about
/// 60 MB, which the server can afford for one request.
pub const MIN_CELLS: usize = 1_000_000;
/// Excel's own limit for one cell.
pub const MAX_CELL_CHARS: usize = 32_767;
/// Excel sets no number; real workbooks have a handful of sheets.
pub const MAX_SHEETS: u64 = 1000;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Cells, empty padding included.
    pub cells: usize,
    /// Bytes of text taken out of cells, together: a long shared string
    /// referenced from many cells is copied once per cell.
    pub text: u64,
    /// Strings in the shared-string table (calamine holds them all).
    pub shared_strings: u64,
}

impl Limits {
    pub fn for_upload(len: usize) -> Limits {
        // A cell costs at least two bytes of an honest upload (a value and
        // a separator); in memory it costs some 50.
        let cells = (len / 2).clamp(MIN_CELLS, MAX_CELLS);
        Limits {
            cells,
            text: Budget::for_upload(len).unpacked,
            shared_strings: cells as u64,
        }
    }

    fn mb(&self) -> u64 {
        self.text / 1024 / 1024
    }
}

/// The counts an XLSX declares, against the limits, before calamine reads it.
pub fn check_xlsx(facts: &XmlFacts, limits: &Limits) -> Result<(), String> {
    if facts.shared_strings > limits.shared_strings {
        return Err(format!(
            "tệp Excel có {} chuỗi dùng chung, nhiều quá giới hạn {}",
            facts.shared_strings, limits.shared_strings
        ));
    }
    if facts.sheets > MAX_SHEETS {
        return Err(format!(
            "tệp Excel có {} trang tính, nhiều quá giới hạn {MAX_SHEETS}",
            facts.sheets
        ));
    }
    if let Some((area, text)) = &facts.largest_dimension
        && *area > limits.cells as u64
    {
        return Err(format!(
            "tệp Excel khai báo vùng {text}, hơn {} ô là giới hạn",
            limits.cells
        ));
    }
    Ok(())
}

/// Counts cells and text as they are read.
#[derive(Debug)]
pub struct Tally {
    limits: Limits,
    cells: usize,
    text: u64,
}

impl Tally {
    pub fn new(limits: Limits) -> Tally {
        Tally {
            limits,
            cells: 0,
            text: 0,
        }
    }

    /// One more cell holding `text`; `row` is as a spreadsheet shows it.
    /// Checked before the text is copied.
    pub fn cell(&mut self, row: usize, text: &str) -> Result<(), String> {
        self.cells += 1;
        if self.cells > self.limits.cells {
            return Err(self.too_many_cells());
        }
        // Bytes first: no count of characters for the short cells.
        if text.len() > MAX_CELL_CHARS && text.chars().count() > MAX_CELL_CHARS {
            return Err(format!(
                "dòng {row}: một ô dài quá {} ký tự (giới hạn của Excel)",
                thousands(MAX_CELL_CHARS)
            ));
        }
        self.text += text.len() as u64;
        if self.text > self.limits.text {
            return Err(format!(
                "tệp có hơn {} MB chữ trong các ô, quá giới hạn cho một tệp cỡ này",
                self.limits.mb()
            ));
        }
        Ok(())
    }

    /// Cells added by padding rows to the same width.
    pub fn padded(&self, cells: usize) -> Result<(), String> {
        if cells > self.limits.cells {
            return Err(self.too_many_cells());
        }
        Ok(())
    }

    fn too_many_cells(&self) -> String {
        format!("tệp lớn quá: hơn {} ô", thousands(self.limits.cells))
    }
}

/// 32767 → "32.767", as Vietnamese writes it.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_grow_with_the_upload() {
        let small = Limits::for_upload(2048);
        assert_eq!(small.cells, MIN_CELLS);
        assert_eq!(small.text, 16 * 1024 * 1024);
        assert_eq!(Limits::for_upload(MAX_BYTES).cells, MAX_CELLS);
    }

    #[test]
    fn tally_refuses_long_cells_and_too_much_text() {
        let mut t = Tally::new(Limits {
            cells: 3,
            text: 10,
            shared_strings: 1,
        });
        assert_eq!(t.cell(2, "abcd"), Ok(()));
        assert!(t.cell(3, "abcdefg").unwrap_err().contains("MB chữ"));
        let mut t = Tally::new(Limits::for_upload(0));
        let long = "ư".repeat(MAX_CELL_CHARS + 1);
        assert_eq!(
            t.cell(7, &long).unwrap_err(),
            "dòng 7: một ô dài quá 32.767 ký tự (giới hạn của Excel)"
        );
        assert_eq!(t.cell(8, &"ư".repeat(MAX_CELL_CHARS)), Ok(()));
        assert!(t.padded(MIN_CELLS + 1).unwrap_err().contains("1.000.000 ô"));
    }
}
