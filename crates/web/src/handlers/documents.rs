//! Guidance and documents: the list, each file exactly as stored, the links other pages show, and the JSON.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, State};
use inforce_core::document::Attachment;
use inforce_present::wire::DocumentsJson;

use crate::ctx::{ApiCtx, Ctx, DocumentPath, Face, Frame, PageCtx, shorten};
use crate::respond::{ApiResult, Body, Cache, PageResult, Problem, file_etag};
use crate::site::Site;

/// A document as pages link to it.
pub(crate) struct DocLink {
    pub(crate) href: String,
    pub(crate) title: String,
    pub(crate) file_name: String,
    pub(crate) size: String,
    pub(crate) kind: String,
    pub(crate) date: String,
    pub(crate) attached: String,
}

/// The documents attached to `attachment` (all of them when `None`), as links.
pub(crate) fn doc_links<F: Face>(ctx: &Ctx<F>, attachment: Option<&Attachment>) -> Vec<DocLink> {
    ctx.history
        .register()
        .documents
        .iter()
        .filter(|d| attachment.is_none_or(|a| d.attached_to.contains(a)))
        .map(|d| DocLink {
            href: format!("{}/documents/{}/{}", ctx.base, d.id, d.file_name),
            title: d.title.clone(),
            file_name: d.file_name.clone(),
            size: human_size(d.size),
            kind: d.kind.clone().unwrap_or_default(),
            date: d.date.human(),
            attached: d.attached_to.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "),
        })
        .collect()
}

fn human_size(bytes: u64) -> String {
    match bytes {
        0..1024 => format!("{bytes} bytes"),
        1024..1_048_576 => format!("{:.0} KB", bytes as f64 / 1024.0),
        _ => format!("{:.1} MB", bytes as f64 / 1_048_576.0),
    }
}

#[derive(Template)]
#[template(path = "documents.html")]
struct DocumentsPage {
    f: Frame,
    documents: Vec<DocLink>,
}

/// `/documents`
pub async fn documents(ctx: PageCtx) -> PageResult {
    let documents = doc_links(&ctx, None);
    ctx.page(DocumentsPage { f: ctx.frame(), documents }, Cache::Published)
}

/// `/documents/{id}/{file_name}`: the file exactly as stored, checked against its hash.
pub async fn document_file(State(site): State<Arc<Site>>, ctx: PageCtx, Path(path): Path<DocumentPath>) -> PageResult {
    let id = &path.id;
    let name = &path.file;
    let document = ctx
        .history
        .register()
        .documents
        .iter()
        .find(|d| d.id == *id && d.file_name == *name)
        .ok_or_else(|| Problem::not_found(format!("The {} has no document '{}'.", ctx.code, shorten(id))))?;
    // A client with a current copy is answered from the description alone: the store is not read.
    if let Some(unchanged) = ctx.unchanged_for_client(&file_etag(&document.sha256), Cache::Immutable) {
        return Ok(unchanged);
    }
    let bytes = site
        .file(&ctx.code, &document.sha256)
        .await
        .map_err(|e| Problem::unavailable(format!("The document cannot be read just now: {e}")))?
        .filter(|bytes| inforce_core::document::sha256(bytes) == document.sha256)
        .ok_or_else(|| Problem::internal(format!("The file of document '{}' is missing or damaged.", document.id)))?;
    let file = Body::File {
        bytes,
        media_type: document.media_type.clone(),
        file_name: document.file_name.clone(),
        sha256: document.sha256.clone(),
    };
    ctx.answer(file, Cache::Immutable)
}

/// `/api/v1/{code}/documents`
pub async fn api_documents(ctx: ApiCtx) -> ApiResult {
    ctx.json(&DocumentsJson::new(&ctx.history, &ctx.history.register().documents), Cache::Published)
}
