//! Background work: jobs that `liaison serve` starts beside the HTTP server and stops with it,
//! within the shutdown grace. Each job gets the same [`Context`] services do, and a stop signal
//! it checks between units of work (a unit being a transaction), so a stop never cuts one in
//! half.
//!
//! Two jobs run: at start-up, indexing for search the partners whose entry is missing or
//! stale (written by an import, a restore, an older version); and every hour, deleting expired
//! sessions and sign-in attempts past their window. The outbox's delivery worker
//! will be the next (`FOR UPDATE SKIP LOCKED` on PostgreSQL, one worker on SQLite).

use std::future::Future;
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::areas::{partners, staff};
use crate::core::Context;

/// How often the start-up search repair is tried before the failure is left to the log.
const REINDEX_ATTEMPTS: u32 = 5;

/// How often expired sessions and old sign-in attempts are deleted (and once at start-up).
const SWEEP_EVERY: Duration = Duration::from_secs(3600);

/// Tells a job to stop after its current unit of work.
#[derive(Clone)]
pub struct StopSignal(watch::Receiver<bool>);

impl StopSignal {
    pub fn is_set(&self) -> bool {
        *self.0.borrow()
    }

    /// Completes once a stop is asked for.
    pub async fn wait(&mut self) {
        let _ = self.0.wait_for(|stop| *stop).await;
    }
}

/// The running jobs.
pub struct Runner {
    stop: watch::Sender<bool>,
    jobs: JoinSet<()>,
}

impl Runner {
    pub fn new() -> Self {
        Self {
            stop: watch::channel(false).0,
            jobs: JoinSet::new(),
        }
    }

    /// The jobs of a serving instance.
    pub fn start(ctx: &Context) -> Self {
        let mut runner = Self::new();
        let ctx_sweep = ctx.clone();
        let ctx = ctx.clone();
        runner.spawn("index partners for search", move |mut stop| async move {
            // One transaction; on SQLite a writer committing meanwhile can make it give up
            // (busy). It is tried again, a few times, unless the server is stopping.
            let mut attempt = 1;
            loop {
                match partners::service::reindex(&ctx, |_| {}).await {
                    Ok(indexed) => {
                        if indexed > 0 {
                            tracing::info!(partners = indexed, "indexed partners for search");
                        }
                        return Ok(());
                    }
                    Err(error) if attempt < REINDEX_ATTEMPTS => {
                        tracing::warn!(attempt, error = %error, "indexing for search failed; trying again");
                        attempt += 1;
                        tokio::select! {
                            () = stop.wait() => return Ok(()),
                            () = tokio::time::sleep(Duration::from_secs(1)) => {}
                        }
                    }
                    Err(error) => return Err(error.into()),
                }
            }
        });
        runner.spawn("delete expired sessions", move |mut stop| async move {
            loop {
                match staff::sessions::delete_expired(&ctx_sweep).await {
                    Ok(0) => {}
                    Ok(deleted) => {
                        tracing::info!(deleted, "deleted expired sessions and sign-in attempts")
                    }
                    // A busy database now is one later: the next round tries again.
                    Err(error) => tracing::warn!(error = %error, "deleting expired sessions"),
                }
                tokio::select! {
                    () = stop.wait() => return Ok(()),
                    () = tokio::time::sleep(SWEEP_EVERY) => {}
                }
            }
        });
        runner
    }

    /// Runs `job` until it ends; its failure is logged, never fatal to the server.
    pub fn spawn<F, Fut>(&mut self, name: &'static str, job: F)
    where
        F: FnOnce(StopSignal) -> Fut + Send + 'static,
        Fut: Future<Output = anyhow::Result<()>> + Send + 'static,
    {
        let stop = StopSignal(self.stop.subscribe());
        self.jobs.spawn(async move {
            if let Err(error) = job(stop).await {
                tracing::error!(job = name, error = format!("{error:#}"), "job failed");
            }
        });
    }

    /// Asks every job to stop and waits for them up to `grace`; the rest are cancelled.
    pub async fn stop(mut self, grace: Duration) {
        let _ = self.stop.send(true);
        let all_done = async { while self.jobs.join_next().await.is_some() {} };
        if tokio::time::timeout(grace, all_done).await.is_err() {
            tracing::warn!("background jobs did not stop in time; cancelling them");
            self.jobs.abort_all();
        }
    }
}

impl Default for Runner {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;

    #[tokio::test]
    async fn a_stop_reaches_a_job_between_its_units_of_work() {
        let units = Arc::new(AtomicU32::new(0));
        let mut runner = Runner::new();
        let counted = units.clone();
        runner.spawn("count", move |mut stop| async move {
            loop {
                counted.fetch_add(1, Ordering::SeqCst);
                tokio::select! {
                    () = stop.wait() => return Ok(()),
                    () = tokio::time::sleep(Duration::from_millis(5)) => {}
                }
            }
        });
        tokio::time::sleep(Duration::from_millis(30)).await;
        runner.stop(Duration::from_secs(1)).await;
        let at_stop = units.load(Ordering::SeqCst);
        assert!(at_stop >= 2, "the job ran ({at_stop} units)");
        tokio::time::sleep(Duration::from_millis(30)).await;
        assert_eq!(
            units.load(Ordering::SeqCst),
            at_stop,
            "and ran no more after the stop"
        );
    }

    #[tokio::test]
    async fn a_job_that_ignores_the_stop_is_cancelled_after_the_grace() {
        let mut runner = Runner::new();
        runner.spawn("stubborn", |_stop| async {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            Ok(())
        });
        let started = std::time::Instant::now();
        runner.stop(Duration::from_millis(50)).await;
        assert!(started.elapsed() < Duration::from_secs(2));
    }
}
