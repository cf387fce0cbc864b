//! The command line: serve, demo, migrate, user, import, export.

use crate::app::AppState;
use crate::domain::authz::Role;
use crate::domain::ids::{MemberId, OrgId};
use crate::service::{self, AppError, Caller};
use crate::store::{self, Db};
use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Instant;

#[derive(Parser, Debug)]
#[command(
    name = "chibo",
    version,
    about = "chibo: sinh hoạt chi bộ — the party-cell meeting cycle, end to end"
)]
pub struct Cli {
    /// Database: sqlite://FILE (embedded, default) or postgres://USER@HOST/DB.
    #[arg(
        long,
        global = true,
        env = "CHIBO_DATABASE_URL",
        default_value = "sqlite://chibo.db?mode=rwc"
    )]
    pub database_url: String,
    /// A TOML file with the same settings (flags and environment win):
    /// docs/operations.md "Configuration".
    #[arg(long, global = true, env = "CHIBO_CONFIG")]
    pub config: Option<PathBuf>,
    /// Logs on stderr as text or as JSON lines.
    #[arg(long, global = true, env = "CHIBO_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(clap::ValueEnum, serde::Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Args, Debug, Clone)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "CHIBO_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// SMTP server for meeting notices, e.g. smtps://user:pass@mail.example.vn; mail is off when absent.
    #[arg(long, env = "CHIBO_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// Sender of notices.
    #[arg(
        long,
        env = "CHIBO_MAIL_FROM",
        default_value = "chibo <chibo@localhost>"
    )]
    pub mail_from: String,
    /// Write notices as .eml files into this directory instead of sending them.
    #[arg(long, env = "CHIBO_MAIL_DIR")]
    pub mail_dir: Option<PathBuf>,
    /// The address users reach chibo at, e.g. https://chibo.tinh.vn. With
    /// https, the session cookie is Secure and HSTS is sent. Default:
    /// http:// and --addr.
    #[arg(long, env = "CHIBO_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Take the client address from the last X-Forwarded-For entry (only
    /// behind a reverse proxy that sets it; otherwise clients could forge it).
    #[arg(long, env = "CHIBO_TRUST_FORWARDED", default_value_t = false)]
    pub trust_forwarded: bool,
    /// Bearer token for GET /metrics; without one, /metrics answers only
    /// requests from the machine itself (loopback, not forwarded).
    #[arg(long, env = "CHIBO_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create the database with demo data (if empty) and serve the web UI.
    Demo(ServeArgs),
    /// Serve the web UI and API.
    Serve(ServeArgs),
    /// Apply database migrations and exit.
    Migrate,
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Import data.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Export data.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Back up the whole database to a file (SQLite: consistent copy while serving; PostgreSQL: pg_dump).
    Backup {
        #[arg(long)]
        out: PathBuf,
    },
    /// Replace the whole database with a backup (stop the server first).
    Restore {
        #[arg(long)]
        from: PathBuf,
    },
    /// Fill an empty database with a synthetic tree, members and a year of meetings.
    Generate {
        /// Number of members (about 15 per cell, 1,700 per commune).
        #[arg(long)]
        members: Option<u64>,
        /// `national`: about 5.6 million members (domain.md §10.2).
        #[arg(long)]
        scale: Option<String>,
        /// Seed of the deterministic generator.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Also create sign-in accounts: bithu.<cell id> (secretary of each
        /// cell), dv.<member id> (one member a cell), canbo.<node id> (staff
        /// of each commune, province and the root), all with one password.
        #[arg(long)]
        accounts: bool,
        /// The generated accounts' shared password (generated data only).
        #[arg(
            long,
            env = "CHIBO_PASSWORD",
            hide_env_values = true,
            default_value = "chibo-demo"
        )]
        accounts_password: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Create an account with a role on a node of the tree.
    Create {
        #[arg(long)]
        username: String,
        /// Password (at least 8 characters); read from CHIBO_PASSWORD if absent.
        #[arg(long, env = "CHIBO_PASSWORD", hide_env_values = true)]
        password: String,
        #[arg(long)]
        display_name: Option<String>,
        /// admin | staff | secretary | deputy | member
        #[arg(long, default_value = "staff")]
        role: String,
        /// The node the role is granted on (not needed for a plain member).
        #[arg(long)]
        org: Option<i64>,
        /// Link the account to a member record.
        #[arg(long)]
        member: Option<i64>,
    },
    /// Disable an account: it cannot sign in, its sessions and tokens end.
    Disable {
        #[arg(long)]
        username: String,
    },
    /// Enable a disabled account.
    Enable {
        #[arg(long)]
        username: String,
    },
    /// End every browser session and delete every API token of an account.
    Revoke {
        #[arg(long)]
        username: String,
    },
    /// Remove one grant from an account.
    RemoveGrant {
        #[arg(long)]
        username: String,
        /// admin | staff | secretary | deputy | member
        #[arg(long)]
        role: String,
        #[arg(long)]
        org: i64,
    },
}

#[derive(Subcommand, Debug)]
pub enum ImportCommand {
    /// Import members from an XLSX or CSV file into a node (all or nothing).
    Members {
        file: PathBuf,
        #[arg(long)]
        org: i64,
    },
}

#[derive(Subcommand, Debug)]
pub enum ExportCommand {
    /// Export the members of a node's subtree to XLSX.
    Members {
        #[arg(long)]
        org: i64,
        #[arg(long)]
        out: PathBuf,
    },
}

async fn open(url: &str) -> anyhow::Result<AppState> {
    let db = Db::connect(url)
        .await
        .with_context(|| format!("cannot open database {}", store::redact(url)))?;
    db.migrate().await.context("migrations failed")?;
    Ok(AppState::new(db))
}

async fn serve(app: AppState, args: &ServeArgs) -> anyhow::Result<()> {
    let mailer = crate::mail::Mailer::from_config(
        args.smtp_url.as_deref(),
        &args.mail_from,
        args.mail_dir.as_deref(),
    )
    .map_err(|e| anyhow::anyhow!("mail configuration: {e}"))?;
    let public_url = match &args.public_url {
        Some(u) => {
            let parsed = url::Url::parse(u).with_context(|| format!("--public-url {u}"))?;
            if !matches!(parsed.scheme(), "http" | "https") {
                bail!("--public-url must start with http:// or https://");
            }
            u.clone()
        }
        None => format!("http://{}", args.addr),
    };
    let app = app.with_mailer(mailer).with_web(crate::app::WebSettings {
        public_url,
        trust_forwarded: args.trust_forwarded,
        metrics_token: args.metrics_token.clone(),
    });
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .with_context(|| format!("cannot listen on {}", args.addr))?;
    tracing::info!(addr = %args.addr, db = app.db.backend(), "serving");
    println!("chibo đang chạy tại http://{}", listener.local_addr()?);
    // SIGTERM drains from here on, before any work starts.
    let shutdown = crate::web::shutdown_signal();
    // The mail worker sends what the outbox holds, from earlier runs too
    // (docs/operations.md "Mail outbox"); it stops after the server has
    // finished its requests.
    let worker = crate::service::outbox::Worker::spawn(app.clone());
    // The national statistics filled ahead while requests are served, and
    // again after each midnight (docs/architecture.md "Cold start").
    let warm = service::warm::spawn(app.clone());
    let served = crate::web::serve_until(app, listener, shutdown).await;
    warm.abort();
    if let Some(w) = worker {
        w.shutdown(std::time::Duration::from_secs(30)).await;
    }
    served
}

/// After a bulk load (generate, restore) or an upgrade the national statistics are
/// computed before the command returns, so the first server start finds
/// them ready (docs/architecture.md "Cold start").
async fn fill_ahead(url: &str) -> anyhow::Result<()> {
    let app = open(url).await?;
    let f = service::warm::fill(&app).await.map_err(explain)?;
    println!(
        "Đã tính sẵn số liệu thống kê toàn quốc và {} dòng số liệu của chi bộ trong {:.1} giây.",
        f.cells,
        f.elapsed.as_secs_f64()
    );
    app.db.close().await;
    Ok(())
}

/// Disable, enable, revoke, remove a grant: the same service functions as
/// the pages, with the command line's full authority, audited as "cli".
async fn manage_user(url: &str, cmd: UserCommand) -> anyhow::Result<()> {
    let app = open(url).await?;
    let cli = Caller::system("cli");
    let username = match &cmd {
        UserCommand::Create { .. } => bail!("handled above"),
        UserCommand::Disable { username }
        | UserCommand::Enable { username }
        | UserCommand::Revoke { username }
        | UserCommand::RemoveGrant { username, .. } => username.clone(),
    };
    let user = service::account::by_username(&app, &username)
        .await
        .map_err(|_| anyhow::anyhow!("không có tài khoản {username}"))?;
    match cmd {
        UserCommand::Create { .. } => bail!("handled above"),
        UserCommand::Disable { username } => {
            service::account::set_disabled(&app, &cli, user, true)
                .await
                .map_err(explain)?;
            println!("Đã khóa tài khoản {username}; mọi phiên và mã truy cập đã bị thu hồi.");
        }
        UserCommand::Enable { username } => {
            service::account::set_disabled(&app, &cli, user, false)
                .await
                .map_err(explain)?;
            println!("Đã mở khóa tài khoản {username}.");
        }
        UserCommand::Revoke { username } => {
            let n = service::account::revoke(&app, &cli, user)
                .await
                .map_err(explain)?;
            println!("Đã thu hồi mọi phiên đăng nhập và {n} mã truy cập của {username}.");
        }
        UserCommand::RemoveGrant {
            username,
            role,
            org,
        } => {
            let role = Role::from_code(&role).with_context(|| format!("unknown role {role}"))?;
            let grant = service::account::grant_id(&app, user, role, OrgId(org))
                .await
                .map_err(|_| {
                    anyhow::anyhow!("{username} không có quyền {} tại {org}", role.code())
                })?;
            service::account::remove_grant(&app, &cli, user, grant)
                .await
                .map_err(explain)?;
            println!("Đã thu hồi quyền {} tại {org} của {username}.", role.code());
        }
    }
    Ok(())
}

/// Prints a service error the way the web shows it, row by row for imports.
fn explain(e: AppError) -> anyhow::Error {
    match e {
        AppError::Invalid(errs) => {
            anyhow::anyhow!(
                errs.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("\n")
            )
        }
        AppError::ImportRejected(rows) => {
            let mut msg = format!("Tệp có {} lỗi, không dòng nào được ghi:\n", rows.len());
            for r in rows {
                let sheet = if r.sheet.is_empty() {
                    String::new()
                } else {
                    format!("trang \"{}\", ", r.sheet)
                };
                msg.push_str(&format!(
                    "  {sheet}dòng {}, cột \"{}\": {}\n",
                    r.row, r.column, r.message
                ));
            }
            anyhow::anyhow!(msg)
        }
        e => anyhow::anyhow!(e.to_string()),
    }
}

struct Bar(ProgressBar);

impl service::import::Progress for Bar {
    fn stage(&self, name: &str, total: u64) {
        self.0.set_length(total);
        self.0.set_position(0);
        self.0.set_message(name.to_string());
    }
    fn advance(&self, n: u64) {
        self.0.inc(n);
    }
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Generate {
            members,
            scale,
            seed,
            accounts,
            accounts_password,
        } => {
            let password = accounts.then_some(accounts_password.as_str());
            crate::generate::run(&cli.database_url, members, scale.as_deref(), seed, password)
                .await?;
            fill_ahead(&cli.database_url).await?;
        }
        Command::Migrate => {
            open(&cli.database_url).await?;
            println!("Đã cập nhật cấu trúc cơ sở dữ liệu.");
            // An upgrade may change a metric set's version: refill before
            // the new server starts.
            fill_ahead(&cli.database_url).await?;
        }
        Command::Serve(args) => serve(open(&cli.database_url).await?, &args).await?,
        Command::Demo(args) => {
            let app = open(&cli.database_url).await?;
            let started = Instant::now();
            match crate::demo::seed(&app).await.map_err(explain)? {
                Some(s) => println!(
                    "Đã tạo dữ liệu mẫu: {} tổ chức, {} đảng viên, {} tài khoản trong {:.1} giây.",
                    s.orgs,
                    s.members,
                    s.users,
                    started.elapsed().as_secs_f64()
                ),
                None => println!("Cơ sở dữ liệu đã có dữ liệu; giữ nguyên."),
            }
            println!(
                "Tài khoản mẫu (mật khẩu chibo-demo): admin, kimson, banhon, bithu.banhon, dangvien.banhon, kimson.canbo01 … kimson.canbo27"
            );
            serve(app, &args).await?;
        }
        Command::User(UserCommand::Create {
            username,
            password,
            display_name,
            role,
            org,
            member,
        }) => {
            let app = open(&cli.database_url).await?;
            let role = Role::from_code(&role).with_context(|| format!("unknown role {role}"))?;
            let grants = match (role, org) {
                (Role::Member, _) => vec![],
                (_, Some(o)) => vec![(role, OrgId(o))],
                (_, None) => bail!("--org is required for role {}", role.code()),
            };
            let id = service::auth::create_user(
                &app,
                "cli",
                service::auth::NewUser {
                    username: &username,
                    password: &password,
                    display_name: display_name.as_deref().unwrap_or(&username),
                    member: member.map(MemberId),
                    grants,
                },
            )
            .await
            .map_err(explain)?;
            println!("Đã tạo tài khoản {username} (mã {id}).");
        }
        Command::User(cmd) => manage_user(&cli.database_url, cmd).await?,
        Command::Import(ImportCommand::Members { file, org }) => {
            let app = open(&cli.database_url).await?;
            let bytes =
                std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            let bar = ProgressBar::new(0);
            bar.set_style(
                ProgressStyle::with_template("{msg:>10} [{bar:40}] {pos}/{len} ({elapsed})")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
            );
            let started = Instant::now();
            let result = service::import::import(
                &app,
                &Caller::system("cli"),
                OrgId(org),
                &name,
                &bytes,
                &Bar(bar.clone()),
            )
            .await;
            bar.finish_and_clear();
            let summary = result.map_err(explain)?;
            println!(
                "Đã nhập {} đảng viên trong {:.2} giây.",
                summary.created,
                started.elapsed().as_secs_f64()
            );
            for (cell, n) in summary.by_cell {
                println!("  {cell}: {n}");
            }
        }
        Command::Backup { out } => {
            crate::backup::backup(&cli.database_url, &out).await?;
            println!("Đã sao lưu cơ sở dữ liệu vào {}.", out.display());
        }
        Command::Restore { from } => {
            crate::backup::restore(&cli.database_url, &from).await?;
            println!("Đã khôi phục cơ sở dữ liệu từ {}.", from.display());
            fill_ahead(&cli.database_url).await?;
        }
        Command::Export(ExportCommand::Members { org, out }) => {
            let app = open(&cli.database_url).await?;
            let caller = Caller::system("cli");
            let (count, bytes) = service::member::export_xlsx(
                &app,
                &caller,
                OrgId(org),
                "",
                store::member::StatusFilter::Active,
            )
            .await
            .map_err(explain)?;
            std::fs::write(&out, bytes)
                .with_context(|| format!("cannot write {}", out.display()))?;
            println!("Đã xuất {count} đảng viên ra {}.", out.display());
        }
    }
    Ok(())
}
