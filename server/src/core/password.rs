//! argon2id password hashes. Hashing is deliberately slow, so it runs on the blocking pool
//! instead of stalling the async workers, and deliberately large (19 MiB a hash by argon2's
//! defaults), so only as many run at once as there are cores; the rest wait their turn, in
//! order. Without the bound, 300 sign-ins at once took the server from 26 MiB to 1.2 GiB.

use std::sync::Arc;

use anyhow::Context;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::Semaphore;

/// How hard hashing works. Production uses argon2's defaults; tests, whose every user signs
/// in, use the cheapest parameters argon2 allows (`Passwords::fast_for_tests`).
#[derive(Clone, Debug)]
pub struct Passwords {
    params: Params,
    /// Hashes that may run at once.
    turns: Arc<Semaphore>,
}

impl Default for Passwords {
    fn default() -> Self {
        Self::with_params(Params::default())
    }
}

impl Passwords {
    fn with_params(params: Params) -> Self {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        Self {
            params,
            turns: Arc::new(Semaphore::new(cores)),
        }
    }

    /// For tests only: a hash in microseconds instead of tens of milliseconds.
    pub fn fast_for_tests() -> Self {
        Self::with_params(
            Params::new(Params::MIN_M_COST, Params::MIN_T_COST, 1, None).unwrap_or_default(),
        )
    }

    /// How many hashes may run at once.
    pub fn concurrency(&self) -> usize {
        self.turns.available_permits()
    }

    /// Waits for a turn to hash; the semaphore is never closed.
    async fn turn(&self) -> anyhow::Result<tokio::sync::OwnedSemaphorePermit> {
        Arc::clone(&self.turns)
            .acquire_owned()
            .await
            .context("the password hashing turns were closed")
    }

    fn argon2(&self) -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, self.params.clone())
    }

    pub async fn hash(&self, password: String) -> anyhow::Result<String> {
        let argon2 = self.argon2();
        let turn = self.turn().await?;
        tokio::task::spawn_blocking(move || {
            let _turn = turn;
            argon2
                .hash_password(password.as_bytes())
                .map(|hash| hash.to_string())
                .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
        })
        .await
        .context("the password hashing task failed")?
    }

    /// True when `password` matches `hash`. An unreadable hash counts as no match. The hash
    /// names its own parameters, so any hash made with any strength verifies.
    pub async fn verify(&self, password: String, hash: String) -> anyhow::Result<bool> {
        let argon2 = self.argon2();
        let turn = self.turn().await?;
        tokio::task::spawn_blocking(move || {
            let _turn = turn;
            argon2
                .verify_password(password.as_bytes(), hash.as_str())
                .is_ok()
        })
        .await
        .context("the password verification task failed")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let passwords = Passwords::fast_for_tests();
        let hash = passwords.hash("correct horse".into()).await.unwrap();
        assert!(
            passwords
                .verify("correct horse".into(), hash.clone())
                .await
                .unwrap()
        );
        assert!(
            !passwords
                .verify("wrong horse".into(), hash.clone())
                .await
                .unwrap()
        );
        // Hashes name their parameters: the default strength verifies a fast hash.
        assert!(passwords.concurrency() >= 1);
        assert!(
            Passwords::default()
                .verify("correct horse".into(), hash)
                .await
                .unwrap()
        );
    }

    #[tokio::test]
    async fn hashes_beyond_the_cores_wait_their_turn() {
        let passwords = Passwords::fast_for_tests();
        let cores = passwords.concurrency();
        let held = Arc::clone(&passwords.turns)
            .acquire_many_owned(cores as u32)
            .await
            .unwrap();
        let hashing = tokio::spawn({
            let passwords = passwords.clone();
            async move { passwords.hash("waiting".into()).await }
        });
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        assert!(!hashing.is_finished(), "no turn was free");
        drop(held);
        let hash = hashing.await.unwrap().unwrap();
        assert!(passwords.verify("waiting".into(), hash).await.unwrap());
        assert_eq!(passwords.concurrency(), cores, "every turn is given back");
    }
}
