//! The images of an imported site: found in a copy of its `wp-content/uploads`, resized and
//! stored like an upload, each file once (however many posts use it, however often the import
//! runs: `imported_files`).

use super::Report;
use crate::server::db::{self, imports, Pool};
use crate::server::media::{self, MediaStore, StoredVariant};
use std::collections::HashMap;
use std::path::PathBuf;

/// The part of an image address below `wp-content/uploads/`, if it is one of the site's.
pub(super) fn uploads_path(src: &str) -> Option<String> {
    let i = src.find("/wp-content/uploads/")?;
    let rest = &src[i + "/wp-content/uploads/".len()..];
    let rest = rest.split(['?', '#']).next().unwrap_or_default();
    let decoded = crate::server::redirects::percent_decode(rest)?;
    if decoded.is_empty()
        || decoded
            .split('/')
            .any(|s| s.is_empty() || s == "." || s == "..")
    {
        return None;
    }
    Some(decoded)
}

/// "photo-1024x683.jpg" → "photo.jpg": WordPress's resized copy, and its original's name.
pub(super) fn original_name(path: &str) -> Option<String> {
    let (stem, ext) = path.rsplit_once('.')?;
    let (base, size) = stem.rsplit_once('-')?;
    let (w, h) = size.split_once('x')?;
    if w.is_empty()
        || h.is_empty()
        || !w.bytes().all(|b| b.is_ascii_digit())
        || !h.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    Some(format!("{base}.{ext}"))
}

/// A stored image: its media row's id and variants, as a form holds it.
pub(super) type Stored = crate::model::newsroom::MediaRef;

pub(super) fn stored_from(id: i64, variants: &[StoredVariant]) -> Option<Stored> {
    media::media_ref(id, variants)
}

/// Finds, processes and stores the site's images, once each.
pub(super) struct Images<'a> {
    pub(super) pool: &'a Pool,
    pub(super) store: &'a dyn MediaStore,
    pub(super) site: String,
    pub(super) dir: Option<PathBuf>,
    pub(super) dry_run: bool,
    pub(super) now: i64,
    /// By the original's path: what this run stored, or why it could not.
    pub(super) done: HashMap<String, Result<Option<Stored>, String>>,
}

impl Images<'_> {
    /// The image at `src` (an address in a post), stored; `Err` says why it is missing.
    pub(super) async fn get(
        &mut self,
        src: &str,
        report: &mut Report,
    ) -> Result<Option<Stored>, String> {
        let Some(path) = uploads_path(src) else {
            return Err(format!("{src} is not in wp-content/uploads"));
        };
        // WordPress's resized copy and its original are one picture: stored once.
        let key = original_name(&path).unwrap_or_else(|| path.clone());
        if let Some(done) = self.done.get(&key) {
            return done.clone();
        }
        let result = self.load(&path, report).await;
        self.done.insert(key, result.clone());
        result
    }

    pub(super) async fn load(
        &mut self,
        path: &str,
        report: &mut Report,
    ) -> Result<Option<Stored>, String> {
        let Some(dir) = self.dir.clone() else {
            return Err(format!("{path} (no --media-dir given)"));
        };
        // The original rather than a resized copy: the portal makes its own sizes.
        let candidates: Vec<String> = original_name(path)
            .into_iter()
            .chain(std::iter::once(path.to_string()))
            .collect();
        for candidate in &candidates {
            if let Some((id, variants)) = imports::imported_file(self.pool, &self.site, candidate)
                .await
                .map_err(|e| e.to_string())?
            {
                let variants: Vec<StoredVariant> =
                    serde_json::from_str(&variants).unwrap_or_default();
                report.images_reused += 1;
                return Ok(stored_from(id, &variants));
            }
        }
        let found = candidates
            .iter()
            .map(|c| (c.clone(), dir.join(c)))
            .find(|(_, p)| p.is_file());
        let Some((key, file)) = found else {
            return Err(format!("{path} is not in {}", dir.display()));
        };
        let bytes = tokio::fs::read(&file)
            .await
            .map_err(|e| format!("{}: {e}", file.display()))?;
        if self.dry_run {
            media::sniff(&bytes).map_err(|e| format!("{key}: {}", e.message()))?;
            report.images_imported += 1;
            return Ok(None);
        }
        let size = bytes.len();
        let processed = tokio::task::spawn_blocking(move || media::process(&bytes))
            .await
            .map_err(|e| e.to_string())?
            .map_err(|e| format!("{key}: {}", e.message()))?;
        let variants = media::store_variants(self.store, &processed, self.now)
            .await
            .map_err(|e| format!("storing {key}: {e}"))?;
        let json = serde_json::to_string(&variants).map_err(|e| e.to_string())?;
        let id = db::newsroom::insert_media(
            self.pool,
            &json,
            processed.width,
            processed.height,
            processed.source_type,
            size,
            None,
            &key,
            self.now,
        )
        .await
        .map_err(|e| e.to_string())?;
        imports::record_file(self.pool, &self.site, &key, id)
            .await
            .map_err(|e| e.to_string())?;
        report.images_imported += 1;
        Ok(stored_from(id, &variants))
    }
}
