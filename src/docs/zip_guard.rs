//! Opens an uploaded ZIP (XLSX, DOCX) under a memory budget set by the
//! upload's size, before any other reader sees it. calamine trusts what the
//! file says (a shared-string count it reserves memory for, sizes it inflates
//! into memory): a 2 KB file could make it ask for terabytes and abort the
//! process, which no `catch_unwind` can stop. So every entry is inflated here
//! first, through a counter that stops one byte past its declared size, and
//! every XML part is scanned for the counts calamine would believe
//! (`xml_scan`). Only an archive that passed is handed on.

use super::xml_scan::{self, XmlFacts};
use std::io::{BufReader, Cursor, Read};
use zip::ZipArchive;

/// Inflation allowed per byte uploaded. Office XML deflates 5–20 times,
/// rarely past 50; zip bombs inflate a thousand times and more.
pub const MAX_RATIO: u64 = 100;
/// A small file may inflate this much whatever its ratio: harmless.
pub const MIN_UNPACKED: u64 = 16 * 1024 * 1024;
/// Never more than this, whatever the upload (the server's memory is shared
/// by every request; a 100,000-member list inflates to about 60 MB).
pub const MAX_UNPACKED: u64 = 256 * 1024 * 1024;
/// An XLSX holds 10–20 parts, a DOCX with pictures a few hundred.
pub const MAX_ENTRIES: usize = 1000;

const MB: u64 = 1024 * 1024;

/// What an upload of a given size may cost once opened.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Budget {
    /// Bytes all entries may inflate to, together.
    pub unpacked: u64,
    pub max_entries: usize,
}

impl Budget {
    pub fn for_upload(len: usize) -> Budget {
        let len = u64::try_from(len).unwrap_or(u64::MAX);
        Budget {
            unpacked: len
                .saturating_mul(MAX_RATIO)
                .clamp(MIN_UNPACKED, MAX_UNPACKED),
            max_entries: MAX_ENTRIES,
        }
    }
}

/// What a checked archive holds, for the format's own rules.
#[derive(Debug, Default)]
pub struct Archive {
    /// Entry names, as written.
    pub names: Vec<String>,
    /// Bytes all entries inflate to (measured, not declared).
    pub unpacked: u64,
    /// Counts found in the XML parts.
    pub xml: XmlFacts,
}

fn mb(n: u64) -> String {
    format!("{:.1}", n as f64 / MB as f64).replace('.', ",")
}

/// Checks the whole archive; `Err` is a Vietnamese sentence starting "tệp".
/// `kind` names the format for the user ("Excel", "DOCX").
pub fn check(bytes: &[u8], budget: &Budget, kind: &str) -> Result<Archive, String> {
    // The zip crate's own words are English and name offsets: logged, not shown.
    let broken = |why: &dyn std::fmt::Display| {
        tracing::debug!(error = %why, "unreadable zip");
        format!("tệp {kind} hỏng, không mở được")
    };
    if !bytes.starts_with(b"PK\x03\x04") {
        return Err(broken(&"no local header"));
    }
    let mut zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| broken(&e))?;
    if zip.len() > budget.max_entries {
        return Err(format!(
            "tệp nén có {} phần, nhiều quá giới hạn {}",
            zip.len(),
            budget.max_entries
        ));
    }
    // Declared sizes first: a bomb is refused before anything is inflated.
    let mut declared_total = 0u64;
    for i in 0..zip.len() {
        let f = zip.by_index_raw(i).map_err(|e| broken(&e))?;
        if f.encrypted() {
            return Err("tệp có mật khẩu hoặc mã hóa: hãy lưu lại không đặt mật khẩu".into());
        }
        declared_total = declared_total.saturating_add(f.size());
    }
    let too_big = |n: u64| {
        format!(
            "tệp nén bung ra {} MB, quá giới hạn {} MB cho một tệp cỡ này (tỉ lệ nén bất thường)",
            mb(n),
            mb(budget.unpacked)
        )
    };
    if declared_total > budget.unpacked {
        return Err(too_big(declared_total));
    }
    let mut out = Archive::default();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).map_err(|e| broken(&e))?;
        let name = f.name().map_err(|e| broken(&e))?.into_owned();
        let declared = f.size();
        // One byte past the declared size is enough to catch a lying header.
        let mut counted = Counted {
            inner: (&mut f).take(declared.saturating_add(1)),
            read: 0,
        };
        // The zip crate refuses a stream longer than declared (an I/O error),
        // the counter one that ends short; either way the header lied.
        let lied = || {
            format!(
                "tệp {kind} hỏng: phần {name} khai báo {declared} byte nhưng không bung ra đúng như vậy"
            )
        };
        let mut reader = BufReader::new(&mut counted);
        let scanned = xml_scan::scan(&mut reader, &mut out.xml);
        // The scan stops at the first XML error; the rest is still counted.
        let copied = std::io::copy(&mut reader, &mut std::io::sink());
        drop(reader);
        if let Err(e) = copied {
            tracing::debug!(error = %e, "zip entry does not inflate as declared");
            return Err(lied());
        }
        scanned.map_err(|e| format!("tệp có phần {name} {e}"))?;
        if counted.read != declared {
            return Err(lied());
        }
        out.unpacked = out.unpacked.saturating_add(counted.read);
        if out.unpacked > budget.unpacked {
            return Err(too_big(out.unpacked));
        }
        out.names.push(name);
    }
    Ok(out)
}

/// A DOCX is stored, not read, but it is still inflated by whoever opens it:
/// the same budget, and the part every Word document has.
pub fn check_docx(bytes: &[u8]) -> Result<(), String> {
    let archive = check(bytes, &Budget::for_upload(bytes.len()), "DOCX")?;
    if !archive
        .names
        .iter()
        .any(|n| n.eq_ignore_ascii_case("word/document.xml"))
    {
        return Err("tệp DOCX hỏng: thiếu phần word/document.xml".into());
    }
    Ok(())
}

/// Counts what passes through, so a stream that ends early or runs long is seen.
struct Counted<R> {
    inner: R,
    read: u64,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data) in entries {
            w.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn budget_follows_the_upload_between_floor_and_ceiling() {
        assert_eq!(Budget::for_upload(2048).unpacked, MIN_UNPACKED);
        assert_eq!(Budget::for_upload(1024 * 1024).unpacked, 100 * MB);
        assert_eq!(Budget::for_upload(20 * 1024 * 1024).unpacked, MAX_UNPACKED);
    }

    #[test]
    fn bomb_is_refused_from_its_declared_size() {
        let zeros = vec![0u8; 17 * 1024 * 1024];
        let bytes = zip_of(&[("a.xml", &zeros)]);
        assert!(bytes.len() < 100 * 1024, "{}", bytes.len());
        let e = check(&bytes, &Budget::for_upload(bytes.len()), "Excel").unwrap_err();
        assert!(e.starts_with("tệp nén bung ra 17,0 MB"), "{e}");
    }

    #[test]
    fn lying_declared_size_is_caught() {
        let data = vec![b'a'; 5000];
        let mut bytes = zip_of(&[("a.txt", &data)]);
        // Uncompressed size in the central directory (offset 24 of the entry).
        let cd = bytes.windows(4).rposition(|w| w == b"PK\x01\x02").unwrap();
        let budget = Budget::for_upload(bytes.len());
        for lie in [10u32, 6000] {
            bytes[cd + 24..cd + 28].copy_from_slice(&lie.to_le_bytes());
            let e = check(&bytes, &budget, "Excel").unwrap_err();
            assert_eq!(
                e,
                format!(
                    "tệp Excel hỏng: phần a.txt khai báo {lie} byte nhưng không bung ra đúng như vậy"
                )
            );
        }
    }

    #[test]
    fn docx_needs_its_document_part() {
        let ok = zip_of(&[("word/document.xml", b"<w:document/>")]);
        assert_eq!(check_docx(&ok), Ok(()));
        let other = zip_of(&[("a.txt", b"x")]);
        assert!(
            check_docx(&other)
                .unwrap_err()
                .contains("word/document.xml")
        );
        assert_eq!(
            check_docx(b"PK\x03\x04junk").unwrap_err(),
            "tệp DOCX hỏng, không mở được"
        );
    }
}
