//! The demo data set: about 25 fictional sponsors across the sectors that back such a
//! programme, with Chinese and English names, 2–4 contacts each and three months of logged
//! contacts. Every company and person is invented; addresses use example.com / example.org.
//! Built through the same services as the API, so it obeys every rule real data does.

use chrono::{Duration, NaiveDate};
use shared::activity::{ActivityKind, NewActivity};
use shared::auth::{Language, Role};
use shared::contact::NewContact;
use shared::partner::{NewPartner, PartnerStatus};

use crate::areas::staff::users;
use crate::areas::{activities, contacts, partners};
use crate::core::clock::today_in;
use crate::core::{Actor, Context, Error};

pub const ADMIN_EMAIL: &str = "admin@example.com";
pub const ADMIN_PASSWORD: &str = "liaison-demo-2026";

pub struct SignIn {
    pub email: &'static str,
    pub password: &'static str,
}

/// (English name, Chinese name, sector, status, tags)
const PARTNERS: &[(&str, &str, &str, PartnerStatus, &[&str])] = &[
    (
        "Brightway Lighting",
        "明途照明",
        "Lighting",
        PartnerStatus::Active,
        &["led", "smart city"],
    ),
    (
        "Lumenary Systems",
        "流明系统",
        "Lighting",
        PartnerStatus::Prospect,
        &["street lighting"],
    ),
    (
        "Harbourline Engineering",
        "上海港线工程",
        "Engineering",
        PartnerStatus::Active,
        &["water treatment", "infrastructure"],
    ),
    (
        "Meridian Structural Group",
        "子午结构集团",
        "Engineering",
        PartnerStatus::Active,
        &["green building"],
    ),
    (
        "Crestfield Consulting Engineers",
        "峰野咨询工程",
        "Engineering",
        PartnerStatus::Lapsed,
        &["transport"],
    ),
    (
        "Evergreen Home Goods",
        "常青家居",
        "Consumer goods",
        PartnerStatus::Active,
        &["low-carbon lifestyle"],
    ),
    (
        "Pure Spring Beverages",
        "清泉饮品",
        "Consumer goods",
        PartnerStatus::Prospect,
        &["packaging", "waste"],
    ),
    (
        "Silkroute Apparel",
        "丝路服饰",
        "Consumer goods",
        PartnerStatus::Prospect,
        &["circular economy"],
    ),
    (
        "Anchorstone Insurance",
        "磐石保险",
        "Insurance",
        PartnerStatus::Active,
        &["climate risk"],
    ),
    (
        "Tidewater Mutual",
        "潮汐互助保险",
        "Insurance",
        PartnerStatus::Lapsed,
        &["resilience"],
    ),
    (
        "Jadegate Properties",
        "上海玉门置业",
        "Property",
        PartnerStatus::Active,
        &["green building", "eco-city"],
    ),
    (
        "Skyline Urban Developments",
        "天际城市发展",
        "Property",
        PartnerStatus::Prospect,
        &["tod"],
    ),
    (
        "Lotus Garden Estates",
        "莲园地产",
        "Property",
        PartnerStatus::Active,
        &["eco-heritage tourism"],
    ),
    (
        "Northwind Renewables",
        "北风新能源",
        "Energy",
        PartnerStatus::Active,
        &["wind", "energy master planning"],
    ),
    (
        "Solaris Grid Solutions",
        "日辉电网",
        "Energy",
        PartnerStatus::Active,
        &["solar", "storage"],
    ),
    (
        "Blue Delta Gas",
        "蓝色三角洲燃气",
        "Energy",
        PartnerStatus::Prospect,
        &["district heating"],
    ),
    (
        "Helios Hydrogen",
        "赫利俄斯氢能",
        "Energy",
        PartnerStatus::Prospect,
        &["hydrogen"],
    ),
    (
        "Pacific Bridge Capital",
        "太平洋桥资本",
        "Finance",
        PartnerStatus::Active,
        &["green finance"],
    ),
    (
        "Goldleaf Bank",
        "金叶银行",
        "Finance",
        PartnerStatus::Active,
        &["green bonds"],
    ),
    (
        "Cedar & Pine Asset Management",
        "雪松资产管理",
        "Finance",
        PartnerStatus::Lapsed,
        &["esg"],
    ),
    (
        "Riverstone Water Technologies",
        "河石水务科技",
        "Water",
        PartnerStatus::Active,
        &["water treatment"],
    ),
    (
        "Clearloop Recycling",
        "净环再生资源",
        "Waste management",
        PartnerStatus::Prospect,
        &["municipal waste"],
    ),
    (
        "Metrolink Mobility",
        "都联出行",
        "Transportation",
        PartnerStatus::Active,
        &["transport", "ev"],
    ),
    (
        "Greenfield Smart Buildings",
        "绿野智能建筑",
        "Building technology",
        PartnerStatus::Active,
        &["green building", "iot"],
    ),
    (
        "Orchid Digital Cities",
        "兰花数字城市",
        "Technology",
        PartnerStatus::Prospect,
        &["smart city", "data"],
    ),
];

/// (English name, Chinese name, title)
const PEOPLE: &[(&str, &str, &str)] = &[
    ("Li Wei", "李伟", "Director of Government Affairs"),
    ("Wang Fang", "王芳", "Head of Sustainability"),
    ("Zhang Min", "张敏", "VP, Public Affairs"),
    ("Chen Jing", "陈静", "Marketing Manager, Greater China"),
    ("Emma Clarke", "", "Head of Partnerships, APAC"),
    ("Liu Yang", "刘洋", "Chief Representative, Beijing"),
    ("James Porter", "", "Managing Director, China"),
    ("Zhao Lei", "赵磊", "Business Development Director"),
    ("Sophie Martin", "", "Corporate Affairs Lead"),
    ("Huang Xin", "黄欣", "ESG Programme Manager"),
    ("Zhou Tao", "周涛", "General Manager, East China"),
    ("Daniel Weber", "", "Head of Strategy"),
    ("Wu Hui", "吴慧", "Executive Assistant to the CEO"),
    ("Xu Qiang", "徐强", "Director, Urban Solutions"),
];

/// (kind, summary, next step)
const EXCHANGES: &[(ActivityKind, &str, Option<&str>)] = &[
    (
        ActivityKind::Call,
        "Introductory call about sponsoring the spring mayors' class.",
        Some("Send the sponsorship deck"),
    ),
    (
        ActivityKind::Meeting,
        "Met at their Shanghai office; keen on a site visit for the green-building module.",
        Some("Propose two site-visit dates"),
    ),
    (
        ActivityKind::Email,
        "Sent the programme overview and last year's impact summary.",
        None,
    ),
    (
        ActivityKind::Wechat,
        "微信沟通：对方希望在研讨会上介绍其节能照明案例。",
        Some("确认研讨会议程"),
    ),
    (
        ActivityKind::Note,
        "Budget decision moves to next quarter; keep them warm.",
        Some("Check in after budget approval"),
    ),
    (
        ActivityKind::Call,
        "Discussed a dinner with the energy master planning cohort.",
        Some("Draft dinner proposal"),
    ),
    (
        ActivityKind::Meeting,
        "与对方政府事务团队会面，讨论与中国浦东干部学院的合作。",
        Some("发送学院介绍材料"),
    ),
    (
        ActivityKind::Email,
        "Confirmed attendance of two executives at the exhibition.",
        None,
    ),
    (
        ActivityKind::Wechat,
        "Shared photos from the last site visit; they asked for the officials' feedback.",
        Some("Send the feedback summary"),
    ),
    (
        ActivityKind::Note,
        "They prefer Chinese-language materials for the academy leadership.",
        None,
    ),
];

/// Loads the demo set into an empty database; either way returns the demo admin's sign-in.
pub async fn load_if_empty(ctx: &Context) -> anyhow::Result<SignIn> {
    let sign_in = SignIn {
        email: ADMIN_EMAIL,
        password: ADMIN_PASSWORD,
    };
    if partners::store::count(&*ctx.db).await.map_err(anyhow_of)? > 0
        || users::find_by_email(ctx, ADMIN_EMAIL)
            .await
            .map_err(anyhow_of)?
            .is_some()
    {
        return Ok(sign_in);
    }
    let admin = add_user(ctx, ADMIN_EMAIL, "Demo Admin", Role::Admin, ADMIN_PASSWORD).await?;
    let manager = add_user(
        ctx,
        "mei.lin@example.com",
        "Lin Mei 林梅",
        Role::Manager,
        ADMIN_PASSWORD,
    )
    .await?;
    add_user(
        ctx,
        "viewer@example.com",
        "Demo Viewer",
        Role::Viewer,
        ADMIN_PASSWORD,
    )
    .await?;
    let authors = [admin, manager];

    let now = ctx.now();
    let today = today_in(shared::DEFAULT_TIME_ZONE, now);
    let mut rng = Lcg(0x5eed_2026);
    for (index, (name, name_zh, sector, status, tags)) in PARTNERS.iter().enumerate() {
        let owner = &authors[index % authors.len()];
        let slug: String = name
            .to_lowercase()
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        let domain = if index % 2 == 0 {
            "example.com"
        } else {
            "example.org"
        };
        let created = partners::service::create(
            ctx,
            owner,
            NewPartner {
                name: (*name).into(),
                name_zh: Some((*name_zh).into()),
                sector: Some((*sector).into()),
                website: Some(format!("https://{slug}.{domain}")),
                status: Some(status.as_str().to_owned()),
                tags: Some(tags.iter().map(|t| (*t).to_owned()).collect()),
                notes: Some(format!(
                    "Fictional demo partner in {}.",
                    sector.to_lowercase()
                )),
                owner_id: owner.user_id(),
            },
        )
        .await
        .map_err(anyhow_of)?;

        let mut contact_ids = Vec::new();
        let count = 2 + rng.below(3) as usize;
        for n in 0..count {
            let (full_name, zh, title) = PEOPLE[(index * 3 + n) % PEOPLE.len()];
            let local: String = full_name.to_lowercase().replace(' ', ".");
            let contact = contacts::service::create(
                ctx,
                &Actor::System("demo"),
                created.id,
                NewContact {
                    full_name: full_name.into(),
                    name_zh: (!zh.is_empty()).then(|| zh.to_owned()),
                    title: Some(title.into()),
                    email: Some(format!("{local}@{slug}.{domain}")),
                    phone: Some(format!(
                        "+86 21 5{:03} {:04}",
                        index * 7 + n,
                        1000 + rng.below(9000)
                    )),
                    wechat: (!zh.is_empty()).then(|| format!("wx_{}", local.replace('.', "_"))),
                    language: Some(
                        if zh.is_empty() {
                            Language::En
                        } else {
                            Language::ZhCn
                        }
                        .as_str()
                        .to_owned(),
                    ),
                    is_primary: Some(n == 0),
                },
            )
            .await
            .map_err(anyhow_of)?;
            contact_ids.push(contact.id);
        }

        // Three months of history, and next steps spread around today so every bucket of the
        // next-steps page has something in it.
        let logged = 3 + rng.below(5);
        for n in 0..logged {
            let (kind, summary, next_step) = EXCHANGES[rng.below(EXCHANGES.len() as u64) as usize];
            let days_ago = rng.below(90) as i64;
            let occurred_at =
                now - Duration::days(days_ago) - Duration::minutes(rng.below(600) as i64);
            let latest = n + 1 == logged;
            let next_step = next_step.filter(|_| latest || rng.below(4) == 0);
            let due = next_step.map(|_| due_date(today, &mut rng));
            activities::service::log(
                ctx,
                &authors[(index + n as usize) % authors.len()],
                created.id,
                NewActivity {
                    kind: kind.as_str().to_owned(),
                    occurred_at: occurred_at.to_rfc3339(),
                    summary: summary.into(),
                    contact_ids: vec![contact_ids[n as usize % contact_ids.len()].to_string()],
                    next_step: next_step.map(str::to_owned),
                    next_step_due: due.map(|d| d.to_string()),
                },
            )
            .await
            .map_err(anyhow_of)?;
        }
    }
    Ok(sign_in)
}

fn due_date(today: NaiveDate, rng: &mut Lcg) -> NaiveDate {
    today + Duration::days(rng.below(21) as i64 - 7)
}

async fn add_user(
    ctx: &Context,
    email: &str,
    name: &str,
    role: Role,
    password: &str,
) -> anyhow::Result<Actor> {
    let user = users::create(
        ctx,
        &Actor::System("demo"),
        users::NewUser {
            email: email.into(),
            name: name.into(),
            role,
            password: password.into(),
        },
    )
    .await
    .map_err(anyhow_of)?;
    Ok(Actor::Staff(user))
}

fn anyhow_of(error: Error) -> anyhow::Error {
    error.describe().context("loading demo data")
}

/// A tiny deterministic generator: the demo is the same on every machine.
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next_value(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next_value() % n.max(1)
    }
}
