//! One field of a PATCH body: left as it is, cleared, or set.
//!
//! On the wire an absent key leaves the field alone, `null` clears it and a value sets it. A
//! plain `Option<T>` cannot tell the first two apart, so every patch field of an optional value
//! is a [`Patch`], declared with `#[serde(default, skip_serializing_if = "Patch::is_absent")]`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Patch<T> {
    /// The key was not sent: keep the current value.
    #[default]
    Absent,
    /// `null`: clear the value.
    Clear,
    /// A new value.
    Set(T),
}

impl<T> Patch<T> {
    pub fn is_absent(&self) -> bool {
        matches!(self, Patch::Absent)
    }

    /// The value after the change, given the current one.
    pub fn apply(self, current: Option<T>) -> Option<T> {
        match self {
            Patch::Absent => current,
            Patch::Clear => None,
            Patch::Set(value) => Some(value),
        }
    }

    /// Like [`Patch::apply`], for a current value held by reference.
    pub fn apply_ref(&self, current: Option<&T>) -> Option<T>
    where
        T: Clone,
    {
        match self {
            Patch::Absent => current.cloned(),
            Patch::Clear => None,
            Patch::Set(value) => Some(value.clone()),
        }
    }

    /// A change from an edited form value: `None` clears, `Some` sets.
    pub fn from_value(value: Option<T>) -> Self {
        match value {
            Some(value) => Patch::Set(value),
            None => Patch::Clear,
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Patch<T> {
    /// Only called when the key is present (absent keys take `Default`).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Patch::from_value(Option::<T>::deserialize(deserializer)?))
    }
}

impl<T: Serialize> Serialize for Patch<T> {
    /// `Absent` is skipped by the field's `skip_serializing_if`; on its own it writes `null`.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Patch::Set(value) => value.serialize(serializer),
            Patch::Absent | Patch::Clear => serializer.serialize_none(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
    struct Sample {
        #[serde(default, skip_serializing_if = "Patch::is_absent")]
        note: Patch<String>,
    }

    #[test]
    fn absent_null_and_a_value_are_three_things() {
        let read = |json: &str| serde_json::from_str::<Sample>(json).unwrap().note;
        assert_eq!(read("{}"), Patch::Absent);
        assert_eq!(read(r#"{"note": null}"#), Patch::Clear);
        assert_eq!(read(r#"{"note": "hi"}"#), Patch::Set("hi".to_owned()));
    }

    #[test]
    fn it_writes_back_as_it_was_read() {
        for json in ["{}", r#"{"note":null}"#, r#"{"note":"hi"}"#] {
            let sample: Sample = serde_json::from_str(json).unwrap();
            assert_eq!(serde_json::to_string(&sample).unwrap(), json);
        }
    }

    #[test]
    fn apply_keeps_clears_or_sets() {
        let current = Some("old".to_owned());
        assert_eq!(Patch::Absent.apply(current.clone()), current);
        assert_eq!(Patch::<String>::Clear.apply(current.clone()), None);
        assert_eq!(
            Patch::Set("new".to_owned()).apply(current),
            Some("new".into())
        );
    }
}
