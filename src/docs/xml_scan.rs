//! Streams one XML part of an uploaded archive and records the counts a
//! reader would trust: calamine reserves memory for an `<sst uniqueCount>`
//! before reading one string, keeps every `<sheet>` of the workbook, and a
//! `<dimension ref>` tells the size of a sheet. The reader is configured as
//! calamine's, so both stop at the same XML error. Parts are recognized by
//! their elements, not their names: relationships may point anywhere.

use quick_xml::Reader;
use quick_xml::events::Event;
use std::io::BufRead;

/// Office XML nests a few levels (a Word table in a table, about twenty); a
/// thousand nested tags in a few bytes is an attack on whoever parses them.
pub const MAX_DEPTH: usize = 100;

/// Counts over all the XML parts of an archive.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct XmlFacts {
    /// `<si>` elements: each becomes one string in calamine's table.
    pub shared_strings: u64,
    /// `<sheet>` elements: the sheets a workbook lists.
    pub sheets: u64,
    /// The largest `<dimension ref>` (cells it spans, the text).
    pub largest_dimension: Option<(u64, String)>,
}

/// Scans one part; stops quietly at the first XML error (not XML, or broken:
/// the reader that comes next stops there too). `Err` ends a phrase that
/// starts with the part's name.
pub fn scan(input: &mut impl BufRead, facts: &mut XmlFacts) -> Result<(), String> {
    let mut xml = Reader::from_reader(input);
    let config = xml.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    let mut buf = Vec::new();
    let mut depth = 0usize;
    let mut declared_unique = 0u64;
    let mut strings = 0u64;
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(format!("lồng thẻ XML sâu quá {MAX_DEPTH} tầng"));
                }
                match e.local_name().as_ref() {
                    "si" => strings += 1,
                    "sheet" => facts.sheets += 1,
                    "sst" => {
                        declared_unique = declared_unique.max(unique_count(e.as_ref().as_bytes()))
                    }
                    "dimension" => {
                        if let Some(area) = dimension(&e)
                            && facts
                                .largest_dimension
                                .as_ref()
                                .is_none_or(|d| d.0 < area.0)
                        {
                            facts.largest_dimension = Some(area);
                        }
                    }
                    _ => {}
                }
            }
            Ok(Event::End(_)) => depth = depth.saturating_sub(1),
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
    facts.shared_strings += strings;
    // A count the part cannot hold is a lie told to make the reader reserve it.
    if declared_unique > strings {
        return Err(format!(
            "khai báo {declared_unique} chuỗi dùng chung nhưng chỉ chứa {strings}"
        ));
    }
    Ok(())
}

/// The largest `uniqueCount` written in the tag, found in its raw bytes so no
/// spelling a reader might accept is missed; a value that is not a plain
/// number counts as endless.
fn unique_count(tag: &[u8]) -> u64 {
    const KEY: &[u8] = b"uniqueCount";
    let mut most = 0u64;
    let mut at = 0;
    while let Some(i) = tag[at..].windows(KEY.len()).position(|w| w == KEY) {
        at += i + KEY.len();
        let rest = &tag[at..];
        let value = rest
            .iter()
            .position(|b| *b == b'"' || *b == b'\'')
            .and_then(|q| {
                let quote = rest[q];
                let v = &rest[q + 1..];
                v.iter().position(|b| *b == quote).map(|end| &v[..end])
            });
        let n = value
            .and_then(|v| std::str::from_utf8(v).ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .unwrap_or(u64::MAX);
        most = most.max(n);
    }
    most
}

/// Cells spanned by a `<dimension ref="A1:Q200">`, when it reads.
fn dimension(tag: &quick_xml::events::BytesStart<'_>) -> Option<(u64, String)> {
    let value = tag
        .attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == "ref")?
        .value;
    let text = value.to_string();
    let mut corners = text.split(':').map(cell_ref);
    let (r1, c1) = corners.next()??;
    let (r2, c2) = corners.next().unwrap_or(Some((r1, c1)))?;
    let rows = r1.abs_diff(r2) + 1;
    let cols = c1.abs_diff(c2) + 1;
    Some((rows.saturating_mul(cols), text))
}

/// `XFD1048576` → (1048576, 16384); `$` signs allowed.
fn cell_ref(s: &str) -> Option<(u64, u64)> {
    let s = s.trim().replace('$', "");
    let split = s.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = s.split_at(split);
    if letters.is_empty() || letters.len() > 3 || !letters.chars().all(|c| c.is_ascii_alphabetic())
    {
        return None;
    }
    let col = letters.bytes().fold(0u64, |n, b| {
        n * 26 + u64::from(b.to_ascii_uppercase() - b'A' + 1)
    });
    Some((digits.parse().ok()?, col))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(xml: &str) -> Result<XmlFacts, String> {
        let mut f = XmlFacts::default();
        scan(&mut xml.as_bytes(), &mut f).map(|()| f)
    }

    #[test]
    fn shared_string_count_must_match_the_strings() {
        let ok = r#"<sst count="3" uniqueCount="2"><si><t>a</t></si><si/></sst>"#;
        assert_eq!(facts(ok).unwrap().shared_strings, 2);
        let lie = r#"<sst uniqueCount="100000000000"><si><t>a</t></si></sst>"#;
        assert!(facts(lie).unwrap_err().contains("100000000000"));
        let odd = r#"<sst uniqueCount=" +7"><si/></sst>"#;
        assert!(facts(odd).is_err());
        let spaced = r#"<x:sst x:uniqueCount = '5'></x:sst>"#;
        assert!(facts(spaced).is_err());
    }

    #[test]
    fn dimensions_sheets_and_depth() {
        let f = facts(r#"<worksheet><dimension ref="A1:XFD1048576"/></worksheet>"#).unwrap();
        assert_eq!(
            f.largest_dimension,
            Some((1_048_576 * 16_384, "A1:XFD1048576".into()))
        );
        let f = facts(r#"<workbook><sheets><sheet/><sheet name="b"/></sheets></workbook>"#);
        assert_eq!(f.unwrap().sheets, 2);
        let deep = "<a>".repeat(MAX_DEPTH + 1);
        assert!(facts(&deep).unwrap_err().contains("sâu quá"));
        // Not XML at all: nothing to count, no error here.
        assert_eq!(facts("\u{89}PNG\r\n").unwrap(), XmlFacts::default());
    }
}
