//! Many rows read as one: the database folds a list into a JSON array of
//! arrays, one value per column, and the store parses it with serde.
//!
//! Why: sqlx runs each SQLite connection on a thread of its own and hands
//! every row across a channel, waking the request's task each time. A
//! 200-member list cost about 10 µs a row that way (docs/benchmarks.md,
//! "Member lists"); one JSON row costs one hand-over. PostgreSQL gets the
//! same shape so both backends share one decoder.

use super::Db;
use serde::de::DeserializeOwned;

/// An expression aggregating `columns` (a comma-separated list) of the rows
/// in scope into one JSON text, in `order`; `'[]'` when there are none.
pub fn array_agg(db: &Db, columns: &str, order: &str) -> String {
    match db {
        Db::Sqlite(_) => format!("json_group_array(json_array({columns}) ORDER BY {order})"),
        Db::Postgres(_) => format!(
            "CAST(COALESCE(json_agg(json_build_array({columns}) ORDER BY {order}), '[]') AS TEXT)"
        ),
    }
}

/// A list query kept in parts, so that the same text runs alone (`select`,
/// rows decoded by sqlx) or inside a larger statement as one JSON text
/// (`json`, rows parsed by serde): the meeting page reads its twenty lists in
/// one statement that way (`store::meeting_page`).
pub struct Part {
    /// A `WITH` clause the query needs, or empty.
    pub with: String,
    /// The select list; aliases (`expr AS name`) serve sqlx and are dropped
    /// for JSON, whose rows fill the struct's fields in this order.
    pub columns: String,
    /// `FROM … WHERE …`.
    pub from: String,
    pub order: String,
}

impl Part {
    /// The rows as a query of their own.
    pub fn select(&self) -> String {
        format!(
            "{} SELECT {} {} ORDER BY {}",
            self.with, self.columns, self.from, self.order
        )
    }

    /// A scalar subquery returning the rows as [`array_agg`]'s JSON text,
    /// with the part's placeholders `$1`, `$2`… renamed to `args` (the
    /// enclosing statement's numbering).
    pub fn json(&self, db: &Db, args: &[&str]) -> String {
        let agg = array_agg(db, &values(&self.columns), &self.order);
        renumber(&format!("({} SELECT {agg} {})", self.with, self.from), args)
    }
}

/// The rows of `part`, whose one placeholder `$1` is `id`, read as one JSON
/// text.
pub async fn rows_of<T: DeserializeOwned>(db: &Db, part: &Part, id: i64) -> super::Result<Vec<T>> {
    let sql = format!("SELECT {}", part.json(db, &["$1"]));
    let text: String = crate::on_db!(db, |p| sqlx::query_scalar(&sql).bind(id).fetch_one(p).await)?;
    parse(&text)
}

/// An expression giving one row of `columns` as a JSON array text.
pub fn row(db: &Db, columns: &str) -> String {
    match db {
        Db::Sqlite(_) => format!("json_array({})", values(columns)),
        Db::Postgres(_) => format!("CAST(json_build_array({}) AS TEXT)", values(columns)),
    }
}

/// A select list without its aliases: `a.x, f(b, c) AS y` → `a.x, f(b, c)`.
/// Only an `AS` outside parentheses names a column (`CAST(x AS BIGINT)` stays).
pub fn values(columns: &str) -> String {
    let mut out = Vec::new();
    let (mut depth, mut quoted, mut start) = (0i32, false, 0usize);
    let mut items = Vec::new();
    for (i, ch) in columns.char_indices() {
        match ch {
            '\'' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => depth -= 1,
            ',' if !quoted && depth == 0 => {
                items.push(&columns[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&columns[start..]);
    for item in items {
        out.push(strip_alias(item.trim()));
    }
    out.join(", ")
}

/// `item` without a trailing ` AS name` written outside parentheses.
fn strip_alias(item: &str) -> &str {
    let Some(at) = item.rfind(|c: char| c.is_whitespace()) else {
        return item;
    };
    let (head, name) = (item[..at].trim_end(), &item[at + 1..]);
    let named = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    match head.len().checked_sub(2).map(|k| (k, &head[k..])) {
        Some((k, kw)) if named && kw.eq_ignore_ascii_case("as") && outside(&head[..k]) => {
            head[..k].trim_end()
        }
        _ => item,
    }
}

/// Whether the end of `s` is outside every parenthesis and quote.
fn outside(s: &str) -> bool {
    let (mut depth, mut quoted) = (0i32, false);
    for ch in s.chars() {
        match ch {
            '\'' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => depth -= 1,
            _ => {}
        }
    }
    depth == 0 && !quoted && s.ends_with(|c: char| c.is_whitespace() || c == ')')
}

/// `sql` with each placeholder `$n` replaced by `args[n - 1]`.
pub fn renumber(sql: &str, args: &[&str]) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let digits = rest[at + 1..]
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len() - at - 1);
        let n: Option<usize> = rest[at + 1..at + 1 + digits].parse().ok();
        match n.and_then(|n| n.checked_sub(1)).and_then(|i| args.get(i)) {
            Some(a) => out.push_str(a),
            None => out.push_str(&rest[at..at + 1 + digits]),
        }
        rest = &rest[at + 1 + digits..];
    }
    out.push_str(rest);
    out
}

/// Rows parsed from [`array_agg`]'s text: each row a JSON array whose values
/// fill the struct's fields in declaration order.
pub fn parse<T: DeserializeOwned>(text: &str) -> super::Result<Vec<T>> {
    serde_json::from_str(text).map_err(|e| super::StoreError::Db(sqlx::Error::Decode(Box::new(e))))
}

/// One value parsed from JSON text ([`row`]'s, or a list's).
pub fn parse_value<T: DeserializeOwned>(text: &str) -> super::Result<T> {
    serde_json::from_str(text).map_err(|e| super::StoreError::Db(sqlx::Error::Decode(Box::new(e))))
}

/// `Option<jiff_sqlx::Date>` from a JSON `"YYYY-MM-DD"` or null (both
/// backends write dates that way).
pub mod opt_day {
    use super::super::types::{Day, day};
    use serde::{Deserialize, Deserializer};

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Day>, D::Error> {
        Ok(Option::<jiff::civil::Date>::deserialize(d)?.map(day))
    }
}

/// `jiff_sqlx::Date` from a JSON `"YYYY-MM-DD"`.
pub mod day {
    use super::super::types::{Day, day};
    use serde::{Deserialize, Deserializer};

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Day, D::Error> {
        Ok(day(jiff::civil::Date::deserialize(d)?))
    }
}

/// `jiff_sqlx::Timestamp` from RFC 3339 text: SQLite holds it so, and
/// PostgreSQL writes a `timestamptz` so in JSON (with its session's offset).
pub mod instant {
    use super::super::types::{Instant, instant};
    use serde::{Deserialize, Deserializer};

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Instant, D::Error> {
        Ok(instant(jiff::Timestamp::deserialize(d)?))
    }
}

/// `Option<jiff_sqlx::Timestamp>`, as [`instant`] or null.
pub mod opt_instant {
    use super::super::types::{Instant, instant};
    use serde::{Deserialize, Deserializer};

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Instant>, D::Error> {
        Ok(Option::<jiff::Timestamp>::deserialize(d)?.map(instant))
    }
}

/// A JSON boolean, or SQLite's 0/1 (its booleans are integers).
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum Flag {
    Bool(bool),
    Int(i64),
}

impl From<Flag> for bool {
    fn from(f: Flag) -> bool {
        match f {
            Flag::Bool(b) => b,
            Flag::Int(i) => i != 0,
        }
    }
}

/// `bool` from [`Flag`].
pub mod flag {
    use serde::{Deserialize, Deserializer};

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
        Ok(super::Flag::deserialize(d)?.into())
    }
}

/// `Option<bool>` from [`Flag`] or null.
pub mod opt_flag {
    use serde::{Deserialize, Deserializer};

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
        Ok(Option::<super::Flag>::deserialize(d)?.map(bool::from))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_drop_only_column_aliases() {
        assert_eq!(
            values(
                "a.x, m.full_name AS presenter, CAST(y AS BIGINT), \
                    COALESCE((SELECT k.p FROM k WHERE k.a = 1 LIMIT 1), '') AS position, \
                    EXISTS (SELECT 1 FROM n) AS opened, 'a, b AS c' AS t"
            ),
            "a.x, m.full_name, CAST(y AS BIGINT), \
             COALESCE((SELECT k.p FROM k WHERE k.a = 1 LIMIT 1), ''), EXISTS (SELECT 1 FROM n), 'a, b AS c'"
        );
    }

    #[test]
    fn renumber_maps_each_placeholder_once() {
        assert_eq!(
            renumber(
                "a = $1 AND b <= $2 AND c > $2 AND d = $10 AND e = '$'",
                &["$3", "$1"]
            ),
            "a = $3 AND b <= $1 AND c > $1 AND d = $10 AND e = '$'"
        );
    }

    #[test]
    fn flags_read_both_backends() {
        #[derive(serde::Deserialize)]
        struct R {
            #[serde(deserialize_with = "flag::deserialize")]
            on: bool,
            #[serde(deserialize_with = "opt_flag::deserialize")]
            maybe: Option<bool>,
        }
        let rows: Vec<R> = parse("[[true, null], [0, 1], [1, false], [false, 0]]").unwrap();
        let got: Vec<(bool, Option<bool>)> = rows.iter().map(|r| (r.on, r.maybe)).collect();
        assert_eq!(
            got,
            [
                (true, None),
                (false, Some(true)),
                (true, Some(false)),
                (false, Some(false))
            ]
        );
        assert!(parse::<R>("[[\"yes\", null]]").is_err());
    }
}
