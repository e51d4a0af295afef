//! A partner's contacts.

texts! {
    ContactText {
        Contacts => "Contacts", "联系人";
        AddContact => "Add contact", "添加联系人";
        FullName => "Full name", "姓名";
        Title => "Title", "职位";
        Phone => "Phone", "电话";
        Wechat => "WeChat ID", "微信号";
        PreferredLanguage => "Preferred language", "首选语言";
        Primary => "Primary", "主要联系人";
        NoContacts => "No contacts yet.", "暂无联系人。";
    }
}
