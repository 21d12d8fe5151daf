//! Bytes to model and back. Parsers return the model or every problem found, each with its position. `pack`
//! holds the stored text packs and change lists.

pub mod checkpoint;
pub mod docx;
pub mod file;
pub mod folder;
pub mod kept;
pub mod pack;
pub mod register_file;

pub use register_file::{
    FileProblem, RegisterFile, RegisterFileError, decode_record, encode_record, parse_register, parse_register_file,
    write_register, write_register_file,
};
