//! Binary envelope for keys and proofs: magic, format version, k, model hash,
//! payload length and (for keys) a SHA-256 checksum of the payload.

use crate::error::{Error, ErrorCode};
use sha2::{Digest, Sha256};

/// Current binary format version of keys and proofs.
pub const FORMAT_VERSION: u32 = 1;

pub const PK_MAGIC: &[u8; 8] = b"OMRN-PK\0";
pub const VK_MAGIC: &[u8; 8] = b"OMRN-VK\0";
pub const PROOF_MAGIC: &[u8; 8] = b"OMRN-PF\0";

/// A parsed envelope.
pub struct Envelope<'a> {
    pub k: u32,
    pub model_hash: [u8; 32],
    pub payload: &'a [u8],
}

/// Wraps `payload`; keys carry a checksum so corruption is detected before parsing.
pub fn seal(
    magic: &[u8; 8],
    k: u32,
    model_hash: &[u8; 32],
    payload: &[u8],
    checksum: bool,
) -> Vec<u8> {
    let mut out = Vec::with_capacity(payload.len() + 88);
    out.extend_from_slice(magic);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&k.to_le_bytes());
    out.extend_from_slice(model_hash);
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    if checksum {
        out.extend_from_slice(&Sha256::digest(payload));
    }
    out.extend_from_slice(payload);
    out
}

/// Parses and checks an envelope; errors carry `code`.
pub fn open<'a>(
    bytes: &'a [u8],
    magic: &[u8; 8],
    checksum: bool,
    code: ErrorCode,
) -> Result<Envelope<'a>, Error> {
    let bad = |m: &str| Error::new(code, m.to_string());
    let head = 56 + if checksum { 32 } else { 0 };
    if bytes.len() < head {
        return Err(bad("file is truncated (header)"));
    }
    if &bytes[..8] != magic {
        return Err(bad(
            "file has the wrong magic bytes (not this kind of file)",
        ));
    }
    let u32_at = |i: usize| u32::from_le_bytes(bytes[i..i + 4].try_into().expect("4"));
    if u32_at(8) != FORMAT_VERSION {
        return Err(bad(&format!("unsupported format version {}", u32_at(8))));
    }
    let k = u32_at(12);
    let model_hash: [u8; 32] = bytes[16..48].try_into().expect("32");
    let len = u64::from_le_bytes(bytes[48..56].try_into().expect("8"));
    let payload = &bytes[head..];
    if payload.len() as u64 != len {
        return Err(bad("file is truncated or has trailing bytes"));
    }
    if checksum && Sha256::digest(payload).as_slice() != &bytes[56..88] {
        return Err(bad("file is corrupted (checksum mismatch)"));
    }
    Ok(Envelope {
        k,
        model_hash,
        payload,
    })
}
