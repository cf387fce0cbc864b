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

/// Rows parsed from [`array_agg`]'s text: each row a JSON array whose values
/// fill the struct's fields in declaration order.
pub fn parse<T: DeserializeOwned>(text: &str) -> super::Result<Vec<T>> {
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
