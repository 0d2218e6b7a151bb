//! Outreach OAuth tokens: the token endpoint's answer, and the file in the state directory that
//! keeps the refresh token (and the current access token with its expiry) between runs.
//!
//! The file is written atomically (a new file in the same directory, created 0600, synced, then
//! renamed over the old one), so a crash never leaves a half-written or world-readable token.
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::api::Secret;

/// What `POST /oauth/token` answers (both grants).
#[derive(Clone, Deserialize)]
pub struct TokenResponse {
    pub access_token: String,
    #[serde(default)]
    pub token_type: Option<String>,
    #[serde(default)]
    pub expires_in: Option<i64>,
    #[serde(default)]
    pub refresh_token: Option<String>,
    #[serde(default)]
    pub scope: Option<String>,
    #[serde(default)]
    pub created_at: Option<i64>,
}

impl fmt::Debug for TokenResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenResponse")
            .field("expires_in", &self.expires_in)
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}

/// What the token file holds.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StoredTokens {
    #[serde(default)]
    pub access_token: Option<String>,
    /// Unix seconds after which the access token is no longer good.
    #[serde(default)]
    pub expires_at: Option<i64>,
    #[serde(default)]
    pub refresh_token: Option<String>,
    /// The `redirect_uri` the tokens were obtained with (sent again on refresh).
    #[serde(default)]
    pub redirect_uri: Option<String>,
    #[serde(default)]
    pub scope: Option<String>,
}

impl fmt::Debug for StoredTokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoredTokens")
            .field("access_token", &self.access_token.as_ref().map(|_| "***"))
            .field("expires_at", &self.expires_at)
            .field("refresh_token", &self.refresh_token.as_ref().map(|_| "***"))
            .field("redirect_uri", &self.redirect_uri)
            .field("scope", &self.scope)
            .finish()
    }
}

impl StoredTokens {
    /// The tokens after a grant answered at unix time `now`; keeps the old refresh token when the
    /// answer has none.
    pub fn after_grant(&self, r: &TokenResponse, now: i64) -> StoredTokens {
        let issued = r
            .created_at
            .filter(|c| (now - 300..=now + 300).contains(c))
            .unwrap_or(now);
        StoredTokens {
            access_token: Some(r.access_token.clone()),
            expires_at: Some(issued + r.expires_in.unwrap_or(7200).max(0)),
            refresh_token: r
                .refresh_token
                .clone()
                .or_else(|| self.refresh_token.clone()),
            redirect_uri: self.redirect_uri.clone(),
            scope: r.scope.clone().or_else(|| self.scope.clone()),
        }
    }

    pub fn refresh(&self) -> Option<Secret> {
        self.refresh_token.clone().map(Secret::new)
    }
}

/// Default place of the token file: `outreach-tokens.json` in the state (or data) directory.
pub fn default_token_path() -> Option<PathBuf> {
    crate::config::project_dirs().map(|d| {
        d.state_dir()
            .unwrap_or(d.data_dir())
            .join("outreach-tokens.json")
    })
}

/// Read the token file. A missing file is `Ok(None)`; a file others can read is refused.
pub fn load(path: &Path) -> Result<Option<StoredTokens>, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    check_private(path)?;
    serde_json::from_str(&text).map(Some).map_err(|e| {
        format!(
            "{} is not a token file: {}",
            path.display(),
            e.classify_words()
        )
    })
}

trait Classify {
    fn classify_words(&self) -> &'static str;
}

impl Classify for serde_json::Error {
    /// serde's message may quote the file's content (a token): say only what kind of error.
    fn classify_words(&self) -> &'static str {
        match self.classify() {
            serde_json::error::Category::Io => "cannot read it",
            serde_json::error::Category::Syntax => "not valid JSON",
            serde_json::error::Category::Data => "unexpected fields",
            serde_json::error::Category::Eof => "cut short",
        }
    }
}

#[cfg(unix)]
fn check_private(path: &Path) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?
        .permissions()
        .mode();
    if mode & 0o077 != 0 {
        return Err(format!(
            "{} holds Outreach tokens but other users can read it (mode {:o}); run: chmod 600 {}",
            path.display(),
            mode & 0o777,
            path.display()
        ));
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private(_path: &Path) -> Result<(), String> {
    Ok(())
}

/// Write the token file atomically with mode 0600 (its directory is created 0700 if missing).
pub fn store(path: &Path, tokens: &StoredTokens) -> Result<(), String> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    create_private_dir(dir)?;
    let json =
        serde_json::to_vec_pretty(tokens).map_err(|_| "cannot encode the tokens".to_string())?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "outreach-tokens.json".into());
    let tmp = dir.join(format!(
        ".{name}.{}.{}.tmp",
        std::process::id(),
        fastrand::u32(..)
    ));
    let write = || -> std::io::Result<()> {
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let mut f = opts.open(&tmp)?;
        f.write_all(&json)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)?;
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        format!("cannot write {}: {e}", path.display())
    })
}

fn create_private_dir(dir: &Path) -> Result<(), String> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir)
        .map_err(|e| format!("cannot create {}: {e}", dir.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn the_token_file_is_private_and_replaced_whole() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state/outreach-tokens.json");
        let t = StoredTokens {
            refresh_token: Some("rt-1".into()),
            ..StoredTokens::default()
        };
        store(&path, &t).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(load(&path).unwrap(), Some(t.clone()));
        let t2 = StoredTokens {
            refresh_token: Some("rt-2".into()),
            ..t
        };
        store(&path, &t2).unwrap();
        assert_eq!(load(&path).unwrap(), Some(t2));
        let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty());
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let e = load(&path).unwrap_err();
        assert!(e.contains("chmod 600") && !e.contains("rt-2"), "{e}");
        assert_eq!(load(&dir.path().join("none.json")).unwrap(), None);
    }

    #[test]
    fn debug_hides_tokens() {
        let t = StoredTokens {
            access_token: Some("at-secret".into()),
            refresh_token: Some("rt-secret".into()),
            ..StoredTokens::default()
        };
        let d = format!("{t:?}");
        assert!(!d.contains("at-secret") && !d.contains("rt-secret"), "{d}");
        let r: TokenResponse = serde_json::from_str(
            r#"{"access_token":"at-x","refresh_token":"rt-x","expires_in":7200}"#,
        )
        .unwrap();
        let d = format!("{r:?}");
        assert!(!d.contains("at-x") && !d.contains("rt-x"), "{d}");
    }
}
