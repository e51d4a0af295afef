//! String-backed enum columns. A column of type `Stored<T>` holds `T`'s API name (`"active"`,
//! `"zh-CN"`) and reads back as `T`: a value that is not one of `T`'s names is a read error,
//! never a silent default.
//!
//! The enums live in `shared`, which knows nothing of databases; this one generic newtype gives
//! them sea-orm's value traits (the orphan rule keeps `shared`'s types from getting them here
//! directly).

use std::sync::Arc;

use sea_orm::sea_query::{ArrayType, ColumnType, Nullable, StringLen, ValueType, ValueTypeErr};
use sea_orm::{ColIdx, DbErr, QueryResult, TryGetError, TryGetable, Value};

/// A `shared` enum stored by its name.
pub trait StoredName: Sized + Copy + std::fmt::Debug + PartialEq + Send + Sync + 'static {
    const TYPE: &'static str;
    fn as_str(self) -> &'static str;
    fn parse(value: &str) -> Option<Self>;
}

macro_rules! stored_name {
    ($($ty:ty),* $(,)?) => {$(
        impl StoredName for $ty {
            const TYPE: &'static str = stringify!($ty);
            fn as_str(self) -> &'static str {
                <$ty>::as_str(self)
            }
            fn parse(value: &str) -> Option<Self> {
                <$ty>::parse(value)
            }
        }
    )*};
}

stored_name!(
    shared::partner::PartnerStatus,
    shared::activity::ActivityKind,
    shared::auth::Role,
    shared::auth::Language,
);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stored<T>(pub T);

#[derive(Debug)]
struct UnknownName(String, &'static str);

impl std::fmt::Display for UnknownName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "`{}` is not a stored {}", self.0, self.1)
    }
}

impl std::error::Error for UnknownName {}

impl<T: StoredName> From<Stored<T>> for Value {
    fn from(value: Stored<T>) -> Self {
        Value::String(Some(value.0.as_str().to_owned()))
    }
}

impl<T: StoredName> TryGetable for Stored<T> {
    fn try_get_by<I: ColIdx>(res: &QueryResult, index: I) -> Result<Self, TryGetError> {
        let text = String::try_get_by(res, index)?;
        T::parse(&text).map(Stored).ok_or_else(|| {
            TryGetError::DbErr(DbErr::TryIntoErr {
                from: "String",
                into: T::TYPE,
                source: Arc::new(UnknownName(text, T::TYPE)),
            })
        })
    }
}

impl<T: StoredName> ValueType for Stored<T> {
    fn try_from(value: Value) -> Result<Self, ValueTypeErr> {
        let text = <String as ValueType>::try_from(value)?;
        T::parse(&text).map(Stored).ok_or(ValueTypeErr)
    }

    fn type_name() -> String {
        T::TYPE.to_owned()
    }

    fn array_type() -> ArrayType {
        ArrayType::String
    }

    fn column_type() -> ColumnType {
        ColumnType::String(StringLen::None)
    }
}

impl<T: StoredName> Nullable for Stored<T> {
    fn null() -> Value {
        Value::String(None)
    }
}

impl<T: StoredName> sea_orm::IntoActiveValue<Stored<T>> for Stored<T> {
    fn into_active_value(self) -> sea_orm::ActiveValue<Stored<T>> {
        sea_orm::ActiveValue::Set(self)
    }
}

#[cfg(test)]
mod tests {
    use shared::partner::PartnerStatus;

    use super::*;

    #[test]
    fn names_round_trip_and_strangers_are_refused() {
        let value: Value = Stored(PartnerStatus::Lapsed).into();
        assert_eq!(value, Value::String(Some("lapsed".into())));
        let back = <Stored<PartnerStatus> as ValueType>::try_from(value).unwrap();
        assert_eq!(back.0, PartnerStatus::Lapsed);
        assert!(
            <Stored<PartnerStatus> as ValueType>::try_from(Value::String(Some("asleep".into())))
                .is_err()
        );
    }
}
