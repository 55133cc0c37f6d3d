//! The worker pool: how many threads a run may ask for, and what happens when the
//! machine will not give them.
//!
//! Why a module: `--threads 100000` used to keep spawning threads for as long as the
//! kernel allowed, and where thread creation failed rayon panicked later ("global thread
//! pool has not been initialized"). Results never depend on the thread count (every
//! aggregate is merged in document order), so asking for fewer threads is always safe.

/// Most threads a run uses: this many per core. More never helps a CPU-bound job and each
/// thread costs its stack.
pub const PER_CORE: usize = 4;

/// The cores this process may use (1 when unknown).
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// The number of threads to ask for: `requested` clamped to 1..=`PER_CORE` × cores.
/// Returns the number and, when it differs from the request, a note for the user.
pub fn clamp(requested: usize, cores: usize) -> (usize, Option<String>) {
    let most = PER_CORE.saturating_mul(cores.max(1));
    let n = requested.clamp(1, most);
    let note = (n != requested).then(|| {
        format!(
            "--threads {requested}: using {n} ({} core(s); at most {PER_CORE} threads per core, at least 1)",
            cores.max(1)
        )
    });
    (n, note)
}

/// Set up the global pool with `requested` threads (clamped), falling back to half as many
/// each time the machine refuses to create them, down to one. Returns notes for the user.
/// A pool that already exists (a second run in one process) is kept as it is.
pub fn configure(requested: usize) -> Vec<String> {
    let (mut n, note) = clamp(requested, cores());
    let mut notes: Vec<String> = note.into_iter().collect();
    loop {
        match rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
        {
            Ok(()) => return notes,
            // Either the pool exists already (harmless) or threads could not be created.
            Err(e) => {
                if n == 1 || is_already_initialised(&e) {
                    return notes;
                }
                notes.push(format!(
                    "could not start {n} worker threads ({e}); trying {}",
                    n / 2
                ));
                n /= 2;
            }
        }
    }
}

fn is_already_initialised(e: &rayon::ThreadPoolBuildError) -> bool {
    // rayon does not expose the error kind; its message is stable across 1.x.
    e.to_string().contains("already been initialized")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clamp_keeps_sane_requests_and_caps_absurd_ones() {
        assert_eq!(clamp(2, 2), (2, None));
        assert_eq!(clamp(8, 2), (8, None));
        let (n, note) = clamp(100_000, 2);
        assert_eq!(n, 8);
        assert!(note.unwrap().contains("using 8"));
        let (n, note) = clamp(0, 2);
        assert_eq!(n, 1);
        assert!(note.is_some());
        // Unknown core count counts as one core.
        assert_eq!(clamp(100, 0).0, PER_CORE);
    }
}
