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
use crate::store::rollup::Measure;
use jiff::Timestamp;
use jiff::civil::Date;
use std::time::{Duration, Instant};

/// What a fill did.
#[derive(Debug, Clone)]
pub struct Filled {
    /// The day the rows were filled for.
    pub day: Date,
    pub roots: usize,
    /// Cells' rows stored, counting both measures (0 when all were valid).
    pub cells: usize,
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
    let (mut recounted, mut cells) = (0, 0);
    for root in &roots {
        let on = root.reference_date(today);
        // The statistics page's and the dashboard's member figures, then the
        // year's meeting figures (statistics and dashboard share the row).
        let at = store::org::Root::of(root);
        store::stats::subtree_counts(&app.db, at, on).await?;
        store::meeting::totals(&app.db, at, on, from, to, today).await?;
        // Then the cells' own rows, which the bulk pass does not keep: what a
        // commune's recount after a write reads (the evening of a month).
        for m in [
            Measure::Org { on },
            Measure::Meetings {
                tree_on: on,
                from,
                to,
                today,
            },
        ] {
            cells += store::rollup::fill_cells(&app.db, root.id, &m).await?;
        }
        recounted += signal::fill_counts(app, root, (from, to)).await?;
    }
    let elapsed = started.elapsed();
    metrics::histogram!("rollup_fill_seconds").record(elapsed.as_secs_f64());
    Ok(Filled {
        day: today,
        roots: roots.len(),
        cells,
        signals_recounted: recounted,
        elapsed,
    })
}

/// How long before midnight tomorrow's rows are filled: the two national
/// passes and the cells' rows take minutes at 5.6 M members (the whole fill
/// after a generate, signal counts included, took 913 s: docs/benchmarks.md
/// "The national scale"); the signal counts, kept by year, are recounted
/// ahead only on 31 December, for the new year.
const AHEAD: Duration = Duration::from_secs(30 * 60);

/// Keeps the roots' statistics ready while the server runs: fills at once
/// (requests are served meanwhile); each evening fills the next day's rows
/// (they take turns with today's, `rollup`'s day rows), and just after
/// midnight fills again, which finds them valid unless something was
/// written meanwhile. A failed fill is retried a minute later.
pub fn spawn(app: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            if !fill_logged(&app, "now").await {
                tokio::time::sleep(Duration::from_secs(60)).await;
                continue;
            }
            let Some(midnight) = next_day(&app.clock) else {
                return;
            };
            tokio::time::sleep(until(&app.clock, midnight).saturating_sub(AHEAD)).await;
            let tomorrow = app.clone().with_clock(Clock::Fixed(midnight));
            fill_logged(&tomorrow, "ahead").await;
            tokio::time::sleep(until(&app.clock, midnight)).await;
        }
    })
}

async fn fill_logged(app: &AppState, when: &'static str) -> bool {
    match fill(app).await {
        Ok(f) => {
            tracing::info!(when, day = %f.day, roots = f.roots, cells = f.cells,
                signals = f.signals_recounted,
                elapsed = ?f.elapsed, "statistics filled ahead");
            true
        }
        Err(e) => {
            tracing::warn!(when, error = %e, "statistics not filled ahead");
            false
        }
    }
}

/// One second after the next midnight in Vietnam (the second keeps `today`
/// from still reading the old day); None past the last representable day.
pub fn next_day(clock: &Clock) -> Option<Timestamp> {
    let start = clock.today().tomorrow().ok()?.to_zoned(VN.clone()).ok()?;
    start
        .timestamp()
        .checked_add(jiff::SignedDuration::from_secs(1))
        .ok()
}

/// Time from the clock's now to `t` (zero if past).
pub fn until(clock: &Clock, t: Timestamp) -> Duration {
    Duration::try_from(t.duration_since(clock.now())).unwrap_or(Duration::ZERO)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_day_starts_at_midnight_in_vietnam() {
        // 23:59:30 in Hà Nội is 16:59:30 UTC.
        let clock = Clock::Fixed("2026-11-29T16:59:30Z".parse().unwrap());
        let next = next_day(&clock).unwrap();
        assert_eq!(next.to_string(), "2026-11-29T17:00:01Z");
        assert_eq!(until(&clock, next), Duration::from_secs(31));
        assert_eq!(Clock::Fixed(next).today().to_string(), "2026-11-30");
        // 00:00:00 in Hà Nội: the whole day ahead.
        let clock = Clock::Fixed("2026-11-29T17:00:00Z".parse().unwrap());
        assert_eq!(
            until(&clock, next_day(&clock).unwrap()),
            Duration::from_secs(24 * 3600 + 1)
        );
        assert_eq!(
            until(&clock, "2026-11-29T16:00:00Z".parse().unwrap()),
            Duration::ZERO
        );
    }
}
