//! `kieskaart`: the command line. Parses arguments and hands over to
//! `kieskaart::commands`.

use app::components::MapTiles;
use app::directory::PublicUrl;
use app::model::{ElectionKind, MunicipalityCode, TimeZoneName};
use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};
use kieskaart::accounts::manage::Reset;
use kieskaart::commands::{
    self, CommandError, ElectionDetails, ImportOptions, Imported, ServeOptions, Source,
};
use kieskaart::http::client_address::ClientAddressRule;
use kieskaart::http::rate_limit::RateLimit;
use kieskaart::http::report::ReportLimits;
use kieskaart::ingest::{self, Format, IngestError, Lang, Report, Whole};
use kieskaart::opendata::ExportFormat;
use kieskaart::startup::Settings;
use kieskaart::store::{ImportSummary, Location, Store};
use kieskaart::submissions::UploadLimits;
use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::path::PathBuf;
use std::process::ExitCode;

/// glibc's allocator slows down badly when one thread frees what another
/// allocated, which is what the import's reader and writer threads do a
/// million times over; mimalloc keeps per-thread free lists and does not.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Kieskaart: find the nearest polling station that suits you.
#[derive(Parser)]
#[command(name = "kieskaart", version)]
struct Cli {
    /// The store: an SQLite file (created with its folder on first use, also
    /// as sqlite://FILE), or postgres://USER:PASSWORD@HOST:PORT/DATABASE for
    /// several servers that share one.
    #[arg(long, env = "DATABASE_URL", default_value = "var/kieskaart.sqlite3", global = true)]
    database: Location,
    /// Log lines as text for a person, or as JSON, one object per line, for
    /// a log collector. `RUST_LOG` sets what is logged (default `info`).
    #[arg(long, env = "KIESKAART_LOG_FORMAT", value_enum, default_value = "text", global = true)]
    log_format: LogFormat,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the voter pages and the API.
    #[command(group(clap::ArgGroup::new("proxies").args(["trusted_proxies", "trusted_proxy_networks"]).multiple(true)))]
    Serve {
        /// Address to listen on.
        #[arg(long, env = "KIESKAART_ADDR", default_value = "127.0.0.1:3000")]
        addr: SocketAddr,
        /// Folder with the built browser bundle (`pkg/`) and static files.
        #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
        site_root: String,
        /// Do not load the demo dataset into an empty database.
        #[arg(long)]
        no_demo: bool,
        /// Online geocoder (PDOK Locatieserver API root) for addresses the
        /// offline gazetteer does not know, or `off`.
        #[arg(long, env = "KIESKAART_GEOCODER", default_value = kieskaart::geocode::pdok::DEFAULT_URL)]
        geocoder: String,
        /// Map tile URL template (`{z}/{x}/{y}`), or `off` for markers on a
        /// plain background.
        #[arg(long, env = "KIESKAART_TILES", default_value = kieskaart::startup::PDOK_TILES)]
        tiles: String,
        /// The credit the tile provider requires, as HTML.
        #[arg(long, env = "KIESKAART_TILES_ATTRIBUTION", default_value = kieskaart::startup::PDOK_ATTRIBUTION)]
        tiles_attribution: String,
        /// Requests a second one client address may make of the API, on
        /// average (bursts of twice as many); 0 for no limit.
        #[arg(long, env = "KIESKAART_API_RATE_LIMIT", default_value_t = 50)]
        api_rate_limit: u32,
        /// How many proxies stand in front (nginx alone: 1; a CDN and
        /// nginx: 2), each adding the address it was reached from to
        /// X-Forwarded-For. The client is the address the outermost added;
        /// what the client wrote itself is ignored. Only when the server's
        /// port is reachable through the proxies alone.
        #[arg(long, env = "KIESKAART_TRUSTED_PROXIES", value_parser = clap::value_parser!(u8).range(1..))]
        trusted_proxies: Option<u8>,
        /// The proxies' networks, comma-separated CIDR or addresses
        /// (e.g. 10.0.0.0/8): hops from there are skipped, from the right,
        /// to find the client; a connection from elsewhere is the client.
        #[arg(long, env = "KIESKAART_TRUSTED_PROXY_NETWORKS", value_delimiter = ',', value_parser = kieskaart::http::client_address::parse_network)]
        trusted_proxy_networks: Vec<ipnet::IpNet>,
        /// The header the trusted proxies add addresses to, when not
        /// X-Forwarded-For (e.g. X-Real-IP, CF-Connecting-IP).
        #[arg(long, env = "KIESKAART_CLIENT_ADDRESS_HEADER", requires = "proxies")]
        client_address_header: Option<axum::http::HeaderName>,
        /// The site's public origin, e.g. https://kieskaart.nl. It alone
        /// decides Secure cookies and HSTS (https), and the links in the
        /// DCAT catalogue, embed snippets and activation links. Without it:
        /// plain HTTP on --addr, for development.
        #[arg(long, env = "KIESKAART_PUBLIC_URL", value_parser = PublicUrl::parse)]
        public_url: Option<PublicUrl>,
        /// The largest station file the portal and the API accept, in MB.
        #[arg(long, env = "KIESKAART_UPLOAD_LIMIT_MB", default_value_t = kieskaart::submissions::DEFAULT_UPLOAD_LIMIT_MB, value_parser = clap::value_parser!(u16).range(1..=1024))]
        upload_limit_mb: u16,
        /// Station files read and checked at once (others wait, up to eight;
        /// more are answered 503). Default: half the cores, the other half
        /// staying with voters.
        #[arg(long, env = "KIESKAART_UPLOAD_WORKERS", value_parser = clap::value_parser!(u16).range(1..=64))]
        upload_workers: Option<u16>,
        /// How often, in seconds, to look whether another process published
        /// something. PostgreSQL also announces each publication, which every
        /// server follows at once; this look is the safety net.
        #[arg(long, env = "KIESKAART_STORE_CHECK_SECONDS", default_value_t = 2, value_parser = clap::value_parser!(u16).range(1..))]
        store_check_seconds: u16,
        /// Problem reports one client address may send an hour (a carrier
        /// that puts many phones behind one address needs more).
        #[arg(long, env = "KIESKAART_REPORTS_PER_ADDRESS", default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..))]
        reports_per_address: u32,
        /// Problem reports taken an hour from everyone together.
        #[arg(long, env = "KIESKAART_REPORTS_PER_HOUR", default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..))]
        reports_per_hour: u32,
    },
    /// Load the demo dataset (election `demo`, the invented municipality
    /// Demodorp); `serve` does this by itself on an empty database.
    Demo,
    /// Import a station file (Stembureaus Open Data Standard fields) into an
    /// election and publish it. Each municipality of the file goes in whole
    /// or, when one of its records has an error, not at all (its published
    /// version stays); exit status 3 when some were refused, 1 when nothing
    /// was imported.
    Import {
        /// A file, or a CKAN datastore_search URL (read page by page).
        source: String,
        /// ckan (datastore JSON), csv, geojson or template (.xlsx, .ods);
        /// detected when not given.
        #[arg(long, value_enum)]
        format: Option<Format>,
        /// Election id, e.g. gr2026; created when new.
        #[arg(long)]
        election: String,
        /// TOML file naming the columns of a CSV file with its own column
        /// names (see the README).
        #[arg(long)]
        mapping: Option<PathBuf>,
        /// The municipality (GMxxxx) of a template, which does not name it.
        #[arg(long, value_parser = |text: &str| MunicipalityCode::parse(text).map_err(|e| e.to_string()))]
        municipality: Option<MunicipalityCode>,
        /// Name of a new election (default: from the id, e.g. "Gemeenteraadsverkiezingen 2026").
        #[arg(long)]
        name: Option<String>,
        /// Polling day of a new election, when the file's dates do not say.
        #[arg(long)]
        polling_date: Option<NaiveDate>,
        /// Early-voting days of a new election, YYYY-MM-DD, comma-separated.
        #[arg(long, value_delimiter = ',')]
        early_voting: Option<Vec<NaiveDate>>,
        /// How to show the findings: a table (on standard error) or JSON
        /// (on standard output, in Dutch and English).
        #[arg(long, value_enum, default_value = "table")]
        report: ReportFormat,
        /// Language of the table.
        #[arg(long, value_enum, default_value = "nl")]
        lang: Lang,
        /// Repair text that was written twice as UTF-8 (`SÃºdwest-FryslÃ¢n`
        /// for `Súdwest-Fryslân`); without it, such text is only reported.
        #[arg(long)]
        repair_encoding: bool,
        /// One error anywhere refuses the whole file, and nothing changes.
        #[arg(long)]
        all_or_nothing: bool,
    },
    /// Write what an election publishes, every column as received, in an
    /// import format; importing it again gives the same stations.
    Export {
        /// Election id, e.g. gr2026.
        #[arg(long)]
        election: String,
        #[arg(long, value_enum, default_value = "ckan")]
        format: ExportFormat,
        /// File to write (default: standard output).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Write the municipality spreadsheet template (ODS 1.7, .xlsx): blank,
    /// or filled with the stations a municipality published (for this
    /// election, else for its latest other one), as the portal offers it.
    Template {
        /// File to write, e.g. stembureaus.xlsx.
        #[arg(long)]
        out: PathBuf,
        /// Election id; with --municipality, fills the template.
        #[arg(long, requires = "municipality")]
        election: Option<String>,
        #[arg(long, requires = "election", value_parser = |text: &str| MunicipalityCode::parse(text).map_err(|e| e.to_string()))]
        municipality: Option<MunicipalityCode>,
    },
    /// Every stored version of an election's data, per municipality, and
    /// which one is published.
    Versions {
        #[arg(long)]
        election: String,
    },
    /// Publish an earlier version again (as a new version that copies it;
    /// every version stays).
    Rollback {
        #[arg(long)]
        election: String,
        /// The version to publish again, from `kieskaart versions`.
        #[arg(long)]
        to: i64,
    },
    /// Add, list and change elections.
    Election {
        #[command(subcommand)]
        command: ElectionCommand,
    },
    /// Municipal boundaries, which let a search say which municipality a
    /// point lies in and put that municipality's stations first.
    Boundaries {
        #[command(subcommand)]
        command: BoundariesCommand,
    },
    /// Extra names and postcodes for offline geocoding.
    Gazetteer {
        #[command(subcommand)]
        command: GazetteerCommand,
    },
    /// Tokens with which a vendor system uploads one municipality's
    /// stations (PUT /api/v1/elections/{e}/municipalities/{code}/stations).
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Portal accounts for municipal officers and admins.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// URLs that receive every publication of an election's change feed
    /// as signed JSON (see docs/operating.md).
    Webhook {
        #[command(subcommand)]
        command: WebhookCommand,
    },
    /// The latest entries of the audit log: token creation and use,
    /// uploads, publications.
    Audit {
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// A new token for one municipality, printed once: hand it to the
    /// vendor and keep no copy.
    Create {
        #[arg(long, value_parser = |text: &str| MunicipalityCode::parse(text).map_err(|e| e.to_string()))]
        municipality: MunicipalityCode,
        /// Who uses it, e.g. the vendor's name.
        #[arg(long)]
        label: String,
    },
    /// Every token: id, municipality, label, when made, whether revoked.
    List,
    /// Revoke a token for good; uploads with it are refused from now on.
    Revoke { id: i64 },
}

#[derive(Subcommand)]
enum WebhookCommand {
    /// Send every publication of the election to URL (http or https),
    /// signed with a new secret that is printed once: give it to the
    /// receiver, which checks X-Kieskaart-Signature with it.
    Add {
        url: String,
        #[arg(long)]
        election: String,
    },
    /// Every webhook: id, election, when added, URL (not the secrets).
    List,
    /// Stop sending to a webhook; its pending deliveries are given up.
    Remove { id: i64 },
}

#[derive(Subcommand)]
enum UserCommand {
    /// A new account; prints its one-time activation link (valid 24
    /// hours), where the officer chooses a password. Send it to them.
    Add {
        #[arg(long)]
        email: String,
        /// A municipality the officer acts for; repeat for more.
        #[arg(long, value_parser = |text: &str| MunicipalityCode::parse(text).map_err(|e| e.to_string()))]
        municipality: Vec<MunicipalityCode>,
        /// Acts for every municipality and manages the portal.
        #[arg(long)]
        admin: bool,
        /// The site's public address, which the link starts with.
        #[arg(long, default_value = "http://localhost:3000")]
        site: String,
    },
    /// Every account: address, role, second factor on or off, last
    /// sign-in, whether disabled, and municipalities.
    List,
    /// Sign the user out everywhere at once and refuse their sign-ins
    /// until enabled again. The last admin who can sign in stays.
    Disable {
        #[arg(long)]
        email: String,
    },
    /// Let a disabled user sign in again, with the password they had.
    Enable {
        #[arg(long)]
        email: String,
    },
    /// Replace the municipalities an officer acts for.
    Municipalities {
        #[arg(long)]
        email: String,
        /// A municipality the officer acts for from now on; repeat for more.
        #[arg(long, required = true, value_parser = municipality_code)]
        municipality: Vec<MunicipalityCode>,
    },
    /// A forgotten password or a lost phone: the old password stops
    /// working, every session ends, and a new one-time activation link
    /// (valid 24 hours) is printed, with which the user chooses a new one.
    Reset {
        #[arg(long)]
        email: String,
        /// A lost or stolen phone: the second factor goes too, and the user
        /// sets up a new one after choosing the password.
        #[arg(long)]
        second_factor: bool,
        /// The site's public address, which the link starts with.
        #[arg(long, default_value = "http://localhost:3000")]
        site: String,
    },
}

fn municipality_code(text: &str) -> Result<MunicipalityCode, String> {
    MunicipalityCode::parse(text).map_err(|e| e.to_string())
}

#[derive(Subcommand)]
enum GazetteerCommand {
    /// Import CSV with columns `name` (or `postcode`), `lat`, `lon`;
    /// replaces the entries imported before.
    Import { file: PathBuf },
}

#[derive(Subcommand)]
enum ElectionCommand {
    /// A new election, e.g. `election add ps2027 --polling-date 2027-03-17`.
    Add {
        id: String,
        #[command(flatten)]
        details: DetailsArgs,
    },
    /// Every election, with its kind, polling day, time zone and stations.
    List,
    /// Change what is given; the rest stays.
    Edit {
        id: String,
        #[command(flatten)]
        details: DetailsArgs,
    },
}

#[derive(clap::Args)]
struct DetailsArgs {
    /// Name shown to voters (default for a new election: from the id).
    #[arg(long)]
    name: Option<String>,
    /// tk, ek, ps, ws, gr, ep, referendum or other (default: from the id's prefix).
    #[arg(long, value_parser = parse_kind)]
    kind: Option<ElectionKind>,
    /// Polling day, YYYY-MM-DD.
    #[arg(long)]
    polling_date: Option<NaiveDate>,
    /// IANA time zone of the opening times (default Europe/Amsterdam).
    #[arg(long, value_parser = |text: &str| TimeZoneName::parse(text).map_err(|e| e.to_string()))]
    time_zone: Option<TimeZoneName>,
    /// Days before polling day on which stations open, YYYY-MM-DD,
    /// comma-separated; replaces the days set before.
    #[arg(long, value_delimiter = ',')]
    early_voting: Option<Vec<NaiveDate>>,
}

impl From<DetailsArgs> for ElectionDetails {
    fn from(args: DetailsArgs) -> Self {
        Self {
            name: args.name,
            kind: args.kind,
            polling_date: args.polling_date,
            time_zone: args.time_zone,
            early_voting: args.early_voting,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ReportFormat {
    Table,
    Json,
}

fn parse_kind(text: &str) -> Result<ElectionKind, String> {
    ElectionKind::from_slug(text).ok_or_else(|| {
        let kinds: Vec<&str> = ElectionKind::ALL.iter().map(|kind| kind.slug()).collect();
        format!("\"{text}\" is not an election kind; use one of {}", kinds.join(", "))
    })
}

#[derive(Subcommand)]
enum BoundariesCommand {
    /// Import a GeoJSON FeatureCollection of municipal (multi)polygons, in
    /// RD New or WGS84, e.g. ../shared/data/municipalities-rd.geojson.
    Import { file: PathBuf },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let logs = tracing_subscriber::fmt().with_env_filter(
        tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
    );
    match cli.log_format {
        LogFormat::Text => logs.init(),
        // With the request's span (its id, method and route) in every line.
        LogFormat::Json => logs.json().with_current_span(true).with_span_list(false).init(),
    }
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error @ CommandError::PartlyRefused { .. }) => {
            eprintln!("error: {error}");
            ExitCode::from(commands::PARTLY_REFUSED)
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The line that ends an import, in the report's language.
fn import_summary(summary: &ImportSummary, report: &Report, election: &str, lang: Lang) -> String {
    let municipalities = ingest::summary(summary.municipalities, &report.refused, lang);
    let (records, stations) = (summary.records, summary.stations);
    let count = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    match lang {
        Lang::Nl => format!(
            "{records} records ({stations} stembureaus) ingelezen in verkiezing {election}: \
             {municipalities}; {}, {}",
            count(report.errors(), "fout", "fouten"),
            count(report.warnings(), "waarschuwing", "waarschuwingen")
        ),
        Lang::En => format!(
            "imported {records} records ({stations} stations) into election {election}: \
             {municipalities}; {}, {}",
            count(report.errors(), "error", "errors"),
            count(report.warnings(), "warning", "warnings")
        ),
    }
}

fn run(cli: Cli) -> Result<(), commands::CommandError> {
    match cli.command {
        Command::Serve {
            addr,
            site_root,
            no_demo,
            geocoder,
            tiles,
            tiles_attribution,
            upload_limit_mb,
            upload_workers,
            api_rate_limit,
            trusted_proxies,
            trusted_proxy_networks,
            client_address_header,
            public_url,
            store_check_seconds,
            reports_per_address,
            reports_per_hour,
        } => {
            let runtime = tokio::runtime::Runtime::new().map_err(commands::CommandError::Serve)?;
            let geocoder_url = (geocoder != "off").then_some(geocoder);
            let tiles = (tiles != "off").then_some(MapTiles { url: tiles, attribution: tiles_attribution });
            let api_rate = NonZeroU32::new(api_rate_limit).map(|per_second| RateLimit {
                per_second,
                burst: per_second.saturating_add(per_second.get()),
            });
            let client_addresses = ClientAddressRule::new(
                client_address_header,
                trusted_proxies.map_or(0, usize::from),
                trusted_proxy_networks,
            );
            let defaults = UploadLimits::default();
            let uploads = UploadLimits {
                bytes: usize::from(upload_limit_mb) * 1024 * 1024,
                workers: upload_workers.map_or(defaults.workers, usize::from),
                ..defaults
            };
            let reports = ReportLimits::per_hour(reports_per_address, reports_per_hour);
            let settings = Settings {
                tiles,
                uploads,
                api_rate,
                client_addresses,
                public_url,
                reports,
                ..Settings::default()
            };
            let store_check = std::time::Duration::from_secs(store_check_seconds.into());
            let options = ServeOptions {
                addr,
                site_root,
                demo: !no_demo,
                geocoder_url,
                settings,
                store_check,
                webhooks: Default::default(),
            };
            runtime.block_on(commands::serve(&cli.database, options))
        }
        Command::Demo => {
            let summary = commands::load_demo(&mut Store::connect(&cli.database)?)?;
            println!("loaded the demo dataset: {} stations in election demo", summary.records);
            Ok(())
        }
        Command::Import {
            source,
            format,
            election,
            municipality,
            name,
            polling_date,
            early_voting,
            report: report_format,
            lang,
            mapping,
            repair_encoding,
            all_or_nothing,
        } => {
            let mut store = Store::connect(&cli.database)?;
            let mapping = mapping.as_deref().map(commands::read_mapping).transpose()?;
            let options = ImportOptions {
                format,
                municipality,
                name,
                polling_date,
                early_voting,
                progress: true,
                mapping,
                repair_encoding,
                whole: if all_or_nothing { Whole::File } else { Whole::Municipality },
                ..ImportOptions::default()
            };
            let show = |report: &Report| match report_format {
                ReportFormat::Json => println!("{}", report.to_json()),
                ReportFormat::Table => eprint!("{}", report.to_table(lang)),
            };
            match commands::import(&mut store, Source::from_argument(&source), &election, options) {
                Ok(Imported { summary, report }) => {
                    show(&report);
                    eprintln!("{}", import_summary(&summary, &report, &election, lang));
                    if report.refused.is_empty() {
                        return Ok(());
                    }
                    Err(CommandError::PartlyRefused { file: report.file, refused: report.refused.len() })
                }
                Err(CommandError::Ingest(IngestError::Invalid { report })) => {
                    show(&report);
                    Err(CommandError::Rejected {
                        file: report.file.clone(),
                        errors: report.errors(),
                        warnings: report.warnings(),
                    })
                }
                Err(other) => Err(other),
            }
        }
        Command::Export { election, format, out } => {
            let bytes = commands::export(&Store::connect(&cli.database)?, &election, format)?;
            let written = match &out {
                Some(path) => std::fs::write(path, &bytes),
                None => std::io::Write::write_all(&mut std::io::stdout(), &bytes),
            };
            written.map_err(|e| commands::CommandError::Export(e.to_string()))
        }
        Command::Template { out, election, municipality } => {
            let bytes = match election.zip(municipality) {
                Some((election, municipality)) => {
                    commands::template(&Store::connect(&cli.database)?, &election, &municipality)?
                }
                None => commands::blank_template()?,
            };
            std::fs::write(&out, bytes)
                .map_err(|e| commands::CommandError::Export(format!("{}: {e}", out.display())))
        }
        Command::Election { command } => {
            let mut store = Store::connect(&cli.database)?;
            let (verb, election) = match command {
                ElectionCommand::List => {
                    print!("{}", commands::list_elections(&store)?);
                    return Ok(());
                }
                ElectionCommand::Add { id, details } => {
                    ("added", commands::add_election(&mut store, &id, details.into())?)
                }
                ElectionCommand::Edit { id, details } => {
                    ("changed", commands::edit_election(&mut store, &id, details.into())?)
                }
            };
            println!(
                "{verb} election {} ({}, {}, polling day {}, {})",
                election.id,
                election.name,
                election.kind.slug(),
                election.polling_date,
                election.time_zone
            );
            Ok(())
        }
        Command::Token { command } => {
            let mut store = Store::connect(&cli.database)?;
            match command {
                TokenCommand::Create { municipality, label } => {
                    let token = commands::create_token(&mut store, &municipality, &label)?;
                    println!(
                        "token {} for {municipality} ({label}); shown only now:\n{}",
                        token.id, token.secret
                    );
                }
                TokenCommand::List => print!("{}", commands::list_tokens(&store)?),
                TokenCommand::Revoke { id } => {
                    commands::revoke_token(&mut store, id)?;
                    println!("revoked token {id}");
                }
            }
            Ok(())
        }
        Command::User { command } => users(&mut Store::connect(&cli.database)?, command),
        Command::Webhook { command } => webhooks(&mut Store::connect(&cli.database)?, command),
        Command::Audit { limit } => {
            print!("{}", commands::audit_log(&Store::connect(&cli.database)?, limit)?);
            Ok(())
        }
        Command::Versions { election } => {
            print!("{}", commands::list_versions(&Store::connect(&cli.database)?, &election)?);
            Ok(())
        }
        Command::Rollback { election, to } => {
            let copy = commands::rollback(&mut Store::connect(&cli.database)?, &election, to)?;
            println!(
                "published version {to} again as version {} ({} stations of {}) in election {election}",
                copy.id, copy.stations, copy.municipality
            );
            Ok(())
        }
        Command::Boundaries { command: BoundariesCommand::Import { file } } => {
            let count = commands::import_boundaries(&mut Store::connect(&cli.database)?, &file)?;
            println!("imported the boundaries of {count} municipalities; searches use them from now on");
            Ok(())
        }
        Command::Gazetteer { command: GazetteerCommand::Import { file } } => {
            let count = commands::import_gazetteer(&mut Store::connect(&cli.database)?, &file)?;
            println!("imported {count} gazetteer entries; searches use them from now on");
            Ok(())
        }
    }
}

/// `kieskaart webhook …`.
fn webhooks(store: &mut Store, command: WebhookCommand) -> Result<(), CommandError> {
    match command {
        WebhookCommand::Add { url, election } => {
            let hook = commands::add_webhook(store, &url, &election)?;
            println!(
                "webhook {} sends every publication of {election} to {}; its secret, shown only now:\n{}",
                hook.id, hook.url, hook.secret
            );
        }
        WebhookCommand::List => print!("{}", commands::list_webhooks(store)?),
        WebhookCommand::Remove { id } => {
            commands::remove_webhook(store, id)?;
            println!("removed webhook {id}; its pending deliveries are given up");
        }
    }
    Ok(())
}

/// `kieskaart user …`.
fn users(store: &mut Store, command: UserCommand) -> Result<(), CommandError> {
    match command {
        UserCommand::Add { email, municipality, admin, site } => {
            let link = commands::add_user(store, &email, &municipality, admin, &site)?;
            println!("account for {email}; its activation link, valid 24 hours and shown only now:\n{link}");
        }
        UserCommand::List => print!("{}", commands::list_users(store)?),
        UserCommand::Disable { email } => {
            commands::disable_user(store, &email)?;
            println!("disabled {email}: signed out everywhere, and refused at sign-in until enabled");
        }
        UserCommand::Enable { email } => {
            commands::enable_user(store, &email)?;
            println!("enabled {email}: they can sign in again");
        }
        UserCommand::Municipalities { email, municipality } => {
            commands::set_user_municipalities(store, &email, &municipality)?;
            let codes: Vec<&str> = municipality.iter().map(MunicipalityCode::as_str).collect();
            println!("{email} acts for {} from now on", codes.join(", "));
        }
        UserCommand::Reset { email, second_factor, site } => {
            let what = if second_factor { Reset::SecondFactor } else { Reset::Password };
            let link = commands::reset_user(store, &email, what, &site)?;
            println!(
                "reset {email}: the old password no longer works and every session ended; \
                 the new activation link, valid 24 hours and shown only now:\n{link}"
            );
        }
    }
    Ok(())
}
