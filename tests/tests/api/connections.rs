//! W3: a client holding many half-open connections (the head of a request sent slowly, or not
//! at all) cannot stop the server answering others: connections past the per-address limit are
//! closed at once, and the ones held are closed once the header timeout passes.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use liaison_tests::{TestDb, spawn_app_tuned};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

const HELD: usize = 300;

/// A connection from `from` that sends the start of a request head and no more.
async fn half_open(server: SocketAddr, from: [u8; 4]) -> TcpStream {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind(SocketAddr::from((from, 0))).unwrap();
    let mut stream = socket.connect(server).await.unwrap();
    // The server may already have closed it (past the limit): then the write may fail.
    let _ = stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await;
    stream
}

/// Whether the server has closed `stream` (end of stream or a reset), waiting up to `wait`.
async fn closed(stream: &mut TcpStream, wait: Duration) -> bool {
    let mut buffer = [0u8; 256];
    match tokio::time::timeout(wait, stream.read(&mut buffer)).await {
        Ok(Ok(0)) | Ok(Err(_)) => true,
        // hyper may answer a timed-out head with a 408 before closing.
        Ok(Ok(_)) => matches!(
            tokio::time::timeout(wait, stream.read(&mut buffer)).await,
            Ok(Ok(0)) | Ok(Err(_))
        ),
        Err(_) => false,
    }
}

#[tokio::test]
async fn half_open_connections_do_not_stop_the_server_and_are_closed_after_the_timeout() {
    let db = TestDb::migrated().await.unwrap();
    let app = spawn_app_tuned(db, |settings| {
        settings.header_timeout_secs = 2;
        settings.max_connections_per_address = 100;
    })
    .await;
    let server = SocketAddr::from(([127, 0, 0, 1], app.port));
    let mut held = Vec::with_capacity(HELD);
    for _ in 0..HELD {
        held.push(half_open(server, [127, 0, 31, 7]).await);
    }

    let started = Instant::now();
    let health = reqwest::Client::new()
        .get(app.url("/healthz"))
        .timeout(Duration::from_secs(1))
        .send()
        .await
        .expect("/healthz answers while the connections are held");
    assert_eq!(health.status(), 200);
    assert!(started.elapsed() < Duration::from_secs(1));

    // Past the address's limit: closed at once.
    let mut refused = 0;
    for stream in held.iter_mut().skip(100) {
        refused += usize::from(closed(stream, Duration::from_millis(200)).await);
    }
    assert_eq!(refused, HELD - 100);
    // Within it: still open now, closed once the header timeout has passed.
    let mut open_now = 0;
    for stream in held.iter_mut().take(100) {
        open_now += usize::from(!closed(stream, Duration::from_millis(1)).await);
    }
    assert!(open_now > 90, "{open_now} of 100 held before the timeout");
    tokio::time::sleep(Duration::from_secs(2)).await;
    let mut timed_out = 0;
    for stream in held.iter_mut().take(100) {
        timed_out += usize::from(closed(stream, Duration::from_secs(2)).await);
    }
    assert_eq!(
        timed_out, 100,
        "every held connection is closed after the timeout"
    );
    // Its slots are free again: a new connection from it is held, not closed at once.
    let mut again = half_open(server, [127, 0, 31, 7]).await;
    assert!(!closed(&mut again, Duration::from_millis(300)).await);
    assert_eq!(
        reqwest::get(app.url("/healthz")).await.unwrap().status(),
        200
    );
}
