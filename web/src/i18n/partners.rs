//! The partners area: the list, its filters and the partner form.

texts! {
    PartnerText {
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
    }
}
