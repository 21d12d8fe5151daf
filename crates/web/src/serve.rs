//! The accept loop: `serve` listens, answers each connection through the router (or, for a page already drawn,
//! straight from the answer cache), caps connections and header reads, and stops gracefully on SIGTERM or Ctrl-C.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use inforce_store::Store;

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
/// too), and at most [`Limits::max_connections`](crate::Limits) are served at once: one more is answered 503 and
/// closed. The store is never waited on to stop.
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
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(hyper_util::rt::TokioTimer::new()).header_read_timeout(limits.header_timeout);
    let mut stop = std::pin::pin!(shutdown());
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut stop => break,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            // Out of file descriptors, or a connection reset before it was taken: pause, then go on.
            Err(error) => {
                log::event(log::Level::Warn, "serve", "cannot accept a connection", &[("error", &error.to_string())]);
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let Ok(permit) = connections.clone().try_acquire_owned() else {
            tokio::spawn(refuse(stream));
            continue;
        };
        // Answers are written whole (headers and body in one write): waiting to fill a packet only adds latency.
        let _ = stream.set_nodelay(true);
        let (app, cache, site) = (app.clone(), cache.clone(), site.clone());
        let service = hyper::service::service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
            use futures_util::future::{Either, ready};
            match fast.then(|| cache.hit(&site, &request)).flatten() {
                Some(answer) => Either::Left(ready(Ok(answer))),
                None => Either::Right(tower::ServiceExt::oneshot(app.clone(), request.map(axum::body::Body::new))),
            }
        });
        let connection = graceful.watch(http.serve_connection(hyper_util::rt::TokioIo::new(stream), service));
        tokio::spawn(async move {
            let _permit = permit;
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

/// Answers a connection over the cap with 503 and closes it, without reading its request (a client that sends
/// nothing costs nothing).
async fn refuse(mut stream: tokio::net::TcpStream) {
    use tokio::io::AsyncWriteExt;
    const BUSY: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 1\r\n\
        Content-Type: text/plain; charset=utf-8\r\nContent-Length: 42\r\n\r\nToo many connections at once; try again.\r\n";
    let _ = tokio::time::timeout(Duration::from_secs(1), stream.write_all(BUSY)).await;
    let _ = stream.shutdown().await;
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
