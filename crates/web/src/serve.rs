//! The accept loop: `serve` listens, answers each connection through the router (or, for a page already drawn,
//! straight from the answer cache), caps connections and header reads, and stops gracefully on SIGTERM or Ctrl-C.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use inforce_store::Store;

use crate::client::{AddressShares, ClientAddress, client_address};
use crate::site::{Site, SiteOptions};
use crate::{cache, log, router_with};

/// Why `serve` stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The registers could not be loaded from the store.
    #[error(transparent)]
    Load(#[from] inforce_store::StoreError),
    /// The address cannot be listened on (in use, not ours, not permitted).
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// The server failed while running.
    #[error("the server stopped: {0}")]
    Serve(std::io::Error),
}

/// Serves until SIGTERM or Ctrl-C, then finishes the requests in flight, for at most
/// [`Limits::shutdown_timeout`](crate::Limits); `ready` is told the bound address. Each connection must send its
/// request headers within [`Limits::header_timeout`](crate::Limits) (an idle kept-alive one is closed after it
/// too) and take its responses without stalling for longer than [`Limits::send_timeout`](crate::Limits); at most
/// [`Limits::max_connections`](crate::Limits) are served at once, and at most
/// [`Limits::per_address_share`](crate::Limits::per_address_share) of them per client address: one more is
/// answered 503 and closed. The store is never waited on to stop.
pub async fn serve(
    store: Arc<dyn Store>,
    addr: SocketAddr,
    options: SiteOptions,
    ready: impl FnOnce(SocketAddr),
) -> Result<(), ServeError> {
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|source| ServeError::Bind { addr, source })?;
    let bound = listener.local_addr().map_err(|source| ServeError::Bind { addr, source })?;
    let mut options = options;
    let guessed = options.public_url.is_none();
    let public_url = options.public_url.get_or_insert_with(|| format!("http://{bound}")).clone();
    let limits = options.limits.clone();
    let site = Site::load(store, options).await?;
    let watcher = tokio::spawn(Site::watch(site.clone()));
    ready(bound);
    let codes = site.snapshot().histories.len().to_string();
    log::event(log::Level::Info, "serve", "listening", &[("addr", &bound.to_string()), ("codes", &codes)]);
    if guessed {
        let msg = "no --public-url (INFORCE_PUBLIC_URL): feeds link to the listening address";
        log::event(log::Level::Warn, "serve", msg, &[("public_url", &public_url)]);
    }
    let cache = Arc::new(cache::AnswerCache::new(limits.cache_bytes));
    let app = router_with(site.clone(), cache.clone());
    // A page already drawn is answered before the router: a lookup, then the bytes (unless every request is to
    // be logged, which the router's access log does).
    let fast = !site.options.access_log;
    let connections = Arc::new(tokio::sync::Semaphore::new(limits.max_connections.max(1)));
    let shares = AddressShares::new(limits.per_address_share());
    let trusted = Arc::new(site.options.trusted_proxies.clone());
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(hyper_util::rt::TokioTimer::new()).header_read_timeout(limits.header_timeout);
    let mut stop = std::pin::pin!(shutdown());
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut stop => break,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            // Out of file descriptors, or a connection reset before it was taken: pause, then go on.
            Err(error) => {
                log::event(log::Level::Warn, "serve", "cannot accept a connection", &[("error", &error.to_string())]);
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let Ok(permit) = connections.clone().try_acquire_owned() else {
            tokio::spawn(refuse(stream, TOO_MANY));
            continue;
        };
        let peer = peer.ip().to_canonical();
        // A trusted proxy's connection carries many clients: each of its requests is counted by the client it
        // names instead (below); any other connection is its client's.
        let proxied = trusted.contains(peer);
        let held = if proxied { None } else { shares.hold(peer) };
        if !proxied && held.is_none() {
            tokio::spawn(refuse(stream, TOO_MANY_FROM_ONE));
            continue;
        }
        // Answers are written whole (headers and body in one write): waiting to fill a packet only adds latency.
        let _ = stream.set_nodelay(true);
        // A client that takes nothing of a response for the send timeout is disconnected (its write fails).
        let mut stream = tokio_io_timeout::TimeoutStream::new(stream);
        stream.set_write_timeout(Some(limits.send_timeout));
        let (app, cache, site, shares, trusted) =
            (app.clone(), cache.clone(), site.clone(), shares.clone(), trusted.clone());
        let service = hyper::service::service_fn(move |mut request: hyper::Request<hyper::body::Incoming>| {
            use futures_util::future::{Either, ready};
            let client = if proxied { client_address(peer, request.headers(), &trusted) } else { peer };
            request.extensions_mut().insert(ClientAddress(client));
            let request_held = if proxied {
                let Some(held) = shares.hold(client) else {
                    return Either::Left(ready(Ok::<_, std::convert::Infallible>(busy_from_one())));
                };
                Some(held)
            } else {
                None
            };
            match fast.then(|| cache.hit(&site, &request)).flatten() {
                Some(answer) => Either::Left(ready(Ok(answer))),
                None => {
                    let answer = tower::ServiceExt::oneshot(app.clone(), request.map(axum::body::Body::new));
                    // The share is held until the body is sent, not only until the answer is ready.
                    Either::Right(async move {
                        let response = answer.await?;
                        Ok(response.map(|body| crate::budget::HeldBody::wrap(body, request_held)))
                    })
                }
            }
        });
        let io = hyper_util::rt::TokioIo::new(Box::pin(stream));
        let connection = graceful.watch(http.serve_connection(io, service));
        tokio::spawn(async move {
            let _held = (permit, held);
            let _ = connection.await;
        });
    }
    drop(listener);
    watcher.abort();
    let in_flight = limits.max_connections.max(1) - connections.available_permits();
    log::event(log::Level::Info, "serve", "stopping", &[("connections", &in_flight.to_string())]);
    if tokio::time::timeout(limits.shutdown_timeout, graceful.shutdown()).await.is_err() {
        let left = limits.max_connections.max(1) - connections.available_permits();
        let secs = limits.shutdown_timeout.as_secs().to_string();
        log::event(
            log::Level::Warn,
            "serve",
            "shutdown deadline passed, closing",
            &[("connections", &left.to_string()), ("after_s", &secs)],
        );
    }
    log::event(log::Level::Info, "serve", "stopped", &[]);
    Ok(())
}

/// What a connection over the cap is told.
const TOO_MANY: &str = "Too many connections at once; try again.";
/// What a connection over its address's share is told.
const TOO_MANY_FROM_ONE: &str = "Too many connections from one address at once; try again.";

/// Answers a connection over the cap (or over its address's share) with 503 and closes it, without reading its
/// request (a client that sends nothing costs nothing).
async fn refuse(mut stream: tokio::net::TcpStream, why: &'static str) {
    use tokio::io::AsyncWriteExt;
    let answer = format!(
        "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 1\r\n\
         Content-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\n\r\n{why}\r\n",
        why.len() + 2
    );
    let _ = tokio::time::timeout(Duration::from_secs(1), stream.write_all(answer.as_bytes())).await;
    let _ = stream.shutdown().await;
}

/// The answer to a request, through a trusted proxy, from a client address that already has its share in flight.
fn busy_from_one() -> axum::response::Response {
    use axum::response::IntoResponse;
    let headers = [(axum::http::header::RETRY_AFTER, "1")];
    let text = "Too many requests from one address at once; try again.\n";
    (axum::http::StatusCode::SERVICE_UNAVAILABLE, headers, text).into_response()
}

async fn shutdown() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}
