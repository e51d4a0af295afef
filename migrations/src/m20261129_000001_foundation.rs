//! Staff users and their sign-in state, partners, contacts and logged contacts (activities).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .col(pk_uuid(Users::Id))
                    // Stored lower-cased so sign-in is case-insensitive on both databases.
                    .col(string_uniq(Users::Email))
                    .col(string(Users::Name))
                    .col(string_len(Users::Role, 16))
                    .col(string(Users::PasswordHash))
                    .col(string_len(Users::Locale, 8).default("en"))
                    .col(string_len(Users::TimeZone, 64).default("Asia/Shanghai"))
                    .col(timestamp_with_time_zone(Users::CreatedAt))
                    .col(timestamp_with_time_zone(Users::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        // Only the SHA-256 of a session token is stored: a leaked table signs nobody in.
        manager
            .create_table(
                Table::create()
                    .table(Sessions::Table)
                    .col(pk_uuid(Sessions::Id))
                    .col(string_uniq(Sessions::TokenHash))
                    .col(uuid(Sessions::UserId))
                    .col(timestamp_with_time_zone(Sessions::ExpiresAt))
                    .col(timestamp_with_time_zone(Sessions::LastSeenAt))
                    .col(timestamp_with_time_zone(Sessions::CreatedAt))
                    .col(timestamp_with_time_zone(Sessions::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_sessions_user")
                            .from(Sessions::Table, Sessions::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_sessions_user",
            Sessions::Table,
            &[Sessions::UserId],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(ApiTokens::Table)
                    .col(pk_uuid(ApiTokens::Id))
                    .col(uuid(ApiTokens::UserId))
                    .col(string(ApiTokens::Name))
                    .col(string_uniq(ApiTokens::TokenHash))
                    .col(timestamp_with_time_zone_null(ApiTokens::LastUsedAt))
                    .col(timestamp_with_time_zone(ApiTokens::CreatedAt))
                    .col(timestamp_with_time_zone(ApiTokens::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_api_tokens_user")
                            .from(ApiTokens::Table, ApiTokens::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        // Failed sign-ins live in the database, not in memory, so every instance sharing the
        // database applies the same limit.
        manager
            .create_table(
                Table::create()
                    .table(LoginAttempts::Table)
                    .col(pk_uuid(LoginAttempts::Id))
                    .col(string(LoginAttempts::Email))
                    .col(string_len(LoginAttempts::Ip, 64))
                    .col(timestamp_with_time_zone(LoginAttempts::CreatedAt))
                    .col(timestamp_with_time_zone(LoginAttempts::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_login_attempts_email_ip",
            LoginAttempts::Table,
            &[
                LoginAttempts::Email,
                LoginAttempts::Ip,
                LoginAttempts::CreatedAt,
            ],
        )
        .await?;
        index(
            manager,
            "idx_login_attempts_ip",
            LoginAttempts::Table,
            &[LoginAttempts::Ip, LoginAttempts::CreatedAt],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Partners::Table)
                    .col(pk_uuid(Partners::Id))
                    .col(string(Partners::Name))
                    .col(string_null(Partners::NameZh))
                    // Lower-cased name: the list's stable order (with id as tie-breaker).
                    .col(string(Partners::SortKey))
                    // Lower-cased "name name_zh": substring search that treats both the same.
                    .col(string(Partners::SearchText))
                    .col(string_null(Partners::Sector))
                    .col(string_null(Partners::Website))
                    .col(string_len(Partners::Status, 16))
                    .col(uuid_null(Partners::OwnerId))
                    .col(text_null(Partners::Notes))
                    .col(integer(Partners::Version))
                    .col(timestamp_with_time_zone(Partners::CreatedAt))
                    .col(timestamp_with_time_zone(Partners::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_partners_owner")
                            .from(Partners::Table, Partners::OwnerId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        // One partner per name, compared case-insensitively; also the list's order.
        manager
            .create_index(
                Index::create()
                    .name("uq_partners_sort_key")
                    .table(Partners::Table)
                    .col(Partners::SortKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_partners_status",
            Partners::Table,
            &[Partners::Status],
        )
        .await?;
        index(
            manager,
            "idx_partners_owner",
            Partners::Table,
            &[Partners::OwnerId],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(PartnerTags::Table)
                    .col(pk_uuid(PartnerTags::Id))
                    .col(uuid(PartnerTags::PartnerId))
                    .col(string_len(PartnerTags::Tag, 40))
                    .col(timestamp_with_time_zone(PartnerTags::CreatedAt))
                    .col(timestamp_with_time_zone(PartnerTags::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_partner_tags_partner")
                            .from(PartnerTags::Table, PartnerTags::PartnerId)
                            .to(Partners::Table, Partners::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_partner_tags")
                    .table(PartnerTags::Table)
                    .col(PartnerTags::PartnerId)
                    .col(PartnerTags::Tag)
                    .unique()
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_partner_tags_tag",
            PartnerTags::Table,
            &[PartnerTags::Tag],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Contacts::Table)
                    .col(pk_uuid(Contacts::Id))
                    .col(uuid(Contacts::PartnerId))
                    .col(string(Contacts::FullName))
                    .col(string_null(Contacts::NameZh))
                    .col(string_null(Contacts::Title))
                    .col(string_null(Contacts::Email))
                    .col(string_null(Contacts::Phone))
                    .col(string_null(Contacts::Wechat))
                    .col(string_len(Contacts::Language, 8))
                    .col(boolean(Contacts::IsPrimary))
                    .col(integer(Contacts::Version))
                    .col(timestamp_with_time_zone(Contacts::CreatedAt))
                    .col(timestamp_with_time_zone(Contacts::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_contacts_partner")
                            .from(Contacts::Table, Contacts::PartnerId)
                            .to(Partners::Table, Partners::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // An email names one person at a partner (NULLs don't collide).
        manager
            .create_index(
                Index::create()
                    .name("uq_contacts_partner_email")
                    .table(Contacts::Table)
                    .col(Contacts::PartnerId)
                    .col(Contacts::Email)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Activities::Table)
                    .col(pk_uuid(Activities::Id))
                    .col(uuid(Activities::PartnerId))
                    .col(uuid_null(Activities::AuthorId))
                    .col(string_len(Activities::Kind, 16))
                    .col(timestamp_with_time_zone(Activities::OccurredAt))
                    .col(text(Activities::Summary))
                    .col(string_null(Activities::NextStep))
                    .col(date_null(Activities::NextStepDue))
                    .col(timestamp_with_time_zone_null(Activities::NextStepDoneAt))
                    .col(timestamp_with_time_zone(Activities::CreatedAt))
                    .col(timestamp_with_time_zone(Activities::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_activities_partner")
                            .from(Activities::Table, Activities::PartnerId)
                            .to(Partners::Table, Partners::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_activities_author")
                            .from(Activities::Table, Activities::AuthorId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_activities_timeline",
            Activities::Table,
            &[Activities::PartnerId, Activities::OccurredAt],
        )
        .await?;
        index(
            manager,
            "idx_activities_next_step",
            Activities::Table,
            &[Activities::AuthorId, Activities::NextStepDue],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(ActivityContacts::Table)
                    .col(pk_uuid(ActivityContacts::Id))
                    .col(uuid(ActivityContacts::ActivityId))
                    .col(uuid(ActivityContacts::ContactId))
                    .col(timestamp_with_time_zone(ActivityContacts::CreatedAt))
                    .col(timestamp_with_time_zone(ActivityContacts::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_activity_contacts_activity")
                            .from(ActivityContacts::Table, ActivityContacts::ActivityId)
                            .to(Activities::Table, Activities::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_activity_contacts_contact")
                            .from(ActivityContacts::Table, ActivityContacts::ContactId)
                            .to(Contacts::Table, Contacts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_activity_contacts")
                    .table(ActivityContacts::Table)
                    .col(ActivityContacts::ActivityId)
                    .col(ActivityContacts::ContactId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_activity_contacts_contact",
            ActivityContacts::Table,
            &[ActivityContacts::ContactId],
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Children before parents, so foreign keys never block a drop.
        for table in [
            ActivityContacts::Table.into_iden(),
            Activities::Table.into_iden(),
            Contacts::Table.into_iden(),
            PartnerTags::Table.into_iden(),
            Partners::Table.into_iden(),
            LoginAttempts::Table.into_iden(),
            ApiTokens::Table.into_iden(),
            Sessions::Table.into_iden(),
            Users::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

async fn index<T: Iden + Clone + 'static>(
    manager: &SchemaManager<'_>,
    name: &str,
    table: T,
    columns: &[T],
) -> Result<(), DbErr> {
    let mut statement = Index::create();
    statement.name(name).table(table);
    for column in columns {
        statement.col(column.clone());
    }
    manager.create_index(statement.to_owned()).await
}

#[derive(DeriveIden, Clone)]
enum Users {
    Table,
    Id,
    Email,
    Name,
    Role,
    PasswordHash,
    Locale,
    TimeZone,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone)]
enum Sessions {
    Table,
    Id,
    TokenHash,
    UserId,
    ExpiresAt,
    LastSeenAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone)]
enum ApiTokens {
    Table,
    Id,
    UserId,
    Name,
    TokenHash,
    LastUsedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone)]
enum LoginAttempts {
    Table,
    Id,
    Email,
    Ip,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone)]
enum Partners {
    Table,
    Id,
    Name,
    NameZh,
    SortKey,
    SearchText,
    Sector,
    Website,
    Status,
    OwnerId,
    Notes,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone)]
enum PartnerTags {
    Table,
    Id,
    PartnerId,
    Tag,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone)]
enum Contacts {
    Table,
    Id,
    PartnerId,
    FullName,
    NameZh,
    Title,
    Email,
    Phone,
    Wechat,
    Language,
    IsPrimary,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone)]
enum Activities {
    Table,
    Id,
    PartnerId,
    AuthorId,
    Kind,
    OccurredAt,
    Summary,
    NextStep,
    NextStepDue,
    NextStepDoneAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone)]
enum ActivityContacts {
    Table,
    Id,
    ActivityId,
    ContactId,
    CreatedAt,
    UpdatedAt,
}
