//! The memory heavy work may hold across requests (`--heavy-memory`), beside the number of heavy workers: what
//! drawn answers hold until they are sent is counted, and heavy work starts only while the count is under the
//! budget, so that many large answers at once wait their turn (or are answered 503 at their deadline) instead
//! of being drawn together.
//!
//! What is counted: the body of every answer drawn (not one served from the answer cache, whose memory the cache
//! bound counts) of at least [`COUNTED_FROM`] bytes, from when it is drawn until it is sent or dropped, and each
//! streamed answer's pipe ([`crate::respond::respond_streamed`]). Heavy work admitted while the count is just
//! under the budget can take it over by its own answer; the overshoot is at most one answer per heavy worker.

use std::sync::{Arc, Mutex, PoisonError};

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

/// Answers smaller than this are not counted: they are many, small, and bounded by the connection cap.
pub const COUNTED_FROM: usize = 64 * 1024;

/// The memory answers in flight hold, against a budget.
#[derive(Debug)]
pub struct MemoryBudget {
    limit: usize,
    held: Mutex<usize>,
    freed: tokio::sync::Notify,
}

/// Bytes held against the budget; given back when dropped.
#[derive(Debug)]
pub struct MemoryHold {
    budget: Arc<MemoryBudget>,
    bytes: usize,
}

impl MemoryBudget {
    /// A budget of `limit` bytes (0 counts nothing and admits everything).
    pub fn new(limit: usize) -> Arc<Self> {
        Arc::new(Self { limit, held: Mutex::new(0), freed: tokio::sync::Notify::new() })
    }

    /// The bytes held now.
    pub fn held(&self) -> usize {
        *self.held.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits until what is held is under the budget; `false` when `deadline` passes first.
    pub async fn admit(&self, deadline: tokio::time::Instant) -> bool {
        loop {
            // Registered before the check, so that a hold given back between the two still wakes this one.
            let freed = self.freed.notified();
            if self.limit == 0 || self.held() < self.limit {
                return true;
            }
            if tokio::time::timeout_at(deadline, freed).await.is_err() {
                return false;
            }
        }
    }

    /// Counts `bytes` until the hold is dropped.
    pub fn hold(self: &Arc<Self>, bytes: usize) -> MemoryHold {
        let bytes = if self.limit == 0 { 0 } else { bytes };
        *self.held.lock().unwrap_or_else(PoisonError::into_inner) += bytes;
        MemoryHold { budget: self.clone(), bytes }
    }
}

impl Drop for MemoryHold {
    fn drop(&mut self) {
        if self.bytes == 0 {
            return;
        }
        let mut held = self.budget.held.lock().unwrap_or_else(PoisonError::into_inner);
        *held -= self.bytes;
        drop(held);
        self.budget.freed.notify_waiters();
    }
}

/// A response body that keeps something held (a client's share, memory) until it is sent or dropped.
pub struct HeldBody<G> {
    body: axum::body::Body,
    _held: G,
}

impl<G: Send + Unpin + 'static> HeldBody<G> {
    /// `body`, holding `held` for as long as it is being sent.
    pub fn wrap(body: axum::body::Body, held: G) -> axum::body::Body {
        axum::body::Body::new(Self { body, _held: held })
    }
}

impl<G: Unpin> http_body::Body for HeldBody<G> {
    type Data = axum::body::Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        std::pin::Pin::new(&mut self.body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.body.size_hint()
    }
}

/// Counts each drawn answer's body against the budget until it is sent (the layer sits under the answer cache,
/// so answers served from it are not counted twice).
pub async fn layer(State(budget): State<Arc<MemoryBudget>>, request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let size = http_body::Body::size_hint(response.body()).exact().and_then(|n| usize::try_from(n).ok());
    match size {
        Some(bytes) if bytes >= COUNTED_FROM => {
            let held = budget.hold(bytes);
            response.map(|body| HeldBody::wrap(body, held))
        }
        _ => response,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn work_waits_while_the_budget_is_spent_and_starts_when_memory_is_given_back() {
        let budget = MemoryBudget::new(1000);
        let soon = || tokio::time::Instant::now() + Duration::from_millis(50);
        assert!(budget.admit(soon()).await, "nothing held");
        let first = budget.hold(600);
        assert!(budget.admit(soon()).await, "under the budget");
        let second = budget.hold(600);
        assert_eq!(budget.held(), 1200);
        assert!(!budget.admit(soon()).await, "over the budget: not admitted by the deadline");
        let waiting = {
            let budget = budget.clone();
            tokio::spawn(async move { budget.admit(tokio::time::Instant::now() + Duration::from_secs(5)).await })
        };
        tokio::time::sleep(Duration::from_millis(20)).await;
        drop(first);
        assert!(waiting.await.expect("joined"), "admitted once memory was given back");
        drop(second);
        assert_eq!(budget.held(), 0);
    }

    #[tokio::test]
    async fn a_budget_of_nothing_counts_nothing() {
        let budget = MemoryBudget::new(0);
        let _held = budget.hold(1 << 30);
        assert_eq!(budget.held(), 0);
        assert!(budget.admit(tokio::time::Instant::now()).await);
    }

    #[tokio::test]
    async fn a_large_answer_is_counted_until_its_body_is_dropped_and_a_small_one_not_at_all() {
        let budget = MemoryBudget::new(1 << 30);
        let large = axum::Router::new()
            .route("/large", axum::routing::get(|| async { vec![b'x'; COUNTED_FROM] }))
            .route("/small", axum::routing::get(|| async { vec![b'x'; COUNTED_FROM - 1] }))
            .layer(axum::middleware::from_fn_with_state(budget.clone(), layer));
        let ask = |path: &'static str| {
            let router = large.clone();
            async move {
                let request = axum::http::Request::get(path).body(axum::body::Body::empty()).expect("request");
                tower::ServiceExt::oneshot(router, request).await.expect("answer")
            }
        };
        let small = ask("/small").await;
        assert_eq!(budget.held(), 0, "a small answer is not counted");
        let answer = ask("/large").await;
        assert_eq!(budget.held(), COUNTED_FROM, "counted while it is being sent");
        let body = axum::body::to_bytes(answer.into_body(), usize::MAX).await.expect("body");
        assert_eq!(body.len(), COUNTED_FROM, "sent whole");
        assert_eq!(budget.held(), 0, "given back once sent");
        drop(small);
    }
}
