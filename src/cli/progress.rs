//! A progress bar on standard error for long corpus runs: bytes read, files,
//! throughput and ETA. It appears only on a terminal, only without
//! `--quiet`, and only once a run has taken more than a second, so short runs,
//! pipes, CI logs and tests never see it.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a run goes before the bar is drawn.
const DELAY: Duration = Duration::from_secs(1);

#[derive(Clone)]
pub(super) struct Progress {
    bar: Option<ProgressBar>,
    started: Instant,
    files: usize,
}

impl Progress {
    pub(super) fn new(quiet: bool, total_bytes: u64, files: usize) -> Self {
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let bar =
                ProgressBar::with_draw_target(Some(total_bytes), ProgressDrawTarget::hidden());
            if let Ok(style) = ProgressStyle::with_template(
                "{bar:30} {bytes}/{total_bytes} · {msg} · {bytes_per_sec} · ETA {eta}",
            ) {
                bar.set_style(style);
            }
            bar
        });
        Progress {
            bar,
            started: Instant::now(),
            files,
        }
    }

    /// `bytes` of the corpus and `files` files read so far.
    pub(super) fn update(&self, bytes: u64, files: usize) {
        let Some(bar) = &self.bar else { return };
        bar.set_position(bytes);
        bar.set_message(format!("{files}/{} files", self.files));
        if bar.is_hidden() && self.started.elapsed() > DELAY {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    /// Print a line on standard error without tearing the bar.
    pub(super) fn eprintln(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }

    pub(super) fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
