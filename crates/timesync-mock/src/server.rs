//! The server loop: a thread with its own Tokio runtime, an accept loop on 127.0.0.1 and one
//! HTTP/1.1 connection task per client. Faults are applied here, before routing, because some
//! of them (dropping the connection, never answering) cannot be expressed as a response.

use std::net::{SocketAddr, TcpListener as StdListener};
use std::sync::{Arc, Mutex, PoisonError, mpsc};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderValue, Request, Response, StatusCode, header};
use axum::response::IntoResponse;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;
use tower_service::Service as _;

use crate::error::{ApiError, MockError};
use crate::http::{BODY_LIMIT, RawPath, bad_gateway};
use crate::state::Shared;
use crate::{Fault, routes};

/// How long [`Fault::Hang`] holds a request at most before closing the connection.
pub(crate) const HANG_LIMIT: Duration = Duration::from_secs(60);

/// How long open connections get to finish when the server stops.
const SHUTDOWN_GRACE: Duration = Duration::from_millis(500);

/// How long dropping a server waits for its thread.
const JOIN_WAIT: Duration = Duration::from_secs(5);

/// A running server thread.
#[derive(Debug)]
pub(crate) struct Running {
    shutdown: watch::Sender<bool>,
    thread: Option<JoinHandle<()>>,
    // In a mutex only to make the handle `Sync`, so that tests can share one server.
    finished: Mutex<mpsc::Receiver<()>>,
}

/// The request was answered by closing the connection.
#[derive(Debug)]
struct Closed;

impl std::fmt::Display for Closed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection closed by fault injection")
    }
}

impl std::error::Error for Closed {}

/// Binds 127.0.0.1:`port` and serves `shared` from a new thread.
pub(crate) fn start(port: u16, shared: Arc<Shared>) -> Result<(SocketAddr, Running), MockError> {
    let requested = SocketAddr::from(([127, 0, 0, 1], port));
    let bind_error = |source| MockError::Bind {
        addr: requested,
        source,
    };
    let listener = StdListener::bind(requested).map_err(bind_error)?;
    listener.set_nonblocking(true).map_err(bind_error)?;
    let addr = listener.local_addr().map_err(bind_error)?;

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(MockError::Start)?;
    let (shutdown, shutdown_rx) = watch::channel(false);
    let (finished_tx, finished) = mpsc::channel();
    let thread = std::thread::Builder::new()
        .name(format!("timesync-mock-{}", addr.port()))
        .spawn(move || {
            runtime.block_on(serve(listener, shared, shutdown_rx));
            runtime.shutdown_timeout(SHUTDOWN_GRACE);
            // The handle may be gone already; nobody is left to tell.
            let _ = finished_tx.send(());
        })
        .map_err(MockError::Start)?;
    tracing::debug!(%addr, "timesync-mock listening");

    let running = Running {
        shutdown,
        thread: Some(thread),
        finished: Mutex::new(finished),
    };
    Ok((addr, running))
}

impl Drop for Running {
    fn drop(&mut self) {
        // Receivers may all be gone if the thread already ended.
        let _ = self.shutdown.send(true);
        let finished = self
            .finished
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner)
            .recv_timeout(JOIN_WAIT);
        match finished {
            Ok(()) | Err(mpsc::RecvTimeoutError::Disconnected) => {
                if let Some(thread) = self.thread.take() {
                    let _ = thread.join();
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                tracing::warn!("timesync-mock thread did not stop in time; leaving it behind");
            }
        }
    }
}

async fn serve(listener: StdListener, shared: Arc<Shared>, mut shutdown: watch::Receiver<bool>) {
    let listener = match TcpListener::from_std(listener) {
        Ok(listener) => listener,
        Err(error) => {
            tracing::error!(%error, "timesync-mock cannot listen");
            return;
        }
    };
    let router = routes::router(shared.clone());
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            _ = shutdown.changed() => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    connections.spawn(connection(stream, shared.clone(), router.clone(), shutdown.clone()));
                }
                Err(error) => {
                    // Out of file descriptors and the like: wait a little rather than spin.
                    tracing::debug!(%error, "accept failed");
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    let drain = async { while connections.join_next().await.is_some() {} };
    // Whatever is still open after the grace period is cut off.
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, drain).await;
}

// FIXME: a connection stays open for as long as the client keeps it, idle or not, until the
// server stops. The reference closes idle keep-alive connections after 5 seconds
// (`Keep-Alive: timeout=5`), which a client's connection pool must survive; the mock cannot
// yet test that, nor does it time out a client that never finishes sending its request head.
async fn connection(
    stream: TcpStream,
    shared: Arc<Shared>,
    router: Router,
    mut shutdown: watch::Receiver<bool>,
) {
    let _ = stream.set_nodelay(true);
    let stopping = shutdown.clone();
    let service = hyper::service::service_fn(move |request| {
        handle(shared.clone(), router.clone(), stopping.clone(), request)
    });
    let connection =
        hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service);
    tokio::pin!(connection);
    let result = tokio::select! {
        result = connection.as_mut() => result,
        _ = shutdown.changed() => {
            connection.as_mut().graceful_shutdown();
            connection.await
        }
    };
    if let Err(error) = result {
        tracing::trace!(%error, "connection ended");
    }
}

async fn handle(
    shared: Arc<Shared>,
    mut router: Router,
    mut shutdown: watch::Receiver<bool>,
    request: Request<Incoming>,
) -> Result<Response<Body>, Closed> {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();

    match shared.arrive() {
        None => {}
        Some(Fault::Delay(delay)) => {
            tokio::select! {
                _ = tokio::time::sleep(delay) => {}
                _ = shutdown.changed() => {}
            }
        }
        Some(Fault::Hang) => {
            // FIXME: hyper does not tell a pending request that its client went away, so a hang
            // lasts until HANG_LIMIT or the server stops even when the client gave up sooner.
            tokio::select! {
                _ = tokio::time::sleep(HANG_LIMIT) => {}
                _ = shutdown.changed() => {}
            }
            tracing::debug!(%method, %path, "fault: hung, then closed the connection");
            return Err(Closed);
        }
        Some(Fault::DropConnection) => {
            tracing::debug!(%method, %path, "fault: dropped the connection");
            return Err(Closed);
        }
        Some(Fault::BadGatewayHtml) => return Ok(log(&method, &path, started, bad_gateway())),
        Some(Fault::ServerError) => {
            return Ok(log(
                &method,
                &path,
                started,
                ApiError::server_error().into_response(),
            ));
        }
    }

    let (mut parts, body) = request.into_parts();
    let body = match axum::body::to_bytes(Body::new(body), BODY_LIMIT).await {
        Ok(body) => body,
        Err(_) => {
            let mut response = ApiError::body_too_large(BODY_LIMIT).into_response();
            // The rest of the body is never read, so the connection cannot be reused.
            response
                .headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
            return Ok(log(&method, &path, started, response));
        }
    };

    // Express routes `/v0/times/` like `/v0/times`; its 404 page shows the path as sent.
    parts.extensions.insert(RawPath(path.clone()));
    if path.len() > 1 && path.ends_with('/') {
        let trimmed = &path[..path.len() - 1];
        let rebuilt = match parts.uri.query() {
            Some(query) => format!("{trimmed}?{query}"),
            None => trimmed.to_owned(),
        };
        if let Ok(uri) = rebuilt.parse() {
            parts.uri = uri;
        }
    }

    let request = Request::from_parts(parts, Body::from(body));
    let mut response = match router.call(request).await {
        Ok(response) => response,
        Err(infallible) => match infallible {},
    };
    if response.status() == StatusCode::NOT_FOUND {
        // axum lists the route's methods on an unknown method; Express's 404 page does not.
        response.headers_mut().remove(header::ALLOW);
    }
    Ok(log(&method, &path, started, response))
}

fn log(
    method: &axum::http::Method,
    path: &str,
    started: Instant,
    response: Response<Body>,
) -> Response<Body> {
    tracing::debug!(
        %method,
        path,
        status = response.status().as_u16(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        "request"
    );
    response
}
