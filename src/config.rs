//! The configuration file of `chibo serve` (docs/operations.md "Configuration"):
//! TOML with the same names as the flags. A flag or an environment variable
//! wins over the file, and the file over the built-in default, so an
//! operator keeps one file under /etc and overrides a value for one run.

use crate::cli::{Cli, Command, LogFormat, ServeArgs};
use anyhow::Context;
use clap::ArgMatches;
use clap::parser::ValueSource;
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// What the file may set; an unknown key is an error (a typo must not be
/// silently ignored).
#[derive(Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub database_url: Option<String>,
    pub log_format: Option<LogFormat>,
    pub addr: Option<SocketAddr>,
    pub smtp_url: Option<String>,
    pub mail_from: Option<String>,
    pub mail_dir: Option<PathBuf>,
    pub public_url: Option<String>,
    pub trust_forwarded: Option<bool>,
    pub metrics_token: Option<String>,
}

impl FileConfig {
    pub fn parse(text: &str) -> anyhow::Result<Self> {
        Ok(toml::from_str(text)?)
    }

    pub fn read(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the configuration file {}", path.display()))?;
        Self::parse(&text).with_context(|| format!("configuration file {}", path.display()))
    }
}

/// Whether the value of `id` came from neither a flag nor the environment.
fn unset(m: &ArgMatches, id: &str) -> bool {
    !matches!(
        m.value_source(id),
        Some(ValueSource::CommandLine | ValueSource::EnvVariable)
    )
}

fn fill<T>(m: &ArgMatches, id: &str, slot: &mut T, from_file: Option<T>) {
    if let Some(v) = from_file.filter(|_| unset(m, id)) {
        *slot = v;
    }
}

/// Applies `--config` (or CHIBO_CONFIG) to what the command line left unset.
pub fn apply(cli: &mut Cli, matches: &ArgMatches) -> anyhow::Result<()> {
    let Some(path) = cli.config.clone() else {
        return Ok(());
    };
    apply_file(cli, matches, FileConfig::read(&path)?);
    Ok(())
}

pub fn apply_file(cli: &mut Cli, matches: &ArgMatches, f: FileConfig) {
    fill(
        matches,
        "database_url",
        &mut cli.database_url,
        f.database_url,
    );
    fill(matches, "log_format", &mut cli.log_format, f.log_format);
    let (Command::Serve(args) | Command::Demo(args)) = &mut cli.command else {
        return;
    };
    let Some((_, m)) = matches.subcommand() else {
        return;
    };
    let ServeArgs {
        addr,
        smtp_url,
        mail_from,
        mail_dir,
        public_url,
        trust_forwarded,
        metrics_token,
    } = args;
    fill(m, "addr", addr, f.addr);
    fill(m, "smtp_url", smtp_url, f.smtp_url.map(Some));
    fill(m, "mail_from", mail_from, f.mail_from);
    fill(m, "mail_dir", mail_dir, f.mail_dir.map(Some));
    fill(m, "public_url", public_url, f.public_url.map(Some));
    fill(m, "trust_forwarded", trust_forwarded, f.trust_forwarded);
    fill(m, "metrics_token", metrics_token, f.metrics_token.map(Some));
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::{CommandFactory, FromArgMatches};

    fn parse(args: &[&str], file: &str) -> Cli {
        let m = Cli::command().try_get_matches_from(args).expect("args");
        let mut cli = Cli::from_arg_matches(&m).expect("cli");
        apply_file(&mut cli, &m, FileConfig::parse(file).expect("toml"));
        cli
    }

    const FILE: &str = r#"
        database_url = "postgres://chibo@db/chibo"
        log_format = "json"
        addr = "0.0.0.0:9000"
        public_url = "https://chibo.tinh.vn"
        trust_forwarded = true
    "#;

    #[test]
    fn the_file_fills_what_the_command_line_leaves_unset() {
        let cli = parse(&["chibo", "serve"], FILE);
        assert_eq!(cli.database_url, "postgres://chibo@db/chibo");
        assert_eq!(cli.log_format, LogFormat::Json);
        let Command::Serve(a) = cli.command else {
            panic!("serve")
        };
        assert_eq!(a.addr.to_string(), "0.0.0.0:9000");
        assert_eq!(a.public_url.as_deref(), Some("https://chibo.tinh.vn"));
        assert!(a.trust_forwarded);
        assert_eq!(a.mail_from, "chibo <chibo@localhost>", "default kept");
    }

    #[test]
    fn a_flag_wins_over_the_file() {
        let cli = parse(
            &[
                "chibo",
                "--database-url",
                "sqlite://x.db",
                "serve",
                "--addr",
                "127.0.0.1:1",
            ],
            FILE,
        );
        assert_eq!(cli.database_url, "sqlite://x.db");
        let Command::Serve(a) = cli.command else {
            panic!("serve")
        };
        assert_eq!(a.addr.to_string(), "127.0.0.1:1");
        assert_eq!(a.public_url.as_deref(), Some("https://chibo.tinh.vn"));
    }

    #[test]
    fn a_typo_is_an_error() {
        let e = FileConfig::parse("adr = \"0.0.0.0:1\"").unwrap_err();
        assert!(format!("{e:#}").contains("unknown field `adr`"), "{e:#}");
        assert!(FileConfig::parse("log_format = \"xml\"").is_err());
    }
}
