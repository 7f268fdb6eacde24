//! Uploaded images: the real type is read from the bytes, anything but JPEG, PNG, WebP or GIF
//! is refused, and what is stored are fresh WebP encodings at a few widths. Re-encoding drops
//! every bit of metadata (camera, GPS...); the upload itself is never kept. The stores (a
//! folder, or an S3-compatible bucket) are here too; the newsroom's upload endpoint is
//! `edge::upload`.

use crate::error::AppError;
use crate::model::newsroom::MediaRef;
use crate::server::config::{Config, MediaStoreKind};
use std::io::Cursor;
use std::path::PathBuf;
use std::sync::Arc;

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};

/// Width and height of every demo illustration (`/media/demo/*.svg`, written by the demo tool),
/// so figures of them reserve their space too.
pub const DEMO_ART_SIZE: (u32, u32) = (1200, 675);

/// Widths pages ask for (`srcset`). An image narrower than one of these is not enlarged.
pub const WIDTHS: [u32; 3] = [400, 800, 1600];
const QUALITY: f32 = 80.0;
const MAX_SIDE: u32 = 12_000;
/// The most pixels an upload may have (50 megapixels: any camera's photo, not a bomb). A
/// small file can claim a huge image; the claim is read from the header and refused before
/// anything is decoded.
pub const MAX_PIXELS: u64 = 50_000_000;
/// Memory one decode may take: 50 MP at 4 bytes a pixel, with room to spare.
const MAX_DECODE_BYTES: u64 = 256 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UploadError {
    TooLarge,
    TooManyPixels(u32, u32),
    Unsupported(String),
    Unreadable,
}

impl UploadError {
    pub fn message(&self) -> String {
        use crate::model::validate::{UPLOAD_MAX_BYTES, UPLOAD_TYPES};
        match self {
            UploadError::TooLarge => format!(
                "The file is larger than {} MB. Export a smaller version and try again.",
                UPLOAD_MAX_BYTES / (1024 * 1024)
            ),
            UploadError::TooManyPixels(w, h) => format!(
                "The image is {w} × {h} pixels; the newsroom takes up to {} megapixels. \
                 Scale it down and try again.",
                MAX_PIXELS / 1_000_000
            ),
            UploadError::Unsupported(found) => {
                format!("This file is {found}, not an image we accept. Use {UPLOAD_TYPES}.")
            }
            UploadError::Unreadable => {
                "The image could not be read. The file may be damaged.".to_string()
            }
        }
    }
}

impl From<UploadError> for AppError {
    fn from(e: UploadError) -> Self {
        let message = e.message();
        match e {
            UploadError::TooLarge | UploadError::TooManyPixels(..) => {
                AppError::PayloadTooLarge(message)
            }
            UploadError::Unsupported(_) => AppError::UnsupportedMediaType(message),
            UploadError::Unreadable => AppError::Unprocessable(message),
        }
    }
}

/// One stored size of an image, as its row keeps it (JSON in `media.variants`).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct StoredVariant {
    pub width: u32,
    pub height: u32,
    pub url: String,
}

/// What a form holds of a stored image: the ~800 px variant as `src`, every size in `srcset`.
pub fn media_ref(id: i64, variants: &[StoredVariant]) -> Option<MediaRef> {
    let main = variants
        .iter()
        .rfind(|v| v.width <= 800)
        .or(variants.first())?;
    let large = variants.last()?;
    Some(MediaRef {
        id,
        url: main.url.clone(),
        width: main.width,
        height: main.height,
        srcset: variants
            .iter()
            .map(|v| format!("{} {}w", v.url, v.width))
            .collect::<Vec<_>>()
            .join(", "),
        large_url: large.url.clone(),
    })
}

pub struct Variant {
    pub width: u32,
    pub height: u32,
    pub webp: Vec<u8>,
}

pub struct Processed {
    pub source_type: &'static str,
    pub width: u32,
    pub height: u32,
    pub variants: Vec<Variant>,
}

/// What the bytes are, by their signature (the file name and the browser's word don't count).
pub fn sniff(bytes: &[u8]) -> Result<ImageFormat, UploadError> {
    match image::guess_format(bytes) {
        Ok(f @ (ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP | ImageFormat::Gif)) => {
            Ok(f)
        }
        Ok(other) => Err(UploadError::Unsupported(format!("a {other:?} image"))),
        Err(_) => Err(UploadError::Unsupported(describe(bytes).into())),
    }
}

fn describe(bytes: &[u8]) -> &'static str {
    if bytes.starts_with(b"%PDF") {
        "a PDF document"
    } else if bytes.starts_with(b"PK\x03\x04") {
        "an archive or office document"
    } else if bytes.starts_with(b"<svg") || bytes.starts_with(b"<?xml") {
        "an SVG/XML file"
    } else if bytes.starts_with(b"<") {
        "an HTML file"
    } else if bytes.is_empty() {
        "empty"
    } else {
        "of an unknown type"
    }
}

/// Decodes, orients, resizes and re-encodes. CPU-heavy: call it from `spawn_blocking`.
pub fn process(bytes: &[u8]) -> Result<Processed, UploadError> {
    if bytes.len() > crate::model::validate::UPLOAD_MAX_BYTES {
        return Err(UploadError::TooLarge);
    }
    let format = sniff(bytes)?;
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|_| UploadError::Unreadable)?;
    // The header's claim, before a single pixel is decoded.
    let (w, h) = decoder.dimensions();
    if w as u64 * h as u64 > MAX_PIXELS || w > MAX_SIDE || h > MAX_SIDE {
        return Err(UploadError::TooManyPixels(w, h));
    }
    let orientation = decoder.orientation().ok();
    let mut img = DynamicImage::from_decoder(decoder).map_err(|_| UploadError::Unreadable)?;
    if let Some(o) = orientation {
        img.apply_orientation(o);
    }
    let (w, h) = (img.width(), img.height());
    if w == 0 || h == 0 {
        return Err(UploadError::Unreadable);
    }
    // 8 bits a channel; no second copy when it is that already.
    let img = match img {
        DynamicImage::ImageRgb8(_) | DynamicImage::ImageRgba8(_) => img,
        other if other.color().has_alpha() => DynamicImage::ImageRgba8(other.to_rgba8()),
        other => DynamicImage::ImageRgb8(other.to_rgb8()),
    };
    // A very large photo is first shrunk with a cheap box filter to twice the largest width,
    // so the fine filter below never holds a full-size float copy.
    let largest = WIDTHS[WIDTHS.len() - 1];
    let img = if w > 2 * largest {
        let sw = 2 * largest;
        let sh = ((h as u64 * sw as u64) / w as u64).max(1) as u32;
        img.thumbnail_exact(sw, sh)
    } else {
        img
    };
    let (sw, sh) = (img.width(), img.height());
    let mut widths: Vec<u32> = WIDTHS.iter().copied().filter(|&tw| tw < w).collect();
    widths.push(w.min(WIDTHS[WIDTHS.len() - 1]));
    widths.dedup();
    let mut variants = Vec::with_capacity(widths.len());
    for tw in widths {
        let th = ((h as u64 * tw as u64) / w as u64).max(1) as u32;
        let resized = if (tw, th) == (sw, sh) {
            img.clone()
        } else {
            img.resize_exact(tw, th, image::imageops::FilterType::Lanczos3)
        };
        let webp = match &resized {
            DynamicImage::ImageRgba8(buf) => webp::Encoder::from_rgba(buf.as_raw(), tw, th)
                .encode(QUALITY)
                .to_vec(),
            other => {
                let rgb = other.to_rgb8();
                webp::Encoder::from_rgb(rgb.as_raw(), tw, th)
                    .encode(QUALITY)
                    .to_vec()
            }
        };
        variants.push(Variant {
            width: tw,
            height: th,
            webp,
        });
    }
    Ok(Processed {
        source_type: match format {
            ImageFormat::Jpeg => "image/jpeg",
            ImageFormat::Png => "image/png",
            ImageFormat::WebP => "image/webp",
            _ => "image/gif",
        },
        width: w,
        height: h,
        variants,
    })
}

/// Stores every variant of a processed image under a new, never reused key
/// (`YYYY/MM/<random>-WxH.webp`: the size in the name gives a figure in an article body its
/// width and height).
pub async fn store_variants(
    store: &dyn MediaStore,
    processed: &Processed,
    now: i64,
) -> std::io::Result<Vec<StoredVariant>> {
    let base = format!(
        "{}/{:016x}",
        crate::server::dates::utc(now).format("%Y/%m"),
        fastrand::u64(..)
    );
    let mut stored = Vec::with_capacity(processed.variants.len());
    for v in &processed.variants {
        let key = format!("{base}-{}x{}.webp", v.width, v.height);
        store.put(&key, &v.webp).await?;
        stored.push(StoredVariant {
            width: v.width,
            height: v.height,
            url: store.url(&key),
        });
    }
    Ok(stored)
}

/// Where media files live: on the server's disk, or in an object store every server shares.
/// Either way readers fetch them from `/media/<key>`, with the same headers.
#[async_trait::async_trait]
pub trait MediaStore: Send + Sync {
    async fn put(&self, key: &str, bytes: &[u8]) -> std::io::Result<()>;
    /// The public address of a stored key.
    fn url(&self, key: &str) -> String;
    /// A stored file, for the `/media` route (`None` when there is no such key). The disk
    /// store is served by the router's file service instead.
    async fn get(&self, key: &str) -> std::io::Result<Option<StoredFile>>;
    /// Removes a stored file (nothing happens when there is none).
    async fn delete(&self, key: &str) -> std::io::Result<()>;
}

/// The store's key of a media address (`/media/<key>`), if it is one of ours.
pub fn key_of(url: &str) -> Option<&str> {
    url.strip_prefix("/media/").filter(|k| valid_key(k))
}

/// A file as the object store returns it.
pub struct StoredFile {
    pub bytes: bytes::Bytes,
    /// The store's entity tag, if it gives one (for `If-None-Match`).
    pub etag: Option<String>,
}

/// The bucket `PORTAL_MEDIA_STORE` names cannot be used (the settings are wrong; nothing is
/// reached at start, so an unreachable store shows at the first image instead).
#[derive(Debug, thiserror::Error)]
#[error(
    "PORTAL_MEDIA_STORE: cannot use s3://{bucket}: {source}. Check the bucket's name and \
     PORTAL_S3_* (endpoint, region, keys)"
)]
pub struct StoreError {
    bucket: String,
    source: object_store::Error,
}

/// The store the configuration names.
pub fn open_store(config: &Config) -> Result<Arc<dyn MediaStore>, StoreError> {
    Ok(match &config.media_store {
        MediaStoreKind::Disk => Arc::new(DiskStore {
            root: config.media_dir(),
        }),
        MediaStoreKind::S3 { bucket, prefix } => {
            let mut builder = object_store::aws::AmazonS3Builder::new()
                .with_bucket_name(bucket)
                .with_region(&config.s3_region);
            if let Some(endpoint) = &config.s3_endpoint {
                builder = builder
                    .with_endpoint(endpoint)
                    .with_allow_http(endpoint.starts_with("http://"));
            }
            if let (Some(id), Some(secret)) =
                (&config.s3_access_key_id, &config.s3_secret_access_key)
            {
                builder = builder
                    .with_access_key_id(id)
                    .with_secret_access_key(secret.expose());
            }
            let store = builder.build().map_err(|source| StoreError {
                bucket: bucket.clone(),
                source,
            })?;
            Arc::new(ObjectStore {
                store: Arc::new(store),
                prefix: prefix.clone(),
            })
        }
    })
}

/// An S3-compatible bucket (through the `object_store` crate), keys under `prefix`.
pub struct ObjectStore {
    pub store: Arc<dyn object_store::ObjectStore>,
    pub prefix: String,
}

impl ObjectStore {
    fn path(&self, key: &str) -> object_store::path::Path {
        object_store::path::Path::from(format!("{}{key}", self.prefix))
    }
}

use object_store::ObjectStoreExt;

fn io_error(e: object_store::Error) -> std::io::Error {
    std::io::Error::other(e)
}

#[async_trait::async_trait]
impl MediaStore for ObjectStore {
    async fn put(&self, key: &str, bytes: &[u8]) -> std::io::Result<()> {
        // One PUT: the object appears whole or not at all.
        self.store
            .put(&self.path(key), bytes::Bytes::copy_from_slice(bytes).into())
            .await
            .map(|_| ())
            .map_err(io_error)
    }

    fn url(&self, key: &str) -> String {
        format!("/media/{key}")
    }

    async fn get(&self, key: &str) -> std::io::Result<Option<StoredFile>> {
        match self.store.get(&self.path(key)).await {
            Ok(found) => {
                let etag = found.meta.e_tag.clone();
                let bytes = found.bytes().await.map_err(io_error)?;
                Ok(Some(StoredFile { bytes, etag }))
            }
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(io_error(e)),
        }
    }

    async fn delete(&self, key: &str) -> std::io::Result<()> {
        match self.store.delete(&self.path(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(io_error(e)),
        }
    }
}

/// The content type of a media file, by its name (the names are ours).
pub fn content_type(key: &str) -> &'static str {
    match key.rsplit('.').next().unwrap_or_default() {
        "webp" => "image/webp",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        "svg" => "image/svg+xml",
        _ => "application/octet-stream",
    }
}

/// Whether a `/media` path can be a key of ours: no `..`, no empty segments, plain characters.
pub fn valid_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 300
        && key
            .split('/')
            .all(|seg| !seg.is_empty() && seg != "." && seg != "..")
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_' | '.'))
}

/// Files under `<data dir>/media`, served at `/media/...` with a one-year cache lifetime
/// (keys are never reused, so a file never changes).
pub struct DiskStore {
    pub root: PathBuf,
}

#[async_trait::async_trait]
impl MediaStore for DiskStore {
    async fn put(&self, key: &str, bytes: &[u8]) -> std::io::Result<()> {
        let path = self.root.join(key);
        if let Some(parent) = path.parent() {
            tokio::fs::create_dir_all(parent).await?;
        }
        // Write then rename: readers never see half a file.
        let tmp = path.with_extension("part");
        tokio::fs::write(&tmp, bytes).await?;
        tokio::fs::rename(&tmp, &path).await
    }

    fn url(&self, key: &str) -> String {
        format!("/media/{key}")
    }

    async fn get(&self, key: &str) -> std::io::Result<Option<StoredFile>> {
        if !valid_key(key) {
            return Ok(None);
        }
        match tokio::fs::read(self.root.join(key)).await {
            Ok(bytes) => Ok(Some(StoredFile {
                bytes: bytes.into(),
                etag: None,
            })),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn delete(&self, key: &str) -> std::io::Result<()> {
        if !valid_key(key) {
            return Ok(());
        }
        match tokio::fs::remove_file(self.root.join(key)).await {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(w, h, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
        });
        let mut out = Cursor::new(Vec::new());
        DynamicImage::ImageRgb8(img)
            .write_to(&mut out, ImageFormat::Png)
            .unwrap();
        out.into_inner()
    }

    fn jpeg_with_exif(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_pixel(w, h, image::Rgb([200, 30, 30]));
        let mut out = Cursor::new(Vec::new());
        DynamicImage::ImageRgb8(img)
            .write_to(&mut out, ImageFormat::Jpeg)
            .unwrap();
        let jpeg = out.into_inner();
        // Splice an APP1/Exif segment holding a "GPS" marker right after SOI.
        let payload = b"Exif\0\0MM\0*GPS-SECRET-LOCATION";
        let len = (payload.len() + 2) as u16;
        let mut with = vec![0xFF, 0xD8, 0xFF, 0xE1, (len >> 8) as u8, len as u8];
        with.extend_from_slice(payload);
        with.extend_from_slice(&jpeg[2..]);
        with
    }

    #[test]
    fn resizes_into_webp_variants_without_enlarging() {
        let out = process(&png(1000, 500)).unwrap();
        assert_eq!(out.source_type, "image/png");
        let sizes: Vec<(u32, u32)> = out.variants.iter().map(|v| (v.width, v.height)).collect();
        assert_eq!(sizes, [(400, 200), (800, 400), (1000, 500)]);
        for v in &out.variants {
            assert_eq!(image::guess_format(&v.webp).unwrap(), ImageFormat::WebP);
        }
        let small = process(&png(300, 200)).unwrap();
        assert_eq!(small.variants.len(), 1);
        assert_eq!(small.variants[0].width, 300);
    }

    #[test]
    fn metadata_does_not_survive() {
        let src = jpeg_with_exif(640, 480);
        assert!(src.windows(10).any(|w| w == b"GPS-SECRET"));
        let out = process(&src).unwrap();
        assert_eq!(out.source_type, "image/jpeg");
        for v in &out.variants {
            assert!(!v.webp.windows(10).any(|w| w == b"GPS-SECRET"));
            assert!(!v.webp.windows(4).any(|w| w == b"EXIF"));
        }
    }

    #[test]
    fn the_bytes_decide_not_the_name() {
        assert_eq!(
            process(b"%PDF-1.7 pretending to be a photo.jpg").err(),
            Some(UploadError::Unsupported("a PDF document".into()))
        );
        assert!(matches!(
            process(b"<svg onload=alert(1)>"),
            Err(UploadError::Unsupported(_))
        ));
        assert!(matches!(process(b""), Err(UploadError::Unsupported(_))));
        // A valid PNG signature with garbage after it.
        let mut broken = png(50, 50);
        broken.truncate(40);
        assert_eq!(process(&broken).err(), Some(UploadError::Unreadable));
        let huge = vec![0u8; crate::model::validate::UPLOAD_MAX_BYTES + 1];
        assert_eq!(process(&huge).err(), Some(UploadError::TooLarge));
        assert_eq!(AppError::from(UploadError::TooLarge).status(), 413);
        assert_eq!(AppError::from(UploadError::Unreadable).status(), 422);
    }

    /// A PNG whose header claims `w` × `h` pixels, with the CRC fixed so the decoder believes it.
    fn png_claiming(w: u32, h: u32) -> Vec<u8> {
        let mut bytes = png(8, 8);
        // Signature (8), IHDR length (4), "IHDR" (4): width and height follow, then the CRC of
        // "IHDR" + 13 data bytes.
        bytes[16..20].copy_from_slice(&w.to_be_bytes());
        bytes[20..24].copy_from_slice(&h.to_be_bytes());
        let crc = crc32(&bytes[12..29]);
        bytes[29..33].copy_from_slice(&crc.to_be_bytes());
        bytes
    }

    fn crc32(data: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &b in data {
            crc ^= b as u32;
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    #[test]
    fn decompression_bombs_are_refused_from_their_header() {
        // The helper makes headers a decoder accepts: a true claim decodes.
        assert!(process(&png_claiming(8, 8)).is_ok());
        // 12000 × 12000 in a few hundred bytes: refused before decoding, with the sizes.
        let bomb = png_claiming(12_000, 12_000);
        assert!(bomb.len() < 1_000);
        let started = std::time::Instant::now();
        let err = process(&bomb).err().unwrap();
        assert_eq!(err, UploadError::TooManyPixels(12_000, 12_000));
        assert!(err.message().contains("12000 × 12000"));
        assert_eq!(AppError::from(err).status(), 413);
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
        // Just under the pixel budget but past the side limit: refused too.
        assert!(process(&png_claiming(40_000, 100)).is_err());
    }

    #[test]
    fn large_photos_are_shrunk_in_steps_with_the_right_sizes() {
        let out = process(&png(4000, 1000)).unwrap();
        let sizes: Vec<(u32, u32)> = out.variants.iter().map(|v| (v.width, v.height)).collect();
        assert_eq!(sizes, [(400, 100), (800, 200), (1600, 400)]);
        assert_eq!((out.width, out.height), (4000, 1000));
    }
}
