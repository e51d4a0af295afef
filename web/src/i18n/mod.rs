//! English and 中文 for every piece of UI text, one table per area (`common`, `staff`,
//! `partners`, `contacts`, `activities`; the next areas add theirs).

use leptos::prelude::*;
use shared::auth::Language;

/// A table of UI texts: each key carries both languages, so a missing translation is a compile
/// error, not a blank on screen.
pub trait Text: Copy {
    fn text(self, language: Language) -> &'static str;
}

/// Any table's key, for components that show a text from whichever area uses them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextKey {
    en: &'static str,
    zh: &'static str,
}

impl<K: Text> From<K> for TextKey {
    fn from(key: K) -> Self {
        TextKey {
            en: key.text(Language::En),
            zh: key.text(Language::ZhCn),
        }
    }
}

impl TextKey {
    pub fn text(self, language: Language) -> &'static str {
        match language {
            Language::En => self.en,
            Language::ZhCn => self.zh,
        }
    }
}

macro_rules! texts {
    ($name:ident { $($key:ident => $en:literal, $zh:literal;)* }) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name { $($key),* }

        impl $crate::i18n::Text for $name {
            fn text(self, language: shared::auth::Language) -> &'static str {
                match language {
                    shared::auth::Language::En => match self { $($name::$key => $en),* },
                    shared::auth::Language::ZhCn => match self { $($name::$key => $zh),* },
                }
            }
        }
    };
}

mod activities;
mod common;
mod contacts;
mod partners;
mod staff;

pub use activities::ActivityText;
pub use common::CommonText;
pub use contacts::ContactText;
pub use partners::PartnerText;
pub use staff::StaffText;

/// The reader's language, shared by the whole page.
#[derive(Debug, Clone, Copy)]
pub struct I18n(pub RwSignal<Language>);

impl I18n {
    /// The text in the current language; reactive when read inside a view closure.
    pub fn t(self, key: impl Into<TextKey>) -> &'static str {
        key.into().text(self.0.get())
    }

    pub fn language(self) -> Language {
        self.0.get()
    }

    pub fn set(self, language: Language) {
        self.0.set(language);
    }
}

pub fn use_i18n() -> I18n {
    use_context::<I18n>().unwrap_or_else(|| I18n(RwSignal::new(Language::En)))
}

/// Words for enum values shown on screen.
pub fn status_text(status: shared::partner::PartnerStatus) -> PartnerText {
    use shared::partner::PartnerStatus as S;
    match status {
        S::Prospect => PartnerText::Prospect,
        S::Active => PartnerText::Active,
        S::Lapsed => PartnerText::Lapsed,
    }
}

pub fn kind_text(kind: shared::activity::ActivityKind) -> ActivityText {
    use shared::activity::ActivityKind as K;
    match kind {
        K::Call => ActivityText::KindCall,
        K::Meeting => ActivityText::KindMeeting,
        K::Email => ActivityText::KindEmail,
        K::Wechat => ActivityText::KindWechat,
        K::Note => ActivityText::KindNote,
    }
}

/// A field issue in the reader's language.
pub fn issue_text(issue: shared::validate::Issue, language: Language) -> String {
    issue.message(language)
}
