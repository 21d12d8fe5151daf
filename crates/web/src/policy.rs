//! The response policy for answers the handlers did not draw: the framework's own refusals (a query string or
//! address that does not parse, a method not allowed), the fallback for unknown addresses, and panics. They get
//! the same faces and headers as every other error: problem+json under `/api/`, an accessible page elsewhere.

use axum::body::to_bytes;
use axum::extract::Request;
use axum::http::header::{ALLOW, CONTENT_SECURITY_POLICY};
use axum::middleware::Next;
use axum::response::Response;

use crate::respond::{Problem, security_headers};

/// The most of a framework refusal's text that is kept as the problem's detail.
const MAX_DETAIL: usize = 2048;

/// The face of an error that no handler typed: chosen by the address, as the API lives under `/api/`.
pub fn face_for_path(path: &str, problem: Problem) -> Response {
    if path.starts_with("/api/") { problem.problem_json() } else { problem.page() }
}

/// Middleware: an error answer without our headers was drawn by the framework; redraw it through the policy. Any
/// other answer without them (health checks) gets the security headers.
pub async fn layer(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    let response = next.run(request).await;
    if response.headers().contains_key(CONTENT_SECURITY_POLICY) {
        return response;
    }
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        let (mut parts, body) = response.into_parts();
        security_headers(&mut parts.headers);
        return Response::from_parts(parts, body);
    }
    // What the framework says beside its refusal (405's Allow) stays with the redrawn answer.
    let allow = response.headers().get(ALLOW).cloned();
    let text = to_bytes(response.into_body(), MAX_DETAIL).await.map(|b| String::from_utf8_lossy(&b).into_owned());
    let detail = match (status.as_u16(), text.as_deref().map(str::trim)) {
        (405, _) => "This address answers GET (and HEAD) only.".to_string(),
        (500, _) => "Something went wrong on our side; the error was logged.".to_string(),
        (_, Ok(text)) if !text.is_empty() => format!("{}.", text.trim_end_matches('.')),
        _ => status.canonical_reason().unwrap_or("The request cannot be answered").to_string(),
    };
    let mut redrawn = face_for_path(&path, Problem::status(status, detail));
    if let Some(allow) = allow {
        redrawn.headers_mut().insert(ALLOW, allow);
    }
    redrawn
}

/// Answers a panic inside a handler as a plain 500, which [`layer`] then dresses; the panic is logged.
pub fn panicked(error: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let message = error
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| error.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    crate::log::event(crate::log::Level::Warn, "http", "handler panicked", &[("error", message)]);
    let mut response = Response::new(axum::body::Body::empty());
    *response.status_mut() = axum::http::StatusCode::INTERNAL_SERVER_ERROR;
    response
}
