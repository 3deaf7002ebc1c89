//! `kieskaart`: the command line. Parses arguments and hands over to
//! `kieskaart::commands`.

use chrono::NaiveDate;
use clap::{Parser, Subcommand};
use kieskaart::commands::{self, NewElection, ServeOptions};
use kieskaart::store::Store;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

/// Kieskaart: find the nearest polling station that suits you.
#[derive(Parser)]
#[command(name = "kieskaart", version)]
struct Cli {
    /// SQLite database file; created with its folder on first use.
    #[arg(long, env = "KIESKAART_DATABASE", default_value = "var/kieskaart.sqlite3", global = true)]
    database: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the voter pages and the API.
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
    },
    /// Load the demo dataset (election `demo`, the invented municipality
    /// Demodorp); `serve` does this by itself on an empty database.
    Demo,
    /// Import a CKAN datastore JSON file (Stembureaus Open Data Standard)
    /// into an election and publish it. A file with any error changes nothing.
    Import {
        file: PathBuf,
        /// Election id, e.g. gr2026; created when new.
        #[arg(long)]
        election: String,
        /// Name of a new election (default: from the id, e.g. "Gemeenteraadsverkiezingen 2026").
        #[arg(long)]
        name: Option<String>,
        /// Polling day of a new election, when the file's dates do not say.
        #[arg(long)]
        polling_date: Option<NaiveDate>,
    },
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<(), commands::CommandError> {
    match cli.command {
        Command::Serve { addr, site_root, no_demo } => {
            let runtime = tokio::runtime::Runtime::new().map_err(commands::CommandError::Serve)?;
            runtime.block_on(commands::serve(&cli.database, ServeOptions { addr, site_root, demo: !no_demo }))
        }
        Command::Demo => {
            let summary = commands::load_demo(&mut Store::open(&cli.database)?)?;
            println!("loaded the demo dataset: {} stations in election demo", summary.records);
            Ok(())
        }
        Command::Import { file, election, name, polling_date } => {
            let mut store = Store::open(&cli.database)?;
            let summary = commands::import(&mut store, &file, &election, NewElection { name, polling_date })?;
            println!(
                "imported {} records from {} municipalities into election {election} and published them",
                summary.records, summary.municipalities
            );
            Ok(())
        }
    }
}
