//! The `liaison` command line. Every subcommand that touches the database applies pending
//! migrations first, so each works on a fresh folder.

use std::io::Read;
use std::net::SocketAddr;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use shared::auth::Role;

use super::config::Settings;
use super::startup::Application;
use super::telemetry;
use crate::areas::partners;
use crate::areas::staff::{sessions, users};
use crate::core::{Actor, Context, Db};
use crate::dev::{demo, seed};
use crate::store;

/// The operator, acting through the command line.
const OPERATOR: Actor = Actor::System("command line");

async fn open(settings: &Settings, pool: u32) -> anyhow::Result<Context> {
    Ok(Context::new(Db::new(
        store::open(&settings.database_url, pool).await?,
    )))
}

#[derive(Parser)]
#[command(
    name = "liaison",
    version,
    about = "Liaison: the partner-engagement CRM"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web app and the API.
    Serve {
        /// Address to listen on (default 127.0.0.1:3000, or LIAISON_ADDR).
        #[arg(long)]
        addr: Option<SocketAddr>,
        /// Load the demo data set into an empty database and print the demo sign-in.
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending database migrations.
    Migrate,
    /// Manage staff users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Manage API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Index for search every partner whose entry is missing or stale (a server does this at
    /// start-up too).
    Reindex,
    /// Add synthetic partners and activities, for benchmarks.
    Seed {
        #[arg(long, default_value_t = 1000)]
        partners: u64,
        #[arg(long, default_value_t = 10_000)]
        activities: u64,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a staff user; the password is read from standard input.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// Read the password from standard input (the only way: never on the command line).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Set a user's password, read from standard input; ends their sessions.
    Passwd {
        #[arg(long)]
        email: String,
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Disable a user: they cannot sign in, their sessions end and their API tokens are refused.
    Disable {
        #[arg(long)]
        email: String,
    },
    /// Enable a disabled user again.
    Enable {
        #[arg(long)]
        email: String,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Create an API token for a user and print it (it is shown only once).
    Create {
        #[arg(long)]
        email: String,
        /// What the token is for.
        #[arg(long, default_value = "cli")]
        name: String,
        /// Days until it stops working; without, it works until revoked.
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=3650))]
        expires_in_days: Option<u32>,
    },
    /// List API tokens (never the tokens themselves): id, user, name, created, last used, expiry.
    List {
        /// Only this user's.
        #[arg(long)]
        email: Option<String>,
    },
    /// Revoke an API token by its id (from `token list`).
    Revoke { id: uuid::Uuid },
}

/// A password piped in, without the line break that ends it (never taken on the command line,
/// where other users of the machine could see it).
fn password_from_stdin() -> anyhow::Result<String> {
    let mut password = String::new();
    std::io::stdin()
        .read_to_string(&mut password)
        .context("reading the password from standard input")?;
    Ok(password.trim_end_matches(['\r', '\n']).to_owned())
}

fn parse_role(value: &str) -> Result<Role, String> {
    Role::parse(value).ok_or_else(|| "must be admin, manager or viewer".to_owned())
}

/// Stack size for the threads that serve requests.
pub const SERVER_THREAD_STACK: usize = 8 * 1024 * 1024;

/// How long tasks still running after the command is done (a page render whose client left,
/// say) may go on before the process exits anyway.
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(5);

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: starting the runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(run(cli));
    // Dropping the runtime waits for every task, without end. A worker stuck for good (one
    // was, once, inside a dependency) then kept a stopped server from ever exiting.
    runtime.shutdown_timeout(SHUTDOWN_GRACE);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let mut settings = Settings::load()?;
    telemetry::init(&settings.log);
    match cli.command {
        Command::Serve { addr, demo } => {
            if let Some(addr) = addr {
                settings.addr = addr;
            }
            let app = Application::build(settings.clone()).await?;
            if demo {
                let sign_in = demo::load_if_empty(&app.state().ctx).await?;
                println!(
                    "Demo data loaded. Sign in as {} with password {}",
                    sign_in.email, sign_in.password
                );
            }
            println!(
                "Liaison is listening on http://{}:{}",
                settings.addr.ip(),
                app.port()
            );
            app.run_until_stopped().await
        }
        Command::Migrate => {
            open(&settings, 1).await?;
            println!("The database is up to date.");
            Ok(())
        }
        Command::User {
            command:
                UserCommand::Add {
                    email,
                    name,
                    role,
                    password_stdin: _,
                },
        } => {
            let password = password_from_stdin()?;
            let ctx = open(&settings, 1).await?;
            let user = users::create(
                &ctx,
                &OPERATOR,
                users::NewUser {
                    email,
                    name,
                    role,
                    password,
                },
            )
            .await
            .map_err(|e| e.describe())?;
            println!(
                "Added {} ({}) as {}.",
                user.name,
                user.email,
                user.role.as_str()
            );
            Ok(())
        }
        Command::User {
            command:
                UserCommand::Passwd {
                    email,
                    password_stdin: _,
                },
        } => {
            let password = password_from_stdin()?;
            let ctx = open(&settings, 1).await?;
            users::set_password(&ctx, &OPERATOR, &email, password)
                .await
                .map_err(|e| e.describe())?;
            println!("Changed the password of {email}; their sessions are ended.");
            Ok(())
        }
        Command::User {
            command: UserCommand::Disable { email },
        } => {
            let ctx = open(&settings, 1).await?;
            users::set_disabled(&ctx, &OPERATOR, &email, true)
                .await
                .map_err(|e| e.describe())?;
            println!(
                "Disabled {email}: signed out everywhere (servers within two seconds); API tokens refused."
            );
            Ok(())
        }
        Command::User {
            command: UserCommand::Enable { email },
        } => {
            let ctx = open(&settings, 1).await?;
            users::set_disabled(&ctx, &OPERATOR, &email, false)
                .await
                .map_err(|e| e.describe())?;
            println!("Enabled {email}.");
            Ok(())
        }
        Command::Token {
            command:
                TokenCommand::Create {
                    email,
                    name,
                    expires_in_days,
                },
        } => {
            let ctx = open(&settings, 1).await?;
            let user = users::find_by_email(&ctx, &email)
                .await
                .map_err(|e| e.describe())?
                .with_context(|| format!("no user with email {email}"))?;
            let now = ctx.now();
            let expires_at =
                expires_in_days.map(|days| now + chrono::Duration::days(i64::from(days)));
            let token = sessions::create_api_token(&*ctx.db, user.id, &name, expires_at, now)
                .await
                .map_err(|e| e.describe())?;
            println!("{token}");
            Ok(())
        }
        Command::Token {
            command: TokenCommand::List { email },
        } => {
            let ctx = open(&settings, 1).await?;
            let user_id = match &email {
                Some(email) => Some(
                    users::find_by_email(&ctx, email)
                        .await
                        .map_err(|e| e.describe())?
                        .with_context(|| format!("no user with email {email}"))?
                        .id,
                ),
                None => None,
            };
            let tokens = sessions::list_api_tokens(&*ctx.db, user_id)
                .await
                .map_err(|e| e.describe())?;
            let day = |at: Option<chrono::DateTime<chrono::Utc>>, none: &str| {
                at.map_or(none.to_owned(), |at| {
                    at.format("%Y-%m-%d %H:%M UTC").to_string()
                })
            };
            println!("id\tuser\tname\tcreated\tlast used\texpires");
            for token in &tokens {
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    token.id,
                    token.email,
                    token.name,
                    day(Some(token.created_at), ""),
                    day(token.last_used_at, "never"),
                    day(token.expires_at, "when revoked")
                );
            }
            Ok(())
        }
        Command::Token {
            command: TokenCommand::Revoke { id },
        } => {
            let ctx = open(&settings, 1).await?;
            let revoked = sessions::revoke_api_token(&*ctx.db, id)
                .await
                .map_err(|e| e.describe())?;
            anyhow::ensure!(revoked, "no API token with id {id}");
            println!("Revoked {id}. Servers stop taking it within two seconds.");
            Ok(())
        }
        Command::Reindex => {
            let ctx = open(&settings, 1).await?;
            let bar = seed::bar(0, "search");
            bar.set_length(
                partners::store::count(&*ctx.db)
                    .await
                    .map_err(|e| e.describe())?,
            );
            let indexed = partners::service::reindex(&ctx, |done| bar.set_position(done))
                .await
                .map_err(|e| e.describe())?;
            bar.finish_and_clear();
            println!("Indexed {indexed} partners for search.");
            Ok(())
        }
        Command::Seed {
            partners,
            activities,
        } => {
            let ctx = open(&settings, 2).await?;
            seed::run(&ctx, partners, activities).await
        }
    }
}
