//! Transport faults the demo server can be scripted to commit (see [`super::Fault`]): a
//! connection dropped mid-answer, a gzip bomb, an oversized answer.
use axum::body::Body;
use axum::body::Bytes;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use futures::{StreamExt, stream};

use super::Fault;

pub(super) fn respond(f: &Fault) -> Response {
    match f {
        Fault::Reset => {
            let chunks: Vec<Result<Bytes, std::io::Error>> = vec![
                Ok(Bytes::from_static(b"{\"data\":[{\"uuid\":\"a\",")),
                Err(std::io::Error::new(
                    std::io::ErrorKind::ConnectionReset,
                    "scripted reset",
                )),
            ];
            with_type(
                Response::new(Body::from_stream(stream::iter(chunks))),
                "application/json",
            )
        }
        Fault::GzipBomb { megabytes } => {
            let mut resp = with_type(
                Response::new(Body::from(bomb(*megabytes))),
                "application/json",
            );
            resp.headers_mut()
                .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            resp
        }
        Fault::Trickle { chunks, every_ms } => {
            let every = std::time::Duration::from_millis(*every_ms);
            let body = stream::iter(0..*chunks).then(move |_| async move {
                tokio::time::sleep(every).await;
                Ok::<Bytes, std::io::Error>(Bytes::from(vec![b'x'; 1024]))
            });
            with_type(
                Response::new(Body::from_stream(body)),
                "application/octet-stream",
            )
        }
        Fault::Oversized { megabytes } => {
            let mb = Bytes::from("x".repeat(1024 * 1024));
            let mut chunks: Vec<Result<Bytes, std::io::Error>> =
                vec![Ok(Bytes::from_static(b"{\"data\":["))];
            for i in 0..*megabytes {
                let sep: &'static [u8] = if i > 0 { b",\"" } else { b"\"" };
                chunks.push(Ok(Bytes::from_static(sep)));
                chunks.push(Ok(mb.clone()));
                chunks.push(Ok(Bytes::from_static(b"\"")));
            }
            chunks.push(Ok(Bytes::from_static(b"]}")));
            with_type(
                Response::new(Body::from_stream(stream::iter(chunks))),
                "application/json",
            )
        }
    }
}

/// Built once per size (the CRC of a few hundred MB of zeros is not free in a debug build).
fn bomb(megabytes: u32) -> Bytes {
    static CACHE: std::sync::Mutex<Vec<(u32, Bytes)>> = std::sync::Mutex::new(Vec::new());
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, b)) = cache.iter().find(|(m, _)| *m == megabytes) {
        return b.clone();
    }
    let b = Bytes::from(gzip_zeros(megabytes as usize * 1024 * 1024));
    cache.push((megabytes, b.clone()));
    b
}

fn with_type(mut resp: Response, ctype: &'static str) -> Response {
    *resp.status_mut() = StatusCode::OK;
    resp.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    resp
}

/// A gzip member whose deflate stream expands to `len` zero bytes: one literal zero, then
/// back-references of 258 bytes at distance 1 (13 bits each with the fixed Huffman code), so the
/// body on the wire is about `len / 160` bytes. Written by hand: no compressor needed.
pub(crate) fn gzip_zeros(len: usize) -> Vec<u8> {
    struct Bits {
        out: Vec<u8>,
        acc: u64,
        n: u32,
    }
    impl Bits {
        /// `count` bits of `v`, least significant first (deflate's bit order for extra bits).
        fn put(&mut self, v: u64, count: u32) {
            self.acc |= v << self.n;
            self.n += count;
            while self.n >= 8 {
                self.out.push(self.acc as u8);
                self.acc >>= 8;
                self.n -= 8;
            }
        }
        /// A Huffman code, most significant bit first.
        fn code(&mut self, code: u64, len: u32) {
            let mut rev = 0u64;
            for i in 0..len {
                rev |= ((code >> i) & 1) << (len - 1 - i);
            }
            self.put(rev, len);
        }
        fn finish(mut self) -> Vec<u8> {
            if self.n > 0 {
                self.out.push(self.acc as u8);
            }
            self.out
        }
    }
    let mut b = Bits {
        out: vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255],
        acc: 0,
        n: 0,
    };
    b.put(1, 1); // final block
    b.put(1, 2); // fixed Huffman
    let mut left = len;
    if left > 0 {
        b.code(0x30, 8); // literal 0: codes 0–143 are 0x30 + value, 8 bits
        left -= 1;
    }
    // Length 258 is code 285 (11000101, 8 bits, no extra); distance 1 is code 0 (5 bits).
    while left >= 258 {
        b.code(0b1100_0101, 8);
        b.code(0, 5);
        left -= 258;
    }
    for _ in 0..left {
        b.code(0x30, 8);
    }
    b.code(0, 7); // end of block: code 256 is 0000000
    let mut out = b.finish();
    out.extend_from_slice(&crc32_of_zeros(len).to_le_bytes());
    out.extend_from_slice(&(len as u32).to_le_bytes());
    out
}

/// CRC-32 (IEEE) of `len` zero bytes.
fn crc32_of_zeros(len: usize) -> u32 {
    let mut table = [0u32; 256];
    for (i, t) in table.iter_mut().enumerate() {
        let mut c = i as u32;
        for _ in 0..8 {
            c = if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
        }
        *t = c;
    }
    let mut crc = 0xFFFF_FFFFu32;
    for _ in 0..len {
        crc = table[(crc & 0xFF) as usize] ^ (crc >> 8);
    }
    !crc
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_gzip_bomb_is_small_on_the_wire() {
        let z = super::gzip_zeros(10 * 1024 * 1024);
        assert!(z.len() < 100_000, "{}", z.len());
        assert_eq!(&z[..2], &[0x1f, 0x8b]);
    }
}
