//! Saving an attachment: streamed to a new file in the download folder (never overwriting),
//! with its own size limit, far above any answer's cap.
use std::path::{Path, PathBuf};

use crate::api::{ApiError, Client};

/// The largest attachment saved.
pub const DOWNLOAD_LIMIT: u64 = 256 * 1024 * 1024;

/// The sentence for an attachment over the limit (`size`: as the server announced it).
fn too_big(size: Option<u64>, limit: u64) -> ApiError {
    let mb = |b: u64| b.div_ceil(1024 * 1024);
    ApiError::Other(match size {
        Some(s) => format!(
            "the attachment is {} MB, more than the {} MB a download may be; nothing was saved",
            mb(s),
            mb(limit)
        ),
        None => format!(
            "the attachment passed the {} MB a download may be, so it was stopped there and the part received removed",
            mb(limit)
        ),
    })
}

/// The user's download directory, else the app's data directory.
pub fn default_download_dir() -> Option<PathBuf> {
    directories::UserDirs::new()
        .and_then(|u| u.download_dir().map(Path::to_path_buf))
        .or_else(|| crate::config::project_dirs().map(|p| p.data_dir().to_path_buf()))
}

/// A file name that cannot leave `dir` or upset a terminal: separators and controls replaced,
/// dots-only names and empty names become "attachment".
pub fn safe_file_name(name: &str) -> String {
    let cleaned: String = crate::render::sanitize::line(name)
        .chars()
        .map(|c| {
            if matches!(c, '/' | '\\' | ':' | '\0') || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_string();
    let cleaned: String = cleaned.chars().take(200).collect();
    if cleaned.is_empty() {
        "attachment".into()
    } else {
        cleaned
    }
}

/// Create a new file in `dir` named `name`, or `stem (1).ext`, `stem (2).ext` … never overwriting.
pub async fn create_unique(dir: &Path, name: &str) -> Result<(PathBuf, tokio::fs::File), ApiError> {
    let name = safe_file_name(name);
    let (stem, ext) = match name.rfind('.') {
        Some(i) if i > 0 => (&name[..i], &name[i..]),
        _ => (name.as_str(), ""),
    };
    for n in 0..10_000u32 {
        let candidate = if n == 0 {
            name.clone()
        } else {
            format!("{stem} ({n}){ext}")
        };
        let path = dir.join(candidate);
        match tokio::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .await
        {
            Ok(f) => return Ok((path, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => {
                return Err(ApiError::Other(format!(
                    "cannot create {}: {e}",
                    path.display()
                )));
            }
        }
    }
    Err(ApiError::Other(format!(
        "too many files named like {name} in {}",
        dir.display()
    )))
}

/// Stream `url` into a new file (see `create_unique`); `progress(done, total)` as bytes arrive.
/// A partial file is removed when the transfer fails.
/// A download gets the call deadline to start answering and again whenever it stalls; an
/// attachment over `limit` bytes is refused (by its announced size) or stopped, its partial file
/// removed.
pub async fn download(
    client: &Client,
    url: &str,
    dir: Option<PathBuf>,
    name: &str,
    limit: u64,
    progress: &mut (dyn FnMut(u64, Option<u64>) + Send),
) -> Result<(PathBuf, u64), ApiError> {
    use futures::StreamExt;
    use tokio::io::AsyncWriteExt;
    let dir = dir.or_else(default_download_dir).ok_or_else(|| {
        ApiError::Other("there is no download or data directory to save into (is HOME set?)".into())
    })?;
    tokio::fs::create_dir_all(&dir)
        .await
        .map_err(|e| ApiError::Other(format!("cannot create {}: {e}", dir.display())))?;
    let url = if url.starts_with('/') {
        format!("{}{url}", client.base_url())
    } else {
        url.to_string()
    };
    let deadline = client.call_deadline();
    let resp = tokio::time::timeout(deadline, client.download(&url))
        .await
        .unwrap_or(Err(ApiError::Timeout))?;
    let total = resp.content_length();
    if let Some(size) = total.filter(|&t| t > limit) {
        return Err(too_big(Some(size), limit));
    }
    let (path, mut file) = create_unique(&dir, name).await?;
    let mut stream = resp.bytes_stream();
    let mut done = 0u64;
    let mut last = std::time::Instant::now();
    let outcome: Result<(), ApiError> = async {
        loop {
            let Some(chunk) = tokio::time::timeout(deadline, stream.next())
                .await
                .map_err(|_| {
                    ApiError::Network(format!(
                        "the download stalled: nothing arrived for {} s",
                        deadline.as_secs()
                    ))
                })?
            else {
                break;
            };
            let chunk =
                chunk.map_err(|e| ApiError::Network(format!("the download broke off: {e}")))?;
            if done + chunk.len() as u64 > limit {
                return Err(too_big(None, limit));
            }
            file.write_all(&chunk)
                .await
                .map_err(|e| ApiError::Other(format!("cannot write {}: {e}", path.display())))?;
            done += chunk.len() as u64;
            if last.elapsed() >= std::time::Duration::from_millis(100) {
                last = std::time::Instant::now();
                progress(done, total);
            }
        }
        file.flush()
            .await
            .map_err(|e| ApiError::Other(format!("cannot write {}: {e}", path.display())))?;
        Ok(())
    }
    .await;
    if let Err(e) = outcome {
        drop(file);
        let _ = tokio::fs::remove_file(&path).await;
        return Err(e);
    }
    Ok((path, done))
}
