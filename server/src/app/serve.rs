//! Serving connections, with the limits a server facing the internet needs (W3 of the
//! security review: 20,000 half-open connections from one client that never signed in held
//! every file descriptor, and `/healthz` stopped answering):
//!
//! - a request's head must arrive within [`Limits::header_read_timeout`], and a keep-alive
//!   connection waiting for its next request is closed after the same time (hyper's header
//!   timer starts whenever the connection waits for a head), so a slow or idle client lets go;
//! - at most [`Limits::max_connections`] open at once, and [`Limits::max_connections_per_address`]
//!   from one client address: a connection past either is closed at once, so one client cannot
//!   take the server's file descriptors from everyone else.
//!
//! - a request body may not pause longer than [`Limits::header_read_timeout`] between frames
//!   either, so a client sending its body a byte at a time lets go as well.
//!
//! Everything else is what `axum::serve` did: `TCP_NODELAY`, the peer's address as
//! `ConnectInfo`, and on shutdown the requests under way finish. HTTP/1.1 only (see `serve`).

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;

/// What one server accepts.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub header_read_timeout: Duration,
    pub max_connections: usize,
    pub max_connections_per_address: usize,
}

/// Open connections by client address, and the limit for each.
struct PerAddress {
    open: Mutex<HashMap<IpAddr, usize>>,
    limit: usize,
}

/// One open connection's place in [`PerAddress`], given back when dropped.
struct Slot {
    table: Arc<PerAddress>,
    address: IpAddr,
}

impl PerAddress {
    fn take(table: &Arc<PerAddress>, address: IpAddr) -> Option<Slot> {
        let mut open = table
            .open
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let count = open.entry(address).or_insert(0);
        if *count >= table.limit {
            return None;
        }
        *count += 1;
        Some(Slot {
            table: Arc::clone(table),
            address,
        })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self
            .table
            .open
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(count) = open.get_mut(&self.address) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.address);
            }
        }
    }
}

/// Who a connection's address counts as for the per-address limit: an IPv4 address itself (an
/// IPv4-mapped IPv6 one as IPv4), an IPv6 address by its /64, which one host commonly has
/// whole.
fn client_key(address: IpAddr) -> IpAddr {
    match address.to_canonical() {
        IpAddr::V6(v6) => IpAddr::V6(std::net::Ipv6Addr::from(u128::from(v6) & (u128::MAX << 64))),
        v4 => v4,
    }
}

/// Serves `router` on `listener` until `shutdown` completes, then lets the requests under way
/// finish (idle connections are closed).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // HTTP/1.1 only: without TLS no browser speaks HTTP/2, and hyper's HTTP/2 has no header
    // timeout, so a client could hold an idle HTTP/2 connection forever.
    let mut builder = Builder::new(TokioExecutor::new()).http1_only();
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    let graceful = GracefulShutdown::new();
    let total = Arc::new(Semaphore::new(limits.max_connections));
    let per_address = Arc::new(PerAddress {
        open: Mutex::new(HashMap::new()),
        limit: limits.max_connections_per_address,
    });
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors, or a connection reset before it was taken:
                    // wait a moment rather than spin (what axum::serve does).
                    tracing::warn!(%error, "accepting a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Ok(permit) = Arc::clone(&total).try_acquire_owned() else {
            tracing::debug!(%peer, "refused a connection: the server is at its limit");
            continue;
        };
        let Some(slot) = PerAddress::take(&per_address, client_key(peer.ip())) else {
            tracing::debug!(%peer, "refused a connection: this address is at its limit");
            continue;
        };
        // Without it, streamed SSR pages waited ~40 ms for delayed ACKs on keep-alive
        // connections.
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let service = tower::service_fn(move |mut request: axum::extract::Request<_>| {
            request
                .extensions_mut()
                .insert(ConnectInfo::<SocketAddr>(peer));
            let body_timeout = limits.header_read_timeout;
            router.clone().oneshot(request.map(|body| {
                axum::body::Body::new(tower_http::timeout::TimeoutBody::new(body_timeout, body))
            }))
        });
        let connection = builder
            .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service))
            .into_owned();
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(%peer, error = %error, "connection ended with an error");
            }
            drop((permit, slot));
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_gets_its_slots_back_when_its_connections_close() {
        let table = Arc::new(PerAddress {
            open: Mutex::new(HashMap::new()),
            limit: 2,
        });
        let here: IpAddr = [127, 0, 0, 1].into();
        let there: IpAddr = [127, 0, 0, 2].into();
        let first = PerAddress::take(&table, here).unwrap();
        let _second = PerAddress::take(&table, here).unwrap();
        assert!(PerAddress::take(&table, here).is_none());
        assert!(
            PerAddress::take(&table, there).is_some(),
            "another address is not held up"
        );
        drop(first);
        assert!(PerAddress::take(&table, here).is_some());
    }

    #[test]
    fn an_ipv6_host_counts_by_its_64_and_a_mapped_ipv4_as_ipv4() {
        let a: IpAddr = "2001:db8:1:2::5".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
        let c: IpAddr = "2001:db8:1:3::5".parse().unwrap();
        assert_eq!(client_key(a), client_key(b));
        assert_ne!(client_key(a), client_key(c));
        let mapped: IpAddr = "::ffff:10.1.2.3".parse().unwrap();
        assert_eq!(client_key(mapped), "10.1.2.3".parse::<IpAddr>().unwrap());
    }
}
