//! Builders for the records tests arrange, shared by every test file:
//! `api.partner("Lotus").with_contact("Li Wei").create().await`.

use chrono::{Duration, Utc};
use shared::activity::{Activity, ActivityKind, NewActivity};
use shared::contact::{Contact, NewContact};
use shared::partner::{NewPartner, Partner};
use uuid::Uuid;

use crate::Api;

/// A partner to create, with contacts.
pub struct PartnerBuilder<'a> {
    api: &'a Api,
    input: NewPartner,
    contacts: Vec<NewContact>,
}

/// What [`PartnerBuilder::create`] made.
pub struct Made {
    pub partner: Partner,
    pub contacts: Vec<Contact>,
}

impl Made {
    pub fn id(&self) -> Uuid {
        self.partner.id
    }

    pub fn contact_id(&self, n: usize) -> Uuid {
        self.contacts[n].id
    }
}

impl Api {
    pub fn partner(&self, name: &str) -> PartnerBuilder<'_> {
        PartnerBuilder {
            api: self,
            input: NewPartner {
                name: name.to_owned(),
                ..Default::default()
            },
            contacts: Vec::new(),
        }
    }

    /// Logs a call with the partner, an hour ago, with this summary.
    pub async fn log_call(&self, partner_id: Uuid, summary: &str) -> Activity {
        self.log_activity(partner_id, &call(summary))
            .await
            .unwrap_or_else(|reply| panic!("logging a call: {} {}", reply.status, reply.body))
    }
}

/// A call an hour ago with this summary.
pub fn call(summary: &str) -> NewActivity {
    NewActivity {
        kind: ActivityKind::Call.as_str().to_owned(),
        occurred_at: (Utc::now() - Duration::hours(1)).to_rfc3339(),
        summary: summary.to_owned(),
        contact_ids: Vec::new(),
        next_step: None,
        next_step_due: None,
    }
}

impl PartnerBuilder<'_> {
    pub fn zh(mut self, name_zh: &str) -> Self {
        self.input.name_zh = Some(name_zh.to_owned());
        self
    }

    pub fn tags(mut self, tags: &[&str]) -> Self {
        self.input.tags = Some(tags.iter().map(|t| (*t).to_owned()).collect());
        self
    }

    pub fn with(mut self, change: impl FnOnce(&mut NewPartner)) -> Self {
        change(&mut self.input);
        self
    }

    pub fn with_contact(mut self, full_name: &str) -> Self {
        self.contacts.push(NewContact {
            full_name: full_name.to_owned(),
            ..Default::default()
        });
        self
    }

    /// Creates the partner and its contacts; panics on any refusal.
    pub async fn create(self) -> Made {
        let partner = self
            .api
            .add_partner(&self.input)
            .await
            .unwrap_or_else(|reply| panic!("creating a partner: {} {}", reply.status, reply.body));
        let mut contacts = Vec::new();
        for contact in &self.contacts {
            contacts.push(
                self.api
                    .add_contact(partner.id, contact)
                    .await
                    .unwrap_or_else(|reply| {
                        panic!("adding a contact: {} {}", reply.status, reply.body)
                    }),
            );
        }
        Made { partner, contacts }
    }
}
