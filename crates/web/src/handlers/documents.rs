//! Guidance and documents: the list, each file exactly as stored, the links other pages show, and the JSON.

use std::sync::Arc;

use askama::Template;
use axum::extract::Path;
use inforce_core::document::Attachment;
use inforce_present::wire::DocumentsJson;
use inforce_store::FILE_CHUNK;
use sha2::Digest;

use crate::ctx::{ApiCtx, Ctx, DocumentPath, Face, Frame, PageCtx};
use crate::respond::{ApiResult, Cache, Download, PageResult, Problem, download, file_etag, shorten};
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

/// `/documents/{id}/{file_name}`: the file exactly as stored, read from the store a piece at a time (so a download
/// holds one piece in memory, never the whole file), a single byte range answered with 206 (`If-Range`
/// honoured), never run by the browser (sandboxed, no sniffing). A whole download is checked against the
/// file's SHA-256 as it is sent: a damaged file ends the transfer with an error rather than arriving complete.
pub async fn document_file(ctx: PageCtx, Path(path): Path<DocumentPath>) -> PageResult {
    let id = &path.id;
    let name = &path.file;
    let document = ctx
        .history
        .register()
        .documents
        .iter()
        .find(|d| d.id == *id && d.file_name == *name)
        .ok_or_else(|| Problem::not_found(format!("The {} has no document '{}'.", ctx.code, shorten(id))))?;
    let unavailable = |e: inforce_store::StoreError| {
        crate::log::event(crate::log::Level::Warn, "http", "a document cannot be read", &[("error", &e.to_string())]);
        Problem::unavailable(format!("The document cannot be read just now: {}.", e.public()))
    };
    let damaged = || Problem::internal(format!("The file of document '{}' is missing or damaged.", document.id));
    let stored = ctx.site.file_stored(&ctx.code, &document.sha256).await.map_err(unavailable)?.ok_or_else(damaged)?;
    if stored.size != document.size {
        return Err(damaged().into());
    }
    let site = ctx.site.clone();
    let (code, sha256) = (ctx.code.clone(), document.sha256.clone());
    let file = Download {
        media_type: document.media_type.clone(),
        file_name: document.file_name.clone(),
        size: stored.size,
        etag: file_etag(&document.sha256),
        // The file never changes: it was last modified when the publication that brought it was recorded.
        last_modified: ctx
            .snapshot
            .recorded_at(&ctx.code, stored.publication)
            .unwrap_or_else(|| ctx.last_modified(Cache::Immutable)),
        cache: Cache::Immutable,
        send: Box::new(move |first, length, whole| {
            let pieces =
                Pieces { site, code, sha256, next: first, end: first + length, hasher: whole.then(sha2::Sha256::new) };
            axum::body::Body::from_stream(futures_util::stream::try_unfold(pieces, Pieces::next))
        }),
    };
    Ok(download(ctx.conditions(), file))
}

/// The pieces of a file still to send: bytes `next..end`, hashed as they go when the whole file is sent.
struct Pieces {
    site: Arc<Site>,
    code: inforce_core::CodeId,
    sha256: String,
    next: u64,
    end: u64,
    hasher: Option<sha2::Sha256>,
}

impl Pieces {
    async fn next(mut self) -> Result<Option<(axum::body::Bytes, Self)>, std::io::Error> {
        let damaged = |what: String| {
            crate::log::event(crate::log::Level::Warn, "http", "a document file is damaged", &[("error", &what)]);
            std::io::Error::other(what)
        };
        if self.next >= self.end {
            if let Some(hasher) = self.hasher.take() {
                let found: String = hasher.finalize().iter().map(|b| format!("{b:02x}")).collect();
                if found != self.sha256 {
                    return Err(damaged(format!("file {} of {} reads as {found}", self.sha256, self.code)));
                }
            }
            return Ok(None);
        }
        let piece = FILE_CHUNK as u64;
        let seq = self.next / piece;
        let chunk = self
            .site
            .file_chunk(&self.code, &self.sha256, seq)
            .await
            .map_err(|e| damaged(e.to_string()))?
            .ok_or_else(|| damaged(format!("file {} of {} lacks its piece {seq}", self.sha256, self.code)))?;
        let from = usize::try_from(self.next - seq * piece).unwrap_or(usize::MAX);
        let to = usize::try_from((self.end - seq * piece).min(piece)).unwrap_or(usize::MAX);
        let Some(part) = chunk.get(from..to.min(chunk.len())).filter(|p| !p.is_empty()) else {
            return Err(damaged(format!("file {} of {} is shorter than recorded", self.sha256, self.code)));
        };
        if let Some(hasher) = &mut self.hasher {
            hasher.update(part);
        }
        self.next += part.len() as u64;
        let bytes = axum::body::Bytes::copy_from_slice(part);
        Ok(Some((bytes, self)))
    }
}

/// `/api/v1/{code}/documents`
pub async fn api_documents(
    ctx: ApiCtx,
    crate::query::Query(paging): crate::query::Query<crate::query::PageQuery>,
) -> ApiResult {
    let documents = DocumentsJson::new(&ctx.history, &ctx.history.register().documents);
    ctx.json_list(&documents, "documents", &paging, Cache::Published)
}
