//! What a service works with besides its input and its actor.

use std::sync::Arc;

use super::clock::SystemClock;
use super::mailer::NoMailer;
use super::password::Passwords;
use super::{Clock, Db, Mailer};

#[derive(Clone)]
pub struct Context {
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub mailer: Arc<dyn Mailer>,
    pub passwords: Passwords,
}

impl Context {
    /// The production context: the system clock, no mail server yet, full-strength hashing.
    pub fn new(db: Db) -> Self {
        Self {
            db,
            clock: Arc::new(SystemClock),
            mailer: Arc::new(NoMailer),
            passwords: Passwords::default(),
        }
    }

    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }
}
