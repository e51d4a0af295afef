//! argon2id password hashes. Hashing is deliberately slow, so it runs on the blocking pool
//! instead of stalling the async workers.

use anyhow::Context;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

/// How hard hashing works. Production uses argon2's defaults; tests, whose every user signs
/// in, use the cheapest parameters argon2 allows (`Passwords::fast_for_tests`).
#[derive(Clone, Debug, Default)]
pub struct Passwords {
    params: Params,
}

impl Passwords {
    /// For tests only: a hash in microseconds instead of tens of milliseconds.
    pub fn fast_for_tests() -> Self {
        Self {
            params: Params::new(Params::MIN_M_COST, Params::MIN_T_COST, 1, None)
                .unwrap_or_default(),
        }
    }

    fn argon2(&self) -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, self.params.clone())
    }

    pub async fn hash(&self, password: String) -> anyhow::Result<String> {
        let argon2 = self.argon2();
        tokio::task::spawn_blocking(move || {
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
        tokio::task::spawn_blocking(move || {
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
        assert!(
            Passwords::default()
                .verify("correct horse".into(), hash)
                .await
                .unwrap()
        );
    }
}
