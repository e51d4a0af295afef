//! English and 中文 for every piece of UI text. The `texts!` table makes each key carry both
//! languages, so a missing translation is a compile error, not a blank on screen.

use leptos::prelude::*;
use shared::auth::Language;

macro_rules! texts {
    ($($key:ident => $en:literal, $zh:literal;)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum T { $($key),* }

        impl T {
            pub fn text(self, language: Language) -> &'static str {
                match language {
                    Language::En => match self { $(T::$key => $en),* },
                    Language::ZhCn => match self { $(T::$key => $zh),* },
                }
            }
        }
    };
}

texts! {
    AppName => "Liaison", "Liaison 联络";
    Partners => "Partners", "合作伙伴";
    NextSteps => "Next steps", "待办事项";
    SignOut => "Sign out", "退出登录";
    SwitchLanguage => "中文", "English";
    SignIn => "Sign in", "登录";
    SigningIn => "Signing in…", "正在登录…";
    Email => "Email", "电子邮箱";
    Password => "Password", "密码";
    WrongCredentials => "Wrong email or password.", "邮箱或密码错误。";
    TooManyAttempts => "Too many failed sign-ins. Please wait a few minutes.", "登录失败次数过多，请稍后再试。";
    SearchPlaceholder => "Search partners (English or 中文)", "搜索合作伙伴（中英文均可）";
    AllStatuses => "All statuses", "全部状态";
    Status => "Status", "状态";
    Prospect => "Prospect", "潜在";
    Active => "Active", "合作中";
    Lapsed => "Lapsed", "已中止";
    Owner => "Owner", "负责人";
    AnyOwner => "Anyone's", "所有负责人";
    MyPartners => "Mine", "我负责的";
    Tag => "Tag", "标签";
    Tags => "Tags (comma-separated)", "标签（用逗号分隔）";
    NewPartner => "New partner", "新建合作伙伴";
    Name => "Name", "名称";
    NameZh => "Chinese name", "中文名称";
    Sector => "Sector", "行业";
    Website => "Website", "网站";
    Notes => "Notes", "备注";
    NoPartners => "No partners found.", "没有找到合作伙伴。";
    NextPage => "Next page →", "下一页 →";
    FirstPage => "← First page", "← 第一页";
    Loading => "Loading…", "加载中…";
    Contacts => "Contacts", "联系人";
    AddContact => "Add contact", "添加联系人";
    FullName => "Full name", "姓名";
    Title => "Title", "职位";
    Phone => "Phone", "电话";
    Wechat => "WeChat ID", "微信号";
    PreferredLanguage => "Preferred language", "首选语言";
    English => "English", "英文";
    Chinese => "Chinese", "中文";
    Primary => "Primary", "主要联系人";
    NoContacts => "No contacts yet.", "暂无联系人。";
    Edit => "Edit", "编辑";
    Delete => "Delete", "删除";
    Save => "Save", "保存";
    Saving => "Saving…", "正在保存…";
    Cancel => "Cancel", "取消";
    ConfirmDelete => "Delete for good? This cannot be undone.", "确定永久删除？此操作无法撤销。";
    Timeline => "Timeline", "往来记录";
    LogContact => "Log a contact", "记录联系";
    Kind => "Type", "方式";
    KindCall => "Call", "电话";
    KindMeeting => "Meeting", "会面";
    KindEmail => "Email", "邮件";
    KindWechat => "WeChat", "微信";
    KindNote => "Note", "笔记";
    Summary => "What happened", "联系内容";
    NextStep => "Next step", "下一步";
    Due => "Due", "截止日期";
    When => "When", "时间";
    WhenHint => "Leave empty for now", "留空表示现在";
    ShortcutHint => "Press L to log a contact · Ctrl+Enter saves", "按 L 键记录联系 · Ctrl+Enter 保存";
    NoActivities => "Nothing logged yet.", "暂无往来记录。";
    MarkDone => "Done", "完成";
    DoneAt => "Done", "已完成";
    Reopen => "Reopen", "重新打开";
    By => "by", "记录人";
    With => "with", "联系人";
    Older => "Older entries →", "更早的记录 →";
    Newest => "← Newest", "← 最新";
    NotFound => "Not found.", "未找到。";
    StaleVersion => "Someone else changed this meanwhile. Reload to see their change.", "此记录已被他人修改，请刷新后重试。";
    Duplicate => "This already exists.", "该记录已存在。";
    Forbidden => "You don't have permission to do that.", "您没有执行此操作的权限。";
    GenericError => "Something went wrong. Please try again.", "出错了，请重试。";
    Overdue => "Overdue", "已逾期";
    Today => "Today", "今天";
    ThisWeek => "This week", "本周";
    Mine => "Mine", "我的";
    Everyone => "Everyone's", "所有人的";
    NothingDue => "Nothing due.", "没有待办事项。";
    ApiDocs => "API", "API 文档";
}

/// The reader's language, shared by the whole page.
#[derive(Debug, Clone, Copy)]
pub struct I18n(pub RwSignal<Language>);

impl I18n {
    /// The text in the current language; reactive when read inside a view closure.
    pub fn t(self, key: T) -> &'static str {
        key.text(self.0.get())
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
pub fn status_text(status: shared::partner::PartnerStatus) -> T {
    use shared::partner::PartnerStatus as S;
    match status {
        S::Prospect => T::Prospect,
        S::Active => T::Active,
        S::Lapsed => T::Lapsed,
    }
}

pub fn kind_text(kind: shared::activity::ActivityKind) -> T {
    use shared::activity::ActivityKind as K;
    match kind {
        K::Call => T::KindCall,
        K::Meeting => T::KindMeeting,
        K::Email => T::KindEmail,
        K::Wechat => T::KindWechat,
        K::Note => T::KindNote,
    }
}

/// A field issue in the reader's language.
pub fn issue_text(issue: shared::validate::Issue, language: Language) -> String {
    issue.message(language)
}
