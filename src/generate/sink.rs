//! Where generated rows go: PostgreSQL `COPY … FROM STDIN (FORMAT csv)`
//! streamed in ~1 MB chunks, or SQLite multi-row INSERTs of about 200
//! parameters each (see `crate::store::rows_per_statement` for why not more).

use crate::store::types::{day, instant};
use jiff::Timestamp;
use jiff::civil::Date;
use sqlx::postgres::PgCopyIn;
use sqlx::{PgConnection, SqliteConnection};
use std::fmt::Write as _;

/// One value of a generated row.
#[derive(Debug, Clone)]
pub enum Val {
    I(i64),
    T(String),
    S(&'static str),
    D(Date),
    B(bool),
    Ts(Timestamp),
    Bytes(Vec<u8>),
    Null,
}

const PG_CHUNK: usize = 1 << 20;

pub enum Sink<'c> {
    Pg {
        copy: PgCopyIn<&'c mut PgConnection>,
        buf: String,
        rows: u64,
    },
    Sqlite {
        conn: &'c mut SqliteConnection,
        head: String,
        cols: usize,
        per_statement: usize,
        pending: Vec<Val>,
        rows: u64,
    },
}

impl<'c> Sink<'c> {
    /// `table` and `cols` as in `INSERT INTO table (cols)`.
    pub async fn postgres(
        conn: &'c mut PgConnection,
        table: &str,
        cols: &[&str],
    ) -> anyhow::Result<Sink<'c>> {
        let stmt = format!(
            "COPY {table} ({}) FROM STDIN WITH (FORMAT csv)",
            cols.join(", ")
        );
        let copy = conn.copy_in_raw(&stmt).await?;
        Ok(Sink::Pg {
            copy,
            buf: String::with_capacity(PG_CHUNK + 4096),
            rows: 0,
        })
    }

    pub fn sqlite(conn: &'c mut SqliteConnection, table: &str, cols: &[&str]) -> Sink<'c> {
        Sink::Sqlite {
            conn,
            head: format!("INSERT INTO {table} ({}) VALUES ", cols.join(", ")),
            cols: cols.len(),
            per_statement: (200 / cols.len().max(1)).max(1),
            pending: Vec::new(),
            rows: 0,
        }
    }

    pub async fn row(&mut self, vals: Vec<Val>) -> anyhow::Result<()> {
        match self {
            Sink::Pg { copy, buf, rows } => {
                csv_row(buf, &vals);
                *rows += 1;
                if buf.len() >= PG_CHUNK {
                    copy.send(buf.as_bytes()).await?;
                    buf.clear();
                }
            }
            Sink::Sqlite {
                conn,
                head,
                cols,
                per_statement,
                pending,
                rows,
            } => {
                *rows += 1;
                pending.extend(vals);
                if pending.len() >= *cols * *per_statement {
                    insert(conn, head, *cols, pending).await?;
                }
            }
        }
        Ok(())
    }

    /// Sends what is buffered and ends the COPY; returns the rows written.
    pub async fn finish(self) -> anyhow::Result<u64> {
        match self {
            Sink::Pg {
                mut copy,
                buf,
                rows,
            } => {
                if !buf.is_empty() {
                    copy.send(buf.as_bytes()).await?;
                }
                copy.finish().await?;
                Ok(rows)
            }
            Sink::Sqlite {
                conn,
                head,
                cols,
                mut pending,
                rows,
                ..
            } => {
                if !pending.is_empty() {
                    insert(conn, &head, cols, &mut pending).await?;
                }
                Ok(rows)
            }
        }
    }
}

async fn insert(
    conn: &mut SqliteConnection,
    head: &str,
    cols: usize,
    pending: &mut Vec<Val>,
) -> anyhow::Result<()> {
    let n = pending.len() / cols.max(1);
    let mut sql = String::with_capacity(head.len() + n * cols * 6);
    sql.push_str(head);
    let mut k = 1;
    for r in 0..n {
        if r > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for c in 0..cols {
            if c > 0 {
                sql.push_str(", ");
            }
            let _ = write!(sql, "${k}");
            k += 1;
        }
        sql.push(')');
    }
    let mut q = sqlx::query(&sql);
    for v in pending.drain(..) {
        q = match v {
            Val::I(i) => q.bind(i),
            Val::T(s) => q.bind(s),
            Val::S(s) => q.bind(s),
            Val::D(d) => q.bind(day(d)),
            Val::B(b) => q.bind(b),
            Val::Ts(t) => q.bind(instant(t)),
            Val::Bytes(b) => q.bind(b),
            Val::Null => q.bind(None::<i64>),
        };
    }
    q.execute(&mut *conn).await?;
    Ok(())
}

/// One CSV line for COPY: text always quoted (an unquoted empty field is
/// NULL), bytea as `\x` hex, booleans `t`/`f`.
pub fn csv_row(buf: &mut String, vals: &[Val]) {
    for (i, v) in vals.iter().enumerate() {
        if i > 0 {
            buf.push(',');
        }
        match v {
            Val::I(n) => {
                let _ = write!(buf, "{n}");
            }
            Val::T(s) => quote(buf, s),
            Val::S(s) => quote(buf, s),
            Val::D(d) => {
                let _ = write!(buf, "{d}");
            }
            Val::B(b) => buf.push(if *b { 't' } else { 'f' }),
            Val::Ts(t) => {
                let _ = write!(buf, "{t}");
            }
            Val::Bytes(b) => {
                buf.push_str("\\x");
                for byte in b {
                    let _ = write!(buf, "{byte:02x}");
                }
            }
            Val::Null => {}
        }
    }
    buf.push('\n');
}

fn quote(buf: &mut String, s: &str) {
    buf.push('"');
    for c in s.chars() {
        if c == '"' {
            buf.push('"');
        }
        buf.push(c);
    }
    buf.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn csv_quotes_text_and_hexes_bytes() {
        let mut s = String::new();
        csv_row(
            &mut s,
            &[
                Val::I(7),
                Val::S("a\"b,c"),
                Val::T(String::new()),
                Val::Null,
                Val::D(date(2025, 7, 1)),
                Val::B(true),
                Val::Bytes(vec![0, 0xab]),
            ],
        );
        assert_eq!(s, "7,\"a\"\"b,c\",\"\",,2025-07-01,t,\\x00ab\n");
    }
}
