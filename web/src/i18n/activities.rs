//! Logged contacts, the timeline and next steps.

texts! {
    ActivityText {
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
        Overdue => "Overdue", "已逾期";
        Today => "Today", "今天";
        ThisWeek => "Next six days", "未来六天";
        Later => "Later", "以后";
        NoDate => "No date", "无截止日期";
        DueOn => "due", "截止";
        Logged => "logged", "记录于";
        MineMeans => "“Mine” is the next steps you logged.", "“我的”是你记录的下一步。";
        OpenSteps => "open", "项待办";
        Mine => "Mine", "我的";
        Everyone => "Everyone's", "所有人的";
        NothingDue => "Nothing due.", "没有待办事项。";
    }
}
