//! The typed side of the test client: each call sends a `shared` DTO and reads the answer back
//! into one, so a test fails when the API's shape drifts from the types the UI is built on.
//! A refusal comes back as the [`Reply`], to assert its status and error body.

// A refusal is the whole reply, read once per call: its size costs nothing in a test.
#![allow(clippy::result_large_err)]

use serde::Serialize;
use serde::de::DeserializeOwned;
use shared::activity::{Activity, ActivityPatch, NewActivity, NextStepQuery, TimelineQuery};
use shared::auth::{Me, MePatch, UserRef};
use shared::contact::{Contact, ContactPatch, NewContact};
use shared::partner::{NewPartner, Partner, PartnerPatch, PartnerQuery};
use shared::{Page, routes};
use uuid::Uuid;

use crate::{Api, Reply};

/// A typed answer: the decoded body on a 2xx, else the whole reply.
pub type Typed<T> = Result<T, Reply>;

fn decode<T: DeserializeOwned>(reply: Reply) -> Typed<T> {
    if !(200..300).contains(&reply.status) {
        return Err(reply);
    }
    let body = if reply.body.is_null() {
        serde_json::Value::Null
    } else {
        reply.body.clone()
    };
    match serde_json::from_value(body) {
        Ok(value) => Ok(value),
        Err(error) => panic!(
            "the answer does not read as {}: {error}\n{}",
            std::any::type_name::<T>(),
            reply.body
        ),
    }
}

fn query<Q: Serialize>(path: &str, query: &Q) -> String {
    let encoded = serde_urlencoded::to_string(query).expect("a query encodes");
    if encoded.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{encoded}")
    }
}

impl Api {
    /// A full API path (`shared::routes`) on this client's server.
    pub fn path_url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    async fn get_typed<T: DeserializeOwned>(&self, path: &str) -> Typed<T> {
        decode(self.send(self.http.get(self.path_url(path))).await)
    }

    async fn send_typed<B: Serialize, T: DeserializeOwned>(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&B>,
    ) -> Typed<T> {
        let mut request = self.http.request(method, self.path_url(path));
        if let Some(body) = body {
            request = request.json(body);
        }
        decode(self.send(request).await)
    }

    pub async fn me(&self) -> Typed<Me> {
        self.get_typed(routes::ME).await
    }

    pub async fn update_me(&self, patch: &MePatch) -> Typed<Me> {
        self.send_typed(reqwest::Method::PATCH, routes::ME, Some(patch))
            .await
    }

    pub async fn users(&self) -> Typed<Vec<UserRef>> {
        self.get_typed(routes::USERS).await
    }

    pub async fn partners(&self, q: &PartnerQuery) -> Typed<Page<Partner>> {
        self.get_typed(&query(routes::PARTNERS, q)).await
    }

    pub async fn get_partner(&self, id: Uuid) -> Typed<Partner> {
        self.get_typed(&routes::partner(id)).await
    }

    pub async fn add_partner(&self, input: &NewPartner) -> Typed<Partner> {
        self.send_typed(reqwest::Method::POST, routes::PARTNERS, Some(input))
            .await
    }

    pub async fn change_partner(&self, id: Uuid, patch: &PartnerPatch) -> Typed<Partner> {
        self.send_typed(reqwest::Method::PATCH, &routes::partner(id), Some(patch))
            .await
    }

    pub async fn delete_partner(&self, id: Uuid) -> Typed<()> {
        self.send_typed::<(), ()>(reqwest::Method::DELETE, &routes::partner(id), None)
            .await
    }

    pub async fn contacts(&self, partner_id: Uuid) -> Typed<Vec<Contact>> {
        self.get_typed(&routes::partner_contacts(partner_id)).await
    }

    pub async fn add_contact(&self, partner_id: Uuid, input: &NewContact) -> Typed<Contact> {
        self.send_typed(
            reqwest::Method::POST,
            &routes::partner_contacts(partner_id),
            Some(input),
        )
        .await
    }

    pub async fn change_contact(&self, id: Uuid, patch: &ContactPatch) -> Typed<Contact> {
        self.send_typed(reqwest::Method::PATCH, &routes::contact(id), Some(patch))
            .await
    }

    pub async fn timeline(&self, partner_id: Uuid, q: &TimelineQuery) -> Typed<Page<Activity>> {
        self.get_typed(&query(&routes::partner_activities(partner_id), q))
            .await
    }

    pub async fn log_activity(&self, partner_id: Uuid, input: &NewActivity) -> Typed<Activity> {
        self.send_typed(
            reqwest::Method::POST,
            &routes::partner_activities(partner_id),
            Some(input),
        )
        .await
    }

    pub async fn change_activity(&self, id: Uuid, patch: &ActivityPatch) -> Typed<Activity> {
        self.send_typed(reqwest::Method::PATCH, &routes::activity(id), Some(patch))
            .await
    }

    pub async fn next_steps(&self, q: &NextStepQuery) -> Typed<Vec<Activity>> {
        self.get_typed(&query(routes::ACTIVITIES, q)).await
    }
}
