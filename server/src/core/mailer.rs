//! Sending email, as a seam. Nothing sends mail yet; the follow-up engine will queue messages
//! in the outbox and a job will hand them to the [`Mailer`] in its context: SMTP in
//! production, [`MemoryMailer`] in tests that need to see what went out.

use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;

/// One message, ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub text: String,
}

pub type SendResult<'a> = Pin<Box<dyn Future<Output = anyhow::Result<()>> + Send + 'a>>;

pub trait Mailer: Send + Sync {
    fn send<'a>(&'a self, email: &'a Email) -> SendResult<'a>;
}

/// For an instance with no mail server configured: refuses, so a job retries once one is.
pub struct NoMailer;

impl Mailer for NoMailer {
    fn send<'a>(&'a self, email: &'a Email) -> SendResult<'a> {
        Box::pin(
            async move { anyhow::bail!("no mail server is configured (message to {})", email.to) },
        )
    }
}

/// Keeps what it was given: for tests.
#[derive(Default)]
pub struct MemoryMailer(Mutex<Vec<Email>>);

impl MemoryMailer {
    pub fn sent(&self) -> Vec<Email> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

impl Mailer for MemoryMailer {
    fn send<'a>(&'a self, email: &'a Email) -> SendResult<'a> {
        Box::pin(async move {
            self.0
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(email.clone());
            Ok(())
        })
    }
}
