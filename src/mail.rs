//! Outgoing mail: meeting notices with a calendar invitation attached (domain.md §4.2:
//! members are notified 1–2 days before; §9.3 notice). SMTP in production, .eml files in a
//! directory for tests and demos, or nothing at all when mail is not configured.

use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::{Path, PathBuf};

/// Installs ring as rustls' process-wide crypto provider. Needed once at start-up (and in
/// tests) because ring (lettre) and aws-lc-rs (HTTP clients in the test tree) both being
/// compiled in makes rustls panic when it must pick one (stack.md). Safe to call repeatedly.
pub fn install_crypto() {
    // Err only means a provider is already installed, which is what we want anyway.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// Why a message was not sent. `permanent`: trying again cannot help (the
/// address cannot be parsed, or the server refused it with a 5xx reply).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SendError {
    pub permanent: bool,
    pub message: String,
}

impl SendError {
    fn transient(message: String) -> Self {
        SendError {
            permanent: false,
            message,
        }
    }
    fn permanent(message: String) -> Self {
        SendError {
            permanent: true,
            message,
        }
    }
}

#[derive(Clone)]
pub enum Mailer {
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
    },
    /// One .eml file per message in `dir`: tests, demos, and reviewing mail before going live.
    File {
        dir: PathBuf,
        from: Mailbox,
    },
    Disabled,
}

// Hand-written so credentials inside the SMTP transport never reach the logs.
impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Mailer::Smtp { from, .. } => write!(f, "Mailer::Smtp(from {from})"),
            Mailer::File { dir, from } => write!(f, "Mailer::File({}, from {from})", dir.display()),
            Mailer::Disabled => f.write_str("Mailer::Disabled"),
        }
    }
}

impl Mailer {
    /// `smtp_url`: `smtps://user:pass@host:465`, or `smtp://user:pass@host:587?tls=required`
    /// for STARTTLS (lettre's URL format). `capture_dir` wins over SMTP so a test can never
    /// mail real people. Neither given: mail is disabled. `from`: "Chi bộ 4 <cb4@example.vn>".
    pub fn from_config(
        smtp_url: Option<&str>,
        from: &str,
        capture_dir: Option<&Path>,
    ) -> Result<Mailer, String> {
        let parse_from = || {
            from.parse::<Mailbox>()
                .map_err(|e| format!("invalid sender address {from:?}: {e}"))
        };
        if let Some(dir) = capture_dir {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create mail directory {}: {e}", dir.display()))?;
            return Ok(Mailer::File {
                dir: dir.to_path_buf(),
                from: parse_from()?,
            });
        }
        match smtp_url.map(str::trim).filter(|u| !u.is_empty()) {
            Some(url) => {
                install_crypto();
                let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    // lettre's error text does not repeat the URL, so the password stays out.
                    .map_err(|e| format!("invalid SMTP URL: {e}"))?
                    .build();
                Ok(Mailer::Smtp {
                    transport,
                    from: parse_from()?,
                })
            }
            None => Ok(Mailer::Disabled),
        }
    }

    pub fn is_enabled(&self) -> bool {
        !matches!(self, Mailer::Disabled)
    }

    /// Sends a plain-text UTF-8 mail; with `ics`, attaches it as "invite.ics"
    /// (`text/calendar; method=…`), which mail clients offer to add to the calendar.
    pub async fn send(
        &self,
        to: &str,
        to_name: &str,
        subject: &str,
        body: &str,
        ics: Option<&str>,
    ) -> Result<(), SendError> {
        let from = match self {
            Mailer::Disabled => return Ok(()),
            Mailer::Smtp { from, .. } | Mailer::File { from, .. } => from.clone(),
        };
        let message = build(from, to, to_name, subject, body, ics).map_err(SendError::permanent)?;
        let sent = match self {
            Mailer::Smtp { transport, .. } => {
                transport.send(message).await.map(drop).map_err(|e| {
                    let text = format!("SMTP: {e}");
                    if e.is_permanent() {
                        SendError::permanent(text)
                    } else {
                        SendError::transient(text)
                    }
                })
            }
            Mailer::File { dir, .. } => AsyncFileTransport::<Tokio1Executor>::new(dir)
                .send(message)
                .await
                .map(drop)
                .map_err(|e| SendError::transient(format!("mail file: {e}"))),
            Mailer::Disabled => Ok(()),
        };
        let outcome = if sent.is_ok() { "sent" } else { "failed" };
        metrics::counter!("mail_messages_total", "outcome" => outcome).increment(1);
        sent
    }
}

fn build(
    from: Mailbox,
    to: &str,
    to_name: &str,
    subject: &str,
    body: &str,
    ics: Option<&str>,
) -> Result<Message, String> {
    let address = to
        .trim()
        .parse()
        .map_err(|e| format!("invalid recipient address {to:?}: {e}"))?;
    let name = Some(to_name.trim().to_string()).filter(|n| !n.is_empty());
    let builder = Message::builder()
        .from(from)
        .to(Mailbox::new(name, address))
        .subject(subject);
    let text = SinglePart::plain(body.to_string());
    let built = match ics {
        None => builder.singlepart(text),
        Some(ics) => {
            // The part's method must match the calendar's METHOD (REQUEST, or CANCEL).
            let method = crate::docs::ics::method_of(ics).unwrap_or("REQUEST");
            let ct = ContentType::parse(&format!("text/calendar; method={method}; charset=UTF-8"))
                .map_err(|e| format!("content type: {e}"))?;
            let invite = Attachment::new("invite.ics".to_string()).body(ics.to_string(), ct);
            builder.multipart(MultiPart::mixed().singlepart(text).singlepart(invite))
        }
    };
    built.map_err(|e| format!("cannot build mail: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;

    /// Quoted-printable decoding (RFC 2045 §6.7): soft breaks and =XX escapes.
    fn unquote(s: &str) -> String {
        let s = s.replace("=\r\n", "");
        let (b, mut out, mut i) = (s.as_bytes(), Vec::new(), 0);
        while i < b.len() {
            if b[i] == b'=' && i + 2 < b.len() {
                out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
                i += 3;
            } else {
                out.push(b[i]);
                i += 1;
            }
        }
        String::from_utf8(out).unwrap()
    }

    /// The body of the part whose headers contain `marker`, decoded.
    fn part_body(eml: &str, marker: &str) -> String {
        let start = eml.find(marker).unwrap();
        let rest = &eml[start..];
        let head_end = rest.find("\r\n\r\n").unwrap();
        let headers = &rest[..head_end];
        let body = &rest[head_end + 4..];
        let body = &body[..body.find("\r\n--").unwrap_or(body.len())];
        if headers
            .to_ascii_lowercase()
            .contains("content-transfer-encoding: base64")
        {
            let joined: String = body.split_whitespace().collect();
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(joined)
                .unwrap();
            String::from_utf8(bytes).unwrap()
        } else if headers.to_ascii_lowercase().contains("quoted-printable") {
            unquote(body)
        } else {
            body.to_string()
        }
    }

    #[tokio::test]
    async fn file_mode_writes_eml_with_invitation() {
        install_crypto();
        install_crypto(); // idempotent
        let dir = tempfile::tempdir().unwrap();
        let mailer = Mailer::from_config(
            Some("smtp://ignored.invalid"),
            "Chi bộ 4 <cb4@banhon.example>",
            Some(dir.path()),
        )
        .unwrap();
        assert!(matches!(mailer, Mailer::File { .. }));
        let ics = crate::docs::ics::invitation(&crate::docs::ics::CalEvent {
            uid: "m-1@chibo".into(),
            summary: "Sinh hoạt thường kỳ tháng 11/2026".into(),
            description: "Đề nghị các đồng chí có mặt đúng giờ.".into(),
            location: "Nhà văn hóa bản Đông Pao".into(),
            start: jiff::civil::date(2026, 11, 3).at(19, 30, 0, 0),
            minutes: 120,
            cancelled: false,
        });
        mailer
            .send(
                "pao@banhon.example",
                "Sùng A Páo",
                "Thông báo sinh hoạt chi bộ (Meeting notice)",
                "Kính gửi đồng chí Sùng A Páo,\nChi bộ họp lúc 19 giờ 30 ngày 03/11/2026.",
                Some(&ics),
            )
            .await
            .unwrap();

        let files: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].extension().unwrap(), "eml");
        let eml = std::fs::read_to_string(&files[0]).unwrap();
        // Non-ASCII subjects are RFC 2047 encoded; the ASCII tail is still readable.
        assert!(eml.contains("Subject: ") && eml.contains("Meeting notice"));
        assert!(eml.contains("pao@banhon.example") && eml.contains("cb4@banhon.example"));
        assert!(
            eml.to_ascii_lowercase()
                .contains("text/calendar; method=request; charset=utf-8")
        );
        assert!(eml.contains("invite.ics"));
        let text = part_body(&eml, "Content-Type: text/plain");
        assert!(text.contains("Sùng A Páo"), "{text}");
        let cal = part_body(&eml, "Content-Type: text/calendar");
        assert!(cal.contains("BEGIN:VCALENDAR") && cal.contains("METHOD:REQUEST"));
        assert!(cal.contains("SUMMARY:Sinh hoạt thường kỳ tháng 11/2026"));
    }

    #[tokio::test]
    async fn disabled_and_bad_config() {
        let m = Mailer::from_config(None, "a@b.example", None).unwrap();
        assert!(!m.is_enabled());
        m.send("x@y.example", "X", "s", "b", None).await.unwrap();
        assert!(
            Mailer::from_config(Some("smtps://u:p@smtp.example:465"), "a@b.example", None)
                .is_ok_and(|m| matches!(m, Mailer::Smtp { .. }))
        );
        assert!(Mailer::from_config(Some("smtp://h"), "not an address", None).is_err());
        assert!(Mailer::from_config(Some("ftp://h"), "a@b.example", None).is_err());
        let dir = tempfile::tempdir().unwrap();
        let f = Mailer::from_config(None, "a@b.example", Some(dir.path())).unwrap();
        let bad = f.send("bad address", "", "s", "b", None).await;
        assert!(
            bad.is_err_and(|e| e.permanent),
            "a bad address is never retried"
        );
        // A closed port on this machine: the server is down, try again later.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let down = Mailer::from_config(
            Some(&format!("smtp://127.0.0.1:{port}")),
            "a@b.example",
            None,
        )
        .unwrap();
        let e = down
            .send("x@y.example", "X", "s", "b", None)
            .await
            .unwrap_err();
        assert!(!e.permanent, "{e}");
    }
}
