//! Downloads, each made once per published dataset version and kept in
//! memory compressed, so that a national download costs voters' searches
//! nothing after its first request, and a publication replaces it.

use super::{write, ExportFormat};
use crate::index::ElectionIndex;
use crate::store::{Store, StoreError};
use app::model::{ElectionId, MunicipalityCode};
use bytes::Bytes;
use chrono::{DateTime, Utc};
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use std::collections::HashMap;
use std::io::{Read, Write};
use std::sync::{Arc, Mutex, PoisonError};

/// Which stations a download holds.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Every published station of the election.
    Election,
    /// One municipality's.
    Municipality(MunicipalityCode),
}

/// One downloadable file: an election's stations, or a municipality's,
/// in one format.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Dataset {
    pub election: ElectionId,
    pub scope: Scope,
    pub format: ExportFormat,
}

impl Dataset {
    /// The file under `/data/{election}/`, as [`app::model::download_path`]
    /// names it: `stembureaus.csv` or `GM0589.csv`.
    pub fn from_file_name(election: ElectionId, file: &str) -> Option<Self> {
        let (stem, extension) = file.rsplit_once('.')?;
        let format = ExportFormat::from_extension(extension)?;
        let scope = match stem {
            app::model::WHOLE_ELECTION => Scope::Election,
            code => Scope::Municipality(MunicipalityCode::parse(code).ok()?),
        };
        Some(Self { election, scope, format })
    }

    /// The download's entity tag, which changes with what `index` publishes.
    pub fn etag(&self, index: &ElectionIndex) -> String {
        let scope = match &self.scope {
            Scope::Election => app::model::WHOLE_ELECTION,
            Scope::Municipality(code) => code.as_str(),
        };
        let tag = index.etag.trim_matches('"');
        format!("\"{tag}-{scope}-{}\"", self.format.extension())
    }
}

/// Files up to this size are also kept uncompressed, so that clients
/// without gzip (wget, some scripts) cost no unzipping per request; larger
/// ones (national files of a very large election) are unzipped on demand
/// rather than held twice.
const KEEP_PLAIN_UP_TO: usize = 32 * 1024 * 1024;

/// A made download. `Bytes` are shared, not copied, by every response.
pub struct Download {
    /// The file, gzip-compressed.
    pub gzip: Bytes,
    plain: Option<Bytes>,
    pub etag: String,
    /// When the newest of its dataset versions was stored.
    pub last_modified: Option<DateTime<Utc>>,
}

impl Download {
    /// The file itself, for a client that takes no gzip.
    pub fn plain(&self) -> std::io::Result<Bytes> {
        if let Some(plain) = &self.plain {
            return Ok(plain.clone());
        }
        let mut plain = Vec::new();
        GzDecoder::new(&self.gzip[..]).read_to_end(&mut plain)?;
        Ok(plain.into())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DownloadError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("cannot write the download: {0}")]
    Write(String),
    #[error("the download was cancelled")]
    Cancelled,
}

/// The downloads made so far, one per dataset, each replaced once a newer
/// publication asks for it again.
pub struct Downloads {
    /// A connection of its own, so downloads never wait on the one that
    /// follows publications.
    store: Mutex<Store>,
    made: Mutex<HashMap<Dataset, Arc<Download>>>,
    /// Held while a download is made, so that a crowd asking for a new
    /// national file at once makes it once, not once per request.
    making: tokio::sync::Mutex<()>,
}

impl Downloads {
    pub fn new(store: Store) -> Self {
        Self { store: Mutex::new(store), made: Mutex::default(), making: tokio::sync::Mutex::new(()) }
    }

    /// `dataset` as `index` publishes it, made on a blocking thread when it
    /// has not been made for this publication yet.
    pub async fn get(
        self: &Arc<Self>,
        dataset: Dataset,
        index: &ElectionIndex,
    ) -> Result<Arc<Download>, DownloadError> {
        let etag = dataset.etag(index);
        if let Some(made) = self.made_for(&dataset, &etag) {
            return Ok(made);
        }
        let _making = self.making.lock().await;
        if let Some(made) = self.made_for(&dataset, &etag) {
            return Ok(made);
        }
        let versions = index.versions.clone();
        let this = Arc::clone(self);
        let key = dataset.clone();
        let download = tokio::task::spawn_blocking(move || this.make(&key, &versions, etag))
            .await
            .map_err(|_| DownloadError::Cancelled)??;
        let download = Arc::new(download);
        self.made.lock().unwrap_or_else(PoisonError::into_inner).insert(dataset, download.clone());
        Ok(download)
    }

    fn made_for(&self, dataset: &Dataset, etag: &str) -> Option<Arc<Download>> {
        let made = self.made.lock().unwrap_or_else(PoisonError::into_inner);
        made.get(dataset).filter(|download| download.etag == etag).cloned()
    }

    fn make(&self, dataset: &Dataset, versions: &[i64], etag: String) -> Result<Download, DownloadError> {
        let municipality = match &dataset.scope {
            Scope::Election => None,
            Scope::Municipality(code) => Some(code),
        };
        let records =
            self.store.lock().unwrap_or_else(PoisonError::into_inner).records(versions, municipality)?;
        let file = write(records.rows, dataset.format).map_err(DownloadError::Write)?;
        let mut gzip = GzEncoder::new(Vec::with_capacity(file.len() / 5), flate2::Compression::default());
        gzip.write_all(&file).map_err(|e| DownloadError::Write(e.to_string()))?;
        let gzip = gzip.finish().map_err(|e| DownloadError::Write(e.to_string()))?.into();
        let plain = (file.len() <= KEEP_PLAIN_UP_TO).then(|| file.into());
        Ok(Download { gzip, plain, etag, last_modified: records.newest })
    }
}
