//! What both faces (the command line and the website) show, written once: the JSON wire types and envelopes of
//! every answer (`wire`), the sentences a person reads (`describe`), plain-text answers for a terminal (`plain`),
//! the standalone HTML comparison page (`html`), the Markdown export's files (`markdown`), Atom feeds (`atom`),
//! a provision's text as safe HTML (`text`) and the publication log's entries in words (`log`).
//! Pure: answers in, text or serialisable values out; no I/O and no HTTP. The web crate adds routes, templates
//! and response policy; the CLI adds arguments and printing.

#![forbid(unsafe_code)]

pub mod atom;
pub mod describe;
pub mod html;
pub mod log;
pub mod markdown;
pub mod plain;
pub mod script;
pub mod text;
pub mod wire;
