//! Each page render runs all of its tasks on the thread that serves its connection.
//!
//! Leptos spawns a task for every resource, effect and suspense boundary of a page. With the
//! stock Tokio executor those tasks run on any worker, beside the render and beside each other,
//! and Leptos' reactive graph has races between threads. Two were seen here under load, both
//! when a page's owner was dropped on one worker while its tasks ran on another:
//! - a worker deadlocked for good: `use_context` walked up the owners under a read lock and,
//!   holding it, dropped the last reference to an ancestor owner; the ancestor's cleanup then
//!   waited for a write lock on the owner being read (a stack taken with gdb);
//! - a task read a signal that another worker had just disposed, and panicked.
//!
//! [`super::render_to_end`] removes the trigger seen (a client leaving mid-render). This module
//! removes the concurrency itself: the page's tasks go into a [`PageTasks`] set that the page's
//! own response future and body poll, so no two parts of one page's reactive work ever run at
//! once, whatever Leptos disposes when. Tasks spawned outside a page still go to Tokio.
//!
//! One consequence: a page task that panics now ends its page's connection (the panic reaches
//! the connection's task), where before it ended only itself and left the page waiting.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use any_spawner::{CustomExecutor, Executor, PinnedFuture, PinnedLocalFuture};
use futures::StreamExt;
use futures::stream::FuturesUnordered;

tokio::task_local! {
    static CURRENT_PAGE: Arc<Inbox>;
}

/// Installs the executor that keeps a page's tasks with the page. Call it before anything
/// else sets Leptos' executor (`leptos_axum` sets Tokio's when none is set); a second call
/// does nothing.
pub fn install_executor() {
    if Executor::init_custom_executor(PageExecutor).is_err() {
        tracing::debug!("Leptos' executor was set already");
    }
}

struct PageExecutor;

impl CustomExecutor for PageExecutor {
    fn spawn(&self, task: PinnedFuture<()>) {
        match CURRENT_PAGE.try_with(Arc::clone) {
            Ok(inbox) => inbox.push(task),
            Err(_) => {
                tokio::spawn(task);
            }
        }
    }

    fn spawn_local(&self, task: PinnedLocalFuture<()>) {
        tokio::task::spawn_local(task);
    }

    fn poll_local(&self) {}
}

/// Tasks spawned while one of the page's futures is polled, waiting to join the set. Spawns
/// happen only inside [`PageTasks::poll_with`], which empties the inbox before it returns, so
/// no waker is needed.
#[derive(Default)]
struct Inbox {
    new: Mutex<Vec<PinnedFuture<()>>>,
}

impl Inbox {
    fn push(&self, task: PinnedFuture<()>) {
        self.lock().push(task);
    }

    fn take(&self) -> Vec<PinnedFuture<()>> {
        std::mem::take(&mut *self.lock())
    }

    fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<PinnedFuture<()>>> {
        // A panicking task leaves the list itself intact.
        self.new.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The tasks of one page render. Dropping it drops the tasks still running.
#[derive(Default)]
pub struct PageTasks {
    inbox: Arc<Inbox>,
    running: FuturesUnordered<PinnedFuture<()>>,
}

impl PageTasks {
    /// Polls `page` (the render, or its body) with this page's tasks: spawns made while it
    /// or a task runs join the set, and every task ready to go runs, on this thread.
    pub fn poll_with<T>(
        &mut self,
        cx: &mut Context<'_>,
        mut page: impl FnMut(&mut Context<'_>) -> Poll<T>,
    ) -> Poll<T> {
        let inbox = Arc::clone(&self.inbox);
        CURRENT_PAGE.sync_scope(inbox, || {
            loop {
                if let Poll::Ready(output) = page(cx) {
                    return Poll::Ready(output);
                }
                self.run_ready_tasks(cx);
                // The tasks may have made the page ready; if polling it spawns more, go round.
                if let Poll::Ready(output) = page(cx) {
                    return Poll::Ready(output);
                }
                if self.inbox.is_empty() {
                    return Poll::Pending;
                }
            }
        })
    }

    fn run_ready_tasks(&mut self, cx: &mut Context<'_>) {
        loop {
            self.running.extend(self.inbox.take());
            // `Ready(None)` is an empty set; `Pending` means every task waits on something.
            while let Poll::Ready(Some(())) = self.running.poll_next_unpin(cx) {}
            if self.inbox.is_empty() {
                return;
            }
        }
    }
}

/// A future polled together with its page's tasks.
pub struct WithPageTasks<F> {
    pub future: F,
    pub tasks: PageTasks,
}

impl<F: Future + Unpin> Future for WithPageTasks<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.get_mut();
        let future = &mut this.future;
        this.tasks
            .poll_with(cx, |cx| Pin::new(&mut *future).poll(cx))
    }
}

#[cfg(test)]
mod tests {
    use std::thread::ThreadId;

    use futures::channel::oneshot;

    use super::*;

    /// Spawns, through Leptos' executor, a task that says which thread ran it.
    fn spawn_reporting_thread() -> oneshot::Receiver<ThreadId> {
        let (tx, rx) = oneshot::channel();
        Executor::spawn(async move {
            // Give the other worker every chance to steal the task if it could.
            for _ in 0..10 {
                tokio::task::yield_now().await;
            }
            let _ = tx.send(std::thread::current().id());
        });
        rx
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_pages_tasks_never_run_at_the_same_time() {
        use std::sync::atomic::{AtomicBool, Ordering};
        install_executor();
        let busy = Arc::new(AtomicBool::new(false));
        let overlapped = Arc::new(AtomicBool::new(false));
        let page = WithPageTasks {
            future: Box::pin({
                let (busy, overlapped) = (busy.clone(), overlapped.clone());
                async move {
                    let mut done = Vec::new();
                    for _ in 0..4 {
                        let (tx, rx) = oneshot::channel::<()>();
                        let (busy, overlapped) = (busy.clone(), overlapped.clone());
                        // Each task holds the page for a while, as a render step does; on
                        // Tokio's own executor the other worker steals and runs one beside it.
                        Executor::spawn(async move {
                            for _ in 0..5 {
                                if busy.swap(true, Ordering::SeqCst) {
                                    overlapped.store(true, Ordering::SeqCst);
                                }
                                std::thread::sleep(std::time::Duration::from_millis(2));
                                busy.store(false, Ordering::SeqCst);
                                tokio::task::yield_now().await;
                            }
                            let _ = tx.send(());
                        });
                        done.push(rx);
                    }
                    futures::future::join_all(done).await;
                }
            }),
            tasks: PageTasks::default(),
        };
        tokio::spawn(page).await.unwrap();
        assert!(
            !overlapped.load(Ordering::SeqCst),
            "two of the page's tasks ran at once"
        );
    }

    #[tokio::test]
    async fn tasks_spawned_outside_a_page_still_run() {
        install_executor();
        let thread =
            tokio::time::timeout(std::time::Duration::from_secs(5), spawn_reporting_thread())
                .await
                .expect("a task spawned outside a page never ran");
        assert_eq!(thread.unwrap(), std::thread::current().id());
    }

    #[tokio::test]
    async fn dropping_a_pages_tasks_drops_the_tasks_still_waiting() {
        install_executor();
        let (tx, rx) = oneshot::channel::<()>();
        let mut tasks = PageTasks::default();
        let mut page = std::pin::pin!(async {
            Executor::spawn(async move {
                std::future::pending::<()>().await;
                drop(tx);
            });
        });
        let mut cx = Context::from_waker(futures::task::noop_waker_ref());
        assert!(
            tasks
                .poll_with(&mut cx, |cx| page.as_mut().poll(cx))
                .is_ready()
        );
        drop(tasks);
        // The task held the sender; dropping the set dropped it.
        let answer = tokio::time::timeout(std::time::Duration::from_secs(5), rx).await;
        assert!(matches!(answer, Ok(Err(_))), "the task outlived its page");
    }
}
