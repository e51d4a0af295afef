//! Text every area shares: the app's frame, buttons, errors.

texts! {
    CommonText {
        AppName => "Liaison", "Liaison 联络";
        Partners => "Partners", "合作伙伴";
        NextSteps => "Next steps", "待办事项";
        SignOut => "Sign out", "退出登录";
        SwitchLanguage => "中文", "English";
        Email => "Email", "电子邮箱";
        NextPage => "Next page →", "下一页 →";
        FirstPage => "← First page", "← 第一页";
        Loading => "Loading…", "加载中…";
        English => "English", "英文";
        Chinese => "Chinese", "中文";
        Edit => "Edit", "编辑";
        Delete => "Delete", "删除";
        Save => "Save", "保存";
        Saving => "Saving…", "正在保存…";
        Cancel => "Cancel", "取消";
        ConfirmDelete => "Delete for good? This cannot be undone.", "确定永久删除？此操作无法撤销。";
        NotFound => "Not found.", "未找到。";
        StaleVersion => "Someone else changed this meanwhile. Reload to see their change.", "此记录已被他人修改，请刷新后重试。";
        Duplicate => "This already exists.", "该记录已存在。";
        Forbidden => "You don't have permission to do that.", "您没有执行此操作的权限。";
        GenericError => "Something went wrong. Please try again.", "出错了，请重试。";
        ApiDocs => "API", "API 文档";
    }
}
