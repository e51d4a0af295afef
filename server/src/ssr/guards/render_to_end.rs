//! Page renders run to their end, even when the client leaves midway.
//!
//! Leptos disposes a page's reactive owner when the page's response future or body is dropped.
//! On a multi-threaded runtime a `<Suspense>` effect of the same page can be running on another
//! worker at that moment; it then reads signals that are already gone and panics ("Tried to
//! access a reactive value that has already been disposed"). Under load this happened about
//! once per thousand requests whose client disconnected mid-page.
//!
//! [`RenderToEndLayer`] never drops a render midway: a response future dropped before it is
//! ready, or a body dropped before its end, is handed to a task that drives it to the end and
//! throws the output away. A render takes milliseconds; [`FINISH_LIMIT`] bounds the rest.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes, HttpBody};
use http::{Request, Response};
use http_body::{Frame, SizeHint};
use tower::{Layer, Service};

use super::page_tasks::{PageTasks, WithPageTasks};

/// How long a render whose client left may go on before it is dropped after all.
pub const FINISH_LIMIT: Duration = Duration::from_secs(30);

/// Wraps page routes so their renders are never dropped midway (see the module docs).
#[derive(Clone, Copy, Default)]
pub struct RenderToEndLayer;

impl<S> Layer<S> for RenderToEndLayer {
    type Service = RenderToEnd<S>;

    fn layer(&self, inner: S) -> Self::Service {
        RenderToEnd { inner }
    }
}

#[derive(Clone)]
pub struct RenderToEnd<S> {
    inner: S,
}

impl<S> Service<Request<Body>> for RenderToEnd<S>
where
    S: Service<Request<Body>, Response = Response<Body>, Error = Infallible>,
    S::Future: Send + 'static,
{
    type Response = Response<Body>;
    type Error = Infallible;
    type Future = FinishOnDrop;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<Body>) -> Self::Future {
        FinishOnDrop {
            render: Some(Box::pin(self.inner.call(request))),
            tasks: PageTasks::default(),
        }
    }
}

type Render = Pin<Box<dyn Future<Output = Result<Response<Body>, Infallible>> + Send>>;

/// The response future: if dropped before it is ready, the render goes on in its own task.
pub struct FinishOnDrop {
    render: Option<Render>,
    tasks: PageTasks,
}

impl Future for FinishOnDrop {
    type Output = Result<Response<Body>, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let Some(render) = this.render.as_mut() else {
            // Only a caller that polls a finished future gets here; there is nothing left.
            return Poll::Pending;
        };
        let Poll::Ready(Ok(response)) = this.tasks.poll_with(cx, |cx| render.as_mut().poll(cx))
        else {
            return Poll::Pending;
        };
        this.render = None;
        let tasks = std::mem::take(&mut this.tasks);
        Poll::Ready(Ok(response.map(|body| {
            Body::new(DrainOnDrop {
                body: (!body.is_end_stream()).then_some(body),
                tasks,
            })
        })))
    }
}

impl Drop for FinishOnDrop {
    fn drop(&mut self) {
        if let Some(render) = self.render.take() {
            let tasks = std::mem::take(&mut self.tasks);
            finish_elsewhere(async move {
                let mut render = WithPageTasks {
                    future: render,
                    tasks,
                };
                let Ok(response) = (&mut render).await;
                drain(response.into_body(), std::mem::take(&mut render.tasks)).await;
            });
        }
    }
}

/// A response body that runs its page's tasks as it is read and, if dropped before its end,
/// is read to the end in its own task.
struct DrainOnDrop {
    /// `None` once the body has ended.
    body: Option<Body>,
    tasks: PageTasks,
}

impl HttpBody for DrainOnDrop {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let this = self.get_mut();
        let Some(body) = this.body.as_mut() else {
            return Poll::Ready(None);
        };
        let frame = this
            .tasks
            .poll_with(cx, |cx| Pin::new(&mut *body).poll_frame(cx));
        if matches!(frame, Poll::Ready(None | Some(Err(_)))) {
            this.body = None;
            // The page is over: what its tasks still wait for, nobody will read.
            this.tasks = PageTasks::default();
        }
        frame
    }

    fn is_end_stream(&self) -> bool {
        self.body.as_ref().is_none_or(HttpBody::is_end_stream)
    }

    fn size_hint(&self) -> SizeHint {
        self.body
            .as_ref()
            .map_or_else(|| SizeHint::with_exact(0), HttpBody::size_hint)
    }
}

impl Drop for DrainOnDrop {
    fn drop(&mut self) {
        if let Some(body) = self.body.take() {
            finish_elsewhere(drain(body, std::mem::take(&mut self.tasks)));
        }
    }
}

/// Reads a page's body to its end, running its tasks. It holds the bare body, not a
/// [`DrainOnDrop`]: when this task is dropped in turn (past the limit, or by a runtime shutting
/// down, which drops each new task at once), the page must end there. Handing it on again from
/// there recursed until the stack overflowed, and `liaison serve` stopped right after a load
/// aborted instead of exiting.
async fn drain(mut body: Body, mut tasks: PageTasks) {
    std::future::poll_fn(|cx| {
        loop {
            match tasks.poll_with(cx, |cx| Pin::new(&mut body).poll_frame(cx)) {
                Poll::Ready(Some(Ok(_))) => continue,
                Poll::Ready(None | Some(Err(_))) => return Poll::Ready(()),
                Poll::Pending => return Poll::Pending,
            }
        }
    })
    .await
}

fn finish_elsewhere(work: impl Future<Output = ()> + Send + 'static) {
    // Outside a runtime (a test dropping a response after its runtime ended) there is no
    // render left to race with.
    if let Ok(runtime) = tokio::runtime::Handle::try_current() {
        runtime.spawn(async move {
            if tokio::time::timeout(FINISH_LIMIT, work).await.is_err() {
                tracing::warn!("a page render whose client left ran past the limit; dropped it");
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use futures::StreamExt;
    use tokio::sync::Notify;
    use tower::ServiceExt;

    use super::*;

    /// Counts the steps of a render (one per await) and says when the last one ran.
    #[derive(Clone, Default)]
    struct Progress {
        steps: Arc<AtomicUsize>,
        done: Arc<Notify>,
    }

    impl Progress {
        fn step(&self) {
            self.steps.fetch_add(1, Ordering::SeqCst);
        }

        async fn wait_until_done(&self) {
            tokio::time::timeout(Duration::from_secs(5), self.done.notified())
                .await
                .expect("the render did not run to its end");
        }
    }

    /// A page whose response takes three steps and whose body is three chunks, each after a
    /// yield, as a streamed Leptos page is.
    fn slow_page(
        progress: Progress,
    ) -> RenderToEnd<
        impl Service<
            Request<Body>,
            Response = Response<Body>,
            Error = Infallible,
            Future: Send + 'static,
        >,
    > {
        RenderToEndLayer.layer(tower::service_fn(move |_request: Request<Body>| {
            let progress = progress.clone();
            async move {
                for _ in 0..3 {
                    tokio::task::yield_now().await;
                    progress.step();
                }
                let chunks = futures::stream::iter(["<p>one</p>", "<p>two</p>", "<p>three</p>"])
                    .then(move |chunk| {
                        let progress = progress.clone();
                        async move {
                            tokio::task::yield_now().await;
                            progress.step();
                            if chunk.contains("three") {
                                progress.done.notify_one();
                            }
                            Ok::<_, Infallible>(chunk)
                        }
                    });
                Ok(Response::new(Body::from_stream(chunks)))
            }
        }))
    }

    /// The slow page's response, once it is ready.
    async fn respond(progress: &Progress) -> Response<Body> {
        slow_page(progress.clone())
            .oneshot(Request::new(Body::empty()))
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn a_page_read_to_the_end_is_sent_whole() {
        let progress = Progress::default();
        let response = respond(&progress).await;
        let body = axum::body::to_bytes(response.into_body(), 1024)
            .await
            .unwrap();
        assert_eq!(&body[..], b"<p>one</p><p>two</p><p>three</p>");
        assert_eq!(progress.steps.load(Ordering::SeqCst), 6);
    }

    #[tokio::test]
    async fn a_render_dropped_before_its_response_runs_to_the_end() {
        let progress = Progress::default();
        let mut page = slow_page(progress.clone());
        let mut response = std::pin::pin!(None::<FinishOnDrop>);
        response.set(Some(page.call(Request::new(Body::empty()))));
        // One poll starts the render; then the client is gone.
        let first = futures::poll!(response.as_mut().as_pin_mut().unwrap());
        assert!(first.is_pending());
        response.set(None);
        progress.wait_until_done().await;
        assert_eq!(progress.steps.load(Ordering::SeqCst), 6);
    }

    #[tokio::test]
    async fn a_body_dropped_after_its_first_chunk_is_read_to_the_end() {
        let progress = Progress::default();
        let response = respond(&progress).await;
        let mut chunks = response.into_body().into_data_stream();
        assert_eq!(&chunks.next().await.unwrap().unwrap()[..], b"<p>one</p>");
        drop(chunks);
        progress.wait_until_done().await;
        assert_eq!(progress.steps.load(Ordering::SeqCst), 6);
    }

    /// A runtime shutting down drops every task, and drops at once each task spawned meanwhile.
    #[test]
    fn a_runtime_shutting_down_drops_an_unfinished_page_once() {
        let drops = Arc::new(AtomicUsize::new(0));
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            /// Counts its drops; never ends.
            struct Endless(Arc<AtomicUsize>);
            impl Drop for Endless {
                fn drop(&mut self) {
                    self.0.fetch_add(1, Ordering::SeqCst);
                }
            }
            let endless = Endless(drops.clone());
            let polled = Arc::new(Notify::new());
            let chunks = futures::stream::poll_fn({
                let polled = polled.clone();
                move |_cx| {
                    let _keep = &endless;
                    polled.notify_one();
                    Poll::<Option<Result<Bytes, Infallible>>>::Pending
                }
            });
            let body = DrainOnDrop {
                body: Some(Body::from_stream(chunks)),
                tasks: PageTasks::default(),
            };
            // The client leaves: the body goes on being read in its own task.
            drop(body);
            polled.notified().await;
        });
        assert_eq!(
            drops.load(Ordering::SeqCst),
            0,
            "the body is still being read"
        );
        runtime.shutdown_timeout(Duration::from_secs(5));
        assert_eq!(drops.load(Ordering::SeqCst), 1);
    }
}
