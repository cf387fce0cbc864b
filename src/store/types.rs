//! sqlx encodings for domain types, on both backends.

use crate::domain::ids::{MemberId, OrgId, RecommendationId, UserId};
use sqlx::{Decode, Encode, Postgres, Sqlite, Type};

pub use jiff_sqlx::Date as Day;
pub use jiff_sqlx::Timestamp as Instant;

macro_rules! id_sql {
    ($($t:ty),*) => {$(
        impl Type<Sqlite> for $t {
            fn type_info() -> <Sqlite as sqlx::Database>::TypeInfo { <i64 as Type<Sqlite>>::type_info() }
            fn compatible(ty: &<Sqlite as sqlx::Database>::TypeInfo) -> bool { <i64 as Type<Sqlite>>::compatible(ty) }
        }
        impl Type<Postgres> for $t {
            fn type_info() -> <Postgres as sqlx::Database>::TypeInfo { <i64 as Type<Postgres>>::type_info() }
        }
        impl<'q> Encode<'q, Sqlite> for $t {
            fn encode_by_ref(&self, buf: &mut <Sqlite as sqlx::Database>::ArgumentBuffer<'q>)
                -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <i64 as Encode<Sqlite>>::encode_by_ref(&self.0, buf)
            }
        }
        impl<'q> Encode<'q, Postgres> for $t {
            fn encode_by_ref(&self, buf: &mut <Postgres as sqlx::Database>::ArgumentBuffer<'q>)
                -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <i64 as Encode<Postgres>>::encode_by_ref(&self.0, buf)
            }
        }
        impl<'r> Decode<'r, Sqlite> for $t {
            fn decode(v: <Sqlite as sqlx::Database>::ValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
                Ok(Self(<i64 as Decode<Sqlite>>::decode(v)?))
            }
        }
        impl<'r> Decode<'r, Postgres> for $t {
            fn decode(v: <Postgres as sqlx::Database>::ValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
                Ok(Self(<i64 as Decode<Postgres>>::decode(v)?))
            }
        }
    )*};
}

id_sql!(OrgId, MemberId, UserId, RecommendationId);

pub fn day(d: jiff::civil::Date) -> Day {
    jiff_sqlx::ToSqlx::to_sqlx(d)
}

pub fn instant(t: jiff::Timestamp) -> Instant {
    jiff_sqlx::ToSqlx::to_sqlx(t)
}
