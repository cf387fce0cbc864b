//! National statistics kept ready (issue 14, docs/architecture.md "Cold
//! start"). The rollups persist in the database, so they go missing only
//! after a bulk load (generate, restore), an upgrade that changes a metric
//! set's version, or a day change (their stamps hold the day). Each of those
//! is followed by [`fill`]: the roots' member statistics, this year's meeting
//! statistics (the rows the dashboard reads too) and the signal counts below
//! them are computed ahead, through the same functions a first request would
//! call. Nothing is trusted that a request would not trust: epochs still
//! decide, and a request arriving during a fill waits for it (one bulk pass
//! at a time) and reads its rows.

use super::{Result, signal};
use crate::app::{AppState, Clock, VN};
use crate::domain::dashboard::Period;
use crate::store;
use jiff::civil::Date;
use std::time::{Duration, Instant};

/// What a fill did.
#[derive(Debug, Clone)]
pub struct Filled {
    /// The day the rows were filled for.
    pub day: Date,
    pub roots: usize,
    /// Nodes whose signal counts were recounted (0 when all were valid).
    pub signals_recounted: usize,
    pub elapsed: Duration,
}

/// Fills the rollups and signal counts of every root for `app.clock`'s
/// today; rows already valid are read, not recomputed.
pub async fn fill(app: &AppState) -> Result<Filled> {
    let started = Instant::now();
    let today = app.clock.today();
    let year = Period::year(today.year());
    let (from, to) = (year.first_day(), year.last_day());
    let roots = store::org::roots(&app.db, today).await?;
    let mut recounted = 0;
    for root in &roots {
        let on = root.reference_date(today);
        // The statistics page's and the dashboard's member figures, then the
        // year's meeting figures (statistics and dashboard share the row).
        store::stats::subtree_counts(&app.db, root.id, on).await?;
        store::meeting::totals(&app.db, root.id, on, from, to, today).await?;
        recounted += signal::fill_counts(app, root, (from, to)).await?;
    }
    let elapsed = started.elapsed();
    metrics::histogram!("rollup_fill_seconds").record(elapsed.as_secs_f64());
    Ok(Filled {
        day: today,
        roots: roots.len(),
        signals_recounted: recounted,
        elapsed,
    })
}

/// Keeps the roots' statistics ready while the server runs: fills at once
/// (requests are served meanwhile), then again just after each midnight in
/// Vietnam; a failed fill is retried a minute later.
pub fn spawn(app: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            let wait = match fill(&app).await {
                Ok(f) => {
                    tracing::info!(day = %f.day, roots = f.roots, signals = f.signals_recounted,
                        elapsed = ?f.elapsed, "statistics filled ahead");
                    until_next_day(&app.clock)
                }
                Err(e) => {
                    tracing::warn!(error = %e, "statistics not filled ahead; retrying in a minute");
                    Duration::from_secs(60)
                }
            };
            tokio::time::sleep(wait).await;
        }
    })
}

/// Time from the clock's now to one second after the next midnight in
/// Vietnam (the second keeps `today` from still reading the old day).
pub fn until_next_day(clock: &Clock) -> Duration {
    let now = clock.now();
    let next = clock
        .today()
        .tomorrow()
        .and_then(|d| d.to_zoned(VN.clone()))
        .map(|z| z.timestamp());
    match next {
        Ok(t) => Duration::try_from(t.duration_since(now))
            .unwrap_or(Duration::ZERO)
            .saturating_add(Duration::from_secs(1)),
        // Past the last representable day: nothing more to wait for.
        Err(_) => Duration::from_secs(24 * 3600),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_fill_is_just_after_midnight_in_vietnam() {
        // 23:59:30 in Hà Nội is 16:59:30 UTC.
        let t: jiff::Timestamp = "2026-11-29T16:59:30Z".parse().unwrap();
        assert_eq!(until_next_day(&Clock::Fixed(t)), Duration::from_secs(31));
        // 00:00:00 in Hà Nội: a whole day.
        let t: jiff::Timestamp = "2026-11-29T17:00:00Z".parse().unwrap();
        assert_eq!(
            until_next_day(&Clock::Fixed(t)),
            Duration::from_secs(24 * 3600 + 1)
        );
    }
}
